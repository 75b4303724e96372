// gclens.simulate over stdio against the built server: the response's fields, the report and trace, selections, errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver/node';
import { simulationFileName, simulationRequestFor } from '../../server/src/lsp/hover';
import type { OpenDocument } from '../../server/src/lsp/documentStore';
import type { DocumentSettings } from '../../server/src/lsp/settingsService';
import { runSimulateCommand, selectionSource, simulatorTarget, type SimulatedSource } from '../../server/src/lsp/simulateCommand';
import type { SimulateDocumentRequest as SimulationRequest } from '../../server/src/lsp/simulationService';
import { simulate } from '../../server/src/simulator/simulate';
import type { SimulationResult } from '../../server/src/simulator/simulatorTypes';
import { reportParser } from '../report/reportPrograms';
import type { SimulateCommandResponse } from '../../server/src/lsp/simulateCommand';
import { CYCLE_PROGRAM } from '../report/reportPrograms';
import { startWorkspaceSession, type WorkspaceSession } from './lspTestClient';

const NESTED = `def setup():
    class Pair:
        pass
    left = Pair()
    right = Pair()
    left.other = right
    right.other = left
    del left, right
    import gc
    print("collected", gc.collect())
`;

describe('workspace/executeCommand gclens.simulate', () => {
  let session: WorkspaceSession;
  const simulate = (argument: unknown): Promise<SimulateCommandResponse> =>
    session.client.connection.sendRequest('workspace/executeCommand', { command: 'gclens.simulate', arguments: argument === undefined ? [] : [argument] });

  before(async () => {
    session = await startWorkspaceSession({ 'cycle.py': CYCLE_PROGRAM, 'nested.py': NESTED, 'split.py': 'total = sum(\n    [1, 2],\n)\nprint(total)\n', 'pyproject.toml': '[tool.gclens]\ntarget-version = "3.11"\n' });
  });
  after(() => session.dispose());

  it('simulates an open document: output, summary, end, the trace text and the report page', async () => {
    const uri = session.uriOf('cycle.py');
    await session.client.open(uri, CYCLE_PROGRAM);
    const response = await simulate({ uri, nonce: 'AAAAAAAAAAAAAAAAAAAAAAAA', cspSource: "'self' https://*.vscode-cdn.net" });
    assert.deepEqual(Object.keys(response).sort(), ['end', 'fileName', 'html', 'output', 'summary', 'targetVersion', 'traceText']);
    assert.equal(response.targetVersion, '3.11', 'the pyproject.toml target version');
    assert.ok(response.fileName.endsWith('/cycle.py'), response.fileName);
    assert.deepEqual(response.end, { kind: 'completed' });
    assert.deepEqual(response.output, [{ stream: 'stdout', text: 'callback\ndel a\ndel b\ncollected 2\n' }]);
    assert.deepEqual(response.summary.cyclicGarbage, ['Node#1', 'Node#2']);
    assert.match(response.traceText, /^# GC Lens trace: .*cycle\.py, simulated CPython 3\.11\n/);
    assert.match(response.traceText, /\nstep \d+ +line 16 +finalizer +Node#1\n/);
    assert.match(response.html, /<script nonce="AAAAAAAAAAAAAAAAAAAAAAAA">/);
    assert.match(response.html, /style-src &#39;nonce-AAAAAAAAAAAAAAAAAAAAAAAA&#39; &#39;self&#39; https:\/\/\*\.vscode-cdn\.net;/);
    const data = JSON.parse(/<script type="application\/json" id="gclens-report-data">([^<]*)<\/script>/.exec(response.html)![1]) as { nodes: { id: string }[] };
    assert.ok(data.nodes.some((node) => node.id === 'Node#1') && data.nodes.some((node) => node.id === 'Node#2'), 'the graph data names both nodes');
    assert.match(response.html, /data-node="Node#1" data-node-index="\d+" data-cycle="0"/);
  });

  it('uses the editor text, not the file on disk, and reads a file that is not open', async () => {
    const uri = session.uriOf('cycle.py');
    await session.client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: 'print("edited")\n' }],
    });
    assert.deepEqual((await simulate({ uri })).output, [{ stream: 'stdout', text: 'edited\n' }]);
    const closed = await simulate({ uri: session.uriOf('nested.py') });
    assert.deepEqual(closed.output, [], 'defining setup() prints nothing');
    assert.match(closed.html, /<script nonce="[A-Za-z0-9+/=]{24}">/, 'a nonce made by the server');
  });

  it('simulates a selection of indented code dedented, with the document\'s line numbers', async () => {
    const uri = session.uriOf('nested.py');
    const response = await simulate({ uri, range: { start: { line: 1, character: 4 }, end: { line: 10, character: 0 } } });
    assert.deepEqual(response.end, { kind: 'completed' });
    assert.deepEqual(response.output, [{ stream: 'stdout', text: 'collected 2\n' }]);
    assert.match(response.traceText, /^# GC Lens trace: .*nested\.py \(lines 2–10\), simulated CPython 3\.11\n/);
    assert.match(response.traceText, /\nstep \d+ +line 4 +allocate +Pair#1\n/, 'line 4 of the file, where left = Pair() is');
    assert.match(response.html, /"4":"left = Pair\(\)"/);
  });

  it('a selection that does not parse on its own is an error that says so', async () => {
    const uri = session.uriOf('split.py');
    assert.deepEqual((await simulate({ uri })).output, [{ stream: 'stdout', text: '3\n' }], 'the whole file runs');
    await assert.rejects(simulate({ uri, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 11 } } }), (error: Error) => {
      assert.match(error.message, /^GC Lens: the selection \(lines 1–2\) does not parse on its own: invalid syntax at line 1\. Select whole statements, or simulate the file\.$/);
      return true;
    });
  });

  it('bad arguments and unknown documents are errors, and the server keeps serving', async () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /needs an argument \{ uri, range\? \}/],
      [{ uri: 42 }, /needs a document URI/],
      [{ uri: session.uriOf('nested.py'), range: { start: { line: -1 } } }, /range must be an LSP range/],
      [{ uri: session.uriOf('nested.py'), nonce: 'short' }, /nonce must be 16 or more/],
      [{ uri: session.uriOf('nested.py'), cspSource: "x; script-src 'unsafe-inline'" }, /cspSource must be a CSP source list/],
      [{ uri: 'untitled:Untitled-1' }, /untitled:Untitled-1 is not open and not a file/],
      [{ uri: session.uriOf('missing.py') }, /cannot simulate .*missing\.py: /],
    ];
    for (const [argument, message] of cases) {
      await assert.rejects(simulate(argument), (error: Error & { code?: number }) => {
        assert.equal(error.code, -32602, String(error.message));
        assert.match(error.message, message);
        return true;
      });
    }
    assert.deepEqual((await simulate({ uri: session.uriOf('nested.py') })).end, { kind: 'completed' }, 'still serving');
  });
});

