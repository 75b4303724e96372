// In-editor, run on an installed copy of the .vsix whose native parser binaries were removed: GC Lens falls back to WebAssembly and still reports.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, openPython, revertActiveEditor, waitForDiagnostics } from './editor';

function nativeBinaries(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? nativeBinaries(full) : entry.name.endsWith('.node') ? [full] : [];
  });
}

suite('GC Lens without its native parser', () => {
  suiteTeardown(revertActiveEditor);

  test('the extension under test has no native binaries, only the wasm files', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    assert.deepEqual(nativeBinaries(path.join(extension.extensionPath, 'dist')), []);
    for (const wasm of ['tree-sitter.wasm', 'tree-sitter-python.wasm']) {
      assert.ok(fs.existsSync(path.join(extension.extensionPath, 'dist', 'wasm', wasm)), wasm);
    }
  });

  test('diagnostics and the quick fix still arrive (WebAssembly parser)', async () => {
    const editor = await openPython('quick_fix.py');
    const [diagnostic] = await waitForDiagnostics(editor.document.uri, (found) => found.length === 1, 'the mutable default');
    assert.equal(editor.document.getText(diagnostic.range), '[]');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, diagnostic.range, 'quickfix');
    assert.ok((actions ?? []).some((action) => /to None/.test(action.title)));
  });
});
