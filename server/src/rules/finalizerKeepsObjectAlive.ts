// GCL202 finalizer-keeps-object-alive: a finalizer, weak-reference callback or atexit hook that holds the very
// object it is about, so the object can never be collected before the interpreter exits.
import type { Fix } from '../analysis/findingTypes';
import { firstParameterName, targetKey } from '../semantic/cleanupFacts';
import { mayResolveThroughImport } from '../semantic/importedNames';
import { enclosingClassOfMethod, isStaticOrClassMethod, methodNamed } from '../semantic/classModel';
import { bindingSites, globalAndNonlocalNames, referencesTo, unparenthesized } from '../semantic/nameFlow';
import { scopesOf, type ScopeIndex } from '../semantic/scopeIndex';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { Rule, RuleContext } from './ruleTypes';
import { callStarts, callsStartingIn, textGate } from './textGate';

type Registration = 'finalize' | 'weak-callback' | 'atexit';

const REGISTRATIONS: ReadonlyMap<string, Registration> = new Map([
  ['weakref.finalize', 'finalize'],
  ['weakref.ref', 'weak-callback'], ['weakref.ReferenceType', 'weak-callback'], ['weakref.proxy', 'weak-callback'],
  ['_weakref.ref', 'weak-callback'], ['_weakref.proxy', 'weak-callback'],
  ['atexit.register', 'atexit'],
]);

/** Where calls that can be a registration start in a text (import aliases included). */
const registrationCallStarts = callStarts(['finalize', 'ref', 'ReferenceType', 'proxy', 'register']);
/** Every registration needs `weakref`, `_weakref` or `atexit` imported: a text without them has none. */
const IMPORTS_REGISTRIES = /weakref|atexit/;
const importsRegistries = textGate(IMPORTS_REGISTRIES);

/** The spelling of a name or attribute chain (`self._conn`), or undefined for other expressions. */
function chainKey(node: SyntaxNode | null): string | undefined {
  const expression = unparenthesized(node);
  // Down the chain with a loop: it may be thousands of attributes long.
  let root = expression;
  while (root?.type === 'attribute') root = unparenthesized(root.childForFieldName('object'));
  if (!expression || root?.type !== 'identifier') return undefined;
  return expression.type === 'identifier' ? expression.text : targetKey(expression);
}

/** Whether holding `holder` keeps `object` alive: it is the object, or owns it (`self` owns `self._conn`). */
function keepsAlive(holder: string, object: string): boolean {
  return holder === object || object.startsWith(`${holder}.`);
}

const rootOf = (key: string): string => key.split('.')[0];

/** Why a callback or argument holds the object, for the message; undefined when it does not. */
interface Holding {
  readonly node: SyntaxNode;
  readonly why: string;
}

interface Scope {
  readonly definition: SyntaxNode | null;
  /** Names the enclosing function binds (parameters included): what a closure there captures. */
  readonly locals: ReadonlySet<string>;
  readonly scopes: ScopeIndex;
}

function scopeOf(call: SyntaxNode, scopes: ScopeIndex): Scope {
  const definition = scopes.enclosingFunction(call);
  if (!definition) return { definition, locals: new Set(), scopes };
  const locals = new Set(bindingSites(definition, scopes).map((site) => site.name));
  for (const parameter of definition.childForFieldName('parameters')?.namedChildren ?? []) {
    const name = parameter.type === 'identifier' ? parameter : parameter.childForFieldName('name') ?? parameter.namedChild(0);
    if (name?.type === 'identifier') locals.add(name.text);
  }
  for (const name of globalAndNonlocalNames(definition, scopes)) locals.delete(name);
  return { definition, locals, scopes };
}

/** Whether `self.<method>` binds an instance: the class defines the method without @staticmethod/@classmethod. */
function bindsInstance(receiver: SyntaxNode, method: string, scope: Scope, context: RuleContext): boolean {
  if (receiver.type !== 'identifier' || !scope.definition) return true;
  const owner = enclosingClassOfMethod(scope.definition);
  if (!owner || firstParameterName(scope.definition) !== receiver.text || isStaticOrClassMethod(scope.definition, context.semantic)) return true;
  // `self.m`: only a method the class body defines is known to bind; an instance attribute may hold a plain function.
  const definition = methodNamed(owner, method);
  return definition !== undefined && !isStaticOrClassMethod(definition, context.semantic);
}

