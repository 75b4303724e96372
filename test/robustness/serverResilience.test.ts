// The server over stdio against hostile clients: throwing handlers, cancellation, malformed JSON-RPC, nonsense requests, a disk that changes mid-scan.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { ensureBuilt, LspTestClient, startWorkspaceSession, type WorkspaceSession } from '../lsp/lspTestClient';

const LEAKY = 'def f(x=[]):\n    return x\n';

function errorCode(error: unknown): number | undefined {
  return error !== null && typeof error === 'object' ? (error as { code?: number }).code : undefined;
}

/** One framed JSON-RPC message as raw bytes (the body may be anything, valid JSON or not). */
function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}

describe('server resilience: failing and malformed requests', () => {
  let client: LspTestClient;
  const uri = 'file:///virtual/resilient.py';

  before(async () => {
    ensureBuilt();
    client = new LspTestClient({ env: { GCLENS_TEST_HOOKS: '1' } });
    await client.initialize();
    await client.open(uri, LEAKY);
  });
  after(() => client.kill());

  async function stillServing(): Promise<void> {
    const held = await client.connection.sendRequest<{ text: string } | null>('gclens/_debugDocument', { uri });
    assert.ok(held, 'the server still answers and still holds the document');
    assert.equal(client.exitCode, undefined, 'the server is still running');
  }

  it('a handler that throws, twenty times in a row, is answered with errors each time and logged', async () => {
    const answers = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => client.connection.sendRequest('gclens/_debugThrow', { i })));
    assert.ok(answers.every((answer) => answer.status === 'rejected' && errorCode(answer.reason) === -32603));
    await client.waitFor('the failures in the log', () => client.logMessages.filter((log) => log.type === 1 && log.message.includes('gclens/_debugThrow failed')).length >= 20);
    await stillServing();
  });

  it('bad JSON, a body that is not an object, a message with no method, and wrong parameter types do not kill it', async () => {
    const stdin = client.child.stdin!;
    stdin.write(frame('{"jsonrpc": "2.0", "id": 9001, "method": '));
    stdin.write(frame('[1, 2, 3]'));
    stdin.write(frame('"just a string"'));
    stdin.write(frame('{"jsonrpc": "2.0", "id": 9002}'));
    stdin.write(frame('{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": 42}'));
    stdin.write(frame('{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": 7, "text": null}}}'));
    await stillServing();
    // Wrong types are answered: an error, or the empty answer for a document that cannot exist.
    const answer = await Promise.allSettled([client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: 42 }, range: 'everywhere', context: null })]);
    assert.ok(answer[0].status === 'rejected' ? typeof errorCode(answer[0].reason) === 'number' : Array.isArray(answer[0].value) && answer[0].value.length === 0);
    await assert.rejects(client.connection.sendRequest('gclens/noSuchRequest', {}), (error: unknown) => errorCode(error) === -32601);
    await stillServing();
  });

  it('requests about documents it does not know get empty answers or errors', async () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    assert.deepEqual(await client.codeActions('file:///virtual/never-opened.py', range, []), []);
    await assert.rejects(
      client.connection.sendRequest('workspace/executeCommand', { command: 'gclens.fixAll', arguments: ['file:///virtual/never-opened.py'] }),
      (error: unknown) => errorCode(error) === -32602,
    );
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: 'file:///virtual/never-opened.py' } });
    await stillServing();
  });

  it('out-of-range positions are clamped: code actions far past the end, edits far past the end', async () => {
    const far = { start: { line: 1_000_000, character: 5 }, end: { line: 2_000_000, character: 2_000_000 } };
    assert.ok(Array.isArray(await client.codeActions(uri, far, [])));
    const negative = { start: { line: -4, character: -1 }, end: { line: 0, character: -9 } };
    assert.ok(Array.isArray(await client.codeActions(uri, negative, [])));
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 50 },
      contentChanges: [{ range: far, text: '\ndef g(y={}):\n    pass\n' }, { range: negative, text: '' }],
    });
    const diagnostics = await client.diagnosticsFor(uri, 50);
    assert.equal(diagnostics.length, 2, 'the edit past the end appended, the negative range was clamped to the start');
    const held = await client.connection.sendRequest<{ text: string }>('gclens/_debugDocument', { uri });
    assert.equal(held.text, `${LEAKY}\ndef g(y={}):\n    pass\n`);
  });

  it('shuts down cleanly after all of it', async () => {
    await client.shutdown();
    assert.equal(client.exitCode, 0);
  });
});

