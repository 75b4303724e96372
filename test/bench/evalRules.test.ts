// `npm run eval:rules` on a tiny temp corpus: the per-rule counts, rates, timing line and samples it prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { median, parseEvalArgs, spreadSample, stdlib313 } from '../../bench/evalRules';
import { REPO_ROOT } from '../support/ensureBuilt';

const FILES: Record<string, string> = {
  // 2 × GCL001.
  'defaults.py': 'def f(a=[], b={}):\n    return a, b\n',
  // 1 × GCL302: a module-level registry functions only add to.
  'pkg/registry.py': ['_seen = set()', '', '', 'def mark(token):', '    _seen.add(token)', ''].join('\n'),
  // 2 × GCL303: the listener container and the bound method registered on the module-level bus.
  'pkg/bus.py': [
    'class Bus:',
    '    def __init__(self):',
    '        self._listeners = []',
    '',
    '    def subscribe(self, cb):',
    '        self._listeners.append(cb)',
    '',
    '',
    'bus = Bus()',
    '',
    '',
    'class Window:',
    '    def __init__(self):',
    '        bus.subscribe(self.on_event)',
    '',
    '    def on_event(self, event):',
    '        pass',
    '',
  ].join('\n'),
};
const LINES = 2 + 5 + 17;

let corpus = '';

function run(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, ['--import', 'tsx', 'bench/evalRules.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000, env });
}

/** The `findings` and `per 10k lines` columns of a rule's row. */
function row(stdout: string, code: string): [number, string] | undefined {
  const match = new RegExp(`^${code}\\s+\\S+\\s+(\\d+)\\s+([\\d.]+)$`, 'm').exec(stdout);
  return match ? [Number(match[1]), match[2]] : undefined;
}

before(() => {
  corpus = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-eval-'));
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(corpus, name)), { recursive: true });
    fs.writeFileSync(path.join(corpus, name), text);
  }
});

after(() => fs.rmSync(corpus, { recursive: true, force: true }));

describe('npm run eval:rules', () => {
  it('prints findings per rule and per 10k lines, the CPU of all rules against GCL001 alone, and samples', () => {
    const result = run(['--corpus', corpus, '--sample', '1', '--runs', '2']);
    assert.equal(result.status, 0, String(result.stderr));
    const stdout = String(result.stdout);
    assert.match(stdout, new RegExp(`files: 3 \\(0 skipped[^)]*\\), lines: ${LINES}`));
    const rate = (count: number): string => ((count * 10000) / LINES).toFixed(2);
    assert.deepEqual(row(stdout, 'GCL001'), [2, rate(2)]);
    assert.deepEqual(row(stdout, 'GCL302'), [1, rate(1)]);
    assert.deepEqual(row(stdout, 'GCL303'), [2, rate(2)]);
    const timing = /CPU, in-process, parse \+ analysis \((native|wasm) parser\), median of 2 interleaved pass\(es\): \d+ rule\(s\) ([\d.]+) s, GCL001 only ([\d.]+) s, ratio ([\d.]+)x/.exec(stdout);
    assert.ok(timing, stdout);
    assert.ok(Number(timing[2]) > 0 && Number(timing[3]) > 0 && Number(timing[4]) > 0);
    // Every timed pass and the load average they ran under.
    assert.match(stdout, /\n {2}passes: rules [\d.]+, [\d.]+ s; GCL001 [\d.]+, [\d.]+ s; load average [\d.]+ → [\d.]+\n/);
    // One finding per rule, with file:line and the source line under it.
    assert.match(stdout, /== GCL302 grow-only-registry: 1 of 1\npkg\/registry\.py:1: `_seen` only grows[^\n]*\n {4}_seen = set\(\)/);
    assert.match(stdout, /== GCL303 strong-observer: 1 of 2\npkg\/bus\.py:3: [^\n]*\n {4}self\._listeners = \[\]/);
    assert.match(stdout, /== GCL001 mutable-default-argument: 1 of 2\ndefaults\.py:1: /);
  });

  it('--rules limits the rows to the rules named', () => {
    const result = run(['--corpus', corpus, '--rules', 'gcl302']);
    assert.equal(result.status, 0, String(result.stderr));
    const stdout = String(result.stdout);
    assert.deepEqual(row(stdout, 'GCL302'), [1, ((1 * 10000) / LINES).toFixed(2)]);
    assert.equal(row(stdout, 'GCL001'), undefined);
    assert.match(stdout, /: 1 rule\(s\) /);
  });

  it('exits 2 with a clear message when the corpus is missing', () => {
    const missing = run(['--corpus', path.join(corpus, 'nope')]);
    assert.equal(missing.status, 2);
    assert.match(String(missing.stderr), /corpus .*nope does not exist/);
    const noPyenv = run([], { ...process.env, PYENV_ROOT: path.join(corpus, 'no-pyenv') });
    assert.equal(noPyenv.status, 2);
    assert.match(String(noPyenv.stderr), /pyenv has no CPython 3\.13 .*pass --corpus DIR/);
  });

  it('parses its arguments and finds pyenv\'s 3.13 stdlib', () => {
    assert.throws(() => parseEvalArgs(['--rules', 'GCL999', '--corpus', corpus]), /unknown rule GCL999/);
    assert.throws(() => parseEvalArgs(['--sample', 'x', '--corpus', corpus]), /--sample needs a whole number/);
    assert.throws(() => parseEvalArgs(['--bogus']), /unknown option --bogus/);
    assert.throws(() => parseEvalArgs(['--runs', '0', '--corpus', corpus]), /--runs needs a whole number of timed passes/);
    assert.equal(parseEvalArgs(['--corpus', corpus]).runs, 3);
    assert.deepEqual([median([3, 1, 2]), median([4, 1, 3, 2]), median([])], [2, 2.5, Number.NaN]);
    const fake = path.join(corpus, 'pyenv');
    fs.mkdirSync(path.join(fake, 'versions', '3.13.1', 'lib', 'python3.13'), { recursive: true });
    fs.mkdirSync(path.join(fake, 'versions', '3.12.7', 'lib', 'python3.12'), { recursive: true });
    assert.equal(stdlib313({ PYENV_ROOT: fake }), path.join(fake, 'versions', '3.13.1', 'lib', 'python3.13'));
    assert.deepEqual(spreadSample([1, 2, 3, 4, 5, 6], 3), [1, 3, 5]);
  });
});
