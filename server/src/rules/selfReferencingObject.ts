// GCL104 self-referencing-object: straight-line code in one function that makes objects refer to themselves or each other.
import type { RelatedLocation } from '../analysis/findingTypes';
import { ruleEnabled } from '../analysis/settings';
import { CYCLE_FACTS } from '../semantic/cycleFacts';
import { targetKey } from '../semantic/cleanupFacts';
import { enclosingClassOfMethod, isStaticOrClassMethod } from '../semantic/classModel';
import { assignmentChain, bindingSites, reboundBetween, unparenthesized, type BindingSite } from '../semantic/nameFlow';
import { scopesOf } from '../semantic/scopeIndex';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { Rule, RuleContext } from './ruleTypes';
import { documentRoughEdges, roughCyclePossible, roughEdges, roughEdgesIn, type RoughEdge } from './selfReferencingObjectRoughScan';

/** Container methods that store their (last) argument in the receiver. */
const STORING_METHODS: ReadonlySet<string> = new Set(['append', 'add', 'appendleft', 'insert', 'setdefault', 'extend']);


/** One strong reference the code creates: the object named `from` now holds the object named `to`. */
interface Edge {
  readonly from: string;
  readonly to: string;
  /** How the message names the holder: `a.next`, `d[k]`, `lst.append(…)`. */
  readonly holder: string;
  /** The key a later statement must clear to break the edge: `a.next`, `d[k]`, or `lst` for a container call. */
  readonly clearKey: string;
  readonly viaContainerCall: boolean;
  /** The assignment or call that creates it (what findings point at). */
  readonly node: SyntaxNode;
  /** The statement it stands in. */
  readonly statement: SyntaxNode;
}

/** Names a value holds directly: `b`, or names inside list/tuple/set/dict displays (`[b]`, `{'k': b}`). */
function heldNames(value: SyntaxNode | null, into: Set<string>): void {
  // An explicit stack: displays may nest thousands deep.
  const pending: (SyntaxNode | null)[] = [value];
  while (pending.length > 0) {
    const node = unparenthesized(pending.pop() ?? null);
    if (!node) continue;
    switch (node.type) {
      case 'identifier':
        into.add(node.text);
        break;
      case 'list': case 'tuple': case 'set': case 'expression_list':
        pending.push(...node.namedChildren);
        break;
      case 'dictionary':
        for (const pair of node.namedChildren) if (pair.type === 'pair') pending.push(pair.childForFieldName('value'));
        break;
      default:
        break;
    }
  }
}

/** What storing a display's elements (slice assignment, `extend`) stores: the names written in the display. */
function heldElements(value: SyntaxNode | null, into: Set<string>): void {
  const display = unparenthesized(value);
  if (display?.type === 'list' || display?.type === 'tuple' || display?.type === 'set') for (const element of display.namedChildren) heldNames(element, into);
}

function isSliceTarget(target: SyntaxNode): boolean {
  const node = unparenthesized(target);
  return node?.type === 'subscript' && node.childrenForFieldName('subscript').some((index) => index?.type === 'slice');
}

/** `a.x` or `a[k]` with a plain name `a`: the name and how the edge is spelled. */
function storeTarget(target: SyntaxNode): { owner: string; holder: string } | undefined {
  const node = unparenthesized(target);
  if (node?.type === 'attribute') {
    const object = unparenthesized(node.childForFieldName('object'));
    const attribute = node.childForFieldName('attribute');
    if (object?.type === 'identifier' && attribute) return { owner: object.text, holder: `${object.text}.${attribute.text}` };
  } else if (node?.type === 'subscript') {
    const object = unparenthesized(node.childForFieldName('value'));
    if (object?.type === 'identifier') return { owner: object.text, holder: targetKey(node) };
  }
  return undefined;
}

