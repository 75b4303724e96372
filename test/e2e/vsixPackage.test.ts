// The packed .vsix (scripts/package.mjs, as `npm run package`): the bundles, every platform's parser prebuilds, the wasm fallback, and nothing else.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { packVsix } from './support/extensionArtifacts';
import { REPO_ROOT } from './support/e2eTools';
import { readZip } from './support/zipArchive';

/** The platforms tree-sitter 0.25.1 and tree-sitter-python 0.25.0 ship prebuilds for (their `prebuilds/` folders). */
const PLATFORMS = ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'win32-arm64', 'win32-x64'];
const NATIVE_PACKAGES = ['tree-sitter', 'tree-sitter-python'];

function localNativeBuild(pkg: string): string | undefined {
  const release = path.join(REPO_ROOT, 'node_modules', pkg, 'build', 'Release');
  return fs.existsSync(release) ? fs.readdirSync(release).find((name) => name.endsWith('.node')) : undefined;
}

/** Every entry the .vsix must hold, and may hold: the exact list. */
function expectedEntries(): string[] {
  const entries = [
    '[Content_Types].xml',
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/readme.md',
    'extension/LICENSE.txt',
    'extension/syntaxes/gclens-suppression.injection.tmLanguage.json',
    'extension/syntaxes/gclens-trace.tmLanguage.json',
    'extension/syntaxes/gclens-trace.language-configuration.json',
    'extension/dist/client.js',
    'extension/dist/server.js',
    'extension/dist/simulationWorker.js',
    'extension/dist/wasm/tree-sitter.wasm',
    'extension/dist/wasm/tree-sitter-python.wasm',
    'extension/dist/node_modules/node-gyp-build/package.json',
    'extension/dist/node_modules/node-gyp-build/index.js',
    'extension/dist/node_modules/node-gyp-build/node-gyp-build.js',
    'extension/dist/node_modules/web-tree-sitter/package.json',
    'extension/dist/node_modules/web-tree-sitter/tree-sitter.cjs',
    'extension/dist/node_modules/tree-sitter/package.json',
    'extension/dist/node_modules/tree-sitter/index.js',
    'extension/dist/node_modules/tree-sitter-python/package.json',
    'extension/dist/node_modules/tree-sitter-python/bindings/node/index.js',
    'extension/dist/node_modules/tree-sitter-python/src/node-types.json',
  ];
  for (const pkg of NATIVE_PACKAGES) {
    for (const platform of PLATFORMS) entries.push(`extension/dist/node_modules/${pkg}/prebuilds/${platform}/${pkg}.node`);
    // Compiled here at install when the shipped prebuild cannot load (tree-sitter on Debian 12: GLIBCXX_3.4.31).
    if (localNativeBuild(pkg)) entries.push(`extension/dist/node_modules/${pkg}/prebuilds/${process.platform}-${process.arch}/${pkg}.napi.node`);
  }
  return entries.sort();
}

describe('the .vsix', () => {
  let archive: ReturnType<typeof readZip>;
  let names: string[];
  before(() => {
    archive = readZip(packVsix());
    names = archive.entries.map((entry) => entry.name).sort();
  });

  it('the npm packages still ship prebuilds for exactly these platforms', () => {
    for (const pkg of NATIVE_PACKAGES) {
      assert.deepEqual(fs.readdirSync(path.join(REPO_ROOT, 'node_modules', pkg, 'prebuilds')).sort(), PLATFORMS, pkg);
    }
  });

  it('holds the bundles, every prebuild, the local build and the wasm fallback, and nothing else', () => {
    const expected = expectedEntries();
    assert.deepEqual(expected.filter((name) => !names.includes(name)), [], 'missing from the .vsix');
    assert.deepEqual(names.filter((name) => !expected.includes(name)), [], 'unexpected in the .vsix');
  });

  it('carries no sources, tests, maps, type declarations or stray node_modules', () => {
    const junk = names.filter((name) => /(^|\/)(test|tests|client\/src|server\/src|scripts|examples|e2e|\.vscode)\//.test(name)
      || /\.(ts|map|md|gyp|cc|h|c)$/.test(name) && name !== 'extension/readme.md'
      || /^extension\/node_modules\//.test(name)
      || /\/(build\/|obj\.target)/.test(name));
    assert.deepEqual(junk, []);
  });

  it('this machine\'s build is what node-gyp-build loads from the unpacked layout (dist/node_modules)', () => {
    // dist/node_modules is the layout the .vsix carries; require it as the bundled server does.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeGypBuild = require(path.join(REPO_ROOT, 'dist', 'node_modules', 'node-gyp-build')) as { resolve(dir: string): string };
    const chosen = path.relative(path.join(REPO_ROOT, 'dist', 'node_modules'), nodeGypBuild.resolve(path.join(REPO_ROOT, 'dist', 'node_modules', 'tree-sitter')));
    const expected = localNativeBuild('tree-sitter') ? `tree-sitter.napi.node` : 'tree-sitter.node';
    assert.equal(chosen, path.join('tree-sitter', 'prebuilds', `${process.platform}-${process.arch}`, expected));
  });

  it('its manifest activates on Python and points at the bundled client it carries', () => {
    const manifest = JSON.parse(archive.content('extension/package.json').toString('utf8')) as { main: string; activationEvents: string[]; engines: { vscode: string } };
    assert.ok(manifest.activationEvents.includes('onLanguage:python'), JSON.stringify(manifest.activationEvents));
    assert.ok(names.includes(path.posix.join('extension', manifest.main)), manifest.main);
    assert.match(manifest.engines.vscode, /^\^1\.\d+\.\d+$/);
    assert.match(archive.content('extension/dist/server.js').toString('utf8'), /require\("tree-sitter"\)/);
  });

  it('unpacks to the same bytes as dist/ (what the tests run is what ships)', () => {
    for (const name of names.filter((entry) => entry.startsWith('extension/dist/'))) {
      const onDisk = fs.readFileSync(path.join(REPO_ROOT, name.slice('extension/'.length)));
      assert.ok(archive.content(name).equals(onDisk), name);
    }
  });
});
