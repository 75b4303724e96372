// A document as text plus its syntax tree, kept in step by applying edits and reparsing incrementally.
import type { PythonParser, SyntaxEdit, SyntaxPoint, SyntaxTree } from './syntaxTypes';

/**
 * One replacement in UTF-16 code-unit offsets into the text as it is *before* this edit
 * (edits in a batch apply one after another, each against the result of the previous one).
 */
export interface DocumentEdit {
  readonly start: number;
  readonly oldEnd: number;
  readonly newText: string;
}

/** A replacement as offsets: old text [start, oldEnd) became new text [start, newEnd). */
export interface OffsetChange {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/**
 * Everything that changed since the last `takeChanges`: one replacement covering every edit (old offsets
 * from the text then, new ones into the text now) and the ranges whose syntax the parser saw change.
 */
export interface AccumulatedChange {
  readonly edit: OffsetChange;
  readonly changedRanges: readonly { start: number; end: number }[];
}

/** The replacement covering `earlier` followed by `later` (whose offsets are into the text `earlier` left). */
function composeChanges(earlier: OffsetChange, later: OffsetChange): OffsetChange {
  const coveredEnd = Math.max(earlier.newEnd, later.oldEnd);
  return {
    start: Math.min(earlier.start, later.start),
    oldEnd: earlier.oldEnd + (coveredEnd - earlier.newEnd),
    newEnd: coveredEnd + (later.newEnd - later.oldEnd),
  };
}

/** A range of the text before `change`, moved (or widened over the replacement) into the text after it. */
function mapRangeThrough(range: { start: number; end: number }, change: OffsetChange): { start: number; end: number } {
  const delta = change.newEnd - change.oldEnd;
  const map = (offset: number, inside: number): number =>
    offset <= change.start ? offset : offset >= change.oldEnd ? offset + delta : inside;
  return { start: map(range.start, change.start), end: map(range.end, change.newEnd) };
}

/**
 * The tree-sitter point of an offset. Both bindings report and accept columns in UTF-16 code units for
 * string input (verified in test/syntax/incrementalDocument.test.ts). Rows end where Python's lines end: at `\n`
 * and at a lone `\r`, which the parsers see as `\n` (`parseableText`); in `\r\n` the `\r` is a column of its line.
 */
export function pointAt(text: string, offset: number): SyntaxPoint {
  let row = 0;
  let lineStart = 0;
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  for (;;) {
    if (cr !== -1 && cr + 1 === lf) cr = text.indexOf('\r', lf); // a CRLF ends its line at the LF
    const lineBreak = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
    if (lineBreak === -1 || lineBreak >= offset) return { row, column: offset - lineStart };
    row++;
    lineStart = lineBreak + 1;
    if (lineBreak === lf) lf = text.indexOf('\n', lf + 1);
    else cr = text.indexOf('\r', cr + 1);
  }
}

/** The point reached after writing `inserted` from `start`, when the character after it is `next` (a code unit, or NaN at the end). */
function pointAfter(start: SyntaxPoint, inserted: string, next: number): SyntaxPoint {
  // A `\r` that ends `inserted` is a line break unless a `\n` follows it.
  const within = pointAt(next === 10 ? `${inserted}\n` : inserted, inserted.length);
  return within.row === 0 ? { row: start.row, column: start.column + within.column } : { row: start.row + within.row, column: within.column };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** Describes `edit` against `text` in the coordinates `SyntaxTree.edit` wants; offsets are clamped into the text. */
export function syntaxEditFor(text: string, edit: DocumentEdit): { syntaxEdit: SyntaxEdit; newText: string } {
  const requestedStart = clamp(Math.trunc(edit.start), 0, text.length);
  const oldEnd = clamp(Math.trunc(edit.oldEnd), requestedStart, text.length);
  // A `\r` just before the edit is a line break or not depending on what follows it (`\r` + `\n` is one break):
  // the parser sees it as `\n` or `\r`, so the edit covers it, rewriting it unchanged.
  const carriedReturn = requestedStart > 0 && text.charCodeAt(requestedStart - 1) === 13;
  const start = carriedReturn ? requestedStart - 1 : requestedStart;
  const inserted = carriedReturn ? `\r${edit.newText}` : edit.newText;
  const newText = text.slice(0, start) + inserted + text.slice(oldEnd);
  const startPosition = pointAt(text, start);
  const syntaxEdit: SyntaxEdit = {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: start + inserted.length,
    startPosition,
    oldEndPosition: pointAfter(startPosition, text.slice(start, oldEnd), text.charCodeAt(oldEnd)),
    newEndPosition: pointAfter(startPosition, inserted, text.charCodeAt(oldEnd)),
  };
  return { syntaxEdit, newText };
}

/**
 * Text and tree of one open document. The tree is always the parse of the current text; the previous tree
 * is released as soon as the new one exists. Call `dispose` when the document closes.
 */
export class IncrementalDocument {
  private currentText: string;
  private currentTree: SyntaxTree | undefined;
  private pending: AccumulatedChange | 'replaced' | undefined;

  constructor(private readonly parser: PythonParser, text: string) {
    this.currentText = text;
    this.currentTree = parser.parse(text);
  }

  get text(): string {
    return this.currentText;
  }

  get tree(): SyntaxTree {
    if (!this.currentTree) throw new Error('GC Lens: document used after dispose');
    return this.currentTree;
  }

  get isDisposed(): boolean {
    return this.currentTree === undefined;
  }

  /** Applies the edits in order, then reparses once, reusing the edited old tree. */
  applyEdits(edits: readonly DocumentEdit[]): void {
    const oldTree = this.tree;
    if (edits.length === 0) return;
    let text = this.currentText;
    let pending = this.pending;
    for (const edit of edits) {
      const { syntaxEdit, newText } = syntaxEditFor(text, edit);
      oldTree.edit(syntaxEdit);
      text = newText;
      const change = { start: syntaxEdit.startIndex, oldEnd: syntaxEdit.oldEndIndex, newEnd: syntaxEdit.newEndIndex };
      if (pending !== 'replaced') {
        pending = pending === undefined
          ? { edit: change, changedRanges: [] }
          : { edit: composeChanges(pending.edit, change), changedRanges: pending.changedRanges.map((range) => mapRangeThrough(range, change)) };
      }
    }
    const newTree = this.parser.parse(text, oldTree);
    if (pending !== undefined && pending !== 'replaced') {
      const changed = oldTree.changedRanges(newTree).map((range) => ({ start: range.startIndex, end: range.endIndex }));
      pending = { edit: pending.edit, changedRanges: [...pending.changedRanges, ...changed] };
    }
    this.pending = pending;
    this.replaceTree(text, newTree);
  }

  /**
   * What changed since the previous call (for incremental analysis), then forgets it: undefined when
   * nothing did, 'replaced' after a whole-text replacement.
   */
  takeChanges(): AccumulatedChange | 'replaced' | undefined {
    const pending = this.pending;
    this.pending = undefined;
    return pending;
  }

  /** Replaces the whole text (a full-sync change): a fresh parse, no reuse. */
  replaceText(text: string): void {
    if (this.isDisposed) throw new Error('GC Lens: document used after dispose');
    this.pending = 'replaced';
    this.replaceTree(text, this.parser.parse(text));
  }

  dispose(): void {
    this.currentTree?.dispose();
    this.currentTree = undefined;
  }

  private replaceTree(text: string, tree: SyntaxTree): void {
    this.currentTree?.dispose();
    this.currentTree = tree;
    this.currentText = text;
  }
}
