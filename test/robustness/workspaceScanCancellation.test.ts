// The workspace scan over stdio: cancelled by its progress token or by turning it off mid-scan, it stops within a file or two and the server keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWorkspaceSession, type LspTestClient, type WorkspaceSession } from '../lsp/lspTestClient';

const FILES = 400;
/** ~250 lines with one finding: each file costs the scan a few milliseconds, so the whole scan takes a while. */
const MODULE = `def leaky(x=[]):\n    return x\n${Array.from({ length: 80 }, (_, i) => `\n\ndef helper${i}(a, b):\n    return [a, b, ${i}]\n`).join('')}`;

function scannedUris(client: LspTestClient): string[] {
  return [...client.publishCount.keys()].filter((uri) => uri.includes('/pkg/m'));
}

/** The scan's progress token once it has reported its first file. */
async function firstReport(client: LspTestClient): Promise<string | number> {
  await client.waitFor('the first progress report', () => client.progress.some((event) => event.value.kind === 'report'), 60_000);
  return client.progress.find((event) => event.value.kind === 'report')!.token;
}

async function scanEnded(client: LspTestClient, token: string | number): Promise<void> {
  await client.waitFor('the scan to end', () => client.progress.some((event) => event.token === token && event.value.kind === 'end'), 60_000);
}

/** The server analyses a newly opened document and answers a request after it: it is still serving. */
async function assertServes(client: LspTestClient, session: WorkspaceSession, name: string): Promise<void> {
  const uri = session.uriOf(name);
  await client.open(uri, 'def opened(y={}):\n    return y\n');
  await client.waitFor('diagnostics for the opened document', () => (client.diagnostics.get(uri)?.diagnostics.length ?? 0) === 1);
  const actions = await client.connection.sendRequest<unknown[] | null>('textDocument/codeAction', {
    textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }, context: { diagnostics: [] },
  });
  assert.ok(Array.isArray(actions), 'code actions are answered');
  assert.equal(client.exitCode, undefined, 'the server is still running');
}

describe('workspace scan cancellation', () => {
  let session: WorkspaceSession;
  before(async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) files[`pkg/m${i}.py`] = MODULE;
    session = await startWorkspaceSession(files, { settings: { workspaceScan: false } });
  });
  after(() => session.dispose());

  it('cancelled by its progress token (window/workDoneProgress/cancel): it ends at the next file, publishes nothing after, and the server keeps serving', async () => {
    const { client } = session;
    client.settings = { workspaceScan: true };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const token = await firstReport(client);
    await client.connection.sendNotification('window/workDoneProgress/cancel', { token });
    await scanEnded(client, token);
    const published = scannedUris(client).length;
    assert.ok(published < FILES / 2, `the scan stopped early (${published} of ${FILES} files published)`);
    await assertServes(client, session, 'open1.py');
    assert.equal(scannedUris(client).length, published, 'nothing was published after the scan ended');
  });

  it('turned off mid-scan: it ends, and every diagnostic it published is cleared', async () => {
    const { client } = session;
    client.progress.length = 0;
    client.settings = { workspaceScan: true };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const token = await firstReport(client);
    client.settings = { workspaceScan: false };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await scanEnded(client, token);
    await client.waitFor('the scan\'s diagnostics to be cleared', () => scannedUris(client).every((uri) => client.diagnostics.get(uri)?.diagnostics.length === 0), 30_000);
    const cleared = scannedUris(client).length;
    assert.ok(cleared < FILES, `the scan stopped before the end (${cleared} of ${FILES} files touched)`);
    await assertServes(client, session, 'open2.py');
  });
});
