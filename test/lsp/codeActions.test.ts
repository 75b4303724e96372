// Protocol test: quick fixes, "ignore on this line" and fix-all through the built server; applied edits leave no finding.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver/node';
import { applyTextEdits, editsFor, ensureBuilt, LspTestClient } from './lspTestClient';

const SOURCE = [
  'from typing import List',
  '',
  '',
  'def collect(item, bucket: List[int] = []):',
  '    """Collects items."""',
  '    bucket.append(item)',
  '    return bucket',
  '',
].join('\n');

describe('language server: code actions', () => {
  let client: LspTestClient;
  let reopened = 0;

  /** Opens `text` under a fresh URI and returns its diagnostics. */
  async function openFresh(text: string) {
    reopened++;
    return client.open(`file:///virtual/reopened${reopened}.py`, text);
  }

  before(async () => {
    ensureBuilt();
    client = new LspTestClient();
    await client.initialize();
  });
  after(() => client.kill());

  it('offers the rule fix (unsafe, so not preferred) and the ignore action for a finding', async () => {
    const uri = 'file:///virtual/collect.py';
    const [diagnostic] = await client.open(uri, SOURCE);
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    assert.deepEqual(actions.map((action) => [action.title, action.kind, action.isPreferred ?? false]), [
      ['Default `bucket` to None and create the value in the body', 'quickfix', false],
      ['Ignore GCL001 on this line', 'quickfix', false],
    ]);
    for (const action of actions) assert.deepEqual(action.diagnostics, [diagnostic], 'each action names the diagnostic it resolves');
  });

  it('applying the quick fix gives code with no finding, the sentinel after the docstring and a widened annotation', async () => {
    const uri = 'file:///virtual/collect.py';
    const [diagnostic] = client.diagnostics.get(uri)!.diagnostics;
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic], ['quickfix']);
    const fix = actions.find((action) => action.title.startsWith('Default `bucket` to None'));
    const fixed = applyTextEdits(SOURCE, editsFor(fix?.edit, uri));
    assert.match(fixed, /def collect\(item, bucket: (Optional\[List\[int\]\]|List\[int\] \| None) = None\):/);
    assert.match(fixed, /"""Collects items\."""\n {4}if bucket is None:\n {8}bucket = \[\]\n/);
    assert.deepEqual(await openFresh(fixed), []);
  });

  it('applying the ignore action silences the finding', async () => {
    const uri = 'file:///virtual/collect.py';
    const [diagnostic] = client.diagnostics.get(uri)!.diagnostics;
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const ignore = actions.find((action) => action.title === 'Ignore GCL001 on this line');
    const ignored = applyTextEdits(SOURCE, editsFor(ignore?.edit, uri));
    assert.ok(ignored.includes('= []):  # gclens: ignore[GCL001]\n'), ignored);
    assert.deepEqual(await openFresh(ignored), []);
  });

  it('offers actions for a cursor inside the finding even without context diagnostics', async () => {
    const uri = 'file:///virtual/collect.py';
    const [diagnostic] = client.diagnostics.get(uri)!.diagnostics;
    const cursor = { line: diagnostic.range.start.line, character: diagnostic.range.start.character + 1 };
    const actions = await client.codeActions(uri, { start: cursor, end: cursor }, []);
    assert.equal(actions.length, 2);
    const elsewhere = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } }, []);
    assert.deepEqual(elsewhere, []);
  });

  it('keeps unsafe fixes out of source.fixAll.gclens and out of the fix-all command', async () => {
    const uri = 'file:///virtual/collect.py';
    const whole = { start: { line: 0, character: 0 }, end: { line: 8, character: 0 } };
    for (const only of [['source.fixAll'], ['source.fixAll.gclens'], ['source']]) {
      const actions: CodeAction[] = await client.codeActions(uri, whole, [], only);
      assert.deepEqual(actions, [], `only=${only.join(',')}`);
    }
    const result = await client.connection.sendRequest('workspace/executeCommand', { command: 'gclens.fixAll', arguments: [uri] });
    assert.deepEqual(result, { applied: false });
    assert.deepEqual(client.appliedEdits, [], 'nothing was sent to workspace/applyEdit');
  });

  it('answers the fix-all command with an error for a document that is not open', async () => {
    await assert.rejects(
      client.connection.sendRequest('workspace/executeCommand', { command: 'gclens.fixAll', arguments: ['file:///virtual/never-opened.py'] }),
      /not open/,
    );
  });
});
