// Protocol test: the workspace scan publishes diagnostics for files that are not open, with work-done progress.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWorkspaceSession, type LspTestClient, type WorkspaceSession } from './lspTestClient';

const LEAKY = 'def f(x=[]):\n    return x\n';

describe('language server: workspace scan', () => {
  let session: WorkspaceSession;
  let workspace: string;
  let client: LspTestClient;
  const uriOf = (relative: string): string => session.uriOf(relative);

  before(async () => {
    const files: Record<string, string> = {
      'a.py': LEAKY,
      'sub/b.py': `import collections\n\ndef g(y=collections.deque()):\n    pass\n`,
      'clean.py': 'def h(z=None):\n    return z\n',
      'open.py': LEAKY,
      'ignored/c.py': LEAKY,
      'node_modules/pkg/d.py': LEAKY,
      '.venv/lib/e.py': LEAKY,
      'notes.txt': LEAKY,
      '.gitignore': 'ignored/\n',
    };
    session = await startWorkspaceSession(files, { settings: { workspaceScan: false } });
    ({ workspace, client } = session);
  });
  after(() => session.dispose());

  it('scans the Python files that are not open when the setting is turned on, reporting progress', async () => {
    assert.deepEqual(await client.open(uriOf('open.py'), 'x = 1\n'), [], 'the open version has no finding');
    client.settings = { workspaceScan: true };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const scanned = ['a.py', 'sub/b.py', 'clean.py'].map(uriOf);
    const ended = (token: string | number): boolean => client.progress.some((event) => event.token === token && event.value.kind === 'end');
    await client.waitFor('the scan to publish and end', () =>
      scanned.every((uri) => client.diagnostics.has(uri)) && client.createdProgressTokens.length > 0 && client.createdProgressTokens.every(ended));

    const events = client.progress.filter((event) => event.token === client.createdProgressTokens.at(-1));
    assert.equal(events[0].value.kind, 'begin');
    assert.match(events[0].value.title ?? '', /GC Lens/);
    assert.ok(events.some((event) => event.value.kind === 'report'), 'progress is reported per file');
    assert.equal(events.at(-1)?.value.kind, 'end');

    assert.deepEqual(client.diagnostics.get(uriOf('a.py'))?.diagnostics.map((d) => d.code), ['GCL001']);
    assert.deepEqual(client.diagnostics.get(uriOf('sub/b.py'))?.diagnostics.map((d) => d.range.start), [{ line: 2, character: 8 }]);
    assert.deepEqual(client.diagnostics.get(uriOf('clean.py'))?.diagnostics, []);
    for (const skipped of ['ignored/c.py', 'node_modules/pkg/d.py', '.venv/lib/e.py']) {
      assert.equal(client.diagnostics.has(uriOf(skipped)), false, `${skipped} is not scanned`);
    }
    assert.deepEqual(client.diagnostics.get(uriOf('open.py'))?.diagnostics, [], 'an open document keeps its own diagnostics');
  });

  it('analyses a file again from disk when its editor closes while the scan is on', async () => {
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf('open.py') } });
    const diagnostics = await client.nextDiagnostics(uriOf('open.py'), (list) => list.length === 1);
    assert.equal(diagnostics[0].code, 'GCL001');
  });

  it('follows Python files changed, deleted and created on disk', async () => {
    fs.writeFileSync(path.join(workspace, 'a.py'), 'def f(x=None):\n    return x\n');
    fs.rmSync(path.join(workspace, 'sub', 'b.py'));
    fs.writeFileSync(path.join(workspace, 'new.py'), LEAKY);
    fs.writeFileSync(path.join(workspace, 'ignored', 'new.py'), LEAKY);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uriOf('a.py'), type: 2 }, // FileChangeType: 1 created, 2 changed, 3 deleted
        { uri: uriOf('sub/b.py'), type: 3 },
        { uri: uriOf('new.py'), type: 1 },
        { uri: uriOf('ignored/new.py'), type: 1 },
      ],
    });
    await client.waitFor('a.py re-analysed, b.py cleared, new.py scanned', () =>
      client.diagnostics.get(uriOf('a.py'))?.diagnostics.length === 0
      && client.diagnostics.get(uriOf('sub/b.py'))?.diagnostics.length === 0
      && client.diagnostics.get(uriOf('new.py'))?.diagnostics.length === 1);
    assert.equal(client.diagnostics.get(uriOf('new.py'))?.diagnostics[0].code, 'GCL001');
    assert.equal(client.diagnostics.has(uriOf('ignored/new.py')), false, '.gitignore still decides what is scanned');
  });

  it('clears what it published when the scan is turned off', async () => {
    client.settings = { workspaceScan: false };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    for (const relative of ['new.py', 'open.py']) {
      await client.waitFor(`${relative} cleared`, () => client.diagnostics.get(uriOf(relative))?.diagnostics.length === 0);
    }
  });
});
