// Incremental reparsing on both backends: random edit sequences must give the same tree as a fresh parse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IncrementalDocument, pointAt, syntaxEditFor, type DocumentEdit } from '../../server/src/syntax/incrementalDocument';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { ParserBackendKind, PythonParser, SyntaxNode } from '../../server/src/syntax/syntaxTypes';
import { seededRandom } from '../support/seededRandom';


const START_TEXT = [
  '# -*- coding: utf-8 -*-',
  'import collections as c',
  '',
  'def greet(name="héllo😀", seen=[]):',
  '\t"""Say hello."""',
  '\tseen.append(name)',
  '\treturn f"{name}!"',
  '',
  'class Node:\r',
  '    def __init__(self, parent=None, cache=c.defaultdict(list)):\r',
  '        self.parent = parent  # 🌳 tree\r',
  '',
  'values = {"ключ": [1, 2, 3], "emoji": "😀😀"}',
  '',
].join('\n');

const SNIPPETS = [
  'x', ' ', '\t', '\n', '\r\n', '\r', '😀', 'héllo', 'ß', '(', ')', '[', ']', ':', '"', "'", '"""', '#',
  'def f(a=[]):\n    pass\n', 'lambda: {}', ', b={}', '    ', 'if x:\r\n\treturn 1\r\n', '= []', 'print("日本語")',
];

/** An offset in the text that does not fall between the two halves of a surrogate pair. */
function safeOffset(text: string, offset: number): number {
  const code = text.charCodeAt(offset);
  return offset > 0 && offset < text.length && code >= 0xdc00 && code <= 0xdfff ? offset - 1 : offset;
}

function randomEdit(text: string, random: () => number): DocumentEdit {
  const start = safeOffset(text, Math.floor(random() * (text.length + 1)));
  const span = random() < 0.4 ? 0 : Math.floor(random() * 12);
  const oldEnd = safeOffset(text, Math.min(text.length, start + span));
  const newText = random() < 0.3 ? '' : SNIPPETS[Math.floor(random() * SNIPPETS.length)];
  return { start, oldEnd: Math.max(start, oldEnd), newText };
}

interface NodeShape {
  type: string;
  startIndex: number;
  endIndex: number;
  start: string;
  end: string;
}

function shapes(root: SyntaxNode): NodeShape[] {
  const out: NodeShape[] = [];
  const visit = (node: SyntaxNode): void => {
    out.push({
      type: node.type,
      startIndex: node.startIndex,
      endIndex: node.endIndex,
      start: `${node.startPosition.row}:${node.startPosition.column}`,
      end: `${node.endPosition.row}:${node.endPosition.column}`,
    });
    for (const child of node.children) visit(child);
  };
  visit(root);
  return out;
}

function assertSameAsFreshParse(parser: PythonParser, document: IncrementalDocument, context: string): void {
  const fresh = parser.parse(document.text);
  try {
    assert.equal(document.tree.rootNode.toString(), fresh.rootNode.toString(), `${context}: tree shape`);
    assert.deepEqual(shapes(document.tree.rootNode), shapes(fresh.rootNode), `${context}: node offsets and points`);
  } finally {
    fresh.dispose();
  }
}

function applyToString(text: string, edit: DocumentEdit): string {
  return text.slice(0, edit.start) + edit.newText + text.slice(edit.oldEnd);
}

