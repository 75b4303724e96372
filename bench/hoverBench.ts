// Refcount hover latency on a generated 1,000-line module (DESIGN §8: under 50 ms): through the real server (cold: a
// new document's run and its line's snapshot; warm: other lines' snapshots replayed; repeated: kept) and in-process.
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { lineStarts } from '../server/src/analysis/textLines';
import { hoverAnswer, hoverTargetAt } from '../server/src/simulator/hover';
import { warmUpSimulator } from '../server/src/lsp/simulationWarmUp';
import { EDITOR_BUDGETS } from '../server/src/lsp/simulationService';
import { compileModule } from '../server/src/simulator/compile';
import { emptyBlockError } from '../server/src/simulator/emptyBlocks';
import { nestingViolation } from '../server/src/simulator/nestingLimits';
import { runPrepared, simulate } from '../server/src/simulator/simulate';
import type { SimulateOptions } from '../server/src/simulator/simulatorTypes';
import { versionProfile } from '../server/src/simulator/versionProfile';
import { copySyntaxTree } from '../server/src/syntax/copiedTree';
import { loadPythonParser } from '../server/src/syntax/loadParser';
import { parseableText } from '../server/src/syntax/lineBreaks';
import type { PythonParser } from '../server/src/syntax/syntaxTypes';
import { median, nowMs, percentile } from './measure';

export const HOVER_GOAL_MS = 50;

/**
 * A module of `sections` blocks of 10 lines: a class whose instances point at each other, a function building a
 * pair, module code calling it in a loop, and a list keeping some results (about 100 lines per 10 sections).
 */
export function hoverBenchModule(lines = 1000): string {
  const out: string[] = ['import gc', ''];
  for (let i = 0; out.length + 10 <= lines; i++) {
    out.push(
      `class Node${i}:`,
      '    def __init__(self, peer=None):',
      '        self.peer = peer',
      `def pair${i}(keep):`,
      `    a = Node${i}()`,
      `    b = Node${i}(a)`,
      '    a.peer = b',
      '    keep.append(a)',
      '    return b',
      `kept${i} = [pair${i}([]) for _ in range(3)]`,
    );
  }
  while (out.length < lines) out.push('gc.collect()');
  return `${out.join('\n')}\n`;
}

/** Hover positions: the first identifier of every module-level `keptN = ...` line and every `a = NodeN()` line. */
export function hoverPositions(text: string): { line: number; character: number }[] {
  const positions: { line: number; character: number }[] = [];
  text.split('\n').forEach((line, index) => {
    if (/^kept\d+ = /.test(line)) positions.push({ line: index, character: 0 });
    else if (/^ {4}a = Node/.test(line)) positions.push({ line: index, character: 4 });
  });
  return positions;
}

export interface HoverBenchFigures {
  readonly lines: number;
  readonly hovers: number;
  /** Right after the server started: didOpen + the first hover answered while the worker may still be warming up. */
  readonly firstAfterStartMs: number;
  /** didOpen + the first hover answered on a running server (a document never simulated: run + its line's snapshot). */
  readonly coldSamples: number;
  readonly coldP50Ms: number;
  readonly coldP95Ms: number;
  /** The hover request's own latency when it comes after VS Code's hover delay (300 ms after didOpen), new documents. */
  readonly afterDelayP50Ms: number;
  readonly afterDelayP95Ms: number;
  /** Hovers on other lines of a simulated document (each line's snapshot replayed once, then kept). */
  readonly warmP50Ms: number;
  readonly warmP95Ms: number;
  /** The same hovers again: every snapshot kept. */
  readonly repeatP50Ms: number;
  readonly repeatP95Ms: number;
  /** The one-minute load average when the server measurements ended (the machine is shared). */
  readonly loadAverage: number;
  /** In-process: one traced simulation of the module recording every line's snapshot (CPU ms) and its steps. */
  readonly traceMs: number;
  readonly steps: number;
  /** In-process: a hover answer from the finished simulation (target lookup + snapshot search), median. */
  readonly answerMs: number;
  /** In-process, the worker's work for a cold hover per phase (CPU ms): see `measureColdPhases`. */
  readonly phases: ColdPhases;
  readonly firstHover: string;
}

/** The phases of a cold hover's run in the worker, CPU ms per new document. */
export interface ColdPhaseTimes {
  readonly parse: number;
  /** The plain copy of the tree the checks and the compiler read. */
  readonly copy: number;
  /** The nesting limits and the empty-block check. */
  readonly checks: number;
  readonly compile: number;
  /** The run without events, recording the hovered line's snapshot. */
  readonly run: number;
}

export interface ColdPhases {
  readonly documents: number;
  /** The first new document after the worker's start-up warm-up (JIT still cold for a module this size). */
  readonly first: ColdPhaseTimes;
  /** Medians over the later documents (JIT warm). */
  readonly warm: ColdPhaseTimes;
}

