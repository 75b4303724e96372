// The simulation worker's warm-up at server start: a small program run through every mode the editor uses, so the
// first real hover runs JIT-compiled simulator code instead of cold code (the first run of a module is 5-10x slower).
import { prepareModule, replaySnapshots, runPrepared } from '../simulator/simulate';
import type { SimulateOptions } from '../simulator/simulatorTypes';
import type { PythonParser } from '../syntax/syntaxTypes';

/** Classes, methods, closures, comprehensions, containers, cycles, exceptions, weak references and collections. */
export const WARM_UP_PROGRAM = `import gc
import weakref


class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = []

    def add(self, name):
        child = Node(name, self)
        self.children.append(child)
        return child


def build(depth, width):
    root = Node('root')
    level = [root]
    for _ in range(depth):
        level = [node.add(f'{node.name}.{i}') for node in level for i in range(width)]
    return root


def counter():
    count = {'n': 0}
    def bump(step=1):
        count['n'] += step
        return count['n']
    return bump


total = 0
for round_ in range(2):
    tree = build(2, 3)
    probe = weakref.ref(tree)
    bump = counter()
    total += sum(bump() for _ in range(5)) + len(tree.children)
    try:
        {'a': 1}['missing']
    except KeyError as error:
        message = str(error)
    pairs = {key: (key, [key] * 2) for key in range(10)}
    del tree
    gc.collect()
print(total, probe() is None, gc.collect())
`;

/**
 * Paths a module of a thousand lines takes and the program above does not, run once without events: the clock checks
 * (every 1,024 steps, every 4,096 objects a collection's passes visit) and automatic collections of generations 0 and
 * 1. Without it the first such module after start deoptimizes the interpreter's step, allocation and collector code
 * (insufficient type feedback) and runs in slower code until V8 optimizes it again.
 */
export const WARM_UP_LONG_PROGRAM = `import gc
gc.set_threshold(100, 2, 10)
kept = [[i] for i in range(1400)]
print(len(kept), gc.collect())
`;

/**
 * Rounds of the warm-up. Measured in-process on the 1,000-line hover bench module (load ~2.5): its first run takes
 * ~420-570 ms cold, ~240-280 ms after this warm-up (~0.4 s of the worker's time at start), ~170-200 ms after a
 * warm-up three times as long, ~100 ms hot.
 */
const WARM_UP_ROUNDS = 2;

/** Runs the warm-up program as the editor does: runs without events, a replay, and the first steps of a full trace. */
export function warmUpSimulator(parser: PythonParser): void {
  const options: SimulateOptions = { targetVersion: '3.12', fileName: 'warm_up.py', trace: true };
  const lineOf = (text: string): number => WARM_UP_PROGRAM.split('\n').findIndex((line) => line.includes(text)) + 1;
  const hovered = [lineOf('tree = build'), lineOf('child = Node'), lineOf('del tree')];
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    const prepared = prepareModule(WARM_UP_PROGRAM, parser, options);
    const light = runPrepared(prepared, { ...options, events: false, snapshotLines: hovered.slice(0, 1) });
    if (round === 0) {
      runPrepared(prepared, { ...options, budgets: { maxSteps: 2_000 } }); // the command's full trace, briefly
      runPrepared(prepareModule(WARM_UP_LONG_PROGRAM, parser, options), { ...options, events: false });
    }
    replaySnapshots(prepared, options, (light.lineRuns ?? []).filter((run) => hovered.includes(run.line)));
  }
}
