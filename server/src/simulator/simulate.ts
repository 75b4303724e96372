// The simulator's entry point: parse, compile, run the module, then the interpreter exit sequence; never throws.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { PythonParser } from '../syntax/syntaxTypes';
import { copySyntaxTree } from '../syntax/copiedTree';
import { parseableText } from '../syntax/lineBreaks';
import type { ModuleCode } from './ast';
import { installBuiltins } from './builtinFunctions';
import { collectGarbage } from './collector';
import { compileModule } from './compile';
import { Interp } from './interp';
import { runFinalizersAtExit } from './modules/functoolsAndFinalize';
import { newModule } from './modules/registry';
import type { InstanceObj, PyObject } from './objects';
import { isStackExhaustion, PyError, RunStopped } from './runtime';
import { reprOf, strOf } from './reprs';
import type { LineSnapshot, SimulateOptions, SimulationEnd, SimulationResult, SimulationSummary, LineRun } from './simulatorTypes';
import { formatException } from './tracebacks';
import { versionProfile } from './versionProfile';
import { callObject } from './calls';
import { releaseArgs } from './interp';
import { planSnapshots, snapshotExecutionOf, takeHeapTimeline, takeLineRuns, takeSnapshots, type SnapshotPlan } from './trace';
import { endOfRunGarbage, leakDetails, type EndOfRunGarbage } from './garbageGroups';
import { nestingViolation, type NestingViolation } from './nestingLimits';
import { emptyBlockError } from './emptyBlocks';

export const DEFAULT_BUDGETS = { maxSteps: 1_000_000, maxObjects: 1_000_000, maxMillis: 10_000, maxOutputChars: 10_000_000 } as const;

/** The first ERROR or MISSING node in document order, found with an explicit stack (trees can be 10,000 levels deep). */
function firstErrorNode(root: SyntaxNode): SyntaxNode | null {
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ERROR' || node.isMissing) return node;
    const children = node.children;
    const before = stack.length;
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index];
      if (child.hasError || child.isMissing) stack.push(child);
    }
    // A node that has an error but no child holding one is where the error is.
    if (stack.length === before && node.hasError) return node;
  }
  return null;
}

/** The construct a run that ran out of JS stack names (the program is valid Python; this thread's stack was too small). */
const STACK_EXHAUSTED = 'nesting or recursion deeper than the simulator\'s stack allows (gclens simulate runs with a larger stack)';

function stoppedEnd(error: RunStopped): SimulationEnd {
  return error.reason.kind === 'budget' ? { kind: 'budget', budget: error.reason.budget, line: error.line } : { kind: 'unsupported', construct: error.reason.construct, line: error.line };
}

/** CPython refuses to compile the file (stderr as it prints it): the program never starts. */
function refusedResult(stderr: string, line: number, message: string): SimulationResult {
  return {
    output: [{ stream: 'stderr', text: stderr }],
    exitCode: 1,
    end: { kind: 'syntax-error', line, message },
    events: [],
    snapshots: [],
    summary: emptySummary(),
  };
}

/** CPython refuses to compile source nested past its limits: the program never starts. */
function nestingResult(violation: NestingViolation): SimulationResult {
  return refusedResult(violation.stderr, violation.line, violation.message);
}

function emptySummary(steps = 0): SimulationSummary {
  return { steps, objectsAllocated: 0, leakedAtExit: [], cyclicGarbage: [], collections: 0 };
}

function syntaxErrorResult(source: string, options: SimulateOptions, node: SyntaxNode): SimulationResult {
  const line = node.startPosition.row + 1;
  const text = source.split(/\r\n|\r|\n/)[line - 1] ?? '';
  const indent = text.length - text.trimStart().length;
  const caret = ' '.repeat(4 + Math.max(0, node.startPosition.column - indent)) + '^';
  const message = 'invalid syntax';
  return refusedResult(`  File "${options.fileName}", line ${line}\n    ${text.trim()}\n${caret}\nSyntaxError: ${message}\n`, line, message);
}

/** Test seams: look at the interpreter's heap after the module ran, before the exit sequence. */
export interface SimulateHooks {
  readonly beforeShutdown?: (interp: Interp) => void;
}

/** A module ready to run: compiled, or the result a run would give without starting (syntax error, nesting, crash). */
export type PreparedModule = { readonly kind: 'compiled'; readonly module: ModuleCode } | { readonly kind: 'not-runnable'; readonly result: SimulationResult };

