// GCL304 stored-traceback: an exception, its traceback or sys.exc_info() kept past the `except` that caught it.
import type { Fix } from '../analysis/findingTypes';
import { cleanupAfter, targetKey } from '../semantic/cleanupFacts';
import { mayResolveThroughImport } from '../semantic/importedNames';
import { assignmentChain, globalAndNonlocalNames, unparenthesized } from '../semantic/nameFlow';
import { scopesOf } from '../semantic/scopeIndex';
import { NestedRanges } from '../syntax/nestedRanges';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { Rule, RuleContext } from './ruleTypes';
import { calleeNames } from './textGate';
import { tryFinallyDelFix } from './tryFinallyDelFix';
import { logicalLineEnd } from '../syntax/lineBreaks';

/** Callee names that return the exception being handled (`sys.exc_info`, `sys.exception`), aliases included. */
const excInfoNames = calleeNames(['exc_info', 'exception']);

/** A line that stores `name`: after an `=`, or inside a container call (one compiled pattern per name). */
const storePatterns = new Map<string, RegExp>();
function storeOf(name: string): RegExp {
  let pattern = storePatterns.get(name);
  if (!pattern) {
    pattern = new RegExp(`(?:[^=!<>]=(?!=)|\\b(?:append|add|insert|appendleft|setdefault|extend|update)\\s*\\()[^\\n]*\\b${name}\\b`);
    if (storePatterns.size < 256) storePatterns.set(name, pattern);
  }
  return pattern;
}

/**
 * Whether a statement that runs over several lines (open brackets, a backslash) stores `name` by `store`, a
 * pattern that reads one line: `context = {\n "exc": exc,\n}`. Brackets in strings may join or split statements
 * wrongly; this only widens the single-line test, which runs first.
 */
function storedOverLines(clauseText: string, store: RegExp): boolean {
  for (let start = 0; start < clauseText.length;) {
    const end = logicalLineEnd(clauseText, start) ?? clauseText.length;
    const statement = clauseText.slice(start, end);
    if (/[\n\r]/.test(statement.trimEnd()) && store.test(statement.replace(/[\r\n]+/g, ' '))) return true;
    start = end + 1;
  }
  return false;
}

/** Container methods that keep their argument. */
const STORING_METHODS: ReadonlySet<string> = new Set(['append', 'add', 'appendleft', 'insert', 'setdefault', 'extend', 'update']);

/** How names are resolved: the model, and the text (an import must spell a name before it can mean `sys.exc_info`). */
type Lookup = Pick<RuleContext, 'semantic' | 'text'>;

/** What a value holds that leads to this frame: the caught exception, a traceback, or the exc_info triple. */
type Carried = 'exception' | 'traceback' | 'exc_info';

/**
 * The part of a value that carries the traceback, if any: `e`, `e.__traceback__`, `sys.exc_info()`, `[e]`, `(x, e)`.
 * Displays and `with_traceback` chains are followed with an explicit stack (they may nest thousands deep), the first
 * carrier in document order wins.
 */
function carriedBy(value: SyntaxNode | null, caught: string | undefined, lookup: Lookup): { node: SyntaxNode; kind: Carried } | undefined {
  const pending: (SyntaxNode | null)[] = [value];
  while (pending.length > 0) {
    const node = unparenthesized(pending.pop() ?? null);
    if (!node) continue;
    switch (node.type) {
      case 'list': case 'tuple': case 'set': case 'expression_list':
        pending.push(...[...node.namedChildren].reverse());
        continue;
      case 'dictionary':
        pending.push(...node.namedChildren.filter((pair) => pair.type === 'pair').map((pair) => pair.childForFieldName('value')).reverse());
        continue;
      case 'call': {
        // `e.with_traceback(tb)` returns e with that traceback: kept unless it is None.
        const callee = node.childForFieldName('function');
        if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'with_traceback') {
          if (node.childForFieldName('arguments')?.namedChildren[0]?.type !== 'none') pending.push(callee.childForFieldName('object'));
          continue;
        }
        break;
      }
      default:
        break;
    }
    const found = carrier(node, caught, lookup);
    if (found) return found;
  }
  return undefined;
}

