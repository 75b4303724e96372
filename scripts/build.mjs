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
// node_modules). Native: this machine's build plus every platform's prebuild; wasm: the runtime's JS.
const staged = {
  'tree-sitter': ['package.json', 'index.js', 'build/Release/tree_sitter_runtime_binding.node', 'prebuilds'],
  'tree-sitter-python': ['package.json', 'bindings/node/index.js', 'src/node-types.json', 'prebuilds'],
  'node-gyp-build': ['package.json', 'index.js', 'node-gyp-build.js', 'bin.js', 'build-test.js', 'optional.js'],
  'web-tree-sitter': ['package.json', 'tree-sitter.cjs', 'tree-sitter.wasm'],
};
fs.rmSync(path.join(dist, 'node_modules'), { recursive: true, force: true });
for (const [pkg, entries] of Object.entries(staged)) {
  for (const entry of entries) {
    const source = path.join(nodeModules, pkg, entry);
    if (!fs.existsSync(source)) continue; // e.g. no local native build where the prebuild loaded
    fs.cpSync(source, path.join(dist, 'node_modules', pkg, entry), { recursive: true });
  }
}
