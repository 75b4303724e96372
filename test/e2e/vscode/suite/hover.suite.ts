// In-editor: the refcount hover over a name (answered from the server's simulation worker) and GCL901 from the same run.
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, openPython, revertActiveEditor, waitForDiagnostics } from './editor';

/** Hover texts at a position, as plain text (the client escapes plain-text hovers into Markdown). */
async function hoverTexts(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return (hovers ?? [])
    .flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)))
    .map((text) => text.replace(/\\([\\`*_{}[\]()#+\-.!<>'|~])/g, '$1').replace(/&nbsp;/g, ' '));
}

suite('GC Lens refcount hover in the editor', () => {
  suiteTeardown(revertActiveEditor);

  test('hovering `a` after a.next = b; b.next = a shows refcount 2 and both holders', async () => {
    const editor = await openPython('hover_cycle.py');
    const uri = editor.document.uri;
    const [cycle] = await waitForDiagnostics(uri, (found) => found.some((d) => codeOf(d) === 'GCL901'), 'GCL901 from the simulation');
    assert.equal(codeOf(cycle), 'GCL901');
    assert.match(cycle.message, /^Simulated: Node#1, Node#2 became unreachable at line 13/);
    const line = [...Array(editor.document.lineCount).keys()].find((i) => editor.document.lineAt(i).text === 'a');
    assert.ok(line !== undefined, 'the line naming `a` alone');
    const texts = await hoverTexts(uri, new vscode.Position(line, 0));
    const ours = texts.filter((text) => text.includes('refcount'));
    assert.equal(ours.length, 1, JSON.stringify(texts));
    assert.ok(ours[0].startsWith("Node#1 refcount 2 holders: global 'a', attribute 'next' of Node#2"), ours[0]);
    assert.match(ours[0], /in a cycle with Node#2/);
    assert.match(ours[0], /sys\.getrefcount\(a\) prints 3 on Python 3\.12/);
  });
});
