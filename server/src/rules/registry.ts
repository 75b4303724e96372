// Every rule GC Lens has: adding a rule is one line here.
import { finalizerKeepsObjectAlive } from './finalizerKeepsObjectAlive';
import { methodCacheRetainsSelf } from './methodCacheRetainsSelf';
import { mutableDefaultArgument } from './mutableDefaultArgument';
import { selfReferencingObject } from './selfReferencingObject';
import { storedFrame } from './storedFrame';
import { storedTraceback } from './storedTraceback';
import type { Rule } from './ruleTypes';

export const RULES: readonly Rule[] = [
  mutableDefaultArgument,
  selfReferencingObject,
  storedTraceback,
  storedFrame,
  finalizerKeepsObjectAlive,
  methodCacheRetainsSelf,
];

export function findRule(code: string): Rule | undefined {
  return RULES.find((rule) => rule.code === code);
}
