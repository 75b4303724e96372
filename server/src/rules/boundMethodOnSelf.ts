// GCL103 bound-method-on-self: a bound method stored on its own object (or what it owns) holds the object: a cycle.
import type { BoundMethodCycle } from '../semantic/cycleFacts';
import { checkCyclesOfKind, CYCLE_RULE_BASE } from './cycleRules';
import type { Rule, RuleContext } from './ruleTypes';
import { weakMethodFix } from './weakrefFixes';

function reportBoundMethod(cycle: BoundMethodCycle, context: RuleContext): void {
  const name = cycle.method.definition.childForFieldName('name');
  const fix = weakMethodFix(cycle, context.semantic);
  context.report({
    range: { start: cycle.bound.startIndex, end: cycle.bound.endIndex },
    message: `${cycle.path.join(', ')}: a reference cycle; freed only by the cyclic GC`,
    related: name ? [{ range: { start: name.startIndex, end: name.endIndex }, message: `\`${cycle.method.owner.name}.${cycle.method.name}\` is an instance method: each bound method holds its instance` }] : [],
    fixes: fix ? [fix] : [],
  });
}

export const boundMethodOnSelf: Rule = {
  code: 'GCL103',
  name: 'bound-method-on-self',
  summary: 'A bound method of an object is stored on that object (or on something it owns): the object and the method form a cycle.',
  ...CYCLE_RULE_BASE,
  fix: 'sometimes',
  check: checkCyclesOfKind('bound-method-on-self', reportBoundMethod),
  doc: {
    whatItDoes: [
      'Flags a bound method `self.m` stored where `self` keeps it: on an attribute of `self`',
      '(`self.cb = self.on_event`), in a container the class creates (`self.handlers.append(self.on_event)` where',
      '`self.handlers = []`), on an object `self` holds (`self.button.on_click = self.on_click`), or wrapped first by',
      '`functools.partial(self.m, ...)` or by a function of the same module that keeps its argument',
      '(`self.run = wrap(self.run)` where `wrap` returns a closure over it). Aliases of `self` (`me = self`) count.',
      'Passing the bound method to a method of the same file that keeps its argument on `self`',
      '(`self.bus.subscribe(self.on_event)` where `subscribe` appends it to `self.subscribers`) counts as storing it.',
      'Only instance methods defined in the class or its bases in the same file are considered.',
    ].join('\n'),
    whyIsThisBad: [
      'A bound method holds a strong reference to its instance (`__self__`). Storing it on the instance makes',
      'instance → attribute → bound method → instance: a reference cycle. Reference counting can never free such an',
      'object; it lives until the cyclic garbage collector happens to run, with everything it references (buffers,',
      'sockets, large caches), and its `__del__` or finalizers run at an unpredictable time.',
    ].join('\n'),
    example: [
      '```python',
      'class Widget:',
      '    def __init__(self):',
      '        self.callback = self.on_event',
      '',
      '    def fire(self):',
      '        self.callback(1)',
      '',
      '    def on_event(self, value):',
      '        print(value)',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      'import weakref',
      '',
      'class Widget:',
      '    def __init__(self):',
      '        self.callback = weakref.WeakMethod(self.on_event)',
      '',
      '    def fire(self):',
      '        self.callback()(1)',
      '',
      '    def on_event(self, value):',
      '        print(value)',
      '```',
      'Or store the plain function (`type(self).on_event`) and pass `self` when calling it.',
    ].join('\n'),
    fixSafety: [
      'The fix is **unsafe**: it stores `weakref.WeakMethod(self.m)` and rewrites every `self.attr(...)` call in the',
      'file to `self.attr()(...)`. Code outside the file that calls the attribute breaks, and calling through a dead',
      'weak method raises `TypeError`. It is offered only when the attribute is assigned once and every other use in',
      'the file is such a call on `self`; never for containers or wrapped methods. When the class has `__slots__`',
      "without `'__weakref__'`, the fix adds it.",
    ].join('\n'),
    knownProblems: [
      'Methods inherited from a base class defined in another module are not known to be methods, so',
      '`self.cb = self.inherited` is not flagged. A function stored on an instance attribute that the rule cannot',
      'see is not assumed to be a method. Calls into code the rule cannot see (`self.button.bind(self.on_click)`)',
      'are not assumed to store anything. Enum classes are skipped: their members live as long as the class anyway.',
      'A cycle broken on purpose in a `close()`-like method, `__exit__` or a `finally` block (`self.cb = None`,',
      '`del self.cb`, `self.handlers.clear()`) is not reported.',
    ].join('\n'),
  },
};