/** A value that is a carrier itself (not a display or a `with_traceback` call, which `carriedBy` looks into). */
function carrier(node: SyntaxNode, caught: string | undefined, lookup: Lookup): { node: SyntaxNode; kind: Carried } | undefined {
  switch (node.type) {
    case 'identifier':
      return node.text === caught ? { node, kind: 'exception' } : undefined;
    case 'attribute':
      return node.childForFieldName('attribute')?.text === '__traceback__' ? { node, kind: 'traceback' } : undefined;
    case 'call': {
      // `sys.exc_info` and `sys.exception` come from an import: a callee rooted elsewhere is neither.
      if (!mayResolveThroughImport(lookup.text, node.startIndex)) return undefined;
      const callee = node.childForFieldName('function');
      const qualified = callee ? lookup.semantic.qualifiedName(callee) : undefined;
      if (qualified === 'sys.exc_info') return { node, kind: 'exc_info' };
      if (qualified === 'sys.exception') return { node, kind: 'exception' };
      return undefined;
    }
    case 'subscript': {
      // `sys.exc_info()[1]` / `[2]` keep the exception / traceback; `[0]` is only the type. A subscript of a subscript
      // is never the triple, so this looks one level down only.
      const index = node.childForFieldName('subscript');
      const value = unparenthesized(node.childForFieldName('value'));
      const inner = value?.type === 'subscript' ? undefined : carriedBy(value, caught, lookup);
      if (inner?.kind !== 'exc_info' || index?.text === '0') return undefined;
      return { node, kind: index?.text === '1' ? 'exception' : 'traceback' };
    }
    default:
      return undefined;
  }
}

/** Where a value ends up: an attribute or item, a container, a global, or a local of this frame. */
type Sink =
  | { readonly kind: 'attribute'; readonly target: SyntaxNode }
  | { readonly kind: 'container'; readonly receiver: SyntaxNode; readonly call: SyntaxNode }
  | { readonly kind: 'global'; readonly target: SyntaxNode }
  | { readonly kind: 'local'; readonly targets: readonly SyntaxNode[] };

interface Store {
  readonly sink: Sink;
  readonly carried: { node: SyntaxNode; kind: Carried };
  /** The assignment or call (what the finding points at). */
  readonly node: SyntaxNode;
  readonly statement: SyntaxNode;
}

/** The names an unpacking target binds that receive a carrying value (`t, v, tb = sys.exc_info()` → v, tb). */
function carryingTargets(left: SyntaxNode, value: SyntaxNode, carried: Carried): SyntaxNode[] {
  const targets = left.namedChildren.filter((child) => child.type === 'identifier');
  if (targets.length !== left.namedChildCount) return [];
  if (carried === 'exc_info' && unparenthesized(value)?.type === 'call' && targets.length === 3) return targets.slice(1);
  return targets;
}

function storesIn(statement: SyntaxNode, caught: string | undefined, globals: ReadonlySet<string>, lookup: Lookup): Store[] {
  const expression = statement.namedChild(0);
  if (expression?.type === 'assignment') {
    const { targets: lefts, value } = assignmentChain(expression);
    const carried = carriedBy(value, caught, lookup);
    if (!carried || !value) return [];
    const stores: Store[] = [];
    for (const left of lefts) {
      const sink: Sink | undefined = left.type === 'attribute' || left.type === 'subscript'
        ? { kind: 'attribute', target: left }
        : left.type === 'identifier'
          ? (globals.has(left.text) ? { kind: 'global', target: left } : left.text === caught ? undefined : { kind: 'local', targets: [left] })
          : left.type === 'pattern_list' || left.type === 'tuple_pattern'
            ? { kind: 'local', targets: carryingTargets(left, value, carried.kind) }
            : undefined;
      if (sink && (sink.kind !== 'local' || sink.targets.length > 0)) stores.push({ sink, carried, node: expression, statement });
    }
    return stores;
  }
  if (expression?.type === 'call') {
    const callee = expression.childForFieldName('function');
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text ?? '' : '';
    const receiver = callee?.childForFieldName('object');
    if (!receiver || !STORING_METHODS.has(method)) return [];
    for (const argument of expression.childForFieldName('arguments')?.namedChildren ?? []) {
      const value = argument.type === 'keyword_argument' ? argument.childForFieldName('value') : argument;
      const carried = carriedBy(value, caught, lookup);
      if (carried) return [{ sink: { kind: 'container', receiver, call: expression }, carried, node: expression, statement }];
    }
  }
  return [];
}

/** The leftmost name of `a.b[c].d` (the object the frame holds). */
function rootName(target: SyntaxNode): SyntaxNode | null {
  let node: SyntaxNode | null = unparenthesized(target);
  while (node && (node.type === 'attribute' || node.type === 'subscript' || node.type === 'call')) {
    node = unparenthesized(node.type === 'attribute' ? node.childForFieldName('object') : node.type === 'subscript' ? node.childForFieldName('value') : node.childForFieldName('function'));
  }
  return node?.type === 'identifier' ? node : null;
}

const KIND_WORDS: Record<Carried, string> = { exception: 'the exception', traceback: 'the traceback', exc_info: 'the `sys.exc_info()` triple' };

