// Line arithmetic on a text, as LSP and Python count lines: a line ends at \n, \r\n or a lone \r.
import { firstAfter } from '../syntax/sortedSearch';

/** Start offset of each line (after \n, \r\n or a lone \r). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */) starts.push(i + 1);
    else if (ch === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** The offset where the line containing `offset` starts. */
export function lineStartAt(text: string, offset: number): number {
  let start = Math.min(offset, text.length);
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start;
}

/** The offset of the line break (or the text's end) that ends the line containing `offset`. */
export function lineEndAt(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return end;
}

/**
 * The line break a fix should write on the line containing `offset`: the one ending that line, else `\n`. A lone
 * `\r` is used only in a text without `\n`: tree-sitter-python reads a lone `\r` as a space, so writing one into a
 * `\n` file (where the last line may end in a stray `\r`) joins lines the parser then rejects.
 */
export function lineBreakForFix(text: string, offset: number): string {
  const end = lineEndAt(text, offset);
  if (text.startsWith('\r\n', end)) return '\r\n';
  return text[end] === '\r' && !text.includes('\n') ? '\r' : '\n';
}

/** A place in a text as 0-based line and UTF-16 character within the line (LSP's `Position`, structurally). */
export interface LinePosition {
  readonly line: number;
  readonly character: number;
}

/** The index of the line containing `offset`: the last of the (ascending) `starts` at or before it. */
export function lineContaining(starts: readonly number[], offset: number): number {
  return Math.max(0, firstAfter(starts, offset) - 1);
}

/** Converts offsets of one text to 0-based line/character positions and back (binary search over line starts). */
export class LineMap {
  /**
   * `starts` must be `lineStarts(text)`; callers that keep starts up to date across edits (the server's
   * LineIndex) pass theirs instead of having them recomputed.
   */
  constructor(readonly text: string, readonly starts: readonly number[] = lineStarts(text)) {}

  get lineCount(): number {
    return this.starts.length;
  }

  /** The position of `offset`, clamped into the text. */
  positionAt(offset: number): LinePosition {
    const clamped = Math.min(Math.max(offset, 0), this.text.length);
    const line = lineContaining(this.starts, clamped);
    return { line, character: clamped - this.starts[line] };
  }

  /** The offset of `position`, clamped into the text (a character past the line's end means its end, before the break). */
  offsetAt(position: LinePosition): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const lineStart = this.starts[position.line];
    const nextStart = position.line + 1 < this.starts.length ? this.starts[position.line + 1] : this.text.length;
    let contentEnd = nextStart;
    if (contentEnd > lineStart && this.text.charCodeAt(contentEnd - 1) === 10) contentEnd--;
    if (contentEnd > lineStart && this.text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    return lineStart + Math.min(Math.max(position.character, 0), contentEnd - lineStart);
  }
}
