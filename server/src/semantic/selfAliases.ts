// Object paths: which object an expression names (`self`, `me = self`, `p = self.parent`, `n = node.left`), as comparable keys.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { countBetween, CYCLE_STORE_FACTS, STORE_FACTS, type StoreFacts } from './attributeFacts';
import { CLASS_MODEL, CYCLE_CLASS_MODEL, type ClassFacts, type ClassModel } from './classModel';
import { scopesOf } from './scopeIndex';
import type { DocumentFactKey, SemanticModel } from './semanticModel';

/**
 * A path is a root and steps, written as one string: `@self#12.parent.children[]` is the `children` container of
 * the `parent` of the instance of the class whose `class` node has id 12; `node#40.left` is the `left` of the local
 * `node` of the function with id 40. Two expressions with the same path name the same object (as far as
 * straight-line code with names bound once goes).
 */
export type ObjectPath = string;

export interface ObjectPaths {
  /** The path of a name, attribute chain or subscript evaluated in `scope` (a function, or null at module level). */
  pathOf(expression: SyntaxNode, scope: SyntaxNode | null): ObjectPath | undefined;
  /** The class whose instance a path starts at, when it starts at a method's `self`. */
  selfClassOf(path: ObjectPath): ClassFacts | undefined;
}

/** Whether `inner` is reached from `outer` through at least one attribute or item step. */
export function extendsPath(outer: ObjectPath, inner: ObjectPath): boolean {
  return inner.length > outer.length && inner.startsWith(outer) && (inner[outer.length] === '.' || inner[outer.length] === '[');
}

/** The attribute steps of `path` after `outer` (`['parent', 'children']`), item steps as `[]`. */
export function stepsAfter(outer: ObjectPath, path: ObjectPath): string[] {
  return path.slice(outer.length).split(/(?=[.[])/).filter(Boolean).map((step) => (step.startsWith('.') ? step.slice(1) : step));
}

/** The first attribute of a path rooted at `self` (`parent` of `@self#12.parent.children`). */
export function firstStep(path: ObjectPath): string | undefined {
  return /^[^.[]+\.([A-Za-z_]\w*)/.exec(path)?.[1];
}

/** The names a function's parameters bind (`self`, `x`, `x: int = 0`, `*args`). */
function parameterNames(definition: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const parameter of definition.childForFieldName('parameters')?.namedChildren ?? []) {
    const identifier = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? parameter.namedChild(0));
    if (identifier?.type === 'identifier') names.add(identifier.text);
  }
  return names;
}

const MAX_ALIAS_DEPTH = 8;

/** Object paths over the stores and class model `storeFacts` and `classModel` name. */
export function computeObjectPaths(
  root: SyntaxNode,
  semantic: SemanticModel,
  storeFacts: DocumentFactKey<StoreFacts> = STORE_FACTS,
  classModel: DocumentFactKey<ClassModel> = CLASS_MODEL,
): ObjectPaths {
  const stores = semantic.fact(storeFacts);
  const classes = semantic.fact(classModel);
  const scopes = scopesOf(semantic);
  const classNodeById = new Map<number, SyntaxNode>(stores.classes.map((definition) => [definition.id, definition]));
  // Read once per function: every path through it asks again, and each tree access crosses into the parser.
  const ranges = new Map<number, [number, number]>();
  const bodyRange = (definition: SyntaxNode): [number, number] => {
    const known = ranges.get(definition.id);
    if (known) return known;
    const body = definition.childForFieldName('body');
    const range: [number, number] = body ? [body.startIndex, body.endIndex] : [definition.endIndex, definition.endIndex];
    ranges.set(definition.id, range);
    return range;
  };
  const parameters = new Map<number, Set<string>>();
  const isParameter = (definition: SyntaxNode, name: string): boolean => {
    let names = parameters.get(definition.id);
    if (!names) {
      names = parameterNames(definition);
      parameters.set(definition.id, names);
    }
    return names.has(name);
  };
  /** How many places in the function's body (nested functions included, to err on the side of "rebound") may bind `name`. */
  const rebindCount = (definition: SyntaxNode, name: string): number => countBetween(stores.bindingOffsets.get(name), ...bodyRange(definition));
  const binds = (definition: SyntaxNode, name: string): boolean => isParameter(definition, name) || rebindCount(definition, name) > 0;
  /** The value of the one alias statement binding `name` in `definition`, when it is the only binding of that name there. */
  const aliasOf = (definition: SyntaxNode, name: string): SyntaxNode | undefined => {
    if (isParameter(definition, name) || rebindCount(definition, name) !== 1) return undefined;
    const [start, end] = bodyRange(definition);
    const offsets = (stores.aliasOffsets.get(name) ?? []).filter((offset) => offset >= start && offset < end);
    if (offsets.length !== 1) return undefined;
    const identifier = root.descendantForIndex(offsets[0]);
    const assignment = identifier?.parent;
    if (identifier?.type !== 'identifier' || assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.id !== identifier.id) return undefined;
    if (scopes.enclosingFunction(assignment)?.id !== definition.id) return undefined;
    const value = assignment.childForFieldName('right');
    return value?.type === 'identifier' || value?.type === 'attribute' ? value : undefined;
  };
  const rootOf = (name: string, scope: SyntaxNode | null, depth: number): ObjectPath | undefined => {
    for (let definition = scope; definition; definition = scopes.enclosingFunction(definition)) {
      const method = classes.methodOf(definition);
      if (method?.selfName === name && rebindCount(definition, name) === 0) return `@self#${method.owner.definition.id}`;
      if (!binds(definition, name)) continue;
      const alias = aliasOf(definition, name);
      if (alias) return depth < MAX_ALIAS_DEPTH ? pathAt(alias, definition, depth + 1) : undefined;
      return `${name}#${definition.id}`;
    }
    return undefined;
  };
  /** Down the chain (`a.b[k].c` → `a`) with a loop, not a recursion: a chain may be thousands of attributes long. */
  const pathAt = (expression: SyntaxNode, scope: SyntaxNode | null, depth: number): ObjectPath | undefined => {
    const steps: string[] = [];
    let current: SyntaxNode | null = expression;
    while (current && current.type !== 'identifier') {
      if (current.type === 'attribute') {
        const attribute = current.childForFieldName('attribute');
        if (!attribute) return undefined;
        steps.push(`.${attribute.text}`);
        current = current.childForFieldName('object');
      } else if (current.type === 'subscript') {
        steps.push('[]');
        current = current.childForFieldName('value');
      } else if (current.type === 'parenthesized_expression') {
        current = current.namedChild(0);
      } else return undefined;
    }
    const base = current ? rootOf(current.text, scope, depth) : undefined;
    return base === undefined ? undefined : base + steps.reverse().join('');
  };
  return {
    pathOf: (expression, scope) => pathAt(expression, scope, 0),
    selfClassOf(path) {
      const match = /^@self#(\d+)/.exec(path);
      const definition = match ? classNodeById.get(Number(match[1])) : undefined;
      return definition ? classes.classOf(definition) : undefined;
    },
  };
}

export const OBJECT_PATHS: DocumentFactKey<ObjectPaths> = { name: 'object paths', compute: (root, semantic) => computeObjectPaths(root, semantic) };

/** Object paths over the cycle rules' (candidate-only) stores and class model. */
export const CYCLE_OBJECT_PATHS: DocumentFactKey<ObjectPaths> = {
  name: 'object paths (cycle candidates)',
  compute: (root, semantic) => computeObjectPaths(root, semantic, CYCLE_STORE_FACTS, CYCLE_CLASS_MODEL),
};
