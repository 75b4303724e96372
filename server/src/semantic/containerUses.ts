// What one reference to a container does with it: adds, removes, rebinds, reads (iteration too) or lets it escape.
import type { SyntaxNode } from '../syntax/syntaxTypes';

/** The qualified name an expression refers to (`builtins.len`, `weakref.ref`), as the semantic model answers. */
export type NameResolver = (expression: SyntaxNode) => string | undefined;

export type ContainerUseKind = 'add' | 'remove' | 'rebind' | 'read' | 'escape';

/** How iterating a container uses its elements: called (`cb()`), a method called on them (`o.notify()`), or neither. */
export type ElementUse = 'called' | 'method' | 'other';

/** One use of a container, classified. */
export interface ClassifiedUse {
  readonly kind: ContainerUseKind;
  /** The expression or statement that performs the use (`REG.append(x)`, `REG[k] = v`, `del REG[k]`). */
  readonly node: SyntaxNode;
  /** The method (`append`), operator (`[]=`, `|=`, `del`) or way (`return`, `call`, `iterate`) of the use. */
  readonly detail: string;
  /** Values an addition stores (`x` of `append(x)`, `v` of `d[k] = v`); empty when unknown. */
  readonly values: readonly SyntaxNode[];
  /** Keys an addition stores (`k` of `d[k] = v`, `setdefault(k, …)`). */
  readonly keys: readonly SyntaxNode[];
  /** For iteration: how the loop uses each element. */
  readonly elements?: ElementUse;
}

/** A reference assigned to a plain local name (`reg = REGISTRY`): the caller follows the alias. */
export interface AliasUse {
  readonly kind: 'alias';
  readonly name: SyntaxNode;
}

const ADD_METHODS = new Set(['append', 'add', 'extend', 'insert', 'setdefault', 'update', 'appendleft', 'extendleft', '__setitem__']);
const REMOVE_METHODS = new Set([
  'remove', 'discard', 'pop', 'popitem', 'clear', 'popleft', '__delitem__', 'difference_update', 'intersection_update',
  'symmetric_difference_update', 'rotate',
]);
/** Builtins that only read their argument (or copy it). */
const READING_BUILTINS = new Set([
  'len', 'list', 'tuple', 'sorted', 'set', 'frozenset', 'dict', 'iter', 'any', 'all', 'sum', 'min', 'max', 'enumerate',
  'zip', 'reversed', 'bool', 'repr', 'str', 'isinstance', 'id', 'hash', 'map', 'filter', 'print', 'format', 'next',
].map((name) => `builtins.${name}`));
/** Builtins whose result iterates like the container (`for cb in list(REG)`). */
const COPYING_BUILTINS = new Set(['builtins.list', 'builtins.tuple', 'builtins.sorted', 'builtins.reversed']);
/** Methods of other objects that read (copy) a container passed to them. */
const COPYING_METHODS = new Set(['join', 'extend', 'update', 'union', 'intersection', 'difference', 'issubset', 'issuperset', 'isdisjoint', 'format', 'fromkeys']);
/** Calls that hand back a view or copy: iterating the result iterates the container. */
const VIEW_METHODS = new Set(['items', 'values', 'keys', 'copy']);
const CONDITION_PARENTS = new Set(['if_statement', 'elif_clause', 'while_statement', 'assert_statement', 'not_operator', 'comparison_operator', 'expression_statement']);

function use(kind: ContainerUseKind, node: SyntaxNode, detail: string, values: readonly SyntaxNode[] = [], keys: readonly SyntaxNode[] = []): ClassifiedUse {
  return { kind, node, detail, values, keys };
}

function arguments_(call: SyntaxNode): SyntaxNode[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((child) => child.type !== 'comment') ?? [];
}

/** Elements of a list, tuple or set display (what `extend([...])` or `|= {...}` stores), else nothing known. */
function displayElements(node: SyntaxNode | undefined): SyntaxNode[] {
  if (!node) return [];
  if (node.type === 'list' || node.type === 'tuple' || node.type === 'set') return node.namedChildren.filter((child) => child.type !== 'comment');
  return [];
}

