// In-editor: "GC Lens: Simulate File" / "Simulate Selection" open the report webview and the trace as a read-only gclens-trace document.
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { logLines } from '../../support/editorLogs';
import { openPython } from './editor';

const REPORT_VIEW_TYPE = 'gclens.simulationReport';

function reportTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(REPORT_VIEW_TYPE));
}

function traceDocuments(): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((document) => document.languageId === 'gclens-trace');
}

/** Polls until `done` holds (the command returns after the panel and the trace opened, but tabs settle late). */
async function waitUntil<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const documents = vscode.workspace.textDocuments.map((document) => `${document.uri.toString()} (${document.languageId})`);
      const userDataDir = process.env.GCLENS_E2E_USER_DATA_DIR;
      const log = userDataDir ? logLines(userDataDir, /Simulat/) : [];
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; documents: ${documents.join(', ')}; log: ${log.join(' | ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function closeEverything(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

suite('Simulate File / Simulate Selection', () => {
  suiteTeardown(closeEverything);

  test('both commands are contributed', async () => {
    const commands = (await vscode.commands.getCommands(true)).filter((command) => command.startsWith('gclens.'));
    for (const command of ['gclens.simulateFile', 'gclens.simulateSelection', 'gclens.simulate']) assert.ok(commands.includes(command), `${command} in ${commands.join(', ')}`);
  });

  test('Simulate File opens the report webview and the trace as a gclens-trace document', async () => {
    await closeEverything();
    await openPython('simulate_cycle.py');
    await vscode.commands.executeCommand('gclens.simulateFile');
    const tab = await waitUntil('the report tab', () => reportTabs()[0]);
    assert.equal(tab.label, 'GC Lens: simulate_cycle.py');
    const trace = await waitUntil('the trace document', () => traceDocuments()[0]);
    assert.equal(trace.uri.scheme, 'gclens-trace', 'a read-only virtual document: nothing to save');
    assert.equal(trace.isDirty, false);
    const text = trace.getText();
    assert.match(text, /^# GC Lens trace: .*simulate_cycle\.py, simulated CPython 3\.12\n/);
    assert.match(text, /\n# cyclic garbage: Node#1, Node#2\n/);
    assert.match(text, /\nstep \d+ +line 15 +stdout +"collected 2"\n/);
    assert.ok(vscode.window.visibleTextEditors.some((editor) => editor.document === trace), 'the trace is shown');
  });

  test('Simulate Selection simulates the selected lines (dedented) and titles the report with them', async () => {
    await closeEverything();
    const editor = await openPython('simulate_cycle.py');
    editor.selection = new vscode.Selection(new vscode.Position(0, 0), new vscode.Position(11, 0));
    await vscode.commands.executeCommand('gclens.simulateSelection');
    const tab = await waitUntil('the report tab', () => reportTabs()[0]);
    assert.equal(tab.label, 'GC Lens: simulate_cycle.py (lines 1–11)');
    const trace = await waitUntil('the trace document', () => traceDocuments().find((document) => document.getText().includes('(lines 1–11)')));
    assert.match(trace.getText(), /\n# cyclic garbage: none\n/, 'no cycle yet at line 11');
    await vscode.commands.executeCommand('gclens.simulateSelection');
    await waitUntil('the second trace', () => (traceDocuments().filter((document) => document.getText().includes('(lines 1–11)')).length >= 2 ? true : undefined));
    assert.equal(reportTabs().length, 1, 'simulating the same lines again refreshes their report instead of opening another');
  });
});
