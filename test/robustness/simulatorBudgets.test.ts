// Adversarial programs against the simulator's budgets: each ends within its budget with a clear message and a sound heap.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeEnd } from '../../server/src/report/describeEnd';
import { simulate } from '../../server/src/simulator/simulate';
import type { SimulationBudgets, SimulationEnd } from '../../server/src/simulator/simulatorTypes';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { GCLENS_BIN } from '../cli/cliHarness';
import { ensureBuilt } from '../support/ensureBuilt';

/** Small budgets so the suite stays fast; the CLI cases below run with the defaults. */
const BUDGETS: SimulationBudgets = { maxSteps: 200_000, maxObjects: 100_000, maxMillis: 2_000, maxOutputChars: 1_000_000 };
/** Long runs may reach the wall-time budget first on a loaded machine: either budget is a clean end. */
const STEPS_OR_TIME: readonly Expected[] = ['budget:maxSteps', 'budget:maxMillis'];

type Expected = SimulationEnd['kind'] | `budget:${keyof SimulationBudgets}` | `exception:${string}`;

const ADVERSARIAL: readonly { name: string; source: string; expected: readonly Expected[] }[] = [
  { name: 'an endless loop', source: 'while True:\n    pass\n', expected: STEPS_OR_TIME },
  { name: 'exponential recursion', source: 'def f(n):\n    return 1 if n == 0 else f(n - 1) + f(n - 1)\nprint(f(60))\n', expected: STEPS_OR_TIME },
  { name: 'a billion-slot list', source: 'x = [[]] * 10**9\nprint(len(x))\n', expected: ['budget:maxSteps'] },
  { name: 'a ten-gigabyte string', source: "s = 'x' * 10**10\n", expected: ['budget:maxSteps'] },
  { name: '2 ** 10 ** 10', source: 'n = 2 ** 10 ** 10\n', expected: ['budget:maxSteps'] },
  { name: 'a string doubling forever', source: "s = 'x'\nwhile True:\n    s = s + s\n", expected: ['budget:maxSteps'] },
  { name: 'an integer growing forever', source: 'n = 1\nwhile True:\n    n = n * 10 ** 1000\n', expected: STEPS_OR_TIME },
  { name: 'nested list growth', source: 'a = []\nwhile True:\n    a = [a, a, [1, 2, 3]]\n', expected: ['budget:maxObjects', 'budget:maxSteps', 'budget:maxMillis'] },
  { name: 'printing forever', source: "while True:\n    print('x' * 10000)\n", expected: ['budget:maxOutputChars'] },
  { name: 'a generator that never ends', source: 'def count():\n    n = 0\n    while True:\n        yield n\n        n += 1\nfor x in count():\n    pass\n', expected: STEPS_OR_TIME },
  {
    name: '__del__ that resurrects and allocates forever',
    source: 'import gc\nclass Phoenix:\n    def __del__(self):\n        global saved\n        saved = self\n        self.me = self\nwhile True:\n    Phoenix()\n    saved = None\n    gc.collect()\n',
    expected: ['budget:maxSteps', 'budget:maxMillis'],
  },
  {
    name: '__del__ that makes a new object whose __del__ does the same',
    source: 'class Phoenix:\n    def __del__(self):\n        Phoenix()\nPhoenix()\n',
    expected: ['completed', ...STEPS_OR_TIME],
  },
  {
    name: 'weakref callbacks that allocate and register new callbacks',
    source: 'import weakref\nclass A:\n    pass\nrefs = []\ndef cb(r):\n    a = A()\n    refs.append(weakref.ref(a, cb))\n    refs.append([0] * 1000)\na = A()\nrefs.append(weakref.ref(a, cb))\ndel a\n',
    expected: ['budget:maxSteps', 'budget:maxObjects', 'budget:maxMillis'],
  },
  { name: 'finalizers that create finalizers', source: 'import weakref\nclass A:\n    pass\ndef make():\n    a = A()\n    weakref.finalize(a, make)\nmake()\n', expected: STEPS_OR_TIME },
  { name: 'recursion without end', source: 'def f(n):\n    return f(n + 1)\nf(0)\n', expected: ['exception:RecursionError'] },
  { name: 'a deep repr', source: 'a = []\nfor i in range(5000):\n    a = [a]\nprint(repr(a)[:10])\n', expected: ['exception:RecursionError', 'unsupported', 'exception:MemoryError'] },
];

function matches(end: SimulationEnd, expected: readonly Expected[]): boolean {
  const key = end.kind === 'budget' ? `budget:${end.budget}` : end.kind === 'exception' ? `exception:${end.exceptionType}` : end.kind;
  return expected.includes(key as Expected);
}

