// Protocol test: the server on the WebAssembly parser (chosen, or fallen back to when native cannot load) behaves like on native.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt, LspTestClient, ROOT, SERVER, textOf, type TestClientOptions } from './lspTestClient';

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

/**
 * The shipped layout minus the native packages (a platform with no prebuild): the bundle, the wasm files and
 * web-tree-sitter only, so `require('tree-sitter')` really fails.
 */
function bundleWithoutNativeParser(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-no-native-'));
  fs.copyFileSync(SERVER, path.join(dir, 'server.js'));
  fs.symlinkSync(path.join(ROOT, 'dist', 'wasm'), path.join(dir, 'wasm'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(ROOT, 'dist', 'node_modules', 'web-tree-sitter'), path.join(dir, 'node_modules', 'web-tree-sitter'));
  return dir;
}

describe('language server where the native parser cannot load', () => {
  let bundle: string;
  const clients: LspTestClient[] = [];
  before(() => {
    ensureBuilt();
    bundle = bundleWithoutNativeParser();
  });
  after(() => {
    for (const client of clients) client.kill();
    fs.rmSync(bundle, { recursive: true, force: true });
  });

  async function started(options: TestClientOptions): Promise<LspTestClient> {
    const client = new LspTestClient({ ...options, serverPath: path.join(bundle, 'server.js') });
    clients.push(client);
    await client.initialize();
    const [diagnostic] = await client.open(URI, TEXT);
    assert.equal(textOf(TEXT, diagnostic.range), '[]', 'the server works on the wasm parser');
    assert.ok(client.logMessages.some((log) => log.message.includes('parser backend wasm')), JSON.stringify(client.logMessages));
    return client;
  }

  it('falls back quietly under `auto`, saying why in the log only', async () => {
    const client = await started({ env: { GCLENS_PARSER: '' }, initializationOptions: { parser: 'auto' } });
    assert.ok(client.logMessages.some((log) => /native tree-sitter unavailable \(.*tree-sitter/.test(log.message)), JSON.stringify(client.logMessages));
    assert.deepEqual(client.shownMessages, []);
  });

  for (const [title, options, settingName] of [
    ['gclens.parser = "native"', { env: { GCLENS_PARSER: '' }, initializationOptions: { parser: 'native' } }, '`gclens.parser`'],
    ['GCLENS_PARSER=native', { env: { GCLENS_PARSER: 'native' } }, 'GCLENS_PARSER'],
  ] as const) {
    it(`tells the user when ${title} cannot be honoured, naming the setting and the error`, async () => {
      const client = await started(options);
      await client.waitFor('a warning message', () => client.shownMessages.length > 0);
      assert.equal(client.shownMessages.length, 1);
      const [shown] = client.shownMessages;
      assert.equal(shown.type, 2, 'a warning');
      assert.ok(shown.message.includes(settingName), shown.message);
      assert.match(shown.message, /Cannot find module 'tree-sitter'/);
      assert.match(shown.message, /WebAssembly parser/);
    });
  }
});
