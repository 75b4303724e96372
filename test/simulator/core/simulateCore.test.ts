// simulate() never throws: syntax errors, unsupported constructs, runaway programs and budgets end runs cleanly.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { simulate } from '../../../server/src/simulator/simulate';
import type { SimulateOptions, SimulationResult } from '../../../server/src/simulator/simulatorTypes';
import { loadPythonParser, parserPreferenceFromEnv } from '../../../server/src/syntax/loadParser';
import type { PythonParser } from '../../../server/src/syntax/syntaxTypes';

let parser: PythonParser;
before(async () => {
  parser = (await loadPythonParser(parserPreferenceFromEnv() ?? 'native')).parser;
});

function run(source: string, options: Partial<SimulateOptions> = {}): SimulationResult {
  return simulate(source, parser, { targetVersion: '3.12', fileName: 'prog.py', ...options });
}

function text(result: SimulationResult, stream?: 'stdout' | 'stderr'): string {
  return result.output.filter((c) => !stream || c.stream === stream).map((c) => c.text).join('');
}

describe('simulate() ends every run cleanly', () => {
  it('reports a syntax error as CPython does, with exit status 1 and nothing run', () => {
    const result = run('print("before")\ndef broken(:\n    pass\n');
    assert.equal(result.end.kind, 'syntax-error');
    assert.equal(result.exitCode, 1);
    assert.equal(text(result, 'stdout'), '');
    assert.match(text(result, 'stderr'), /^ {2}File "prog\.py", line 2\n {4}def broken\(:\n {4}\s*\^\nSyntaxError: invalid syntax\n$/);
  });

  const unsupported: [string, string, RegExp][] = [
    ['async def', 'x = 1\nasync def f():\n    pass\n', /async def/],
    ['an unknown module', 'import numpy\n', /numpy/],
    ['subclassing a builtin container', 'class L(list):\n    pass\n', /list/],
    ['multiple inheritance', 'class A: pass\nclass B: pass\nclass C(A, B): pass\n', /multiple inheritance/],
    ['match statements', 'x = 1\nmatch x:\n    case 1:\n        pass\n', /match/],
    ['open()', 'print("partial")\nopen("f")\n', /open/],
  ];
  for (const [label, source, construct] of unsupported) {
    it(`stops at ${label} with the construct and its line, keeping the output so far`, () => {
      const result = run(source);
      assert.equal(result.end.kind, 'unsupported', JSON.stringify(result.end));
      if (result.end.kind !== 'unsupported') return;
      assert.match(result.end.construct, construct);
      assert.ok(result.end.line >= 1);
      assert.doesNotMatch(result.end.construct, /internal simulator error/);
      if (source.startsWith('print')) assert.equal(text(result, 'stdout'), 'partial\n');
    });
  }

  it('turns unbounded recursion into RecursionError with a traceback', () => {
    const result = run('def f(n):\n    return f(n + 1)\nf(0)\n');
    assert.equal(result.end.kind, 'exception', JSON.stringify(result.end));
    assert.equal(result.exitCode, 1);
    assert.match(text(result, 'stderr'), /RecursionError: maximum recursion depth exceeded\n$/);
  });

  it('stops an endless loop at the step budget with the output printed so far', () => {
    const result = run('print("start")\nwhile True:\n    pass\n', { budgets: { maxSteps: 5000 } });
    assert.deepEqual(result.end, { kind: 'budget', budget: 'maxSteps', line: 3 });
    assert.equal(text(result), 'start\n');
    assert.ok(result.summary.steps >= 5000);
  });

  it('stops a program that keeps every object alive at the object budget', () => {
    const result = run('keep = []\nwhile True:\n    keep.append([])\n', { budgets: { maxObjects: 2000, maxSteps: 10_000_000 } });
    assert.equal(result.end.kind, 'budget');
    if (result.end.kind === 'budget') assert.equal(result.end.budget, 'maxObjects');
  });

  it('stops at the wall-time budget when steps are plentiful', () => {
    const result = run('while True:\n    x = [1, 2, 3]\n', { budgets: { maxMillis: 30, maxSteps: Number.MAX_SAFE_INTEGER } });
    assert.equal(result.end.kind, 'budget');
    if (result.end.kind === 'budget') assert.equal(result.end.budget, 'maxMillis');
  });

  it('survives odd input: empty text, only comments, deep nesting, stray bytes', () => {
    for (const source of ['', '# nothing\n', `x = ${'('.repeat(300)}1${')'.repeat(300)}\nprint(x)\n`, '\u0000\u0001', 'x = [' + '[1],'.repeat(2000) + ']\nprint(len(x))\n']) {
      const result = run(source);
      assert.ok(['completed', 'syntax-error', 'unsupported'].includes(result.end.kind), JSON.stringify(result.end));
      assert.doesNotMatch(JSON.stringify(result.end), /internal simulator error/);
    }
  });

  it('exits with sys.exit codes and prints uncaught exceptions after the output', () => {
    assert.equal(run('import sys\nprint("x")\nsys.exit(4)\n').exitCode, 4);
    const message = run('import sys\nsys.exit("bye")\n');
    assert.equal(message.exitCode, 1);
    assert.equal(text(message, 'stderr'), 'bye\n');
    const uncaught = run('print("out")\nraise KeyError("k")\n');
    assert.deepEqual(uncaught.output, [
      { stream: 'stdout', text: 'out\n' },
      { stream: 'stderr', text: 'Traceback (most recent call last):\n  File "prog.py", line 2, in <module>\n    raise KeyError("k")\nKeyError: \'k\'\n' },
    ]);
    assert.deepEqual(uncaught.end, { kind: 'exception', exceptionType: 'KeyError', line: 2 });
  });

  it('runs atexit handlers newest first, then weakref.finalize callbacks at exit', () => {
    const source = [
      'import atexit, weakref',
      'class R: pass',
      'r = R()',
      'weakref.finalize(r, print, "finalize r")',
      'atexit.register(print, "first registered")',
      'atexit.register(print, "second registered")',
      'print("end of module")',
    ].join('\n');
    assert.equal(text(run(source)), 'end of module\nsecond registered\nfirst registered\nfinalize r\n');
  });
});
