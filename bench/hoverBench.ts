// Refcount hover latency on a generated 1,000-line module (DESIGN §8: under 50 ms): through the real server (cold:
// worker start + traced simulation; warm: cached simulation) and in-process (traced simulation, one hover answer).
import { spawn } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { lineStarts } from '../server/src/analysis/textLines';
import { hoverAnswer, hoverTargetAt } from '../server/src/simulator/hover';
import { simulate } from '../server/src/simulator/simulate';
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
  /** didOpen + the first hover answered (worker start, parser load, traced simulation, answer). */
  readonly coldMs: number;
  readonly warmP50Ms: number;
  readonly warmP95Ms: number;
  /** In-process: one traced simulation of the module (CPU ms) and its steps. */
  readonly traceMs: number;
  readonly steps: number;
  /** In-process: a hover answer from the finished simulation (target lookup + snapshot search), median. */
  readonly answerMs: number;
  readonly firstHover: string;
}

/** Times hovers through the built server (dist/server.js) over stdio. */
export async function measureServerHovers(serverScript: string, text: string): Promise<{ coldMs: number; warm: number[]; firstHover: string }> {
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
    const uri = 'file:///bench/hover_module.py';
    const positions = hoverPositions(text);
    const hover = (position: { line: number; character: number }): Promise<{ contents: { value: string } } | null> =>
      connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
    const started = nowMs();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    const first = await hover(positions[0]);
    const coldMs = nowMs() - started;
    const warm: number[] = [];
    for (const position of positions.slice(1)) {
      const at = nowMs();
      await hover(position);
      warm.push(nowMs() - at);
    }
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    return { coldMs, warm, firstHover: first?.contents.value.split('\n')[0] ?? '(no hover)' };
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
  const server = await measureServerHovers(serverScript, text);
  return {
    lines: text.split('\n').length - 1,
    hovers: server.warm.length + 1,
    coldMs: server.coldMs,
    warmP50Ms: percentile(server.warm, 0.5),
    warmP95Ms: percentile(server.warm, 0.95),
    traceMs: (traceSpent.user + traceSpent.system) / 1000,
    steps: result.summary.steps,
    answerMs: median(answerTimes),
    firstHover: server.firstHover,
  };
}

export function formatHoverBench(figures: HoverBenchFigures): string {
  const ms = (value: number): string => value.toFixed(value < 10 ? 2 : 1);
  const verdict = (value: number): string => (value < HOVER_GOAL_MS ? 'meets' : 'misses');
  return [
    `refcount hover on a ${figures.lines}-line module (${figures.hovers} hovers over stdio, goal < ${HOVER_GOAL_MS} ms):`,
    `  cold (open + worker start + traced simulation of ${figures.steps.toLocaleString('en-US')} steps + answer): ${ms(figures.coldMs)} ms (${verdict(figures.coldMs)})`,
    `  warm (cached simulation): p50 ${ms(figures.warmP50Ms)} ms, p95 ${ms(figures.warmP95Ms)} ms (${verdict(figures.warmP95Ms)})`,
    `  in-process: traced simulation ${ms(figures.traceMs)} ms CPU, one hover answer ${ms(figures.answerMs)} ms`,
    `  first hover: ${figures.firstHover}`,
  ].join('\n');
}
