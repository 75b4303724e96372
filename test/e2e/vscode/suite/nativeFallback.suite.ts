// In-editor, on an unpacked copy of the .vsix whose native parser binaries were removed, in a workspace without Python files: GC Lens activates when a Python document opens, falls back to WebAssembly and still reports.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitForDiagnostics } from './editor';

const SOURCE = 'def add_item(item, cart=[]):\n    cart.append(item)\n    return cart\n';

function nativeBinaries(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? nativeBinaries(full) : entry.name.endsWith('.node') ? [full] : [];
  });
}

function gclens(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension;
}

suite('GC Lens without its native parser', () => {
  let document: vscode.TextDocument | undefined;
  suiteTeardown(async () => {
    // Revert before closing: an untitled document with text would ask whether to save it.
    if (document) await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the extension under test has no native binaries, only the wasm files', () => {
    const root = gclens().extensionPath;
    assert.deepEqual(nativeBinaries(path.join(root, 'dist')), []);
    for (const wasm of ['tree-sitter.wasm', 'tree-sitter-python.wasm']) assert.ok(fs.existsSync(path.join(root, 'dist', 'wasm', wasm)), wasm);
  });

  test('it is not active until a Python document opens (onLanguage:python), then it is', async () => {
    const extension = gclens();
    assert.equal(extension.isActive, false, 'no Python file in the workspace, none open');
    document = await vscode.workspace.openTextDocument({ language: 'python', content: SOURCE });
    await vscode.window.showTextDocument(document);
    const deadline = Date.now() + 30_000;
    while (!extension.isActive && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(extension.isActive, true);
  });

  test('diagnostics and the quick fix arrive for the (untitled) document on the WebAssembly parser', async () => {
    assert.ok(document, 'the previous test opened it');
    assert.equal(document.uri.scheme, 'untitled');
    const [diagnostic] = await waitForDiagnostics(document.uri, (found) => found.length === 1, 'the mutable default');
    assert.equal(document.getText(diagnostic.range), '[]');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, 'quickfix');
    assert.ok((actions ?? []).some((action) => /to None/.test(action.title)));
  });
});
