// The simulation service on its own, over the built worker: cache per version, superseded and cancelled runs, crash restart.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SimulationService, SimulationUnavailable, type CancellationSignal, type SimulateDocumentRequest } from '../../server/src/lsp/simulationService';
import { ensureBuilt, REPO_ROOT } from '../support/ensureBuilt';

function request(version: number, text: string, uri = 'file:///virtual/m.py'): SimulateDocumentRequest {
  return { uri, version, text, targetVersion: '3.12', fileName: 'm.py', trace: true };
}

/** A token the test cancels by hand (the shape LSP's CancellationToken has). */
function cancellation(): { token: CancellationSignal; cancel(): void } {
  const listeners: (() => void)[] = [];
  const token = {
    isCancellationRequested: false,
    onCancellationRequested(listener: () => void) {
      listeners.push(listener);
      return { dispose: () => listeners.splice(listeners.indexOf(listener), 1) };
    },
  };
  return { token, cancel: () => { token.isCancellationRequested = true; for (const l of [...listeners]) l(); } };
}

const ENDLESS = 'x = []\nwhile True:\n    x.append(1)\n    x.pop()\n';
const isUnavailable = (reason: SimulationUnavailable['reason']) => (error: unknown): boolean =>
  error instanceof SimulationUnavailable && error.reason === reason;

