// Every rule GC Lens has: adding a rule is one line here.
import { boundMethodOnSelf } from './boundMethodOnSelf';
import { finalizerInCycle } from './finalizerInCycle';
import { growOnlyRegistry } from './growOnlyRegistry';
import { mutableDefaultArgument } from './mutableDefaultArgument';
import { parentBackReference } from './parentBackReference';
import type { Rule } from './ruleTypes';
import { selfCapturingClosure } from './selfCapturingClosure';
import { strongObserver } from './strongObserver';

export const RULES: readonly Rule[] = [
  mutableDefaultArgument,
  parentBackReference,
  selfCapturingClosure,
  boundMethodOnSelf,
  finalizerInCycle,
  growOnlyRegistry,
  strongObserver,
];

export function findRule(code: string): Rule | undefined {
  return RULES.find((rule) => rule.code === code);
}