/** The nested `def` named `name` in the enclosing function (the closure a callback name refers to). */
function nestedDefinition(name: string, scope: Scope): SyntaxNode | undefined {
  const body = scope.definition?.childForFieldName('body');
  if (!body) return undefined;
  return body.descendantsOfType('function_definition').find((definition) => definition.childForFieldName('name')?.text === name
    && scope.scopes.enclosingFunction(definition)?.id === scope.definition?.id);
}

/**
 * Whether a lambda or nested function keeps `object` alive: a default value that is the object (or its owner:
 * `lambda s=self: ...`; `q=self._queue` keeps only the queue), or code that refers to the enclosing local the object
 * hangs on (a closure over it), unless a parameter of the same name hides it.
 */
function closesOver(code: SyntaxNode, object: string): boolean {
  const root = rootOf(object);
  const parameters = code.childForFieldName('parameters')?.namedChildren ?? [];
  const defaults = parameters.map((parameter) => parameter.childForFieldName('value')).filter((value): value is SyntaxNode => value !== null);
  if (defaults.some((value) => argumentHolds(value, object))) return true;
  const hidden = parameters.some((parameter) => {
    const bound = parameter.type === 'identifier' ? parameter : parameter.childForFieldName('name') ?? parameter.namedChild(0);
    return bound?.text === root;
  });
  const body = code.childForFieldName('body');
  return !hidden && body !== null && referencesTo(body, root).length > 0;
}

/** How a callable keeps `object` alive: a bound method of it (or its owner), a closure over it, a partial holding it. */
function callableHolds(callable: SyntaxNode, object: string, scope: Scope, context: RuleContext, depth = 0): Holding | undefined {
  const node = unparenthesized(callable);
  if (!node || depth > 3) return undefined;
  if (node.type === 'attribute') {
    const receiver = unparenthesized(node.childForFieldName('object'));
    const receiverKey = chainKey(receiver);
    const method = node.childForFieldName('attribute')?.text ?? '';
    if (receiver && receiverKey !== undefined && keepsAlive(receiverKey, object) && bindsInstance(receiver, method, scope, context)) {
      return { node, why: `the bound method \`${targetKey(node)}\` holds \`${receiverKey}\`` };
    }
    return undefined;
  }
  const root = rootOf(object);
  if (node.type === 'lambda') {
    if (scope.locals.has(root) && closesOver(node, object)) return { node, why: `the lambda refers to \`${root}\`` };
    return undefined;
  }
  if (node.type === 'identifier') {
    const definition = nestedDefinition(node.text, scope);
    if (definition && scope.locals.has(root) && closesOver(definition, object)) return { node, why: `the nested function \`${node.text}\` refers to \`${root}\`` };
    return undefined;
  }
  if (node.type === 'call' && context.semantic.qualifiedName(node.childForFieldName('function') ?? node) === 'functools.partial') {
    const [first, ...rest] = node.childForFieldName('arguments')?.namedChildren ?? [];
    const inner = first ? callableHolds(first, object, scope, context, depth + 1) : undefined;
    if (inner) return { node, why: `the partial's ${inner.why.replace(/^the /, '')}` };
    const argument = rest.find((candidate) => argumentHolds(candidate, object));
    if (argument) return { node, why: `the partial keeps its argument \`${argument.text}\`` };
  }
  return undefined;
}

/** Whether an argument passed along is the object or its owner (`self` for `self._conn`), also in a display. */
function argumentHolds(argument: SyntaxNode, object: string): boolean {
  const node = unparenthesized(argument.type === 'keyword_argument' ? argument.childForFieldName('value') : argument);
  if (!node) return false;
  const key = chainKey(node);
  if (key !== undefined) return keepsAlive(key, object);
  if (node.type === 'list' || node.type === 'tuple' || node.type === 'set') return node.namedChildren.some((element) => argumentHolds(element, object));
  return false;
}

/** `lambda: obj.res.close()` → `obj.res.close` when nothing else in the lambda needs `obj` (the unsafe fix). */
function boundResourceFix(callable: SyntaxNode, object: string): Fix | undefined {
  const node = unparenthesized(callable);
  if (node?.type !== 'lambda' || node.childForFieldName('parameters')) return undefined;
  const body = unparenthesized(node.childForFieldName('body'));
  if (body?.type !== 'call') return undefined;
  const callee = body.childForFieldName('function');
  const argumentsNode = body.childForFieldName('arguments');
  const calleeKey = chainKey(callee);
  if (!callee || calleeKey === undefined || !argumentsNode || argumentsNode.namedChildCount > 0) return undefined;
  // `obj.res.close`: a method of something obj owns, not of obj itself.
  const parts = calleeKey.split('.');
  if (parts.length < 3 || parts.slice(0, -1).join('.') === object || !keepsAlive(rootOf(object), calleeKey)) return undefined;
  return {
    title: `Register \`${calleeKey}\` itself (binds the current \`${parts.slice(0, -1).join('.')}\` now, not \`${rootOf(object)}\`)`,
    applicability: 'unsafe',
    edits: [{ range: { start: node.startIndex, end: node.endIndex }, newText: calleeKey }],
    imports: [],
  };
}