/** New documents `measureColdPhases` runs; the medians are over all but the first few. */
const PHASE_DOCUMENTS = 16;
const PHASE_SETTLING = 6;

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * What the worker does for a cold hover, phase by phase, in-process after the same warm-up (CPU time, so the figures
 * hold on a shared machine): each document a new variant of the module, as the server's cold samples are. Pass the
 * WebAssembly parser: the worker's.
 */
export function measureColdPhases(parser: PythonParser, text: string, line: number): ColdPhases {
  warmUpSimulator(parser);
  const options: SimulateOptions = { targetVersion: '3.12', fileName: 'hover_module.py', trace: true, budgets: EDITOR_BUDGETS, events: false, snapshotLines: [line] };
  const minor = versionProfile(options.targetVersion).minor;
  const samples: ColdPhaseTimes[] = [];
  for (let index = 0; index < PHASE_DOCUMENTS; index++) {
    const source = variant(text, 100 + index);
    let at = cpuMs();
    const lap = (): number => {
      const now = cpuMs();
      const spent = now - at;
      at = now;
      return spent;
    };
    const tree = parser.parse(source);
    const parse = lap();
    const copy = copySyntaxTree(tree.rootNode, parseableText(source));
    const copied = lap();
    const refused = nestingViolation(copy, source, options.fileName, minor, true) ?? emptyBlockError(copy, source, options.fileName, minor);
    const checks = lap();
    const module = compileModule(copy, source);
    const compile = lap();
    const result = runPrepared({ kind: 'compiled', module }, options);
    const run = lap();
    tree.dispose();
    if (refused || result.end.kind !== 'completed') throw new Error(`the hover bench module did not run: ${JSON.stringify(refused ?? result.end)}`);
    if (!result.snapshots.some((snapshot) => snapshot.line === line)) throw new Error(`the run recorded no snapshot of line ${line}`);
    samples.push({ parse, copy: copied, checks, compile, run });
  }
  const warm = samples.slice(PHASE_SETTLING);
  const medianOf = (pick: (times: ColdPhaseTimes) => number): number => median(warm.map(pick));
  return {
    documents: samples.length,
    first: samples[0],
    warm: { parse: medianOf((t) => t.parse), copy: medianOf((t) => t.copy), checks: medianOf((t) => t.checks), compile: medianOf((t) => t.compile), run: medianOf((t) => t.run) },
  };
}

/** Documents opened one after another on a running server for the cold figure. */
const COLD_SAMPLES = 9;
/** VS Code's default `editor.hover.delay`: the first hover request comes at least this long after the pointer rests. */
const EDITOR_HOVER_DELAY_MS = 300;

/** The module with its last line made unique, so no cache (service or worker) knows it yet. */
function variant(text: string, index: number): string {
  return text.replace(/gc\.collect\(\)\n$/, `gc.collect()  # variant ${index}\n`);
}

interface ServerHoverTimes {
  readonly firstAfterStartMs: number;
  readonly cold: number[];
  readonly afterDelay: number[];
  readonly warm: number[];
  readonly repeat: number[];
  readonly firstHover: string;
}

/** Times hovers through the built server (dist/server.js) over stdio. */
export async function measureServerHovers(serverScript: string, text: string): Promise<ServerHoverTimes> {
  const child = spawn(process.execPath, [serverScript, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.resume();
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification('textDocument/publishDiagnostics', () => undefined);
  connection.listen();
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: { workspace: { configuration: true } } });
    await connection.sendNotification('initialized', {});
    const positions = hoverPositions(text);
    const hover = (uri: string, position: { line: number; character: number }): Promise<{ contents: { value: string } } | null> =>
      connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
    /** didOpen, then (after `delayMs`) the first hover: the time from didOpen and from the hover request to its answer. */
    const openAndHover = async (uri: string, source: string, delayMs = 0): Promise<{ ms: number; requestMs: number; first: string }> => {
      const started = nowMs();
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: source } });
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const requested = nowMs();
      const first = await hover(uri, positions[0]);
      return { ms: nowMs() - started, requestMs: nowMs() - requested, first: first?.contents.value.split('\n')[0] ?? '(no hover)' };
    };
    const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 400)); // diagnostics and GCL901/902 of the last document
    const start = await openAndHover('file:///bench/hover_module.py', text);
    const cold: number[] = [];
    const afterDelay: number[] = [];
    for (let index = 1; index <= COLD_SAMPLES; index++) {
      await settle();
      cold.push((await openAndHover(`file:///bench/hover_module_${index}.py`, variant(text, index))).ms);
      await settle();
      afterDelay.push((await openAndHover(`file:///bench/hover_module_delayed_${index}.py`, variant(text, COLD_SAMPLES + index), EDITOR_HOVER_DELAY_MS)).requestMs);
    }
    const timed = async (uri: string): Promise<number[]> => {
      const times: number[] = [];
      for (const position of positions.slice(1)) {
        const at = nowMs();
        await hover(uri, position);
        times.push(nowMs() - at);
      }
      return times;
    };
    const warm = await timed('file:///bench/hover_module.py');
    const repeat = await timed('file:///bench/hover_module.py');
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    return { firstAfterStartMs: start.ms, cold, afterDelay, warm, repeat, firstHover: start.first };
  } finally {
    connection.dispose();
    child.kill();
  }
}

