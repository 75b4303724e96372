// GCL303 strong-observer: listeners registered into a container with no way out, and objects registering themselves on one.
import type { RelatedLocation } from '../analysis/findingTypes';
import { CONTAINER_FACTS, type ContainerFact } from '../semantic/containerFacts';
import { adderName, LISTENER_REGISTRIES, outermostFunction } from '../semantic/containerGrowth';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { Rule, RuleContext } from './ruleTypes';
import { selfRegistrations } from './strongObserverRegistrations';
import { weakContainerFix, weakReplacement } from './weakContainerFix';

function rangeOf(node: SyntaxNode): { start: number; end: number } {
  return { start: node.startIndex, end: node.endIndex };
}

function lifetimeOf(fact: ContainerFact): string {
  switch (fact.owner.kind) {
    case 'module':
      return 'the module (until exit)';
    case 'class':
      return `the class \`${fact.owner.sketch.name}\` (until exit)`;
    case 'instance':
      return `the \`${fact.owner.sketch.name}\` instance`;
  }
}

function checkModule(root: SyntaxNode, context: RuleContext): void {
  const facts = context.semantic.fact(CONTAINER_FACTS);
  if (facts.growable.length === 0) return;
  for (const { fact, adds } of context.semantic.fact(LISTENER_REGISTRIES)) {
    const adders = [...new Set(adds.map((use) => `\`${adderName(use, facts)}\``))];
    const registrations = selfRegistrations(fact, adds, facts, root, (node) => context.semantic.qualifiedName(node));
    const related: RelatedLocation[] = [
      ...adds.map((use) => ({ range: rangeOf(use.node), message: `\`${adderName(use, facts)}\` stores the listener here` })),
      ...registrations.map((r) => ({ range: rangeOf(r.call), message: `\`${r.registrant.name}\` registers \`${r.argument.text}\` here` })),
    ];
    const elements = fact.uses.some((use) => use.elements === 'called') ? 'called' : fact.uses.some((use) => use.elements === 'method') ? 'method' : 'other';
    const replacement = elements === 'method' ? weakReplacement(fact, facts, true) : undefined;
    context.report({
      range: rangeOf(fact.target),
      message: `\`${fact.display}\` keeps every listener ${adders.join(', ')} registers and nothing in this file removes one: each listener, and all it references, lives as long as ${lifetimeOf(fact)}`,
      related,
      fixes: replacement === 'WeakSet' ? [weakContainerFix(fact, replacement, context.semantic)] : [],
    });
    for (const registration of registrations) {
      const outer = outermostFunction(facts.functions.innermost(registration.call), facts.functions)?.childForFieldName('name')?.text ?? '';
      context.report({
        range: rangeOf(registration.call),
        message: `\`${registration.registrant.name}.${outer}()\` registers ${registration.what} with \`${registration.callee}()\`, which keeps it in \`${fact.display}\` and never removes it: every \`${registration.registrant.name}\` lives as long as ${registration.lifetime}`,
        related: [{ range: rangeOf(fact.target), message: `\`${fact.display}\` holds the registered listeners` }],
      });
    }
  }
}

