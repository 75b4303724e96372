// GCL305 stored-frame: a frame object (inspect.currentframe(), sys._getframe(), inspect.stack()) kept in a local or
// stored on an object, where it closes frame → locals → frame.
import type { Fix } from '../analysis/findingTypes';
import { cleanupAfter, targetKey } from '../semantic/cleanupFacts';
import { mayResolveThroughImport } from '../semantic/importedNames';
import { assignmentChain, bindingSites, globalAndNonlocalNames, unparenthesized } from '../semantic/nameFlow';
import { scopesOf, type ScopeIndex } from '../semantic/scopeIndex';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { Rule, RuleContext } from './ruleTypes';
import { callStarts, callsStartingIn, spelledAnyOf } from './textGate';
import { tryFinallyDelFix } from './tryFinallyDelFix';

/** What an expression evaluates to: one frame, a FrameInfo (a named tuple holding one), or a list of FrameInfos. */
type FrameShape = 'frame' | 'frame-info' | 'frame-list';

interface FrameValue {
  readonly shape: FrameShape;
  /** Whether it is (or contains) the frame of the function running the code, rather than a caller's. */
  readonly current: boolean;
  /** The call that made it (for messages). */
  readonly source: SyntaxNode;
}

const STORING_METHODS: ReadonlySet<string> = new Set(['append', 'add', 'appendleft', 'insert', 'extend']);

/** Where calls that can make a frame object start in a text (import aliases included). */
const FRAME_CALLEES = ['_getframe', 'currentframe', 'stack', 'trace', 'getouterframes', '_current_frames'];
const frameCallStarts = callStarts(FRAME_CALLEES);

/** The frame value a call makes, if it is one of the frame sources. */
function frameSource(call: SyntaxNode, context: RuleContext): FrameValue | undefined {
  const callee = call.childForFieldName('function');
  // Every frame source is a function of `sys` or `inspect`, reached through an import.
  if (!callee || !mayResolveThroughImport(context.text, call.startIndex)) return undefined;
  const qualified = context.semantic.qualifiedName(callee);
  const argumentsNode = call.childForFieldName('arguments');
  const positional = argumentsNode?.namedChildren.filter((argument) => argument.type !== 'comment') ?? [];
  switch (qualified) {
    case 'sys._getframe': {
      const depth = positional[0];
      // A computed depth is taken for a caller's frame: flagged only where any frame matters (stored on an object).
      return { shape: 'frame', current: depth === undefined || depth.text === '0', source: call };
    }
    case 'inspect.currentframe':
      return { shape: 'frame', current: true, source: call };
    case 'inspect.stack':
    case 'inspect.trace':
      return { shape: 'frame-list', current: true, source: call };
    case 'inspect.getouterframes': {
      const first = positional[0];
      const inner = first?.type === 'call' ? frameSource(first, context) : undefined;
      return { shape: 'frame-list', current: inner?.current === true, source: call };
    }
    case 'sys._current_frames':
      return { shape: 'frame-list', current: true, source: call };
    default:
      return undefined;
  }
}

/**
 * Follows the value up through expressions that keep a frame: `.f_back` (a caller), `[i]` of a list (a FrameInfo),
 * `[0]`/`.frame` of a FrameInfo. Returns the outermost such expression and its value, or undefined when an access
 * turns it into something else (`.f_code`, `.function`, `[3]`).
 */
function keptValue(call: SyntaxNode, value: FrameValue): { node: SyntaxNode; value: FrameValue } | undefined {
  let node = call;
  let current = value;
  for (let parent = node.parent; parent; node = parent, parent = parent.parent) {
    if (parent.type === 'parenthesized_expression') continue;
    if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === node.id) {
      const name = parent.childForFieldName('attribute')?.text;
      if (current.shape === 'frame' && name === 'f_back') current = { ...current, shape: 'frame', current: false };
      else if (current.shape === 'frame-info' && name === 'frame') current = { ...current, shape: 'frame' };
      else return undefined;
      continue;
    }
    if (parent.type === 'subscript' && parent.childForFieldName('value')?.id === node.id) {
      const index = parent.childForFieldName('subscript');
      if (current.shape === 'frame-list' && index?.type !== 'slice') current = { ...current, shape: 'frame-info', current: current.current && index?.text === '0' };
      else if (current.shape === 'frame-info' && index?.text === '0') current = { ...current, shape: 'frame' };
      else if (current.shape !== 'frame-list') return undefined;
      continue;
    }
    return { node, value: current };
  }
  return { node, value: current };
}

type Sink =
  | {
    readonly kind: 'local';
    readonly names: readonly SyntaxNode[];
    readonly statement: SyntaxNode;
    readonly node: SyntaxNode;
    /** Bound by `:=` inside a larger expression, which may not run (`a and (f := ...)`): `del` could fail. */
    readonly mayBeUnbound?: boolean;
  }
  | { readonly kind: 'global'; readonly target: SyntaxNode; readonly node: SyntaxNode }
  | { readonly kind: 'stored'; readonly holder: SyntaxNode; readonly node: SyntaxNode };

