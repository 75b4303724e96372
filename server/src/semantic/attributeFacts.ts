// Where a document stores references (attribute and item assignments, container adds, deletes, simple aliases), found cheaply.
import { firstAfter } from '../syntax/sortedSearch';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { scanCycleCandidates, type CycleCandidateScan } from './cycleCandidates';
import { NAME_AFTER_KEYWORD } from './functionIndex';
import { scopesOf, type ScopeIndex } from './scopeIndex';
import type { DocumentFactKey } from './semanticModel';

/**
 * One place that makes an object hold a reference: `holder.slot = value` (attribute), `holder[k] = value` (item),
 * `holder.append(value)` and friends (call). For `a.b = v` the holder is `a`; for `a.b[k] = v` and
 * `a.b.append(v)` it is the container `a.b`.
 */
export interface StoreSite {
  readonly kind: 'attribute' | 'item' | 'call';
  /** The assignment or call statement's expression node. */
  readonly statement: SyntaxNode;
  /** The target of the store: the `attribute` node of `a.b = v`, the `subscript` of `a[k] = v`, the callee of a call. */
  readonly target: SyntaxNode;
  readonly holder: SyntaxNode;
  /** The attribute name for attribute stores, else the container method (`append`) or `[]`. */
  readonly slot: string;
  readonly value: SyntaxNode;
  /** The innermost function the store runs in; null at module or class level. */
  readonly scope: SyntaxNode | null;
  /** Made by calling a method of this file that keeps its argument (`button.on_click(f)`): that method's name. */
  readonly via?: string;
}

/** `receiver.method(args)` on a line that may build a cycle: the method may keep an argument on its `self`. */
export interface MethodCallSite {
  readonly call: SyntaxNode;
  readonly receiver: SyntaxNode;
  readonly method: string;
  /** Positional arguments only (a keyword or unpacked argument makes the call unusable: empty). */
  readonly args: readonly SyntaxNode[];
  readonly scope: SyntaxNode | null;
}

/** `del a.b` / `del a[k]`, and `a.b.clear()`: an attribute or container emptied. */
export interface ClearSite {
  readonly target: SyntaxNode;
  readonly scope: SyntaxNode | null;
}

/**
 * Offsets in the text, per name, of the places that may bind it (assignments, `for`/`as`/`import`/`global`
 * targets, walrus, `def`/`class`), found by regular expressions: a superset, so "bound once" is never guessed.
 */
export type NameOffsets = ReadonlyMap<string, readonly number[]>;

export interface StoreFacts {
  readonly stores: readonly StoreSite[];
  /** Method calls on the cycle candidate lines (empty for the whole-document facts). */
  readonly calls: readonly MethodCallSite[];
  readonly clears: readonly ClearSite[];
  /** Where `name = a.b.c` (a name or attribute chain alone on the right) may stand; validated before use. */
  readonly aliasOffsets: NameOffsets;
  readonly bindingOffsets: NameOffsets;
  /** Offsets of the `def` keyword of indented (nested or method) functions, by name. */
  readonly nestedDefOffsets: NameOffsets;
  /** Names of functions defined at module level. */
  readonly moduleFunctions: ReadonlySet<string>;
  readonly classes: readonly SyntaxNode[];
}

/** How many of `offsets` lie in [start, end). */
export function countBetween(offsets: readonly number[] | undefined, start: number, end: number): number {
  if (!offsets) return 0;
  let count = 0;
  for (const offset of offsets) if (offset >= start && offset < end) count++;
  return count;
}

/** Container methods that keep their (last) argument: `append(x)`, `add(x)`, `insert(i, x)`, `setdefault(k, x)`. */
export const CONTAINER_ADD_METHODS: ReadonlySet<string> = new Set(['append', 'add', 'insert', 'appendleft', 'setdefault']);

