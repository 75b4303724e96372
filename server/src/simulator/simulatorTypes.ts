// The simulator's contract with the rest of the product: options in, output, events, snapshots and summary out.

/** CPython versions whose observable GC behaviour the simulator reproduces. */
export const TARGET_VERSIONS = ['2.7', '3.6', '3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'] as const;
export type TargetVersion = (typeof TARGET_VERSIONS)[number];

export interface SimulationBudgets {
  /** Evaluation steps before the run stops (DESIGN §4: 1,000,000). */
  readonly maxSteps: number;
  /** Live objects at once before the run stops. */
  readonly maxObjects: number;
  /** Wall-clock milliseconds before the run stops. */
  readonly maxMillis: number;
  /** Characters the program may print (stdout and stderr together) before the run stops; the output is cut there. */
  readonly maxOutputChars: number;
}

export interface SimulateOptions {
  readonly targetVersion: TargetVersion;
  /** The file name tracebacks show (`File "name.py", line 3`). */
  readonly fileName: string;
  readonly budgets?: Partial<SimulationBudgets>;
  /** Record incref/decref events and per-line heap snapshots (the editor's needs); off for plain runs. */
  readonly trace?: boolean;
  /**
   * Trace mode: the lines whose heap snapshots to record (every line when unset). A snapshot costs a walk of the heap,
   * so a hover asks for its line only and fetches others later by a replay (`replaySnapshots`); every line's
   * execution count is kept either way (`lineRuns`).
   */
  readonly snapshotLines?: readonly number[];
  /**
   * Trace mode: record the event trace (the default). Hovers and GCL901/902 read snapshots and the summary only, and
   * a run without events takes about 40% less time (no event objects, no holder labels).
   */
  readonly events?: boolean;
}

/** A line whose statement ran, and how many times. */
export interface LineRun {
  readonly line: number;
  readonly executions: number;
}


/** Why a run ended. */
export type SimulationEnd =
  | { readonly kind: 'completed' }
  | { readonly kind: 'exception'; readonly exceptionType: string; readonly line: number } // uncaught: traceback printed to stderr, exit 1
  | { readonly kind: 'exit'; readonly line: number } // sys.exit / SystemExit
  | { readonly kind: 'syntax-error'; readonly line: number; readonly message: string }
  | { readonly kind: 'unsupported'; readonly construct: string; readonly line: number }
  | { readonly kind: 'budget'; readonly budget: keyof SimulationBudgets; readonly line: number };

