// Minimal name flow inside one function: where names are (re)bound, where they are read, which blocks hold what.
import type { SyntaxNode } from '../syntax/syntaxTypes';

/** Nodes whose insides are another scope: names bound there are not the enclosing function's. */
const SCOPE_KINDS: ReadonlySet<string> = new Set([
  'function_definition', 'class_definition', 'lambda', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension',
  'generator_expression',
]);

/** `((x))` → `x`. */
export function unparenthesized(node: SyntaxNode | null): SyntaxNode | null {
  let current = node;
  while (current?.type === 'parenthesized_expression' && current.namedChildCount === 1) current = current.namedChild(0);
  return current;
}

/** The targets of a (chained) assignment and the value they all get: `a = b.c = v` → [a, b.c], v. */
export function assignmentChain(assignment: SyntaxNode): { targets: SyntaxNode[]; value: SyntaxNode | null } {
  const targets: SyntaxNode[] = [];
  let value: SyntaxNode | null = assignment;
  while (value?.type === 'assignment') {
    const left = value.childForFieldName('left');
    if (left) targets.push(left);
    value = value.childForFieldName('right');
  }
  return { targets, value };
}

/** Whether `node` lies inside a nested scope below `scope` (a function, lambda or the module). */
export function inNestedScope(node: SyntaxNode, scope: SyntaxNode): boolean {
  for (let parent = node.parent; parent && parent.id !== scope.id; parent = parent.parent) {
    if (SCOPE_KINDS.has(parent.type)) return true;
  }
  return false;
}

/** An identifier where a name is bound (or unbound, by `del`). */
export interface BindingSite {
  readonly name: string;
  readonly node: SyntaxNode;
}

function addTargets(target: SyntaxNode | null, into: SyntaxNode[]): void {
  if (!target) return;
  switch (target.type) {
    case 'identifier':
      into.push(target);
      return;
    case 'pattern_list': case 'tuple_pattern': case 'list_pattern': case 'tuple': case 'list': case 'expression_list':
    case 'list_splat_pattern': case 'parenthesized_expression': case 'as_pattern_target':
      for (const child of target.namedChildren) addTargets(child, into);
      return;
    default:
      return;
  }
}

/** The identifiers a binding construct binds: `a, b = ...`, `for x in`, `with ... as f`, `del a`, `(n := ...)`. */
export function boundIdentifiers(node: SyntaxNode): SyntaxNode[] {
  const names: SyntaxNode[] = [];
  switch (node.type) {
    case 'assignment':
    case 'augmented_assignment':
    case 'for_statement':
      addTargets(node.childForFieldName('left'), names);
      break;
    case 'named_expression':
      addTargets(node.childForFieldName('name'), names);
      break;
    case 'as_pattern_target':
    case 'delete_statement':
      for (const child of node.namedChildren) addTargets(child, names);
      break;
    case 'function_definition':
    case 'class_definition': {
      const name = node.childForFieldName('name');
      if (name) names.push(name);
      break;
    }
    default:
      break;
  }
  return names;
}

const BINDING_KINDS = ['assignment', 'augmented_assignment', 'for_statement', 'named_expression', 'as_pattern_target', 'delete_statement', 'function_definition', 'class_definition'];

/** Every place `scope`'s body binds a name (nested scopes' own bindings left out, their `def` names kept). */
export function bindingSites(scope: SyntaxNode): BindingSite[] {
  const body = scope.type === 'module' ? scope : scope.childForFieldName('body');
  if (!body) return [];
  const sites: BindingSite[] = [];
  for (const node of body.descendantsOfType(BINDING_KINDS)) {
    if (!node.isNamed || inNestedScope(node, scope)) continue;
    for (const name of boundIdentifiers(node)) sites.push({ name: name.text, node: name });
  }
  return sites;
}

/** Whether one of `names` is bound at a site strictly between two offsets. */
export function reboundBetween(sites: readonly BindingSite[], names: ReadonlySet<string>, start: number, end: number): boolean {
  return sites.some((site) => names.has(site.name) && site.node.startIndex > start && site.node.startIndex < end);
}

/** Whether an identifier node is a read or write of a variable (not an attribute name, keyword or parameter name). */
export function isVariableReference(identifier: SyntaxNode): boolean {
  const parent = identifier.parent;
  if (!parent) return true;
  if (parent.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) return false;
  if (parent.type === 'keyword_argument' && parent.childForFieldName('name')?.id === identifier.id) return false;
  return true;
}

/** The variable references to `name` in `node`'s subtree (attribute names and keywords excluded). */
export function referencesTo(node: SyntaxNode, name: string): SyntaxNode[] {
  if (!node.text.includes(name)) return [];
  if (node.type === 'identifier') return node.text === name ? [node] : [];
  return node.descendantsOfType('identifier').filter((identifier) => identifier.text === name && isVariableReference(identifier));
}

/** Names `scope` declares `global` or `nonlocal`: assigning them stores outside the function's frame. */
export function globalAndNonlocalNames(scope: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const body = scope.childForFieldName('body');
  if (!body || !/\b(global|nonlocal)\b/.test(body.text)) return names;
  for (const statement of body.descendantsOfType(['global_statement', 'nonlocal_statement'])) {
    if (inNestedScope(statement, scope)) continue;
    for (const identifier of statement.namedChildren) if (identifier.type === 'identifier') names.add(identifier.text);
  }
  return names;
}
