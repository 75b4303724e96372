// Generated and mutated Python-ish inputs for the robustness suites: fast-check arbitraries over random bytes, hostile Unicode and the seed corpus.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { locateGcCorpus } from '../support/gcCorpus';

const FIXTURE_ROOT = path.join(__dirname, '..', 'fixtures', 'rules');

/** A seed text and where it came from (named in a failure's counterexample). */
export interface SeedText {
  readonly name: string;
  readonly text: string;
}

function pythonFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...pythonFilesUnder(full));
    else if (entry.name.endsWith('.py')) found.push(full);
  }
  return found.sort();
}

let cachedSeeds: SeedText[] | undefined;

/** Every rule fixture and every corpus snippet (when the shared corpus is found), in a stable order. */
export function seedTexts(): readonly SeedText[] {
  if (cachedSeeds) return cachedSeeds;
  const seeds: SeedText[] = pythonFilesUnder(FIXTURE_ROOT).map((file) => ({ name: path.relative(FIXTURE_ROOT, file), text: fs.readFileSync(file, 'utf8') }));
  const corpus = locateGcCorpus();
  if (corpus) {
    const snippets = path.join(corpus, 'snippets');
    for (const file of pythonFilesUnder(snippets)) seeds.push({ name: `corpus/${path.basename(file)}`, text: fs.readFileSync(file, 'utf8') });
  }
  cachedSeeds = seeds;
  return seeds;
}

/** Characters that break naive text handling: lone surrogates, BOM, every line end, tabs, NUL, wide and combining characters. */
const HOSTILE_CHARACTERS = [
  '\uD800', '\uDFFF', '\uFEFF', '\r\n', '\r', '\n', '\t', '\0', '\u2028', '\u00A0', '\u0301', '😀', '\\', '"""', "'''", '#', ':', '(', ')',
  '[', ']', '{', '}', 'lambda', 'def ', 'class ', 'self', '.', ',', '=', 'del ', '    ', 'f"', '{x}', '\f', '\v', '@',
];

/** A string of hostile characters and Python-ish tokens. */
export const hostileUnicode: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_CHARACTERS), fc.string({ unit: 'binary', maxLength: 4 }), fc.string({ maxLength: 6 })), { maxLength: 80 })
  .map((parts) => parts.join(''));

/** Random bytes read as UTF-8 the lenient way (invalid sequences become U+FFFD) or as Latin-1. */
export const randomBytesText: fc.Arbitrary<string> = fc
  .tuple(fc.uint8Array({ maxLength: 400 }), fc.boolean())
  .map(([bytes, latin1]) => Buffer.from(bytes).toString(latin1 ? 'latin1' : 'utf8'));

/** One edit applied to a seed: the mutations a half-typed file goes through. */
export type Mutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'splice'; readonly at: number; readonly other: number; readonly from: number; readonly length: number }
  | { readonly kind: 'duplicate-line'; readonly line: number }
  | { readonly kind: 'delete-line'; readonly line: number }
  | { readonly kind: 'line-ends'; readonly ending: '\r\n' | '\r' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: hostileUnicode }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), other: fc.nat(), from: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('delete-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('line-ends' as const), ending: fc.constantFrom('\r\n' as const, '\r' as const) }),
);

/** Applies one mutation; positions are taken modulo the text so every generated value is meaningful. */
export function applyMutation(text: string, m: Mutation, seeds: readonly SeedText[]): string {
  const at = (n: number): number => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'delete':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case 'insert':
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case 'splice': {
      const other = seeds[m.other % seeds.length].text;
      const from = other.length === 0 ? 0 : m.from % other.length;
      return text.slice(0, at(m.at)) + other.slice(from, from + m.length) + text.slice(at(m.at));
    }
    case 'duplicate-line':
    case 'delete-line': {
      const lines = text.split('\n');
      const index = m.line % lines.length;
      if (m.kind === 'duplicate-line') lines.splice(index, 0, lines[index]);
      else lines.splice(index, 1);
      return lines.join('\n');
    }
    case 'line-ends':
      return text.replace(/\r?\n/g, m.ending);
    default: {
      const unreachable: never = m;
      return unreachable;
    }
  }
}

/** A seed text after up to four mutations. */
export function mutatedSeed(seeds: readonly SeedText[]): fc.Arbitrary<SeedText> {
  return fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([index, mutations]) => {
    const seed = seeds[index % seeds.length];
    const text = mutations.reduce((current, m) => applyMutation(current, m, seeds), seed.text);
    return { name: `${seed.name} after ${mutations.map((m) => m.kind).join(', ')}`, text };
  });
}

