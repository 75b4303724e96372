// The closure side of GCL102's cycles: the names a lambda or nested def keeps from outside, and the nested defs a name means.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { CYCLE_STORE_FACTS } from './attributeFacts';
import { ReferenceTest } from './nameFlow';
import { scopeBindings } from './scopeBindings';
import { scopesOf } from './scopeIndex';
import type { SemanticModel } from './semanticModel';

const COMPREHENSIONS = ['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'];

/** Names a closure binds itself (parameters, assignments, nested functions' and comprehensions' own names). */
function namesBoundInside(closure: SyntaxNode): Set<string> {
  const bound = new Set<string>();
  for (const scope of [closure, ...closure.descendantsOfType(['lambda', 'function_definition']).filter((node) => node.isNamed && node.id !== closure.id)]) {
    for (const name of scopeBindings(scope)) bound.add(name);
  }
  for (const comprehension of closure.descendantsOfType(COMPREHENSIONS)) {
    for (const clause of comprehension.namedChildren.filter((child) => child.type === 'for_in_clause')) {
      const left = clause.childForFieldName('left');
      for (const name of left ? [left, ...left.descendantsOfType('identifier')] : []) if (name.type === 'identifier') bound.add(name.text);
    }
  }
  return bound;
}

/**
 * The identifiers a lambda or nested def keeps from outside: its free variables, and defaults that are a name
 * (`s=self`) or an attribute of one (`start=self._start`, kept if it is a bound method); `ref(self)` keeps nothing.
 */
export function freeIdentifiers(closure: SyntaxNode): SyntaxNode[] {
  const bound = namesBoundInside(closure);
  const nameId = closure.type === 'function_definition' ? closure.childForFieldName('name')?.id : undefined;
  // Only an identifier inside some default value can be one (each tree access crosses into the parser: DESIGN §8).
  const defaults = closure.descendantsOfType(['default_parameter', 'typed_default_parameter'])
    .map((parameter) => parameter.childForFieldName('value'))
    .filter((value): value is SyntaxNode => value !== null)
    .map((value) => [value.startIndex, value.endIndex] as const);
  const references = new ReferenceTest(closure);
  return closure.descendantsOfType('identifier').filter((identifier) => {
    if (!references.isReference(identifier)) return false;
    if (nameId !== undefined && nameId === identifier.id) return false;
    const start = defaults.length === 0 ? -1 : identifier.startIndex;
    const defaultValue = defaults.some(([from, to]) => start >= from && start < to) ? defaultValueAround(identifier, closure) : undefined;
    if (defaultValue) return defaultValue.id === identifier.id || (defaultValue.type === 'attribute' && defaultValue.childForFieldName('object')?.id === identifier.id);
    return !bound.has(identifier.text);
  });
}

/** The parameter kinds that carry a default value. */
export const DEFAULT_PARAMETER_KINDS = ['default_parameter', 'typed_default_parameter'];

/** The default value of a parameter of `closure` that contains the identifier (evaluated, and kept, by the enclosing scope). */
export function defaultValueAround(identifier: SyntaxNode, closure: SyntaxNode): SyntaxNode | undefined {
  // By ranges over the defaults the parser's C walk finds, not by climbing `parent`: a native node's parent costs its
  // depth, so climbing from a capture to a closure 10,000 lambdas up was cubic (GCL101-103/201 took minutes).
  let innermost: SyntaxNode | undefined;
  for (const parameter of closure.descendantsOfType(DEFAULT_PARAMETER_KINDS)) {
    const value = parameter.childForFieldName('value');
    if (value && value.startIndex <= identifier.startIndex && identifier.endIndex <= value.endIndex) innermost = value;
  }
  return innermost;
}

/** Whether an identifier is part of a parameter's default value. */
export function isInDefault(identifier: SyntaxNode, closure: SyntaxNode): boolean {
  return defaultValueAround(identifier, closure) !== undefined;
}

/**
 * The nested `def <name>` in `scope` (in its body's blocks, not in deeper functions) that a use at `before` sees:
 * the last one defined before it, found through the `def` index.
 */
export function nestedDefinition(scope: SyntaxNode, name: string, semantic: SemanticModel, before = Infinity): SyntaxNode | undefined {
  const body = scope.childForFieldName('body');
  if (!body) return undefined;
  let found: SyntaxNode | undefined;
  for (const offset of semantic.fact(CYCLE_STORE_FACTS).nestedDefOffsets.get(name) ?? []) {
    if (offset < body.startIndex || offset >= body.endIndex || offset >= before) continue;
    const definition = semantic.root.descendantForIndex(offset)?.parent;
    if (definition?.type === 'function_definition' && scopesOf(semantic).innermostDefinition(definition)?.id === scope.id) found = definition;
  }
  return found;
}

