// GCL301's fixes: a cache on a method that never reads `self` becomes a static method's; a cached property getter becomes functools.cached_property.
import type { Fix, ImportRequest } from '../analysis/findingTypes';
import { decoratorTarget } from '../semantic/classModel';
import type { SemanticModel } from '../semantic/semanticModel';
import type { SyntaxNode } from '../syntax/syntaxTypes';

const FUNCTOOLS_IMPORT: readonly ImportRequest[] = [{ kind: 'module', module: 'functools' }];

/** Whether `text` spells `word` as a whole identifier. */
function spells(text: string, word: string): boolean {
  return new RegExp(`(?<![\\w\\u0080-\\uffff])${word.replace(/[^\w]/g, '\\$&')}(?![\\w\\u0080-\\uffff])`).test(text);
}

function decoratorsOf(decorated: SyntaxNode): SyntaxNode[] {
  const wrapper = decorated.parent;
  return wrapper?.type === 'decorated_definition' ? wrapper.namedChildren.filter((child) => child.type === 'decorator') : [];
}

/**
 * `@staticmethod` above the cache, and the receiver parameter removed, when the method never names its receiver,
 * `super` or `__class__` (text search: a mention in a string or comment also rules the fix out) and the cache is its
 * only decorator. The cache then keys on the arguments alone and holds no instance.
 */
function staticMethodFix(decorator: SyntaxNode, decorated: SyntaxNode, self: string, text: string): Fix | undefined {
  const name = decorated.childForFieldName('name')?.text ?? '';
  const parameters = decorated.childForFieldName('parameters');
  const body = decorated.childForFieldName('body');
  const decorators = decoratorsOf(decorated);
  if (!parameters || !body || decorators.length !== 1 || decorators[0].id !== decorator.id || /^__\w+__$/.test(name)) return undefined;
  const listed = parameters.namedChildren.filter((child) => child.type !== 'comment');
  const [receiver, next] = listed;
  if (receiver?.type !== 'identifier' || receiver.text !== self || listed.some((child) => child.type === 'positional_separator')) return undefined;
  // Everything after the parameter list: the return annotation and the body.
  const rest = text.slice(parameters.endIndex, decorated.endIndex);
  if (spells(rest, self) || spells(rest, 'super') || spells(rest, '__class__')) return undefined;
  const indent = text.slice(text.lastIndexOf('\n', decorator.startIndex - 1) + 1, decorator.startIndex);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  // `(self)` or `(self,)` lose everything up to the closing parenthesis; `(self, x)` loses `self, `.
  const end = next ? next.startIndex : parameters.endIndex - 1;
  if (!next && !/^[\s,]*$/.test(text.slice(receiver.endIndex, end))) return undefined;
  return {
    title: `Make \`${name}\` a static method (it never uses \`${self}\`): its cache then keys on the arguments alone`,
    applicability: 'unsafe',
    edits: [
      { range: { start: decorator.startIndex, end: decorator.startIndex }, newText: `@staticmethod\n${indent}` },
      { range: { start: receiver.startIndex, end }, newText: '' },
    ],
    imports: [],
  };
}

/**
 * `@property` directly over the cache on a getter that takes only its receiver → one `@functools.cached_property`:
 * one value per instance, stored in the instance's `__dict__` and freed with it. Not offered when the class declares
 * `__slots__` (no `__dict__` to store it in) or gives the property a setter or deleter.
 */
function cachedPropertyFix(decorator: SyntaxNode, decorated: SyntaxNode, classNode: SyntaxNode, semantic: SemanticModel, text: string): Fix | undefined {
  const decorators = decoratorsOf(decorated);
  const index = decorators.findIndex((candidate) => candidate.id === decorator.id);
  const property = index > 0 ? decorators[index - 1] : undefined;
  const expression = property?.namedChildren.find((child) => child.type !== 'comment');
  if (!property || !expression || semantic.qualifiedName(decoratorTarget(expression)) !== 'builtins.property') return undefined;
  const parameters = decorated.childForFieldName('parameters')?.namedChildren.filter((child) => child.type !== 'comment') ?? [];
  if (parameters.length !== 1 || parameters[0].type !== 'identifier') return undefined;
  const name = decorated.childForFieldName('name')?.text ?? '';
  const classText = text.slice(classNode.startIndex, classNode.endIndex);
  if (spells(classText, '__slots__') || new RegExp(`@[ \\t]*${name}[ \\t]*\\.[ \\t]*(?:setter|deleter)\\b`).test(classText)) return undefined;
  return {
    title: `Use \`functools.cached_property\` for \`${name}\`: one value per instance, freed with it`,
    applicability: 'unsafe',
    // A trailing comment's node takes the \r of a CRLF line end: the edit stops before it, so the line keeps its break.
    edits: [{ range: { start: property.startIndex, end: text[decorator.endIndex - 1] === '\r' ? decorator.endIndex - 1 : decorator.endIndex }, newText: '@functools.cached_property' }],
    imports: FUNCTOOLS_IMPORT,
  };
}

/** The fixes GCL301 offers for a cache decorator on an instance method (none for per-instance wrapping). */
export function methodCacheFixes(decorator: SyntaxNode, decorated: SyntaxNode, classNode: SyntaxNode, self: string, semantic: SemanticModel, text: string): Fix[] {
  const fix = cachedPropertyFix(decorator, decorated, classNode, semantic, text) ?? staticMethodFix(decorator, decorated, self, text);
  return fix ? [fix] : [];
}
