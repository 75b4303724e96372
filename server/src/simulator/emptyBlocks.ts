// A compound statement without a body (`def f():` and nothing indented after it): tree-sitter accepts it as an empty
// block without an error node, CPython refuses the file with IndentationError (per-version message, line and caret).
import type { TreeNode } from '../syntax/syntaxTypes';

/** What CPython 3.10+ names the statement that has no body. */
const HEADER_NAMES: Readonly<Record<string, string>> = {
  function_definition: 'function definition',
  class_definition: 'class definition',
  if_statement: "'if' statement",
  elif_clause: "'elif' statement",
  else_clause: "'else' statement",
  for_statement: "'for' statement",
  while_statement: "'while' statement",
  with_statement: "'with' statement",
  try_statement: "'try' statement",
  except_clause: "'except' statement",
  finally_clause: "'finally' statement",
};

export interface EmptyBlockError {
  /** The line CPython reports (the next token's, or where the file ends). */
  readonly line: number;
  readonly message: string;
  /** CPython's whole stderr for the refused file. */
  readonly stderr: string;
}

/** The first block with no statement in it (comments are not statements), in document order. */
function firstEmptyBlock(root: TreeNode): TreeNode | undefined {
  let first: TreeNode | undefined;
  for (const block of root.descendantsOfType('block')) {
    if (block.namedChildren.some((child) => child.type !== 'comment')) continue;
    if (!first || block.startIndex < first.startIndex) first = block;
  }
  return first;
}

/** The first line after `row` (0-based) holding a token: not blank, not only a comment. */
function nextTokenRow(lines: readonly string[], row: number): number | undefined {
  for (let next = row + 1; next < lines.length; next++) {
    const text = lines[next].trim();
    if (text !== '' && !text.startsWith('#')) return next;
  }
  return undefined;
}

/**
 * CPython's IndentationError for a compound statement with an empty body, or undefined when every block has one.
 * `minor` is the target's minor version (2.7 counts as 0: it reports like 3.6).
 */
export function emptyBlockError(root: TreeNode, source: string, fileName: string, minor: number): EmptyBlockError | undefined {
  const block = firstEmptyBlock(root);
  const header = block?.parent;
  if (!block || !header) return undefined;
  const lines = source.split(/\r\n|\r|\n/); // rows as tree-sitter counts them: a lone \r ends a line too (syntax/lineBreaks.ts)
  const headerRow = header.startPosition.row;
  // The colon ends the header: the body would start on the line after it.
  const colonRow = block.startPosition.row;
  const tokenRow = nextTokenRow(lines, colonRow);
  const location = (row: number, text: string, caret: string | undefined): string =>
    `  File "${fileName}", line ${row + 1}\n    ${text}\n${caret === undefined ? '' : `${caret}\n`}`;
  if (tokenRow === undefined) {
    // The file ends where the body should be.
    if (minor >= 10) {
      const message = `expected an indented block after ${HEADER_NAMES[header.type] ?? 'statement'} on line ${headerRow + 1}`;
      return { line: headerRow + 1, message, stderr: `${location(colonRow, lines[colonRow].trim(), undefined)}IndentationError: ${message}\n` };
    }
    if (minor === 9) {
      const message = 'expected an indented block';
      return { line: colonRow + 2, message, stderr: `${location(colonRow + 1, '', '    ^')}IndentationError: ${message}\n` };
    }
    // 3.6-3.8 call it an unexpected end of file; 2.7 (minor 0) a missing block, at the same place.
    const [kind, message] = minor === 0 ? ['IndentationError', 'expected an indented block'] : ['SyntaxError', 'unexpected EOF while parsing'];
    return { line: colonRow + 2, message, stderr: `${location(colonRow + 1, '', ' '.repeat(4 + lines[colonRow].trim().length) + '^')}${kind}: ${message}\n` };
  }
  const text = lines[tokenRow].trim();
  const token = /^[A-Za-z_]\w*|^\S/.exec(text)?.[0] ?? text;
  // 3.13 underlines the whole token; 3.8-3.12 mark its start; 3.6-3.7 (and 2.7) its last character.
  const caret = minor >= 13 ? `    ${'^'.repeat(token.length)}` : minor >= 8 ? '    ^' : `${' '.repeat(4 + token.length - 1)}^`;
  const message = minor >= 10 ? `expected an indented block after ${HEADER_NAMES[header.type] ?? 'statement'} on line ${headerRow + 1}` : 'expected an indented block';
  return { line: tokenRow + 1, message, stderr: `${location(tokenRow, text, caret)}IndentationError: ${message}\n` };
}
