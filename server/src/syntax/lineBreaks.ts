// Line breaks as Python sees them: tree-sitter's grammar ends lines only at \n, while CPython (universal newlines), VS Code and LSP also end one at a lone \r.

/** A lone carriage return: one not followed by a line feed. */
const LONE_CR = /\r(?!\n)/g;

/** The last text asked about and its answer: the parser and the text scans of one analysis all ask for the same text. */
let lastText: string | undefined;
let lastParseable = '';

/**
 * The text tree-sitter parses: every lone `\r` becomes `\n`. The length is the same, so every offset, and every
 * column, is the document's own; rows then count lone `\r` as CPython and LSP do (`pointAt` in incrementalDocument.ts).
 * The answer for the last text is kept: the parse and each text scan of an analysis would otherwise search the
 * whole document for a `\r` again.
 */
export function parseableText(text: string): string {
  if (text !== lastText) {
    lastParseable = text.includes('\r') ? text.replace(LONE_CR, '\n') : text;
    lastText = text;
  }
  return lastParseable;
}
