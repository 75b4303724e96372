// Helpers for the in-editor suites: open workspace files, wait for GC Lens diagnostics, change settings, apply code actions.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { logLines } from '../../support/editorLogs';

export const EXTENSION_ID = 'gclens.gclens';

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with a workspace folder open');
  return folder;
}

export function workspaceUri(relative: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, relative));
}

export async function openPython(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relative));
  assert.equal(document.languageId, 'python', `${relative} opens as Python`);
  return vscode.window.showTextDocument(document);
}

export function gclensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'gclens');
}

export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Polls until the GC Lens diagnostics of `uri` satisfy `done` (diagnostics are debounced, so they come late). */
export async function waitForDiagnostics(
  uri: vscode.Uri,
  done: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const diagnostics = gclensDiagnostics(uri);
    if (done(diagnostics)) return diagnostics;
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what} in ${path.basename(uri.fsPath)}; last: ${JSON.stringify(diagnosticSummary(diagnostics))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Diagnostics as `line:col CODE` (1-based), the form the assertions compare. */
export function diagnosticSummary(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics
    .map((diagnostic) => `${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1} ${codeOf(diagnostic)}`)
    .sort();
}

export async function quickFixesAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value,
  );
  return (actions ?? []).filter((action): action is vscode.CodeAction => 'title' in action && !('command' in action && typeof action.command === 'string'));
}

export async function applyAction(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit, `"${action.title}" carries an edit`);
  assert.ok(await vscode.workspace.applyEdit(action.edit), `"${action.title}" applied`);
}

/** Sets a `gclens.*` setting for the workspace and returns a function that puts the old value back. */
export async function setWorkspaceSetting(key: string, value: unknown): Promise<() => Promise<void>> {
  const configuration = vscode.workspace.getConfiguration('gclens');
  const previous = configuration.inspect(key)?.workspaceValue;
  await configuration.update(key, value, vscode.ConfigurationTarget.Workspace);
  return async () => {
    await vscode.workspace.getConfiguration('gclens').update(key, previous, vscode.ConfigurationTarget.Workspace);
  };
}

/** Reverts an edited editor to its file on disk, so one test's edits never reach the next. */
export async function revertActiveEditor(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Polls the editor's logs (the GC Lens output channel included) until more than `already` lines match `pattern`. */
export async function waitForLogLine(pattern: RegExp, already: number, what: string, timeoutMs = 30_000): Promise<string[]> {
  const userDataDir = process.env.GCLENS_E2E_USER_DATA_DIR;
  assert.ok(userDataDir, 'GCLENS_E2E_USER_DATA_DIR names the profile the editor runs in');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = logLines(userDataDir, pattern);
    if (lines.length > already) return lines;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what} in the editor's logs`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function logLineCount(pattern: RegExp): number {
  const userDataDir = process.env.GCLENS_E2E_USER_DATA_DIR;
  return userDataDir ? logLines(userDataDir, pattern).length : 0;
}
