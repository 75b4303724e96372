// Builds the bundles and packs the .vsix (vsce, offline): `node scripts/package.mjs [--no-build] [out.vsix]`, default gclens.vsix.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
// --no-build packs dist/ as it is: the tests pack while other tests run the bundles, which a rebuild would replace.
const build = !args.includes('--no-build');
const out = path.resolve(args.find((arg) => !arg.startsWith('--')) ?? path.join(root, 'gclens.vsix'));

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`package: ${path.basename(command)} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

if (build) run(process.execPath, [path.join(root, 'scripts', 'build.mjs')]);
// --no-dependencies: the bundles need no node_modules but dist/node_modules, which .vscodeignore lets in.
run(path.join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', out]);