function edgesOfAssignment(assignment: SyntaxNode, statement: SyntaxNode, edges: Edge[]): void {
  // `a.x = b.y = v`: every target gets v. `a.x, b.y = p, q`: pairwise.
  const { targets: lefts, value } = assignmentChain(assignment);
  if (!value) return;
  const add = (target: SyntaxNode, held: SyntaxNode | null): void => {
    const store = storeTarget(target);
    if (!store) return;
    const names = new Set<string>();
    // `a[1:] = b` copies b's elements; only a display's elements are stored themselves.
    if (isSliceTarget(target)) heldElements(held, names);
    else heldNames(held, names);
    for (const to of names) {
      edges.push({ from: store.owner, to, holder: store.holder, clearKey: targetKey(target), viaContainerCall: false, node: assignment, statement });
    }
  };
  for (const left of lefts) {
    const targets = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.namedChildren : [left];
    const values = value.type === 'expression_list' || value.type === 'tuple' ? value.namedChildren : [];
    if (targets.length > 1) {
      if (values.length === targets.length) targets.forEach((target, i) => add(target, values[i]));
    } else add(left, value);
  }
}

function edgesOfCall(call: SyntaxNode, statement: SyntaxNode, edges: Edge[]): void {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute') return;
  const receiver = unparenthesized(callee.childForFieldName('object'));
  const method = callee.childForFieldName('attribute')?.text ?? '';
  const argumentsNode = call.childForFieldName('arguments');
  if (receiver?.type !== 'identifier' || !STORING_METHODS.has(method) || !argumentsNode) return;
  const positional = argumentsNode.namedChildren.filter((argument) => argument.type !== 'keyword_argument' && argument.type !== 'comment');
  const stored = positional[positional.length - 1];
  if (!stored || (method === 'insert' || method === 'setdefault') !== (positional.length === 2)) return;
  const names = new Set<string>();
  // `extend` stores the elements of what it gets: only a display spells them.
  if (method === 'extend') heldElements(stored, names);
  else heldNames(stored, names);
  for (const to of names) {
    edges.push({ from: receiver.text, to, holder: `${receiver.text}.${method}(…)`, clearKey: receiver.text, viaContainerCall: true, node: call, statement });
  }
}

/** The edges one statement creates. */
function edgesOf(statement: SyntaxNode): Edge[] {
  const edges: Edge[] = [];
  const expression = statement.namedChild(0);
  if (expression?.type === 'assignment') edgesOfAssignment(expression, statement, edges);
  else if (expression?.type === 'call') edgesOfCall(expression, statement, edges);
  return edges;
}

/** Methods that remove what a container holds. */
const REMOVING_METHODS: ReadonlySet<string> = new Set(['clear', 'remove', 'pop', 'popleft', 'popitem', 'discard']);

/**
 * Whether a statement after the edge breaks it: the same attribute or item reassigned or deleted, or (for a
 * container call, or an item) the container emptied or an element removed.
 */
function breaksEdge(statement: SyntaxNode, edge: Edge): boolean {
  if (statement.type === 'delete_statement') {
    return statement.namedChildren.flatMap((target) => (target.type === 'expression_list' ? target.namedChildren : [target]))
      .some((target) => {
        const key = targetKey(target);
        return key === edge.clearKey || (target.type === 'subscript' && targetKey(target.childForFieldName('value') ?? target) === edge.from);
      });
  }
  const expression = statement.namedChild(0);
  if (expression?.type === 'assignment') {
    for (let current: SyntaxNode | null = expression; current?.type === 'assignment'; current = current.childForFieldName('right')) {
      const left = current.childForFieldName('left');
      const targets = left?.type === 'pattern_list' || left?.type === 'tuple_pattern' ? left.namedChildren : left ? [left] : [];
      if (targets.some((target) => targetKey(target) === edge.clearKey)) return true;
    }
    return false;
  }
  if (expression?.type === 'call') {
    const callee = expression.childForFieldName('function');
    if (callee?.type !== 'attribute') return false;
    const receiver = callee.childForFieldName('object');
    const method = callee.childForFieldName('attribute')?.text ?? '';
    const subscripted = edge.clearKey !== edge.from && edge.clearKey.startsWith(`${edge.from}[`);
    return receiver !== null && targetKey(receiver) === edge.from && (edge.viaContainerCall || subscripted) && REMOVING_METHODS.has(method);
  }
  return false;
}

/** Statements of the function (nested blocks included) that may break an edge: assignments, deletions, calls. */
function laterStatements(body: SyntaxNode, after: number): SyntaxNode[] {
  return body.descendantsOfType(['expression_statement', 'delete_statement']).filter((statement) => statement.isNamed && statement.startIndex >= after);
}

