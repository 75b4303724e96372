// Prints the benchmark's figures as a compact table with the DESIGN §8 goal beside each one.
import type { Cost } from './measure';
import type { EditLatency } from './editLatency';
import type { LspRun } from './lspLatency';

export interface CostRow {
  readonly label: string;
  readonly cost: Cost | undefined;
  /** Extra figure shown after the costs (nodes visited, findings). */
  readonly note?: string;
  readonly goal?: string;
  /** Why the row has no figures (a part not built yet, a backend that failed). */
  readonly missing?: string;
}

export interface BenchFigures {
  readonly corpus: string;
  readonly files: number;
  readonly lines: number;
  readonly runs: number;
  readonly rows: CostRow[];
  /** The parse floor (a, native): the denominator of every ratio. */
  readonly parseFloor: Cost | undefined;
  readonly ratios: { label: string; wall: number; cpu: number; goal?: string }[];
  readonly editLatency: EditLatency[];
  readonly lsp: LspRun | undefined;
  readonly lspMissing?: string;
}

const seconds = (ms: number): string => (!Number.isFinite(ms) ? '—' : ms < 1000 ? `${ms.toFixed(ms < 10 ? 2 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`);
const megabytes = (mb: number): string => (Number.isFinite(mb) ? `${Math.round(mb)} MB` : '—');
const millis = (ms: number): string => (Number.isFinite(ms) ? `${ms.toFixed(ms < 10 ? 2 : 1)} ms` : '—');
const times = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '—');

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

export function formatFigures(figures: BenchFigures): string {
  const out: string[] = [];
  out.push(`GC Lens benchmark — ${figures.corpus}`);
  out.push(`${figures.files.toLocaleString('en-US')} files, ${figures.lines.toLocaleString('en-US')} lines; in-process figures are the median of ${figures.runs} pass(es) after a warm-up pass`);
  out.push('');
  const labelWidth = Math.max(...figures.rows.map((row) => row.label.length), 10);
  out.push(`${pad('', labelWidth)}  ${pad('wall', 9, true)}  ${pad('CPU', 9, true)}  ${pad('peak RSS', 8, true)}  notes / goal`);
  for (const row of figures.rows) {
    if (!row.cost) {
      out.push(`${pad(row.label, labelWidth)}  ${pad('—', 9, true)}  ${pad('—', 9, true)}  ${pad('—', 8, true)}  ${row.missing ?? 'not measured'}`);
      continue;
    }
    const notes = [row.note, row.goal ? `goal: ${row.goal}` : undefined].filter(Boolean).join('; ');
    out.push(
      `${pad(row.label, labelWidth)}  ${pad(seconds(row.cost.wallMs), 9, true)}  ${pad(seconds(row.cost.cpuMs), 9, true)}  ${pad(megabytes(row.cost.peakRssMb), 8, true)}  ${notes}`,
    );
  }
  out.push('');
  out.push('Against the parse floor (a, native read + parse):');
  for (const ratio of figures.ratios) {
    out.push(`  ${pad(ratio.label, labelWidth)}  wall ${pad(times(ratio.wall), 7, true)}  CPU ${pad(times(ratio.cpu), 7, true)}${ratio.goal ? `   goal: ${ratio.goal}` : ''}`);
  }
  out.push('');
  out.push('Edit → findings in-process (one-character edit through the server’s IncrementalDocument: tree.edit + parse(new, old) + changed ranges, then analyzeAfterEdit), goal: p95 ≤ 2 ms on a 10k-line file;');
  out.push('  typing = "x" typed at the end of an identifier on a code line; random-offset = anywhere (a worst case: keywords, strings, indentation):');
  for (const edit of figures.editLatency) {
    out.push(
      `  ${pad(edit.model, 13)} ${pad(edit.file, 28)} ${pad(edit.lines.toLocaleString('en-US'), 7, true)} lines, ${edit.edits} edits: reparse p50 ${millis(edit.reparseP50Ms)} p95 ${millis(edit.reparseP95Ms)}; findings p50 ${millis(edit.findingsP50Ms)} p95 ${millis(edit.findingsP95Ms)}; (whole-file analysis p50 ${millis(edit.fullAnalysisP50Ms)} p95 ${millis(edit.fullAnalysisP95Ms)})`,
    );
  }
  out.push('');
  out.push('Edit → publishDiagnostics through dist/server.js --stdio, goal: p95 ≤ 20 ms:');
  if (!figures.lsp) out.push(`  not measured: ${figures.lspMissing ?? 'unknown reason'}`);
  else {
    for (const file of figures.lsp.files) {
      out.push(
        `  ${pad(file.file, 28)} ${pad(file.lines.toLocaleString('en-US'), 7, true)} lines, ${file.edits} edits: open ${millis(file.openMs)}; edit p50 ${millis(file.p50Ms)} p95 ${millis(file.p95Ms)} (${file.diagnostics} diagnostics)`,
      );
    }
    out.push(`  debounce asked for: ${figures.lsp.debounceRequestedMs} ms (initializationOptions.diagnosticsDelayMs; the server's default is 150 ms, added to every edit in an editor); server peak RSS ${megabytes(figures.lsp.serverPeakRssMb)} (goal < 300 MB)`);
  }
  return out.join('\n');
}
