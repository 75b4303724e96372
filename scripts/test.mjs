// The test command: type-check, lint, build, then the unit and protocol tests and, one at a time, the end-to-end editor tests, under node --test (TypeScript via tsx).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(title, command, args, env = {}) {
  console.log(`\n== ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

function testFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures' && entry.name !== 'node_modules') found.push(...testFiles(full));
    } else if (entry.name.endsWith('.test.ts')) found.push(path.relative(root, full));
  }
  return found.sort();
}

/** Runs node --test over `files`: spec output on the terminal, TAP into a file for the closing summary's counts. */
function runTests(title, files, concurrency) {
  const tap = path.join(root, 'test-results', `${title.replace(/\W+/g, '-')}.tap`);
  fs.mkdirSync(path.dirname(tap), { recursive: true });
  console.log(`\n== ${title} (${files.length} files)`);
  const result = spawnSync(process.execPath, [
    '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=600000',
    '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], { cwd: root, stdio: 'inherit', env: { ...process.env, GCLENS_STRICT_RULES: '1' } });
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { title, ok: result.status === 0, pass: count('pass'), fail: count('fail') + count('cancelled'), status: result.status ?? result.signal };
}

// `npm test -- test/cli` narrows the run to files under the given paths.
const filters = process.argv.slice(2);
const files = testFiles(path.join(root, 'test')).filter((f) => filters.length === 0 || filters.some((p) => f.startsWith(p)));
const isEndToEnd = (file) => file.startsWith(`test${path.sep}e2e${path.sep}`);
const unitFiles = files.filter((file) => !isEndToEnd(file));
const endToEndFiles = files.filter(isEndToEnd);
const started = Date.now();
// The editors the end-to-end tests drive are installed on demand (idempotent: a second run checks and returns in a
// second), so the README's two set-up commands stay the whole set-up; if that cannot work (not root, no apt), fail
// at once in one line naming what to install (never skip them).
if (endToEndFiles.length > 0) run('end-to-end setup (npm run e2e:setup)', 'bash', ['e2e/setup.sh']);
if (endToEndFiles.length > 0) run('end-to-end tools (code-server, chromium, nvim)', process.execPath, ['--import', 'tsx', 'test/e2e/support/checkTools.ts']);
run('typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', '.']);
run('lint (eslint)', bin('eslint'), ['.']);
run('build (esbuild)', process.execPath, ['scripts/build.mjs']);
const runs = [];
if (unitFiles.length > 0) runs.push(runTests('unit and protocol tests', unitFiles, 2));
// One at a time: each starts a real editor (code-server + Chromium, or Neovim) on a 2-core machine.
if (endToEndFiles.length > 0) runs.push(runTests('end-to-end tests (VS Code via code-server, Chromium UI, Neovim)', endToEndFiles, 1));
const ok = runs.every((r) => r.ok);
const seconds = Math.round((Date.now() - started) / 1000);
const parts = runs.map((r) => `${r.title}: ${r.pass} passed, ${r.fail} failed${r.ok ? '' : ` (exit ${r.status})`}`);
console.log(`\nnpm test ${ok ? 'passed' : 'FAILED'}: typecheck, lint, build ok; ${parts.join('; ')} (${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s)`);
process.exit(ok ? 0 : 1);
