// Conformance of the GC simulator with CPython's recorded corpus outputs: the run, its table, and the baseline ratchet.
// `npm run conformance [-- --update]` prints the table (and with --update rewrites the baseline from this run).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeEnd as describeSimulationEnd } from '../../server/src/report/describeEnd';
import { simulate } from '../../server/src/simulator/simulate';
import type { SimulationEnd, SimulationResult } from '../../server/src/simulator/simulatorTypes';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import {
  columnTarget, CORPUS_COLUMNS, normalizeOutput, readExitCodes, readRecorded, readSnippets, type CorpusColumn, type Snippet,
} from '../support/gcCorpus';

export const BASELINE_FILE = path.join(__dirname, 'conformance-baseline.tsv');
export const UPDATE_COMMAND = 'npm run conformance -- --update';

/** The columns issue 4's target covers: 100% of the `yes` snippets. */
export const TARGET_COLUMNS: readonly CorpusColumn[] = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];

/** Budgets for conformance runs: the default steps, but no wall-clock limit, so a loaded machine cannot change a result. */
const CONFORMANCE_BUDGETS = { maxMillis: 10 * 60_000 };

/** Where the simulator's normalized output first differs from the recording. */
export interface Mismatch {
  /** 1-based line, or 0 when only the exit status differs. */
  readonly line: number;
  readonly expected: string | undefined;
  readonly actual: string | undefined;
}

export interface PairResult {
  readonly name: string;
  readonly column: CorpusColumn;
  readonly target: 'yes' | 'partial';
  readonly matches: boolean;
  readonly mismatch?: Mismatch;
  readonly expectedExit: number;
  readonly actualExit: number | undefined;
  /** How the simulated run ended, or what it threw (a contract violation: simulate never throws). */
  readonly end: SimulationEnd | { readonly kind: 'threw'; readonly message: string };
  /** Lines of the recording the simulator reproduced at the same position (the partial snippets' measure). */
  readonly linesMatched: number;
  readonly linesExpected: number;
}

export interface ConformanceRun {
  readonly results: readonly PairResult[];
}

/** The simulator's output as the oracle records it: stdout and stderr interleaved in write order, normalized once. */
export function simulatedOutput(result: SimulationResult, snippet: Snippet): string {
  return normalizeOutput(result.output.map((chunk) => chunk.text).join(''), snippet);
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The first differing line (a missing final newline counts as a difference on the last line). */
export function firstMismatch(expected: string, actual: string): Mismatch | undefined {
  if (expected === actual) return undefined;
  const want = expected.split('\n');
  const got = actual.split('\n');
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) return { line: i + 1, expected: want[i], actual: got[i] };
  }
  return { line: 0, expected: undefined, actual: undefined };
}

function simulateSnippet(snippet: Snippet, column: CorpusColumn, parser: PythonParser): SimulationResult | { kind: 'threw'; message: string } {
  try {
    return simulate(snippet.source, parser, { targetVersion: columnTarget(column), fileName: snippet.fileName, budgets: CONFORMANCE_BUDGETS });
  } catch (error) {
    return { kind: 'threw', message: error instanceof Error ? error.message : String(error) };
  }
}

/** Simulates every `yes` and `partial` snippet for every recorded column and compares with the recording. */
export function runConformance(root: string, parser: PythonParser, only?: (snippet: Snippet) => boolean): ConformanceRun {
  const snippets = readSnippets(root).filter((snippet) => snippet.simulatorTarget !== 'no' && (only?.(snippet) ?? true));
  const results: PairResult[] = [];
  for (const column of CORPUS_COLUMNS) {
    const exitCodes = readExitCodes(root, column);
    for (const snippet of snippets) {
      const recorded = readRecorded(root, column, snippet.name, exitCodes);
      if (!recorded) continue;
      const target = snippet.simulatorTarget === 'yes' ? 'yes' : 'partial';
      const run = simulateSnippet(snippet, column, parser);
      const expectedLines = splitLines(recorded.output);
      if ('kind' in run) {
        const mismatch = { line: 1, expected: expectedLines[0], actual: `simulate threw: ${run.message}` };
        results.push({ name: snippet.name, column, target, matches: false, mismatch, expectedExit: recorded.exitCode, actualExit: undefined, end: run, linesMatched: 0, linesExpected: expectedLines.length });
        continue;
      }
      const output = simulatedOutput(run, snippet);
      const actualLines = splitLines(output);
      const linesMatched = expectedLines.filter((line, index) => actualLines[index] === line).length;
      let mismatch = firstMismatch(recorded.output, output);
      if (!mismatch && run.exitCode !== recorded.exitCode) mismatch = { line: 0, expected: `exit ${recorded.exitCode}`, actual: `exit ${run.exitCode}` };
      results.push({
        name: snippet.name, column, target, matches: mismatch === undefined, mismatch, expectedExit: recorded.exitCode, actualExit: run.exitCode, end: run.end,
        linesMatched, linesExpected: expectedLines.length,
      });
    }
  }
  return { results };
}

