// Minimal name flow inside one function: where names are (re)bound, where they are read, which blocks hold what.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { ScopeIndex } from './scopeIndex';

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
export function bindingSites(scope: SyntaxNode, scopes: ScopeIndex): BindingSite[] {
  const body = scope.type === 'module' ? scope : scope.childForFieldName('body');
  if (!body) return [];
  const sites: BindingSite[] = [];
  for (const node of body.descendantsOfType(BINDING_KINDS)) {
    if (!node.isNamed || scopes.inNestedScope(node, scope)) continue;
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

const isBlank = (code: number): boolean => code === 32 || code === 9 || code === 12;
const isLineBreak = (code: number): boolean => code === 10 || code === 13;

/**
 * Whether the text around an identifier at [start, end) of `text` leaves it possible that the identifier is an
 * attribute's name (`.` before it) or a keyword argument's name (`=`, not `==`, after it): only then does its parent
 * have to be asked, which costs the node's depth in the native binding. Comments and line continuations between
 * tokens, or the edge of `text`, leave it possible.
 */
export function mayNameAttributeOrKeyword(text: string, start: number, end: number): boolean {
  let before = start - 1;
  let crossedLine = false;
  for (; before >= 0; before--) {
    const code = text.charCodeAt(before);
    if (isLineBreak(code)) crossedLine = true;
    else if (!isBlank(code)) break;
  }
  if (before < 0) return true;
  const previous = text[before];
  if (previous === '.' || previous === '\\') return true;
  // Across a line break the previous line may end in a comment (inside brackets): ask when it has a `#`.
  if (crossedLine) {
    const lineStart = Math.max(text.lastIndexOf('\n', before), text.lastIndexOf('\r', before)) + 1;
    if (text.slice(lineStart, before + 1).includes('#')) return true;
  }
  let after = end;
  while (after < text.length && (isBlank(text.charCodeAt(after)) || isLineBreak(text.charCodeAt(after)))) after++;
  if (after >= text.length) return true;
  const next = text[after];
  return next === '#' || next === '\\' || (next === '=' && text[after + 1] !== '=');
}

/** Parents asked one by one before `ReferenceTest` lists every attribute and keyword name of its subtree at once. */
const PARENTS_ASKED = 8;

/**
 * `isVariableReference` for the identifiers of one subtree, without a parent per identifier: the text settles most
 * (see `mayNameAttributeOrKeyword`); for the rest the parent is asked a few times, then the subtree's attribute and
 * keyword names are listed by one C walk (an attribute chain thousands long would cost depth² in parents).
 */
export class ReferenceTest {
  readonly text: string;
  private readonly base: number;
  private asked = 0;
  private nameParts: Set<number> | undefined;

  constructor(private readonly subtree: SyntaxNode) {
    this.text = subtree.text;
    this.base = subtree.startIndex;
  }

  /** Whether `identifier` (in the subtree) spells `name` (text comparison, no crossing into the parser). */
  spells(identifier: SyntaxNode, name: string): boolean {
    const start = identifier.startIndex - this.base;
    return identifier.endIndex - this.base - start === name.length && this.text.startsWith(name, start);
  }

  isReference(identifier: SyntaxNode): boolean {
    if (!mayNameAttributeOrKeyword(this.text, identifier.startIndex - this.base, identifier.endIndex - this.base)) return true;
    if (this.nameParts === undefined && this.asked++ < PARENTS_ASKED) return isVariableReference(identifier);
    this.nameParts ??= new Set(this.subtree.descendantsOfType(['attribute', 'keyword_argument'])
      .map((node) => node.childForFieldName(node.type === 'attribute' ? 'attribute' : 'name')?.id)
      .filter((id): id is number => id !== undefined));
    return !this.nameParts.has(identifier.id);
  }
}

/** The variable references to `name` in `node`'s subtree (attribute names and keywords excluded). */
export function referencesTo(node: SyntaxNode, name: string): SyntaxNode[] {
  if (node.type === 'identifier') return node.text === name ? [node] : [];
  const test = new ReferenceTest(node);
  if (!test.text.includes(name)) return [];
  return node.descendantsOfType('identifier').filter((identifier) => test.spells(identifier, name) && test.isReference(identifier));
}

/** Names `scope` declares `global` or `nonlocal`: assigning them stores outside the function's frame. */
export function globalAndNonlocalNames(scope: SyntaxNode, scopes: ScopeIndex): Set<string> {
  const names = new Set<string>();
  const body = scope.childForFieldName('body');
  if (!body || !/\b(global|nonlocal)\b/.test(body.text)) return names;
  for (const statement of body.descendantsOfType(['global_statement', 'nonlocal_statement'])) {
    if (scopes.inNestedScope(statement, scope)) continue;
    for (const identifier of statement.namedChildren) if (identifier.type === 'identifier') names.add(identifier.text);
  }
  return names;
}
