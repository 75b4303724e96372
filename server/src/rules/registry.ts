// Every rule GC Lens has: adding a rule is one line here.
import { boundMethodOnSelf } from './boundMethodOnSelf';
import { finalizerInCycle } from './finalizerInCycle';
import { finalizerKeepsObjectAlive } from './finalizerKeepsObjectAlive';
import { growOnlyRegistry } from './growOnlyRegistry';
import { methodCacheRetainsSelf } from './methodCacheRetainsSelf';
import { mutableDefaultArgument } from './mutableDefaultArgument';
import { parentBackReference } from './parentBackReference';
import type { Rule } from './ruleTypes';
import { selfCapturingClosure } from './selfCapturingClosure';
import { selfReferencingObject } from './selfReferencingObject';
import { storedFrame } from './storedFrame';
import { storedTraceback } from './storedTraceback';
import { strongObserver } from './strongObserver';

export const RULES: readonly Rule[] = [
  mutableDefaultArgument,
  parentBackReference,
  selfCapturingClosure,
  boundMethodOnSelf,
  selfReferencingObject,
  finalizerInCycle,
  finalizerKeepsObjectAlive,
  methodCacheRetainsSelf,
  growOnlyRegistry,
  strongObserver,
  storedTraceback,
  storedFrame,
];

export function findRule(code: string): Rule | undefined {
  return RULES.find((rule) => rule.code === code);
}
