// How a simulated run ended, as one readable phrase: shared by the CLI summary, the trace text and the report page.
import { DEFAULT_BUDGETS } from '../simulator/simulate';
import type { SimulationEnd } from '../simulator/simulatorTypes';

const BUDGET_NAMES: Readonly<Record<Extract<SimulationEnd, { kind: 'budget' }>['budget'], string>> = {
  maxSteps: 'step budget',
  maxObjects: 'object budget',
  maxMillis: 'wall-time budget',
  maxOutputChars: `output budget (${DEFAULT_BUDGETS.maxOutputChars.toLocaleString('en-US')} characters)`,
};

/** `stopped at line 7: unsupported construct \`yield\` (…)`, `ran to the end`, `uncaught ValueError at line 3`. */
export function describeEnd(end: SimulationEnd): string {
  switch (end.kind) {
    case 'completed':
      return 'ran to the end';
    case 'exception':
      return `uncaught ${end.exceptionType} at line ${end.line}`;
    case 'exit':
      return `sys.exit() at line ${end.line}`;
    case 'syntax-error':
      return `syntax error at line ${end.line}: ${end.message}`;
    case 'unsupported':
      return `stopped at line ${end.line}: unsupported construct \`${end.construct}\` (the summary covers the run up to there)`;
    case 'budget':
      return `stopped at line ${end.line}: ${BUDGET_NAMES[end.budget]} exhausted (the summary covers the run up to there)`;
    default: {
      const unexpected: never = end;
      return `ended: ${JSON.stringify(unexpected)}`;
    }
  }
}
