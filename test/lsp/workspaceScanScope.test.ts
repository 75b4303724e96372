// Protocol test: what the workspace scan covers (the editor's pyproject.toml lookup, ignored files) and that
// listing a large tree does not block the server.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startWorkspaceSession, type LspTestClient, type WorkspaceSession } from './lspTestClient';

const LEAKY = 'def f(x=[]):\n    return x\n';

/** Whether the last scan's progress has ended. */
function scanEnded(client: LspTestClient): boolean {
  const token = client.createdProgressTokens.at(-1);
  return token !== undefined && client.progress.some((event) => event.token === token && event.value.kind === 'end');
}

describe('language server: what the workspace scan covers', () => {
  let session: WorkspaceSession;
  let client: LspTestClient;
  const uriOf = (relative: string): string => session.uriOf(relative);

  before(async () => {
    const files = {
      'scanned.py': LEAKY,
      'open.py': LEAKY,
      'ignored/kept_out.py': LEAKY,
      'node_modules/pkg/vendored.py': LEAKY,
      '.gitignore': 'ignored/\n',
    };
    // The pyproject.toml above the workspace folder is outside the project the editor opened.
    const outside = { 'pyproject.toml': '[tool.gclens]\nignore = ["GCL001"]\n' };
    session = await startWorkspaceSession(files, { settings: { workspaceScan: true } }, outside);
    client = session.client;
  });
  after(() => session.dispose());

  it('gives open and scanned files the same settings: neither looks above the workspace folder', async () => {
    const opened = await client.open(uriOf('open.py'), LEAKY);
    assert.deepEqual(opened.map((diagnostic) => diagnostic.code), ['GCL001']);
    const scanned = await client.diagnosticsFor(uriOf('scanned.py'));
    assert.deepEqual(scanned.map((diagnostic) => diagnostic.code), ['GCL001'], 'the parent pyproject.toml ignoring GCL001 applies to neither');
  });

  it('on close, analyses from disk only the files the scan covers', async () => {
    await client.waitFor('the scan to end', () => scanEnded(client));
    for (const skipped of ['ignored/kept_out.py', 'node_modules/pkg/vendored.py']) {
      const uri = uriOf(skipped);
      assert.equal((await client.open(uri, LEAKY)).length, 1, 'an open file is analysed whatever the scan skips');
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await client.nextDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
    }
    // A covered file closed after them is analysed from disk; the skipped ones stay cleared.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf('open.py') } });
    await client.nextDiagnostics(uriOf('open.py'), (diagnostics) => diagnostics.length === 1);
    for (const skipped of ['ignored/kept_out.py', 'node_modules/pkg/vendored.py']) {
      assert.deepEqual(client.diagnostics.get(uriOf(skipped))?.diagnostics, [], `${skipped} is not analysed after its editor closes`);
    }
  });
});

describe('language server: listing a large workspace', () => {
  let session: WorkspaceSession;
  let workspace: string;
  let client: LspTestClient;

  before(async () => {
    const files: Record<string, string> = {};
    for (let directory = 0; directory < 400; directory++) {
      for (let file = 0; file < 10; file++) files[`pkg${directory % 20}/mod${directory}/m${file}.py`] = 'x = 1\n';
    }
    session = await startWorkspaceSession(files, { settings: { workspaceScan: false } });
    ({ workspace, client } = session);
  });
  after(() => session.dispose());

  it('answers requests while it lists the files', async () => {
    const uri = pathToFileURL(path.join(workspace, 'pkg0', 'mod0', 'm0.py')).href;
    await client.open(uri, LEAKY);
    const folderUri = pathToFileURL(workspace).href;
    const folderRequests = (): number => client.answeredConfigurationRequests
      .filter((request) => (request as { items: { scopeUri?: string }[] }).items.some((item) => item.scopeUri === folderUri)).length;
    const before = folderRequests();
    client.settings = { workspaceScan: true };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    // The scan asks for the folder's settings just before it lists; the request below arrives after that answer.
    await client.waitFor('the scan’s request for the folder settings to be answered', () => folderRequests() > before);
    const token = client.createdProgressTokens.at(-1);
    const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []);
    assert.ok(Array.isArray(actions));
    const reports = client.progress.filter((event) => event.token === token && event.value.kind === 'report');
    assert.deepEqual(reports, [], 'answered before the listing ended (the first file report follows it)');
    await client.waitFor('the scan to end', () => scanEnded(client), 60000);
  });
});
