// The simulated heap: the only place refcounts change; allocation, GC tracking, and CPython-ordered deallocation.
import type { ClassObj, DictObj, FrameObj, InstanceObj, ListObj, ObjectHeader, PyObject, WeakrefObj } from './objects';
import type { GarbageGroup, SimulationEvent } from './simulatorTypes';
import type { FunctionCode } from './ast';
import type { VersionProfile } from './versionProfile';
import { releaseFields } from './releaseFields';

/** The holder of the evaluation's own references (trace events). */
export const TEMPORARY = 'temporary';

/** Kinds of the interpreter's shared immortal values, labelled at their first reference in trace mode. */
const SHARED_VALUE_KINDS: ReadonlySet<PyObject['kind']> = new Set(['none', 'bool', 'int', 'float', 'str', 'bytes']);

/** What the heap needs from the interpreter: running Python code during deallocation. */
export interface HeapHost {
  /** Calls the instance's `__del__` (exceptions become "Exception ignored" reports). */
  runDel(obj: PyObject): void;
  /** Calls a weakref callback with the (dead) weakref (exceptions become "Exception ignored" reports). */
  runWeakrefCallback(ref: WeakrefObj, callback: PyObject): void;
  /** Generators: `close()` on a suspended generator being freed. */
  finalizeGenerator(obj: PyObject): void;
  currentLine(): number;
  /** An automatic collection is due (3.12+ runs it at the next eval-breaker check). */
  collectionDue(): void;
  /** Object budget exceeded. */
  objectBudgetExceeded(): void;
  /** Before 3.11 a code object keeps its last frame for reuse (a "zombie"): that free is not counted. */
  keepsZombieFrame(frame: FrameObj): boolean;
}

/** Kinds that carry a GC header in CPython (allocation counts toward generation 0). */
const GC_KINDS = new Set<PyObject['kind']>([
  'tuple', 'list', 'dict', 'set', 'frozenset', 'cell', 'function', 'class', 'instance', 'method', 'builtin', 'module', 'frame', 'traceback',
  'weakref', 'weakvaluedict', 'weakkeydict', 'weakset', 'finalize', 'partial', 'lru_cache', 'property', 'staticmethod', 'classmethod', 'iterator',
  'generator', 'super', 'opaque',
]);

export const MAX_TRACE_EVENTS = 250_000;

/** Header fields in one fixed order, assigned by a constructor: the hot object kinds extend it (one hidden class each). */
export class HeaderBox {
  rc = 1;
  immortal = false;
  gen = 0;
  gcRefs = 0;
  weakrefs = null;
  finalized = false;
  freed = false;
  cleared = false;
  counted = false;
  label = undefined;
  dropLine = undefined;
  constructor(
    public cls: ClassObj,
    public tracked: boolean,
    readonly serial: number,
    readonly line: number,
  ) {}
}

class InstanceBox extends HeaderBox {
  readonly kind = 'instance';
  attrs = null;
  dict = null;
  exc = null;
  constructor(cls: ClassObj, tracked: boolean, serial: number, line: number, public slotValues: Map<string, PyObject> | null) {
    super(cls, tracked, serial, line);
  }
}

class FrameBox extends HeaderBox {
  readonly kind = 'frame';
  back = null;
  span = null;
  readonly stack: PyObject[] = [];
  executing = true;
  generator = null;
  constructor(
    cls: ClassObj,
    tracked: boolean,
    serial: number,
    line: number,
    readonly code: FunctionCode | null,
    readonly globals: DictObj,
    readonly namespace: DictObj | null,
    readonly locals: (PyObject | null)[],
    readonly funcName: string,
  ) {
    super(cls, tracked, serial, line);
  }
}

class ListBox extends HeaderBox {
  readonly kind = 'list';
  constructor(cls: ClassObj, serial: number, line: number, public items: PyObject[]) {
    super(cls, true, serial, line);
  }
}

