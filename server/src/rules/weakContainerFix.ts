// The weak-container fix GCL302 and GCL303 share: `[]`/`set()` → `weakref.WeakSet()`, `{}` → `WeakValueDictionary`/`WeakKeyDictionary`.
import type { Fix } from '../analysis/findingTypes';
import { instancesAreWeakReferenceable, methodAround } from '../semantic/classSketch';
import type { ContainerFact, ContainerFacts, ContainerUse } from '../semantic/containerFacts';
import type { SemanticModel } from '../semantic/semanticModel';
import type { SyntaxNode } from '../syntax/syntaxTypes';

export type WeakContainer = 'WeakSet' | 'WeakValueDictionary' | 'WeakKeyDictionary';

/** Uses a WeakSet supports the same way a list does: appending, iterating, testing, `len`, `in`. */
const SET_LIKE_LIST_USES = new Set(['append', 'iterate', 'test', 'len', 'list', 'tuple', 'sorted', 'copy', 'any', 'all', 'bool']);
/** Uses a weak dictionary supports the same way a dict does. */
const DICT_USES = new Set([
  '[]=', 'setdefault', 'index', 'get', 'iterate', 'test', 'len', 'items', 'values', 'keys', 'copy', 'list', 'tuple', 'sorted', 'bool',
]);
const SET_USES = new Set(['add', 'iterate', 'test', 'len', 'list', 'tuple', 'sorted', 'copy', 'bool']);

/**
 * Whether `value` (stored by `use`) is an object a weak reference can point to, judged from what the file shows:
 * the method's `self` or `cls`, an instance or a class of the file's classes, a function the module defines.
 */
export function isWeaklyReferenceable(value: SyntaxNode, use: ContainerUse, facts: ContainerFacts): boolean {
  if (value.type === 'identifier') {
    const method = methodAround(facts.functions.innermost(value), facts.classes, facts.functions);
    if (method && method.method.receiver === value.text) {
      return method.method.kind === 'class' || instancesAreWeakReferenceable(method.sketch);
    }
    if (facts.classes.has(value.text)) return true;
    return false;
  }
  if (value.type === 'call') {
    const callee = value.childForFieldName('function');
    const sketch = callee?.type === 'identifier' ? facts.classes.get(callee.text) : undefined;
    return sketch !== undefined && instancesAreWeakReferenceable(sketch) && use.function !== null;
  }
  return false;
}

const LITERALS = new Set(['string', 'integer', 'float', 'true', 'false', 'none']);

/** A literal, or a name other than the keys': a value that cannot hold a reference to its key. */
function isPlainValue(value: SyntaxNode, keys: readonly SyntaxNode[]): boolean {
  return LITERALS.has(value.type) || (value.type === 'identifier' && keys.every((key) => key.text !== value.text));
}

function usesAllowed(fact: ContainerFact, allowed: ReadonlySet<string>): boolean {
  return fact.uses.every((use) => use.kind === 'add' || use.kind === 'read' ? allowed.has(use.detail) : true);
}

/** Which weak container can replace `fact` without changing how the file uses it, or undefined. */
export function weakReplacement(fact: ContainerFact, facts: ContainerFacts, valuesKnownWeak: boolean): WeakContainer | undefined {
  if (!fact.shape.plainEmpty || fact.annotation) return undefined;
  const adds = fact.uses.filter((use) => use.kind === 'add');
  if (adds.length === 0 || adds.some((use) => use.values.length === 0 && use.keys.length === 0)) return undefined;
  // The fix may rewrite the additions: they must lie inside the class that owns a class-level container.
  const owner = fact.owner.kind === 'module' ? undefined : fact.owner.sketch.node;
  if (owner && adds.some((use) => use.node.startIndex < owner.startIndex || use.node.endIndex > owner.endIndex)) return undefined;
  const weak = (nodes: (use: ContainerUse) => readonly SyntaxNode[]): boolean =>
    adds.every((use) => nodes(use).length > 0 && nodes(use).every((node) => valuesKnownWeak || isWeaklyReferenceable(node, use, facts)));
  switch (fact.shape.family) {
    case 'list':
      return usesAllowed(fact, SET_LIKE_LIST_USES) && weak((use) => use.values) ? 'WeakSet' : undefined;
    case 'set':
      return usesAllowed(fact, SET_USES) && weak((use) => use.values) ? 'WeakSet' : undefined;
    case 'dict':
      if (!usesAllowed(fact, DICT_USES)) return undefined;
      if (weak((use) => use.values)) return 'WeakValueDictionary';
      // A value that refers to its key (`d[cls] = cls()`: an instance holds its class) would keep the key alive.
      return weak((use) => use.keys) && adds.every((use) => use.values.every((value) => isPlainValue(value, use.keys))) ? 'WeakKeyDictionary' : undefined;
    case 'deque':
      return undefined;
  }
}

/** How the replacement is spelled in this module (`weakref.WeakSet` or an existing alias) and what must be imported. */
function spelling(container: WeakContainer, semantic: SemanticModel): { text: string; imports: Fix['imports'] } {
  for (const statement of semantic.root.namedChildren) {
    if (statement.type !== 'import_statement') continue;
    for (const item of statement.childrenForFieldName('name')) {
      if (item?.type === 'aliased_import' && item.childForFieldName('name')?.text === 'weakref') {
        const alias = item.childForFieldName('alias')?.text;
        if (alias) return { text: `${alias}.${container}`, imports: [] };
      }
    }
  }
  return { text: `weakref.${container}`, imports: [{ kind: 'module', module: 'weakref' }] };
}

/** The unsafe fix that makes the container weak, with a title saying what changes. */
export function weakContainerFix(fact: ContainerFact, container: WeakContainer, semantic: SemanticModel): Fix {
  const { text, imports } = spelling(container, semantic);
  const what = container === 'WeakSet' ? 'entries vanish when their objects die; no order, no duplicates'
    : container === 'WeakValueDictionary' ? 'an entry vanishes when its value dies' : 'an entry vanishes when its key dies';
  // A list becomes a set: its `append` calls become `add`.
  const renames = fact.shape.family === 'list'
    ? fact.uses.flatMap((use) => {
      const method = use.kind === 'add' && use.detail === 'append' ? use.node.childForFieldName('function')?.childForFieldName('attribute') : null;
      return method ? [{ range: { start: method.startIndex, end: method.endIndex }, newText: 'add' }] : [];
    })
    : [];
  return {
    title: `Make \`${fact.display}\` a ${container} (${what})`,
    applicability: 'unsafe',
    edits: [{ range: { start: fact.value.startIndex, end: fact.value.endIndex }, newText: `${text}()` }, ...renames],
    imports,
  };
}
