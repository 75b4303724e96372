// The built `gclens simulate` on temporary files: --raw against CPython, the summary, JSON, target version, bad input.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTree, removeTree, runGclens, type TreeSpec } from '../cli/cliHarness';
import { ensureBuilt } from '../support/ensureBuilt';
import { findPyenvPython, runPythonFile } from '../support/gcCorpusPython';

const roots: string[] = [];
function tree(spec: TreeSpec): string {
  const root = makeTree(spec);
  roots.push(root);
  return root;
}

before(ensureBuilt);
after(() => roots.forEach(removeTree));

/** Freed by refcounting at `del`, then a cycle only the collector frees: what every CPython 3 prints the same way. */
const LIFECYCLE = [
  'import gc',
  '',
  'class Node:',
  '    def __init__(self, name):',
  '        self.name = name',
  '        self.other = None',
  '',
  '    def __del__(self):',
  '        print("freed", self.name)',
  '',
  'a = Node("a")',
  'print("before del")',
  'del a',
  'print("after del")',
  'b = Node("b")',
  'c = Node("c")',
  'b.other = c',
  'c.other = b',
  'del b, c',
  'print("cycle dropped")',
  'print("collected", gc.collect() > 0)',
  'print("done")',
  '',
].join('\n');
const LIFECYCLE_OUTPUT = 'before del\nfreed a\nafter del\ncycle dropped\nfreed b\nfreed c\ncollected True\ndone\n';

const UNCAUGHT = 'print("start")\nraise ValueError("bad value")\n';
/** The traceback for boom.py as CPython shows the script: as typed up to 3.8, joined to the working directory from 3.9. */
const uncaughtStderr = (shown: string): string => `Traceback (most recent call last):\n  File "${shown}", line 2, in <module>\n    raise ValueError("bad value")\nValueError: bad value\n`;

interface JsonResult {
  targetVersion: string;
  output: { stream: string; text: string }[];
  exitCode: number;
  end: { kind: string; line?: number; construct?: string; budget?: string };
  events: unknown[];
  snapshots: unknown[];
  summary: { steps: number; objectsAllocated: number; leakedAtExit: string[]; cyclicGarbage: string[]; collections: number };
}

function simulateJson(args: readonly string[], cwd: string): JsonResult {
  const run = runGclens(['simulate', '--json', ...args], cwd);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  return JSON.parse(run.stdout) as JsonResult;
}

describe('gclens simulate --raw', () => {
  it('prints what CPython prints, nothing else, and exits 0', () => {
    const root = tree({ 'life.py': LIFECYCLE });
    const run = runGclens(['simulate', '--raw', 'life.py'], root);
    assert.deepEqual({ status: run.status, stdout: run.stdout, stderr: run.stderr }, { status: 0, stdout: LIFECYCLE_OUTPUT, stderr: '' });
    const python = findPyenvPython('3.12');
    if (python) assert.deepEqual(runPythonFile(python, root, 'life.py'), { raw: LIFECYCLE_OUTPUT, exitCode: 0 }, 'CPython 3.12 agrees with the expectation');
  });

  it('writes an uncaught exception\'s traceback to stderr and exits 1, naming the script as that CPython does', () => {
    const root = tree({ 'boom.py': UNCAUGHT, 'sub/keep.txt': '' });
    for (const [version, cwd, file, shown] of [
      ['3.8', root, 'boom.py', 'boom.py'],
      ['3.10', root, 'boom.py', `${root}/boom.py`],
      ['3.12', path.join(root, 'sub'), '../boom.py', `${root}/sub/../boom.py`],
      ['3.12', path.join(root, 'sub'), `${root}/boom.py`, `${root}/boom.py`],
    ]) {
      const run = runGclens(['simulate', '--raw', '--target-version', version, file], cwd);
      assert.deepEqual({ status: run.status, stdout: run.stdout, stderr: run.stderr }, { status: 1, stdout: 'start\n', stderr: uncaughtStderr(shown) }, `${version} ${file}`);
      const python = findPyenvPython(version);
      if (python) assert.deepEqual(runPythonFile(python, cwd, file), { raw: `start\n${uncaughtStderr(shown)}`, exitCode: 1 }, `CPython ${version} agrees`);
    }
  });

  it('exits with sys.exit\'s status', () => {
    const root = tree({ 'quit.py': 'import sys\nprint("bye")\nsys.exit(3)\nprint("not reached")\n' });
    const run = runGclens(['simulate', '--raw', 'quit.py'], root);
    assert.deepEqual({ status: run.status, stdout: run.stdout, stderr: run.stderr }, { status: 3, stdout: 'bye\n', stderr: '' });
  });
});