/** A class method's first parameter: the class, which lives as long as its module anyway. */
function isClassParameter(name: string, scope: Scope, context: RuleContext): boolean {
  const definition = scope.definition;
  if (!definition || firstParameterName(definition) !== name || !enclosingClassOfMethod(definition)) return false;
  return isStaticOrClassMethod(definition, context.semantic);
}

/** The registration-shaped calls of the module, found at the call starts its text spells (no call node of the rest reaches JS). */
function checkModule(root: SyntaxNode, context: RuleContext): void {
  const starts = importsRegistries(context.text) ? registrationCallStarts(context.text) : undefined;
  if (starts) for (const call of callsStartingIn(root, starts)) checkCall(call, context);
}

function checkCall(call: SyntaxNode, context: RuleContext): void {
  const callee = call.childForFieldName('function');
  if (!callee || (callee.type !== 'identifier' && callee.type !== 'attribute')) return;
  // Every registration function comes from an import: a callee rooted elsewhere (`self.register`) is none.
  if (!mayResolveThroughImport(context.text, call.startIndex)) return;
  const qualified = context.semantic.qualifiedName(callee);
  const registration = qualified ? REGISTRATIONS.get(qualified) : undefined;
  if (!registration) return;
  const argumentList = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((argument) => argument.type !== 'comment');
  const positional = argumentList.filter((argument) => argument.type !== 'keyword_argument' && argument.type !== 'list_splat' && argument.type !== 'dictionary_splat');
  const scope = scopeOf(call, scopesOf(context.semantic));
  const spelled = callee.text.replace(/\s+/g, '');
  if (registration === 'atexit') {
    checkAtexit(spelled, positional, argumentList, scope, context);
    return;
  }
  const [objectNode, callback] = positional;
  const object = chainKey(objectNode);
  if (!objectNode || !callback || object === undefined || isClassParameter(rootOf(object), scope, context)) return;
  const related = [{ range: { start: objectNode.startIndex, end: objectNode.endIndex }, message: `\`${object}\` is the object the ${registration === 'finalize' ? 'finalizer' : 'weak reference'} watches` }];
  const held = callableHolds(callback, object, scope, context);
  const argument = registration === 'finalize' ? argumentList.slice(argumentList.indexOf(callback) + 1).find((candidate) => argumentHolds(candidate, object)) : undefined;
  const holding: Holding | undefined = held ?? (argument ? { node: argument, why: `the argument \`${argument.text}\` is passed to the callback and kept with it` } : undefined);
  if (!holding) return;
  const fix = held ? boundResourceFix(callback, object) : undefined;
  const message = registration === 'finalize'
    ? `\`${spelled}\` keeps \`${object}\` alive: ${holding.why}, and the finalizer registry holds the callback until it runs; \`${object}\` is never collected and the finalizer runs only at exit`
    : `The callback of \`${spelled}(${object}, …)\` keeps \`${object}\` alive: ${holding.why}; while the weak reference lives, \`${object}\` cannot die and the callback never runs`;
  context.report({ range: { start: holding.node.startIndex, end: holding.node.endIndex }, message, related, fixes: fix ? [fix] : [] });
}

/**
 * `atexit.register(self.close)`, `atexit.register(f, self)`, `atexit.register(lambda: self.close())`: the instance (or
 * an object the function made) is kept until exit. Only inside functions: module globals live until exit anyway.
 */
