// Builds dist/ for tests that run the bundles, when a bundle is missing or older than the sources it is built from.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The bundles scripts/build.mjs writes. */
const BUNDLES = ['client.js', 'server.js', 'cli.js', 'checkWorker.js'].map((name) => path.join(REPO_ROOT, 'dist', name));

/** What the bundles are built from: the sources they bundle and the build script itself. */
const SOURCES = ['server/src', 'client/src', 'scripts/build.mjs'].map((relative) => path.join(REPO_ROOT, relative));

/** The newest modification time of a file, or of any file under a directory (0 when it does not exist). */
function newestModification(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestModification(path.join(target, entry)));
  return newest;
}

/** The oldest bundle's modification time, or undefined when one is missing. */
function oldestBundle(): number | undefined {
  let oldest = Number.POSITIVE_INFINITY;
  for (const bundle of BUNDLES) {
    if (!fs.existsSync(bundle)) return undefined;
    oldest = Math.min(oldest, fs.statSync(bundle).mtimeMs);
  }
  return oldest;
}

/** Whether dist/ must be rebuilt: a bundle is missing or older than some source. */
export function distIsStale(): boolean {
  const built = oldestBundle();
  return built === undefined || SOURCES.some((source) => newestModification(source) > built);
}

/**
 * Rebuilds dist/ when it is stale (npm test has just built it, so usually nothing happens; a lone test file
 * run after an edit gets fresh bundles). A failed build throws rather than leave the tests on old bundles.
 */
export function ensureBuilt(): void {
  if (!distIsStale()) return;
  const build = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (build.error) throw build.error;
  if (build.status !== 0) throw new Error(`the build failed (exit ${build.status ?? build.signal}):\n${build.stdout}${build.stderr}`);
  if (oldestBundle() === undefined) throw new Error(`the build succeeded but left a bundle missing: ${BUNDLES.join(', ')}`);
}