const ATTRIBUTE_STORE = /\.[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)/g;
const ITEM_STORE = /\][ \t]*=(?!=)/g;
const CONTAINER_CALL = /\.[ \t]*(append|add|insert|appendleft|setdefault|clear)[ \t]*\(/g;
const DELETE = /\bdel[ \t]/g;
const ALIAS = /^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*(?!None\b|True\b|False\b)[A-Za-z_][\w.]*[ \t]*(?:#.*)?$/gm;
const CLASS = /\bclass[ \t]/g;
const NOT_AN_ALIAS = /^(?:None|True|False)\b/;
const BINDINGS: readonly RegExp[] = [
  /^[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?(?:[-+*/%&|^@]|<<|>>|\*\*|\/\/)?=(?!=)/gm,
  /^[ \t]*(\(?[A-Za-z_]\w*(?:[ \t]*,[ \t]*\*?[A-Za-z_]\w*)+\)?)[ \t]*,?[ \t]*=(?!=)/gm,
  /\bfor[ \t]+([\w, \t()*]+?)[ \t]+in\b/g,
  /\bas[ \t]+([A-Za-z_]\w*)/g,
  /\b(?:global|nonlocal|import)[ \t]+([\w, \t.]+)/g,
  /\b(?:def|class)[ \t]+([A-Za-z_]\w*)/g,
];
const NESTED_DEF = /^[ \t]+(?:async[ \t]+)?(def)[ \t]+([A-Za-z_]\w*)/gm;
const MODULE_DEF = /^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)/gm;
const PATH_OR_LAMBDA = /^[ \t]*(?:lambda\b|[A-Za-z_][\w.]*[ \t]*(?:[)\],;#\r\n]|$))/;
const CALLEE = /^[ \t]*([A-Za-z_][\w.]*)[ \t]*\(/;

/** Whether a stored value (the text after `=` or `(`) can matter to a cycle: a lambda, a name or attribute chain, or a call of `partial` or of a module function. */
function interestingValue(after: string, moduleFunctions: ReadonlySet<string>): boolean {
  if (PATH_OR_LAMBDA.test(after)) return true;
  const callee = CALLEE.exec(after)?.[1];
  return callee !== undefined && (callee.endsWith('partial') || moduleFunctions.has(callee));
}

/** The right-hand value of an assignment, through chains (`a.x = b = v` → `v`). */
export function assignedValue(assignment: SyntaxNode): SyntaxNode | null {
  let value = assignment.childForFieldName('right');
  while (value?.type === 'assignment') value = value.childForFieldName('right');
  return value;
}

/** The assignment `target` is a left-hand side of (directly or in a chain), if any. */
function assignmentOfTarget(target: SyntaxNode): SyntaxNode | null {
  const parent = target.parent;
  if (parent?.type !== 'assignment' || parent.childForFieldName('left')?.id !== target.id) return null;
  return parent;
}

function nodeAt(root: SyntaxNode, offset: number, type: string): SyntaxNode | null {
  let node = root.descendantForIndex(offset);
  while (node && node.type !== type) {
    if (node.startIndex < offset - 1) return null;
    node = node.parent;
  }
  return node;
}

/** Each match's offset in the document (the root may start after leading blank lines). */
/** A part of the document to scan: its text and where that text starts. */
interface Region {
  readonly text: string;
  readonly base: number;
  /** Which matches to look up in the tree; all when absent. */
  readonly relevance?: Relevance;
}

/**
 * What the cycle rules can use from a region: stores on the candidate lines themselves, and elsewhere only the
 * stores and clears of attributes named on those lines (how strong `self.parent` is, whether close() clears it).
 */
interface Relevance {
  /** Absolute offsets of the candidate lines' starts. */
  readonly lines: ReadonlySet<number>;
  readonly names: ReadonlySet<string>;
}

/** The absolute start of the line holding `offset` (an absolute offset inside the region). */
function lineStartIn(region: Region, offset: number): number {
  return region.base + region.text.lastIndexOf('\n', offset - region.base - 1) + 1;
}

function onCandidateLine(region: Region, offset: number): boolean {
  return !region.relevance || region.relevance.lines.has(lineStartIn(region, offset));
}

/** Whether the name written at `offset` is one the candidate lines use (or every name, without relevance). */
function relevantNameAt(region: Region, offset: number): boolean {
  if (!region.relevance) return true;
  const name = /^\w+/.exec(region.text.slice(offset - region.base, offset - region.base + 80))?.[0] ?? '';
  return region.relevance.names.has(name) || onCandidateLine(region, offset);
}

function matchOffsets(source: string, base: number, pattern: RegExp, group = 0): number[] {
  const offsets: number[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    const at = group === 0 ? match.index : match.index + match[0].indexOf(match[group]);
    offsets.push(base + at);
  }
  return offsets;
}

function attributeStores(root: SyntaxNode, scopes: ScopeIndex, region: Region, stores: StoreSite[]): void {
  for (const offset of matchOffsets(region.text, region.base, ATTRIBUTE_STORE, 1)) {
    if (!relevantNameAt(region, offset)) continue;
    const name = root.descendantForIndex(offset);
    const target = name?.parent;
    if (target?.type !== 'attribute' || target.childForFieldName('attribute')?.id !== name?.id) continue;
    const assignment = assignmentOfTarget(target);
    const value = assignment ? assignedValue(assignment) : null;
    const holder = target.childForFieldName('object');
    if (!assignment || !value || !holder || !name) continue;
    stores.push({ kind: 'attribute', statement: assignment, target, holder, slot: name.text, value, scope: scopes.enclosingFunction(assignment) });
  }
}

function itemStores(root: SyntaxNode, scopes: ScopeIndex, region: Region, moduleFunctions: ReadonlySet<string>, stores: StoreSite[]): void {
  for (const offset of matchOffsets(region.text, region.base, ITEM_STORE)) {
    const after = region.text.slice(offset - region.base, offset - region.base + 120).replace(/^\][ \t]*=/, '');
    if (!interestingValue(after, moduleFunctions) || !onCandidateLine(region, offset)) continue;
    const bracket = root.descendantForIndex(offset);
    const target = bracket?.parent;
    if (target?.type !== 'subscript') continue;
    const assignment = assignmentOfTarget(target);
    const value = assignment ? assignedValue(assignment) : null;
    const holder = target.childForFieldName('value');
    if (!assignment || !value || !holder) continue;
    stores.push({ kind: 'item', statement: assignment, target, holder, slot: '[]', value, scope: scopes.enclosingFunction(assignment) });
  }
}

function containerCalls(root: SyntaxNode, scopes: ScopeIndex, region: Region, moduleFunctions: ReadonlySet<string>, stores: StoreSite[], clears: ClearSite[]): void {
  const source = region.text;
  for (const offset of matchOffsets(source, region.base, CONTAINER_CALL, 1)) {
    const local = offset - region.base;
    const after = source.slice(source.indexOf('(', local) + 1, local + 160);
    const clear = source.startsWith('clear', local);
    if (!clear && !source.startsWith('insert', local) && !source.startsWith('setdefault', local) && !interestingValue(after, moduleFunctions)) continue;
    if (clear ? !holderNamesRelevant(region, offset) : !onCandidateLine(region, offset)) continue;
    const found = methodCallAt(root, scopes, offset);
    if (!found) continue;
    const { call, callee, receiver: holder, method, args } = found;
    if (method === 'clear') {
      if (args.length === 0) clears.push({ target: holder, scope: found.scope });
      continue;
    }
    const wanted = method === 'append' || method === 'add' || method === 'appendleft' ? 1 : 2;
    if (args.length !== wanted) continue;
    stores.push({ kind: 'call', statement: call, target: callee, holder, slot: method, value: args[wanted - 1], scope: found.scope });
  }
}

/** Whether the line up to `offset` names something the candidate lines use (`self.children.clear()`, `del self.parent`). */
function holderNamesRelevant(region: Region, offset: number, end = offset): boolean {
  if (!region.relevance) return true;
  const text = region.text.slice(lineStartIn(region, offset) - region.base, end - region.base);
  return text.split(/\W+/).some((name) => region.relevance?.names.has(name));
}

function deletes(root: SyntaxNode, scopes: ScopeIndex, region: Region, clears: ClearSite[]): void {
  for (const offset of matchOffsets(region.text, region.base, DELETE)) {
    const lineEnd = region.text.indexOf('\n', offset - region.base);
    if (!holderNamesRelevant(region, offset, lineEnd < 0 ? region.base + region.text.length : region.base + lineEnd)) continue;
    const statement = nodeAt(root, offset, 'delete_statement');
    if (!statement) continue;
    const targets = statement.namedChildren.flatMap((child) => (child.type === 'expression_list' ? child.namedChildren : [child]));
    for (const target of targets) {
      if (target.type === 'attribute' || target.type === 'subscript') clears.push({ target, scope: scopes.enclosingFunction(statement) });
    }
  }
}

/** Offsets of each regular expression's name captures (group 1 split on commas and spaces), by name. */
function nameOffsets(source: string, base: number, patterns: readonly RegExp[], group = 1): Map<string, number[]> {
  const offsets = new Map<string, number[]>();
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
      const at = base + match.index + match[0].indexOf(match[group]);
      for (const name of match[group].split(/[^\w]+/)) {
        if (!name) continue;
        const list = offsets.get(name);
        if (list) list.push(at);
        else offsets.set(name, [at]);
      }
    }
  }
  return offsets;
}

/** `name :=` (found from each `:=`, looking back, which is much cheaper than a pattern starting at every name). */
function walrusOffsets(source: string, base: number, offsets: Map<string, number[]>): void {
  for (let at = source.indexOf(':='); at >= 0; at = source.indexOf(':=', at + 2)) {
    const name = /([A-Za-z_]\w*)[ \t]*$/.exec(source.slice(Math.max(0, at - 80), at));
    if (!name) continue;
    const list = offsets.get(name[1]) ?? [];
    list.push(base + at - name[0].length);
    offsets.set(name[1], list);
  }
}

interface DefinitionIndex {
  /** Names of functions defined at module level. */
  readonly moduleFunctions: Set<string>;
  /** Offsets of the `def` keyword of indented functions anywhere (a wrapper outside the regions is read too), by name. */
  readonly nestedDefOffsets: Map<string, number[]>;
}

function definitionsFromText(source: string, base: number): DefinitionIndex {
  const moduleFunctions = new Set<string>();
  MODULE_DEF.lastIndex = 0;
  for (let match = MODULE_DEF.exec(source); match; match = MODULE_DEF.exec(source)) moduleFunctions.add(match[1]);
  return { moduleFunctions, nestedDefOffsets: nestedDefinitionOffsets(source, base) };
}

/** The same index from the pre-check's definitions (lines split at `\n` there). */
function definitionsFromScan(scan: CycleCandidateScan, base: number): DefinitionIndex {
  const moduleFunctions = new Set<string>();
  const nestedDefOffsets = new Map<string, number[]>();
  for (const [name, definitions] of scan.definitions) {
    for (const definition of definitions) {
      if (definition.indent === 0) {
        moduleFunctions.add(name);
        continue;
      }
      const list = nestedDefOffsets.get(name);
      if (list) list.push(base + definition.keyword);
      else nestedDefOffsets.set(name, [base + definition.keyword]);
    }
  }
  return { moduleFunctions, nestedDefOffsets };
}

function nestedDefinitionOffsets(source: string, base: number): Map<string, number[]> {
  const offsets = new Map<string, number[]>();
  NESTED_DEF.lastIndex = 0;
  for (let match = NESTED_DEF.exec(source); match; match = NESTED_DEF.exec(source)) {
    const list = offsets.get(match[2]) ?? [];
    list.push(base + match.index + match[0].indexOf('def'));
    offsets.set(match[2], list);
  }
  return offsets;
}

/** Whether `class` and a blank stand at `at`, opening its line (what `CLASS` and `opensLine` accept). */
function isClassKeywordAt(source: string, at: number): boolean {
  const after = source.charCodeAt(at + 5);
  return source.startsWith('class', at) && (after === 32 || after === 9) && opensLine(source, at);
}

/** Whether only indentation stands between the start of `at`'s line (after `\n` or `\r`) and `at`. */
function opensLine(source: string, at: number): boolean {
  for (let index = at - 1; index >= 0; index--) {
    const code = source.charCodeAt(index);
    if (code === 10 || code === 13) return true;
    if (code !== 32 && code !== 9 && code !== 12) return false; // space, tab, form feed
  }
  return true;
}

function classDefinitions(root: SyntaxNode, source: string, scopes: ScopeIndex): readonly SyntaxNode[] {
  // The engine collected them: those whose `class` opens its line, as the search below finds them.
  const collected = scopes.collectedClasses();
  if (collected) return collected.filter((definition) => isClassKeywordAt(source, definition.startIndex - root.startIndex));
  const classes: SyntaxNode[] = [];
  for (const offset of matchOffsets(source, root.startIndex, CLASS)) {
    // A class statement opens its line: `class` in prose (docstrings, comments) is not looked up in the tree.
    if (!opensLine(source, offset - root.startIndex)) continue;
    // The smallest node spanning the keyword and the name's first character is the class itself (no climb to the
    // keyword's parent, a walk from the root in the native binding); without a name, the keyword's parent.
    NAME_AFTER_KEYWORD.lastIndex = offset - root.startIndex + 5;
    const name = NAME_AFTER_KEYWORD.exec(source);
    const definition = name ? root.descendantForIndex(offset, offset + 5 + name[0].length) : root.descendantForIndex(offset)?.parent;
    if (definition?.type === 'class_definition' && definition.startIndex === offset) classes.push(definition);
  }
  return classes;
}

/**
 * Finds the stores with regular expressions over the text and looks each match up in the tree: matches in
 * strings and comments fall away there. Much cheaper than visiting every assignment and call of the module.
 */
/** The call `receiver.method(args)` whose method name starts at `offset`, if that is what stands there. */
function methodCallAt(root: SyntaxNode, scopes: ScopeIndex, offset: number): (MethodCallSite & { callee: SyntaxNode }) | undefined {
  const name = root.descendantForIndex(offset);
  const callee = name?.parent;
  const call = callee?.parent;
  if (!name || callee?.type !== 'attribute' || call?.type !== 'call' || call.childForFieldName('function')?.id !== callee.id) return undefined;
  const receiver = callee.childForFieldName('object');
  const args = call.childForFieldName('arguments');
  if (!receiver || args?.type !== 'argument_list') return undefined;
  const positional = args.namedChildren.filter((arg) => arg.type !== 'comment');
  const usable = positional.every((arg) => arg.type !== 'keyword_argument' && arg.type !== 'list_splat' && arg.type !== 'dictionary_splat');
  return { call, callee, receiver, method: name.text, args: usable ? positional : [], scope: scopes.enclosingFunction(call) };
}

const METHOD_CALL = /\.[ \t]*([A-Za-z_]\w*)[ \t]*\(/g;

/** The `x.m(...)` calls on the candidate lines (relative line starts into `source`). */
function methodCalls(root: SyntaxNode, scopes: ScopeIndex, source: string, lines: readonly number[]): MethodCallSite[] {
  const calls: MethodCallSite[] = [];
  for (const lineStart of lines) {
    const line = source.slice(lineStart, (source.indexOf('\n', lineStart) + 1 || source.length + 1) - 1);
    for (const offset of matchOffsets(line, root.startIndex + lineStart, METHOD_CALL, 1)) {
      const found = methodCallAt(root, scopes, offset);
      if (found) calls.push(found);
    }
  }
  return calls;
}

/** Appends each of `source`'s name offsets to `into`. */
function mergeOffsets(into: Map<string, number[]>, from: ReadonlyMap<string, readonly number[]>): void {
  for (const [name, offsets] of from) {
    const list = into.get(name);
    if (list) list.push(...offsets);
    else into.set(name, [...offsets]);
  }
}

/**
 * The top-level statements (module-level functions and classes, with the in-document bases of those classes)
 * around the offsets where the text pre-check saw a possible cycle: the only parts of the document the model scans.
 */
function candidateRegions(root: SyntaxNode, source: string, scan: CycleCandidateScan, classes: readonly SyntaxNode[]): Region[] {
  const { candidates } = scan;
  const topLevel = new Map<number, SyntaxNode>();
  // The module's statements, and the one around an offset by binary search (no `parent`: a walk from the root).
  const statements = root.namedChildren;
  const starts = statements.map((statement) => statement.startIndex);
  const statementAt = (at: number): SyntaxNode | undefined => {
    const statement = statements[firstAfter(starts, at) - 1];
    return statement && at < statement.endIndex ? statement : undefined;
  };
  const moduleClasses = new Map<string, SyntaxNode>();
  for (const definition of classes) {
    // A module-level class is a statement of the module, or the definition of a decorated one.
    const statement = statementAt(definition.startIndex);
    const topLevelClass = statement !== undefined && (statement.id === definition.id
      || (statement.type === 'decorated_definition' && statement.childForFieldName('definition')?.id === definition.id));
    const name = topLevelClass ? definition.childForFieldName('name')?.text : undefined;
    if (statement && name) moduleClasses.set(name, statement);
  }
  const add = (statement: SyntaxNode): void => {
    if (topLevel.has(statement.id)) return;
    topLevel.set(statement.id, statement);
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    for (const base of definition?.type === 'class_definition' ? definition.childForFieldName('superclasses')?.namedChildren ?? [] : []) {
      const baseStatement = base.type === 'identifier' ? moduleClasses.get(base.text) : undefined;
      if (baseStatement) add(baseStatement);
    }
  };
  // The top-level statement around each candidate.
  for (const offset of candidates) {
    const statement = statementAt(root.startIndex + offset);
    if (statement) add(statement);
  }
  const relevance = relevanceOf(root, source, scan);
  return [...topLevel.values()]
    .sort((a, b) => a.startIndex - b.startIndex)
    .map((statement) => ({ text: source.slice(statement.startIndex - root.startIndex, statement.endIndex - root.startIndex), base: statement.startIndex, relevance }));
}

/** The candidate lines and the names they use, with what aliases of those names stand for (`p = self.parent`). */
function relevanceOf(root: SyntaxNode, source: string, scan: CycleCandidateScan): Relevance {
  const { candidates } = scan;
  const names = new Set<string>();
  const addNames = (text: string): void => {
    for (const name of text.split(/\W+/)) if (name) names.add(name);
  };
  for (const offset of candidates) addNames(source.slice(offset, (source.indexOf('\n', offset) + 1 || source.length + 1) - 1));
  // The pre-check's alias lines are those of ALIAS plus `x = None`/`True`/`False`, which alias nothing.
  for (const alias of scan.aliasLines) {
    if (names.has(alias.name) && !NOT_AN_ALIAS.test(alias.value)) addNames(alias.line);
  }
  return { lines: new Set(candidates.map((offset) => root.startIndex + offset)), names };
}

/**
 * Finds the stores with regular expressions over the text and looks each match up in the tree: matches in
 * strings and comments fall away there. With `onlyCycleCandidates`, only the top-level statements where the text
 * pre-check saw a possible cycle are scanned (most documents: none); the classes are always listed for the whole
 * module (their details are read on demand).
 */
export function computeStoreFacts(root: SyntaxNode, onlyCycleCandidates: boolean, scopes: ScopeIndex): StoreFacts {
  const source = root.text;
  const stores: StoreSite[] = [];
  const clears: ClearSite[] = [];
  const scan = onlyCycleCandidates ? scanCycleCandidates(source) : undefined;
  if (scan?.candidates.length === 0) {
    return { stores, calls: [], clears, aliasOffsets: new Map(), bindingOffsets: new Map(), nestedDefOffsets: new Map(), moduleFunctions: new Set(), classes: [] };
  }
  // The pre-check already listed the `def`s that open their lines: module functions and nested ones come from there.
  const { moduleFunctions, nestedDefOffsets } = scan ? definitionsFromScan(scan, root.startIndex) : definitionsFromText(source, root.startIndex);
  const classes = classDefinitions(root, source, scopes);
  const aliasOffsets = new Map<string, number[]>();
  const bindingOffsets = new Map<string, number[]>();
  const regions = scan ? candidateRegions(root, source, scan, classes) : [{ text: source, base: root.startIndex }];
  for (const region of regions) {
    attributeStores(root, scopes, region, stores);
    itemStores(root, scopes, region, moduleFunctions, stores);
    containerCalls(root, scopes, region, moduleFunctions, stores, clears);
    deletes(root, scopes, region, clears);
    mergeOffsets(aliasOffsets, nameOffsets(region.text, region.base, [ALIAS]));
    const bindings = nameOffsets(region.text, region.base, BINDINGS);
    walrusOffsets(region.text, region.base, bindings);
    mergeOffsets(bindingOffsets, bindings);
  }
  stores.sort((a, b) => a.statement.startIndex - b.statement.startIndex);
  const calls = scan ? methodCalls(root, scopes, source, scan.candidates) : [];
  return { stores, calls, clears, aliasOffsets, bindingOffsets, nestedDefOffsets, moduleFunctions, classes };
}

/** Every store of the document. */
export const STORE_FACTS: DocumentFactKey<StoreFacts> = { name: 'store sites', compute: (root, model) => computeStoreFacts(root, false, scopesOf(model)) };

/** The stores of the top-level statements that may build a cycle: what the cycle rules read. */
export const CYCLE_STORE_FACTS: DocumentFactKey<StoreFacts> = { name: 'store sites (cycle candidates)', compute: (root, model) => computeStoreFacts(root, true, scopesOf(model)) };
