// The `gclens.simulate` command (workspace/executeCommand): simulates a document or a selection, returns trace and report.
import { randomBytes } from 'node:crypto';
import { ErrorCodes, ResponseError, type CancellationToken, type Range } from 'vscode-languageserver/node';
import { renderReportHtml } from '../report/reportHtml';
import { formatTraceText } from '../report/traceText';
import type { OutputChunk, SimulationEnd, SimulationResult, SimulationSummary, TargetVersion } from '../simulator/simulatorTypes';
import { TARGET_VERSIONS } from '../simulator/simulatorTypes';
import type { PythonVersion } from '../analysis/settings';
import type { SimulateDocumentRequest } from './simulationService';

export const SIMULATE_COMMAND = 'gclens.simulate';

/** The command's one argument. */
export interface SimulateCommandArgs {
  readonly uri: string;
  /** The selection to simulate (whole lines, dedented); absent = the whole document. */
  readonly range?: Range;
  /** The webview's CSP nonce and source; the server makes a nonce when absent. */
  readonly nonce?: string;
  readonly cspSource?: string;
}

export interface SimulateCommandResponse {
  readonly fileName: string;
  readonly targetVersion: string;
  readonly end: SimulationEnd;
  readonly summary: SimulationSummary;
  readonly output: readonly OutputChunk[];
  readonly traceText: string;
  readonly html: string;
}

/** How the command gets a traced run: the server passes its simulation service; tests may pass another. */
export type SimulateFunction = (request: SimulateDocumentRequest, token?: CancellationToken) => Promise<SimulationResult>;

/** The document as the command sees it: its text and version (an open document, or the file on disk). */
export interface SimulatedSource {
  readonly text: string;
  readonly version: number;
  readonly fileName: string;
  readonly targetVersion: PythonVersion;
  /** `gclens.simulation.maxSteps`: the step budget the hover's run has too (one run serves both). */
  readonly maxSteps?: number;
}

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `GC Lens: ${message}`);
}

function isPosition(value: unknown): value is Range['start'] {
  const p = value as { line?: unknown; character?: unknown } | null;
  return p !== null && typeof p === 'object' && Number.isInteger(p.line) && Number.isInteger(p.character) && (p.line as number) >= 0 && (p.character as number) >= 0;
}

/** Validates the command's argument list: `[{ uri, range?, nonce?, cspSource? }]`. */
export function readSimulateArgs(args: readonly unknown[] | undefined): SimulateCommandArgs {
  const raw: unknown = args?.[0];
  if (raw === null || typeof raw !== 'object') throw invalid(`${SIMULATE_COMMAND} needs an argument { uri, range? }`);
  const { uri, range, nonce, cspSource } = raw as Record<string, unknown>;
  if (typeof uri !== 'string' || uri === '') throw invalid(`${SIMULATE_COMMAND} needs a document URI`);
  let selection: Range | undefined;
  if (range !== undefined && range !== null) {
    const r = range as { start?: unknown; end?: unknown };
    if (typeof r !== 'object' || !isPosition(r.start) || !isPosition(r.end)) throw invalid(`${SIMULATE_COMMAND}: range must be an LSP range`);
    selection = { start: r.start, end: r.end };
  }
  if (nonce !== undefined && (typeof nonce !== 'string' || !/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce))) throw invalid(`${SIMULATE_COMMAND}: nonce must be 16 or more base64 characters`);
  // VS Code's is a source list such as `'self' https://*.vscode-cdn.net`: no directive separators, no markup.
  if (cspSource !== undefined && (typeof cspSource !== 'string' || !/^[\w\s'*:/.+-]+$/.test(cspSource))) throw invalid(`${SIMULATE_COMMAND}: cspSource must be a CSP source list`);
  return { uri, range: selection, nonce: nonce as string | undefined, cspSource: cspSource as string | undefined };
}

/** The simulator's version for the document's target version; the simulator's newest when it has no such profile. */
export function simulatorTarget(version: PythonVersion): TargetVersion {
  const wanted = `${version.major}.${version.minor}`;
  return TARGET_VERSIONS.find((v) => v === wanted) ?? TARGET_VERSIONS[TARGET_VERSIONS.length - 1];
}

/**
 * The lines a selection covers (whole lines; an end at column 0 leaves that line out), dedented by their common
 * indentation, with the lines above it kept blank so every line number matches the document.
 */
export function selectionSource(text: string, range: Range): { source: string; firstLine: number; lastLine: number } {
  const lines = text.split(/\r?\n/);
  const first = Math.min(range.start.line, lines.length - 1);
  let last = Math.min(range.end.line, lines.length - 1);
  if (range.end.character === 0 && last > first) last--;
  const selected = lines.slice(first, last + 1);
  const indents = selected.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)![0]);
  let common = indents[0] ?? '';
  for (const indent of indents) while (!indent.startsWith(common)) common = common.slice(0, -1);
  const dedented = selected.map((line) => (line.startsWith(common) ? line.slice(common.length) : line.trimStart()));
  return { source: '\n'.repeat(first) + dedented.join('\n') + '\n', firstLine: first + 1, lastLine: last + 1 };
}

/** Runs the command: simulate (whole document or selection), then render the trace text and the report. */
export async function runSimulateCommand(args: SimulateCommandArgs, source: SimulatedSource, simulateWith: SimulateFunction, token?: CancellationToken): Promise<SimulateCommandResponse> {
  const targetVersion = simulatorTarget(source.targetVersion);
  const selection = args.range ? selectionSource(source.text, args.range) : undefined;
  const text = selection ? selection.source : source.text;
  // A selection is another program than the document: its own key for a service that caches per URI and version.
  const uri = selection ? `${args.uri}#gclens-selection=${selection.firstLine}-${selection.lastLine}` : args.uri;
  const budgets = source.maxSteps ? { budgets: { maxSteps: source.maxSteps } } : {};
  const result = await simulateWith({ uri, version: source.version, text, targetVersion, fileName: source.fileName, trace: true, ...budgets }, token);
  if (selection && result.end.kind === 'syntax-error') {
    throw invalid(
      `the selection (lines ${selection.firstLine}–${selection.lastLine}) does not parse on its own: ${result.end.message} at line ${result.end.line}. Select whole statements, or simulate the file.`,
    );
  }
  const shownName = selection ? `${source.fileName} (lines ${selection.firstLine}–${selection.lastLine})` : source.fileName;
  const nonce = args.nonce ?? randomBytes(18).toString('base64');
  return {
    fileName: source.fileName,
    targetVersion,
    end: result.end,
    summary: result.summary,
    output: result.output,
    traceText: formatTraceText(result, { fileName: shownName, targetVersion }),
    html: renderReportHtml(result, { fileName: shownName, targetVersion, source: text, nonce, cspSource: args.cspSource }),
  };
}
