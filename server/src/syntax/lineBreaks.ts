// Line breaks as Python sees them: tree-sitter's grammar ends lines only at \n, while CPython (universal newlines), VS Code and LSP also end one at a lone \r.

/** A lone carriage return: one not followed by a line feed. */
const LONE_CR = /\r(?!\n)/g;

/**
 * The text tree-sitter parses: every lone `\r` becomes `\n`. The length is the same, so every offset, and every
 * column, is the document's own; rows then count lone `\r` as CPython and LSP do (`pointAt` in incrementalDocument.ts).
 */
export function parseableText(text: string): string {
  return text.includes('\r') ? text.replace(LONE_CR, '\n') : text;
}