function describeStore(store: Store, functionName: string, globals: ReadonlySet<string>): string {
  const what = KIND_WORDS[store.carried.kind];
  const carriedText = store.carried.node.text.replace(/\s+/g, ' ');
  const frame = `the frame of \`${functionName}\``;
  const path = store.carried.kind === 'exception' ? `\`${carriedText}\` → its traceback → ${frame}` : `\`${carriedText}\` → ${frame}`;
  switch (store.sink.kind) {
    case 'local': {
      const names = store.sink.targets.map((target) => `\`${target.text}\``).join(', ');
      return `${names} ${store.sink.targets.length > 1 ? 'keep' : 'keeps'} ${what} after the \`except\`: ${path} → its local${store.sink.targets.length > 1 ? 's' : ''} ${names}, a reference cycle; freed only by the cyclic GC (\`del\` it in a \`finally\`)`;
    }
    case 'global':
      return `Global \`${store.sink.target.text}\` keeps ${what}: ${path} and every local in it stay alive as long as \`${store.sink.target.text}\` holds it, and the frame's globals close a reference cycle`;
    case 'attribute':
    case 'container': {
      const holder = store.sink.kind === 'attribute' ? targetKey(store.sink.target) : targetKey(store.sink.receiver);
      const root = rootName(store.sink.kind === 'attribute' ? store.sink.target : store.sink.receiver);
      const held = root && !globals.has(root.text) ? `, which holds \`${root.text}\`` : ', whose globals hold';
      const tail = root?.text === holder ? '' : ` → \`${holder}\``;
      return `\`${holder}\` keeps ${what} after the \`except\`: ${path}${held}${tail}, a reference cycle; freed only by the cyclic GC`;
    }
  }
}

/** The clearing key of a store: the names (locals), or the attribute/container that holds the value. */
function cleanupKeys(store: Store): string[] {
  switch (store.sink.kind) {
    case 'local': return store.sink.targets.map((target) => target.text);
    case 'global': return [store.sink.target.text];
    case 'attribute': return [targetKey(store.sink.target)];
    case 'container': return [targetKey(store.sink.receiver)];
  }
}

/** The unsafe fix for a stored exception: store `e.with_traceback(None)` (it loses the traceback). */
function withoutTracebackFix(store: Store): Fix | undefined {
  if (store.carried.kind !== 'exception' || store.carried.node.type !== 'identifier' || store.sink.kind === 'local') return undefined;
  const name = store.carried.node.text;
  return {
    title: `Store \`${name}.with_traceback(None)\` (drops the traceback from \`${name}\` itself)`,
    applicability: 'unsafe',
    edits: [{ range: { start: store.carried.node.startIndex, end: store.carried.node.endIndex }, newText: `${name}.with_traceback(None)` }],
    imports: [],
  };
}

/** `except E as name:` → name, read from the clause's text (the header ends at the first `:` after `as name`). */
const CAUGHT_NAME = /^except\*?[^:]*?\bas\s+([A-Za-z_]\w*)\s*:/;

function checkExceptClause(clause: SyntaxNode, context: RuleContext): void {
  // The clause's text first: without a store of the caught name, `__traceback__` or an exc_info spelling it
  // stores nothing (`raise ... from e` and `log(e)` are not stores), and most clauses end here.
  const clauseText = context.text.slice(clause.startIndex, clause.endIndex);
  const caughtInText = CAUGHT_NAME.exec(clauseText)?.[1];
  const excInfo = excInfoNames(context.text);
  const mentions = (caughtInText !== undefined && (storeOf(caughtInText).test(clauseText) || storedOverLines(clauseText, storeOf(caughtInText))))
    || clauseText.includes('__traceback__')
    || (excInfo !== undefined && [...excInfo].some((name) => clauseText.includes(name)));
  if (!mentions) return;
  const scopes = scopesOf(context.semantic);
  const scope = scopes.enclosingFunction(clause);
  const body = clause.namedChildren.find((child) => child.type === 'block');
  if (!scope || !body) return;
  const alias = clause.namedChildren.find((child) => child.type === 'as_pattern')?.childForFieldName('alias');
  const caughtNode = alias?.type === 'as_pattern_target' ? alias.namedChild(0) : alias;
  const caught = caughtNode?.type === 'identifier' ? caughtNode.text : undefined;
  let globals: ReadonlySet<string> | undefined;
  const functionName = scope.childForFieldName('name')?.text ?? 'function';
  const found = body.descendantsOfType(['expression_statement', 'except_clause']).filter((node) => node.isNamed);
  // Statements of handlers nested in this one belong to those (they check their own bodies).
  const nestedHandlers = new NestedRanges(found.filter((node) => node.type === 'except_clause'));
  for (const statement of found) {
    if (statement.type !== 'expression_statement' || scopes.inNestedScope(statement, scope) || nestedHandlers.innermost(statement)) continue;
    globals ??= globalAndNonlocalNames(scope, scopes);
    for (const store of storesIn(statement, caught, globals, context)) {
      const keys = cleanupKeys(store);
      if (keys.every((key) => cleanupAfter(store.node, key, scope, scopes))) continue;
      const fixes: Fix[] = [];
      if (store.sink.kind === 'local' && store.statement.parent?.type === 'block') {
        const fix = tryFinallyDelFix({ text: context.text, statement: store.statement, names: keys, scope, scopes });
        if (fix) fixes.push(fix);
      }
      const dropTraceback = withoutTracebackFix(store);
      if (dropTraceback) fixes.push(dropTraceback);
      context.report({
        range: { start: store.node.startIndex, end: store.node.endIndex },
        message: describeStore(store, functionName, globals),
        related: caughtNode ? [{ range: { start: caughtNode.startIndex, end: caughtNode.endIndex }, message: `\`${caught}\` is caught here; Python deletes this name at the end of the \`except\`, but not the other references` }] : [],
        fixes,
      });
    }
  }
}