for (const backend of ['native', 'wasm'] as const satisfies readonly ParserBackendKind[]) {
  describe(`IncrementalDocument (${backend})`, async () => {
    const { parser } = await loadPythonParser(backend);

    it('reports columns in UTF-16 code units and rows at \\n only, as pointAt computes them', () => {
      const text = 'a = "héllo😀"; b = 1\r\n\tc = "ß"\rd = 2\n';
      const tree = parser.parse(text);
      try {
        for (const node of shapes(tree.rootNode)) {
          const expectedStart = pointAt(text, node.startIndex);
          const expectedEnd = pointAt(text, node.endIndex);
          assert.equal(node.start, `${expectedStart.row}:${expectedStart.column}`, `${node.type} start`);
          assert.equal(node.end, `${expectedEnd.row}:${expectedEnd.column}`, `${node.type} end`);
        }
        const b = shapes(tree.rootNode).find((n) => n.type === 'identifier' && text.slice(n.startIndex, n.endIndex) === 'b');
        assert.deepEqual(b && { index: b.startIndex, start: b.start }, { index: 15, start: '0:15' });
      } finally {
        tree.dispose();
      }
    });

    it('describes edits in the point units the binding expects (edited old tree stays consistent)', () => {
      // Reparsing recomputes positions, so only the edited *old* tree shows whether edit points were right.
      const text = 'x = "😀😀😀"; y = 1; z = [1, "é", 3]\r\nw = 1\n';
      const edits: DocumentEdit[] = [
        { start: 5, oldEnd: 5, newText: 'ab😀' },
        { start: 5, oldEnd: 9, newText: '' },
        { start: 13, oldEnd: 13, newText: 'ü\n\t😀' },
      ];
      for (const edit of edits) {
        const tree = parser.parse(text);
        try {
          const { syntaxEdit, newText } = syntaxEditFor(text, edit);
          tree.edit(syntaxEdit);
          for (const node of shapes(tree.rootNode)) {
            if (node.startIndex < edit.start) continue;
            const expected = pointAt(newText, node.startIndex);
            assert.equal(node.start, `${expected.row}:${expected.column}`, `${JSON.stringify(edit)}: ${node.type} at ${node.startIndex}`);
          }
        } finally {
          tree.dispose();
        }
      }
    });

    for (const seed of [1, 2, 3, 42, 2024, 31337]) {
      it(`matches a fresh parse after a random edit sequence (seed ${seed})`, () => {
        const random = seededRandom(seed);
        const document = new IncrementalDocument(parser, START_TEXT);
        let expectedText = START_TEXT;
        try {
          for (let step = 0; step < 60; step++) {
            const batchSize = random() < 0.25 ? 3 : 1;
            const batch: DocumentEdit[] = [];
            for (let i = 0; i < batchSize; i++) {
              const edit = randomEdit(expectedText, random);
              batch.push(edit);
              expectedText = applyToString(expectedText, edit);
            }
            document.applyEdits(batch);
            assert.equal(document.text, expectedText, `seed ${seed} step ${step}: text`);
            assertSameAsFreshParse(parser, document, `seed ${seed} step ${step} ${JSON.stringify(batch)}`);
          }
        } finally {
          document.dispose();
        }
      });
    }

    it('accumulates one covering replacement of every edit since the last takeChanges', () => {
      const random = seededRandom(99);
      const document = new IncrementalDocument(parser, START_TEXT);
      try {
        for (let round = 0; round < 20; round++) {
          const before = document.text;
          const edits = 1 + Math.floor(random() * 4);
          for (let i = 0; i < edits; i++) document.applyEdits([randomEdit(document.text, random)]);
          const change = document.takeChanges();
          assert.ok(change !== undefined && change !== 'replaced');
          const { start, oldEnd, newEnd } = change.edit;
          const after = document.text;
          assert.equal(after.slice(0, start), before.slice(0, start), `round ${round}: same text before the change`);
          assert.equal(after.slice(newEnd), before.slice(oldEnd), `round ${round}: same text after the change`);
          for (const range of change.changedRanges) assert.ok(range.start <= range.end && range.end <= after.length, JSON.stringify(range));
          assert.equal(document.takeChanges(), undefined, 'taken once');
        }
        document.replaceText('x = 1\n');
        document.applyEdits([{ start: 0, oldEnd: 0, newText: 'y = 2\n' }]);
        assert.equal(document.takeChanges(), 'replaced', 'a replacement since the last take wins');
      } finally {
        document.dispose();
      }
    });

    it('keeps reparsing correctly when a multi-line edit is typed character by character', () => {
      const document = new IncrementalDocument(parser, 'def f():\n    pass\n');
      try {
        const typed = 'def g(x=[], *, y={}):\r\n\t"""Dóc 😀."""\r\n\treturn x\r\n';
        let offset = document.text.length;
        for (const char of typed) {
          document.applyEdits([{ start: offset, oldEnd: offset, newText: char }]);
          offset += char.length;
        }
        assert.equal(document.text, 'def f():\n    pass\n' + typed);
        assertSameAsFreshParse(parser, document, 'typed');
        assert.equal(document.tree.rootNode.hasError, false);
      } finally {
        document.dispose();
      }
    });

    it('clamps out-of-range offsets instead of corrupting the text', () => {
      const document = new IncrementalDocument(parser, 'x = 1\n');
      try {
        document.applyEdits([{ start: 50, oldEnd: 10, newText: 'y = 2\n' }]);
        assert.equal(document.text, 'x = 1\ny = 2\n');
        document.applyEdits([{ start: -4, oldEnd: 1, newText: 'z' }]);
        assert.equal(document.text, 'z = 1\ny = 2\n');
        assertSameAsFreshParse(parser, document, 'clamped');
      } finally {
        document.dispose();
      }
    });

    it('replaces the whole text and releases its tree on dispose', () => {
      const document = new IncrementalDocument(parser, 'x = 1\n');
      document.replaceText('def f(a=[]):\n    return a\n');
      assertSameAsFreshParse(parser, document, 'replaced');
      document.dispose();
      assert.equal(document.isDisposed, true);
      assert.throws(() => document.tree, /after dispose/);
      assert.throws(() => document.applyEdits([{ start: 0, oldEnd: 0, newText: 'x' }]), /after dispose/);
      document.dispose(); // a second dispose is harmless
    });
  });
}