/**
 * Parses and compiles `source` for the options' file name and target version. The compiled module is immutable, so
 * one preparation serves any number of runs (the editor's worker replays it for hover snapshots).
 */
export function prepareModule(source: string, parser: PythonParser, options: SimulateOptions): PreparedModule {
  try {
    const tree = parser.parse(source);
    try {
      const errorNode = tree.rootNode.hasError ? firstErrorNode(tree.rootNode) : null;
      // The passes below read every node: on an error-free tree they read a plain copy (one walk of the parser's tree).
      const root = errorNode ? tree.rootNode : copySyntaxTree(tree.rootNode, parseableText(source));
      const violation = nestingViolation(root, source, options.fileName, versionProfile(options.targetVersion).minor, errorNode === null);
      // tree-sitter gives up on deep indentation with an ERROR spanning it: the limit CPython reports wins there too.
      if (violation && (!errorNode || violation.line <= errorNode.endPosition.row + 1)) return { kind: 'not-runnable', result: nestingResult(violation) };
      if (errorNode) return { kind: 'not-runnable', result: syntaxErrorResult(source, options, errorNode) };
      const emptyBlock = emptyBlockError(root, source, options.fileName, versionProfile(options.targetVersion).minor);
      if (emptyBlock) return { kind: 'not-runnable', result: refusedResult(emptyBlock.stderr, emptyBlock.line, emptyBlock.message) };
      return { kind: 'compiled', module: compileModule(root, source) };
    } finally {
      tree.dispose();
    }
  } catch (error) {
    if (isStackExhaustion(error)) return { kind: 'not-runnable', result: { ...internalFailure([], error, 0), end: { kind: 'unsupported', construct: STACK_EXHAUSTED, line: 0 } } };
    return { kind: 'not-runnable', result: internalFailure([], error, 0) };
  }
}

export function simulate(source: string, parser: PythonParser, options: SimulateOptions, hooks: SimulateHooks = {}): SimulationResult {
  return runPrepared(prepareModule(source, parser, options), options, hooks);
}

/** Runs a prepared module (never throws). */
export function runPrepared(prepared: PreparedModule, options: SimulateOptions, hooks: SimulateHooks = {}): SimulationResult {
  if (prepared.kind === 'not-runnable') return prepared.result;
  const plan: SnapshotPlan = { kind: 'lines', ...(options.snapshotLines ? { lines: new Set(options.snapshotLines) } : {}) };
  return runWithPlan(prepared.module, options, plan, hooks);
}

function runWithPlan(module: ModuleCode, options: SimulateOptions, plan: SnapshotPlan, hooks: SimulateHooks): SimulationResult {
  let it: Interp | null = null;
  try {
    it = new Interp(versionProfile(options.targetVersion), options.fileName, module.lines);
    planSnapshots(it, plan, options.trace === true && options.events !== false);
    return run(it, module, options, hooks);
  } catch (error) {
    return internalFailure(it ? it.rt.output : [], error, it ? it.rt.line : 0);
  }
}

/**
 * Heap snapshots of a traced run taken again by a deterministic replay: the same module and options run until each
 * line's snapshot execution (`snapshotExecutionOf` its count in the first run) and no further, so each snapshot is
 * exactly the one a run recording every line would have kept. Lines the replay did not reach (a run that differs,
 * which would be a simulator bug) are missing from the answer; the time budget is lifted, since the first run
 * reached them all within its own.
 */
export function replaySnapshots(prepared: PreparedModule, options: SimulateOptions, lines: readonly LineRun[]): readonly LineSnapshot[] {
  if (prepared.kind === 'not-runnable' || lines.length === 0) return [];
  const replayOptions: SimulateOptions = { ...options, trace: true, events: false, budgets: { ...options.budgets, maxMillis: REPLAY_MAX_MILLIS } };
  const points = new Map(lines.map((run) => [run.line, snapshotExecutionOf(run.executions)]));
  const executions = new Map(lines.map((run) => [run.line, run.executions]));
  return runWithPlan(prepared.module, replayOptions, { kind: 'points', points }, {}).snapshots.map((snapshot) => ({ ...snapshot, executions: executions.get(snapshot.line) ?? snapshot.executions }));
}

/** A replay's time budget: generous, since the first run already reached every point within its own budget. */
const REPLAY_MAX_MILLIS = 60_000;