class CappedEvents extends Array<SimulationEvent> {
  override push(...items: SimulationEvent[]): number {
    if (this.length + items.length > MAX_TRACE_EVENTS) return this.length;
    return super.push(...items);
  }
}

/** A broken refcount invariant (the simulator's own bug): ends the run as an internal error. */
export class HeapCorruption extends Error {}

export class Heap {
  private serial = 0;
  /** Generations 0-2, then 3 = permanent (gc.freeze), 4 and 5 = a collection's unreachable lists. */
  readonly generations: Set<PyObject>[] = [new Set(), new Set(), new Set(), new Set(), new Set(), new Set()];
  /** gen0: allocations minus frees since the last collection; gen1/gen2: collections of the younger generation. */
  readonly counts: [number, number, number] = [0, 0, 0];
  live = 0;
  allocated = 0;
  maxObjects = Infinity;
  collecting = false;
  enabled = true;
  thresholds: [number, number, number];
  /** Trace events, capped so a long traced run cannot exhaust memory (the first MAX_TRACE_EVENTS are kept). */
  readonly events: SimulationEvent[] = new CappedEvents();
  /** Trace mode: objects are labelled as they are born, drops and garbage are attributed to lines. */
  trace = false;
  /** Trace mode with the event trace (incref/decref with holders, frees, collections, output); implies `trace`. */
  traceEvents = false;
  step = 0;
  /** Objects freed only by the cyclic collector (summary). */
  readonly cyclicGarbage: string[] = [];
  /** Trace mode: the same garbage grouped per cycle with its lines (GCL901). */
  readonly garbageGroups: GarbageGroup[] = [];
  /** Depth of nested deallocations (CPython's trashcan is not modelled; recursion is bounded by the object budget). */
  private freeDepth = 0;
  private readonly pendingFrees: PyObject[] = [];

  constructor(readonly profile: VersionProfile, readonly host: HeapHost) {
    this.thresholds = [profile.threshold0, 10, profile.incrementalGc ? 0 : 10];
  }

  /**
   * Adds the header fields to a kind's body (assigned in place: spreading a header object is two orders of
   * magnitude slower in V8). Tracked unless `track` is false; `register` then counts it.
   */
  init<B extends { readonly kind: PyObject['kind'] }>(cls: ClassObj, track: boolean, body: B): B & ObjectHeader;
  init<B extends { readonly kind: PyObject['kind'] }>(cls: ClassObj, body: B): B & ObjectHeader;
  init<B extends { readonly kind: PyObject['kind'] }>(cls: ClassObj, trackOrBody: boolean | B, maybeBody?: B): B & ObjectHeader {
    const track = typeof trackOrBody === 'boolean' ? trackOrBody : true;
    const o = (typeof trackOrBody === 'boolean' ? maybeBody! : trackOrBody) as B & { -readonly [K in keyof ObjectHeader]: ObjectHeader[K] };
    o.serial = ++this.serial;
    o.rc = 1;
    o.immortal = false;
    o.tracked = track;
    o.gen = 0;
    o.gcRefs = 0;
    o.cls = cls;
    o.weakrefs = null;
    o.finalized = false;
    o.freed = false;
    o.cleared = false;
    o.counted = false;
    o.line = this.host.currentLine();
    o.label = undefined;
    o.dropLine = undefined;
    return o;
  }

  /** Registers a freshly built object: counts it and tracks it if its header says so. */
  register<T extends PyObject>(obj: T, counted = true): T {
    this.live++;
    this.allocated++;
    if (this.live > this.maxObjects) this.host.objectBudgetExceeded();
    if (this.trace) this.label(obj);
    if (GC_KINDS.has(obj.kind)) {
      if (counted) {
        this.counts[0]++;
        obj.counted = true;
      }
      if (this.traceEvents) this.events.push({ kind: 'allocate', step: this.step, line: obj.line, object: this.label(obj) });
      // _PyObject_GC_Link: the collection a new object triggers runs before the object is tracked.
      if (this.enabled && !this.collecting && this.thresholds[0] > 0 && this.counts[0] > this.thresholds[0]) this.host.collectionDue();
      if (obj.tracked) this.generations[0].add(obj);
    } else {
      obj.tracked = false;
    }
    return obj;
  }

