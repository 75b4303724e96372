// Line starts of a document kept up to date across edits: converts LSP positions to UTF-16 offsets and back.
import type { Position, Range } from 'vscode-languageserver/node';
import { LineMap, lineContaining } from '../analysis/textLines';
import type { TextRange } from '../analysis/findingTypes';

/** LSP lines end at `\r\n`, `\n` or a lone `\r`; `offset` starts a line when the character before it ends one. */
function startsLine(text: string, offset: number): boolean {
  if (offset <= 0 || offset > text.length) return false;
  const before = text.charCodeAt(offset - 1);
  return before === 10 || (before === 13 && text.charCodeAt(offset) !== 10);
}

export class LineIndex {
  private lines: LineMap;

  constructor(text: string) {
    this.lines = new LineMap(text);
  }

  get lineCount(): number {
    return this.lines.lineCount;
  }

  /** Updates the index for one replacement of `[start, oldEnd)` by `newText` (offsets into the current text). */
  applyEdit(start: number, oldEnd: number, newText: string): void {
    const { text, starts } = this.lines;
    const updated = text.slice(0, start) + newText + text.slice(oldEnd);
    const delta = newText.length - (oldEnd - start);
    const newEnd = start + newText.length;
    // Starts in [start, oldEnd] may change (the characters before them changed); later ones only shift.
    // The first start at or after `from` (>= 1) follows the line containing `from - 1`.
    const from = Math.max(start, 1);
    const firstAffected = lineContaining(starts, from - 1) + 1;
    let firstAfter = firstAffected;
    while (firstAfter < starts.length && starts[firstAfter] <= oldEnd) firstAfter++;
    const rescanned: number[] = [];
    for (let offset = from; offset <= newEnd; offset++) {
      if (startsLine(updated, offset)) rescanned.push(offset);
    }
    const shifted = starts.slice(firstAfter).map((offset) => offset + delta);
    this.lines = new LineMap(updated, [...starts.slice(0, firstAffected), ...rescanned, ...shifted]);
  }

  /** The offset of an LSP position, clamped into the document (a character past the line's end means its end). */
  offsetAt(position: Position): number {
    return this.lines.offsetAt(position);
  }

  positionAt(offset: number): Position {
    return this.lines.positionAt(offset);
  }

  rangeOf(range: TextRange): Range {
    return { start: this.positionAt(range.start), end: this.positionAt(range.end) };
  }

  textRangeOf(range: Range): TextRange {
    const start = this.offsetAt(range.start);
    return { start, end: Math.max(start, this.offsetAt(range.end)) };
  }
}
