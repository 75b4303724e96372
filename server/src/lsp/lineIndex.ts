// Line starts of a document kept up to date across edits: converts LSP positions to UTF-16 offsets and back.
import type { Position, Range } from 'vscode-languageserver/node';
import { lineStarts } from '../analysis/textLines';
import type { TextRange } from '../analysis/findingTypes';

/** LSP lines end at `\r\n`, `\n` or a lone `\r`; `offset` starts a line when the character before it ends one. */
function startsLine(text: string, offset: number): boolean {
  if (offset <= 0 || offset > text.length) return false;
  const before = text.charCodeAt(offset - 1);
  return before === 10 || (before === 13 && text.charCodeAt(offset) !== 10);
}

export class LineIndex {
  private starts: number[];

  constructor(private text: string) {
    this.starts = lineStarts(text);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Updates the index for one replacement of `[start, oldEnd)` by `newText` (offsets into the current text). */
  applyEdit(start: number, oldEnd: number, newText: string): void {
    const updated = this.text.slice(0, start) + newText + this.text.slice(oldEnd);
    const delta = newText.length - (oldEnd - start);
    const newEnd = start + newText.length;
    // Starts in [start, oldEnd] may change (the characters before them changed); later ones only shift.
    const firstAffected = this.firstStartAtOrAfter(Math.max(start, 1));
    let firstAfter = firstAffected;
    while (firstAfter < this.starts.length && this.starts[firstAfter] <= oldEnd) firstAfter++;
    const rescanned: number[] = [];
    for (let offset = Math.max(start, 1); offset <= newEnd; offset++) {
      if (startsLine(updated, offset)) rescanned.push(offset);
    }
    const shifted = this.starts.slice(firstAfter).map((offset) => offset + delta);
    this.starts = [...this.starts.slice(0, firstAffected), ...rescanned, ...shifted];
    this.text = updated;
  }

  /** The offset of an LSP position, clamped into the document (a character past the line's end means its end). */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const lineStart = this.starts[position.line];
    const nextStart = position.line + 1 < this.starts.length ? this.starts[position.line + 1] : this.text.length;
    let contentEnd = nextStart;
    if (contentEnd > lineStart && this.text.charCodeAt(contentEnd - 1) === 10) contentEnd--;
    if (contentEnd > lineStart && this.text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    return lineStart + Math.min(Math.max(position.character, 0), contentEnd - lineStart);
  }

  positionAt(offset: number): Position {
    const clamped = Math.min(Math.max(offset, 0), this.text.length);
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.starts[line] };
  }

  rangeOf(range: TextRange): Range {
    return { start: this.positionAt(range.start), end: this.positionAt(range.end) };
  }

  textRangeOf(range: Range): TextRange {
    const start = this.offsetAt(range.start);
    return { start, end: Math.max(start, this.offsetAt(range.end)) };
  }

  private lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  private firstStartAtOrAfter(offset: number): number {
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.starts[mid] < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
