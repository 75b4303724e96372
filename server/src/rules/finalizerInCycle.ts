// GCL201 finalizer-in-cycle: a class with __del__ whose instances are on a cycle (uncollectable before Python 3.4).
import type { PythonVersion } from '../analysis/settings';
import { CYCLE_CLASS_MODEL, type ClassFacts } from '../semantic/classModel';
import { CYCLE_FACTS, type CycleRecord } from '../semantic/cycleFacts';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { CYCLE_RULE_BASE } from './cycleRules';
import type { Rule, RuleContext } from './ruleTypes';

/** PEP 442 (Python 3.4) made cycles with `__del__` collectable; before it they went to `gc.garbage`. */
function finalizersBlockCollection(version: PythonVersion): boolean {
  return version.major < 3 || (version.major === 3 && version.minor < 4);
}

function describeCycle(cycle: CycleRecord): string {
  return cycle.path.join(', ');
}

function reportClass(owner: ClassFacts, cycles: readonly CycleRecord[], context: RuleContext): void {
  const own = owner.finalizer?.definition.childForFieldName('name');
  const anchor = own ?? owner.definition.childForFieldName('name');
  if (!anchor) return;
  const where = own ? `\`${owner.name}\` defines \`__del__\`` : `\`${owner.name}\` inherits \`__del__\``;
  const first = cycles[0];
  const version = context.settings.targetVersion;
  const leaks = finalizersBlockCollection(version);
  const consequence = leaks
    ? `before Python 3.4 (target ${version.major}.${version.minor}) the collector cannot free a cycle with \`__del__\`: the objects leak into \`gc.garbage\``
    : 'they are freed only by the cyclic GC, which runs `__del__` at an unpredictable time';
  context.report({
    range: { start: anchor.startIndex, end: anchor.endIndex },
    message: `${where} and its instances are on a reference cycle (${describeCycle(first)}): ${consequence}; prefer \`weakref.finalize\` or a context manager`,
    related: cycles.map((cycle) => ({
      range: { start: cycle.edge.statement.startIndex, end: cycle.edge.statement.endIndex },
      message: `the cycle is made here: ${describeCycle(cycle)}`,
    })),
    lifetime: leaks ? 'leak' : 'cycle',
  });
}

function check(node: SyntaxNode, context: RuleContext): void {
  if (node.type !== 'module') return;
  const cycles = context.semantic.fact(CYCLE_FACTS).cycles.filter((cycle) => cycle.participant !== undefined);
  // Only a `__del__` defined in this file counts (a base's from elsewhere is unseen): without the word, no class has one.
  if (cycles.length === 0 || !context.text.includes('__del__')) return;
  const classes = context.semantic.fact(CYCLE_CLASS_MODEL);
  for (const owner of classes.classes) {
    const finalizer = classes.findMethod(owner, '__del__');
    if (!finalizer || finalizer.kind !== 'instance') continue;
    const lineage = classes.lineage(owner);
    const onCycle = cycles.filter((cycle) => cycle.participant && lineage.includes(cycle.participant));
    if (onCycle.length > 0) reportClass(owner, onCycle, context);
  }
}

export const finalizerInCycle: Rule = {
  code: 'GCL201',
  name: 'finalizer-in-cycle',
  summary: 'A class with __del__ whose instances are on a reference cycle: uncollectable before Python 3.4, finalized at random times after.',
  ...CYCLE_RULE_BASE,
  fix: 'none',
  check,
  doc: {
    whatItDoes: [
      'Flags the `__del__` of a class (or the class, when `__del__` is inherited from a base in the same file) whose',
      'instances take part in a cycle that GCL101, GCL102 or GCL103 finds, or that stores itself (`self.me = self`,',
      '`self.items.append(self)`). The related locations show where each cycle is made. The message depends on',
      '`targetVersion`: before 3.4 the lifetime is `leak`, from 3.4 on `cycle`.',
    ].join('\n'),
    whyIsThisBad: [
      'Before Python 3.4 the cyclic collector refused to free a cycle containing an object with `__del__` (it could',
      'not know a safe order to finalize them): such objects were moved to `gc.garbage` and leaked for good. Since',
      'PEP 442 (3.4) the cycle is collected, but only when the cyclic GC runs, so `__del__` runs at an unpredictable',
      'moment, possibly on another thread\'s allocation, and resources it releases (files, sockets, locks) stay held',
      'until then.',
    ].join('\n'),
    example: [
      '```python',
      'class Connection:',
      '    def __init__(self):',
      '        self.on_close = self.close',
      '',
      '    def close(self):',
      '        ...',
      '',
      '    def __del__(self):',
      '        self.close()',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      'import weakref',
      '',
      'class Connection:',
      '    def __init__(self):',
      '        self._finalizer = weakref.finalize(self, Connection._release, self._socket)',
      '',
      '    @staticmethod',
      '    def _release(sock):',
      '        sock.close()',
      '```',
      'Or make the object a context manager and release its resources in `__exit__`; or break the cycle with the',
      'weak references GCL101–GCL103 suggest.',
    ].join('\n'),
    fixSafety: 'There is no automatic fix: moving cleanup out of `__del__` needs to know which state the cleanup really uses.',
    knownProblems: [
      'Only cycles through `self` of the class (or a base in the same file) are attributed to it; a cycle the rule',
      'cannot see (built by code in another module) is not reported. Editor and `pyproject.toml` settings accept',
      'target versions from 3.6 on, so the `leak` wording applies only where the analysis is given an older target.',
    ].join('\n'),
  },
};
