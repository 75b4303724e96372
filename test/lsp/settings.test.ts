// Protocol test: settings from workspace/configuration layered over pyproject.toml, changes, and invalid values.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, LspTestClient } from './lspTestClient';

const SOURCE = 'def f(x=[]):\n    return x\n';

describe('language server: settings', () => {
  let workspace: string;
  let pyproject: string;
  let uri: string;
  let client: LspTestClient;

  async function configurationChanged(settings: Record<string, unknown>) {
    client.settings = settings;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  async function pyprojectChanged(text: string) {
    fs.writeFileSync(pyproject, text);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(pyproject).href, type: 2 }] });
  }

  before(async () => {
    ensureBuilt();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-settings-'));
    pyproject = path.join(workspace, 'pyproject.toml');
    fs.writeFileSync(pyproject, '[tool.gclens]\nseverity = { GCL001 = "error" }\n');
    fs.mkdirSync(path.join(workspace, 'pkg'));
    fs.writeFileSync(path.join(workspace, 'pkg', 'mod.py'), SOURCE);
    uri = pathToFileURL(path.join(workspace, 'pkg', 'mod.py')).href;
    client = new LspTestClient({ workspaceFolder: workspace });
    await client.initialize();
  });
  after(() => {
    client.kill();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('reads [tool.gclens] from the nearest pyproject.toml and asks the editor for the document’s settings', async () => {
    const [diagnostic] = await client.open(uri, SOURCE);
    assert.equal(diagnostic.severity, 1, 'error, from pyproject.toml');
    const scopes = client.configurationRequests.flatMap((request) => (request as { items: { scopeUri?: string; section?: string }[] }).items);
    assert.ok(scopes.some((item) => item.scopeUri === uri && item.section === 'gclens'), JSON.stringify(scopes));
  });

  it('lets editor settings win over pyproject.toml and re-analyses on a configuration change', async () => {
    await configurationChanged({ rules: { severity: { GCL001: 'hint' } } });
    const [diagnostic] = await client.nextDiagnostics(uri, (diagnostics) => diagnostics[0]?.severity === 4);
    assert.equal(diagnostic.code, 'GCL001');
  });

  it('drops the findings of an ignored rule and of a disabled extension', async () => {
    await configurationChanged({ rules: { ignore: ['GCL001'] } });
    assert.deepEqual(await client.nextDiagnostics(uri, (diagnostics) => diagnostics.length === 0), []);
    await configurationChanged({});
    await client.nextDiagnostics(uri, (diagnostics) => diagnostics.length === 1);
    await configurationChanged({ enable: false });
    assert.deepEqual(await client.nextDiagnostics(uri, (diagnostics) => diagnostics.length === 0), []);
  });

  it('warns about an invalid value naming its key, and keeps serving with the rest', async () => {
    await configurationChanged({ rules: { severity: { GCL001: 'loud' } }, targetVersion: '2.7' });
    await client.waitFor('a warning about the severity key', () =>
      client.shownMessages.some((message) => message.type === 2 && message.message.includes('gclens.rules.severity.GCL001')));
    await client.waitFor('a warning about the target version key', () =>
      client.shownMessages.some((message) => message.message.includes('gclens.targetVersion')));
    const [diagnostic] = await client.nextDiagnostics(uri, (diagnostics) => diagnostics.length === 1);
    assert.equal(diagnostic.severity, 1, 'the invalid editor value is ignored: pyproject.toml’s error stands');
    const wrongType = client.shownMessages.length;
    await configurationChanged({ rules: 'GCL001', workspaceScan: 'yes' });
    await client.waitFor('warnings about wrongly typed keys', () =>
      client.shownMessages.slice(wrongType).some((message) => message.message.includes('`gclens.rules`'))
      && client.shownMessages.slice(wrongType).some((message) => message.message.includes('gclens.workspaceScan')));
  });

  it('registers for configuration, pyproject.toml and Python file changes itself (the VS Code client does not watch)', async () => {
    await client.waitFor('dynamic registrations', () => client.registrations.length >= 2);
    const configuration = client.registrations.find((registration) => registration.method === 'workspace/didChangeConfiguration');
    assert.deepEqual(configuration?.registerOptions, { section: 'gclens' });
    const watched = client.registrations.find((registration) => registration.method === 'workspace/didChangeWatchedFiles');
    const globs = (watched?.registerOptions as { watchers: { globPattern: string }[] } | undefined)?.watchers.map((watcher) => watcher.globPattern);
    assert.deepEqual(globs, ['**/pyproject.toml', '**/*.{py,pyi}']);
  });

  it('re-reads pyproject.toml when the client reports it changed, and reports broken TOML without failing', async () => {
    await configurationChanged({});
    await client.nextDiagnostics(uri, (diagnostics) => diagnostics[0]?.severity === 1);
    await pyprojectChanged('[tool.gclens]\nignore = ["GCL0"]\n');
    assert.deepEqual(await client.nextDiagnostics(uri, (diagnostics) => diagnostics.length === 0), []);
    await pyprojectChanged('[tool.gclens\nignore = \n');
    await client.waitFor('a warning naming pyproject.toml', () =>
      client.shownMessages.some((message) => message.message.includes('pyproject.toml') && /invalid TOML/.test(message.message)));
    const [diagnostic] = await client.nextDiagnostics(uri, (diagnostics) => diagnostics.length === 1);
    assert.equal(diagnostic.severity, 2, 'defaults apply while the file is broken');
  });
});