function methodCallUse(method: string, call: SyntaxNode): ClassifiedUse {
  const args = arguments_(call);
  const positional = args.filter((arg) => arg.type !== 'keyword_argument');
  if (REMOVE_METHODS.has(method)) return use('remove', call, method);
  switch (method) {
    case 'append':
    case 'add':
    case 'appendleft':
      return use('add', call, method, positional.slice(0, 1));
    case 'insert':
      return use('add', call, method, positional.slice(1, 2));
    case 'extend':
    case 'extendleft':
      return use('add', call, method, displayElements(positional[0]));
    case 'setdefault':
    case '__setitem__':
      return use('add', call, method, positional.slice(1, 2), positional.slice(0, 1));
    case 'update': {
      const pairs = positional[0]?.type === 'dictionary' ? positional[0].namedChildren.filter((c) => c.type === 'pair') : [];
      const keywords = args.filter((arg) => arg.type === 'keyword_argument');
      return use('add', call, method,
        [...pairs.map((p) => p.childForFieldName('value')), ...keywords.map((k) => k.childForFieldName('value'))].filter((n): n is SyntaxNode => n !== null),
        pairs.map((p) => p.childForFieldName('key')).filter((n): n is SyntaxNode => n !== null));
    }
    default:
      return use(ADD_METHODS.has(method) ? 'add' : 'read', call, method);
  }
}

function isInDelete(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (parent?.type === 'delete_statement') return true;
  return parent?.type === 'expression_list' && parent.parent?.type === 'delete_statement';
}

