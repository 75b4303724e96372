// GCL101 parent-back-reference: a child stores its parent strongly while the parent holds the child.
import type { BackReferenceCycle } from '../semantic/cycleFacts';
import { checkCyclesOfKind, CYCLE_RULE_BASE } from './cycleRules';
import type { Rule, RuleContext } from './ruleTypes';
import { backReferenceFix } from './weakrefFixes';

function reportBackReference(cycle: BackReferenceCycle, context: RuleContext): void {
  const fix = backReferenceFix(cycle, context.text, context.semantic);
  const statement = cycle.edge.statement;
  context.report({
    range: { start: statement.startIndex, end: statement.endIndex },
    message: `${cycle.path.join(', ')}: a child and its parent form a reference cycle; freed only by the cyclic GC`,
    related: [{ range: { start: cycle.forward.startIndex, end: cycle.forward.endIndex }, message: cycle.forwardMessage }],
    fixes: fix ? [fix] : [],
  });
}

export const parentBackReference: Rule = {
  code: 'GCL101',
  name: 'parent-back-reference',
  summary: 'A child stores a strong reference to its parent while the parent holds the child: every parent/child pair is a cycle.',
  ...CYCLE_RULE_BASE,
  fix: 'sometimes',
  check: checkCyclesOfKind('parent-back-reference', reportBackReference),
  doc: {
    whatItDoes: [
      'Flags a back reference when both halves of the cycle are visible in the file:',
      '',
      '- the child side: `self.parent = parent` with `parent.children.append(self)`, `parent.children[key] = self`,',
      '  `parent.child = self` in the same function, or `self.parent.children.append(self)` in another method;',
      '- the parent side: `child.parent = self` with `self.children.append(child)` (or `self.children[k] = child`);',
      '- straight through attributes: `node.left.parent = node`, `node.children[0].parent = node`;',
      '- through a method of the same file that keeps its argument: `self.tree = tree` with `tree.adopt(self)`.',
      '',
      'Aliases (`p = self.parent`, `kids = parent.children`, `n = node.left`) are followed. Attributes that hold',
      '`weakref.ref`/`proxy` values or weak containers, properties, and attributes cleared in `close()`, `__exit__` or',
      'a `finally` block are not strong edges and stay silent. Two plain locals pointing at each other',
      '(`a.next = b; b.prev = a`) are GCL104\'s; a pair through a method\'s `self` that both rules see',
      '(`self.left = left; left.right = self`) is reported here only.',
    ].join('\n'),
    whyIsThisBad: [
      'Parent → child → parent is a reference cycle: when the last outside reference to the tree goes away, no',
      'reference count drops to zero, so nothing is freed until the cyclic garbage collector runs. Large trees (DOMs,',
      'ASTs, widget hierarchies) then stay in memory for a while, make collections slower, and run their finalizers at',
      'an unpredictable time.',
    ].join('\n'),
    example: [
      '```python',
      'class Node:',
      '    def __init__(self, parent=None):',
      '        self.parent = parent',
      '        self.children = []',
      '        if parent is not None:',
      '            parent.children.append(self)',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      'import weakref',
      '',
      'class Node:',
      '    def __init__(self, parent=None):',
      '        self.parent = parent',
      '        self.children = []',
      '        if parent is not None:',
      '            parent.children.append(self)',
      '',
      '    @property',
      '    def parent(self):',
      '        ref = self._parent',
      '        return None if ref is None else ref()',
      '',
      '    @parent.setter',
      '    def parent(self, value):',
      '        self._parent = None if value is None else weakref.ref(value)',
      '```',
    ].join('\n'),
    fixSafety: [
      'The fix is **unsafe**: the back edge becomes weak, so a parent that nothing else holds disappears and the',
      'child then sees `None` (or a dead `weakref.proxy` raises `ReferenceError`). When the child stores its parent on',
      '`self`, the fix keeps `self._<name>` as a `weakref.ref` behind a property and setter of the same name, so every',
      "read and write in and outside the file keeps working (a `__slots__` entry is renamed and `'__weakref__'` added",
      'where the slots need it). Elsewhere (`child.parent = self`, `node.left.parent = node`) it stores',
      '`weakref.proxy(...)`. No fix is offered when the class already has a `_<name>` or a class attribute of that name.',
    ].join('\n'),
    knownProblems: [
      'The parent\'s type is usually unknown, so `parent.children` is assumed to be a strong container; a',
      '`WeakSet` created elsewhere is not seen. A parent side reached through a call is followed only into a method of the same file',
      'whose name no other class of the file uses (`parent.add_child(self)`). Names bound more than once in a function are not treated as aliases. The property fix changes',
      '`vars(obj)` and pickling of the attribute.',
    ].join('\n'),
  },
};