/** Seeds mutated only by whole-line edits and line-end changes: more of them stay valid Python (what fix checks need). */
export function lineMutatedSeed(seeds: readonly SeedText[]): fc.Arbitrary<SeedText> {
  const lineMutation = fc.oneof(
    fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
    fc.record({ kind: fc.constant('delete-line' as const), line: fc.nat() }),
    fc.record({ kind: fc.constant('line-ends' as const), ending: fc.constantFrom('\r\n' as const, '\r' as const) }),
  );
  return fc.tuple(fc.nat(), fc.array(lineMutation, { maxLength: 3 })).map(([index, mutations]) => {
    const seed = seeds[index % seeds.length];
    const text = mutations.reduce((current, m) => applyMutation(current, m, seeds), seed.text);
    return { name: `${seed.name}${mutations.length ? ` after ${mutations.map((m) => m.kind).join(', ')}` : ''}`, text };
  });
}

/** Any input the robustness targets take: bytes, hostile Unicode, mutated seeds, deep nesting. */
export function anyInput(seeds: readonly SeedText[]): fc.Arbitrary<SeedText> {
  return fc.oneof(
    { weight: 1, arbitrary: randomBytesText.map((text) => ({ name: 'random bytes', text })) },
    { weight: 1, arbitrary: hostileUnicode.map((text) => ({ name: 'hostile unicode', text })) },
    { weight: 4, arbitrary: mutatedSeed(seeds) },
    { weight: 1, arbitrary: deepNesting() },
  );
}

/** A deep-nesting input at a generated depth (up to 3,000 in the generated mix; the fixed 10,000-level cases are in deepNesting.test.ts). */
export function deepNesting(maxDepth = 3000): fc.Arbitrary<SeedText> {
  return fc.tuple(fc.constantFrom(...NESTING_SHAPES), fc.integer({ min: 1, max: maxDepth })).map(([shape, depth]) => ({
    name: `${shape} × ${depth}`,
    text: nestedSource(shape, depth),
  }));
}

/** The nesting shapes: each builds a module whose syntax tree is `depth` levels deep. */
export const NESTING_SHAPES = [
  'parentheses', 'brackets', 'braces', 'blocks', 'defs', 'lambdas', 'binary-operators', 'attribute-chain', 'calls',
  'subscripts', 'unary', 'not', 'conditional', 'boolean', 'unclosed', 'comprehensions', 'strings-concatenated',
] as const;
export type NestingShape = (typeof NESTING_SHAPES)[number];

/** A module nesting `shape` `depth` levels deep. */
export function nestedSource(shape: NestingShape, depth: number): string {
  const joined = (separator: string): string => Array.from({ length: depth + 1 }, () => 'a').join(separator);
  switch (shape) {
    case 'parentheses': return `x = ${'('.repeat(depth)}a${')'.repeat(depth)}\n`;
    case 'brackets': return `x = ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    case 'braces': return `x = ${'{'.repeat(depth)}${'}'.repeat(depth)}\n`;
    case 'blocks': return `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}if a:`).join('\n')}\n${' '.repeat(depth)}pass\n`;
    case 'defs': return `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}def f${i}(a=[]):`).join('\n')}\n${' '.repeat(depth)}return self\n`;
    case 'lambdas': return `f = ${'lambda: '.repeat(depth)}self\n`;
    case 'binary-operators': return `x = ${joined(' + ')}\n`;
    case 'attribute-chain': return `x = a${'.b'.repeat(depth)}\n`;
    case 'calls': return `x = f${'()'.repeat(depth)}\n`;
    case 'subscripts': return `x = a${'[0]'.repeat(depth)}\n`;
    case 'unary': return `x = ${'-'.repeat(depth)}1\n`;
    case 'not': return `x = ${'not '.repeat(depth)}1\n`;
    case 'conditional': return `x = ${'a if b else '.repeat(depth)}c\n`;
    case 'boolean': return `x = ${joined(' and ')}\n`;
    case 'unclosed': return `${'('.repeat(depth)}\n`;
    case 'comprehensions': return `x = ${'[a for a in '.repeat(depth)}b${']'.repeat(depth)}\n`;
    case 'strings-concatenated': return `x = ${'"a" '.repeat(depth)}\n`;
    default: {
      const unreachable: never = shape;
      return unreachable;
    }
  }
}

/** Huge inputs: 10 MB, 100k lines, one 1 MB line (built once, lazily: they are big). */
export function hugeInputs(): SeedText[] {
  const line = 'x = [1, 2, 3]  # a comment\n';
  const fixtureish = 'class Node:\n    def __init__(self, parent=[]):\n        self.parent = parent\n        parent.append(self)\n';
  return [
    { name: '10 MB of short lines', text: line.repeat(Math.ceil(10_000_000 / line.length)) },
    { name: '100k lines of classes', text: fixtureish.repeat(25_000) },
    { name: 'one 1 MB line', text: `x = [${'1, '.repeat(333_333)}]\n` },
  ];
}
