// Protocol test: what the workspace scan covers (the editor's pyproject.toml lookup, ignored files).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, LspTestClient, writeTree } from './lspTestClient';

const LEAKY = 'def f(x=[]):\n    return x\n';

describe('language server: what the workspace scan covers', () => {
  let parent: string;
  let workspace: string;
  let client: LspTestClient;
  const uriOf = (relative: string): string => pathToFileURL(path.join(workspace, relative)).href;

  before(async () => {
    ensureBuilt();
    // The pyproject.toml above the workspace folder is outside the project the editor opened.
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-scope-'));
    workspace = path.join(parent, 'ws');
    writeTree(parent, { 'pyproject.toml': '[tool.gclens]\nignore = ["GCL001"]\n' });
    writeTree(workspace, {
      'scanned.py': LEAKY,
      'open.py': LEAKY,
    });
    client = new LspTestClient({ workspaceFolder: workspace, settings: { workspaceScan: true } });
    await client.initialize();
  });
  after(() => {
    client.kill();
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it('gives open and scanned files the same settings: neither looks above the workspace folder', async () => {
    const opened = await client.open(uriOf('open.py'), LEAKY);
    assert.deepEqual(opened.map((diagnostic) => diagnostic.code), ['GCL001']);
    const scanned = await client.diagnosticsFor(uriOf('scanned.py'));
    assert.deepEqual(scanned.map((diagnostic) => diagnostic.code), ['GCL001'], 'the parent pyproject.toml ignoring GCL001 applies to neither');
  });
});