  /**
   * CPython's tuple free lists (sizes 1-19, 2000 each): a freed tuple is kept for reuse and its free is not counted;
   * a tuple built from a free-list entry is not counted as an allocation. They start empty for the user's program
   * (observed: thr_get_count, the first gc.get_count() tuple counts once).
   */
  private readonly freeTuples: number[] = new Array<number>(20).fill(0);

  takeFreeTuple(size: number): boolean {
    if (size <= 0 || size >= 20 || this.freeTuples[size] === 0) return false;
    this.freeTuples[size]--;
    return true;
  }

  /** The list free list (80 entries), empty for the user's program too. */
  private freeLists = 0;

  takeFreeList(): boolean {
    if (this.freeLists === 0) return false;
    this.freeLists--;
    return true;
  }

  private keepsFreeTuple(obj: PyObject): boolean {
    if (obj.kind === 'list') {
      if (this.freeLists >= 80) return false;
      this.freeLists++;
      return true;
    }
    if (obj.kind !== 'tuple' || obj.cls.name !== 'tuple') return false;
    const size = obj.items.length;
    if (size <= 0 || size >= 20 || this.freeTuples[size] >= 2000) return false;
    this.freeTuples[size]++;
    return true;
  }

  /** Interpreter-owned objects (builtins, None): never freed; immortal from 3.12. */
  makeStatic<T extends PyObject>(obj: T, rc = 1000): T {
    obj.immortal = true;
    obj.rc = this.profile.immortals ? this.profile.immortalRefcount : rc;
    obj.tracked = false;
    return obj;
  }

  /** Label ordinals by the type's name: a label is the name and its first-use ordinal among that type (`Node#2`, `class Node#1`). */
  private readonly ordinals = new Map<string, number>();

  nextSerial(): number {
    return ++this.serial;
  }

  newInstance(cls: ClassObj, tracked: boolean, slotValues: Map<string, PyObject> | null): InstanceObj {
    return new InstanceBox(cls, tracked, ++this.serial, this.host.currentLine(), slotValues) as unknown as InstanceObj;
  }

  newFrame(cls: ClassObj, tracked: boolean, code: FunctionCode | null, globals: DictObj, namespace: DictObj | null, slots: number, funcName: string): FrameObj {
    const locals = new Array<PyObject | null>(slots).fill(null);
    return new FrameBox(cls, tracked, ++this.serial, this.host.currentLine(), code, globals, namespace, locals, funcName) as unknown as FrameObj;
  }

  newList(cls: ClassObj, items: PyObject[]): ListObj {
    return new ListBox(cls, ++this.serial, this.host.currentLine(), items) as unknown as ListObj;
  }

  label(obj: PyObject): string {
    let label = obj.label;
    if (label === undefined) {
      const base = obj.kind === 'class' ? `class ${obj.name}` : obj.kind === 'function' ? obj.qualname : typeNameOf(obj);
      const n = (this.ordinals.get(base) ?? 0) + 1;
      this.ordinals.set(base, n);
      label = `${base}#${n}`;
      obj.label = label;
    }
    return label;
  }

  track(obj: PyObject): void {
    if (obj.tracked || obj.freed) return;
    obj.tracked = true;
    obj.gen = 0;
    this.generations[0].add(obj);
  }

  untrack(obj: PyObject): void {
    if (!obj.tracked) return;
    obj.tracked = false;
    this.generations[obj.gen].delete(obj);
  }

  /** Moves a tracked object to the end of another list (generation or collection scratch list). */
  moveTo(obj: PyObject, list: number): void {
    this.generations[obj.gen].delete(obj);
    obj.gen = list;
    this.generations[list].add(obj);
  }

