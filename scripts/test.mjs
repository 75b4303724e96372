// The test command: type-check, lint, build, then every test file under node --test (TypeScript via tsx).
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

// `npm test -- test/cli` narrows the run to files under the given paths.
const filters = process.argv.slice(2);
run('typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', '.']);
run('lint (eslint)', bin('eslint'), ['.']);
run('build (esbuild)', process.execPath, ['scripts/build.mjs']);
const files = testFiles(path.join(root, 'test')).filter((f) => filters.length === 0 || filters.some((p) => f.startsWith(p)));
run(`tests (${files.length} files)`, process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], { GCLENS_STRICT_RULES: '1' });
