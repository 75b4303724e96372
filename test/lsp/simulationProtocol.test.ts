// Protocol test over stdio: GCL901/902 published after the simulation worker answers, hovers after edits (the new
// version, never a stale one), a stale run stopped, and a crashing worker or an endless loop not taking the server down.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver/node';
import { CYCLE_SNIPPET as CYCLE, FINALIZED_SNIPPET as FINALIZED } from '../support/simulationSnippets';
import { ensureBuilt, LspTestClient, messageOf } from './lspTestClient';

function hoverText(hover: Hover | null): string | undefined {
  return hover ? (hover.contents as MarkupContent).value : undefined;
}

const simulated = (diagnostics: Diagnostic[]): Diagnostic[] => diagnostics.filter((d) => d.code === 'GCL901' || d.code === 'GCL902');

describe('simulation over the protocol', () => {
  let client: LspTestClient;

  before(async () => {
    ensureBuilt();
    client = new LspTestClient({ env: { GCLENS_TEST_HOOKS: '1' }, settings: {} });
    await client.initialize();
  });
  after(() => client.kill());

  const hover = (uri: string, line: number, character: number): Promise<Hover | null> =>
    client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });

  it('publishes GCL901 with its related locations once the simulation answers', async () => {
    const uri = 'file:///virtual/cycle.py';
    await client.open(uri, CYCLE);
    const diagnostics = simulated(await client.nextDiagnostics(uri, (d) => simulated(d).length > 0));
    assert.equal(diagnostics.length, 1);
    const [finding] = diagnostics;
    assert.equal(finding.code, 'GCL901');
    assert.equal(finding.range.start.line, 3);
    assert.match(messageOf(finding), /^Simulated: Node#1, Node#2 became unreachable at line 8 but stayed alive in a reference cycle until a collection at line 9/);
    assert.deepEqual(finding.relatedInformation?.map((r) => [r.location.range.start.line, r.message]), [
      [4, 'Node#2 allocated here'],
      [7, 'last reference from outside the cycle dropped here'],
      [8, 'freed by the cyclic collection here'],
    ]);
  });

  it('publishes GCL902 for an object only a finalizer keeps alive', async () => {
    const uri = 'file:///virtual/finalized.py';
    await client.open(uri, FINALIZED);
    const diagnostics = simulated(await client.nextDiagnostics(uri, (d) => simulated(d).length > 0));
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line, d.severity]), [['GCL902', 4, 2]]);
  });

  it('drops GCL901/902 when the setting turns them off', async () => {
    const uri = 'file:///virtual/cycle.py';
    client.settings = { simulation: { findings: 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { gclens: client.settings } });
    const diagnostics = await client.nextDiagnostics(uri);
    assert.deepEqual(simulated(diagnostics), []);
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { gclens: client.settings } });
    assert.equal(simulated(await client.nextDiagnostics(uri, (d) => simulated(d).length > 0)).length, 1, 'back on in auto mode');
  });

  it('hovers the new version after an edit', async () => {
    const uri = 'file:///virtual/edit.py';
    await client.open(uri, 'class Node:\n    pass\na = Node()\n');
    assert.equal(hoverText(await hover(uri, 2, 0))?.split('\n')[0], "Node#1 refcount 1 holders: global 'a'");
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: 'b = a\na\n' }],
    });
    assert.equal(hoverText(await hover(uri, 4, 0))?.split('\n')[0], "Node#1 refcount 2 holders: global 'a', global 'b'");
    assert.equal(hoverText(await hover(uri, 2, 0))?.split('\n')[0], "Node#1 refcount 1 holders: global 'a'", 'line 3 still shows the state after it ran');
  });

  it('stops a running simulation the edit made stale and answers for the new text', async () => {
    const uri = 'file:///virtual/stale.py';
    // 10 million steps would take seconds: the edit must not wait for it.
    client.settings = { simulation: { maxSteps: 10_000_000 } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { gclens: client.settings } });
    await client.open(uri, 'total = []\nwhile True:\n    total.append(1)\n    total.pop()\n');
    const stale = hover(uri, 2, 4);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: 'total = []\nprint(total)\nx = total\n' }],
    });
    const fresh = hoverText(await hover(uri, 2, 4))?.split('\n')[0];
    assert.equal(fresh, "list#1 refcount 2 holders: global 'total', global 'x'");
    // Answered before the edit was read, or stopped by it: never the first version's loop state.
    const staleText = hoverText(await stale);
    assert.ok(staleText === undefined || staleText.split('\n')[0] === fresh, `no stale answer: ${staleText}`);
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { gclens: client.settings } });
  });

  it('gives no refcount hover when gclens.simulation.hover is off', async () => {
    const uri = 'file:///virtual/no-hover.py';
    await client.open(uri, 'x = []\n');
    assert.match(hoverText(await hover(uri, 0, 0)) ?? '', /^list#1 refcount 1/);
    client.settings = { simulation: { hover: false } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { gclens: client.settings } });
    await client.nextDiagnostics(uri);
    assert.equal(await hover(uri, 0, 0), null);
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { gclens: client.settings } });
    await client.nextDiagnostics(uri);
  });

  it('answers an endless loop within the budget, with the reason', async () => {
    const uri = 'file:///virtual/endless.py';
    await client.open(uri, 'n = 0\nwhile True:\n    n = n + 1\nafter = n\n');
    const text = hoverText(await hover(uri, 3, 0));
    assert.match(text ?? '', /^not reached: the simulation stopped at line 3: (step|time) budget exhausted$/);
  });

  it('survives a crashing worker: the hover says the simulation failed, the next simulation works', async () => {
    const crash = 'file:///virtual/crash.py';
    await client.open(crash, '# gclens-test: crash-simulation-worker\nx = []\n');
    const failed = hoverText(await hover(crash, 1, 0));
    assert.match(failed ?? '', /^simulation failed: the simulator's worker stopped \(exit code 70\)$/);
    await client.waitFor('the crash logged', () => client.logMessages.some((m) => m.type === 1 && m.message.includes('simulation worker stopped (exit code 70)')));
    const uri = 'file:///virtual/after-crash.py';
    await client.open(uri, 'x = []\ny = x\n');
    assert.equal(hoverText(await hover(uri, 1, 4))?.split('\n')[0], "list#1 refcount 2 holders: global 'x', global 'y'");
    assert.equal(client.exitCode, undefined, 'the server is still running');
  });
});
