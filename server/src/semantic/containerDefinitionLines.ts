// Where a file may define a container: a text prefilter for `name = [` / `self.x = {}` lines, then their places in the tree (module, class body, `__init__`).
import type { SyntaxNode } from '../syntax/syntaxTypes';

const CONSTRUCTOR_NAMES: readonly string[] = [
  'list', 'dict', 'set', 'defaultdict', 'OrderedDict', 'Counter', 'deque', 'WeakSet', 'WeakValueDictionary', 'WeakKeyDictionary',
];

/** `[A-Za-z0-9_]`: what `\w` matches (ASCII only, as in a regular expression without the `u` flag). */
function isWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

/** `[A-Za-z_]`: what may start a name in these scans. */
function isNameStartCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isBlankCode(code: number): boolean {
  return code === 32 || code === 9;
}

/** The end of the `\w` run starting at `at` (`at` itself when there is none). */
function wordEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length && isWordCode(text.charCodeAt(end))) end++;
  return end;
}

/**
 * The names `text` imports the constructors as: each `NAME as ALIAS` (blanks around `as`) where `NAME` is a whole
 * constructor name, as a global regex `\b(?:NAMES)[ \t]+as[ \t]+([A-Za-z_]\w*)` finds them (matches do not overlap).
 * Found from each `as` by `indexOf` and checked around it: a regex opening with an alternation has no literal to skip to.
 */
function constructorAliases(text: string): string[] {
  const aliases = new Set<string>();
  let matchedUpTo = 0;
  for (let at = text.indexOf('as'); at >= 0; at = text.indexOf('as', at + 2)) {
    if (!isBlankCode(text.charCodeAt(at - 1)) || !isBlankCode(text.charCodeAt(at + 2))) continue;
    let nameEnd = at - 1;
    while (nameEnd > 0 && isBlankCode(text.charCodeAt(nameEnd - 1))) nameEnd--;
    let nameStart = nameEnd;
    while (nameStart > 0 && isWordCode(text.charCodeAt(nameStart - 1))) nameStart--;
    if (nameStart < matchedUpTo || !CONSTRUCTOR_NAMES.includes(text.slice(nameStart, nameEnd))) continue;
    let aliasStart = at + 3;
    while (isBlankCode(text.charCodeAt(aliasStart))) aliasStart++;
    if (!isNameStartCode(text.charCodeAt(aliasStart))) continue;
    matchedUpTo = wordEnd(text, aliasStart);
    aliases.add(text.slice(aliasStart, matchedUpTo));
  }
  return [...aliases];
}

/**
 * Whether a container may be assigned at the `=` at `at`: `= [`, `= {`, or a dotted name whose last part is one of
 * `constructors` followed by `(` or `[` (`= collections.defaultdict(`), as the regex
 * `=[ \t]*(?:[[{]|(?:[A-Za-z_]\w*\.)*(?:NAMES)[ \t]*[([])` would match there. A text prefilter (scanning for `=` is
 * several times faster than matching every line start); only its hits are looked at in the tree.
 */
function assignsContainerAt(text: string, at: number, constructors: ReadonlySet<string>): boolean {
  let next = at + 1;
  while (isBlankCode(text.charCodeAt(next))) next++;
  const first = text.charCodeAt(next);
  if (first === 91 || first === 123) return true;
  let segmentStart = next;
  for (;;) {
    if (!isNameStartCode(text.charCodeAt(segmentStart))) return false;
    const segmentEnd = wordEnd(text, segmentStart);
    if (text.charCodeAt(segmentEnd) === 46) {
      segmentStart = segmentEnd + 1;
      continue;
    }
    if (!constructors.has(text.slice(segmentStart, segmentEnd))) return false;
    let after = segmentEnd;
    while (isBlankCode(text.charCodeAt(after))) after++;
    const bracket = text.charCodeAt(after);
    return bracket === 40 || bracket === 91;
  }
}

/** The line before the `=`: `name`, `recv.name`, optionally annotated. */
const DEFINITION_TARGET = /^([ \t]*)(?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?$/;

export interface DefinitionLine {
  readonly receiver: string | undefined;
  readonly name: string;
  readonly nameStart: number;
}

/** The nearest line above `lineStart` indented less than `indent` (blank and comment lines skipped): its block's header. */
function headerAbove(text: string, lineStart: number, indent: number): { start: number; indent: number; text: string } | undefined {
  for (let end = lineStart - 1; end > 0;) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    let column = start;
    while (text[column] === ' ' || text[column] === '\t') column++;
    if (column < end && text[column] !== '#' && text[column] !== '\r' && column - start < indent) {
      return { start, indent: column - start, text: text.slice(column, Math.min(end, column + 20)) };
    }
    end = start - 1;
  }
  return undefined;
}

/** The first `def` or `class` header found above a line (its first 20 characters), by the line's start. */
type KnownHeaders = Map<number, { readonly indent: number; readonly header: string | undefined }>;

