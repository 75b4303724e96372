// LineIndex: line starts kept up to date across edits agree with a fresh index, for every kind of line break.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineMap } from '../../server/src/analysis/textLines';
import { LineIndex } from '../../server/src/lsp/lineIndex';
import { seededRandom } from '../support/seededRandom';

const PIECES = ['a', 'é', '😀', '\n', '\r', '\r\n', '\t', 'def f():', ' '];

function assertSameIndex(updated: LineIndex, text: string, context: string): void {
  const fresh = new LineIndex(text);
  assert.equal(updated.lineCount, fresh.lineCount, `${context}: line count`);
  for (let offset = 0; offset <= text.length; offset++) {
    assert.deepEqual(updated.positionAt(offset), fresh.positionAt(offset), `${context}: offset ${offset}`);
  }
}

describe('LineMap', () => {
  it('agrees with counting line breaks by hand, and offsetAt undoes positionAt', () => {
    const text = '\r\nx😀\r\r\ny\n\rz\n';
    const lines = new LineMap(text);
    for (let offset = 0; offset <= text.length; offset++) {
      const insideBreak = text[offset - 1] === '\r' && text[offset] === '\n';
      // Between the \r and \n of a pair is still on the \r's line; elsewhere, count the breaks before `offset`.
      const before = text.slice(0, insideBreak ? offset - 1 : offset).split(/\r\n|\r|\n/);
      const expected = { line: before.length - 1, character: before[before.length - 1].length + (insideBreak ? 1 : 0) };
      assert.deepEqual(lines.positionAt(offset), expected, `offset ${offset}`);
      if (!insideBreak) assert.equal(lines.offsetAt(lines.positionAt(offset)), offset, `round trip at ${offset}`);
    }
  });
});

describe('LineIndex', () => {
  it('converts positions to offsets and back with \\r\\n, \\r and \\n line ends and UTF-16 characters', () => {
    const text = 'a😀b\r\nc\rdé\n\nlast';
    const lines = new LineIndex(text);
    assert.equal(lines.lineCount, 5);
    assert.deepEqual(lines.positionAt(text.indexOf('b')), { line: 0, character: 3 });
    assert.deepEqual(lines.positionAt(text.indexOf('d')), { line: 2, character: 0 });
    assert.equal(lines.offsetAt({ line: 2, character: 1 }), text.indexOf('é'));
    assert.equal(lines.offsetAt({ line: 0, character: 99 }), text.indexOf('\r'), 'past the end of a line means its end');
    assert.equal(lines.offsetAt({ line: 40, character: 0 }), text.length);
    assert.equal(lines.offsetAt({ line: -1, character: 3 }), 0);
  });

  for (const seed of [7, 8, 9, 10]) {
    it(`stays equal to a fresh index over random edits (seed ${seed})`, () => {
      const random = seededRandom(seed);
      let text = 'x = 1\r\ny = 2\rz\n';
      const lines = new LineIndex(text);
      for (let step = 0; step < 300; step++) {
        const start = Math.floor(random() * (text.length + 1));
        const oldEnd = Math.min(text.length, start + Math.floor(random() * 4));
        const newText = random() < 0.3 ? '' : PIECES[Math.floor(random() * PIECES.length)];
        lines.applyEdit(start, oldEnd, newText);
        text = text.slice(0, start) + newText + text.slice(oldEnd);
        assertSameIndex(lines, text, `seed ${seed} step ${step}`);
      }
    });
  }

  it('handles a \\r\\n pair split and joined by edits', () => {
    let text = 'a\r\nb';
    const lines = new LineIndex(text);
    lines.applyEdit(2, 2, 'X'); // a\rX\nb: the pair becomes two line ends
    text = 'a\rX\nb';
    assertSameIndex(lines, text, 'split');
    lines.applyEdit(2, 3, ''); // back to a\r\nb
    assertSameIndex(lines, 'a\r\nb', 'joined');
  });
});
