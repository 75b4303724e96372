// Incremental analysis must equal a fresh whole-document analysis after every edit, on both parser backends.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeDocument, type AnalysisSnapshot } from '../../server/src/analysis/analyze';
import { analyzeAfterEdit } from '../../server/src/analysis/analyzeEdit';
import type { Finding } from '../../server/src/analysis/findingTypes';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser, SyntaxPoint, SyntaxTree } from '../../server/src/syntax/syntaxTypes';
import { seededRandom } from '../support/seededRandom';

const root = path.resolve(__dirname, '..', '..');

function pointAt(text: string, offset: number): SyntaxPoint {
  let row = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      row++;
      lineStart = i + 1;
    }
  }
  return { row, column: offset - lineStart };
}

/** Snippets typed into the document: the shapes that create, remove and suppress findings. */
const INSERTIONS = ['[]', '{}', 'set()', ' = []', '\n', '    ', 'x', ')', '(', 'def g(a=[]): pass\n', 'import collections as list\n', 'list = 1\n', '    dict = 2\n', 'lambda: 0',
  'list = tuple\n', 'from __future__ import annotations\n', ', z: list = []', '  # noqa: B006', 'lambda q={}: q', ':', '"', '#', 'from collections import deque\n', 'deque()',
  'class X:\n', '    from collections import deque\n', 'def h():\n    import collections as c\n',
  // Lifecycle shapes: cleanups that silence GCL104/GCL304/GCL305, stores that create findings, decorators.
  '    del frame\n', ' = None', 'x.a = x\n', '    finally:\n        pass\n', 'self.e = e\n', '@staticmethod\n', 'global LAST\n'];

const comparable = (findings: readonly Finding[]): string =>
  JSON.stringify(findings.map((f) => [f.code, f.range, f.message, f.related, f.fixes]));

async function checkRandomEdits(parser: PythonParser, source: string, seed: number, steps: number): Promise<number> {
  const next = seededRandom(seed);
  let text = source;
  let tree: SyntaxTree = parser.parse(text);
  let snapshot: AnalysisSnapshot = analyzeDocument({ text, tree, settings: DEFAULT_SETTINGS });
  let incrementalRuns = 0;
  for (let step = 0; step < steps; step++) {
    const start = Math.floor(next() * (text.length + 1));
    const deleteLength = next() < 0.5 ? 0 : Math.min(text.length - start, Math.floor(next() * 12));
    const inserted = next() < 0.3 ? '' : INSERTIONS[Math.floor(next() * INSERTIONS.length)];
    const newText = text.slice(0, start) + inserted + text.slice(start + deleteLength);
    const edit = { start, oldEnd: start + deleteLength, newEnd: start + inserted.length };
    tree.edit({
      startIndex: edit.start, oldEndIndex: edit.oldEnd, newEndIndex: edit.newEnd,
      startPosition: pointAt(text, edit.start), oldEndPosition: pointAt(text, edit.oldEnd), newEndPosition: pointAt(newText, edit.newEnd),
    });
    const newTree = parser.parse(newText, tree);
    const changed = tree.changedRanges(newTree).map((r) => ({ start: r.startIndex, end: r.endIndex }));
    tree.dispose();
    const incremental = analyzeAfterEdit(snapshot, { text: newText, tree: newTree, settings: DEFAULT_SETTINGS }, edit, changed);
    const fresh = analyzeDocument({ text: newText, tree: parser.parse(newText), settings: DEFAULT_SETTINGS });
    assert.equal(comparable(incremental.findings), comparable(fresh.findings),
      `seed ${seed} step ${step}: edit ${JSON.stringify(edit)} inserting ${JSON.stringify(inserted)}`);
    if (incremental.aliases === snapshot.aliases) incrementalRuns++;
    text = newText;
    tree = newTree;
    snapshot = incremental;
  }
  tree.dispose();
  return incrementalRuns;
}

const sources = [
  path.join(root, 'examples', 'shopping_cart.py'),
  path.join(root, 'examples', 'tree_nodes.py'),
  // Every rule's fixtures: the shapes each rule's findings (and their cleanups, related locations, fixes) depend on.
  ...fs.readdirSync(path.join(root, 'test', 'fixtures', 'rules')).filter((code) => /^GCL\d{3}$/.test(code)).sort()
    .flatMap((code) => fs.readdirSync(path.join(root, 'test', 'fixtures', 'rules', code)).filter((f) => f.endsWith('.py') && !f.endsWith('.fixed.py'))
      .map((f) => path.join(root, 'test', 'fixtures', 'rules', code, f))),
];

/** Nested scopes where a binding in an enclosing body decides whether a default is mutable (`list` rebound). */
const NESTED_SCOPES = [
  'import collections',
  '',
  'def outer(a=[]):',
  '    "Doc."',
  '    list = tuple',
  '    def inner(b=list(), c={}):',
  '        def innermost(d=set()):',
  '            return d',
  '        return b',
  '    class Local:',
  '        dict = frozenset',
  '        def method(self, e=dict(), f=collections.deque()):',
  '            x = 1',
  '            return e',
  '    return inner',
  '',
  'class Top:',
  '    def m(self, g=[]):',
  '        y = [1, 2]',
  '        return g',
  '',
].join('\n');

/** Seeded rounds on NESTED_SCOPES: 6 in the test suite; GCLENS_EDIT_ROUNDS=500 for a long campaign. */
const NESTED_ROUNDS = Number(process.env.GCLENS_EDIT_ROUNDS ?? 6);

for (const backend of ['native', 'wasm'] as const) {
  test(`incremental analysis equals a fresh analysis after random edits (${backend})`, async () => {
    const { parser } = await loadPythonParser(backend);
    let incrementalRuns = 0;
    let seed = 1;
    let steps = 0;
    for (const file of sources) {
      // The examples and GCL001's fixtures get the long runs; other rules' fixtures a shorter one each (the suite's time).
      const fileSteps = /GCL001|examples/.test(file) ? 60 : 25;
      steps += fileSteps;
      incrementalRuns += await checkRandomEdits(parser, fs.readFileSync(file, 'utf8'), seed++, fileSteps);
    }
    for (let round = 0; round < NESTED_ROUNDS; round++) incrementalRuns += await checkRandomEdits(parser, NESTED_SCOPES, 100 + round, 80);
    // Most edits touch no import: the incremental path itself must have been exercised, not only the fallback.
    assert.ok(incrementalRuns > steps / 3, `incremental path taken ${incrementalRuns} times in ${steps} edits`);
  });
}