function checkAtexit(spelled: string, positional: readonly SyntaxNode[], argumentList: readonly SyntaxNode[], scope: Scope, context: RuleContext): void {
  if (!scope.definition || positional.length === 0) return;
  const [callback] = positional;
  const candidates = new Set<string>();
  const self = enclosingClassOfMethod(scope.definition) && !isStaticOrClassMethod(scope.definition, context.semantic) ? firstParameterName(scope.definition) : undefined;
  if (self) candidates.add(self);
  const receiver = unparenthesized(callback)?.type === 'attribute' ? chainKey(unparenthesized(callback)?.childForFieldName('object') ?? null) : undefined;
  // A bound method of an object the function made or received (`server.shutdown`); attributes of `self` are what the
  // instance owns, and registering them is how it avoids registering itself.
  if (receiver !== undefined && !receiver.includes('.') && scope.locals.has(receiver)) candidates.add(receiver);
  for (const object of candidates) {
    const held = callableHolds(callback, object, scope, context);
    const argument = object === self ? argumentList.slice(1).find((candidate) => argumentHolds(candidate, object)) : undefined;
    const holding: Holding | undefined = held ?? (argument ? { node: argument, why: `the argument \`${argument.text}\` is kept with the hook` } : undefined);
    if (!holding) continue;
    const fix = held ? boundResourceFix(callback, object) : undefined;
    context.report({
      range: { start: holding.node.startIndex, end: holding.node.endIndex },
      message: `\`${spelled}\` keeps \`${object}\` alive until the interpreter exits: ${holding.why}; it is never freed earlier, even when nothing else uses it`,
      fixes: fix ? [fix] : [],
    });
    return;
  }
}

export const finalizerKeepsObjectAlive: Rule = {
  code: 'GCL202',
  name: 'finalizer-keeps-object-alive',
  summary: 'A finalizer, weak-reference callback or atexit hook holds the object it is about, so it is never collected before exit.',
  lifetime: 'leak',
  defaultSeverity: 'warning',
  fix: 'sometimes',
  // The calls are found from the text's registration-shaped call starts, not collected by the engine's walk: in the
  // files that spell one, marshalling every call node cost more than the rule itself. Module-wide for that reason.
  nodeKinds: ['module'],
  textTrigger: (text) => importsRegistries(text) && registrationCallStarts(text) !== undefined,
  locality: 'module',
  check: checkModule,
  doc: {
    whatItDoes: [
      'Flags `weakref.finalize(obj, callback, *args)` whose callback or arguments hold `obj`: a bound method of `obj`',
      '(`finalize(self, self.close)`) or of what owns it (`finalize(self._conn, self.close)`), a lambda or nested `def`',
      'that refers to it (a closure, or a default value `lambda s=self: ...`), a `functools.partial` holding it, or `obj`',
      'itself passed as an argument (`finalize(obj, f, obj)`, `finalize(obj, f, handle=obj)`); the same for the',
      'callback of `weakref.ref(obj, callback)` / `weakref.proxy(obj, callback)`; and, inside functions,',
      '`atexit.register(self.m)`, `atexit.register(f, self)`, `atexit.register(lambda: self.close())` or a bound method',
      'of a local object. Calls are resolved through imports and aliases (`from weakref import finalize as fin`,',
      '`import weakref as wr`). `self.m` counts as bound only when the class defines `m` without `@staticmethod` or',
      '`@classmethod`.',
    ].join('\n'),
    whyIsThisBad: [
      '`weakref.finalize` keeps its callback and arguments in a registry until the object dies. If they hold the object,',
      'it never dies: it leaks until the interpreter exits, and the cleanup the finalizer was written for runs only at',
      'shutdown. A weak reference whose callback holds its referent keeps the referent alive as long as the weak',
      'reference lives. `atexit.register` keeps its hook (and what the hook holds) until exit by design.',
    ].join('\n'),
    example: [
      '```python',
      'class Connection:',
      '    def __init__(self, handle):',
      '        self._handle = handle',
      '        self._finalizer = weakref.finalize(self, self.close)  # GCL202',
      '',
      '    def close(self):',
      '        self._handle.close()',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      'class Connection:',
      '    def __init__(self, handle):',
      '        self._handle = handle',
      '        self._finalizer = weakref.finalize(self, handle.close)  # only the state it needs',
      '',
      '    def close(self):',
      '        self._finalizer()',
      '```',
    ].join('\n'),
    fixSafety: [
      'One shape gets a fix: a lambda that only calls a method of something the object owns,',
      '`finalize(self, lambda: self._handle.close())` → `finalize(self, self._handle.close)`. It is **unsafe**: the',
      'method is bound to the handle stored now, so a handle replaced later is not the one closed. Other shapes need',
      'the cleanup rewritten as a function or static method that takes only the state it needs; no fix is offered.',
    ].join('\n'),
    knownProblems: [
      '`self.m` where the class does not define `m` (inherited, or an instance attribute holding a plain function) is not',
      'flagged. `atexit.register` at module level is not flagged (module globals live until exit anyway), nor a hook',
      'that `atexit.unregister` removes in another method. A callback that reaches the object through a global or',
      'through code in another function is not followed, nor a call whose callee does not start with a plain name',
      '(`(obj).finalize(...)`).',
    ].join('\n'),
  },
};
