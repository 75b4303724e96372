// What the cycle rules GCL101–GCL103 and GCL201 share: one check per document over the shared cycle fact, and their metadata.
import { CYCLE_FACTS, type CycleRecord } from '../semantic/cycleFacts';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { Rule, RuleContext } from './ruleTypes';

/** The check of a rule that reports the cycles of one kind: it runs once, on the module node. */
export function checkCyclesOfKind<K extends CycleRecord['kind']>(
  kind: K,
  report: (cycle: Extract<CycleRecord, { kind: K }>, context: RuleContext) => void,
): Rule['check'] {
  return (node: SyntaxNode, context: RuleContext): void => {
    if (node.type !== 'module') return;
    for (const cycle of context.semantic.fact(CYCLE_FACTS).cycles) {
      if (cycle.kind === kind) report(cycle as Extract<CycleRecord, { kind: K }>, context);
    }
  };
}

/**
 * Cycles are Information by default; the rules relate statements across methods (the class model), so an edit
 * re-runs them on the whole module, once (on the module node).
 */
export const CYCLE_RULE_BASE = {
  lifetime: 'cycle',
  defaultSeverity: 'information',
  nodeKinds: ['module'],
  locality: 'module',
} as const satisfies Pick<Rule, 'lifetime' | 'defaultSeverity' | 'nodeKinds' | 'locality'>;
