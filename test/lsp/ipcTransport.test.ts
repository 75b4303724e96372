// Protocol test over Node IPC, the transport VS Code's language client uses: the same server, the same answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyTextEdits, ensureBuilt, LspTestClient } from './lspTestClient';

const URI = 'file:///virtual/over_ipc.py';
const SOURCE = 'def remember(item, seen=[]):\n    seen.append(item)\n    return seen\n';

describe('language server over Node IPC (--node-ipc)', () => {
  let client: LspTestClient;

  before(() => {
    ensureBuilt();
    client = new LspTestClient({ transport: 'ipc' });
  });
  after(() => client.kill());

  it('initializes, publishes GCL001 and offers its quick fix', async () => {
    const result = await client.initialize();
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2 });
    const diagnostics = await client.open(URI, SOURCE);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]), [['GCL001', 0, 24, 26]]);
    const actions = await client.codeActions(URI, diagnostics[0].range, diagnostics, ['quickfix']);
    const fix = actions.find((action) => action.title === 'Default `seen` to None and create the value in the body');
    assert.ok(fix?.edit?.changes?.[URI], 'the fix comes as edits for the document');
    const fixed = applyTextEdits(SOURCE, fix.edit.changes[URI]);
    assert.equal(fixed, 'def remember(item, seen=None):\n    if seen is None:\n        seen = []\n    seen.append(item)\n    return seen\n');
  });

  it('shuts down and exits cleanly', async () => {
    await client.shutdown();
    assert.equal(client.exitCode, 0);
  });
});