describe('gclens simulate (summary) and --json', () => {
  it('prints the program\'s output, then a GC summary agreeing with the JSON result', () => {
    const root = tree({ 'life.py': LIFECYCLE });
    const run = runGclens(['simulate', 'life.py'], root);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stdout.startsWith(`${LIFECYCLE_OUTPUT}\n── GC summary (simulated CPython 3.12) ──\n`), run.stdout);
    const result = simulateJson(['life.py'], root);
    assert.equal(result.targetVersion, '3.12');
    assert.equal(result.output.map((chunk) => chunk.text).join(''), LIFECYCLE_OUTPUT);
    assert.deepEqual(result.end, { kind: 'completed' });
    assert.match(run.stdout, /\nrun: +ran to the end; exit status 0\n/);
    assert.match(run.stdout, new RegExp(`\\ncollections: +${result.summary.collections}\\n`));
    assert.ok(result.summary.collections >= 1, 'gc.collect() ran');
    // The two Nodes of the cycle (instances keep their attributes inline on 3.12: no dicts) and nothing else.
    assert.deepEqual(result.summary.cyclicGarbage.map((label) => label.split('#')[0]), ['Node', 'Node'], JSON.stringify(result.summary));
    const listed = result.summary.cyclicGarbage;
    assert.match(run.stdout, new RegExp(`\\ncyclic garbage: ${listed.length} objects? \\(${listed.slice(0, 10).join(', ')}`));
    assert.match(run.stdout, /\nleft at exit: +none\n/);
    assert.deepEqual([result.events.length, result.snapshots.length], [0, 0], 'no trace in the JSON unless --trace');
    const traced = simulateJson(['--trace', 'life.py'], root);
    const kinds = new Set(traced.events.map((event) => (event as { kind: string }).kind));
    for (const kind of ['allocate', 'free', 'finalizer', 'collection-start', 'collection-end']) assert.ok(kinds.has(kind), `--trace records ${kind} events`);
    assert.ok(traced.snapshots.length > 0, '--trace records per-line snapshots');
    assert.deepEqual(traced.summary, result.summary);
  });

  it('names where an unsupported construct stopped the run', () => {
    const root = tree({ 'net.py': 'print("one")\nimport socket\nprint("two")\n' });
    const result = simulateJson(['net.py'], root);
    assert.equal(result.end.kind, 'unsupported');
    assert.equal(result.end.line, 2);
    assert.equal(result.output.map((chunk) => chunk.text).join(''), 'one\n');
    const run = runGclens(['simulate', 'net.py'], root);
    assert.match(run.stdout, /^one\n[\s\S]*run: +stopped at line 2: unsupported construct `[^`]+`/);
  });

  it('stops an endless loop at the step budget and says so', () => {
    const root = tree({ 'spin.py': 'n = 0\nwhile True:\n    n += 1\n' });
    const result = simulateJson(['spin.py'], root);
    // Steps or wall time, whichever runs out first on this machine: either way the run stops and says which.
    assert.equal(result.end.kind, 'budget');
    assert.ok(result.end.budget === 'maxSteps' || result.end.budget === 'maxMillis', result.end.budget);
    assert.match(runGclens(['simulate', 'spin.py'], root).stdout, /run: +stopped at line [23]: (step|wall-time) budget exhausted/);
  });

  it('reports a syntax error as CPython does: on stderr, exit 1', () => {
    const root = tree({ 'bad.py': 'print("never")\ndef f(:\n    pass\n' });
    const run = runGclens(['simulate', '--raw', 'bad.py'], root);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(`^ {2}File "${root}/bad\\.py", line 2\\n[\\s\\S]*SyntaxError: `));
    const python = findPyenvPython('3.12');
    if (python) assert.deepEqual(runPythonFile(python, root, 'bad.py'), { raw: run.stderr, exitCode: 1 }, 'CPython 3.12 agrees');
    assert.equal(simulateJson(['bad.py'], root).end.kind, 'syntax-error');
  });
});

describe('gclens simulate: target version and bad input', () => {
  it('takes the version from the flag, else [tool.gclens] or requires-python, else 3.12', () => {
    const root = tree({
      'plain/a.py': 'print(1)\n',
      'tool/pyproject.toml': '[tool.gclens]\ntarget-version = "3.8"\n',
      'tool/a.py': 'print(1)\n',
      'requires/pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.10"\n',
      'requires/pkg/a.py': 'print(1)\n',
    });
    assert.equal(simulateJson(['plain/a.py'], root).targetVersion, '3.12');
    assert.equal(simulateJson(['tool/a.py'], root).targetVersion, '3.8');
    assert.equal(simulateJson(['requires/pkg/a.py'], root).targetVersion, '3.10');
    assert.equal(simulateJson(['--target-version', '3.13', 'tool/a.py'], root).targetVersion, '3.13');
    assert.equal(simulateJson(['--target-version', '2.7', 'tool/a.py'], root).targetVersion, '2.7');
    assert.equal(simulateJson(['--target-version', 'py311', 'tool/a.py'], root).targetVersion, '3.11');
  });

  it('exits 2 with a clear message for usage errors and files it cannot read', () => {
    const root = tree({
      'a.py': 'print(1)\n',
      'b.py': 'print(2)\n',
      'blob.py': Buffer.from([0x70, 0x00, 0x01, 0x02]),
      'latin.py': Buffer.from('print("caf\xe9")\n', 'latin1'),
      'dir.py/inner.py': 'x = 1\n',
      'conf/pyproject.toml': '[tool.gclens]\ntarget-version = "4.0"\n',
      'conf/a.py': 'print(1)\n',
    });
    const cases: [string[], RegExp][] = [
      [['simulate'], /simulate: missing FILE/],
      [['simulate', 'a.py', 'b.py'], /one FILE at a time/],
      [['simulate', '--raw', '--json', 'a.py'], /--raw and --json exclude each other/],
      [['simulate', '--trace', 'a.py'], /--trace goes with --json/],
      [['simulate', '--html', 'out.html', '--json', 'a.py'], /--html excludes --json/],
      [['simulate', '--raw', '--html', 'out.html', 'a.py'], /--html excludes --raw/],
      [['simulate', 'a.py', '--html'], /--html[\s\S]*argument missing|option '--html <value>' argument missing/],
      [['simulate', 'a.py', '--html', 'no-such-dir/out.html'], /no-such-dir\/out\.html: cannot write the report: ENOENT/],
      [['simulate', '--target-version', '3.5', 'a.py'], /--target-version: expected one of 2\.7, 3\.6/],
      [['simulate', '--frobnicate', 'a.py'], /--frobnicate[\s\S]*gclens simulate --help/],
      [['simulate', 'missing.py'], /missing\.py: no such file/],
      [['simulate', 'blob.py'], /blob\.py: binary file/],
      [['simulate', 'latin.py'], /latin\.py: not valid UTF-8/],
      [['simulate', 'dir.py'], /dir\.py: not a regular file/],
      [['simulate', 'conf/a.py'], /pyproject\.toml: tool\.gclens\.target-version/],
    ];
    for (const [args, message] of cases) {
      const run = runGclens(args, root);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.equal(run.stdout, '', args.join(' '));
    }
  });

  it('prints its help, and the main help lists it', () => {
    const help = runGclens(['simulate', '--help'], process.cwd());
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: gclens simulate FILE \[--target-version X\.Y\] \[--raw \| --json \[--trace\] \| --html OUT\.html\]/);
    assert.match(help.stdout, /\n {2}--html OUT\.html +write the simulation report/);
    assert.match(runGclens(['--help'], process.cwd()).stdout, /gclens simulate FILE/);
    assert.ok(fs.existsSync(path.join(__dirname, '..', '..', 'docs', 'cli.md')));
    assert.match(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'cli.md'), 'utf8'), /^# `gclens simulate`/m);
  });
});

describe('gclens simulate --html', () => {
  it('writes one self-contained report page for the run and prints one line', () => {
    const root = tree({ 'life.py': LIFECYCLE });
    const run = runGclens(['simulate', 'life.py', '--html', 'report.html'], root);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^wrote report\.html \(simulated CPython 3\.12: ran to the end; \d+ collections?, cyclic garbage 2, left at exit 0\)\n$/);
    const html = fs.readFileSync(path.join(root, 'report.html'), 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
    const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
    assert.ok(nonce && nonce.length >= 24, 'a random nonce');
    assert.ok(html.includes(`style-src &#39;nonce-${nonce}&#39;`), 'the CSP names the same nonce');
    assert.match(html, /<g class="node object cycle unborn" data-node="Node#2"/, 'the b/c cycle is drawn highlighted');
    assert.match(html, /<g class="edge cycle" data-edge-index="\d+" data-from="Node#2" data-to="Node#3"><path/);
    assert.match(html, /"source":\{[^}]*"13":"del a"/, 'the page carries the source lines its steps point at');
    const again = runGclens(['simulate', 'life.py', '--html', 'report.html'], root);
    assert.notEqual(/<script nonce="([^"]+)">/.exec(fs.readFileSync(path.join(root, 'report.html'), 'utf8'))?.[1], nonce, 'a fresh nonce per page');
    assert.equal(again.status, 0);
  });
});
