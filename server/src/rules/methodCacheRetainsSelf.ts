// GCL301 method-cache-retains-self: functools.lru_cache / cache on instance methods keep every `self` in a cache that
// lives as long as the class; per-instance wrapping (`self.f = cache(self.g)`) makes a cycle instead.
import { firstParameterName, targetKey } from '../semantic/cleanupFacts';
import { scopesOf } from '../semantic/scopeIndex';
import { classBases, decoratorTarget, enclosingClassOfMethod, isEnumClass, isStaticOrClassMethod } from '../semantic/classModel';
import { unparenthesized } from '../semantic/nameFlow';
import type { SemanticModel } from '../semantic/semanticModel';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { methodCacheFixes } from './methodCacheFix';
import type { Rule, RuleContext } from './ruleTypes';
import { callStarts, callsStartingIn, calleeLastName, calleeNames, spelledAnyOf } from './textGate';

const CACHE_DECORATORS: ReadonlySet<string> = new Set(['functools.lru_cache', 'functools.cache']);

/** How big a cache may grow: a number of entries, unbounded, or an expression the rule cannot evaluate. */
type CacheBound = { readonly kind: 'bounded'; readonly size: string } | { readonly kind: 'unbounded' };

/** `@lru_cache` / `@lru_cache()` → 128; `@lru_cache(maxsize=None)` / `@cache` → unbounded; `@lru_cache(64)` → 64. */
function cacheBound(expression: SyntaxNode, qualified: string): CacheBound {
  if (qualified === 'functools.cache') return { kind: 'unbounded' };
  if (expression.type !== 'call') return { kind: 'bounded', size: '128' };
  const argumentsNode = expression.childForFieldName('arguments');
  const maxsize = argumentsNode?.namedChildren.find((argument) => argument.type === 'keyword_argument' && argument.childForFieldName('name')?.text === 'maxsize');
  const value = maxsize ? maxsize.childForFieldName('value') : argumentsNode?.namedChildren.find((argument) => argument.type !== 'keyword_argument' && argument.type !== 'comment');
  if (!value) return { kind: 'bounded', size: '128' };
  if (value.type === 'none') return { kind: 'unbounded' };
  return { kind: 'bounded', size: value.text };
}

/** The qualified cache decorator an expression names (`lru_cache`, `functools.cache`, `lc(maxsize=None)`), if any. */
function cacheDecorator(expression: SyntaxNode, semantic: SemanticModel): string | undefined {
  const target = decoratorTarget(expression);
  if (target.type !== 'identifier' && target.type !== 'attribute') return undefined;
  const qualified = semantic.qualifiedName(target);
  return qualified && CACHE_DECORATORS.has(qualified) ? qualified : undefined;
}

/** Classes whose instances live as long as the program anyway: Enums (members) and metaclasses (instances are classes). */
function instancesAreLongLived(classNode: SyntaxNode, semantic: SemanticModel): boolean {
  if (isEnumClass(classNode, semantic)) return true;
  return classBases(classNode).some((base) => {
    const qualified = semantic.qualifiedName(base);
    return qualified === 'builtins.type' || qualified === 'abc.ABCMeta' || qualified === 'enum.EnumMeta' || qualified === 'enum.EnumType';
  });
}

