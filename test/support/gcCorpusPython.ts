// The pyenv CPythons on this machine, run the way the corpus oracle (run_oracle.sh) runs a snippet.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { normalizeOutput, type RecordedOutput, type Snippet } from './gcCorpus';

export function pyenvRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
}

/** `$PYENV_ROOT/versions/X.Y.Z/bin/python` for a version `X.Y` (the newest patch release), if installed. */
export function findPyenvPython(version: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const versions = path.join(pyenvRoot(env), 'versions');
  let entries: string[];
  try {
    entries = fs.readdirSync(versions);
  } catch {
    return undefined;
  }
  const patch = (name: string): number => Number(name.slice(version.length + 1));
  const candidates = entries.filter((name) => name.startsWith(`${version}.`) && /^\d+$/.test(name.slice(version.length + 1)));
  for (const name of candidates.sort((a, b) => patch(b) - patch(a))) {
    const binary = path.join(versions, name, 'bin', 'python');
    if (fs.existsSync(binary)) return binary;
  }
  return undefined;
}

/** The oracle's environment: nothing inherited but PATH, a scratch HOME, UTF-8, hash seed 0, unbuffered, no colour. */
export function oracleEnvironment(home: string): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, LC_ALL: 'C.UTF-8', PYTHONHASHSEED: '0', PYTHONUNBUFFERED: '1',
    PYTHONIOENCODING: 'utf-8', PYTHON_COLORS: '0', NO_COLOR: '1',
  };
}

export interface RawRun {
  /** stdout and stderr interleaved as written (one file behind both descriptors, as `>out 2>&1`). */
  readonly raw: string;
  readonly exitCode: number;
}

/** Runs `python -s FILE` in `dir` with the oracle's environment; stdout and stderr go to one file, in order. */
export function runPythonFile(python: string, dir: string, fileName: string, timeoutMs = 120_000): RawRun {
  const outFile = path.join(os.tmpdir(), `gclens-python-${process.pid}-${Math.random().toString(36).slice(2)}.out`);
  const fd = fs.openSync(outFile, 'w');
  try {
    const result = spawnSync(python, ['-s', fileName], { cwd: dir, env: oracleEnvironment(dir), stdio: ['ignore', fd, fd], timeout: timeoutMs });
    if (result.error) throw result.error;
    return { raw: fs.readFileSync(outFile, 'utf8'), exitCode: result.status ?? 128 + 9 };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(outFile, { force: true });
  }
}

/** A snippet run live under `python` from a temporary copy (so file names read as the oracle's), normalized. */
export function runSnippetLive(python: string, snippet: Snippet): RecordedOutput & { readonly raw: string; readonly dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-snippet-'));
  try {
    fs.writeFileSync(path.join(dir, snippet.fileName), snippet.source);
    const run = runPythonFile(python, dir, snippet.fileName);
    return { raw: run.raw, exitCode: run.exitCode, output: normalizeOutput(run.raw, snippet, [dir]), dir };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
