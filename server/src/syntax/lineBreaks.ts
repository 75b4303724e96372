// Line breaks as Python sees them: tree-sitter's grammar ends lines only at \n, while CPython (universal newlines), VS Code and LSP also end one at a lone \r.

/** A lone carriage return: one not followed by a line feed. */
const LONE_CR = /\r(?!\n)/g;

/**
 * Where the logical line starting at `from` ends: the first line break (`\n`, or `\r`) outside brackets and not
 * after a backslash, else the text's end; undefined when it runs on past `limit`. Brackets in strings and comments
 * count too: a rough measure for text pre-checks, which must treat a surprise as "anything possible".
 */
export function logicalLineEnd(text: string, from: number, limit = text.length): number | undefined {
  let depth = 0;
  const stop = Math.min(text.length, limit);
  for (let at = from; at < stop; at++) {
    const code = text.charCodeAt(at);
    if (code === 40 || code === 91 || code === 123) depth++; // ( [ {
    else if (code === 41 || code === 93 || code === 125) depth--; // ) ] }
    else if ((code === 10 || code === 13) && depth <= 0 && !afterBackslash(text, at)) return at;
  }
  return stop === text.length ? text.length : undefined;
}

/** Whether the line break at `at` follows a backslash (a `\r\n` counted as one break). */
function afterBackslash(text: string, at: number): boolean {
  const before = text.charCodeAt(at) === 10 && text.charCodeAt(at - 1) === 13 ? at - 2 : at - 1;
  return text.charCodeAt(before) === 92; // \
}

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