function checkDecorator(decorator: SyntaxNode, context: RuleContext): void {
  const accepted = cacheCallees(context.text);
  if (!accepted) return;
  const expression = decorator.namedChildren.find((child) => child.type !== 'comment');
  const last = expression ? calleeLastName(decoratorTarget(expression)) : undefined;
  if (last === undefined || !accepted.has(last)) return;
  const decorated = decorator.parent?.type === 'decorated_definition' ? decorator.parent.childForFieldName('definition') : null;
  if (!expression || decorated?.type !== 'function_definition') return;
  const qualified = cacheDecorator(expression, context.semantic);
  if (!qualified) return;
  const classNode = enclosingClassOfMethod(decorated);
  const self = firstParameterName(decorated);
  if (!classNode || !self || isStaticOrClassMethod(decorated, context.semantic) || instancesAreLongLived(classNode, context.semantic)) return;
  const className = classNode.childForFieldName('name')?.text ?? 'the class';
  const methodName = decorated.childForFieldName('name')?.text ?? 'method';
  const bound = cacheBound(expression, qualified);
  const lifetime = bound.kind === 'unbounded'
    ? 'it is unbounded, so every instance the method is called on is never freed'
    : `every instance the method is called on stays alive until ${bound.size} newer calls evict it`;
  context.report({
    range: { start: decorator.startIndex, end: expression.endIndex },
    message: `\`@${expression.text.replace(/\s+/g, ' ')}\` on method \`${className}.${methodName}\` keys its cache on \`${self}\`, and the cache lives as long as the class: ${lifetime}`,
    related: [{ range: { start: decorated.startIndex, end: (decorated.childForFieldName('parameters') ?? decorated).endIndex }, message: `\`${methodName}\` receives \`${self}\`, which becomes part of every cache key` }],
    fixes: methodCacheFixes(decorator, decorated, classNode, self, context.semantic, context.text),
  });
}

/** `self.f = lru_cache(...)(self.g)`, `self.f = cache(self.g)`: a per-instance cache around a bound method of self. */
function checkWrappingCall(call: SyntaxNode, context: RuleContext): void {
  const callee = call.childForFieldName('function');
  const argumentsNode = call.childForFieldName('arguments');
  const wrapped = argumentsNode?.namedChildren.filter((argument) => argument.type !== 'comment');
  if (!callee || !wrapped || wrapped.length !== 1) return;
  const factory = callee.type === 'call' ? callee.childForFieldName('function') : callee;
  if (!factory || (factory.type !== 'identifier' && factory.type !== 'attribute')) return;
  const qualified = context.semantic.qualifiedName(factory);
  if (!qualified || !CACHE_DECORATORS.has(qualified)) return;
  const method = unparenthesized(wrapped[0]);
  const receiver = method?.type === 'attribute' ? unparenthesized(method.childForFieldName('object')) : null;
  const scope = scopesOf(context.semantic).enclosingFunction(call);
  const self = scope ? firstParameterName(scope) : undefined;
  if (!method || !scope || receiver?.type !== 'identifier' || receiver.text !== self || !enclosingClassOfMethod(scope) || isStaticOrClassMethod(scope, context.semantic)) return;
  const assignment = call.parent;
  const target = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === call.id ? assignment.childForFieldName('left') : null;
  const targetObject = target?.type === 'attribute' ? unparenthesized(target.childForFieldName('object')) : null;
  if (!target || targetObject?.text !== self) return;
  const holder = targetKey(target);
  context.report({
    range: { start: call.startIndex, end: call.endIndex },
    message: `\`${holder}\` is a per-instance cache around the bound method \`${targetKey(method)}\`: \`${self}\` → \`${holder}\` → \`${targetKey(method)}\` → \`${self}\` form a reference cycle; the instance and its cache are freed only by the cyclic GC`,
    lifetime: 'cycle',
  });
}

/** Callee names that can be a cache factory in a text, and where such calls start (import aliases included). */
const CACHE_FACTORIES = ['lru_cache', 'cache'];
const cacheCallees = calleeNames(CACHE_FACTORIES);
const cacheCallStarts = callStarts(CACHE_FACTORIES);

function check(node: SyntaxNode, context: RuleContext): void {
  if (node.type === 'decorator') {
    checkDecorator(node, context);
    return;
  }
  // A method's own cache-wrapping calls (nested functions check theirs).
  const starts = cacheCallStarts(context.text);
  if (!starts) return;
  const scopes = scopesOf(context.semantic);
  for (const call of callsStartingIn(node, starts)) if (scopes.enclosingFunction(call)?.id === node.id) checkWrappingCall(call, context);
}