function internalFailure(output: SimulationResult['output'], error: unknown, line: number): SimulationResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    output,
    exitCode: 1,
    end: { kind: 'unsupported', construct: `internal simulator error: ${message}`, line },
    events: [],
    snapshots: [],
    summary: emptySummary(),
  };
}

function run(it: Interp, module: ModuleCode, options: SimulateOptions, hooks: SimulateHooks): SimulationResult {
  const budgets = { ...DEFAULT_BUDGETS, ...options.budgets };
  const rt = it.rt;
  rt.maxSteps = budgets.maxSteps;
  rt.deadline = Date.now() + budgets.maxMillis;
  rt.maxOutputChars = budgets.maxOutputChars;
  it.heap.maxObjects = budgets.maxObjects;
  it.heap.trace = options.trace === true;
  it.heap.traceEvents = options.trace === true && options.events !== false;
  installBuiltins(it);
  const main = newModule(it, '__main__');
  it.mainModule = main.module;
  it.modules.set('__main__', main.module);
  main.value('__builtins__', it.heap.incref(it.builtins));
  main.value('__file__', rt.str(options.fileName));
  main.value('__doc__', rt.none());
  const globals = main.module.dict;
  const frame = it.newFrame(null, globals, globals, '<module>', 0);
  it.frame = frame;
  // The interpreter's own start-up objects are not the program's allocations.
  it.heap.counts.splice(0, 3, 0, 0, 0);
  let end: SimulationEnd = { kind: 'completed' };
  let exitCode = 0;
  let pending: InstanceObj | null = null;
  try {
    it.execBlock(module.body);
  } catch (caught) {
    // An allocation JS refused at module level (string/array length, BigInt size) is Python's MemoryError.
    const error = caught instanceof RangeError && !isStackExhaustion(caught) ? new PyError(rt.makeException('MemoryError')) : caught;
    if (error instanceof PyError) {
      it.addTraceback(error, frame);
      pending = error.exc;
    } else if (error instanceof RunStopped) {
      end = stoppedEnd(error);
    } else if (isStackExhaustion(error)) {
      // Outside any Python frame (a deep expression at module level): the heap may be mid-update, so no exit sequence.
      end = { kind: 'unsupported', construct: STACK_EXHAUSTED, line: rt.line };
    } else throw error;
  }
  hooks.beforeShutdown?.(it);
  // GCL901/902 look at the heap as the module's code left it: what the program can still reach is its own.
  const endOfRun = options.trace && end.kind === 'completed' ? endOfRunGarbage(it, [it.mainModule, frame, it.builtins, ...it.modules.values()]) : undefined;
  if (pending) {
    const result = reportUncaught(it, pending, frame.line);
    end = result.end;
    exitCode = result.exitCode;
  }
  if (end.kind === 'completed' || end.kind === 'exception' || end.kind === 'exit') {
    try {
      exitCode = shutdown(it, frame, exitCode);
    } catch (error) {
      if (error instanceof RunStopped) end = stoppedEnd(error);
      else if (isStackExhaustion(error)) end = { kind: 'unsupported', construct: STACK_EXHAUSTED, line: it.rt.line };
      else throw error;
    }
  }
  const heap = it.heap;
  const leakedObjects: PyObject[] = [];
  for (let g = 0; g < 4; g++) for (const obj of heap.generations[g]) if (obj.cls.builtin === null || obj.kind === 'instance') leakedObjects.push(obj);
  const leaked = leakedObjects.map((obj) => heap.label(obj));
  return {
    output: rt.output,
    exitCode,
    end,
    events: heap.events,
    snapshots: options.trace ? takeSnapshots(it) : [],
    ...(options.trace ? { lineRuns: takeLineRuns(it) } : {}),
    ...(takeHeapTimeline(it) ? { heapTimeline: takeHeapTimeline(it) } : {}),
    summary: {
      steps: rt.steps,
      objectsAllocated: heap.allocated,
      leakedAtExit: leaked,
      cyclicGarbage: heap.cyclicGarbage,
      collections: it.collectionsRun[0] + it.collectionsRun[1] + it.collectionsRun[2],
      ...(options.trace ? traceSummary(it, endOfRun, leakedObjects) : {}),
    },
  };
}

