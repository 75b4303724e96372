// Cleanup facts: whether a name or attribute is deleted, set to None or emptied before a function is done with it.
import { ancestorsBelow } from '../syntax/ancestry';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { assignmentChain, unparenthesized } from './nameFlow';
import type { ScopeIndex } from './scopeIndex';

/** Nodes whose insides run in another scope (or later): statements there do not clean up the enclosing function. */
const NESTED_SCOPES: ReadonlySet<string> = new Set(['function_definition', 'class_definition', 'lambda']);

/** The spelling of a target the facts compare by: its text without whitespace (`self . x` → `self.x`). */
export function targetKey(target: SyntaxNode): string {
  return target.text.replace(/\s+/g, '');
}

/** Targets a `del` statement removes: `del a, b.c, d[k]` → `a`, `b.c`, `d[k]`. */
function deletedTargets(statement: SyntaxNode): SyntaxNode[] {
  const targets: SyntaxNode[] = [];
  const add = (node: SyntaxNode | null): void => {
    const target = unparenthesized(node);
    if (!target) return;
    if (target.type === 'expression_list' || target.type === 'tuple' || target.type === 'list') target.namedChildren.forEach(add);
    else if (target.type === 'identifier' || target.type === 'attribute' || target.type === 'subscript') targets.push(target);
  };
  statement.namedChildren.forEach(add);
  return targets;
}

/** Targets `a = b.c = None` rebinds to None. */
function targetsSetToNone(assignment: SyntaxNode): SyntaxNode[] {
  const { targets, value } = assignmentChain(assignment);
  if (value?.type !== 'none') return [];
  return targets.filter((left) => left.type === 'identifier' || left.type === 'attribute' || left.type === 'subscript');
}

/**
 * What one statement clears, as target keys: `del a, b.c` → a, b.c; `a = self.x = None` → a, self.x; `a.clear()` →
 * a (a container emptied, or a frame's locals dropped); `traceback.clear_frames(tb)` → tb.
 */
export function clearedByStatement(statement: SyntaxNode): string[] {
  if (statement.type === 'delete_statement') return deletedTargets(statement).map(targetKey);
  if (statement.type !== 'expression_statement' || statement.namedChildCount !== 1) return [];
  const expression = statement.namedChild(0) as SyntaxNode;
  if (expression.type === 'assignment') return targetsSetToNone(expression).map(targetKey);
  if (expression.type !== 'call') return [];
  const callee = expression.childForFieldName('function');
  const argumentsNode = expression.childForFieldName('arguments');
  if (callee?.type !== 'attribute' || !argumentsNode) return [];
  const method = callee.childForFieldName('attribute')?.text;
  const object = callee.childForFieldName('object');
  if (method === 'clear' && object && argumentsNode.namedChildCount === 0) return [targetKey(object)];
  if (method === 'clear_frames' && object?.text === 'traceback' && argumentsNode.namedChildCount === 1) {
    return [targetKey(argumentsNode.namedChild(0) as SyntaxNode)];
  }
  return [];
}

/**
 * What every clearing statement spells: `del`, `= None`, `.clear(`, `clear_frames` (line continuations allowed where
 * Python allows them). A text without any holds none, and its statements need not be walked.
 */