function isDefinitionHeader(header: string): boolean {
  return /^(?:async[ \t]+)?def[ \t]/.test(header) || /^class[ \t]/.test(header);
}

/**
 * The headers of the blocks around a line, innermost first, up to the first `def` or `class` (text only). On the
 * way up to its block's header, a line asked about before at the same indentation has the same answer (every line
 * between them is indented at least as much): `known` holds those answers.
 */
function firstDefinitionHeader(text: string, lineStart: number, indent: number, known: KnownHeaders): string | undefined {
  const asked = known.get(lineStart);
  if (asked?.indent === indent) return asked.header;
  let answer: string | undefined;
  for (let end = lineStart - 1; end > 0;) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    let column = start;
    while (text[column] === ' ' || text[column] === '\t') column++;
    if (column < end && text[column] !== '#' && text[column] !== '\r') {
      if (column - start < indent) {
        const header = { start, indent: column - start, text: text.slice(column, Math.min(end, column + 20)) };
        for (let current: typeof header | undefined = header; current; current = headerAbove(text, current.start, current.indent)) {
          if (isDefinitionHeader(current.text)) {
            answer = current.text;
            break;
          }
        }
        break;
      }
      const before = known.get(start);
      if (before?.indent === indent) {
        answer = before.header;
        break;
      }
    }
    end = start - 1;
  }
  known.set(lineStart, { indent, header: answer });
  return answer;
}

/** The lines that may define a container, from the text alone. */
export function definitionLines(text: string): DefinitionLine[] {
  const lines: DefinitionLine[] = [];
  const known: KnownHeaders = new Map();
  // The constructors' own names, plus the names the text imports them as (`from collections import defaultdict as dd`).
  const constructors = new Set([...CONSTRUCTOR_NAMES, ...constructorAliases(text)]);
  for (let at = text.indexOf('='); at >= 0; at = text.indexOf('=', at + 1)) {
    if (!assignsContainerAt(text, at, constructors)) continue;
    if (text[at - 1] === '=' || text[at - 1] === '!' || text[at - 1] === '<' || text[at - 1] === '>') continue;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const target = DEFINITION_TARGET.exec(text.slice(lineStart, at));
    if (!target) continue;
    const [, indent, receiver, name] = target;
    // By indentation: `recv.x = …` must sit in an `__init__`, an indented `x = …` not in a function (a local).
    if (receiver || indent.length > 0) {
      const header = firstDefinitionHeader(text, lineStart, indent.length, known) ?? '';
      if (receiver ? !/^def[ \t]+__init__\b/.test(header) : /^(?:async[ \t]+)?def[ \t]/.test(header)) continue;
    }
    lines.push({ receiver, name, nameStart: lineStart + indent.length + (receiver ? receiver.length + 1 : 0) });
  }
  return lines;
}

const BLOCK_PARENTS = new Set([
  'block', 'if_statement', 'elif_clause', 'else_clause', 'try_statement', 'except_clause', 'except_group_clause', 'finally_clause',
  'with_statement', 'for_statement', 'while_statement',
]);

/** Where an assignment statement runs: module level, a class body, a function (with the def), through blocks. */
export function levelOf(statement: SyntaxNode): SyntaxNode | null {
  let current = statement.parent;
  while (current && BLOCK_PARENTS.has(current.type)) current = current.parent;
  return current;
}

/** A definition line placed in the tree: where the assignment runs (module, class body, `__init__`). */
export interface PlacedLine {
  readonly name: string;
  readonly receiver: string | undefined;
  readonly assignment: SyntaxNode;
  readonly target: SyntaxNode;
  readonly value: SyntaxNode;
  /** The module, the class_definition, or the `__init__` function_definition it runs in. */
  readonly level: SyntaxNode;
}

/** The definition lines that are assignments at module level, in a class body, or of `self.x` in `__init__`. */
export function placeLines(root: SyntaxNode, lines: readonly DefinitionLine[]): PlacedLine[] {
  const placed: PlacedLine[] = [];
  for (const { receiver, name, nameStart } of lines) {
    if (name.startsWith('__') && name.endsWith('__')) continue;
    const identifier = root.descendantForIndex(nameStart, nameStart + name.length);
    if (identifier?.type !== 'identifier' || identifier.startIndex !== nameStart) continue;
    const target = receiver ? identifier.parent : identifier;
    const assignment = target?.parent;
    if (!target || assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.id !== target.id) continue;
    const statement = assignment.parent;
    const value = assignment.childForFieldName('right');
    if (statement?.type !== 'expression_statement' || !value) continue;
    const level = levelOf(statement);
    if (!level) continue;
    const fits = receiver
      ? level.type === 'function_definition' && level.childForFieldName('name')?.text === '__init__'
      : level.type === 'module' || level.type === 'class_definition';
    if (fits) placed.push({ name, receiver, assignment, target, value, level });
  }
  return placed;
}