/** GCL901/902's part of the summary: collected cycles plus those still waiting, objects kept alive or leaked. */
function traceSummary(it: Interp, endOfRun: EndOfRunGarbage | undefined, leakedAtExit: readonly PyObject[]): Pick<SimulationSummary, 'garbageGroups' | 'leaks'> {
  const kept = new Map<PyObject, string | undefined>([...(endOfRun?.kept ?? [])].filter(([obj]) => obj.cls.builtin === null || obj.kind === 'instance'));
  for (const obj of leakedAtExit) if (!kept.has(obj)) kept.set(obj, undefined);
  return { garbageGroups: [...it.heap.garbageGroups, ...(endOfRun?.waiting ?? [])], leaks: leakDetails(it, kept) };
}

/** PyErr_Print: SystemExit sets the exit status, anything else prints its traceback and exits with 1. */
function reportUncaught(it: Interp, exc: InstanceObj, line: number): { end: SimulationEnd; exitCode: number } {
  const rt = it.rt;
  if (rt.isInstanceOf(exc, 'SystemExit')) {
    const code = exc.exc?.args.items[0];
    let exitCode = 0;
    if (code && code.kind === 'int') exitCode = Number(code.value);
    else if (code && code.kind !== 'none') {
      rt.write('stderr', strOf(it, code) + '\n');
      exitCode = 1;
    }
    it.heap.decref(exc);
    return { end: { kind: 'exit', line }, exitCode };
  }
  rt.write('stderr', formatException(it, exc));
  const tbLine = lastTracebackLine(exc) ?? line;
  const typeName = exc.cls.name;
  it.heap.decref(exc);
  return { end: { kind: 'exception', exceptionType: typeName, line: tbLine }, exitCode: 1 };
}

function lastTracebackLine(exc: InstanceObj): number | undefined {
  let tb = exc.exc?.traceback ?? null;
  let line: number | undefined;
  while (tb) {
    line = tb.line;
    tb = tb.next;
  }
  return line;
}

/** Py_FinalizeEx as observed: atexit handlers (newest first), then the __main__ module graph is collected. */
function shutdown(it: Interp, moduleFrame: PyObject, exitCode: number): number {
  const heap = it.heap;
  heap.recordDrops = false;
  while (it.atexit.length) {
    const entry = it.atexit.pop()!;
    try {
      if (!entry.func) runFinalizersAtExit(it);
      else {
        const args = entry.args;
        try {
          heap.decref(callObject(it, entry.func, args, entry.kwargs));
        } finally {
          releaseArgs(it, args);
          heap.decref(entry.func);
        }
      }
    } catch (error) {
      if (!(error instanceof PyError)) throw error;
      if (it.rt.isInstanceOf(error.exc, 'SystemExit')) {
        heap.decref(error.exc);
        continue;
      }
      it.rt.write('stderr', `Exception ignored in atexit callback: ${entry.func ? reprOf(it, entry.func) : '<function finalize._exitfunc>'}\n` + formatException(it, error.exc));
      heap.decref(error.exc);
    }
  }
  it.exiting = true;
  heap.decref(moduleFrame);
  const main = it.mainModule;
  const dict = main.kind === 'module' ? main.dict : null;
  // Observed teardown order (fin_del_at_exit, seed001_m; 3.6-3.13): garbage cycles are finalized first; then the
  // objects the globals refer to directly, in the globals' order; then the globals are released in order, so
  // containers free their items as their deallocation does (lists last item first); a last collection frees
  // what is left in cycles.
  collectGarbage(it, 2, 'manual');
  if (dict) {
    for (const entry of [...dict.entries.values()]) {
      const value = entry.value;
      if (value.freed || value.finalized || !heap.hasFinalizer(value)) continue;
      value.finalized = true;
      heap.incref(value);
      if (value.kind === 'generator') it.finalizeGenerator(value);
      else it.runDel(value);
      heap.decref(value);
    }
    heap.incref(dict);
    for (const [key, entry] of [...dict.entries]) {
      if (entry.key.kind !== 'str' || entry.value.kind === 'none' || entry.key.value === '__builtins__' || !dict.entries.has(key)) continue;
      const name = entry.key.value;
      heap.withHolder(undefined, () => `global '${name}'`, () => it.rt.dictSetStr(dict, name, it.rt.none()));
    }
    heap.decref(dict);
  }
  it.modules.delete('__main__');
  heap.decref(main);
  collectGarbage(it, 2, 'manual');
  return exitCode;
}
