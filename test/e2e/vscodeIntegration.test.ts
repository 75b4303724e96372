// End to end: the Mocha suites of test/e2e/vscode/suite run inside a real VS Code through @vscode/test-electron's runTests, on desktop VS Code (downloaded) or on code-server through the shim (GCLENS_E2E_VSCODE).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runTests } from '@vscode/test-electron';
import { logLines } from './support/editorLogs';
import { compileEditorSuites, createWorkspace, packVsix, removeNativeBinaries, unpackVsix } from './support/extensionArtifacts';
import { isInstalled, REPO_ROOT, requireTools } from './support/e2eTools';
import { ensureBuilt } from '../support/ensureBuilt';

type EditorKind = 'desktop' | 'code-server';

/** GCLENS_E2E_VSCODE=desktop downloads VS Code (test-electron's default); code-server (default here) runs the shim. */
function editorKind(): EditorKind {
  const chosen = process.env.GCLENS_E2E_VSCODE;
  if (chosen === 'desktop' || chosen === 'code-server') return chosen;
  if (chosen) throw new Error(`GCLENS_E2E_VSCODE must be desktop or code-server, not ${chosen}`);
  return isInstalled('code-server') || process.env.CI ? 'code-server' : 'desktop';
}

const SHIM = path.join(__dirname, 'vscode', 'codeServerShim.cjs');
// GCLENS_E2E_ONLY=simulate,fixAll narrows the working-tree run while iterating on a suite.
const EDITOR_SUITES = (process.env.GCLENS_E2E_ONLY ?? 'diagnostics,quickFix,fixAll,settings,suppression,hover,simulate').split(',');

interface EditorRun {
  readonly extensionDevelopmentPath: string;
  readonly suites: readonly string[];
  readonly userDataDir: string;
}

function runEditorSuites(kind: EditorKind, testsPath: string, workspace: string, run: EditorRun): Promise<number> {
  return runTests({
    // Desktop: test-electron downloads VS Code stable into e2e/.vscode-test (gitignored, outside lint and tsc).
    ...(kind === 'code-server' ? { vscodeExecutablePath: SHIM } : { cachePath: path.join(REPO_ROOT, 'e2e', '.vscode-test') }),
    extensionDevelopmentPath: run.extensionDevelopmentPath,
    extensionTestsPath: testsPath,
    launchArgs: [workspace, `--user-data-dir=${run.userDataDir}`, `--extensions-dir=${path.join(run.userDataDir, '..', 'extensions')}`, '--disable-extensions'],
    // The suites read the editor's logs (the GC Lens output channel) from the profile they run in.
    extensionTestsEnv: { GCLENS_E2E_SUITES: run.suites.join(','), GCLENS_E2E_USER_DATA_DIR: run.userDataDir },
  });
}

describe(`GC Lens in VS Code (${editorKind()}, @vscode/test-electron runTests)`, () => {
  const kind = editorKind();
  let testsPath: string;
  let scratch: string;
  before(() => {
    if (kind === 'code-server') requireTools('code-server', 'chromium');
    ensureBuilt();
    testsPath = compileEditorSuites();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-e2e-vscode-'));
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('diagnostics, quick fix, fix-all, settings, suppression, hover and simulate suites pass on the working tree (native parser)', async () => {
    const workspace = createWorkspace();
    const userDataDir = path.join(scratch, 'dev', 'user-data');
    try {
      assert.equal(await runEditorSuites(kind, testsPath, workspace, { extensionDevelopmentPath: REPO_ROOT, suites: EDITOR_SUITES, userDataDir }), 0);
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
    }
    assert.deepEqual(logLines(userDataDir, /native tree-sitter unavailable/), []);
    assert.ok(logLines(userDataDir, /parser backend native/).length > 0, 'the GC Lens output channel logged the native backend');
  });

  it('the packed .vsix without its native binaries activates on a Python document, falls back to WebAssembly and still reports', async () => {
    const extension = path.join(scratch, 'unpacked', 'gclens.gclens-0.1.0');
    unpackVsix(packVsix(), extension);
    const removed = removeNativeBinaries(extension).map((file) => path.relative(extension, file));
    assert.ok(removed.includes(path.join('dist', 'node_modules', 'tree-sitter', 'prebuilds', `${process.platform}-${process.arch}`, 'tree-sitter.node')), removed.join(', '));
    // No Python file in this workspace: activation must come from opening a Python document.
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-e2e-empty-ws-'));
    const userDataDir = path.join(scratch, 'fallback', 'user-data');
    try {
      assert.equal(await runEditorSuites(kind, testsPath, workspace, { extensionDevelopmentPath: extension, suites: ['nativeFallback'], userDataDir }), 0);
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
    }
    // node-gyp-build's error spans lines, so the reason and the consequence are matched line by line.
    assert.ok(logLines(userDataDir, /native tree-sitter unavailable \(No native build was found/).length > 0, 'the fallback and its reason were logged');
    assert.ok(logLines(userDataDir, /using the WebAssembly parser/).length > 0, 'the fallback was logged');
    assert.ok(logLines(userDataDir, /parser backend wasm/).length > 0, 'the GC Lens output channel logged the wasm backend');
  });
});