/** Where the kept expression goes: an assignment's targets, or a container that keeps it. */
function sinkOf(kept: SyntaxNode, value: FrameValue, globals: ReadonlySet<string>): Sink | undefined {
  const parent = kept.parent;
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === kept.id) {
    let top = parent;
    while (top.parent?.type === 'assignment') top = top.parent;
    const statement = top.parent;
    for (const target of assignmentChain(top).targets) {
      if (target.type === 'attribute' || target.type === 'subscript') return { kind: 'stored', holder: target, node: top };
      if (target.type === 'identifier') {
        if (globals.has(target.text)) return { kind: 'global', target, node: top };
        if (statement?.type === 'expression_statement') return { kind: 'local', names: [target], statement, node: top };
      }
      if ((target.type === 'pattern_list' || target.type === 'tuple_pattern') && statement?.type === 'expression_statement') {
        // `frame, filename, *_ = inspect.stack()[0]`: the FrameInfo's first field is the frame.
        const names = target.namedChildren.filter((child) => child.type === 'identifier');
        const kept = value.shape === 'frame-info' ? names.filter((name) => name.id === target.namedChildren[0]?.id) : value.shape === 'frame-list' ? names : [];
        if (kept.length > 0) return { kind: 'local', names: kept, statement, node: top };
      }
    }
    return undefined;
  }
  if (parent?.type === 'named_expression' && parent.childForFieldName('value')?.id === kept.id) {
    // `(frame := sys._getframe())` binds a local of the function like an assignment does.
    const name = parent.childForFieldName('name');
    let statement: SyntaxNode | null = parent;
    while (statement && statement.parent?.type !== 'block') statement = statement.parent;
    if (name?.type !== 'identifier' || !statement) return undefined;
    if (globals.has(name.text)) return { kind: 'global', target: name, node: parent };
    return { kind: 'local', names: [name], statement, node: parent, mayBeUnbound: true };
  }
  if (parent?.type === 'argument_list' && parent.parent?.type === 'call') {
    const callee = parent.parent.childForFieldName('function');
    const receiver = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
    if (receiver && STORING_METHODS.has(callee?.childForFieldName('attribute')?.text ?? '')) return { kind: 'stored', holder: receiver, node: parent.parent };
  }
  return undefined;
}

function describeValue(value: FrameValue, kept: SyntaxNode, functionName: string): string {
  const spelled = `\`${kept.text.replace(/\s+/g, ' ')}\``;
  if (value.shape === 'frame-list') return `${spelled}, which includes the frame of \`${functionName}\``;
  if (value.current) return `the frame of \`${functionName}\` itself (${spelled})`;
  return `a caller's frame (${spelled})`;
}

/** The leftmost name of `a.b[c]`. */
function rootName(target: SyntaxNode): string | undefined {
  let node: SyntaxNode | null = unparenthesized(target);
  while (node?.type === 'attribute' || node?.type === 'subscript') node = unparenthesized(node.type === 'attribute' ? node.childForFieldName('object') : node.childForFieldName('value'));
  return node?.type === 'identifier' ? node.text : undefined;
}

/** The frame-making calls a function's own code makes (nested functions check theirs). */
function checkFunction(definition: SyntaxNode, context: RuleContext): void {
  const starts = frameCallStarts(context.text);
  if (!starts) return;
  const scopes = scopesOf(context.semantic);
  for (const call of callsStartingIn(definition, starts)) {
    if (scopes.enclosingFunction(call)?.id === definition.id) checkCall(call, definition, scopes, context);
  }
}

