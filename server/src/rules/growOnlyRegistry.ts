// GCL302 grow-only-registry: a module- or class-level container that functions add to and nothing ever removes from.
import type { RelatedLocation } from '../analysis/findingTypes';
import { CONTAINER_FACTS, type ContainerFact, type ContainerFacts } from '../semantic/containerFacts';
import { adderName, CONTAINER_GROWTH, LISTENER_REGISTRIES, storesOnlyWeakReferences, type GrowthAnalysis } from '../semantic/containerGrowth';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { Rule, RuleContext } from './ruleTypes';
import { weakContainerFix, weakReplacement } from './weakContainerFix';

/** What outlives the entries of a container of this owner. */
function ownerLifetime(fact: ContainerFact): string {
  return fact.owner.kind === 'module' ? 'the module' : `the class \`${fact.owner.kind === 'class' ? fact.owner.sketch.name : ''}\``;
}

function rangeOf(node: SyntaxNode): { start: number; end: number } {
  return { start: node.startIndex, end: node.endIndex };
}

/**
 * The containers GCL302 reports: module- or class-level, strong, unbounded, added to after import, with no way out
 * in the file, and not a listener registry GCL303 reports (one leak, one finding).
 */
export function growOnlyRegistries(facts: ContainerFacts, growth: GrowthAnalysis, semantic: RuleContext['semantic']): ContainerFact[] {
  const listeners = new Set(semantic.fact(LISTENER_REGISTRIES).map((found) => found.fact));
  return facts.growable.filter((fact) => {
    if (fact.owner.kind === 'instance' || fact.shape.weak || fact.shape.bounded) return false;
    const { runtimeAdds, wayOut } = growth.of(fact);
    if (runtimeAdds.length === 0 || wayOut) return false;
    return !storesOnlyWeakReferences(runtimeAdds, (node) => semantic.qualifiedName(node)) && !listeners.has(fact);
  });
}

function checkModule(_root: SyntaxNode, context: RuleContext): void {
  const facts = context.semantic.fact(CONTAINER_FACTS);
  if (facts.growable.length === 0) return;
  const growth = context.semantic.fact(CONTAINER_GROWTH);
  for (const fact of growOnlyRegistries(facts, growth, context.semantic)) {
    const adds = growth.of(fact).runtimeAdds;
    const adders = [...new Set(adds.map((use) => `\`${adderName(use, facts)}\``))];
    const shown = adders.length > 3 ? `${adders.slice(0, 3).join(', ')} and ${adders.length - 3} more` : adders.join(', ');
    const related: RelatedLocation[] = adds.map((use) => ({ range: rangeOf(use.node), message: `\`${adderName(use, facts)}\` adds to \`${fact.display}\` here` }));
    const replacement = weakReplacement(fact, facts, false);
    context.report({
      range: rangeOf(fact.target),
      message: `\`${fact.display}\` only grows: ${shown} ${adders.length === 1 ? 'adds' : 'add'} to it and nothing in this file removes from it, so every entry lives as long as ${ownerLifetime(fact)} (until exit)`,
      related,
      fixes: replacement ? [weakContainerFix(fact, replacement, context.semantic)] : [],
    });
  }
}

export const growOnlyRegistry: Rule = {
  code: 'GCL302',
  name: 'grow-only-registry',
  summary: 'A module- or class-level container that functions only add to: every entry lives until exit.',
  lifetime: 'leak',
  defaultSeverity: 'warning',
  fix: 'sometimes',
  nodeKinds: ['module'],
  locality: 'module',
  check: checkModule,
  doc: {
    whatItDoes: [
      'Flags a container defined at module level (`REGISTRY = []`, `_cache = {}`, `set()`, `dict()`,',
      '`collections.defaultdict(list)`, `OrderedDict()`, `Counter()`, `deque()` without `maxlen`; resolved through',
      'imports) or as a class attribute, when code that runs after import (a function or method the file calls at run',
      'time, or public API it never calls itself) adds to it (`append`, `add`, `extend`, `insert`, `[k] = v`,',
      '`setdefault`, `update`, `|=`, `+=`, `d[k].append(x)` on a defaultdict; also through a local alias such as',
      '`reg = REGISTRY`, `cls._registry`, `type(self).registry`), and nothing in the file ever removes from it:',
      'no `remove`, `discard`, `pop`, `popitem`, `clear`, `del c[k]`, slice assignment, rebinding (`global c; c = {}`),',
      'and it is never handed to code the file cannot see (passed to a call, returned, stored elsewhere).',
      '',
      'Listener registries GCL303 strong-observer reports (callbacks or observers handed to a registering function)',
      'are left to it, so one leak gets one finding.',
    ].join('\n'),
    whyIsThisBad: [
      'A module or a class lives until the interpreter exits, and so does everything its containers hold. When',
      'run-time code keeps adding entries and nothing takes them out, the container, and every object reachable from',
      'its entries, grows for the whole life of the process: a leak that shows up only after hours of uptime.',
    ].join('\n'),
    example: [
      '```python',
      '_instances = []',
      '',
      'class Connection:',
      '    def __init__(self, host):',
      '        self.host = host',
      '        _instances.append(self)  # never removed: every Connection lives until exit',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      'import weakref',
      '',
      '_instances = weakref.WeakSet()',
      '',
      'class Connection:',
      '    def __init__(self, host):',
      '        self.host = host',
      '        _instances.add(self)',
      '```',
      '',
      'or remove entries when they are done (`discard` in `close()`), or bound the container',
      '(`functools.lru_cache(maxsize=…)`, `collections.deque(maxlen=…)`).',
    ].join('\n'),
    fixSafety: [
      'The fix is **unsafe**: entries of a weak container vanish when their objects die, which is the point but',
      'changes what the container reports. It is offered only where the file shows that what is stored can be weakly',
      'referenced (the method\'s `self` or `cls`, instances of the file\'s classes without `__slots__` or with',
      '`__weakref__` in them, the file\'s classes) and the container is an unannotated `[]`, `{}`, `list()`, `set()` or',
      '`dict()` used only in ways the weak container supports: a list becomes a `weakref.WeakSet` (its `append` calls',
      'become `add`; order and duplicates are lost, so indexing or sorting it in place rules the fix out), a dict whose values',
      'are such objects a `weakref.WeakValueDictionary`, whose keys are a `weakref.WeakKeyDictionary`. Never for',
      'ints, strings, tuples, lists or dicts (they cannot be weakly referenced) or values the file does not show.',
    ].join('\n'),
    knownProblems: [
      'Growth bounded by something the file does not show (a cache keyed by the finitely many enum members, a',
      'registry filled once per class by a decorator that other modules call at import) is still reported: suppress',
      'it with `# gclens: ignore[GCL302]`. A function used in the file only as a decorator or called from module',
      'or class level counts as import-time code, as do `__init_subclass__` and metaclass `__new__`/`__init__`;',
      'public functions the file never calls count as run time. A removal anywhere in the file through any object',
      '(`other._registry.clear()`) silences the rule: it does not prove the removal runs. Containers created inside',
      'functions, and instance containers (`self.items = []`), are not checked: they die with their owner; nor are',
      'class-level assignments in an `Enum` (they are members). A constructor reached through an assignment',
      '(`dd = collections.defaultdict`) rather than an import (`from collections import defaultdict as dd`, recognised)',
      'is not followed.',
    ].join('\n'),
  },
};
