// GCL001's fix: default → None, `if name is None: name = <original>` after the docstring, annotation widened.
import type { Fix, ImportRequest, TextEdit } from '../analysis/findingTypes';
import type { PythonVersion } from '../analysis/settings';
import type { SemanticModel } from '../semantic/semanticModel';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { lineBreakForFix, lineEndAt, lineStartAt } from '../analysis/textLines';
import { headerColon, isDocstring } from '../syntax/pythonShapes';

export interface SentinelFixInput {
  readonly text: string;
  /** The `default_parameter` or `typed_default_parameter` node. */
  readonly parameter: SyntaxNode;
  /** The `function_definition` the parameter belongs to (lambdas get no fix). */
  readonly functionNode: SyntaxNode;
  readonly targetVersion: PythonVersion;
  readonly semantic: SemanticModel;
}

/** The whitespace before `node` on its line, or undefined when code precedes it there. */
function indentationOf(text: string, node: SyntaxNode): string | undefined {
  const prefix = text.slice(lineStartAt(text, node.startIndex), node.startIndex);
  return /^[ \t]*$/.test(prefix) ? prefix : undefined;
}

/**
 * The line break the function's own lines use: the first one at or after `from` (the `def`), else the last one
 * before it, else `\n`. Looking no further than the function keeps the fix a fact of its own statement, so
 * incremental analysis stays exact, and mixed-ending files get the ending of the lines being edited.
 */
function lineBreakAt(text: string, from: number): string {
  if (lineEndAt(text, from) < text.length) return lineBreakForFix(text, from);
  const before = /(\r\n|\r|\n)[^\r\n]*$/.exec(text.slice(0, from));
  return before ? lineBreakForFix(text, before.index) : '\n';
}

function parameterNames(functionNode: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const parameter of functionNode.childForFieldName('parameters')?.namedChildren ?? []) {
    const name = parameter.childForFieldName('name') ?? (parameter.type === 'identifier' ? parameter : parameter.namedChild(0));
    if (name?.type === 'identifier') names.add(name.text);
  }
  return names;
}

/** `if <parameter> is None:` with no else: a sentinel block an earlier fix (or the author) wrote. */
function isSentinelCheck(statement: SyntaxNode, parameters: ReadonlySet<string>): boolean {
  if (statement.type !== 'if_statement' || statement.childForFieldName('alternative')) return false;
  const condition = statement.childForFieldName('condition');
  if (condition?.type !== 'comparison_operator' || condition.namedChildCount !== 2) return false;
  const [left, right] = [condition.namedChild(0), condition.namedChild(1)];
  const operators = condition.children.filter((child) => !child.isNamed).map((child) => child.type);
  return left?.type === 'identifier' && parameters.has(left.text) && right?.type === 'none' && operators.join(' ') === 'is';
}

/** Whether one annotation node admits None by itself; else the operands that decide it (for `admitsNone` to look at). */
function admitsNoneHere(annotation: SyntaxNode, semantic: SemanticModel): boolean | readonly SyntaxNode[] {
  switch (annotation.type) {
    case 'type': {
      const inner = annotation.namedChild(0);
      return inner ? [inner] : false;
    }
    case 'none':
      return true;
    case 'string':
      return /\bNone\b|\bOptional\b|\bAny\b|^\W*object\W*$/.test(annotation.text);
    case 'binary_operator':
    case 'type_parameter':
      return annotation.namedChildren;
    case 'identifier':
    case 'attribute': {
      const name = semantic.qualifiedName(annotation) ?? annotation.text;
      return /(^|\.)(Any|object)$/.test(name);
    }
    case 'subscript':
    case 'generic_type': {
      const base = annotation.childForFieldName('value') ?? annotation.namedChild(0);
      const name = base ? (semantic.qualifiedName(base) ?? base.text) : '';
      if (/(^|\.)Optional$/.test(name)) return true;
      if (!/(^|\.)Union$/.test(name)) return false;
      return annotation.namedChildren.slice(1);
    }
    default:
      return false;
  }
}

/**
 * Whether an annotation already admits None (`Optional[T]`, `T | None`, `Union[..., None]`, `Any`, `object`). An
 * explicit stack, operands in order: `int | int | … | None` nests one level per `|`, 10,000 ran the JS stack out.
 */
function admitsNone(annotation: SyntaxNode, semantic: SemanticModel): boolean {
  const pending: SyntaxNode[] = [annotation];
  while (pending.length > 0) {
    const here = admitsNoneHere(pending.pop()!, semantic);
    if (here === true) return true;
    if (here !== false) for (let index = here.length - 1; index >= 0; index--) pending.push(here[index]);
  }
  return false;
}

