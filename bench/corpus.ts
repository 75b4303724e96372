// Finds and reads the benchmark corpus: every .py file under a folder (default: the newest pyenv CPython's Lib).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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

/** Every .py file under `root` (site-packages and __pycache__ excluded), sorted by relative path. */
export function listCorpus(root: string): CorpusFile[] {
  const found: CorpusFile[] = [];
  const visit = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'site-packages' && entry.name !== '__pycache__' && entry.name !== 'node_modules') visit(full);
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        found.push({ path: full, relative: path.relative(root, full).split(path.sep).join('/') });
      }
    }
  };
  if (fs.statSync(root).isFile()) return [{ path: root, relative: path.basename(root) }];
  visit(root);
  return found.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

/** Reads a file as UTF-8 (invalid bytes become U+FFFD, as an editor would show them). */
export function readSource(file: CorpusFile): string {
  return fs.readFileSync(file.path, 'utf8');
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
  const sized = files.map((file) => {
    const text = readSource(file);
    return { file, text, lines: countLines(text) };
  });
  sized.sort((a, b) => b.lines - a.lines);
  return sized.slice(0, count);
}