/** One output write, in order, so interleaved stdout/stderr can be replayed exactly. */
export interface OutputChunk {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

/** A labelled reference to an object: `local 'a'`, `attribute 'next' of Node#1`, `item 0 of list#4`. */
export interface Holder {
  readonly label: string;
  /** The holding object's label (`Node#1`), or undefined for a namespace/frame slot. */
  readonly holder?: string;
}

export type SimulationEvent =
  | { readonly kind: 'allocate'; readonly step: number; readonly line: number; readonly object: string }
  /** `holder`: who takes or drops the reference (`global 'a'`, `attribute 'next' of Node#1`, `field of list#2`, `temporary`). */
  | { readonly kind: 'incref' | 'decref'; readonly step: number; readonly line: number; readonly object: string; readonly refcount: number; readonly holder: string }
  | { readonly kind: 'free'; readonly step: number; readonly line: number; readonly object: string }
  | { readonly kind: 'collection-start'; readonly step: number; readonly line: number; readonly generation: number; readonly counts: readonly [number, number, number] }
  | { readonly kind: 'collection-end'; readonly step: number; readonly line: number; readonly generation: number; readonly collected: number; readonly uncollectable: number }
  | { readonly kind: 'finalizer'; readonly step: number; readonly line: number; readonly object: string }
  | { readonly kind: 'weakref-callback'; readonly step: number; readonly line: number; readonly object: string }
  | { readonly kind: 'unsupported'; readonly step: number; readonly line: number; readonly construct: string }
  /** What the program printed at that step (trace mode), so a report can show output as of any point. */
  | { readonly kind: 'output'; readonly step: number; readonly line: number; readonly stream: 'stdout' | 'stderr'; readonly text: string };

/** One object as the heap saw it at a point of the run. */
export interface ObjectSnapshot {
  /** Stable label: type name and allocation ordinal, `Node#2`. */
  readonly label: string;
  readonly typeName: string;
  readonly refcount: number;
  readonly holders: readonly Holder[];
  /** 0, 1 or 2 while tracked; undefined when not tracked by the GC. */
  readonly generation?: number;
  readonly tracked: boolean;
  /** Labels of the other members of the strongly connected cycle it belongs to, if any. */
  readonly cycle?: readonly string[];
  /** Line where it was allocated (1-based). */
  readonly allocatedAt: number;
  /** For a weak reference: the label of the object it refers to while that is alive (a reference that holds no count). */
  readonly weakTarget?: string;
}

/** The heap after a line ran (the last time it ran, with how many times it did). */
export interface LineSnapshot {
  readonly line: number;
  readonly executions: number;
  /**
   * Which execution the heap state is from: the last one, except on hot lines, captured on every execution up to 64
   * and then on powers of two only (so a long loop stays affordable to trace).
   */
  readonly snapshotExecution?: number;
  /** The run's evaluation step count when it was taken (event steps at or before it happened before it). */
  readonly step?: number;
  /** Names bound at that point → object label: the innermost namespace's, then (in a function) the module's globals. */
  readonly names: Readonly<Record<string, string>>;
  readonly objects: readonly ObjectSnapshot[];
  /**
   * What `sys.getrefcount(name)` would print at that point on the target version, per name in `names`: the
   * argument's own reference counted or not (3.14 borrows locals), immortal objects' fixed count (3.12+).
   */
  readonly getrefcount?: Readonly<Record<string, number>>;
  /** More objects were reachable than a snapshot keeps (the first 200 found from the frame's names): some are left out. */
  readonly truncated?: boolean;
}

/** One snapshot of a full trace's timeline, as its difference from the previous one (the first: from nothing). */
export interface HeapChange {
  /** The evaluation step after which it was taken. */
  readonly step: number;
  readonly line: number;
  /** Objects new in this snapshot or seen differently (refcount, holders, cycle...): their whole snapshot. */
  readonly changed: readonly ObjectSnapshot[];
  /** Labels of objects the previous snapshot had and this one does not (freed, or not reachable from this frame). */
  readonly gone: readonly string[];
}

/** Objects one collection found unreachable and connected to each other (trace mode: GCL901). */
export interface GarbageGroup {
  /** Labels: instances, classes, functions first, then containers, then the rest, each in the collector's order; an instance's own `__dict__` object is left out. */
  readonly objects: readonly string[];
  /** Allocation line of each object of `objects` (1-based). */
  readonly allocatedAt: readonly number[];
  /** Line of the last reference dropped to any member before the collection found them (undefined if none was). */
  readonly lastReferenceDroppedAt?: number;
  /** Line the collection ran at; for garbage still waiting when the module's code ended, the last line that ran. */
  readonly collectedAt: number;
  /** 0-2; for garbage still waiting at the end, the generation it waited in. */
  readonly generation: number;
  /** No collection ran before the module's code ended: the exit sequence's collection frees them. */
  readonly atExit?: boolean;
}

/**
 * An object alive when the module's code ended that nothing the program reaches uses, kept by interpreter state (the
 * finalizer registry, atexit, `gc.garbage`), or still alive after the exit sequence (trace mode: GCL902).
 */
export interface LeakedObject {
  readonly object: string;
  readonly allocatedAt: number;
  /** Line of the last reference the program dropped to it before the exit sequence, if any. */
  readonly lastReferenceDroppedAt?: number;
  /** What keeps it: `a weakref.finalize registration`, `an atexit handler`, `interpreter state`; unset when still alive after exit. */
  readonly keptBy?: string;
}

export interface SimulationSummary {
  readonly steps: number;
  readonly objectsAllocated: number;
  /** Objects still alive at exit that module teardown does not free. */
  readonly leakedAtExit: readonly string[];
  /** Objects that became unreachable but lived until a cyclic collection freed them. */
  readonly cyclicGarbage: readonly string[];
  readonly collections: number;
  /** Trace mode: `cyclicGarbage` grouped per collection and cycle, with where they came from. */
  readonly garbageGroups?: readonly GarbageGroup[];
  /** Trace mode: objects kept alive only by interpreter state, and `leakedAtExit`, with allocation and last-drop lines. */
  readonly leaks?: readonly LeakedObject[];
}

export interface SimulationResult {
  readonly output: readonly OutputChunk[];
  /** What CPython's process would exit with (0, 1 for an uncaught exception, sys.exit's code). */
  readonly exitCode: number;
  readonly end: SimulationEnd;
  /** Empty unless `trace` was asked for. */
  readonly events: readonly SimulationEvent[];
  readonly snapshots: readonly LineSnapshot[];
  /** Trace mode: every line that ran, in line order, with its execution count (also lines without a snapshot). */
  readonly lineRuns?: readonly LineRun[];
  /**
   * A full trace (events and every line): every snapshot the run took, in order (the first 5,000), each as its change
   * from the one before: which references existed when, so the report's slider can show edges come and go.
   */
  readonly heapTimeline?: readonly HeapChange[];
  readonly summary: SimulationSummary;
}