/** The loop iterating `expression` (directly, or through `list(…)`, `.items()`, `.copy()`, `sorted(…)`), if any. */
function iteratingLoop(expression: SyntaxNode, resolve: NameResolver): SyntaxNode | undefined {
  let current = expression;
  for (let depth = 0; depth < 4; depth++) {
    const parent = current.parent;
    if (!parent) return undefined;
    if ((parent.type === 'for_statement' || parent.type === 'for_in_clause') && parent.childForFieldName('right')?.id === current.id) return parent;
    if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === current.id && VIEW_METHODS.has(parent.childForFieldName('attribute')?.text ?? '')
      && parent.parent?.type === 'call') {
      current = parent.parent;
    } else if (parent.type === 'argument_list' && parent.parent?.type === 'call') {
      const callee = parent.parent.childForFieldName('function');
      const name = callee ? resolve(callee) : undefined;
      if (name !== 'builtins.list' && name !== 'builtins.tuple' && name !== 'builtins.sorted' && name !== 'builtins.reversed') return undefined;
      current = parent.parent;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** How a loop's body (or a comprehension) uses the element variable: calls it, calls a method on it, or neither. */
function loopElementUse(loop: SyntaxNode): ElementUse {
  const left = loop.childForFieldName('left');
  // `for key, cb in d.items()`: the value is the last name.
  const variable = left?.type === 'identifier' ? left : left?.namedChildren.filter((c) => c.type === 'identifier').pop();
  if (!variable) return 'other';
  const scope = loop.type === 'for_statement' ? loop.childForFieldName('body') : loop.parent;
  if (!scope) return 'other';
  let methodCalled = false;
  for (const call of scope.descendantsOfType('call')) {
    const callee = call.childForFieldName('function');
    if (callee?.type === 'identifier' && callee.text === variable.text) return 'called';
    if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === variable.text) methodCalled = true;
  }
  return methodCalled ? 'method' : 'other';
}

/**
 * `resolve` narrowed to what classifying asks it: whether a callee is one of the builtins above (`len`, `list`,
 * `sorted`...). In a text that never spells `builtins` (no `import builtins`, no `from builtins import len as n`), a
 * callee can resolve to one only as that bare name, so any other callee (`self.notify`, `helper`) is answered
 * undefined without asking `resolve` (the semantic model walks the scopes around it).
 */
export function builtinsOnly(resolve: NameResolver, text: string): NameResolver {
  if (text.includes('builtins')) return resolve;
  return (expression) => (expression.type === 'identifier' && READING_BUILTINS.has(`builtins.${expression.text}`) ? resolve(expression) : undefined);
}

/**
 * What the expression `reference` (a name or attribute that denotes the container) does to it, given its place in
 * the tree; null when it is no use at all (a `global` declaration).
 */
export function classifyReference(reference: SyntaxNode, resolve: NameResolver, subscriptAdds: boolean, sequence = false): ClassifiedUse | AliasUse | null {
  const parent = reference.parent;
  if (!parent) return use('read', reference, 'expression');
  const isField = (field: string): boolean => parent.childForFieldName(field)?.id === reference.id;
  switch (parent.type) {
    case 'global_statement':
    case 'nonlocal_statement':
      return null;
    case 'attribute': {
      if (!isField('object')) return use('read', reference, 'expression');
      const method = parent.childForFieldName('attribute')?.text ?? '';
      const call = parent.parent;
      if (call?.type === 'call' && call.childForFieldName('function')?.id === parent.id) {
        const classified = methodCallUse(method, call);
        if (classified.kind === 'read' && VIEW_METHODS.has(method)) {
          const loop = iteratingLoop(reference, resolve);
          if (loop) return { ...classified, detail: 'iterate', elements: loopElementUse(loop) };
        }
        return classified;
      }
      // `REG.append` handed somewhere uncalled: whoever gets it can change the container.
      return use('escape', parent, `.${method}`);
    }
    case 'subscript': {
      if (!isField('value')) return use('read', reference, 'index');
      const slice = parent.childForFieldName('subscript')?.type === 'slice';
      const outer = parent.parent;
      if (isInDelete(parent)) return use('remove', parent, 'del');
      if (outer?.type === 'assignment' && outer.childForFieldName('left')?.id === parent.id) {
        if (slice) return use('remove', outer, '[:]=');
        // `L[i] = v` on a list replaces an item (or raises): it never grows the list.
        if (sequence) return use('read', outer, 'replace');
        const value = outer.childForFieldName('right');
        const key = parent.childForFieldName('subscript');
        return use('add', outer, '[]=', value ? [value] : [], key ? [key] : []);
      }
      const key = parent.childForFieldName('subscript');
      // `counts[k] += 1` or `groups[k].append(x)` on a defaultdict/Counter creates the key.
      const mutated = (outer?.type === 'augmented_assignment' && outer.childForFieldName('left')?.id === parent.id)
        || (outer?.type === 'attribute' && outer.childForFieldName('object')?.id === parent.id && ADD_METHODS.has(outer.childForFieldName('attribute')?.text ?? '')
          && outer.parent?.type === 'call');
      if (subscriptAdds && mutated && !slice && outer) {
        // `d[k].append(v)` stores `v` under `k`; `d[k] += n` stores a count.
        const inner = outer.type === 'attribute' && outer.parent ? methodCallUse(outer.childForFieldName('attribute')?.text ?? '', outer.parent) : undefined;
        return use('add', outer.type === 'attribute' && outer.parent ? outer.parent : outer, '[]', inner?.values ?? [], key ? [key] : []);
      }
      return use('read', parent, 'index');
    }
    case 'assignment': {
      if (isField('left')) return use('rebind', parent, '=');
      if (isField('right')) {
        const left = parent.childForFieldName('left');
        if (left?.type === 'identifier') return { kind: 'alias', name: left };
      }
      return use('escape', parent, 'assign');
    }
    case 'augmented_assignment': {
      if (!isField('left')) return use('read', parent, 'operand');
      const operator = parent.children.find((child) => !child.isNamed && child.text.endsWith('='))?.text ?? '';
      if (operator === '+=' || operator === '|=') return use('add', parent, operator, displayElements(parent.childForFieldName('right') ?? undefined));
      if (operator === '-=' || operator === '&=' || operator === '^=') return use('remove', parent, operator);
      return use('rebind', parent, operator);
    }
    case 'delete_statement':
      return use('rebind', parent, 'del');
    case 'expression_list':
      if (parent.parent?.type === 'delete_statement') return use('rebind', parent.parent, 'del');
      return use('escape', parent, 'tuple');
    case 'for_statement':
    case 'for_in_clause':
      if (isField('right')) return { ...use('read', parent, 'iterate'), elements: loopElementUse(parent) };
      return use('rebind', parent, 'for');
    case 'argument_list': {
      const call = parent.parent;
      const callee = call?.childForFieldName('function');
      if (!call || !callee) return use('escape', parent, 'call');
      const qualified = resolve(callee);
      if (qualified && READING_BUILTINS.has(qualified)) {
        const loop = COPYING_BUILTINS.has(qualified) ? iteratingLoop(reference, resolve) : undefined;
        if (loop) return { ...use('read', call, 'iterate'), elements: loopElementUse(loop) };
        return use('read', call, qualified.slice('builtins.'.length));
      }
      if (callee.type === 'attribute' && COPYING_METHODS.has(callee.childForFieldName('attribute')?.text ?? '')) return use('read', call, 'copy');
      return use('escape', call, 'call');
    }
    case 'return_statement':
    case 'yield':
      return use('escape', parent, parent.type === 'yield' ? 'yield' : 'return');
    default:
      if (CONDITION_PARENTS.has(parent.type)) return use('read', parent, 'test');
      if (parent.type === 'boolean_operator' && CONDITION_PARENTS.has(parent.parent?.type ?? '')) return use('read', parent, 'test');
      return use('escape', parent, parent.type);
  }
}
