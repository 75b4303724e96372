// Runs Debian's pylint with only W0102 (dangerous-default-value) over the corpus in chunks, caching its JSON.
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CorpusFile } from '../corpus';

/** One W0102 report, or a file pylint could not parse (`syntax-error`), normalised to corpus-relative paths. */
export interface PylintMessage {
  readonly relative: string;
  /** 1-based line pylint reports: the default value's line. */
  readonly line: number;
  readonly column: number;
  readonly symbol: string;
  readonly message: string;
}

export interface PylintRun {
  readonly version: string;
  readonly messages: PylintMessage[];
  readonly seconds: number;
  readonly cached: boolean;
}

interface RawPylintMessage {
  path?: string;
  line?: number;
  column?: number;
  symbol?: string;
  message?: string;
}

const CHUNK_SIZE = 150;

export function pylintVersion(): string | undefined {
  const result = spawnSync('pylint', ['--version'], { encoding: 'utf8' });
  if (result.status !== 0 || !result.stdout) return undefined;
  return result.stdout.split('\n')[0].trim();
}

function cacheKey(root: string, files: readonly CorpusFile[], version: string): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${version}\n${root}\n`);
  for (const file of files) hash.update(`${file.relative}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** The JSON array pylint printed (after any crash report it wrote first), or undefined when it printed none. */
function parseChunkOutput(stdout: string, root: string): PylintMessage[] | undefined {
  const start = /^\[(\]|\s*$)/m.exec(stdout)?.index;
  if (start === undefined) return undefined;
  let raw: RawPylintMessage[];
  try {
    raw = JSON.parse(stdout.slice(start)) as RawPylintMessage[];
  } catch {
    return undefined;
  }
  return raw
    .filter((m) => typeof m.path === 'string' && typeof m.line === 'number')
    .map((m) => ({
      relative: path.relative(root, path.resolve(root, m.path as string)).split(path.sep).join('/'),
      line: m.line as number,
      column: m.column ?? 0,
      symbol: m.symbol ?? '',
      message: m.message ?? '',
    }));
}

function pylintOnce(root: string, relatives: readonly string[], parallel: boolean): PylintMessage[] | undefined {
  const result = spawnSync(
    'pylint',
    ['--disable=all', '--enable=W0102,E0001,F0002', '--output-format=json', parallel ? '--jobs=2' : '--jobs=1', '--score=n', '--persistent=n', ...relatives],
    { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  return parseChunkOutput(result.stdout ?? '', root);
}

/**
 * One chunk. Pylint's parallel mode loses the whole chunk's output when astroid fails on one file (its serial mode
 * reports that file as F0002 astroid-error instead): on a lost chunk, rerun it serially.
 */
function runChunk(root: string, relatives: readonly string[], parallel: boolean): PylintMessage[] {
  const parsed = pylintOnce(root, relatives, parallel);
  if (parsed) return parsed;
  if (parallel) return runChunk(root, relatives, false);
  return relatives.map((relative) => ({ relative, line: 1, column: 0, symbol: 'no-output', message: 'pylint printed no JSON for this file' }));
}

/**
 * Pylint over every file, `--jobs 2`, in chunks (one process per chunk keeps memory and argv bounded).
 * The result is cached under `cacheDir` keyed by pylint's version and the file list: a full run takes minutes.
 */
export function runPylintW0102(root: string, files: readonly CorpusFile[], cacheDir: string, log: (line: string) => void): PylintRun | undefined {
  const version = pylintVersion();
  if (!version) return undefined;
  const cacheFile = path.join(cacheDir, `pylint-w0102-${cacheKey(root, files, version)}.json`);
  if (fs.existsSync(cacheFile)) {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Omit<PylintRun, 'cached'>;
    return { ...cached, cached: true };
  }
  const started = process.hrtime.bigint();
  const messages: PylintMessage[] = [];
  for (let i = 0; i < files.length; i += CHUNK_SIZE) {
    const chunk = files.slice(i, i + CHUNK_SIZE).map((file) => file.relative);
    log(`pylint: files ${i + 1}-${i + chunk.length} of ${files.length}`);
    messages.push(...runChunk(root, chunk, true));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const run = { version, messages, seconds };
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(cacheFile, JSON.stringify(run));
  return { ...run, cached: false };
}
