// What the editor tests load: the packed .vsix, an unpacked copy of it (optionally without native binaries), the compiled Mocha suites and the test workspace.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { ensureBuilt } from '../../support/ensureBuilt';
import { REPO_ROOT, resultsPath } from './e2eTools';
import { readZip } from './zipArchive';

/**
 * Packs the .vsix the way `npm run package` does (same script) into test-results/e2e/, from dist/ as ensureBuilt
 * leaves it (no rebuild under the feet of other tests), through a temporary name so a reader never sees half a file.
 */
export function packVsix(): string {
  ensureBuilt();
  const out = resultsPath('gclens.vsix');
  const partial = resultsPath(`gclens.${process.pid}.vsix.partial`);
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package.mjs'), '--no-build', partial], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`scripts/package.mjs failed (${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  fs.renameSync(partial, out);
  return out;
}

/** Unpacks the .vsix's `extension/` folder (what an editor installs) into `target`. */
export function unpackVsix(vsix: string, target: string): void {
  const archive = readZip(vsix);
  for (const entry of archive.entries) {
    if (!entry.name.startsWith('extension/') || entry.name.endsWith('/')) continue;
    const file = path.join(target, entry.name.slice('extension/'.length));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, archive.content(entry.name));
  }
}

/** Deletes every native module (`*.node`) under `dir`; returns what it removed. */
export function removeNativeBinaries(dir: string): string[] {
  const removed: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) removed.push(...removeNativeBinaries(full));
    else if (entry.name.endsWith('.node')) {
      fs.rmSync(full);
      removed.push(full);
    }
  }
  return removed;
}

/** Compiles the in-editor Mocha suites (TypeScript) to out/e2e-suite/, `vscode` and `mocha` left to the editor and node_modules. */
export function compileEditorSuites(): string {
  const suiteDir = path.join(REPO_ROOT, 'test', 'e2e', 'vscode', 'suite');
  const outdir = path.join(REPO_ROOT, 'out', 'e2e-suite');
  fs.rmSync(outdir, { recursive: true, force: true });
  esbuild.buildSync({
    entryPoints: fs.readdirSync(suiteDir).filter((name) => name === 'index.ts' || name.endsWith('.suite.ts')).map((name) => path.join(suiteDir, name)),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(outdir, 'index.js');
}

/**
 * A fresh workspace: the fixtures of test/e2e/fixtures/workspace, the README's examples under examples/, and
 * `.gclens-e2e/expected/<example>.json`, the CLI's findings for each example, for the editor to be compared with.
 */
export function createWorkspace(): string {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-e2e-ws-'));
  fs.cpSync(path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(workspace, 'examples'), { recursive: true });
  // The editor simulates the examples for GCL901/902 on its own (auto mode), the CLI only when told: "on" makes
  // both report them, so each example's diagnostics still equal the CLI's findings (tree_nodes.py has a GCL901).
  fs.writeFileSync(path.join(workspace, 'examples', 'pyproject.toml'), '[tool.gclens.simulation]\nfindings = "on"\n');
  const expectedDir = path.join(workspace, '.gclens-e2e', 'expected');
  fs.mkdirSync(expectedDir, { recursive: true });
  for (const example of fs.readdirSync(path.join(workspace, 'examples')).filter((name) => name.endsWith('.py'))) {
    const check = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'gclens.js'), 'check', '--format', 'json', path.join('examples', example)], { cwd: workspace, encoding: 'utf8' });
    if (check.status !== 0 && check.status !== 1) throw new Error(`gclens check ${example} failed (${check.status}): ${check.stderr}`);
    fs.writeFileSync(path.join(expectedDir, example.replace(/\.py$/, '.json')), check.stdout);
  }
  return workspace;
}