const MAY_CLEAR = /\bdel\b|=[\s\\]*None\b|\.[\s\\]*clear[\s\\]*\(|\bclear_frames\b/;

/** The clearing statements anywhere in `block` (nested blocks included, nested scopes not), in order. */
function clearingStatementsIn(block: SyntaxNode, scopes: ScopeIndex): SyntaxNode[] {
  if (!MAY_CLEAR.test(block.text)) return [];
  return block.descendantsOfType(['delete_statement', 'expression_statement'])
    .filter((statement) => statement.isNamed && !scopes.inNestedScope(statement, block) && clearedByStatement(statement).length > 0);
}

/** Whether a statement clears `key` or what `key` is part of (`del self.x` clears `self.x.y` too). */
function statementClears(statement: SyntaxNode, key: string): boolean {
  return clearedByStatement(statement).some((cleared) => key === cleared || key.startsWith(`${cleared}.`) || key.startsWith(`${cleared}[`));
}

/** The statement in a try statement's `finally` clause that clears `key`, if any. */
function finallyClearing(tryStatement: SyntaxNode, key: string, scopes: ScopeIndex): SyntaxNode | undefined {
  const finallyClause = tryStatement.namedChildren.find((clause) => clause.type === 'finally_clause');
  return finallyClause ? clearingStatementsIn(finallyClause, scopes).find((statement) => statementClears(statement, key)) : undefined;
}

/** Statements not searched inside for a later cleanup: simple ones (already checked) and nested scopes. */
const LEAF_OR_SCOPE_STATEMENTS: ReadonlySet<string> = new Set(['delete_statement', 'expression_statement', 'function_definition', 'class_definition', 'decorated_definition']);

/** How a target is cleaned up before its function is done with it. */
export type Cleanup =
  | { readonly kind: 'finally'; readonly statement: SyntaxNode }
  | { readonly kind: 'later-statement'; readonly statement: SyntaxNode };

/**
 * Whether `key` (a name or attribute target) is cleared after `node` runs, on the way out of `scope` (a function,
 * or the module): by a `finally` clause of a `try` around `node` (`del frame`, `frame = None`, `errors.clear()`), or
 * by a statement after `node`'s statement in its block or an enclosing block of the same scope (`del frame` at the
 * end, or anywhere inside a later compound statement: a `try` whose `finally` clears it, an `if x is not None: del x`). Early `return`s between are not looked at: a later clearing statement counts (precision over recall).
 */
export function cleanupAfter(node: SyntaxNode, key: string, scope: SyntaxNode, scopes: ScopeIndex): Cleanup | undefined {
  // The ancestors come from one walk down from the scope, and siblings from their parent's child list: a native
  // `parent` or `nextNamedSibling` costs the node's depth.
  const ancestors = ancestorsBelow(scope, node);
  let child = node;
  for (let level = ancestors.length - 1; level >= 0; child = ancestors[level], level--) {
    const parent = ancestors[level];
    if (parent.type === 'try_statement' && child.type !== 'finally_clause') {
      const found = finallyClearing(parent, key, scopes);
      if (found) return { kind: 'finally', statement: found };
    }
    if (parent.type === 'block' || parent.type === 'module') {
      const siblings = parent.namedChildren;
      const at = siblings.findIndex((sibling) => sibling.id === child.id);
      for (const next of at < 0 ? [] : siblings.slice(at + 1)) {
        if (statementClears(next, key)) return { kind: 'later-statement', statement: next };
        // Inside a later compound statement (`if err is not None: try: raise err finally: err = None`): it may be
        // conditional, but the condition usually tests the very value (precision over recall).
        const inside = LEAF_OR_SCOPE_STATEMENTS.has(next.type)
          ? undefined
          : clearingStatementsIn(next, scopes).find((statement) => statementClears(statement, key));
        if (inside) return { kind: 'later-statement', statement: inside };
      }
    }
    if (parent.id === scope.id || NESTED_SCOPES.has(parent.type)) break;
  }
  return undefined;
}

/** Methods whose job is to release what an object holds: attributes they clear count as cleaned up. */
export const CLEANUP_METHOD_NAMES: ReadonlySet<string> = new Set([
  'close', 'aclose', '__exit__', '__aexit__', 'dispose', 'cleanup', 'clear', 'reset', 'release', 'shutdown', 'stop', 'teardown',
]);

/** The first parameter's name of a `def` (`self` by convention), if it has one. */
export function firstParameterName(definition: SyntaxNode): string | undefined {
  const first = definition.childForFieldName('parameters')?.namedChildren[0];
  const name = first?.type === 'identifier' ? first : first?.childForFieldName('name') ?? first?.namedChild(0);
  return name?.type === 'identifier' ? name.text : undefined;
}

/** The `def`s directly in a class body (decorated ones included), in order. */
export function classMethods(classNode: SyntaxNode): SyntaxNode[] {
  const body = classNode.childForFieldName('body');
  const methods: SyntaxNode[] = [];
  for (const statement of body?.namedChildren ?? []) {
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type === 'function_definition') methods.push(definition);
  }
  return methods;
}

/**
 * Attribute names of instances (`x` of `self.x`) a class's cleanup methods (`close`, `__exit__`, `dispose`, ...)
 * delete, set to None or empty, anywhere in their bodies. A name for the class model to take over later.
 */
export function attributesClearedOnClose(classNode: SyntaxNode, scopes: ScopeIndex): Set<string> {
  const cleared = new Set<string>();
  for (const method of classMethods(classNode)) {
    const name = method.childForFieldName('name')?.text;
    const self = firstParameterName(method);
    const body = method.childForFieldName('body');
    if (!name || !CLEANUP_METHOD_NAMES.has(name) || !self || !body) continue;
    for (const statement of clearingStatementsIn(body, scopes)) {
      for (const key of clearedByStatement(statement)) {
        const match = new RegExp(`^${self}\\.([A-Za-z_][A-Za-z0-9_]*)$`).exec(key);
        if (match) cleared.add(match[1]);
      }
    }
  }
  return cleared;
}
