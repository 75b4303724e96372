// The server over stdio against hostile clients: throwing handlers, cancellation, malformed JSON-RPC, nonsense requests, a disk that changes mid-scan, the simulate command's bad arguments and endless loops.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { ensureBuilt, LspTestClient, startWorkspaceSession, type WorkspaceSession } from '../lsp/lspTestClient';

const LEAKY = 'def f(x=[]):\n    return x\n';

function errorCode(error: unknown): number | undefined {
  return error !== null && typeof error === 'object' ? (error as { code?: number }).code : undefined;
}

/** One framed JSON-RPC message as raw bytes (the body may be anything, valid JSON or not). */
function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}

/** The server answers a request about `uri` (so it still holds that document) and has not exited. */
async function assertStillServing(client: LspTestClient, uri: string): Promise<void> {
  const held = await client.connection.sendRequest<{ text: string } | null>('gclens/_debugDocument', { uri });
  assert.ok(held, 'the server still answers and still holds the document');
  assert.equal(client.exitCode, undefined, 'the server is still running');
}

describe('server resilience: failing and malformed requests', () => {
  let client: LspTestClient;
  const uri = 'file:///virtual/resilient.py';

  before(async () => {
    ensureBuilt();
    client = new LspTestClient({ env: { GCLENS_TEST_HOOKS: '1' } });
    await client.initialize();
    await client.open(uri, LEAKY);
  });
  after(() => client.kill());

  const stillServing = (): Promise<void> => assertStillServing(client, uri);

  it('a handler that throws, twenty times in a row, is answered with errors each time and logged', async () => {
    const answers = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => client.connection.sendRequest('gclens/_debugThrow', { i })));
    assert.ok(answers.every((answer) => answer.status === 'rejected' && errorCode(answer.reason) === -32603));
    await client.waitFor('the failures in the log', () => client.logMessages.filter((log) => log.type === 1 && log.message.includes('gclens/_debugThrow failed')).length >= 20);
    await stillServing();
  });

  it('bad JSON, a body that is not an object, a message with no method, and wrong parameter types do not kill it', async () => {
    const stdin = client.child.stdin!;
    stdin.write(frame('{"jsonrpc": "2.0", "id": 9001, "method": '));
    stdin.write(frame('[1, 2, 3]'));
    stdin.write(frame('"just a string"'));
    stdin.write(frame('{"jsonrpc": "2.0", "id": 9002}'));
    stdin.write(frame('{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": 42}'));
    stdin.write(frame('{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": 7, "text": null}}}'));
    await stillServing();
    // Wrong types are answered: an error, or the empty answer for a document that cannot exist.
    const answer = await Promise.allSettled([client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: 42 }, range: 'everywhere', context: null })]);
    assert.ok(answer[0].status === 'rejected' ? typeof errorCode(answer[0].reason) === 'number' : Array.isArray(answer[0].value) && answer[0].value.length === 0);
    await assert.rejects(client.connection.sendRequest('gclens/noSuchRequest', {}), (error: unknown) => errorCode(error) === -32601);
    await stillServing();
  });

  it('requests about documents it does not know get empty answers or errors', async () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    assert.deepEqual(await client.codeActions('file:///virtual/never-opened.py', range, []), []);
    await assert.rejects(
      client.connection.sendRequest('workspace/executeCommand', { command: 'gclens.fixAll', arguments: ['file:///virtual/never-opened.py'] }),
      (error: unknown) => errorCode(error) === -32602,
    );
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: 'file:///virtual/never-opened.py' } });
    await stillServing();
  });

  it('out-of-range positions are clamped: code actions far past the end, edits far past the end', async () => {
    const far = { start: { line: 1_000_000, character: 5 }, end: { line: 2_000_000, character: 2_000_000 } };
    assert.ok(Array.isArray(await client.codeActions(uri, far, [])));
    const negative = { start: { line: -4, character: -1 }, end: { line: 0, character: -9 } };
    assert.ok(Array.isArray(await client.codeActions(uri, negative, [])));
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 50 },
      contentChanges: [{ range: far, text: '\ndef g(y={}):\n    pass\n' }, { range: negative, text: '' }],
    });
    const diagnostics = await client.diagnosticsFor(uri, 50);
    assert.equal(diagnostics.length, 2, 'the edit past the end appended, the negative range was clamped to the start');
    const held = await client.connection.sendRequest<{ text: string }>('gclens/_debugDocument', { uri });
    assert.equal(held.text, `${LEAKY}\ndef g(y={}):\n    pass\n`);
  });

  it('shuts down cleanly after all of it', async () => {
    await client.shutdown();
    assert.equal(client.exitCode, 0);
  });
});