describe('simulator budgets: adversarial programs end within their budgets', () => {
  let parser: PythonParser;
  before(async () => {
    parser = (await loadPythonParser('native')).parser;
  });

  for (const program of ADVERSARIAL) {
    it(`${program.name} → ${program.expected.join(' or ')}`, () => {
      const started = Date.now();
      const result = simulate(program.source, parser, { targetVersion: '3.12', fileName: 'bomb.py', budgets: BUDGETS });
      const elapsed = Date.now() - started;
      assert.ok(matches(result.end, program.expected), `ended ${JSON.stringify(result.end)}`);
      if (result.end.kind === 'unsupported') assert.doesNotMatch(result.end.construct, /internal simulator error/);
      assert.ok(result.summary.steps <= BUDGETS.maxSteps + 1, 'the step count stays within the budget');
      assert.ok(result.output.reduce((sum, chunk) => sum + chunk.text.length, 0) <= BUDGETS.maxOutputChars, 'the output stays within its budget');
      // Wall time is not asserted (timed tests flake on a shared machine); it is printed for the record.
      console.log(`budget: ${program.name}: ${describeEnd(result.end)} after ${result.summary.steps.toLocaleString('en-US')} steps, ${elapsed} ms`);
    });
  }

  it('the output budget cuts the printed text at its limit and says so', () => {
    const result = simulate("while True:\n    print('y' * 999)\n", parser, { targetVersion: '3.12', fileName: 'p.py', budgets: { ...BUDGETS, maxOutputChars: 5000 } });
    assert.deepEqual(result.end, { kind: 'budget', budget: 'maxOutputChars', line: 2 });
    assert.equal(result.output.map((chunk) => chunk.text).join(''), `${'y'.repeat(999)}\n`.repeat(6).slice(0, 5000));
    assert.match(describeEnd(result.end), /output budget/);
  });

  it('an allocation JS refuses mid-program is Python\'s MemoryError, catchable like CPython\'s', () => {
    // 'x' * 2**29 is within the step budget of a large run but over V8's string length limit.
    const source = "def f():\n    try:\n        s = 'x' * 2**29 + 'x' * 2**29\n    except MemoryError:\n        print('caught')\nf()\n";
    const result = simulate(source, parser, { targetVersion: '3.12', fileName: 'm.py', budgets: { maxSteps: 100_000_000 } });
    assert.equal(result.output.map((chunk) => chunk.text).join(''), 'caught\n');
    assert.equal(result.end.kind, 'completed');
  });
});

/** Runs the built CLI with a preload that reports the process's peak RSS (the worker thread included) on exit. */
function simulateThroughCli(dir: string, source: string): { status: number | null; stdout: string; stderr: string; peakMb: number } {
  fs.writeFileSync(path.join(dir, 'bomb.py'), source);
  const result = spawnSync(process.execPath, ['-r', path.join(dir, 'rss.cjs'), GCLENS_BIN, 'simulate', 'bomb.py'], { cwd: dir, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  const peak = /maxrss (\d+)/.exec(result.stderr);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.replace(/\nmaxrss \d+\n$/, ''), peakMb: peak ? Math.round(Number(peak[1]) / 1024) : NaN };
}

describe('gclens simulate: budgets, stack and memory through the CLI (default budgets, simulation on a worker thread)', () => {
  let dir: string;
  before(() => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-budget-'));
    fs.writeFileSync(path.join(dir, 'rss.cjs'), "process.on('exit', () => require('fs').writeSync(2, `\\nmaxrss ${process.resourceUsage().maxRSS}\\n`));\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cases: readonly { name: string; source: string; run: RegExp; status: number }[] = [
    { name: 'a billion-slot list', source: 'x = [[]] * 10**9\n', run: /step budget exhausted/, status: 0 },
    { name: '2 ** 10 ** 10', source: 'n = 2 ** 10 ** 10\n', run: /step budget exhausted/, status: 0 },
    { name: 'printing forever', source: "while True:\n    print('x' * 10000)\n", run: /output budget \(10,000,000 characters\) exhausted/, status: 0 },
    { name: 'an endless loop', source: 'while True:\n    pass\n', run: /step budget exhausted/, status: 0 },
    // Traced (the summary mode), small dicts cost ~1.3 KB each: the traced object budget keeps this under the heap cap.
    { name: 'small dicts forever', source: 'a = []\nwhile True:\n    a.append({})\n', run: /(step|object|wall-time) budget exhausted/, status: 0 },
    { name: 'self-referencing instances forever', source: 'class N:\n    pass\na = []\nwhile True:\n    n = N()\n    n.x = n\n    a.append(n)\n', run: /(step|object|wall-time) budget exhausted/, status: 0 },
  ];
  for (const program of cases) {
    it(`${program.name}: a clear message, bounded memory`, () => {
      const run = simulateThroughCli(dir, program.source);
      assert.equal(run.status, program.status, run.stderr);
      assert.match(run.stdout, program.run);
      assert.doesNotMatch(run.stderr, /internal|FATAL|at .*\.js:\d+/);
      assert.ok(run.peakMb < 1024 + 256, `peak RSS ${run.peakMb} MB stays under the worker's heap cap plus the process`);
      console.log(`budget (CLI): ${program.name}: peak RSS ${run.peakMb} MB`);
    });
  }

  it('a traced run (the summary) stops at 500,000 objects, an untraced one (--raw) at 1,000,000: 600,000 ints', () => {
    const source = 'x = list(range(1000, 601000))\nprint(len(x))\n';
    const traced = simulateThroughCli(dir, source);
    assert.equal(traced.status, 0, traced.stderr);
    assert.match(traced.stdout, /run: +stopped at line 1: object budget exhausted/);
    assert.match(traced.stdout, /objects allocated: 500,001/);
    fs.writeFileSync(path.join(dir, 'ints.py'), source);
    const raw = spawnSync(process.execPath, [GCLENS_BIN, 'simulate', '--raw', 'ints.py'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(raw.stdout, '600000\n', raw.stderr);
    console.log(`budget (CLI): 600,000 ints traced: peak RSS ${traced.peakMb} MB`);
  });

  it('Python recursion reaches CPython 3.12\'s 1000 frames: the traceback\'s repeat count equals CPython\'s', () => {
    // CPython 3.12.1, `python rec.py`: "[Previous line repeated 996 more times]" (the main thread's ~1 MB stack
    // stopped the simulation near 440 frames before the CLI ran it on a worker with a larger stack).
    const run = simulateThroughCli(dir, 'def f(n):\n    return f(n + 1)\nf(0)\n');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /\[Previous line repeated 996 more times\]\nRecursionError: maximum recursion depth exceeded\n$/);
    console.log(`budget (CLI): recursion to the limit: peak RSS ${run.peakMb} MB`);
  });
});
