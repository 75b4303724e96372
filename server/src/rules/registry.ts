// Every rule GC Lens has: adding a rule is one line here.
import { boundMethodOnSelf } from './boundMethodOnSelf';
import { finalizerInCycle } from './finalizerInCycle';
import { mutableDefaultArgument } from './mutableDefaultArgument';
import { parentBackReference } from './parentBackReference';
import type { Rule } from './ruleTypes';
import { selfCapturingClosure } from './selfCapturingClosure';

export const RULES: readonly Rule[] = [
  mutableDefaultArgument,
  parentBackReference,
  selfCapturingClosure,
  boundMethodOnSelf,
  finalizerInCycle,
];

export function findRule(code: string): Rule | undefined {
  return RULES.find((rule) => rule.code === code);
}