describe('textDocument/codeLens: Simulate above top-level statement runs', () => {
  const SOURCE = 'import gc\n\nclass Node:\n    pass\n\n# build\na = Node()\nb = Node()\n\ndef helper():\n    return 1\n\nprint(helper())\nx = [\n    a,\n]\n';
  let session: WorkspaceSession;
  before(async () => {
    session = await startWorkspaceSession({ 'lens.py': SOURCE }, { settings: { simulation: { codeLens: true } } });
  });
  after(() => session.dispose());

  it('one lens per run, naming the line it simulates to; clicking it runs gclens.simulate with that range', async () => {
    const uri = session.uriOf('lens.py');
    await session.client.open(uri, SOURCE);
    const lenses = (await session.client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(lenses.map((lens) => [lens.range.start.line, lens.command?.title]), [
      [0, '$(debug-start) Simulate to line 1'],
      [6, '$(debug-start) Simulate to line 8'],
      [12, '$(debug-start) Simulate to line 16'],
    ]);
    const last = lenses[2].command!;
    assert.equal(last.command, 'gclens.simulate');
    assert.deepEqual(last.arguments, [{ uri, range: { start: { line: 0, character: 0 }, end: { line: 16, character: 0 } } }]);
    const response = (await session.client.connection.sendRequest('workspace/executeCommand', { command: last.command, arguments: last.arguments })) as SimulateCommandResponse;
    assert.deepEqual(response.output, [{ stream: 'stdout', text: '1\n' }]);
  });

  it('no lenses while gclens.simulation.codeLens is off (the default)', async () => {
    session.client.settings = {};
    await session.client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { gclens: {} } });
    const uri = session.uriOf('lens.py');
    const lenses = (await session.client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(lenses, []);
  });
});

