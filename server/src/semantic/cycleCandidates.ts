// A text-only pre-check: can this document build a cycle the cycle rules look for? Most documents cannot, and skip the model.
import { parseableText } from '../syntax/lineBreaks';
import { dotName, dotNames, isAssignAt } from './dotNames';

/** The container methods whose call stores an argument: `a.append(v)`. */
const STORING_CALLS: ReadonlySet<string> = new Set(['append', 'add', 'insert', 'appendleft', 'setdefault']);
/** `name = a.b` alone on its line, matched from the line's start (sticky). */
const ALIAS_LINE = /[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*([A-Za-z_][\w.]*)[ \t]*(?:#.*)?$/my;
/** The end of such a line: `=`, then a name or attribute chain to the end of the line (far fewer places than line starts). */
const ALIAS_TAIL = /=[ \t]*[A-Za-z_][\w.]*[ \t]*(?:#.*)?$/gm;
/** `def name`, read where a `def` that may open its line stands (sticky). */
const DEF_NAME = /def[ \t]+([A-Za-z_]\w*)/y;
const PATH_VALUE = /^[ \t]*([A-Za-z_][\w.]*)[ \t]*(?:[)\],;#\r]|$)/;
const CALL_OF_BOUND = /^[ \t]*([A-Za-z_][\w.]*)[ \t]*\([ \t]*[A-Za-z_]\w*\.([A-Za-z_]\w*)/;

interface TextStore {
  readonly holder: string;
  readonly value: string;
  /** Where the store's line starts in the source. */
  readonly at: number;
}

function isPathChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 46; // 0-9 A-Z a-z _ .
}

/**
 * The name/attribute/subscript chain that ends at `end` on its line (`self.kids[name]` of `self.kids[name] = v`),
 * scanned backwards (a regular expression anchored at the end would retry from every column).
 */
function holderBefore(source: string, lineStart: number, end: number): string | undefined {
  let at = end;
  while (at > lineStart && (source[at - 1] === ' ' || source[at - 1] === '\t')) at--;
  const stop = at;
  while (at > lineStart) {
    const code = source.charCodeAt(at - 1);
    if (isPathChar(code)) {
      at--;
    } else if (code === 93 /* ] */) {
      let depth = 0;
      let scan = at - 1;
      for (; scan >= lineStart; scan--) {
        if (source[scan] === ']') depth++;
        else if (source[scan] === '[' && --depth === 0) break;
      }
      if (scan < lineStart) return undefined;
      at = scan;
    } else break;
  }
  const holder = source.slice(at, stop).replace(/^[\d.]+/, '');
  return /^[A-Za-z_]/.test(holder) ? holder : undefined;
}

/** The start of the line holding `at`, lines ending as a multiline `$` sees them (`\n`, `\r`, U+2028, U+2029). */
function multilineStart(source: string, at: number): number {
  for (; at > 0; at--) {
    const code = source.charCodeAt(at - 1);
    if (code === 10 || code === 13 || code === 0x2028 || code === 0x2029) break;
  }
  return at;
}

/**
 * Every line `name = a.b.c` (a comment may follow), in text order: the lines a `^…$` multiline expression would
 * match, found from their `=` and checked from the line's start.
 */
function findAliasLines(source: string): TextAlias[] {
  const lines: TextAlias[] = [];
  let checked = -1;
  ALIAS_TAIL.lastIndex = 0;
  for (let tail = ALIAS_TAIL.exec(source); tail; tail = ALIAS_TAIL.exec(source)) {
    const lineStart = multilineStart(source, tail.index);
    if (lineStart === checked) continue;
    checked = lineStart;
    ALIAS_LINE.lastIndex = lineStart;
    const match = ALIAS_LINE.exec(source);
    if (match) lines.push({ at: match.index, name: match[1], value: match[2], line: match[0] });
  }
  return lines;
}

/** How many spaces and tabs open the line starting at `lineStart` (at most 200 read). */
function indentAt(source: string, lineStart: number): number {
  let at = lineStart;
  while (at < lineStart + 200 && isBlank(source.charCodeAt(at))) at++;
  return at - lineStart;
}

/** `a.b[k].c` → `a.b[].c`: item keys do not matter to which object a path names. */
function normalizePath(text: string): string {
  // Paths are read as name characters and bracketed keys: without a bracket there is nothing to rewrite.
  if (!text.includes('[')) return text;
  return text.replace(/\[[^\]]*\]/g, '[]').replace(/\s+/g, '');
}

function extendsText(outer: string, inner: string): boolean {
  return inner.length > outer.length && inner.startsWith(outer) && (inner[outer.length] === '.' || inner[outer.length] === '[');
}

function rootOf(path: string): string {
  return /^[A-Za-z_]\w*/.exec(path)?.[0] ?? '';
}

/** Each spelling a path may stand for once simple aliases (`p = self.parent`) are expanded (a few at most). */
function expansions(path: string, aliases: ReadonlyMap<string, readonly string[]>, depth = 0): string[] {
  const root = /^[A-Za-z_]\w*/.exec(path)?.[0];
  const targets = root ? aliases.get(root) : undefined;
  if (!root || !targets || depth > 3) return [path];
  return [path, ...targets.slice(0, 3).flatMap((target) => (rootOf(target) === root ? [] : expansions(target + path.slice(root.length), aliases, depth + 1)))];
}

/** Whether two paths may start at the same object, aliases expanded. */
function sameRoot(first: string, second: string, aliases: ReadonlyMap<string, readonly string[]>): boolean {
  const roots = new Set(expansions(first, aliases).map(rootOf));
  return expansions(second, aliases).some((path) => roots.has(rootOf(path)));
}

/** A `def` that opens its line: where the line starts, the `def` keyword's offset and the indentation's width. */
export interface TextDefinition {
  readonly at: number;
  readonly keyword: number;
  readonly indent: number;
}

/** `name = a.b.c` alone on its line: where the line starts, the name, the value's text and the whole line. */
export interface TextAlias {
  readonly at: number;
  readonly name: string;
  readonly value: string;
  readonly line: string;
}

/** What the pre-check read from the text, kept so the model need not read it again. */
export interface CycleCandidateScan {
  /** Offsets of the starts of the lines that may build a cycle, ascending. */
  readonly candidates: readonly number[];
  /** The `def`s that open their lines, by name, in text order. */
  readonly definitions: ReadonlyMap<string, readonly TextDefinition[]>;
  /** The alias lines, in text order. */
  readonly aliasLines: readonly TextAlias[];
}

/**
 * Where the document may hold a cycle of the kinds GCL101–GCL103 (and the self-references GCL201 uses) find: the
 * offsets (into `source`) of stores of a lambda, partial, nested function or bound method of a method defined here,
 * and of stores whose holder and value paths could close a loop. Over-approximates (strings and comments count);
 * never misses a store the model would report. Empty for most documents, which then skip the model.
 */
export function cycleCandidateOffsets(source: string): number[] {
  return [...scanCycleCandidates(source).candidates];
}

/** The candidate lines of {@link cycleCandidateOffsets}, with the definitions and aliases the scan found on the way. */
export function scanCycleCandidates(documentText: string): CycleCandidateScan {
  // Lines end where Python ends them (a lone \r too); the same length, so offsets are the document's.
  const source = parseableText(documentText);
  // Each function name with the offsets and indentations it is defined at.
  const definitions = new Map<string, TextDefinition[]>();
  const inTextOrder: NamedDefinition[] = [];
  for (let at = source.indexOf('def'); at >= 0; at = source.indexOf('def', at + 3)) {
    // `def` must open its line (after indentation and an optional `async`): a blank or a line start before it.
    if ((at > 0 && !isLineBreakOrBlank(source.charCodeAt(at - 1))) || !isBlank(source.charCodeAt(at + 3))) continue;
    DEF_NAME.lastIndex = at;
    const match = DEF_NAME.exec(source);
    if (!match) continue;
    const lineStart = source.lastIndexOf('\n', match.index) + 1;
    const before = /^([ \t]*)(?:async[ \t]+)?$/.exec(source.slice(lineStart, match.index));
    if (!before) continue;
    const list = definitions.get(match[1]) ?? [];
    const definition: NamedDefinition = { name: match[1], at: lineStart, keyword: match.index, indent: before[1].length };
    list.push(definition);
    definitions.set(match[1], list);
    inTextOrder.push(definition);
  }
  const aliases = new Map<string, string[]>();
  const aliasLines = findAliasLines(source);
  for (const { name, value } of aliasLines) {
    const list = aliases.get(name) ?? [];
    if (!list.includes(value)) list.push(value);
    aliases.set(name, list);
  }
  const candidates: number[] = [];
  const stores: TextStore[] = [];
  /** `p.cb = self.m` where `p` is not (an alias of) `self`: a candidate when `self.x = p` is stored too. */
  const pendingBound: TextStore[] = [];
  const candidateHolderRoots = new Set<string>();
  const mark = (at: number, holderText: string | undefined): void => {
    candidates.push(at);
    if (holderText) candidateHolderRoots.add(rootOf(holderText));
  };
  for (const match of storeMarks(source)) {
    const lineStart = source.lastIndexOf('\n', match.index) + 1;
    const holderText = holderBefore(source, lineStart, match.index + (match.text.startsWith(']') ? 1 : 0));
    let rest = source.slice(match.index + match.text.length, source.indexOf('\n', match.index) >>> 0);
    if (/insert|setdefault/.test(match.text)) rest = rest.slice(rest.indexOf(',') + 1);
    const callsBound = (): boolean => {
      const call = CALL_OF_BOUND.exec(rest);
      return call !== null && definitions.has(call[1]) && definitions.has(call[2]);
    };
    if (/^[ \t]*lambda\b/.test(rest) || /^[ \t]*[\w.]*partial[ \t]*\(/.test(rest) || callsBound()) {
      mark(lineStart, holderText);
      continue;
    }
    const value = PATH_VALUE.exec(rest)?.[1];
    if (!value || !holderText || /^(?:None|True|False)$/.test(value)) continue;
    const holder = normalizePath(holderText);
    // A bound method `x.m` of a method defined here stored on what `x` may own.
    const bound = /^[A-Za-z_]\w*\.([A-Za-z_]\w*)$/.exec(value)?.[1];
    if (bound && definitions.has(bound)) {
      if (sameRoot(holder, value, aliases)) mark(lineStart, holder);
      else pendingBound.push({ holder, value, at: lineStart });
      continue;
    }
    // A function defined just before in the same block or a branch of it, stored by name (`def later(): ...; self.later = later`).
    const nested = (definitions.get(value) ?? []).filter((definition) => definition.at < lineStart).pop();
    if (nested && nested.indent >= indentAt(source, lineStart)) {
      mark(lineStart, holder);
      continue;
    }
    stores.push({ holder, value: normalizePath(value), at: lineStart });
  }
  const byValue = new Map<string, { holder: string; at: number }[]>();
  const expanded = stores.map((store) => ({ store, holders: expansions(store.holder, aliases), values: expansions(store.value, aliases) }));
  for (const { store, holders, values } of expanded) {
    for (const value of values) {
      const list = byValue.get(value) ?? [];
      for (const holder of holders) list.push({ holder, at: store.at });
      byValue.set(value, list);
    }
  }
  for (const { store, holders, values } of expanded) {
    for (const holder of holders) {
      for (const value of values) {
        if (holder === value || extendsText(value, holder)) candidates.push(store.at);
        for (const partner of byValue.get(holder) ?? []) {
          if (partner.holder === value || extendsText(value, partner.holder)) candidates.push(store.at, partner.at);
        }
      }
    }
  }
  const owners = new Map<string, number[]>();
  for (const store of stores) {
    const key = `${rootOf(store.holder)}>${store.value}`;
    owners.set(key, [...(owners.get(key) ?? []), store.at]);
  }
  for (const store of pendingBound) {
    const links = owners.get(`${rootOf(store.value)}>${rootOf(store.holder)}`);
    if (links) candidates.push(store.at, ...links);
  }
  // `self.editwin = editwin` beside a candidate `editwin.write = …`: the store that makes the holder owned.
  const candidateLines = new Set(candidates);
  for (const store of [...stores, ...pendingBound]) if (candidateLines.has(store.at)) candidateHolderRoots.add(rootOf(store.holder));
  for (const store of stores) if (candidateHolderRoots.has(store.value)) candidates.push(store.at);
  candidates.push(...visibleKeeperCalls(source, definitions, inTextOrder, stores));
  return { candidates: [...new Set(candidates)].sort((a, b) => a - b), definitions, aliasLines };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `(self, …name…` in a def header, compiled once per name (the same names recur across a run's documents). */
const PARAMETER_PATTERNS = new Map<string, RegExp>();
function parameterPattern(name: string): RegExp {
  let pattern = PARAMETER_PATTERNS.get(name);
  if (!pattern) {
    if (PARAMETER_PATTERNS.size > 10_000) PARAMETER_PATTERNS.clear();
    pattern = new RegExp(`\\(\\s*self\\s*,[^)]*\\b${escapeRegExp(name)}\\b`);
    PARAMETER_PATTERNS.set(name, pattern);
  }
  return pattern;
}

/**
 * Calls that pass a closure, a bound method or an object to a method of this file that keeps that argument on
 * `self` (`def on_click(self, fn): self.handlers.append(fn)` with `button.on_click(lambda: button.flash())`): the
 * call lines, and the method's `def` and store lines, so the model sees both.
 */
function visibleKeeperCalls(
  source: string,
  definitions: ReadonlyMap<string, readonly TextDefinition[]>,
  flat: readonly NamedDefinition[],
  stores: readonly TextStore[],
): number[] {
  const keepers = new Map<string, number[]>();
  for (const store of stores) {
    if ((store.holder !== 'self' && !store.holder.startsWith('self.')) || store.value === 'self' || !/^[A-Za-z_]\w*$/.test(store.value)) continue;
    const indent = /^[ \t]*/.exec(source.slice(store.at, store.at + 200))?.[0].length ?? 0;
    // The def around the store: the last one before it that is indented less (binary search, then back).
    let low = 0;
    let high = flat.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (flat[middle].at < store.at) low = middle + 1;
      else high = middle;
    }
    let index = low - 1;
    while (index >= 0 && flat[index].indent >= indent) index--;
    const enclosing = index >= 0 ? flat[index] : undefined;
    if (!enclosing || enclosing.name.startsWith('__')) continue;
    const header = source.slice(enclosing.at, source.indexOf(':', enclosing.at) + 1 || enclosing.at + 400);
    if (!header.includes(store.value) || !parameterPattern(store.value).test(header)) continue;
    const lines = keepers.get(enclosing.name);
    if (lines) lines.push(store.at);
    else keepers.set(enclosing.name, [enclosing.at, store.at]);
  }
  if (keepers.size === 0) return [];
  const found: number[] = [];
  for (const call of methodCallsNamed(source, keepers.keys())) {
    const rest = source.slice(call.end, source.indexOf('\n', call.dot) >>> 0);
    // What the callee would keep must close a cycle: a closure, `self`, a bound method or a nested function.
    const argument = /^[ \t]*([A-Za-z_][\w.]*)[ \t]*[,)]/.exec(rest)?.[1];
    const method = argument ? /^[A-Za-z_]\w*\.([A-Za-z_]\w*)$/.exec(argument)?.[1] : undefined;
    const closing = /^[ \t]*(?:lambda\b|[\w.]*partial[ \t]*\()/.test(rest) || argument === 'self'
      || (method !== undefined && definitions.has(method)) || (argument !== undefined && definitions.has(argument));
    if (!closing) continue;
    found.push(source.lastIndexOf('\n', call.dot) + 1, ...(keepers.get(call.name) ?? []));
  }
  return found;
}

/** A `def` of {@link TextDefinition} with its name. */
interface NamedDefinition extends TextDefinition {
  readonly name: string;
}

function isLineBreakOrBlank(code: number): boolean {
  return code === 10 || isBlank(code);
}

/** A store-shaped place in the text: where it starts and what matched (`.b =`, `.append(`, `] =`). */
export interface StoreMark {
  readonly index: number;
  readonly text: string;
}

/**
 * The store-shaped places, in the order the scan reads them: every `.append(` (and the other storing calls), `.b =`
 * or `.b: T =` (not `==`), as the expression
 * `\.[ \t]*(?:(?:append|add|insert|appendleft|setdefault)[ \t]*\(|[A-Za-z_]\w*[ \t]*(?::[^=\n]*)?=(?!=))` finds them
 * (a match's annotation hides the dots inside it); then every `] =`. Read from the text's `.name`s and `]`s
 * (indexOf and a few characters after each): a regular expression would test every offset of the text.
 */
export function storeMarks(source: string): StoreMark[] {
  const marks: StoreMark[] = [];
  let matchedUpTo = 0;
  const names = dotNames(source);
  for (let index = 0; index < names.count; index++) {
    const dot = names.dot(index);
    const after = names.after(index);
    if (dot < matchedUpTo) continue;
    let end = -1;
    if (source.charCodeAt(after) === 40 /* ( */ && STORING_CALLS.has(dotName(source, names, index))) end = after + 1;
    else if (isAssignAt(source, after)) end = after + 1;
    else if (source.charCodeAt(after) === 58 /* : */) {
      let at = after + 1;
      while (at < source.length && source.charCodeAt(at) !== 61 && source.charCodeAt(at) !== 10) at++;
      if (isAssignAt(source, at)) end = at + 1;
    }
    if (end < 0) continue;
    marks.push({ index: dot, text: source.slice(dot, end) });
    matchedUpTo = end;
  }
  for (let at = source.indexOf(']'); at >= 0; at = source.indexOf(']', at + 1)) {
    let end = at + 1;
    while (isBlank(source.charCodeAt(end))) end++;
    if (source.charCodeAt(end) === 61 /* = */ && source.charCodeAt(end + 1) !== 61) marks.push({ index: at, text: source.slice(at, end + 1) });
  }
  return marks;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9; // space, tab
}

/**
 * The places `.name(` (blanks allowed around the name) calls one of `names`: where the `.` stands and where the
 * text after `(` starts. Searched per name for the literal (no expression compiled per document).
 */
function methodCallsNamed(source: string, names: Iterable<string>): { dot: number; end: number; name: string }[] {
  const calls: { dot: number; end: number; name: string }[] = [];
  for (const name of names) {
    for (let at = source.indexOf(name); at >= 0; at = source.indexOf(name, at + 1)) {
      let dot = at;
      while (dot > 0 && isBlank(source.charCodeAt(dot - 1))) dot--;
      if (source.charCodeAt(dot - 1) !== 46 /* . */) continue;
      let end = at + name.length;
      while (isBlank(source.charCodeAt(end))) end++;
      if (source.charCodeAt(end) === 40 /* ( */) calls.push({ dot: dot - 1, end: end + 1, name });
    }
  }
  return calls;
}

/** Whether the document may hold one of those cycles at all. */
export function mayBuildCycles(source: string): boolean {
  return cycleCandidateOffsets(source).length > 0;
}
