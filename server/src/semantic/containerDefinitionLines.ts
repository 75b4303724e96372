// Where a file may define a container: a text prefilter for `name = [` / `self.x = {}` lines, then their places in the tree (module, class body, `__init__`).
import type { SyntaxNode } from '../syntax/syntaxTypes';

const CONSTRUCTOR_NAMES = 'list|dict|set|defaultdict|OrderedDict|Counter|deque|WeakSet|WeakValueDictionary|WeakKeyDictionary';
/**
 * `= [`, `= {`, `= collections.defaultdict(`: where a container may be assigned. A text prefilter (scanning for `=`
 * is several times faster than matching every line start); only its hits are looked at in the tree.
 */
function containerValue(constructors: string): RegExp {
  return new RegExp(String.raw`=[ \t]*(?:[[{]|(?:[A-Za-z_]\w*\.)*(?:${constructors})[ \t]*[([])`, 'g');
}
const CONTAINER_VALUE = containerValue(CONSTRUCTOR_NAMES);
/** `defaultdict as dd` (in `from collections import defaultdict as dd`): a constructor under another name. */
const CONSTRUCTOR_ALIAS = new RegExp(String.raw`\b(?:${CONSTRUCTOR_NAMES})[ \t]+as[ \t]+([A-Za-z_]\w*)`, 'g');

/** The prefilter for `text`: the constructors' own names, plus the names the text imports them as. */
function containerValueFor(text: string): RegExp {
  const aliases = [...new Set([...text.matchAll(CONSTRUCTOR_ALIAS)].map((match) => match[1]))];
  return aliases.length === 0 ? CONTAINER_VALUE : containerValue(`${CONSTRUCTOR_NAMES}|${aliases.join('|')}`);
}
/** The line before the `=`: `name`, `recv.name`, optionally annotated. */
const DEFINITION_TARGET = /^([ \t]*)(?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?$/;

interface DefinitionLine {
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

/** The headers of the blocks around a line, innermost first, up to the first `def` or `class` (text only). */
function firstDefinitionHeader(text: string, lineStart: number, indent: number): string | undefined {
  for (let header = headerAbove(text, lineStart, indent); header; header = headerAbove(text, header.start, header.indent)) {
    if (/^(?:async[ \t]+)?def[ \t]/.test(header.text) || /^class[ \t]/.test(header.text)) return header.text;
  }
  return undefined;
}

/** An indented line that, by its indentation, sits in a function (so a local, not a class attribute). */
function inFunctionText(text: string, lineStart: number, indent: number): boolean {
  return /^(?:async[ \t]+)?def[ \t]/.test(firstDefinitionHeader(text, lineStart, indent) ?? '');
}

/** A `recv.x = …` line that, by its indentation, sits in an `__init__`. */
function inInitText(text: string, lineStart: number, indent: number): boolean {
  return /^def[ \t]+__init__\b/.test(firstDefinitionHeader(text, lineStart, indent) ?? '');
}

/** The lines that may define a container, from the text alone. */
export function definitionLines(text: string): DefinitionLine[] {
  const lines: DefinitionLine[] = [];
  const pattern = containerValueFor(text);
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (text[match.index - 1] === '=' || text[match.index - 1] === '!' || text[match.index - 1] === '<' || text[match.index - 1] === '>') continue;
    const lineStart = text.lastIndexOf('\n', match.index - 1) + 1;
    const target = DEFINITION_TARGET.exec(text.slice(lineStart, match.index));
    if (!target) continue;
    const [, indent, receiver, name] = target;
    if (receiver ? !inInitText(text, lineStart, indent.length) : indent.length > 0 && inFunctionText(text, lineStart, indent.length)) continue;
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
