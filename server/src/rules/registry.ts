// Every rule GC Lens has: adding a rule is one line here.
import { boundMethodOnSelf } from './boundMethodOnSelf';
import { finalizerInCycle } from './finalizerInCycle';
import { finalizerKeepsObjectAlive } from './finalizerKeepsObjectAlive';
import { growOnlyRegistry } from './growOnlyRegistry';
import { methodCacheRetainsSelf } from './methodCacheRetainsSelf';
import { mutableDefaultArgument } from './mutableDefaultArgument';
import { parentBackReference } from './parentBackReference';
import type { Rule, RuleMeta } from './ruleTypes';
import { selfCapturingClosure } from './selfCapturingClosure';
import { selfReferencingObject } from './selfReferencingObject';
import { simulatedCyclicGarbage } from './simulatedCyclicGarbage';
import { simulatedUncollectable } from './simulatedUncollectable';
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

/** Rules computed from a simulation of the module, not from the tree (analysis/simulationFindings.ts reports them). */
export const SIMULATION_RULES: readonly RuleMeta[] = [
  simulatedCyclicGarbage,
  simulatedUncollectable,
];

/** Every rule code GC Lens has: what docs, SARIF, settings validation and `--select` know. */
export const RULE_CATALOGUE: readonly RuleMeta[] = [...RULES, ...SIMULATION_RULES];

export function findRule(code: string): Rule | undefined {
  return RULES.find((rule) => rule.code === code);
}