describe('simulation service (worker thread)', () => {
  let service: SimulationService;
  const logs: string[] = [];
  before(() => {
    ensureBuilt();
    service = new SimulationService({ workerPath: path.join(REPO_ROOT, 'dist', 'simulationWorker.js'), parser: 'native', log: (m) => logs.push(m) });
  });
  after(() => service.dispose());

  it('simulates in the worker and answers the same version from its cache', async () => {
    const first = service.simulateDocument(request(1, 'a = [1]\nb = a\n'));
    const again = service.simulateDocument(request(1, 'a = [1]\nb = a\n'));
    const [one, two] = await Promise.all([first, again]);
    assert.equal(one, two, 'one run for one version');
    assert.equal(one.end.kind, 'completed');
    assert.deepEqual(one.snapshots.find((s) => s.line === 2)?.names, { a: 'list#1', b: 'list#1' });
    assert.equal(service.starts, 1);
  });

  it('a newer version supersedes a running one: the worker is stopped and restarted for the new text', async () => {
    const stale = service.simulateDocument({ ...request(2, ENDLESS), budgets: { maxSteps: 50_000_000, maxMillis: 60_000 } });
    const fresh = await service.simulateDocument(request(3, 'y = []\n'));
    await assert.rejects(stale, isUnavailable('superseded'));
    assert.equal(fresh.end.kind, 'completed');
    assert.equal(service.starts, 2, 'the worker under the stale run was terminated');
  });

  it('cancelling the only waiter stops its run', async () => {
    const { token, cancel } = cancellation();
    const running = service.simulateDocument({ ...request(4, ENDLESS, 'file:///virtual/other.py'), budgets: { maxSteps: 50_000_000, maxMillis: 60_000 } }, token);
    setTimeout(cancel, 50);
    await assert.rejects(running, isUnavailable('cancelled'));
    const after = await service.simulateDocument(request(5, 'z = 1\n', 'file:///virtual/other.py'));
    assert.equal(after.end.kind, 'completed');
  });

  it('forget drops a document: its next simulation runs again', async () => {
    const uri = 'file:///virtual/forget.py';
    const first = await service.simulateDocument(request(1, 'q = []\n', uri));
    service.forget(uri);
    const second = await service.simulateDocument(request(1, 'q = []\n', uri));
    assert.notEqual(first, second);
    assert.deepEqual(second.snapshots, first.snapshots);
  });

  it('the same version under other options (the command beside the hover) runs beside it, neither cancels the other', async () => {
    // Found when the simulate command and the hover's pre-simulation met: the command's run was rejected as superseded.
    const uri = 'file:///virtual/both.py';
    const hover = service.simulateDocument(request(7, 'h = [1]\n', uri));
    const command = service.simulateDocument({ ...request(7, 'h = [1]\n', uri), fileName: '/abs/both.py', budgets: { maxSteps: 1000 } });
    const [fromHover, fromCommand] = await Promise.all([hover, command]);
    assert.notEqual(fromHover, fromCommand, 'two option sets, two runs');
    assert.equal(fromHover.end.kind, 'completed');
    assert.equal(fromCommand.end.kind, 'completed');
    assert.equal(await service.simulateDocument(request(7, 'h = [1]\n', uri)), fromHover, 'each stays cached');
  });

  it('forgetting a document also drops the simulations of its selections', async () => {
    const uri = 'file:///virtual/sel.py';
    const selection = `${uri}#gclens-selection=1-1`;
    const first = await service.simulateDocument(request(1, 's = []\n', selection));
    service.forget(uri);
    const second = await service.simulateDocument(request(1, 's = []\n', selection));
    assert.notEqual(first, second, 'the selection ran again after its document was forgotten');
  });

  it('a hover gets its line from the run itself, other lines by replays, all equal to the full trace', async () => {
    const uri = 'file:///virtual/lazy.py';
    const text = 'class Node:\n    pass\na = Node()\nb = Node()\na.peer = b\nfor i in range(70):\n    b.peer = [i]\ndel a\ndef never():\n    z = 1\n';
    const first = await service.lineSnapshot(request(1, text, uri), 5);
    assert.deepEqual(first.result.events, [], 'the hover\'s run records no events');
    assert.deepEqual(first.result.snapshots.map((s) => s.line), [5], 'and only the hovered line\'s snapshot');
    assert.equal(first.snapshot, first.result.snapshots[0]);
    const replayed = await service.lineSnapshot(request(1, text, uri), 7);
    assert.equal(replayed.result, first.result, 'one run serves both hovers');
    assert.equal(await service.lineSnapshot(request(1, text, uri), 7).then((again) => again.snapshot), replayed.snapshot, 'a replayed snapshot is kept');
    assert.deepEqual((await service.lineSnapshot(request(1, text, uri), 10)).snapshot, undefined, 'a line that never ran has none');
    const full = await service.simulateDocument(request(1, text, uri));
    assert.ok(full.events.length > 0, 'the full trace has events');
    assert.deepEqual(first.snapshot, full.snapshots.find((s) => s.line === 5));
    assert.deepEqual(replayed.snapshot, full.snapshots.find((s) => s.line === 7));
    assert.deepEqual([replayed.snapshot?.executions, replayed.snapshot?.snapshotExecution], [70, 64]);
    assert.equal(await service.simulateDocument(request(1, text, uri), undefined, 'summary'), full, 'once a full run exists it serves summaries too');
    assert.equal((await service.lineSnapshot(request(1, text, uri), 3)).result, full, 'and hovers');
  });

  it('a document compiled ahead (didOpen) runs from the kept module, with the answer a run compiling it gives', async () => {
    const text = 'class Node:\n    pass\na = Node()\na.peer = a\ndel a\nimport gc\nprint(gc.collect())\n';
    service.noteSettings('3.12', true);
    service.prepareAhead(text, 'm.py');
    const before = service.reusedCompilations;
    const ahead = await service.lineSnapshot(request(1, text, 'file:///virtual/ahead.py'), 4);
    assert.equal(service.reusedCompilations, before + 1, 'the run found the module compiled');
    service.noteSettings('3.12', false);
    service.prepareAhead(`${text}# not wanted\n`, 'm.py');
    const other = await service.lineSnapshot(request(1, `${text}# not wanted\n`, 'file:///virtual/not-ahead.py'), 4);
    assert.equal(service.reusedCompilations, before + 1, 'settings without simulations compile nothing ahead');
    assert.deepEqual(other.snapshot, ahead.snapshot);
    assert.deepEqual(ahead.result.output, [{ stream: 'stdout', text: '1\n' }]);
    service.noteSettings('3.12', true);
  });

  it('a summary run (GCL901/902, pre-simulation) records neither events nor snapshots', async () => {
    const summary = await service.simulateDocument(request(1, 'x = [1]\ny = x\n', 'file:///virtual/summary.py'), undefined, 'summary');
    assert.deepEqual([summary.events.length, summary.snapshots.length], [0, 0]);
    assert.deepEqual(summary.lineRuns, [{ line: 1, executions: 1 }, { line: 2, executions: 1 }]);
  });

  it('an endless loop ends at the editor budget, with the partial trace', async () => {
    const result = await service.simulateDocument({ ...request(1, ENDLESS, 'file:///virtual/endless.py'), budgets: { maxSteps: 20_000 } });
    assert.deepEqual(result.end, { kind: 'budget', budget: 'maxSteps', line: result.end.kind === 'budget' ? result.end.line : -1 });
    assert.ok(result.snapshots.some((s) => s.line === 3 && s.executions > 100));
  });

  it('a thousand-frame Python recursion reaches RecursionError in the worker, not a JS stack overflow', async () => {
    // CPython 3.12 prints 999 for this program (checked with pyenv's 3.12).
    const text = [
      'depth = 0',
      'def down(n):',
      '    global depth',
      '    depth = n',
      '    items = [n, {"n": n}]',
      '    return down(n + 1) + len(items)',
      'try:',
      '    down(1)',
      'except RecursionError:',
      '    print("RecursionError at", depth)',
      '',
    ].join('\n');
    const result = await service.simulateDocument(request(1, text, 'file:///virtual/deep.py'));
    assert.deepEqual(result.output.map((c) => c.text).join(''), 'RecursionError at 999\n');
  });
});
