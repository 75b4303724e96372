// Protocol test: the server on the WebAssembly parser (GCLENS_PARSER or initializationOptions) behaves like on native.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt, LspTestClient, textOf } from './lspTestClient';

const URI = 'file:///virtual/wasm.py';
const TEXT = 'def f(a="😀", b=[]):\n    return b\n';

for (const [title, options] of [
  ['GCLENS_PARSER=wasm', { env: { GCLENS_PARSER: 'wasm' } }],
  ['initializationOptions.parser = "wasm"', { env: { GCLENS_PARSER: '' }, initializationOptions: { parser: 'wasm' } }],
] as const) {
  describe(`language server on the wasm parser (${title})`, () => {
    let client: LspTestClient;
    before(async () => {
      ensureBuilt();
      client = new LspTestClient(options);
      await client.initialize();
    });
    after(() => client.kill());

    it('reports its backend and analyses and re-analyses edits', async () => {
      const [diagnostic] = await client.open(URI, TEXT);
      assert.equal(textOf(TEXT, diagnostic.range), '[]');
      assert.ok(client.logMessages.some((log) => log.message.includes('parser backend wasm')), JSON.stringify(client.logMessages));
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: URI, version: 2 },
        contentChanges: [{ range: { start: { line: 0, character: 16 }, end: { line: 0, character: 18 } }, text: '{}' }],
      });
      const edited = 'def f(a="😀", b={}):\n    return b\n';
      const diagnostics = await client.diagnosticsFor(URI, 2);
      assert.deepEqual(diagnostics.map((d) => textOf(edited, d.range)), ['{}']);
    });
  });
}
