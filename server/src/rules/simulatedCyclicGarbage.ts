// GCL901 simulated-cyclic-garbage: metadata only; the findings come from a simulation (analysis/simulationFindings.ts).
import type { RuleMeta } from './ruleTypes';

export const simulatedCyclicGarbage: RuleMeta = {
  code: 'GCL901',
  name: 'simulated-cyclic-garbage',
  summary: 'The simulation of this module saw objects become unreachable yet stay alive until a cyclic collection.',
  lifetime: 'cycle',
  defaultSeverity: 'information',
  fix: 'none',
  nodeKinds: [],
  doc: {
    whatItDoes: [
      "Runs the module's top-level code (and the functions it calls) in GC Lens's simulator of CPython's memory",
      'management and reports each group of objects that became unreachable while still referring to each other:',
      'reference counting could not free them, so they stayed alive until the cyclic garbage collector ran (or until',
      'the interpreter exits, when no collection ran before). The finding stands on the allocation of the first',
      'object; related locations show where each object was allocated and where the last reference from outside the',
      'group was dropped. It complements the GCL1xx rules, which read the source: this one reports what a run did.',
    ].join('\n'),
    whyIsThisBad: [
      'Objects in a cycle outlive their last use: their memory is held until a collection, collections take longer the',
      'more such garbage there is, and a `__del__` or `weakref.finalize` on them runs at an unpredictable moment.',
    ].join('\n'),
    example: [
      '```python',
      'class Node:',
      '    pass',
      '',
      'a = Node()  # GCL901: Node#1, Node#2 became cyclic garbage at line 6',
      'b = Node()',
      'a.next, b.next = b, a',
      'del a, b',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      'import weakref',
      '',
      'class Node:',
      '    pass',
      '',
      'a = Node()',
      'b = Node()',
      'a.next = b',
      'b.next = weakref.ref(a)  # the back edge does not keep `a` alive',
      'del a, b',
      '```',
    ].join('\n'),
    fixSafety: 'There is no automatic fix: which edge should be weak depends on who owns whom (GCL101–GCL104 offer fixes for the shapes they recognise).',
    knownProblems: [
      'Only what the simulation runs is seen: module-level code and the functions it calls, within the simulator\'s',
      'subset of Python and its budgets. A run that stops at an unsupported construct reports only the collections',
      'before it. By default (`gclens.simulation.findings = "auto"`) the editor simulates only files whose imports the',
      'simulator models, and the CLI never simulates; set it to `"on"` (editor setting or `[tool.gclens.simulation]`',
      'in pyproject.toml) to simulate every file, `"off"` to never.',
    ].join('\n'),
  },
};