describe('server resilience: cancellation of a long fix-all', () => {
  let client: LspTestClient;
  const uri = 'file:///virtual/huge.py';
  // 4,000 functions that each keep their own frame: GCL305's try/finally del fix is safe, so fix-all applies it.
  const huge = `import sys\n${Array.from({ length: 4_000 }, (_, i) => `\n\ndef where${i}():\n    frame = sys._getframe()\n    return frame.f_code.co_name\n`).join('')}`;

  before(async () => {
    ensureBuilt();
    client = new LspTestClient({ env: { GCLENS_TEST_HOOKS: '1' } });
    await client.initialize();
    await client.open(uri, huge);
  });
  after(() => client.kill());

  it('a fix-all cancelled while another one runs answers RequestCancelled and edits nothing; the first one applies', async () => {
    // The first fix-all computes synchronously; the second request and its `$/cancelRequest` arrive meanwhile, so
    // the cancellation is known before the second one starts (the deterministic way to cancel a pending request).
    const command = { command: 'gclens.fixAll', arguments: [uri] };
    const first = client.connection.sendRequest<{ applied: boolean }>('workspace/executeCommand', command);
    const source = new CancellationTokenSource();
    const second = client.connection.sendRequest('workspace/executeCommand', command, source.token);
    source.cancel();
    await assert.rejects(second, (error: unknown) => errorCode(error) === -32800);
    assert.deepEqual(await first, { applied: true });
    assert.equal(client.appliedEdits.length, 1, 'only the first fix-all sent an edit');
    const held = await client.connection.sendRequest<{ text: string }>('gclens/_debugDocument', { uri });
    assert.equal(held.text, huge, 'the server\'s document changes only when the client applies the edit');
  });

  it('a running fix-all is cancelled between its steps: RequestCancelled before its remaining steps run, no edit, the document untouched', async () => {
    const reportsOf = (token: string): string[] => client.progress.filter((event) => event.token === token && event.value.kind === 'report').map((event) => event.value.message ?? '');
    const editsBefore = client.appliedEdits.length;
    // The whole run, for its steps: parse, analyse and apply per round (4,000 fixes in round 1, none left in round 2).
    assert.deepEqual(await client.connection.sendRequest('workspace/executeCommand', { command: 'gclens.fixAll', arguments: [uri], workDoneToken: 'fix-all-whole' }), { applied: true });
    const whole = reportsOf('fix-all-whole');
    assert.deepEqual(whole, ['round 1: parsed', 'round 1: analysed', 'round 1: fixes applied', 'round 2: parsed', 'round 2: analysed']);
    // The same run, cancelled once it has reported its first step (the analysis of 4,000 functions then runs for a
    // second or more, long after the `$/cancelRequest` has arrived): it stops at the next step.
    const source = new CancellationTokenSource();
    const cancelled = client.connection.sendRequest('workspace/executeCommand', { command: 'gclens.fixAll', arguments: [uri], workDoneToken: 'fix-all-cancelled' }, source.token);
    await client.waitFor('the first step of the fix-all', () => reportsOf('fix-all-cancelled').length > 0, 30_000);
    source.cancel();
    await assert.rejects(cancelled, (error: unknown) => errorCode(error) === -32800);
    const done = reportsOf('fix-all-cancelled');
    assert.ok(done.length <= 2 && done.length < whole.length, `it stopped between steps (${done.join(', ')})`);
    assert.ok(client.progress.some((event) => event.token === 'fix-all-cancelled' && event.value.kind === 'end'), 'its progress ended');
    assert.equal(client.appliedEdits.length, editsBefore + 1, 'only the whole run sent an edit');
    const held = await client.connection.sendRequest<{ text: string }>('gclens/_debugDocument', { uri });
    assert.equal(held.text, huge, 'the document is untouched');
  });

  it('the fix-all source action (editor.codeActionsOnSave) is cancellable between its steps too', async () => {
    const reports = (): number => client.progress.filter((event) => event.token === 'fix-all-action' && event.value.kind === 'report').length;
    const source = new CancellationTokenSource();
    const params = {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.gclens'] }, workDoneToken: 'fix-all-action',
    };
    const cancelled = client.connection.sendRequest('textDocument/codeAction', params, source.token);
    await client.waitFor('the first step of the fix-all action', () => reports() > 0, 30_000);
    source.cancel();
    await assert.rejects(cancelled, (error: unknown) => errorCode(error) === -32800);
    assert.ok(reports() <= 2, `it stopped between steps (${reports()} of 5 reported)`);
  });

  it('a fix-all whose document is edited while it runs answers ContentModified and sends no edit (it was computed for the old text)', async () => {
    const editsBefore = client.appliedEdits.length;
    const running = client.connection.sendRequest('workspace/executeCommand', { command: 'gclens.fixAll', arguments: [uri], workDoneToken: 'fix-all-edited' });
    await client.waitFor('the first step of the fix-all', () => client.progress.some((event) => event.token === 'fix-all-edited' && event.value.kind === 'report'), 30_000);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }],
    });
    await assert.rejects(running, (error: unknown) => errorCode(error) === -32801);
    assert.equal(client.appliedEdits.length, editsBefore, 'no edit was sent');
    const held = await client.connection.sendRequest<{ text: string; version: number }>('gclens/_debugDocument', { uri });
    assert.deepEqual([held.text, held.version], [`# edited\n${huge}`, 2]);
  });
});

