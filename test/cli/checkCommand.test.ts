// The built `gclens check` on temporary trees: exit codes, the walk (.gitignore, exclude), settings, bad input.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLEAN, ONE_FINDING, findingPlaces, makeTree, removeTree, runGclens, runJson } from './cliHarness';
import { ensureBuilt } from '../support/ensureBuilt';

const roots: string[] = [];
function tree(spec: Parameters<typeof makeTree>[0]): string {
  const root = makeTree(spec);
  roots.push(root);
  return root;
}

before(ensureBuilt);
after(() => roots.forEach(removeTree));

describe('gclens commands and exit codes', () => {
  it('prints the version from package.json', () => {
    const run = runGclens(['--version'], process.cwd());
    const version = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(run.status, 0);
    assert.equal(run.stdout, `gclens ${version}\n`);
  });

  it('prints help for gclens and for check', () => {
    const main = runGclens(['--help'], process.cwd());
    assert.equal(main.status, 0);
    assert.match(main.stdout, /gclens check \[PATH\.\.\.\]/);
    const check = runGclens(['check', '--help'], process.cwd());
    assert.equal(check.status, 0);
    assert.match(check.stdout, /--format FORMAT/);
    assert.match(check.stdout, /UTF-16 code units/);
  });

  it('exits 0 on a clean tree and 1 when there are findings', () => {
    const clean = tree({ 'a.py': CLEAN });
    const cleanRun = runGclens(['check'], clean);
    assert.equal(cleanRun.status, 0, cleanRun.stderr);
    assert.equal(cleanRun.stdout, 'No findings (1 file checked).\n');
    const dirty = tree({ 'a.py': ONE_FINDING });
    const dirtyRun = runGclens(['check', '.'], dirty);
    assert.equal(dirtyRun.status, 1, dirtyRun.stderr);
  });

  it('exits 2 naming the bad flag or path', () => {
    const root = tree({ 'a.py': CLEAN });
    const cases: [string[], RegExp][] = [
      [['check', '--format', 'xml'], /--format: unknown format "xml"/],
      [['check', '--frobnicate'], /--frobnicate/],
      [['check', '--target-version', '2.7'], /--target-version: expected a Python version/],
      [['check', '--select', 'E501'], /--select: unknown rule selector "E501"/],
      [['check', '--ignore', 'GCL999'], /--ignore: unknown rule selector "GCL999"/],
      [['check', 'missing.py'], /missing\.py: no such file or directory/],
      [['check', '--config', 'nope.toml'], /--config: nope\.toml: no such file/],
      [['lint'], /unknown command "lint"/],
      [[], /missing command/],
    ];
    for (const [args, message] of cases) {
      const run = runGclens(args, root);
      assert.equal(run.status, 2, `${args.join(' ')} exited ${run.status}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.equal(run.stdout, '', args.join(' '));
    }
  });
});

describe('text output', () => {
  it('shows the finding like Ruff, its fix title and a summary', () => {
    const root = tree({ 'pkg/mod.py': ONE_FINDING });
    const run = runGclens(['check'], root);
    assert.equal(run.status, 1);
    const lines = run.stdout.split('\n');
    assert.match(lines[0], /^pkg\/mod\.py:1:28: GCL001 \[shared-state\] .*`bucket`.*shared by every call/);
    assert.ok(lines.some((line) => /^ {2}fix: .*`bucket`.* \(unsafe\)$/.test(line)), run.stdout);
    assert.ok(lines.includes('Found 1 finding in 1 file (1 fixable with --fix --unsafe-fixes).'), run.stdout);
  });
});

describe('which files are checked', () => {
  it('walks nested folders in sorted order, skipping virtualenvs, caches, VCS data and non-Python files', () => {
    const root = tree({
      'b.py': ONE_FINDING,
      'a/z.py': ONE_FINDING,
      'a/deep/er/m.py': ONE_FINDING,
      'a/types.pyi': ONE_FINDING,
      'notes.txt': ONE_FINDING,
      '.venv/lib/site.py': ONE_FINDING,
      'venv/x.py': ONE_FINDING,
      '.tox/py/x.py': ONE_FINDING,
      'node_modules/pkg/x.py': ONE_FINDING,
      '__pycache__/x.py': ONE_FINDING,
      '.git/hooks/x.py': ONE_FINDING,
    });
    const { run, findings } = runJson([], root);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingPlaces(findings), ['a/deep/er/m.py:1', 'a/types.pyi:1', 'a/z.py:1', 'b.py:1']);
  });

  it('honours .gitignore files, nested ones and re-includes, inside a git repository', () => {
    const root = tree({
      '.gitignore': 'build/\n*_gen.py\n!keep_gen.py\n',
      'build/out.py': ONE_FINDING,
      'src/api_gen.py': ONE_FINDING,
      'src/keep_gen.py': ONE_FINDING,
      'src/.gitignore': 'local.py\n',
      'src/local.py': ONE_FINDING,
      'src/main.py': ONE_FINDING,
      'other/local.py': ONE_FINDING,
    });
    fs.mkdirSync(path.join(root, '.git'));
    const { findings } = runJson([], root);
    assert.deepEqual(findingPlaces(findings), ['other/local.py:1', 'src/keep_gen.py:1', 'src/main.py:1']);
    // Checking a sub-folder still applies the repository root's .gitignore above it.
    const sub = runJson(['src'], root);
    assert.deepEqual(findingPlaces(sub.findings), ['src/keep_gen.py:1', 'src/main.py:1']);
    // A folder named explicitly is checked even when it is ignored itself, like an explicit file.
    assert.deepEqual(findingPlaces(runJson(['build'], root).findings), ['build/out.py:1']);
  });

  it('honours `exclude` from [tool.gclens], relative to the pyproject.toml', () => {
    const root = tree({
      'pyproject.toml': '[tool.gclens]\nexclude = ["generated/", "legacy_*.py"]\n',
      'generated/models.py': ONE_FINDING,
      'pkg/legacy_api.py': ONE_FINDING,
      'pkg/api.py': ONE_FINDING,
    });
    const { findings } = runJson([], root);
    assert.deepEqual(findingPlaces(findings), ['pkg/api.py:1']);
    assert.deepEqual(findingPlaces(runJson(['generated'], root).findings), ['generated/models.py:1']);
  });

  it('always checks files named on the command line, even ignored or without a .py suffix', () => {
    const root = tree({
      '.gitignore': 'ignored.py\n',
      'pyproject.toml': '[tool.gclens]\nexclude = ["excluded.py"]\n',
      'ignored.py': ONE_FINDING,
      'excluded.py': ONE_FINDING,
      'bin/tool': ONE_FINDING,
    });
    const { run, findings } = runJson(['ignored.py', 'excluded.py', 'bin/tool', 'ignored.py'], root);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingPlaces(findings), ['bin/tool:1', 'excluded.py:1', 'ignored.py:1']);
  });

  it('warns and exits 0 when there is nothing to check', () => {
    const root = tree({ 'README.md': '# nothing here\n' });
    const run = runGclens(['check'], root);
    assert.equal(run.status, 0);
    assert.match(run.stderr, /no Python files found/);
  });
});

describe('settings from pyproject.toml and flags', () => {
  it('reads [tool.gclens] of the nearest pyproject.toml; flags override it', () => {
    const root = tree({ 'pyproject.toml': '[tool.gclens]\nignore = ["GCL001"]\n', 'a.py': ONE_FINDING });
    assert.equal(runGclens(['check'], root).status, 0);
    // The nearest pyproject.toml is found from the checked path, not only from the working directory.
    assert.equal(runGclens(['check', root], path.dirname(root)).status, 0);
    // --select starts the selection afresh (the config's ignore list no longer applies), as in Ruff.
    const overridden = runJson(['--select', 'GCL001'], root);
    assert.equal(overridden.run.status, 1);
    assert.deepEqual(findingPlaces(overridden.findings), ['a.py:1']);
    assert.equal(runGclens(['check', '--select', 'GCL001', '--ignore', 'GCL0'], root).status, 0);
  });

  it('simulates for GCL901/902 only when [tool.gclens.simulation] findings = "on"', () => {
    const cycle = 'class Node:\n    pass\na = Node()\nb = Node()\na.next, b.next = b, a\ndel a, b\n';
    const quiet = tree({ 'a.py': cycle });
    assert.deepEqual(runJson([], quiet).findings, [], 'auto: the CLI does not simulate');
    const on = tree({ 'pyproject.toml': '[tool.gclens.simulation]\nfindings = "on"\n', 'a.py': cycle });
    const { run, findings } = runJson([], on);
    assert.equal(run.status, 1);
    assert.deepEqual(findings.map((f) => [f.code, f.location.start.line, f.related.map((r) => r.location.start.line)]), [['GCL901', 3, [4, 6]]]);
    assert.match(findings[0].message, /^Simulated: Node#1, Node#2 became unreachable at line 6/);
    assert.deepEqual(runJson(['--ignore', 'GCL9'], on).findings, []);
  });

  it('uses a nested project\'s own pyproject.toml for its files', () => {
    const root = tree({
      'pyproject.toml': '[tool.gclens]\n',
      'top.py': ONE_FINDING,
      'sub/pyproject.toml': '[tool.gclens]\nignore = ["GCL"]\n',
      'sub/inner.py': ONE_FINDING,
    });
    assert.deepEqual(findingPlaces(runJson([], root).findings), ['top.py:1']);
  });

  it('takes the target version from the config, the flag overriding it (the fix widens the annotation accordingly)', () => {
    const source = 'def f(items: list = []):\n    return items\n';
    const root = tree({ 'pyproject.toml': '[tool.gclens]\ntarget-version = "3.9"\n', 'a.py': source });
    const newTexts = (args: string[]): string => runJson(args, root).findings[0].fixes[0].edits.map((edit) => edit.newText).join(' ');
    assert.match(newTexts([]), /Optional\[list\]/);
    assert.match(newTexts(['--target-version', '3.12']), /list \| None/);
    assert.doesNotMatch(newTexts(['--target-version', '3.12']), /Optional/);
  });

  it('reads --config FILE instead of discovering one', () => {
    const root = tree({ 'pyproject.toml': '[tool.gclens]\n', 'conf/strict.toml': '[tool.gclens]\nignore = ["GCL001"]\n', 'a.py': ONE_FINDING });
    assert.equal(runGclens(['check'], root).status, 1);
    assert.equal(runGclens(['check', '--config', 'conf/strict.toml'], root).status, 0);
  });

  it('exits 2 on invalid configuration, naming the key', () => {
    const cases: [string, RegExp][] = [
      ['[tool.gclens]\nselect = "GCL001"\n', /pyproject\.toml: tool\.gclens\.select: `tool\.gclens\.select` must be a list of strings/],
      ['[tool.gclens]\ntarget-version = "2.7"\n', /tool\.gclens\.target-version/],
      ['[tool.gclens]\nfrobnicate = true\n', /unknown setting `tool\.gclens\.frobnicate`/],
      ['[tool.gclens\nselect = [\n', /invalid TOML/],
    ];
    for (const [config, message] of cases) {
      const root = tree({ 'pyproject.toml': config, 'a.py': ONE_FINDING });
      const run = runGclens(['check'], root);
      assert.equal(run.status, 2, config);
      assert.match(run.stderr, message, config);
      assert.equal(run.stdout, '');
    }
  });
});

describe('bad input never crashes the run', () => {
  it('reports binary, non-UTF-8, oversized and unreadable files per file and checks the rest', () => {
    const root = tree({
      'binary.py': Buffer.from([0x70, 0x72, 0x00, 0x01, 0xff]),
      'latin1.py': Buffer.from('name = "caf\xe9"\n', 'latin1'),
      'huge.py': Buffer.alloc(11 * 1024 * 1024, 0x23),
      'good.py': ONE_FINDING,
    });
    execFileSync('mkfifo', [path.join(root, 'pipe.py')]);
    const { run, findings } = runJson(['.', 'pipe.py'], root);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingPlaces(findings), ['good.py:1']);
    assert.match(run.stderr, /warning: binary\.py: binary file/);
    assert.match(run.stderr, /warning: latin1\.py: not valid UTF-8/);
    assert.match(run.stderr, /warning: huge\.py: file is 11\.0 MiB, over the 10 MiB limit/);
    assert.match(run.stderr, /warning: pipe\.py: not a regular file/);
  });

  it('analyses the valid parts of a file with syntax errors', () => {
    const root = tree({ 'broken.py': 'def broken(:\n    return (\n\n\ndef later(acc={}):\n    return acc\n' });
    const { run, findings } = runJson([], root);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findingPlaces(findings), ['broken.py:5']);
  });

  it('reads a UTF-8 byte-order mark and CRLF line endings without shifting positions', () => {
    const root = tree({ 'bom.py': `\uFEFF${ONE_FINDING.replace(/\n/g, '\r\n')}` });
    const [finding] = runJson([], root).findings;
    assert.deepEqual(finding.location.start, { line: 1, column: 28, offset: 27 });
  });
});