/** The cycle closed by `closing`: earlier edges of the block leading from `closing.to` back to `closing.from`. */
function cycleThrough(closing: Edge, earlier: readonly Edge[], sites: readonly BindingSite[]): Edge[] | undefined {
  if (closing.from === closing.to) return [closing];
  // Breadth-first over earlier edges; each path remembers its edges so the message can name them.
  const queue: { name: string; path: Edge[] }[] = [{ name: closing.to, path: [] }];
  const seen = new Set([closing.to]);
  while (queue.length > 0) {
    const { name, path } = queue.shift() as { name: string; path: Edge[] };
    for (const edge of earlier) {
      if (edge.from !== name || seen.has(edge.to)) continue;
      const names = new Set([edge.from, edge.to, closing.from, closing.to]);
      // An endpoint rebound between this edge and the closing one means a different object closes the loop.
      if (reboundBetween(sites, names, edge.node.startIndex, closing.node.startIndex)) continue;
      const next = [...path, edge];
      if (edge.to === closing.from) return [...next, closing];
      seen.add(edge.to);
      queue.push({ name: edge.to, path: next });
    }
  }
  return undefined;
}

/** Values that make a new object the function knows: a call (not of a weak reference maker), a display, a lambda. */
const NEW_OBJECT_KINDS: ReadonlySet<string> = new Set([
  'call', 'list', 'dictionary', 'set', 'tuple', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension', 'lambda',
]);

/** The value an identifier target of an assignment receives (`a` in `a, b = A(), B()` gets `A()`), if spelled out. */
function assignedValue(target: SyntaxNode): SyntaxNode | null | undefined {
  const parent = target.parent;
  if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === target.id) {
    return assignmentChain(parent).value;
  }
  if ((parent?.type === 'pattern_list' || parent?.type === 'tuple_pattern') && parent.parent?.type === 'assignment') {
    const value = parent.parent.childForFieldName('right');
    const index = parent.namedChildren.findIndex((child) => child.id === target.id);
    if (value?.type === 'expression_list' || value?.type === 'tuple') return value.namedChildren.length === parent.namedChildCount ? value.namedChildren[index] : undefined;
  }
  return undefined;
}

type NameKind = 'known' | 'unknown' | 'loaded' | 'weak' | 'class';

/**
 * What the function knows about the object a name holds: `known` when it is a parameter or every binding makes a
 * new object (`Node()`, `[]`); `weak` when a binding is a weak reference or proxy; `class` when a `class` statement
 * binds it (classes are in cycles anyway); `loaded` when a binding reads an attribute or item (it may be a proxy,
 * or part of an existing ring being relinked); else `unknown` (a loop variable, a global).
 */
function nameKind(name: string, definition: SyntaxNode, sites: readonly BindingSite[], context: RuleContext): NameKind {
  let kind: NameKind = parameterNames(definition).has(name) ? 'known' : 'unknown';
  let bound = kind === 'known';
  for (const site of sites) {
    if (site.name !== name) continue;
    if (site.node.parent?.type === 'class_definition') return 'class';
    const value = unparenthesized(assignedValue(site.node) ?? null);
    if (value?.type === 'attribute' || value?.type === 'subscript') return 'loaded';
    if (!value || !NEW_OBJECT_KINDS.has(value.type)) return 'unknown';
    const callee = value.type === 'call' ? value.childForFieldName('function') : null;
    if (callee && /^_?weakref\.(ref|proxy)$/.test(context.semantic.qualifiedName(callee) ?? '')) return 'weak';
    bound = true;
  }
  if (bound) kind = 'known';
  return kind;
}

function parameterNames(definition: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const parameter of definition.childForFieldName('parameters')?.namedChildren ?? []) {
    const name = parameter.type === 'identifier' ? parameter : parameter.childForFieldName('name') ?? parameter.namedChild(0);
    if (name?.type === 'identifier') names.add(name.text);
  }
  return names;
}

function describeEdge(edge: Edge): string {
  return `\`${edge.holder}\` → \`${edge.to}\``;
}