  /** Trace mode: the line of each object's last decref by the program (GCL901/902's "last reference dropped"). */
  readonly lastDropLine: { get(obj: PyObject): number | undefined } = { get: (obj) => obj.dropLine };
  /** Off once the exit sequence starts: its teardown drops are not the program's. */
  recordDrops = true;

  /**
   * Trace mode with events: who takes or drops the references being counted. `temporary` (the evaluation's own
   * references: a loaded name, a call's result) unless a store, a deletion or a deallocation is under way, which
   * names its holder (`local 'a'`, `attribute 'next' of Node#1`, `field of list#2`) for its own events only
   * (`withHolder`): a label never sticks to what the statement does next.
   */
  holderHint = TEMPORARY;

  /**
   * Runs `work` with `holder` as the holder of the references it takes or drops (the events' label), then restores.
   * `owner`, the object the label names, is labelled in every traced run, events or not: labels are numbered in
   * first-use order, and a run without events must number them as one with events does.
   */
  withHolder<T>(owner: PyObject | undefined, holder: () => string, work: () => T): T {
    if (owner && this.trace) this.label(owner);
    if (!this.traceEvents) return work();
    const outer = this.holderHint;
    this.holderHint = holder();
    try {
      return work();
    } finally {
      this.holderHint = outer;
    }
  }

  incref(obj: PyObject): PyObject {
    if (obj.freed) throw new HeapCorruption(`incref of freed ${this.label(obj)}`);
    if (!obj.immortal || !this.profile.immortals) obj.rc++;
    if (this.trace) {
      // Labels are numbered in first-use order. A run without events labels what the events would have, and shared
      // values (None, bools, small ints, interned strings) are labelled by their first reference, never by a
      // snapshot: a run may or may not record one (a hover's run records one line, a replay another).
      if (!obj.immortal) {
        if (this.traceEvents) this.events.push({ kind: 'incref', step: this.step, line: this.host.currentLine(), object: this.label(obj), refcount: obj.rc, holder: this.holderHint });
        else this.label(obj);
      } else if (SHARED_VALUE_KINDS.has(obj.kind)) this.label(obj);
    }
    return obj;
  }

  decref(obj: PyObject): void {
    if (obj.immortal) {
      if (!this.profile.immortals) obj.rc--;
      return;
    }
    // A refcount can only reach zero once: a decref of a freed object is a simulator bug, never silent.
    if (obj.freed || obj.rc <= 0) throw new HeapCorruption(`decref of ${obj.freed ? 'freed' : 'unowned'} ${this.label(obj)}`);
    --obj.rc;
    if (this.trace) {
      const line = this.host.currentLine();
      if (this.traceEvents) this.events.push({ kind: 'decref', step: this.step, line, object: this.label(obj), refcount: obj.rc, holder: this.holderHint });
      else this.label(obj);
      if (this.recordDrops) obj.dropLine = line;
    }
    if (obj.rc === 0) this.free(obj);
  }

  /** Drops a reference no store took (a temporary, a value never stored), inside a labelled store. */
  decrefTemporary(obj: PyObject): void {
    const outer = this.holderHint;
    this.holderHint = TEMPORARY;
    try {
      this.decref(obj);
    } finally {
      this.holderHint = outer;
    }
  }

  xdecref(obj: PyObject | null | undefined): void {
    if (obj) this.decref(obj);
  }

  /** Deallocates an object whose refcount reached zero, in CPython's order (finalizer, weakrefs, fields). */
  private free(obj: PyObject): void {
    if (obj.kind === 'instance' || obj.kind === 'generator') {
      if (!obj.finalized && this.hasFinalizer(obj)) {
        obj.finalized = true;
        obj.rc = 1;
        // The finalizer's own references (its bound method, its frame) are the evaluation's, not the dropping holder's.
        this.withHolder(undefined, () => TEMPORARY, () => (obj.kind === 'instance' ? this.host.runDel(obj) : this.host.finalizeGenerator(obj)));
        if (--obj.rc > 0) return; // resurrected
      }
    }
    if (this.freeDepth > 200) {
      // Deep chains: finish the current object first (CPython's trashcan defers the same way).
      this.pendingFrees.push(obj);
      return;
    }
    this.freeDepth++;
    try {
      this.dealloc(obj);
    } finally {
      this.freeDepth--;
    }
    if (this.freeDepth === 0) {
      while (this.pendingFrees.length) {
        const next = this.pendingFrees.pop()!;
        this.freeDepth++;
        try {
          this.dealloc(next);
        } finally {
          this.freeDepth--;
        }
      }
    }
  }