describe('server resilience: cancellation of a long fix-all', () => {
  let client: LspTestClient;
  const uri = 'file:///virtual/huge.py';
  // 4,000 functions that each keep their own frame: GCL305's try/finally del fix is safe, so fix-all applies it.
  const huge = `import sys\n${Array.from({ length: 4_000 }, (_, i) => `\n\ndef where${i}():\n    frame = sys._getframe()\n    return frame.f_code.co_name\n`).join('')}`;

  before(async () => {
    ensureBuilt();
    client = new LspTestClient({ env: { GCLENS_TEST_HOOKS: '1' } });
    await client.initialize();
    await client.open(uri, huge);
  });
  after(() => client.kill());

  it('a fix-all cancelled while another one runs answers RequestCancelled and edits nothing; the first one applies', async () => {
    // The first fix-all computes synchronously; the second request and its `$/cancelRequest` arrive meanwhile, so
    // the cancellation is known before the second one starts (the deterministic way to cancel a pending request).
    const command = { command: 'gclens.fixAll', arguments: [uri] };
    const first = client.connection.sendRequest<{ applied: boolean }>('workspace/executeCommand', command);
    const source = new CancellationTokenSource();
    const second = client.connection.sendRequest('workspace/executeCommand', command, source.token);
    source.cancel();
    await assert.rejects(second, (error: unknown) => errorCode(error) === -32800);
    assert.deepEqual(await first, { applied: true });
    assert.equal(client.appliedEdits.length, 1, 'only the first fix-all sent an edit');
    const held = await client.connection.sendRequest<{ text: string }>('gclens/_debugDocument', { uri });
    assert.equal(held.text, huge, 'the server\'s document changes only when the client applies the edit');
  });
});

describe('server resilience: the disk changes during a workspace scan', () => {
  let session: WorkspaceSession;
  const FILES = 150;

  before(async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) files[`pkg/m${i}.py`] = LEAKY;
    session = await startWorkspaceSession(files, { settings: { workspaceScan: false } });
  });
  after(() => session.dispose());

  it('files deleted, replaced by directories, made binary or unreadable mid-scan are skipped; the rest are scanned', async () => {
    const { client, workspace } = session;
    client.settings = { workspaceScan: true };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    // As soon as the scan reports its first file, change the disk under it.
    await client.waitFor('the first progress report', () => client.progress.some((event) => event.value.kind === 'report'));
    for (let i = FILES - 1; i >= FILES / 2; i--) {
      const file = path.join(workspace, 'pkg', `m${i}.py`);
      switch (i % 4) {
        case 0: fs.rmSync(file); break;
        case 1: fs.rmSync(file); fs.mkdirSync(file); break;
        case 2: fs.writeFileSync(file, Buffer.from([0x64, 0x65, 0x66, 0x00, 0xff])); break;
        default: fs.chmodSync(file, 0o000); break;
      }
    }
    const ended = (): boolean => client.createdProgressTokens.length > 0 && client.createdProgressTokens.every((token) => client.progress.some((event) => event.token === token && event.value.kind === 'end'));
    await client.waitFor('the scan to end', ended, 60_000);
    const published = [...client.diagnostics.keys()].filter((uri) => uri.includes('/pkg/m'));
    assert.ok(published.length >= FILES / 2 - 1, `the untouched files were scanned (${published.length} published)`);
    for (let i = 0; i < FILES / 2 - 1; i++) assert.equal(client.diagnostics.get(session.uriOf(`pkg/m${i}.py`))?.diagnostics.length, 1, `m${i}.py`);
    assert.ok(!client.logMessages.some((log) => log.type === 1 && /workspace scan failed/.test(log.message)), 'the scan did not fail as a whole');
    assert.equal(client.exitCode, undefined, 'the server is still running');
    // Untouched file permissions so the session can clean up.
    for (let i = 0; i < FILES; i++) {
      const file = path.join(workspace, 'pkg', `m${i}.py`);
      if (fs.existsSync(file)) fs.chmodSync(file, 0o755);
    }
  });
});
