// In-editor: changing gclens.rules.ignore and gclens.rules.severity re-analyses open files at once; gclens.parser and the restart command restart the server.
import * as assert from 'node:assert/strict';
import { suite, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { logLineCount, openPython, revertActiveEditor, setWorkspaceSetting, waitForDiagnostics, waitForLogLine } from './editor';

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

  test('gclens.parser = "wasm" restarts the server on the WebAssembly parser, and the findings come back', async () => {
    const editor = await openPython('settings_target.py');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (found) => found.length === 1, 'the finding');
    const wasmStarts = logLineCount(/parser backend wasm/);
    restores.push(await setWorkspaceSetting('parser', 'wasm'));
    await waitForLogLine(/parser backend wasm/, wasmStarts, 'a server start on the wasm parser');
    await waitForDiagnostics(uri, (found) => found.length === 1, 'the finding from the restarted server');
  });

  test('GC Lens: Restart Language Server starts a new server that reports again', async () => {
    const editor = await openPython('settings_target.py');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (found) => found.length === 1, 'the finding');
    const starts = logLineCount(/parser backend/);
    await vscode.commands.executeCommand('gclens.restartServer');
    await waitForLogLine(/parser backend/, starts, 'a new server start');
    await waitForDiagnostics(uri, (found) => found.length === 1, 'the finding from the new server');
  });
});