  hasFinalizer(obj: PyObject): boolean {
    if (obj.kind === 'generator') return obj.frame !== null && obj.state === 'suspended';
    if (obj.kind !== 'instance') return false;
    return classHasDel(obj.cls);
  }

  private dealloc(obj: PyObject): void {
    this.untrack(obj);
    // Kept for reuse (a zombie frame, a free-list tuple): CPython does not count that free.
    const kept = obj.kind === 'frame' ? this.host.keepsZombieFrame(obj) : this.keepsFreeTuple(obj);
    if (this.counts[0] > 0 && obj.counted && !kept) this.counts[0]--;
    if (obj.weakrefs) this.clearWeakrefs(obj, true);
    obj.freed = true;
    this.live--;
    if (!this.trace) {
      if (!obj.cleared) this.releaseFields(obj);
      return;
    }
    if (!this.traceEvents) {
      this.label(obj);
      if (!obj.cleared) this.releaseFields(obj);
      return;
    }
    this.events.push({ kind: 'free', step: this.step, line: this.host.currentLine(), object: this.label(obj) });
    // The fields' decrefs are labelled with the dying object; the hint before it is restored after them, so the
    // statement's later increfs are not credited to an object that no longer exists.
    const outer = this.holderHint;
    this.holderHint = `field of ${this.label(obj)}`;
    if (!obj.cleared) this.releaseFields(obj);
    this.holderHint = outer;
  }

  /** Drops every reference the object holds, in the order its tp_dealloc does. */
  releaseFields(obj: PyObject): void {
    releaseFields(this, obj);
  }

  /**
   * Clears every weakref to a dying object, then calls the callbacks (newest first, as CPython's list order gives).
   * `callCallbacks` is false inside the collector, which handles callbacks itself.
   */
  clearWeakrefs(obj: PyObject, callCallbacks: boolean): void {
    const refs = obj.weakrefs ?? [];
    obj.weakrefs = null;
    const withCallbacks: { ref: WeakrefObj; cb: PyObject | null; native: ((r: WeakrefObj) => void) | null }[] = [];
    for (const ref of refs) {
      ref.target = null;
      if (ref.callback || ref.nativeCallback) {
        withCallbacks.push({ ref, cb: ref.callback, native: ref.nativeCallback });
        this.incref(ref);
        ref.callback = null;
        ref.nativeCallback = null;
      }
    }
    for (const { ref, cb, native } of withCallbacks) {
      if (callCallbacks) {
        if (native) native(ref);
        if (cb) {
          if (this.traceEvents) this.events.push({ kind: 'weakref-callback', step: this.step, line: this.host.currentLine(), object: this.label(ref) });
          else if (this.trace) this.label(ref);
          this.withHolder(undefined, () => TEMPORARY, () => this.host.runWeakrefCallback(ref, cb));
        }
      }
      if (cb) this.decref(cb);
      this.decref(ref);
    }
  }
}

/** Whether the class (or a base) defines `__del__`. */
export function classHasDel(cls: ClassObj): boolean {
  for (const c of cls.mro) {
    if (c.builtin === null && lookupStrKey(c.dict, '__del__')) return true;
  }
  return false;
}

export function lookupStrKey(dict: DictObj, name: string): PyObject | undefined {
  return dict.entries.get('s:' + name)?.value;
}

export function typeNameOf(obj: PyObject): string {
  return obj.cls.name;
}
