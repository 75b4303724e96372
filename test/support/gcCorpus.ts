// The shared GC conformance corpus (snippets, manifest, CPython's recorded outputs) and its output normalization.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TargetVersion } from '../../server/src/simulator/simulatorTypes';
import { REPO_ROOT } from './ensureBuilt';
import { applySed, parseSedSubstitution, type SedSubstitution } from './gcCorpusSed';

/** The recorded columns the conformance test compares (2.7 is recorded too but is not a simulator target here). */
export const CORPUS_COLUMNS = ['3.6', '3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14-pyodide'] as const;
export type CorpusColumn = (typeof CORPUS_COLUMNS)[number];

/** The simulator target version a recorded column stands for (`3.14-pyodide` is the 3.14 reference). */
export function columnTarget(column: CorpusColumn): TargetVersion {
  return column === '3.14-pyodide' ? '3.14' : column;
}

export type SimulatorTarget = 'yes' | 'partial' | 'no';

export interface ManifestRow {
  readonly name: string;
  readonly kind: string;
  readonly py27: boolean;
  readonly oracleSed: boolean;
  readonly simulatorTarget: SimulatorTarget;
  readonly targetNote: string;
  readonly description: string;
}

export interface Snippet extends ManifestRow {
  readonly fileName: string;
  readonly source: string;
  /** The header's `# oracle-sed: EXPR` lines, parsed. */
  readonly oracleSeds: readonly SedSubstitution[];
}

/** A recorded CPython result: normalized stdout+stderr as interleaved, and the exit status. */
export interface RecordedOutput {
  readonly output: string;
  readonly exitCode: number;
}

export const CORPUS_ENV = 'GCLENS_GC_CORPUS';

/**
 * Where the corpus is: $GCLENS_GC_CORPUS, else `shared/gc-corpus` beside the repository or beside one of its
 * parent folders (`../shared/gc-corpus` for a checkout next to `shared/`, `../../shared` for a worktree one deeper).
 */
export function locateGcCorpus(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env[CORPUS_ENV];
  if (fromEnv) return fs.existsSync(path.join(fromEnv, 'manifest.tsv')) ? path.resolve(fromEnv) : undefined;
  for (let dir = path.dirname(REPO_ROOT); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'gc-corpus');
    if (fs.existsSync(path.join(candidate, 'manifest.tsv'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The corpus root, or an error that says where it was looked for and how to point at it. */
export function requireGcCorpus(env: NodeJS.ProcessEnv = process.env): string {
  const root = locateGcCorpus(env);
  if (root) return root;
  const where = env[CORPUS_ENV] ? `$${CORPUS_ENV}=${env[CORPUS_ENV]} (no manifest.tsv there)` : `shared/gc-corpus beside ${REPO_ROOT} or its parent folders`;
  throw new Error(`the GC conformance corpus was not found: looked at ${where}. It is part of the CI machine; set ${CORPUS_ENV} to its folder.`);
}

/** Rows of a tab-separated file with a header line, as objects keyed by the header's column names. */
export function readTsv(file: string): Record<string, string>[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0);
  const header = lines[0]?.split('\t') ?? [];
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(header.map((column, index) => [column, cells[index] ?? '']));
  });
}

function requiredColumn(row: Record<string, string>, column: string, file: string): string {
  const value = row[column];
  if (value === undefined) throw new Error(`${file}: no column "${column}"`);
  return value;
}

export function readManifest(root: string): ManifestRow[] {
  const file = path.join(root, 'manifest.tsv');
  return readTsv(file).map((row) => {
    const target = requiredColumn(row, 'simulator_target', file);
    if (target !== 'yes' && target !== 'partial' && target !== 'no') throw new Error(`${file}: ${row.name}: simulator_target "${target}"`);
    return {
      name: requiredColumn(row, 'name', file),
      kind: requiredColumn(row, 'kind', file),
      py27: requiredColumn(row, 'py27', file) === 'yes',
      oracleSed: requiredColumn(row, 'oracle_sed', file) === 'yes',
      simulatorTarget: target,
      targetNote: requiredColumn(row, 'target_note', file),
      description: requiredColumn(row, 'description', file),
    };
  });
}

const ORACLE_SED = /^# oracle-sed: (.*)$/;

/** The `# oracle-sed:` expressions of a snippet's source, in order (run_oracle.sh reads every such line). */
export function oracleSedExpressions(source: string): string[] {
  return source.split('\n').flatMap((line) => {
    const match = ORACLE_SED.exec(line);
    return match ? [match[1]] : [];
  });
}

export function readSnippets(root: string): Snippet[] {
  return readManifest(root).map((row) => {
    const fileName = `${row.name}.py`;
    const source = fs.readFileSync(path.join(root, 'snippets', fileName), 'utf8');
    return { ...row, fileName, source, oracleSeds: oracleSedExpressions(source).map(parseSedSubstitution) };
  });
}

/** Exit status per snippet of one column. */
export function readExitCodes(root: string, column: CorpusColumn): Map<string, number> {
  const codes = new Map<string, number>();
  const text = fs.readFileSync(path.join(root, 'expected', column, 'exit_codes.tsv'), 'utf8');
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [name, code] = line.split('\t');
    codes.set(name, Number(code));
  }
  return codes;
}

/** The interpreter behind each recorded column (`3.12` → `CPython 3.12.1`). */
export function readVersions(root: string): Map<string, string> {
  return new Map(readTsv(path.join(root, 'expected', 'versions.tsv')).map((row) => [row.column, row.interpreter]));
}

/** One column's recorded result for a snippet, or undefined when that column did not run it. */
export function readRecorded(root: string, column: CorpusColumn, name: string, exitCodes: ReadonlyMap<string, number>): RecordedOutput | undefined {
  const file = path.join(root, 'expected', column, `${name}.out`);
  const exitCode = exitCodes.get(name);
  if (!fs.existsSync(file) || exitCode === undefined) return undefined;
  return { output: fs.readFileSync(file, 'utf8'), exitCode };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The always-applied part of run_oracle.sh's normalization, for output produced with `snippetDirs` as the folder. */
function baseSubstitutions(snippetDirs: readonly string[]): SedSubstitution[] {
  const expressions = [
    ...snippetDirs.map((dir) => `s#${escapeRegExp(dir.endsWith('/') ? dir : `${dir}/`)}##g`),
    's#/snip/##g',
    's#File "[^"]*/lib/python[0-9.]+/#File "<stdlib>/#g',
    's#0x[0-9a-fA-F]+#0xADDR#g',
  ];
  return expressions.map(parseSedSubstitution);
}

/**
 * Normalizes raw interleaved stdout+stderr the way the corpus README says (and run_oracle.sh does): the snippet
 * folder prefix removed from file names, stdlib paths → `<stdlib>/...`, hex addresses → `0xADDR`, then the
 * snippet's own oracle-sed lines. Apply it once to raw output: it is not idempotent (`0xADDR` reads as hex `0xADD`).
 */
export function normalizeOutput(raw: string, snippet: Pick<Snippet, 'oracleSeds'>, snippetDirs: readonly string[] = []): string {
  return applySed(raw, [...baseSubstitutions(snippetDirs), ...snippet.oracleSeds]);
}
