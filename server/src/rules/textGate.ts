// Cheap per-document pre-filters for call-dispatched rules: which callee names can matter in this text at all.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { firstAtOrAfter } from '../syntax/sortedSearch';

/**
 * A test of `pattern` against a document's text, remembered for the last text seen: every call node of a document
 * asks it, so the regular expression runs once per document (or edit), not once per call.
 */
export function textGate(pattern: RegExp): (text: string) => boolean {
  let lastText: string | undefined;
  let lastAnswer = false;
  return (text: string): boolean => {
    if (text !== lastText) {
      lastText = text;
      lastAnswer = pattern.test(text);
    }
    return lastAnswer;
  };
}

/** What one pass over a text found about some callee names: their import aliases, and where calls of them start. */
interface NameScan {
  /** The names and any `import ... as alias` of them. */
  readonly callees: ReadonlySet<string>;
  /** For each call of one of them (`name(`), the offset where its dotted callee begins. */
  readonly starts: ReadonlySet<number>;
}

/** Blanks, `as`, blanks and the alias, read from where a name ends (sticky). */
const ALIAS_AFTER_NAME = /\s+as\s+([A-Za-z_][A-Za-z0-9_]*)/y;
/** Blanks and the `(` of a call, read from where a name ends (sticky). */
const CALL_AFTER_NAME = /\s*\(/y;

/** One scanner per list of names, so that a rule's trigger and its checks share the pass over a text. */
const scanners = new Map<string, (text: string) => NameScan | undefined>();

/**
 * The scan of a text for `names` as whole words (undefined when it spells none), remembered for the last text: one
 * pass finds every spelling, and at each the text after it says whether it is aliased (`name as alias`) or called
 * (`name(`). Only aliases, which are rare, cost a second pass (for their calls).
 */
function nameScanner(names: readonly string[]): (text: string) => NameScan | undefined {
  const key = names.join('|');
  const known = scanners.get(key);
  if (known) return known;
  const spelling = new RegExp(`\\b(?:${key})\\b`, 'g');
  let lastText: string | undefined;
  let lastScan: NameScan | undefined;
  const scanner = (text: string): NameScan | undefined => {
    if (text === lastText) return lastScan;
    lastText = text;
    lastScan = undefined;
    const callees = new Set(names);
    const starts = new Set<number>();
    let spelled = false;
    spelling.lastIndex = 0;
    for (let match = spelling.exec(text); match; match = spelling.exec(text)) {
      spelled = true;
      const end = match.index + match[0].length;
      ALIAS_AFTER_NAME.lastIndex = end;
      const alias = ALIAS_AFTER_NAME.exec(text);
      if (alias) callees.add(alias[1]);
      CALL_AFTER_NAME.lastIndex = end;
      if (CALL_AFTER_NAME.test(text)) starts.add(dottedStart(text, match.index));
    }
    if (!spelled) return undefined;
    const aliases = [...callees].filter((name) => !names.includes(name));
    if (aliases.length > 0) {
      const call = new RegExp(`(?<![A-Za-z0-9_])(?:${aliases.join('|')})\\s*\\(`, 'g');
      for (const match of text.matchAll(call)) starts.add(dottedStart(text, match.index));
    }
    lastScan = { callees, starts };
    return lastScan;
  };
  scanners.set(key, scanner);
  return scanner;
}

/**
 * Whether a text spells any of `names` as a whole word: without one, `calleeNames` and `callStarts` give
 * undefined, so it is also the `textTrigger` of a rule that needs one of them (the three share one pass).
 */
export function spelledAnyOf(names: readonly string[]): (text: string) => boolean {
  const scan = nameScanner(names);
  return (text) => scan(text) !== undefined;
}

/**
 * The last names a callee can end with to be one of `names` in this text: the names themselves (`sys._getframe`,
 * `wr.finalize`) plus any `import ... as alias` of them (`from inspect import currentframe as here` adds `here`);
 * undefined when the text spells none of them, so the rule can skip the document. Remembered for the last text.
 */
export function calleeNames(names: readonly string[]): (text: string) => ReadonlySet<string> | undefined {
  const scan = nameScanner(names);
  return (text) => scan(text)?.callees;
}

/** The last name of a callee (`b` of `a.b`, `f` of `f`), without asking the semantic model. */
export function calleeLastName(callee: SyntaxNode): string | undefined {
  if (callee.type === 'identifier') return callee.text;
  if (callee.type === 'attribute') return callee.childForFieldName('attribute')?.text;
  return undefined;
}

/**
 * Where calls of `names` (or their import aliases) can start in a text: for each `name(` the offset where its dotted
 * callee begins (`weakref.finalize(` → the `w`). A call node whose start is not in the set cannot be one of them,
 * which a rule learns from one offset instead of walking the callee. Undefined when the text calls none of them.
 */
export function callStarts(names: readonly string[]): (text: string) => ReadonlySet<number> | undefined {
  const scan = nameScanner(names);
  return (text) => {
    const starts = scan(text)?.starts;
    return starts && starts.size > 0 ? starts : undefined;
  };
}

/** The start of the dotted name that ends at the name beginning at `at` (`a . b.name` → the `a`). */
function dottedStart(text: string, at: number): number {
  let start = at;
  for (;;) {
    let i = start - 1;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
    if (i < 0 || text[i] !== '.') return start;
    i--;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
    let j = i;
    while (j >= 0 && /[A-Za-z0-9_]/.test(text[j])) j--;
    if (j === i) return start; // `(x).name(`, `f().name(`: not a plain dotted name; the node starts elsewhere
    start = j + 1;
  }
}

/** The offsets of a sorted set that fall in [start, end). */
function offsetsIn(offsets: readonly number[], start: number, end: number): number[] {
  return offsets.slice(firstAtOrAfter(offsets, start), firstAtOrAfter(offsets, end));
}

/**
 * The call nodes inside `scope` that start at one of `starts` (a `callStarts` answer): for `f(x)(y)` both calls.
 * Lets a rule dispatched on a rare node (a `def`) reach the few calls its text names, instead of every call.
 */
export function callsStartingIn(scope: SyntaxNode, starts: ReadonlySet<number>): SyntaxNode[] {
  const sorted = sortedStarts(starts);
  const calls: SyntaxNode[] = [];
  for (const offset of offsetsIn(sorted, scope.startIndex, scope.endIndex)) {
    for (let node = scope.descendantForIndex(offset); node && node.startIndex === offset; node = node.parent) {
      if (node.type === 'call') calls.push(node);
      if (node.id === scope.id) break;
    }
  }
  return calls;
}

const sortedCache = new WeakMap<ReadonlySet<number>, number[]>();
function sortedStarts(starts: ReadonlySet<number>): number[] {
  let sorted = sortedCache.get(starts);
  if (!sorted) sortedCache.set(starts, (sorted = [...starts].sort((a, b) => a - b)));
  return sorted;
}
