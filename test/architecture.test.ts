// ARCHITECTURE.md's layering invariants, checked on the import statements of every source file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const SERVER = path.resolve(__dirname, '..', 'server', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier a file imports or requires. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1]);
}

const layerOf = (file: string): string => path.relative(SERVER, file).split(path.sep)[0];

test('the analysis core imports neither vscode nor the language-server packages', () => {
  const core = new Set(['syntax', 'semantic', 'rules', 'analysis', 'workspace', 'simulator', 'report']);
  const offenders = sourceFiles(SERVER)
    .filter((file) => core.has(layerOf(file)))
    .flatMap((file) => importsOf(file).filter((spec) => /^vscode(-languageserver|-languageclient|-jsonrpc)?(\/|$)/.test(spec)).map((spec) => `${path.relative(SERVER, file)} imports ${spec}`));
  assert.deepEqual(offenders, []);
});

test('lsp/ and cli/ never import each other, and the core imports neither', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(SERVER)) {
    const layer = layerOf(file);
    for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
      const target = layerOf(path.resolve(path.dirname(file), spec));
      const allowed = layer === target || !['lsp', 'cli'].includes(target);
      if (!allowed) offenders.push(`${path.relative(SERVER, file)} (${layer}) imports ${spec} (${target})`);
    }
  }
  assert.deepEqual(offenders, []);
});

/** Relative imports from `layer`'s files that land outside `layer` and `allowed`. */
function importsOutside(layer: string, allowed: readonly string[]): string[] {
  const offenders: string[] = [];
  for (const file of sourceFiles(SERVER).filter((f) => layerOf(f) === layer)) {
    for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
      const target = layerOf(path.resolve(path.dirname(file), spec));
      if (target !== layer && !allowed.includes(target)) offenders.push(`${path.relative(SERVER, file)} imports ${spec} (${target})`);
    }
  }
  return offenders;
}

test('the simulator depends only on the parser layer: no rules, analysis, LSP or CLI', () => {
  assert.deepEqual(importsOutside('simulator', ['syntax']), []);
});

test('the report renderer reads only the simulator\'s contract: no parser, rules, LSP or CLI', () => {
  assert.deepEqual(importsOutside('report', ['simulator']), []);
});

test('the client holds no analysis: it imports nothing from server/', () => {
  const client = path.resolve(__dirname, '..', 'client', 'src');
  const offenders = sourceFiles(client).flatMap((file) => importsOf(file).filter((spec) => spec.includes('server/')).map((spec) => `${file}: ${spec}`));
  assert.deepEqual(offenders, []);
});

test('every source file opens with one line on what it is for', () => {
  const roots = [SERVER, path.resolve(__dirname, '..', 'client', 'src')];
  const missing = roots.flatMap(sourceFiles).filter((file) => !fs.readFileSync(file, 'utf8').startsWith('// '));
  assert.deepEqual(missing.map((file) => path.relative(path.resolve(__dirname, '..'), file)), []);
});