describe('server resilience: the disk changes during a workspace scan', () => {
  let session: WorkspaceSession;
  const FILES = 150;

  before(async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) files[`pkg/m${i}.py`] = LEAKY;
    session = await startWorkspaceSession(files, { settings: { workspaceScan: false } });
  });
  after(() => session.dispose());

  it('files deleted, replaced by directories, made binary, unreadable or grown past 10 MB mid-scan are skipped; the rest are scanned', async () => {
    const { client, workspace } = session;
    client.settings = { workspaceScan: true };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    // As soon as the scan reports its first file, change the disk under it.
    await client.waitFor('the first progress report', () => client.progress.some((event) => event.value.kind === 'report'));
    for (let i = FILES - 1; i >= FILES / 2; i--) {
      const file = path.join(workspace, 'pkg', `m${i}.py`);
      switch (i % 5) {
        case 0: fs.rmSync(file); break;
        case 1: fs.rmSync(file); fs.mkdirSync(file); break;
        case 2: fs.writeFileSync(file, Buffer.from([0x64, 0x65, 0x66, 0x00, 0xff])); break;
        case 3: fs.truncateSync(file, 11 * 1024 * 1024); break; // grown past the 10 MiB limit (sparse: cheap on disk)
        default: fs.chmodSync(file, 0o000); break;
      }
    }
    const ended = (): boolean => client.createdProgressTokens.length > 0 && client.createdProgressTokens.every((token) => client.progress.some((event) => event.token === token && event.value.kind === 'end'));
    await client.waitFor('the scan to end', ended, 60_000);
    const published = [...client.diagnostics.keys()].filter((uri) => uri.includes('/pkg/m'));
    assert.ok(published.length >= FILES / 2 - 1, `the untouched files were scanned (${published.length} published)`);
    for (let i = 0; i < FILES / 2 - 1; i++) assert.equal(client.diagnostics.get(session.uriOf(`pkg/m${i}.py`))?.diagnostics.length, 1, `m${i}.py`);
    assert.ok(!client.logMessages.some((log) => log.type === 1 && /workspace scan failed/.test(log.message)), 'the scan did not fail as a whole');
    assert.equal(client.exitCode, undefined, 'the server is still running');
    // Untouched file permissions so the session can clean up.
    for (let i = 0; i < FILES; i++) {
      const file = path.join(workspace, 'pkg', `m${i}.py`);
      if (fs.existsSync(file)) fs.chmodSync(file, 0o755);
    }
  });
});

