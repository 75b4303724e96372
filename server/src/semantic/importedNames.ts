// The names a document's import statements may bind, read from its text: a callee whose root is none of them cannot resolve to a module's function.
import { logicalLineEnd } from '../syntax/lineBreaks';

/** The keyword that every import statement spells. */
const IMPORT_KEYWORD = /\bimport\b/g;
/** A name as Python spells one (non-ASCII letters count as name characters). */
const NAME = /[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*/g;
/** A name starting exactly where asked (sticky). */
const NAME_AT = /[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*/y;
/** How far past its `import` keyword one statement is read before the text is taken as unreadable. */
const LONGEST_STATEMENT = 20_000;

let lastText: string | undefined;
let lastNames: ReadonlySet<string> | undefined;

/**
 * Every name on the logical lines that spell `import` (from the line's start to its end, through brackets and
 * backslash continuations): a superset of the names any import statement of the text binds, since an import binds
 * only names it spells. Strings and comments only add names. Undefined when a statement runs on past
 * LONGEST_STATEMENT characters (unbalanced brackets in prose): then nothing may be ruled out. Kept for the last text.
 */
export function importedNames(text: string): ReadonlySet<string> | undefined {
  if (text === lastText) return lastNames;
  lastText = text;
  lastNames = readImportedNames(text);
  return lastNames;
}

function readImportedNames(text: string): ReadonlySet<string> | undefined {
  const names = new Set<string>();
  let readUpTo = 0;
  IMPORT_KEYWORD.lastIndex = 0;
  for (let match = IMPORT_KEYWORD.exec(text); match; match = IMPORT_KEYWORD.exec(text)) {
    if (match.index < readUpTo) continue;
    const start = Math.max(readUpTo, lineStartBefore(text, match.index));
    const end = logicalLineEnd(text, match.index, match.index + LONGEST_STATEMENT);
    if (end === undefined) return undefined;
    for (const name of text.slice(start, end).match(NAME) ?? []) names.add(name);
    readUpTo = end;
    IMPORT_KEYWORD.lastIndex = end;
  }
  return names;
}

/** Where the line holding `at` starts (after `\n` or a lone `\r`). */
function lineStartBefore(text: string, at: number): number {
  let index = at;
  while (index > 0 && text.charCodeAt(index - 1) !== 10 && text.charCodeAt(index - 1) !== 13) index--;
  return index;
}

/** The name a dotted callee starting at `at` begins with (`a` of `a.b.c(`), or undefined when none starts there. */
export function rootNameAt(text: string, at: number): string | undefined {
  NAME_AT.lastIndex = at;
  return NAME_AT.exec(text)?.[0];
}

/** Whether the callee starting at `at` may resolve through an import (false: it is a local, a builtin or unknown). */
export function mayResolveThroughImport(text: string, at: number): boolean {
  const names = importedNames(text);
  if (names === undefined) return true;
  const root = rootNameAt(text, at);
  return root !== undefined && names.has(root);
}
