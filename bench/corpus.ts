// Finds and reads the benchmark corpus: every .py file under a folder (default: the newest pyenv CPython's Lib).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigResolver } from '../server/src/workspace/projectSettings';
import { collectFiles } from '../server/src/workspace/pythonFiles';
import { readSourceSync } from '../server/src/workspace/sourceFile';

export interface CorpusFile {
  /** Absolute path. */
  readonly path: string;
  /** Path relative to the corpus root, with forward slashes: the key every report uses. */
  readonly relative: string;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const pb = b.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** `$PYENV_ROOT/versions/<newest 3.x>/lib/python3.x`, or undefined when pyenv has no CPython 3. */
export function defaultCorpusRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const pyenvRoot = env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  const versionsDir = path.join(pyenvRoot, 'versions');
  let versions: string[];
  try {
    versions = fs.readdirSync(versionsDir).filter((name) => /^3\.\d+\.\d+$/.test(name));
  } catch {
    return undefined;
  }
  versions.sort(compareVersions).reverse();
  for (const version of versions) {
    const minor = version.split('.').slice(0, 2).join('.');
    const lib = path.join(versionsDir, version, 'lib', `python${minor}`);
    if (fs.existsSync(lib)) return lib;
  }
  return undefined;
}

/**
 * The Python files under `root` that `gclens check` would check there (the same walk: .gitignore, `exclude`,
 * site-packages and other tool directories skipped), sorted by relative path. A file root is the one file.
 */
export function listCorpus(root: string): CorpusFile[] {
  const absoluteRoot = path.resolve(root);
  if (fs.statSync(absoluteRoot).isFile()) return [{ path: absoluteRoot, relative: path.basename(absoluteRoot) }];
  const { tasks } = collectFiles([absoluteRoot], absoluteRoot, new ConfigResolver({}));
  return tasks.map((task) => ({ path: task.absolutePath, relative: path.relative(absoluteRoot, task.absolutePath).split(path.sep).join('/') }));
}

/**
 * The file's text as every GC Lens front end reads it (UTF-8, byte-order mark dropped), or undefined for a file
 * they skip (binary, not UTF-8, too large, unreadable).
 */
export function readCorpusText(file: CorpusFile): string | undefined {
  const source = readSourceSync(file.path);
  return source.kind === 'text' ? source.text : undefined;
}

/** Lines as `wc -l` counts them, plus a last line without a newline. */
export function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.length > 0 && !text.endsWith('\n') ? lines + 1 : lines;
}

/** A deterministic subset for `--quick`: every n-th file, so the sample spans the whole tree. */
export function sampleCorpus(files: readonly CorpusFile[], count: number): CorpusFile[] {
  if (files.length <= count) return [...files];
  const step = files.length / count;
  const sample: CorpusFile[] = [];
  for (let i = 0; i < count; i++) sample.push(files[Math.floor(i * step)]);
  return sample;
}

/** The `count` largest files by line count (the latency benchmarks edit these). */
export function largestFiles(files: readonly CorpusFile[], count: number): { file: CorpusFile; text: string; lines: number }[] {
  const sized = files.flatMap((file) => {
    const text = readCorpusText(file);
    return text === undefined ? [] : [{ file, text, lines: countLines(text) }];
  });
  sized.sort((a, b) => b.lines - a.lines);
  return sized.slice(0, count);
}