function checkCall(call: SyntaxNode, scope: SyntaxNode, scopes: ScopeIndex, context: RuleContext): void {
  const source = frameSource(call, context);
  if (!source) return;
  const kept = keptValue(call, source);
  if (!kept) return;
  const globals = globalAndNonlocalNames(scope, scopes);
  const sink = sinkOf(kept.node, kept.value, globals);
  if (!sink) return;
  const functionName = scope.childForFieldName('name')?.text ?? 'function';
  const what = describeValue(kept.value, kept.node, functionName);
  const fixes: Fix[] = [];
  let message: string;
  switch (sink.kind) {
    case 'local': {
      // A caller's frame in a local makes no cycle: the caller does not reference this frame.
      if (!kept.value.current) return;
      const names = sink.names.map((name) => name.text);
      if (names.every((name) => cleanupAfter(sink.node, name, scope, scopes))) return;
      // Rebinding later (`frame = frame.f_back` walking up the stack) drops this frame from the local.
      const sites = bindingSites(scope, scopes);
      if (names.every((name) => sites.some((site) => site.name === name && site.node.startIndex > sink.statement.endIndex))) return;
      const fix = sink.mayBeUnbound ? undefined : tryFinallyDelFix({ text: context.text, statement: sink.statement, names, scope, scopes });
      if (fix) fixes.push(fix);
      const spelled = names.map((name) => `\`${name}\``).join(', ');
      message = `${spelled} ${names.length > 1 ? 'hold' : 'holds'} ${what}: the frame → its local${names.length > 1 ? 's' : ''} ${spelled} → the frame, a reference cycle that keeps every local alive until the cyclic GC runs (\`del\` it in a \`finally\`)`;
      break;
    }
    case 'global':
      message = `Global \`${sink.target.text}\` keeps ${what}: the frame and all its locals stay alive as long as \`${sink.target.text}\` holds it, and the frame's globals close a reference cycle`;
      break;
    case 'stored': {
      if (cleanupAfter(sink.node, targetKey(sink.holder), scope, scopes)) return;
      const holder = `\`${targetKey(sink.holder)}\``;
      const root = rootName(sink.holder);
      const holds = root && !globals.has(root) ? `whose locals hold \`${root}\`` : 'whose globals hold it';
      message = kept.value.current
        ? `${holder} keeps ${what}, ${holds}: a reference cycle; freed only by the cyclic GC`
        : `${holder} keeps ${what} and all its locals alive; if the caller holds this object, they form a reference cycle freed only by the cyclic GC`;
      break;
    }
  }
  context.report({ range: { start: sink.node.startIndex, end: sink.node.endIndex }, message, fixes });
}

export const storedFrame: Rule = {
  code: 'GCL305',
  name: 'stored-frame',
  summary: 'A frame object is kept in a local without `del` in `finally`, or stored on an object, closing a cycle through its locals.',
  lifetime: 'cycle',
  defaultSeverity: 'information',
  fix: 'sometimes',
  nodeKinds: ['function_definition'],
  textTrigger: spelledAnyOf(FRAME_CALLEES),
  locality: 'function',
  check: checkFunction,
  doc: {
    whatItDoes: [
      'Flags frame objects a function keeps: the current frame (`inspect.currentframe()`, `sys._getframe()`,',
      '`sys._getframe(0)`), or a list that contains it (`inspect.stack()`, `inspect.trace()`), bound to a local',
      '(`frame = inspect.currentframe()`, `caller = inspect.stack()[0]`, `frame, *_ = inspect.stack()[0]`,',
      '`(frame := sys._getframe())`) that',
      'is not deleted (or set to `None`) in a `finally` or by a later statement, and not rebound later (walking up',
      'with `frame = frame.f_back`); and any frame, current or a caller\'s (`sys._getframe(1)`, `.f_back`), stored on',
      'an object, in a container or in a global. Names are resolved through imports (`from sys import _getframe`).',
      'A frame used at once without being bound (`sys._getframe(1).f_code.co_name`) is not flagged, nor is an',
      'access that leaves the frame behind (`.f_code`, `.f_lineno`, `inspect.stack()[1].function`).',
    ].join('\n'),
    whyIsThisBad: [
      'A frame references all of its local variables. When one of them is the frame itself (or a list holding it),',
      'the frame and every local it has form a cycle: none of it is freed when the function returns, only when the',
      'cyclic GC runs. A frame stored on an object keeps that frame and its locals alive as long as the object, and',
      'when those locals include the object (a method\'s `self`, or the caller that created it) they form a cycle.',
      'The `inspect` documentation asks for `del frame` in a `finally` for this reason.',
    ].join('\n'),
    example: [
      '```python',
      'def where_am_i():',
      '    frame = inspect.currentframe()  # GCL305',
      '    return frame.f_code.co_name',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      'def where_am_i():',
      '    frame = inspect.currentframe()',
      '    try:',
      '        return frame.f_code.co_name',
      '    finally:',
      '        del frame',
      '```',
    ].join('\n'),
    fixSafety: [
      'For a local, the fix wraps the rest of its block in `try`/`finally: del frame` (or adds `del frame` when the',
      'binding is the block\'s last statement). It is offered only when every use of the name follows the binding in',
      'that block, none is in a nested function and nothing else deletes it, so behaviour is unchanged: the fix is',
      '**safe**. A `:=` binding gets no fix (it may not run inside a larger condition, and `del` would then fail), nor',
      'do frames stored on objects, in containers or globals.',
    ].join('\n'),
    knownProblems: [
      'A caller\'s frame (`sys._getframe(1)`) stored on an object is flagged as a possible cycle: it is one when the',
      'caller keeps the object in a local, which the rule cannot see. A frame stored on an object and cleared in another',
      'method (`close()`) is still flagged: the rule looks at one function. Module-level code is not checked. Frames',
      'reached through tracebacks (`tb.tb_frame`) are GCL304\'s business. A later rebinding or deletion counts even when',
      'it is conditional. A callee that does not start with a plain name (`(obj)._getframe()`) is not recognised.',
    ].join('\n'),
  },
};
