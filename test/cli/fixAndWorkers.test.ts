// `gclens check --fix` rewriting files, and the worker-thread pool agreeing with an in-process run.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLEAN, ONE_FINDING, makeTree, removeTree, runGclens, runJson, type TreeSpec } from './cliHarness';
import { ensureBuilt } from '../support/ensureBuilt';

const FIXED_ONE_FINDING = ONE_FINDING.replace('bucket=[]):\n', 'bucket=None):\n    if bucket is None:\n        bucket = []\n');

const roots: string[] = [];
function tree(spec: TreeSpec): string {
  const root = makeTree(spec);
  roots.push(root);
  return root;
}
const read = (root: string, file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

before(ensureBuilt);
after(() => roots.forEach(removeTree));

describe('--fix', () => {
  it('leaves unsafe fixes alone: files untouched, findings reported, exit 1', () => {
    const root = tree({ 'a.py': ONE_FINDING });
    const run = runGclens(['check', '--fix'], root);
    assert.equal(run.status, 1);
    assert.equal(read(root, 'a.py'), ONE_FINDING);
    assert.match(run.stdout, /Found 1 finding in 1 file \(1 fixable with --fix --unsafe-fixes\)\./);
    assert.doesNotMatch(run.stdout, /Fixed/);
  });

  it('applies unsafe fixes with --unsafe-fixes, writes only changed files, reports what it did and what is left', () => {
    const root = tree({ 'a.py': ONE_FINDING, 'clean.py': CLEAN, 'left.py': 'def keep(x=[]):  # gclens: ignore\n    return x\n' });
    const old = new Date('2001-01-01T00:00:00Z');
    fs.utimesSync(path.join(root, 'clean.py'), old, old);
    const run = runGclens(['check', '--fix', '--unsafe-fixes'], root);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(read(root, 'a.py'), FIXED_ONE_FINDING);
    assert.equal(fs.statSync(path.join(root, 'clean.py')).mtime.getTime(), old.getTime());
    assert.match(run.stdout, /^Fixed 1 finding in 1 file\.$/m);
    assert.match(run.stdout, /^No findings \(3 files checked\)\.$/m);
    // Fixing again converges: nothing left to change.
    const again = runGclens(['check', '--fix', '--unsafe-fixes'], root);
    assert.equal(again.status, 0);
    assert.equal(read(root, 'a.py'), FIXED_ONE_FINDING);
  });

  it('keeps a byte-order mark and CRLF line endings', () => {
    const root = tree({ 'win.py': `\uFEFF${ONE_FINDING.replace(/\n/g, '\r\n')}` });
    assert.equal(runGclens(['check', '--fix', '--unsafe-fixes'], root).status, 0);
    const bytes = fs.readFileSync(path.join(root, 'win.py'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(bytes.toString('utf8').slice(1), FIXED_ONE_FINDING.replace(/\n/g, '\r\n'));
  });

  it('reports findings still left after fixing, with the json format too', () => {
    const root = tree({ 'a.py': ONE_FINDING, 'b.py': 'def other(y={}):  # noqa: B006\n    return y\n\n\ndef g(z=set()):\n    return z\n' });
    const { run, findings } = runJson(['--fix'], root);
    assert.equal(run.status, 1);
    assert.deepEqual(findings.map((f) => `${f.path}:${f.location.start.line}`), ['a.py:1', 'b.py:5']);
    assert.doesNotMatch(run.stderr, /Fixed/);
  });
});

/** Forty modules of different shapes: findings in various places, clean files, one with syntax errors. */
function corpus(): TreeSpec {
  const spec: Record<string, string> = {};
  for (let i = 0; i < 40; i++) {
    const body = [
      `def f${i}(a, b=[${i}], *, c={}):\n    return a, b, c\n`,
      `class K${i}:\n    def m(self, x=set()):\n        return x\n`,
      `import collections as c\n\nh${i} = lambda d=c.defaultdict(list): d\n`,
      `def ok${i}(x=None, y=(1, 2), z=frozenset()):\n    return x\n`,
      `def broken${i}(:\n    pass\n\n\ndef later(q=[]):\n    return q\n`,
    ][i % 5];
    spec[`pkg${i % 4}/mod_${String(i).padStart(2, '0')}.py`] = body;
  }
  return spec;
}

describe('the worker pool', () => {
  it('gives the same findings as in-process runs of small groups, on both parser backends', () => {
    const root = tree(corpus());
    const pooled = runJson(['--verbose'], root);
    assert.equal(pooled.run.status, 1, pooled.run.stderr);
    assert.match(pooled.run.stderr, /checked 40 files on \d+ worker threads?\n/);
    assert.doesNotMatch(pooled.run.stderr, /checked \d+\/40 files/, 'no progress line when stderr is piped');
    assert.ok(pooled.findings.length >= 30, `only ${pooled.findings.length} findings`);

    const files = Object.keys(corpus()).sort();
    const inProcess = [];
    for (let i = 0; i < files.length; i += 5) {
      const group = runJson(['--verbose', ...files.slice(i, i + 5)], root);
      assert.match(group.run.stderr, /on the main thread/);
      inProcess.push(...group.findings);
    }
    assert.deepEqual(pooled.findings, inProcess);

    const wasm = runJson([], root, { GCLENS_PARSER: 'wasm' });
    assert.deepEqual(wasm.findings, pooled.findings);
  });

  it('fixes files from the workers exactly as in-process', () => {
    const pooledRoot = tree(corpus());
    const singleRoot = tree(corpus());
    const pooled = runJson(['--fix', '--unsafe-fixes'], pooledRoot);
    // Lambda defaults have no fix (a lambda has no body to put the `None` check in): they are what is left.
    assert.equal(pooled.run.status, 1);
    assert.ok(pooled.findings.length > 0 && pooled.findings.every((f) => f.message.includes('lambda')), pooled.run.stdout);
    assert.match(pooled.run.stderr, /^Fixed \d+ findings in \d+ files\.$/m);
    const files = Object.keys(corpus()).sort();
    for (let i = 0; i < files.length; i += 5) runGclens(['check', '--fix', '--unsafe-fixes', ...files.slice(i, i + 5)], singleRoot);
    for (const file of files) assert.equal(read(pooledRoot, file), read(singleRoot, file), file);
    assert.notEqual(read(pooledRoot, files[0]), corpus()[files[0]]);
  });
});