export const strongObserver: Rule = {
  code: 'GCL303',
  name: 'strong-observer',
  summary: 'Listeners registered into a container nothing removes them from: they (and what they reference) never die.',
  lifetime: 'leak',
  defaultSeverity: 'warning',
  fix: 'sometimes',
  nodeKinds: ['module'],
  locality: 'module',
  check: checkModule,
  doc: {
    whatItDoes: [
      'Flags a listener registry with no way out: a module-level, class-level or instance container (`self._listeners',
      '= []` in `__init__`) into which a function or method stores a listener it was given (`subscribe(self, cb):',
      'self._listeners.append(cb)`), when nothing in the file ever removes from it (no `remove`, `discard`, `pop`,',
      '`del`, `clear`, rebinding; not handed to unseen code) and the owning class has no `remove…`/`unsubscribe`/',
      '`disconnect`-style method. A container counts as a listener registry when its elements are called when it is',
      'iterated (`for cb in self._listeners: cb(event)`), or when its name (`_listeners`, `_callbacks`, `handlers`,',
      '`_observers`, `hooks`) or the name of the registering function (`subscribe`, `add_listener`, `connect`) says so.',
      '',
      'It also flags each call where an object registers its own bound method, itself, a `functools.partial` of',
      'either, or a lambda that uses `self`, on such a registry that outlives it (a module-level instance such as',
      '`bus = EventBus()`, the registry\'s class, or a module-level registering function):',
      '`bus.subscribe(self.on_event)`. Only registering functions visible in the file count.',
      '',
      'Boundary with GCL302: a container this rule reports is never reported by GCL302 too. A grow-only module- or',
      'class-level container of callbacks this rule does not take (the callbacks are made inside the registering',
      'function rather than handed to it, e.g. `_exit_hooks.append(functools.partial(func, *args))`) stays GCL302\'s.',
    ].join('\n'),
    whyIsThisBad: [
      'A registry holds its listeners strongly. A bound method holds its object (`self.on_event.__self__`), a lambda',
      'or closure holds what it captures, an observer object holds everything it references: with no way to',
      'unregister, all of it lives as long as the registry, which for a module, a class or a long-lived subject is',
      'the whole process. Every window, request handler or widget that subscribed once stays in memory, and keeps',
      'receiving events after it was meant to be gone.',
    ].join('\n'),
    example: [
      '```python',
      'class EventBus:',
      '    def __init__(self):',
      '        self._observers = []',
      '',
      '    def subscribe(self, observer):',
      '        self._observers.append(observer)',
      '',
      '    def publish(self, event):',
      '        for observer in self._observers:',
      '            observer.notify(event)',
      '',
      'bus = EventBus()',
      '',
      'class Panel:',
      '    def __init__(self):',
      '        bus.subscribe(self)  # every Panel lives until exit',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      'import weakref',
      '',
      'class EventBus:',
      '    def __init__(self):',
      '        self._observers = weakref.WeakSet()',
      '',
      '    def subscribe(self, observer):',
      '        self._observers.add(observer)',
      '```',
      '',
      'or give the registry an `unsubscribe` and call it when the listener is done; for callbacks that are bound',
      'methods, store `weakref.WeakMethod(cb)` and call `ref()` when it is not `None`.',
    ].join('\n'),
    fixSafety: [
      'The fix is **unsafe** and offered only for containers of observer objects (the file calls a method on each',
      'element, `observer.notify(…)`): an unannotated `[]`/`set()`/`list()` becomes a `weakref.WeakSet` (a list\'s',
      '`append` becomes `add`; order and duplicates are lost, so indexing the list rules the fix out). An observer',
      'nothing else references then vanishes and stops being notified, and observers must be weakly referenceable.',
      '',
      'Containers of callbacks get no fix. A `WeakSet` would drop a bound method or lambda at once (nothing else holds',
      'it). `weakref.WeakMethod(cb)` at the registration site is not offered even where every call of the stored',
      'callbacks is in the file and could be rewritten (`for cb in self._listeners: cb(event)` → dereference each and',
      'skip the dead): `WeakMethod` accepts only bound methods and raises `TypeError` for a function, lambda or',
      '`functools.partial`, and the registering function is called from code the file cannot see, so the file never',
      'shows that every registered callback is a bound method. Falling back to `weakref.ref` for the others would drop',
      'a lambda the moment `subscribe` returns. Every other read would change meaning too: `cb in self._listeners`',
      'compares a callback with weak references (always false), and a copy hands out references instead of',
      'callbacks. The registration findings (`bus.subscribe(self.on_event)`) get no fix for the same reason: the',
      'registry would still call what it stores. Store `WeakMethod`s by hand where all callers register bound methods.',
    ].join('\n'),
    knownProblems: [
      'A registry whose listeners are removed by code in another module (`bus._listeners.clear()` elsewhere) is',
      'reported; suppress it with `# gclens: ignore[GCL303]`. A method named like `remove…` or `unsubscribe` in the',
      'owning class silences the rule even if it does not touch the container. Registering functions and',
      'registries the file cannot see (`signal.connect(self.m)` of a library) are never reported, nor are',
      'registrations through an instance the file cannot tie to a module-level name.',
    ].join('\n'),
  },
};
