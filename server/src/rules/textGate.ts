// Cheap per-document pre-filters for call-dispatched rules: which callee names can matter in this text at all.
import type { SyntaxNode } from '../syntax/syntaxTypes';

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

/**
 * Matches a text that spells any of `names` as a whole word: without one, `calleeNames` and `callStarts` give
 * undefined, so it is also the `textTrigger` of a rule that needs one of them.
 */
export function spelledAnyOf(names: readonly string[]): RegExp {
  return new RegExp(`\\b(${names.join('|')})\\b`);
}

/**
 * The last names a callee can end with to be one of `names` in this text: the names themselves (`sys._getframe`,
 * `wr.finalize`) plus any `import ... as alias` of them (`from inspect import currentframe as here` adds `here`);
 * undefined when the text spells none of them, so the rule can skip the document. Remembered for the last text.
 */
export function calleeNames(names: readonly string[]): (text: string) => ReadonlySet<string> | undefined {
  const spelled = spelledAnyOf(names);
  const aliased = new RegExp(`\\b(?:${names.join('|')})\\s+as\\s+([A-Za-z_][A-Za-z0-9_]*)`, 'g');
  let lastText: string | undefined;
  let lastAnswer: ReadonlySet<string> | undefined;
  return (text: string): ReadonlySet<string> | undefined => {
    if (text !== lastText) {
      lastText = text;
      if (!spelled.test(text)) lastAnswer = undefined;
      else {
        const accepted = new Set(names);
        for (const match of text.matchAll(aliased)) accepted.add(match[1]);
        lastAnswer = accepted;
      }
    }
    return lastAnswer;
  };
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
  const accepted = calleeNames(names);
  let lastText: string | undefined;
  let lastAnswer: ReadonlySet<number> | undefined;
  return (text: string): ReadonlySet<number> | undefined => {
    if (text === lastText) return lastAnswer;
    lastText = text;
    const spelled = accepted(text);
    lastAnswer = undefined;
    if (!spelled) return undefined;
    const call = new RegExp(`(?<![A-Za-z0-9_])(?:${[...spelled].join('|')})\\s*\\(`, 'g');
    const starts = new Set<number>();
    for (const match of text.matchAll(call)) starts.add(dottedStart(text, match.index));
    lastAnswer = starts.size > 0 ? starts : undefined;
    return lastAnswer;
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
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offsets[mid] < start) low = mid + 1;
    else high = mid;
  }
  const inside: number[] = [];
  for (let i = low; i < offsets.length && offsets[i] < end; i++) inside.push(offsets[i]);
  return inside;
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
