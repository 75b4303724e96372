// In-editor: where the refcount hover will be tested; today it asserts it is absent (the simulate commands: simulate.suite.ts).
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { openPython, revertActiveEditor, waitForDiagnostics } from './editor';

suite('GC Lens features still to come (assert today\'s behaviour; replace when they land)', () => {
  suiteTeardown(revertActiveEditor);

  test('refcount hover: not implemented, the server gives no hover on a finding', async () => {
    const editor = await openPython('quick_fix.py');
    const [diagnostic] = await waitForDiagnostics(editor.document.uri, (found) => found.length === 1, 'the finding');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, diagnostic.range.start);
    const texts = (hovers ?? []).flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)));
    assert.deepEqual(texts.filter((text) => /gclens|refcount|GCL\d/i.test(text)), []);
  });
});