function messageFor(cycle: readonly Edge[], selfName: string | undefined): string {
  const [first] = cycle;
  if (cycle.length === 1) {
    if (first.from === selfName) return `${describeEdge(first)}: every instance refers to itself, a reference cycle; freed only by the cyclic GC`;
    return first.viaContainerCall
      ? `\`${first.from}\` is stored in itself (\`${first.holder}\`): a reference cycle; freed only by the cyclic GC`
      : `${describeEdge(first)}: the object refers to itself, a reference cycle; freed only by the cyclic GC`;
  }
  const names = [...new Set(cycle.map((edge) => `\`${edge.from}\``))].join(', ');
  return `${cycle.map(describeEdge).join(', ')}: ${names} form a reference cycle; freed only by the cyclic GC`;
}

/** Whether `inner` lies within `outer`'s range. */
function within(inner: SyntaxNode, outer: SyntaxNode): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/**
 * Whether GCL101 parent-back-reference (enabled) reports this very cycle through a method's `self`: one of its
 * back references whose two halves (the store and the parent's edge) are statements of the cycle. GCL101 owns
 * those (it knows the class and offers the weak back edge), so one cycle gets one finding.
 */
function reportedByParentBackReference(cycle: readonly Edge[], context: RuleContext): boolean {
  if (!ruleEnabled('GCL101', context.settings)) return false;
  const statements = cycle.map((member) => member.statement);
  return context.semantic.fact(CYCLE_FACTS).cycles.some((record) => record.kind === 'parent-back-reference'
    && statements.some((statement) => within(record.edge.statement, statement))
    && statements.some((statement) => within(record.forward, statement)));
}

function checkFunction(definition: SyntaxNode, context: RuleContext): void {
  // The text first: most functions cannot build a cycle, and reading their text costs far less than their nodes.
  // A match may start at the `:` or `;` just before a statement, so one character before the function counts too.
  if (!roughCyclePossible(roughEdgesIn(documentRoughEdges(context.text), definition.startIndex - 1, definition.endIndex))) return;
  const body = definition.childForFieldName('body');
  if (!body) return;
  const rough: RoughEdge[] = [];
  const candidates = body.descendantsOfType('expression_statement')
    .filter((statement) => roughEdges(context.text.slice(statement.startIndex, statement.endIndex), rough));
  if (candidates.length === 0 || !roughCyclePossible(rough)) return;
  const scopes = scopesOf(context.semantic);
  const inScope = candidates.filter((statement) => statement.isNamed && statement.parent?.type === 'block' && !scopes.inNestedScope(statement, definition));
  if (inScope.length === 0) return;
  // A class method's first parameter is the class: classes are cyclic anyway (their __dict__, __mro__, methods).
  const classLevel = isStaticOrClassMethod(definition, context.semantic);
  const firstParameter = definition.childForFieldName('parameters')?.namedChildren[0];
  const isMethod = enclosingClassOfMethod(definition) !== null;
  const selfName = isMethod && firstParameter?.type === 'identifier' && !classLevel ? firstParameter.text : undefined;
  const skipped = new Set(['cls', 'mcs', 'mcls', 'metacls']);
  if (classLevel && firstParameter?.type === 'identifier') skipped.add(firstParameter.text);
  let sites: BindingSite[] | undefined;
  const reported = new Set<number>();
  const edgesByBlock = new Map<number, Edge[]>();
  for (const statement of inScope) {
    const block = statement.parent as SyntaxNode;
    const earlier = edgesByBlock.get(block.id) ?? [];
    edgesByBlock.set(block.id, earlier);
    for (const edge of edgesOf(statement)) {
      if (skipped.has(edge.from) || skipped.has(edge.to)) continue;
      const known = earlier.slice();
      earlier.push(edge);
      if (edge.from !== edge.to && !known.some((other) => other.from === edge.to)) continue;
      sites ??= bindingSites(definition, scopes);
      const cycle = cycleThrough(edge, known, sites);
      if (!cycle || reported.has(edge.node.id)) continue;
      // A self-loop is one whatever the object is (unless weak, a class or loaded); a longer ring needs objects the
      // function made or received, not ones it loaded from a structure that may already link them.
      const kinds = [...new Set(cycle.map((member) => member.from))].map((name) => nameKind(name, definition, sites as BindingSite[], context));
      if (kinds.some((kind) => kind === 'weak' || kind === 'class' || kind === 'loaded' || (cycle.length > 1 && kind === 'unknown'))) continue;
      const later = laterStatements(body, edge.statement.endIndex);
      if (cycle.some((member) => later.some((statement) => breaksEdge(statement, member)))) continue;
      if (selfName !== undefined && cycle.length > 1 && cycle.some((member) => member.from === selfName) && reportedByParentBackReference(cycle, context)) continue;
      const related: RelatedLocation[] = cycle.filter((member) => member.node.id !== edge.node.id).map((member) => ({
        range: { start: member.node.startIndex, end: member.node.endIndex },
        message: `${describeEdge(member)} is stored here`,
      }));
      reported.add(edge.node.id);
      context.report({ range: { start: edge.node.startIndex, end: edge.node.endIndex }, message: messageFor(cycle, selfName), related });
    }
  }
}