export const storedTraceback: Rule = {
  code: 'GCL304',
  name: 'stored-traceback',
  summary: 'An exception, its traceback or sys.exc_info() is kept where it outlives the except clause, in a cycle with the frame.',
  lifetime: 'cycle',
  defaultSeverity: 'information',
  fix: 'sometimes',
  nodeKinds: ['except_clause'],
  locality: 'function',
  check: checkExceptClause,
  doc: {
    whatItDoes: [
      'Flags, inside the `except` clauses of a function, statements that keep the caught exception, its',
      '`__traceback__`, `sys.exc_info()` (or `sys.exc_info()[1]`/`[2]`, `sys.exception()`) beyond the clause: on an',
      'attribute or item (`self.error = e`, `self.errors[k] = e`), in a container (`self.errors.append(e)`,',
      '`errors.append(e)`), in a `global`/`nonlocal` name, or in another local (`err = e`, `info = sys.exc_info()`,',
      '`t, v, tb = sys.exc_info()`, `tb = e.__traceback__`), also inside a list, tuple or dict display. A store is not',
      'flagged when the same target is deleted, set to `None` or emptied (`errors.clear()`) in a `finally` around it or',
      'by a later statement of the function.',
    ].join('\n'),
    whyIsThisBad: [
      'A traceback references every frame it passed through, and a frame references all of its local variables. An',
      'exception stored where this frame can reach it (a local, an attribute of `self`, a container the function',
      'holds) closes the loop: exception → traceback → frame → locals → exception. Python deletes the `except ... as e`',
      'name at the end of the clause for exactly this reason, but not the other references. The cycle keeps every',
      'local of every frame in the traceback alive (large buffers, open files) until the cyclic GC runs.',
    ].join('\n'),
    example: [
      '```python',
      'def fetch(self):',
      '    try:',
      '        return self._download()',
      '    except OSError as e:',
      '        self.last_error = e  # GCL304',
      '',
      'def report():',
      '    try:',
      '        work()',
      '    except Exception:',
      '        info = sys.exc_info()  # GCL304',
      '        log(info)',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      'def fetch(self):',
      '    try:',
      '        return self._download()',
      '    except OSError as e:',
      '        self.last_error = traceback.format_exception(e)  # text, or e.with_traceback(None)',
      '',
      'def report():',
      '    try:',
      '        work()',
      '    except Exception:',
      '        info = sys.exc_info()',
      '        try:',
      '            log(info)',
      '        finally:',
      '            del info',
      '```',
    ].join('\n'),
    fixSafety: [
      'For a local, the fix wraps the rest of its block in `try`/`finally: del name` (or adds `del name` when the',
      'binding is the last statement). It is offered only when every use of the name follows the binding in that',
      'block, none is in a nested function and nothing else deletes the name, so it is **safe** and fix-all applies it.',
      'For an exception stored on an attribute, in a container or in a global, the fix stores `e.with_traceback(None)`:',
      'it is **unsafe**, because `with_traceback` changes `e` itself, so the stored exception (and a later bare',
      '`raise`) has no traceback any more. Stored tracebacks and `sys.exc_info()` triples get no fix.',
    ].join('\n'),
    knownProblems: [
      'Only stores written in the `except` clause itself are seen; an exception handed to a helper (`self._fail(e)`,',
      '`future.set_exception(e)`) is not followed. Attributes cleared in another method (`close()`) do not silence a',
      'finding: the rule looks at one function, so an edit re-checks only that function; clear the attribute in a',
      '`finally` or suppress the line. Module-level `except` clauses are not checked (the module frame lives as long',
      'as the module anyway). A later clearing statement counts even when an early `return` can skip it. Displays',
      '(`[e]`, `{"error": e}`) are followed into, calls building a container (`dict(error=e)`, `list((e,))`) are not.',
    ].join('\n'),
  },
};