export const methodCacheRetainsSelf: Rule = {
  code: 'GCL301',
  name: 'method-cache-retains-self',
  summary: 'functools.lru_cache or cache on an instance method keeps every instance it is called on alive.',
  lifetime: 'leak',
  defaultSeverity: 'warning',
  fix: 'sometimes',
  nodeKinds: ['decorator', 'function_definition'],
  textTrigger: spelledAnyOf(CACHE_FACTORIES),
  locality: 'function',
  check,
  doc: {
    whatItDoes: [
      'Flags `@functools.lru_cache` and `@functools.cache` (any import alias; `@lru_cache`, `@lru_cache()`,',
      '`@lru_cache(maxsize=None)`, `@functools.cache`) on instance methods, and per-instance wrapping of a bound',
      'method stored on the instance (`self.f = lru_cache()(self.g)`, `self.f = cache(self.g)`). Static methods, class',
      'methods, module-level functions, `functools.cached_property`, and methods of Enums and metaclasses (whose',
      'instances live as long as the program anyway) are not flagged.',
    ].join('\n'),
    whyIsThisBad: [
      'A decorated method has one cache, stored on the function in the class, and `self` is part of every key: each',
      'instance the method is called on is referenced by the cache. With `@cache` or `maxsize=None` the cache never',
      'evicts, so those instances are never freed: a leak that grows with every new instance. A bounded cache keeps',
      'them until enough newer calls push them out, which can be a long time. Wrapping a bound method per instance',
      '(`self.f = cache(self.g)`) instead builds a cycle: the instance holds the wrapper, the wrapper holds the bound',
      'method, the bound method holds the instance; it is freed only by the cyclic GC.',
    ].join('\n'),
    example: [
      '```python',
      'class Resolver:',
      '    @functools.cache  # GCL301: every Resolver is kept forever',
      '    def lookup(self, name):',
      '        return self._query(name)',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      '@functools.lru_cache(maxsize=1024)',
      'def _lookup(server, name):  # keyed by what the lookup needs, not by the instance',
      '    return query(server, name)',
      '',
      'class Resolver:',
      '    def lookup(self, name):',
      '        return _lookup(self.server, name)',
      '```',
    ].join('\n'),
    fixSafety: [
      'Two fixes, both **unsafe** (never applied by fix-all):',
      '',
      '- When the method never names its receiver, `super` or `__class__` (a text search, so a mention in a string or',
      '  comment also rules it out) and the cache is its only decorator: `@staticmethod` above the cache and the',
      '  receiver parameter removed. The cache then keys on the arguments alone and holds no instance; results stay the',
      '  same (the method never read the instance), but `Class.method(instance, ...)` calls break and instances are no',
      '  longer hashed (an unhashable instance used to raise). Not offered for dunder methods or a `/` separator.',
      '- `@property` directly over the cache on a getter that takes only the receiver: `@functools.cached_property`',
      '  (imported once). One value per instance, kept in its `__dict__` and freed with it; but the attribute becomes',
      '  writable and equal instances no longer share a computed value. Not offered when the class declares',
      '  `__slots__` (no `__dict__` to store it in) or gives the property a setter or deleter.',
      '',
      'Nothing is offered for other methods that use `self`: bounding the cache (`maxsize=128`) only caps the leak; a',
      'per-instance cache built in `__init__` (`self._f = lru_cache(maxsize=...)(self._f_impl)`) is itself the cycle this',
      'rule reports (instance → cache → bound method → instance); and a module-level cache keyed by what the method',
      'really needs takes a person who knows which state matters. Per-instance wrapping gets no fix either: any wrapper',
      'stored on the instance that holds a bound method of it closes that cycle.',
    ].join('\n'),
    knownProblems: [
      'An Enum is recognised only by a base the imports resolve to `enum.Enum` and its relatives, not through a base',
      'class defined elsewhere in the file. A cache decorator reached through another name (`memo = functools.cache`)',
      'is not recognised. A bounded cache is flagged as well, since it still keeps instances alive until eviction;',
      'suppress it with `# gclens: ignore[GCL301]` where that is intended.',
    ].join('\n'),
  },
};
