// GCL102 self-capturing-closure: a lambda, nested def or partial that captures an object is stored on that object.
import type { ClosureCycle } from '../semantic/cycleFacts';
import { checkCyclesOfKind, CYCLE_RULE_BASE } from './cycleRules';
import type { Rule, RuleContext } from './ruleTypes';
import { weakCaptureFix } from './weakrefFixes';

function reportClosure(cycle: ClosureCycle, context: RuleContext): void {
  const fix = weakCaptureFix(cycle, context.text, context.semantic);
  const value = cycle.edge.value;
  const capture = cycle.captures[0];
  context.report({
    range: { start: value.startIndex, end: value.endIndex },
    message: `${cycle.path.join(', ')}: the closure keeps alive the object that stores it; a reference cycle freed only by the cyclic GC`,
    related: capture ? [{ range: { start: capture.startIndex, end: capture.endIndex }, message: `\`${cycle.captured}\` is captured here` }] : [],
    fixes: fix ? [fix] : [],
  });
}

export const selfCapturingClosure: Rule = {
  code: 'GCL102',
  name: 'self-capturing-closure',
  summary: 'A lambda, nested function or functools.partial that references an object is stored on that object: a cycle.',
  ...CYCLE_RULE_BASE,
  fix: 'sometimes',
  check: checkCyclesOfKind('self-capturing-closure', reportClosure),
  doc: {
    whatItDoes: [
      'Flags a closure stored where the object it captures keeps it: `self.cb = lambda: self.x`,',
      '`self.handlers.append(lambda e: self.on(e))` (where the class makes `self.handlers` a container),',
      '`button.on_click = lambda: button.flash()`, a nested `def` that uses `self` stored on `self`,',
      '`functools.partial(f, self)` stored on `self`, and the same through aliases (`me = self; self.h = lambda: me`).',
      'Parameter defaults count (`lambda s=self: ...` keeps `self` in `__defaults__`). A closure passed to a method of the',
      'same file that keeps its argument on `self` (`def on_click(self, fn): self.handlers.append(fn)`) is stored too;',
      'a call the rule cannot see (`button.bind(lambda: button...)`) is not assumed to store it.',
    ].join('\n'),
    whyIsThisBad: [
      'A closure keeps the variables it uses alive through its cells (and its defaults, and a partial its',
      'arguments). Stored on the object it captures, it makes object → closure → cell → object: a reference cycle',
      'that reference counting never frees. The object, and all it holds, waits for the cyclic garbage collector.',
    ].join('\n'),
    example: [
      '```python',
      'class Downloader:',
      '    def __init__(self):',
      '        self.on_done = lambda: self.finish()',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      'import weakref',
      '',
      'class Downloader:',
      '    def __init__(self):',
      '        weak_self = weakref.ref(self)',
      '        self.on_done = lambda: weak_self().finish()',
      '```',
    ].join('\n'),
    fixSafety: [
      'The fix is **unsafe**: it binds `weak_<name> = weakref.ref(<name>)` on the line before the lambda (or the',
      'nested `def`) and reads the captured object through `weak_<name>()` inside it. Once the object is gone the',
      'closure sees `None` and fails when it uses it. Offered for lambdas and nested functions that capture one',
      "object in their body (not in defaults); `__slots__` without `'__weakref__'` get it. `functools.partial` gets",
      'no fix.',
    ].join('\n'),
    knownProblems: [
      'Only closures stored by assignment, item assignment or a container add (`append`, `add`, `insert`,',
      '`appendleft`, `setdefault`) are seen; a register call into unseen code is not. Closures at module level are',
      'not reported (a module global is not a cell, and the module keeps it alive anyway). Names bound more than once',
      'in a function are not treated as aliases.',
    ].join('\n'),
  },
};