// ---- baseline ratchet ------------------------------------------------------------------------------------------

export type PairKey = `${string}\t${string}`;

export function pairKey(name: string, column: string): PairKey {
  return `${name}\t${column}`;
}

/** The (snippet, column) pairs known to match; missing file = none yet. */
export function readBaseline(file = BASELINE_FILE): Set<PairKey> {
  if (!fs.existsSync(file)) return new Set();
  const pairs = new Set<PairKey>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('snippet\t')) continue;
    const [name, column] = line.split('\t');
    pairs.add(pairKey(name, column));
  }
  return pairs;
}

export function writeBaseline(run: ConformanceRun, file = BASELINE_FILE): number {
  const passing = run.results.filter((result) => result.matches).map((result) => `${result.name}\t${result.column}`);
  const header = `# (snippet, corpus column) pairs the GC simulator matches exactly; conformance.test.ts fails if one stops matching.\n# Regenerate from a fresh run: ${UPDATE_COMMAND}\nsnippet\tcolumn\n`;
  fs.writeFileSync(file, header + passing.sort().map((line) => `${line}\n`).join(''));
  return passing.length;
}

export interface RatchetVerdict {
  /** Pairs in the baseline that no longer match (the test fails on these). */
  readonly regressed: readonly PairResult[];
  /** Pairs in the baseline that were not run (snippet renamed, column dropped, or marked `no`). */
  readonly unknown: readonly string[];
  /** Matching pairs the baseline does not list yet. */
  readonly newlyPassing: readonly PairResult[];
}

export function checkRatchet(run: ConformanceRun, baseline: ReadonlySet<PairKey>): RatchetVerdict {
  const byKey = new Map(run.results.map((result) => [pairKey(result.name, result.column), result]));
  const regressed = run.results.filter((result) => !result.matches && baseline.has(pairKey(result.name, result.column)));
  const unknown = [...baseline].filter((key) => !byKey.has(key)).map((key) => key.replace('\t', ' @ '));
  const newlyPassing = run.results.filter((result) => result.matches && !baseline.has(pairKey(result.name, result.column)));
  return { regressed, unknown, newlyPassing };
}

// ---- report ------------------------------------------------------------------------------------------------------

function clip(text: string | undefined, width = 70): string {
  if (text === undefined) return '(nothing)';
  const shown = JSON.stringify(text);
  return shown.length > width ? `${shown.slice(0, width - 1)}…"` : shown;
}

export function describeEnd(end: PairResult['end']): string {
  return end.kind === 'threw' ? `simulate threw: ${end.message}` : describeSimulationEnd(end);
}

export function describeMismatch(result: PairResult): string {
  const mismatch = result.mismatch;
  if (!mismatch) return 'matches';
  const where = mismatch.line === 0 ? `exit status: expected ${mismatch.expected ?? `exit ${result.expectedExit}`}, got ${mismatch.actual ?? `exit ${result.actualExit}`}` : `line ${mismatch.line}: expected ${clip(mismatch.expected)}, got ${clip(mismatch.actual)}`;
  return `${where} [${describeEnd(result.end)}]`;
}

