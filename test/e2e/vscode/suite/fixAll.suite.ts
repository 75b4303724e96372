// In-editor: fix-all (command and source action) applies safe fixes only, so unsafe-only findings stay as they are.
import * as assert from 'node:assert/strict';
import { suite, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { openPython, revertActiveEditor, waitForDiagnostics } from './editor';

suite('GC Lens fix-all in the editor', () => {
  teardown(revertActiveEditor);

  test('the gclens.fixAll command leaves findings whose fixes are unsafe', async () => {
    const editor = await openPython('fix_all.py');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (found) => found.length === 2, 'two mutable defaults');
    const before = editor.document.getText();
    // Every GCL001 fix is unsafe (it changes what callers that pass None get), so there is nothing to apply.
    const result = await vscode.commands.executeCommand<{ applied: boolean }>('gclens.fixAll', uri.toString());
    assert.deepEqual(result, { applied: false });
    // Also from the command palette, where the client fills in the active document.
    await vscode.commands.executeCommand('gclens.fixAll');
    assert.equal(editor.document.getText(), before);
    assert.equal(editor.document.isDirty, false);
    await waitForDiagnostics(uri, (found) => found.length === 2, 'both findings still there');
  });

  test('source.fixAll.gclens offers no edit when only unsafe fixes exist, while quick fixes are still offered', async () => {
    const editor = await openPython('fix_all.py');
    const uri = editor.document.uri;
    const diagnostics = await waitForDiagnostics(uri, (found) => found.length === 2, 'two mutable defaults');
    const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
    const fixAll = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, whole, 'source.fixAll.gclens');
    assert.deepEqual((fixAll ?? []).map((action) => action.title), []);
    const quick = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostics[0].range, 'quickfix');
    assert.ok((quick ?? []).some((action) => /to None/.test(action.title)), JSON.stringify((quick ?? []).map((action) => action.title)));
  });
});
