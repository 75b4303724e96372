// "Simulate" code lenses (textDocument/codeLens): one above each run of top-level statements, running the file to its end.
import type { CodeLens } from 'vscode-languageserver/node';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { SIMULATE_COMMAND, type SimulateCommandArgs } from './simulateCommand';

/** Definitions only bind a name: simulating up to one shows nothing new, so they get no lens of their own. */
const DEFINITIONS = new Set(['function_definition', 'class_definition', 'decorated_definition']);
/** Neither start nor end a run. */
const NEUTRAL = new Set(['comment']);

/** Runs of consecutive top-level statements other than definitions, as [first row, last row] (0-based). */
export function statementRuns(root: SyntaxNode): [number, number][] {
  const runs: [number, number][] = [];
  let current: [number, number] | null = null;
  for (const child of root.namedChildren) {
    if (NEUTRAL.has(child.type)) continue;
    if (DEFINITIONS.has(child.type) || child.type === 'ERROR') {
      current = null;
      continue;
    }
    const endRow = child.endPosition.column === 0 && child.endPosition.row > child.startPosition.row ? child.endPosition.row - 1 : child.endPosition.row;
    if (current) current[1] = endRow;
    else {
      current = [child.startPosition.row, endRow];
      runs.push(current);
    }
  }
  return runs;
}

/**
 * A lens above each statement run: "Simulate to line N" runs the module from its first line through the run's
 * last (definitions above it included), through the same `gclens.simulate` command with a range.
 */
export function simulationLenses(uri: string, root: SyntaxNode): CodeLens[] {
  return statementRuns(root).map(([first, last]) => {
    const argument: SimulateCommandArgs = { uri, range: { start: { line: 0, character: 0 }, end: { line: last + 1, character: 0 } } };
    return {
      range: { start: { line: first, character: 0 }, end: { line: first, character: 0 } },
      command: { title: `$(debug-start) Simulate to line ${last + 1}`, command: SIMULATE_COMMAND, arguments: [argument] },
    };
  });
}