describe('selectionSource', () => {
  it('takes whole lines, dedents by the common indentation, keeps line numbers and blank lines', () => {
    const text = 'x = 1\nif x:\n    a = [1]\n\n    b = a\n        # deeper\ny = 2\n';
    assert.deepEqual(selectionSource(text, { start: { line: 2, character: 6 }, end: { line: 5, character: 3 } }), {
      source: '\n\na = [1]\n\nb = a\n    # deeper\n',
      firstLine: 3,
      lastLine: 6,
    });
    assert.equal(selectionSource(text, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }).source, 'x = 1\n', 'an end at column 0 leaves that line out');
  });
});

/** A simulation function that simulates in-process and keeps every request it was given. */
async function recordingSimulator(): Promise<{ requests: SimulationRequest[]; recording: (request: SimulationRequest) => Promise<SimulationResult> }> {
  const requests: SimulationRequest[] = [];
  const parser = await reportParser();
  const recording = (request: SimulationRequest): Promise<SimulationResult> => {
    requests.push(request);
    return Promise.resolve(simulate(request.text, parser, { targetVersion: request.targetVersion, fileName: request.fileName, trace: true }));
  };
  return { requests, recording };
}

describe('runSimulateCommand with an injected simulation function (the worker service\'s seat)', () => {
  it('asks for a traced run with the document\'s version and target; a selection gets its own URI', async () => {
    const { requests, recording } = await recordingSimulator();
    const source: SimulatedSource = { text: NESTED, version: 7, fileName: '/w/nested.py', targetVersion: { major: 3, minor: 13 } };
    await runSimulateCommand({ uri: 'file:///w/nested.py', nonce: 'AAAAAAAAAAAAAAAAAAAAAAAA' }, source, recording);
    await runSimulateCommand({ uri: 'file:///w/nested.py', range: { start: { line: 1, character: 0 }, end: { line: 9, character: 5 } } }, source, recording);
    assert.deepEqual(requests.map(({ text, ...rest }) => ({ ...rest, lines: text.split('\n').length })), [
      { uri: 'file:///w/nested.py', version: 7, targetVersion: '3.13', fileName: '/w/nested.py', trace: true, lines: 11 },
      { uri: 'file:///w/nested.py#gclens-selection=2-10', version: 7, targetVersion: '3.13', fileName: '/w/nested.py', trace: true, lines: 11 },
    ]);
    assert.equal(simulatorTarget({ major: 3, minor: 15 }), '3.14', 'a version the simulator has no profile for: its newest');
  });

  it('asks exactly as the hover does (file name, step budget), so one cached run serves both', async () => {
    const { requests, recording } = await recordingSimulator();
    const uri = 'file:///w/nested.py';
    const source: SimulatedSource = { text: NESTED, version: 3, fileName: simulationFileName(uri), targetVersion: { major: 3, minor: 12 }, maxSteps: 5000 };
    await runSimulateCommand({ uri }, source, recording);
    const settings = { analysis: { targetVersion: { major: 3, minor: 12 } }, simulationMaxSteps: 5000 } as unknown as DocumentSettings;
    const hover = simulationRequestFor({ uri, version: 3, text: NESTED } as unknown as OpenDocument, settings);
    assert.deepEqual(requests, [hover]);
    assert.equal(hover.fileName, '/w/nested.py', 'the absolute path, as CPython shows a script the editor runs');
    assert.equal(simulationFileName('untitled:Untitled-1'), 'untitled.py');
  });
});