describe('server resilience: the simulate command against bad arguments, endless loops and cancellation', () => {
  let client: LspTestClient;
  const uri = 'file:///virtual/simulated.py';
  const loopUri = 'file:///virtual/endless.py';
  const otherUri = 'file:///virtual/other.py';
  const ENDLESS = 'items = []\nwhile True:\n    items.append([items])\n    items = items[-1:]\n';
  const simulateCommand = (argument: unknown, token?: CancellationTokenSource['token']): Promise<SimulateAnswer> => {
    const params = { command: 'gclens.simulate', arguments: argument === undefined ? undefined : [argument] };
    // Only a real token: an `undefined` third argument would send the parameters by position.
    return token ? client.connection.sendRequest<SimulateAnswer>('workspace/executeCommand', params, token) : client.connection.sendRequest<SimulateAnswer>('workspace/executeCommand', params);
  };

  interface SimulateAnswer {
    readonly end: { readonly kind: string; readonly budget?: string };
    readonly html: string;
    readonly traceText: string;
  }

  before(async () => {
    ensureBuilt();
    // The native parser: its worker-termination crash (fixed by giving the worker the wasm parser) is covered here too.
    client = new LspTestClient({ env: { GCLENS_TEST_HOOKS: '1', GCLENS_PARSER: 'native' } });
    await client.initialize();
    await client.open(uri, 'class Node:\n    pass\n\na = Node()\na.me = a\ndel a\n');
    await client.open(loopUri, ENDLESS);
  });
  after(() => client.kill());

  const stillServing = (): Promise<void> => assertStillServing(client, uri);

  it('malformed arguments and unknown documents are answered with InvalidParams, and the server keeps serving', async () => {
    const malformed: unknown[] = [
      undefined, null, 42, 'file:///virtual/simulated.py', {}, { uri: 7 }, { uri: '' }, { uri, range: 'everything' },
      { uri, range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } } },
      { uri, range: { start: { line: 0, character: 0.5 }, end: { line: 1, character: 0 } } },
      { uri, nonce: 'short' }, { uri, nonce: '"><script>alert(1)</script>AAAAAAAA' },
      { uri, cspSource: "'self'; script-src *" }, { uri, cspSource: 42 },
      { uri: 'file:///virtual/never-opened-and-not-on-disk.py' }, { uri: 'untitled:Untitled-1' },
    ];
    for (const argument of malformed) {
      await assert.rejects(simulateCommand(argument), (error: unknown) => errorCode(error) === -32602, `argument ${JSON.stringify(argument)}`);
    }
    await stillServing();
  });

  it('a range beyond the end is clamped to the last line (an empty program that runs to the end), not an error', async () => {
    const answer = await simulateCommand({ uri, range: { start: { line: 1_000, character: 0 }, end: { line: 2_000_000, character: 7 } } });
    assert.equal(answer.end.kind, 'completed');
    assert.match(answer.traceText, /lines 7–7/, 'the clamped selection is the document\'s last (empty) line');
    await stillServing();
  });

  it('allocation bombs end at an editor budget within the worker\'s heap cap; the server\'s peak RSS is printed', async () => {
    const bombs: Record<string, string> = {
      'small dicts': 'a = []\nwhile True:\n    a.append({})\n',
      'self-referencing instances': 'class N:\n    pass\na = []\nwhile True:\n    n = N()\n    n.x = n\n    a.append(n)\n',
      'nested list growth': 'a = []\nwhile True:\n    a = [a, a, [1, 2, 3]]\n',
    };
    for (const [name, text] of Object.entries(bombs)) {
      const bombUri = `file:///virtual/bomb-${name.replace(/\W+/g, '-')}.py`;
      await client.open(bombUri, text);
      const answer = await simulateCommand({ uri: bombUri });
      assert.equal(answer.end.kind, 'budget', `${name}: ${JSON.stringify(answer.end)}`);
      // VmHWM: the server process's peak resident set (main thread and simulation worker together), Linux only.
      const status = fs.existsSync(`/proc/${client.child.pid}/status`) ? fs.readFileSync(`/proc/${client.child.pid}/status`, 'utf8') : '';
      const peakMb = Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024);
      console.log(`budget (editor): ${name}: ended at ${answer.end.budget}; server peak RSS so far ${peakMb} MB`);
    }
    await stillServing();
  });

  it('an endless loop ends at the editor budget; other requests are answered while it runs', async () => {
    let simulated = false;
    const running = simulateCommand({ uri: loopUri }).then((answer) => {
      simulated = true;
      return answer;
    });
    // A change to another document is analysed and published, and a request is answered, before the simulation ends.
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: otherUri, languageId: 'python', version: 1, text: 'def f(x=[]):\n    return x\n' } });
    assert.equal((await client.diagnosticsFor(otherUri, 1)).length, 1);
    assert.ok(Array.isArray(await client.codeActions(otherUri, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, [])));
    assert.equal(simulated, false, 'the server answered while the simulation ran on its worker');
    const answer = await running;
    assert.equal(answer.end.kind, 'budget');
    // The loop keeps every list it makes: it reaches the object budget at about the time budget (1.8-2.1 s here), so
    // which of the two ends it depends on the machine's speed.
    assert.ok(answer.end.budget === 'maxSteps' || answer.end.budget === 'maxMillis' || answer.end.budget === 'maxObjects', `ended at ${answer.end.budget}`);
    await stillServing();
  });

  it('a simulate cancelled with $/cancelRequest once the server has read it (queued or running) answers RequestCancelled, unlogged; the next one runs', async () => {
    const source = new CancellationTokenSource();
    const closed = { uri: 'file:///virtual/endless-cancelled.py' };
    await client.open(closed.uri, `${ENDLESS}# another version of the text: not cached\n`);
    const cancelled = simulateCommand({ uri: closed.uri }, source.token);
    // Cancelled once the server is known to be working on it (a later request answered means it was read).
    await stillServing();
    source.cancel();
    await assert.rejects(cancelled, (error: unknown) => errorCode(error) === -32800);
    assert.ok(!client.logMessages.some((log) => log.type === 1 && /executeCommand failed/.test(log.message)), 'a cancellation is not logged as a failure');
    const again = await simulateCommand({ uri: closed.uri });
    assert.equal(again.end.kind, 'budget', 'the next simulation ran again from the start (a cancelled run is not cached)');
  });

  it('documents closed while their simulation runs (each stops the worker) never take the server down', async () => {
    for (let i = 0; i < 12; i++) {
      const closing = `file:///virtual/closing${i}.py`;
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: closing, languageId: 'python', version: 1, text: ENDLESS } });
      const hover = client.connection.sendRequest('textDocument/hover', { textDocument: { uri: closing }, position: { line: 0, character: 1 } });
      await stillServing();
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: closing } });
      assert.equal(await hover, null, 'the hover of a closed document answers null');
    }
    await stillServing();
  });
});
