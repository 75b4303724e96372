// Every rule GC Lens has: adding a rule is one line here.
import { growOnlyRegistry } from './growOnlyRegistry';
import { mutableDefaultArgument } from './mutableDefaultArgument';
import type { Rule } from './ruleTypes';
import { strongObserver } from './strongObserver';

export const RULES: readonly Rule[] = [
  mutableDefaultArgument,
  growOnlyRegistry,
  strongObserver,
];

export function findRule(code: string): Rule | undefined {
  return RULES.find((rule) => rule.code === code);
}