/** Per column: exact matches of `yes` snippets, of `partial` snippets, and the partial snippets' matching lines. */
export function formatTable(run: ConformanceRun): string {
  const lines = ['GC simulator conformance: exact matches with the recorded CPython output (normalized), per corpus column', ''];
  lines.push(`${'column'.padEnd(14)}${'yes'.padEnd(12)}${'partial'.padEnd(12)}partial lines`);
  for (const column of CORPUS_COLUMNS) {
    const rows = run.results.filter((result) => result.column === column);
    const yes = rows.filter((result) => result.target === 'yes');
    const partial = rows.filter((result) => result.target === 'partial');
    const count = (list: readonly PairResult[]): string => `${list.filter((result) => result.matches).length}/${list.length}`;
    const partialLines = `${partial.reduce((sum, result) => sum + result.linesMatched, 0)}/${partial.reduce((sum, result) => sum + result.linesExpected, 0)}`;
    lines.push(`${column.padEnd(14)}${count(yes).padEnd(12)}${count(partial).padEnd(12)}${partialLines}`);
  }
  return lines.join('\n');
}

/** What issue 4 asks (100% of `yes` for 3.8–3.13) against this run: the gap, column by column. */
export function formatTargetGap(run: ConformanceRun): string {
  const gaps = TARGET_COLUMNS.map((column) => {
    const yes = run.results.filter((result) => result.column === column && result.target === 'yes');
    return { column, missing: yes.filter((result) => !result.matches).length, total: yes.length };
  });
  const missing = gaps.reduce((sum, gap) => sum + gap.missing, 0);
  if (missing === 0) return 'Target met: every `yes` snippet matches on 3.8-3.13.';
  return `Target (issue 4: 100% of the yes snippets on 3.8-3.13) NOT met yet: ${gaps.map((gap) => `${gap.column} ${gap.missing} of ${gap.total} missing`).join(', ')}.`;
}

/** One line per failing snippet: the columns it fails on and its first mismatch (the same mismatch's columns grouped). */
export function formatMismatches(run: ConformanceRun, target: 'yes' | 'partial'): string {
  const failing = run.results.filter((result) => !result.matches && result.target === target);
  const byName = new Map<string, PairResult[]>();
  for (const result of failing) byName.set(result.name, [...(byName.get(result.name) ?? []), result]);
  const lines: string[] = [];
  for (const [name, results] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const groups = new Map<string, string[]>();
    for (const result of results) {
      const text = target === 'partial' ? `${result.linesMatched}/${result.linesExpected} lines; ${describeMismatch(result)}` : describeMismatch(result);
      groups.set(text, [...(groups.get(text) ?? []), result.column]);
    }
    for (const [text, columns] of groups) lines.push(`  ${name} (${columns.join(' ')}): ${text}`);
  }
  return lines.length > 0 ? lines.join('\n') : '  (none)';
}

export function formatReport(run: ConformanceRun): string {
  return [
    formatTable(run),
    '',
    formatTargetGap(run),
    '',
    'First mismatch per failing `yes` snippet:',
    formatMismatches(run, 'yes'),
    '',
    'Partial snippets (only their user-created part is simulatable; reported, not required):',
    formatMismatches(run, 'partial'),
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const { requireGcCorpus } = await import('../support/gcCorpus');
  const { loadPythonParser, parserPreferenceFromEnv } = await import('../../server/src/syntax/loadParser');
  const { parser } = await loadPythonParser(parserPreferenceFromEnv());
  const filter = argv.find((arg) => !arg.startsWith('--'));
  const run = runConformance(requireGcCorpus(), parser, filter ? (snippet) => snippet.name.includes(filter) : undefined);
  if (filter) process.stdout.write(`(only the snippets whose name contains "${filter}")\n`);
  process.stdout.write(`${formatReport(run)}\n`);
  const verdict = checkRatchet(run, readBaseline());
  if (argv.includes('--update')) {
    if (filter) {
      process.stderr.write('--update rewrites the baseline from a full run: leave out the snippet filter\n');
      return 2;
    }
    const count = writeBaseline(run);
    process.stdout.write(`\nWrote ${count} passing pairs to ${path.relative(process.cwd(), BASELINE_FILE)}${verdict.regressed.length > 0 ? ` (${verdict.regressed.length} pairs dropped that no longer match)` : ''}.\n`);
    return 0;
  }
  process.stdout.write(`\nBaseline: ${verdict.regressed.length} regressed, ${verdict.newlyPassing.length} newly passing (add them: ${UPDATE_COMMAND}).\n`);
  return verdict.regressed.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code), (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  });
}