/** The annotation edit and import: `T | None` where the target (or `from __future__ import annotations`) allows it. */
function widenAnnotation(input: SentinelFixInput, annotation: SyntaxNode): { edit: TextEdit; imports: ImportRequest[] } | undefined {
  if (admitsNone(annotation, input.semantic)) return undefined;
  const pipeSyntax = input.targetVersion.minor >= 10 || input.semantic.futureFeatures.has('annotations');
  const inner = annotation.type === 'type' && annotation.namedChildCount === 1 ? (annotation.namedChild(0) as SyntaxNode) : annotation;
  const range = { start: annotation.startIndex, end: annotation.endIndex };
  if (inner.type === 'string' && pipeSyntax) {
    // A forward reference stays one string: `"Node"` → `"Node | None"` (a str | None would fail at runtime).
    const content = inner.namedChildren.find((child) => child.type === 'string_content');
    if (!content) return undefined;
    return { edit: { range: { start: content.endIndex, end: content.endIndex }, newText: ' | None' }, imports: [] };
  }
  if (pipeSyntax) return { edit: { range, newText: `${annotation.text} | None` }, imports: [] };
  return {
    edit: { range, newText: `Optional[${annotation.text}]` },
    imports: [{ kind: 'name', module: 'typing', name: 'Optional' }],
  };
}

/** Where the sentinel goes and how to write it, or undefined when the body's layout is too odd to edit safely. */
function sentinelInsertion(input: SentinelFixInput, name: string, original: (indent: string) => string): TextEdit | undefined {
  const { text, functionNode } = input;
  const body = functionNode.childForFieldName('body');
  const colon = headerColon(functionNode);
  const definitionIndent = indentationOf(text, functionNode);
  if (!body || !colon || definitionIndent === undefined) return undefined;
  const statements = body.namedChildren.filter((child) => child.type !== 'comment');
  if (statements.length === 0) return undefined;
  const eol = lineBreakAt(text, functionNode.startIndex);
  const oneLine = !/[\r\n]/.test(text.slice(colon.endIndex, statements[0].startIndex));
  const unit = definitionIndent.includes('\t') ? '\t' : '    ';
  if (oneLine) {
    // `def f(x=[]): return x` becomes a block; a one-line docstring body is left alone (rare, and ambiguous).
    if (isDocstring(statements[0])) return undefined;
    const indent = definitionIndent + unit;
    const sentinel = `${eol}${indent}if ${name} is None:${eol}${indent}${unit}${name} = ${original(indent + unit)}${eol}${indent}`;
    return { range: { start: colon.endIndex, end: statements[0].startIndex }, newText: sentinel };
  }
  const bodyIndent = indentationOf(text, statements[0]);
  if (bodyIndent === undefined) return undefined;
  const nestedUnit = bodyIndent.startsWith(definitionIndent) && bodyIndent.length > definitionIndent.length
    ? bodyIndent.slice(definitionIndent.length)
    : unit;
  // After the docstring and any sentinel checks already there, so several fixes keep parameter order.
  const parameters = parameterNames(functionNode);
  let anchorEnd = colon.endIndex;
  let next = 0;
  if (isDocstring(statements[0])) anchorEnd = statements[next++].endIndex;
  while (next < statements.length && isSentinelCheck(statements[next], parameters)) anchorEnd = statements[next++].endIndex;
  const insertAt = lineEndAt(text, anchorEnd);
  if (next < statements.length && statements[next].startIndex < insertAt) return undefined; // `"""doc"""; return x`
  const sentinel = `${eol}${bodyIndent}if ${name} is None:${eol}${bodyIndent}${nestedUnit}${name} = ${original(bodyIndent + nestedUnit)}`;
  return { range: { start: insertAt, end: insertAt }, newText: sentinel };
}

/**
 * The default's source for its new line at `newIndent`: continuation lines of a multi-line default move with
 * it, unless a triple-quoted string (whose content would change) or a shallower line makes that unsafe.
 */
function reindented(text: string, value: SyntaxNode, newIndent: string): string {
  const original = text.slice(value.startIndex, value.endIndex);
  if (!/[\r\n]/.test(original) || /'''|"""/.test(original)) return original;
  const oldIndent = /^[ \t]*/.exec(text.slice(lineStartAt(text, value.startIndex)))?.[0] ?? '';
  const lines = original.split(/(\r\n|\r|\n)/);
  for (let i = 2; i < lines.length; i += 2) {
    if (lines[i].trim() !== '' && !lines[i].startsWith(oldIndent)) return original;
  }
  return lines.map((part, i) => (i % 2 === 0 && i > 0 && part.trim() !== '' ? newIndent + part.slice(oldIndent.length) : part)).join('');
}

/** The unsafe None-sentinel fix for one mutable default, or undefined when the function cannot take it. */
export function noneSentinelFix(input: SentinelFixInput): Fix | undefined {
  const { parameter, functionNode, text } = input;
  const nameNode = parameter.childForFieldName('name');
  const value = parameter.childForFieldName('value');
  if (!nameNode || nameNode.type !== 'identifier' || !value || functionNode.hasError) return undefined;
  const name = nameNode.text;
  const insertion = sentinelInsertion(input, name, (indent) => reindented(text, value, indent));
  if (!insertion) return undefined;
  const edits: TextEdit[] = [{ range: { start: value.startIndex, end: value.endIndex }, newText: 'None' }];
  const imports: ImportRequest[] = [];
  const annotation = parameter.type === 'typed_default_parameter' ? parameter.childForFieldName('type') : null;
  if (annotation) {
    const widened = widenAnnotation(input, annotation);
    if (widened) {
      edits.push(widened.edit);
      imports.push(...widened.imports);
    }
  }
  edits.push(insertion);
  return {
    title: `Default \`${name}\` to None and create the value in the body`,
    applicability: 'unsafe',
    edits: edits.sort((a, b) => a.range.start - b.range.start),
    imports,
  };
}
