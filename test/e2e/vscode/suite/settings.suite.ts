// In-editor: changing gclens.rules.ignore and gclens.rules.severity re-analyses open files at once.
import * as assert from 'node:assert/strict';
import { suite, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { openPython, revertActiveEditor, setWorkspaceSetting, waitForDiagnostics } from './editor';

suite('GC Lens settings in the editor', () => {
  const restores: (() => Promise<void>)[] = [];
  teardown(async () => {
    for (const restore of restores.splice(0).reverse()) await restore();
    await revertActiveEditor();
  });

  test('gclens.rules.ignore silences a rule, and clearing it brings the finding back', async () => {
    const editor = await openPython('settings_target.py');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (found) => found.length === 1, 'the finding with default settings');
    restores.push(await setWorkspaceSetting('rules.ignore', ['GCL001']));
    await waitForDiagnostics(uri, (found) => found.length === 0, 'no findings with GCL001 ignored');
    await restores.pop()?.();
    await waitForDiagnostics(uri, (found) => found.length === 1, 'the finding back');
  });

  test('gclens.rules.severity turns the warning into an error', async () => {
    const editor = await openPython('settings_target.py');
    const uri = editor.document.uri;
    const [warning] = await waitForDiagnostics(uri, (found) => found.length === 1, 'the finding');
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    restores.push(await setWorkspaceSetting('rules.severity', { GCL001: 'error' }));
    await waitForDiagnostics(uri, (found) => found.length === 1 && found[0].severity === vscode.DiagnosticSeverity.Error, 'an error');
  });
});