export const selfReferencingObject: Rule = {
  code: 'GCL104',
  name: 'self-referencing-object',
  summary: 'Straight-line code makes an object refer to itself, or two objects refer to each other.',
  lifetime: 'cycle',
  defaultSeverity: 'information',
  fix: 'none',
  nodeKinds: ['function_definition'],
  // Every function's rough edges are a subset of the document's, and a cycle among a subset is one among the whole:
  // a document whose rough edges hold no cycle can hold no finding (most documents; checked once per text).
  textTrigger: (text) => roughCyclePossible(documentRoughEdges(text)),
  // A cycle through a method's `self` that GCL101 reports is left to it, and GCL101 reads the whole class.
  locality: 'module',
  check: checkFunction,
  doc: {
    whatItDoes: [
      'Flags direct reference cycles that one function builds in straight-line code: an object stored in itself',
      '(`x.a = x`, `d[k] = d`, `lst.append(lst)`, `x.items = [x]`, `self.me = self` in a method) and objects that',
      'store each other (`a.next = b` then `b.next = a`, `a.peer, b.peer = b, a`, `a.append(b)` then `b.append(a)`,',
      'longer rings too). The edges of one cycle must stand in the same block, and no name of the cycle may be rebound',
      'between them (`a.next = b; a = Node(); b.next = a` links a different object). Lists, tuples, sets and dicts',
      'written in the stored value count (`a.kids = [b]`).',
    ].join('\n'),
    whyIsThisBad: [
      'CPython frees most objects the moment their reference count drops to zero. Objects in a cycle keep each',
      "other's count above zero, so they outlive the last outside reference and wait for the cyclic garbage",
      'collector: their memory is held longer, collections take longer, and any `__del__` or `weakref.finalize`',
      'runs at an unpredictable moment instead of when the code stops using the objects.',
    ].join('\n'),
    example: [
      '```python',
      'def make_pair():',
      '    a, b = Node(), Node()',
      '    a.next = b',
      '    b.next = a  # GCL104: `b.next` → `a`, `a.next` → `b`',
      '    return a',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      'import weakref',
      '',
      'def make_pair():',
      '    a, b = Node(), Node()',
      '    a.next = b',
      '    b.next = weakref.ref(a)  # or break the link when done: b.next = None',
      '    return a',
      '```',
    ].join('\n'),
    fixSafety: 'No fix is offered: whether the back edge can be weak, or where the cycle should be broken, depends on how the objects are used.',
    knownProblems: [
      'Only code inside functions is checked: module-level objects are reachable from the module for as long as it',
      'lives, so a cycle among them is not garbage until the names are deleted. A cycle is not reported when a later',
      'statement of the function (anywhere after it, even in a branch or a nested function) breaks one of its edges:',
      'the same attribute or item reassigned or deleted, or the container emptied (`clear`, `pop`, `remove`): a cycle',
      'broken before the last reference drops is freed by reference counting. Edges built through helper calls,',
      'properties or other names for the same object (`me = self; me.x = self`) are not followed; the class-level',
      'patterns (a parent and its children across methods) are GCL101. A cycle through a method\'s `self` that GCL101',
      'parent-back-reference reports too (`self.left = left; left.right = self`) is left to it when it is enabled: one',
      'cycle, one finding, from the rule that knows the class and offers the weak back edge. A class method storing its',
      'class (`cls.x = cls`) is not flagged: classes are in cycles anyway.',
    ].join('\n'),
  },
};
