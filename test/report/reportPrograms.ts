// Python programs the report and trace tests simulate, and one shared parser for them.
import { simulate } from '../../server/src/simulator/simulate';
import type { SimulationResult, TargetVersion } from '../../server/src/simulator/simulatorTypes';
import { loadPythonParser, parserPreferenceFromEnv } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';

/** Two nodes in a cycle, a weak reference with a callback to one of them, finalizers, a collection. */
export const CYCLE_PROGRAM = `import gc, weakref

class Node:
    def __init__(self, name):
        self.name = name
        self.next = None
    def __del__(self):
        print("del", self.name)

a = Node("a")
b = Node("b")
a.next = b
b.next = a
r = weakref.ref(a, lambda ref: print("callback"))
del a, b
print("collected", gc.collect())
`;

let parser: Promise<PythonParser> | null = null;

export function reportParser(): Promise<PythonParser> {
  parser ??= loadPythonParser(parserPreferenceFromEnv()).then((loaded) => loaded.parser);
  return parser;
}

export async function simulateTraced(source: string, targetVersion: TargetVersion = '3.12', fileName = 'cycle.py'): Promise<SimulationResult> {
  return simulate(source, await reportParser(), { targetVersion, fileName, trace: true });
}
