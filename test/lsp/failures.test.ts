// Protocol test: a handler that throws is logged and answered with an error, and the server keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt, LspTestClient } from './lspTestClient';

const URI = 'file:///virtual/robust.py';

function errorCode(error: unknown): number | undefined {
  return error !== null && typeof error === 'object' ? (error as { code?: number }).code : undefined;
}

describe('language server: failing handlers', () => {
  let client: LspTestClient;

  before(async () => {
    ensureBuilt();
    client = new LspTestClient({ env: { GCLENS_TEST_HOOKS: '1' } });
    await client.initialize();
    await client.open(URI, 'def f(x=[]):\n    return x\n');
  });
  after(() => client.kill());

  it('answers a throwing handler with an internal error and logs the failure', async () => {
    await assert.rejects(client.connection.sendRequest('gclens/_debugThrow', { why: 'test' }), (error: unknown) => {
      assert.equal(errorCode(error), -32603);
      assert.match(String((error as Error).message), /debug failure requested/);
      return true;
    });
    await client.waitFor('an error log', () =>
      client.logMessages.some((log) => log.type === 1 && log.message.includes('gclens/_debugThrow failed')));
  });

  it('answers malformed requests with errors instead of crashing', async () => {
    await assert.rejects(client.connection.sendRequest('textDocument/codeAction', { range: null }), (error: unknown) => errorCode(error) === -32603);
    await assert.rejects(
      client.connection.sendRequest('workspace/executeCommand', { command: 'gclens.fixAll', arguments: [42] }),
      (error: unknown) => errorCode(error) === -32602,
    );
    await assert.rejects(
      client.connection.sendRequest('workspace/executeCommand', { command: 'gclens.noSuchCommand' }),
      (error: unknown) => errorCode(error) === -32602,
    );
  });

  it('survives nonsense notifications', async () => {
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///virtual/unknown.py', version: 2 }, contentChanges: [{ text: 'x' }] });
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI } });
    await client.connection.sendNotification('textDocument/didOpen', {});
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: 'all of them' });
    // Positions past the end are clamped, as LSP asks.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 5 },
      contentChanges: [{ range: { start: { line: 99, character: 0 }, end: { line: 120, character: 3 } }, text: 'def g(y={}):\n    pass\n' }],
    });
    const diagnostics = await client.diagnosticsFor(URI, 5);
    assert.equal(diagnostics.length, 2);
  });

  it('keeps serving requests after the failures', async () => {
    const [diagnostic] = client.diagnostics.get(URI)!.diagnostics;
    const actions = await client.codeActions(URI, diagnostic.range, [diagnostic]);
    assert.ok(actions.some((action) => action.title === 'Ignore GCL001 on this line'));
    await client.shutdown();
    assert.equal(client.exitCode, 0);
  });
});

describe('language server: test hooks are off by default', () => {
  let client: LspTestClient;
  before(async () => {
    ensureBuilt();
    client = new LspTestClient({ env: { GCLENS_TEST_HOOKS: '' } });
    await client.initialize();
  });
  after(() => client.kill());

  it('does not know the debug request without GCLENS_TEST_HOOKS=1', async () => {
    await assert.rejects(client.connection.sendRequest('gclens/_debugThrow', {}), (error: unknown) => errorCode(error) === -32601);
  });
});
