// Bundles the client and the server/CLI with esbuild and copies the wasm fallback beside them.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
// Native modules find their binaries relative to their own package; the wasm runtime is loaded by path.
const external = ['vscode', 'tree-sitter', 'tree-sitter-python', 'web-tree-sitter'];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external,
  logLevel: 'warning',
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: [path.join(root, 'client/src/extension.ts')], outfile: path.join(dist, 'client.js') }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/lsp/main.ts')], outfile: path.join(dist, 'server.js') }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/cli/main.ts')], outfile: path.join(dist, 'cli.js') }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/cli/checkWorker.ts')], outfile: path.join(dist, 'checkWorker.js') }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/lsp/simulationWorker.ts')], outfile: path.join(dist, 'simulationWorker.js') }),
].map((p) => p.catch((error) => {
  // A missing entry point during bootstrap is reported, not fatal for the others.
  console.error(`build: ${error.message.split('\n')[0]}`);
  process.exitCode = 1;
})));

const nodeModules = path.join(root, 'node_modules');
fs.mkdirSync(path.join(dist, 'wasm'), { recursive: true });
for (const [pkg, file] of [['web-tree-sitter', 'tree-sitter.wasm'], ['tree-sitter-python', 'tree-sitter-python.wasm']]) {
  // By folder, not require.resolve: web-tree-sitter's exports map hides its package.json.
  fs.copyFileSync(path.join(nodeModules, pkg, file), path.join(dist, 'wasm', file));
}

// The parser packages the bundle loads at run time, staged beside it: `require('tree-sitter')` from dist/*.js
// resolves dist/node_modules first, so the tests run the very layout the .vsix ships (which has no other
// node_modules). Native: every platform's prebuild plus this machine's build; wasm: the runtime's JS (its
// .wasm is dist/wasm's copy).
const staged = {
  'tree-sitter': ['package.json', 'index.js', 'prebuilds'],
  'tree-sitter-python': ['package.json', 'bindings/node/index.js', 'src/node-types.json', 'prebuilds'],
  'node-gyp-build': ['package.json', 'index.js', 'node-gyp-build.js'],
  'web-tree-sitter': ['package.json', 'tree-sitter.cjs'],
};
fs.rmSync(path.join(dist, 'node_modules'), { recursive: true, force: true });
for (const [pkg, entries] of Object.entries(staged)) {
  for (const entry of entries) {
    const source = path.join(nodeModules, pkg, entry);
    if (fs.existsSync(source)) fs.cpSync(source, path.join(dist, 'node_modules', pkg, entry), { recursive: true });
  }
  stageLocalNativeBuild(pkg);
}

/**
 * A native module compiled here at install (tree-sitter 0.25.1's linux-x64 prebuild needs GLIBCXX_3.4.31, which
 * Debian 12 lacks, so node-gyp-build compiles it) ships as an extra prebuild of this platform tagged `napi`, not
 * as build/Release: node-gyp-build takes build/Release before any prebuild without checking its platform, so a
 * Linux build there would shadow the macOS and Windows prebuilds. Among one platform's files it prefers the one
 * with more tags, so this build wins over the shipped prebuild where both exist.
 */
function stageLocalNativeBuild(pkg) {
  const release = path.join(nodeModules, pkg, 'build', 'Release');
  const binary = fs.existsSync(release) ? fs.readdirSync(release).find((name) => name.endsWith('.node')) : undefined;
  if (!binary) return; // the shipped prebuild loaded here, nothing was compiled
  const target = path.join(dist, 'node_modules', pkg, 'prebuilds', `${process.platform}-${process.arch}`, `${pkg}.napi.node`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(release, binary), target);
}