export async function runHoverBench(serverScript: string, parser: PythonParser, lines = 1000): Promise<HoverBenchFigures> {
  const text = hoverBenchModule(lines);
  const traceStarted = process.cpuUsage();
  const result = simulate(text, parser, { targetVersion: '3.12', fileName: 'hover_module.py', trace: true });
  const traceSpent = process.cpuUsage(traceStarted);
  const tree = parser.parse(text);
  const answerTimes: number[] = [];
  try {
    const starts = lineStarts(text);
    const offsets = hoverPositions(text).map(({ line, character }) => starts[line] + character);
    for (const offset of offsets) {
      const at = nowMs();
      const target = hoverTargetAt(tree.rootNode, offset);
      if (target) hoverAnswer(result, target);
      answerTimes.push(nowMs() - at);
    }
  } finally {
    tree.dispose();
  }
  // The simulation worker parses with WebAssembly (a worker holding native tree-sitter cannot be terminated safely).
  const phases = measureColdPhases((await loadPythonParser('wasm')).parser, text, hoverPositions(text)[0].line + 1);
  const server = await measureServerHovers(serverScript, text);
  return {
    lines: text.split('\n').length - 1,
    hovers: 1 + server.cold.length + server.afterDelay.length + server.warm.length + server.repeat.length,
    firstAfterStartMs: server.firstAfterStartMs,
    coldSamples: server.cold.length,
    coldP50Ms: percentile(server.cold, 0.5),
    coldP95Ms: percentile(server.cold, 0.95),
    afterDelayP50Ms: percentile(server.afterDelay, 0.5),
    afterDelayP95Ms: percentile(server.afterDelay, 0.95),
    warmP50Ms: percentile(server.warm, 0.5),
    warmP95Ms: percentile(server.warm, 0.95),
    repeatP50Ms: percentile(server.repeat, 0.5),
    repeatP95Ms: percentile(server.repeat, 0.95),
    loadAverage: os.loadavg()[0],
    traceMs: (traceSpent.user + traceSpent.system) / 1000,
    steps: result.summary.steps,
    answerMs: median(answerTimes),
    phases,
    firstHover: server.firstHover,
  };
}

function phaseLine(times: ColdPhaseTimes): string {
  const total = times.parse + times.copy + times.checks + times.compile + times.run;
  return `parse ${times.parse.toFixed(1)}, tree copy ${times.copy.toFixed(1)}, checks ${times.checks.toFixed(1)}, compile ${times.compile.toFixed(1)}, run ${times.run.toFixed(1)} = ${total.toFixed(1)}`;
}

export function formatHoverBench(figures: HoverBenchFigures): string {
  const ms = (value: number): string => value.toFixed(value < 10 ? 2 : 1);
  const verdict = (value: number): string => (value < HOVER_GOAL_MS ? 'meets' : 'misses');
  return [
    `refcount hover on a ${figures.lines}-line module (${figures.hovers} hovers over stdio, goal < ${HOVER_GOAL_MS} ms, load average ${figures.loadAverage.toFixed(2)}):`,
    `  cold (open + simulation of ${figures.steps.toLocaleString('en-US')} steps + the line's snapshot + answer, ${figures.coldSamples} new documents): p50 ${ms(figures.coldP50Ms)} ms, p95 ${ms(figures.coldP95Ms)} ms (${verdict(figures.coldP95Ms)})`,
    `  cold after the editor's ${EDITOR_HOVER_DELAY_MS} ms hover delay (the request's own latency, ${figures.coldSamples} new documents): p50 ${ms(figures.afterDelayP50Ms)} ms, p95 ${ms(figures.afterDelayP95Ms)} ms (${verdict(figures.afterDelayP95Ms)})`,
    `  first hover right after the server started (worker start and warm-up included): ${ms(figures.firstAfterStartMs)} ms`,
    `  warm (other lines: each line's snapshot replayed once): p50 ${ms(figures.warmP50Ms)} ms, p95 ${ms(figures.warmP95Ms)} ms (${verdict(figures.warmP95Ms)})`,
    `  repeated (snapshots kept): p50 ${ms(figures.repeatP50Ms)} ms, p95 ${ms(figures.repeatP95Ms)} ms (${verdict(figures.repeatP95Ms)})`,
    `  in-process: traced simulation recording every line ${ms(figures.traceMs)} ms CPU, one hover answer ${ms(figures.answerMs)} ms`,
    `  in-process, a cold hover's work in the worker per new document (WebAssembly parser, CPU ms, median of the last ${figures.phases.documents - PHASE_SETTLING} of ${figures.phases.documents} after the warm-up): ${phaseLine(figures.phases.warm)}; the first: ${phaseLine(figures.phases.first)}`,
    `  first hover: ${figures.firstHover}`,
  ].join('\n');
}
