// Trace mode: labelled references (holders) and per-line heap snapshots with refcounts, generations and cycles.
import type { Interp } from './interp';
import type { DictObj, FunctionObj, PyObject } from './objects';
import { getrefcountPrints } from './modules/sysModule';
import type { HeapChange, Holder, LineRun, LineSnapshot, ObjectSnapshot } from './simulatorTypes';

export const MAX_OBJECTS_PER_SNAPSHOT = 200;
const SNAPSHOT_EVERY_TIME = 64;

/** Every reference an object holds, with CPython-ish labels (`item 0`, `attribute 'next'`, `__self__`). */
export function labelledReferents(obj: PyObject): [PyObject, string][] {
  const out: [PyObject, string][] = [];
  switch (obj.kind) {
    case 'list':
    case 'tuple':
      obj.items.forEach((x, i) => out.push([x, `item ${i}`]));
      break;
    case 'dict':
      for (const e of obj.entries.values()) {
        const key = e.key.kind === 'str' ? `'${e.key.value}'` : e.key.kind === 'int' ? String(e.key.value) : 'a key';
        out.push([e.key, 'key'], [e.value, `value for ${key}`]);
      }
      break;
    case 'set':
    case 'frozenset':
      for (const v of obj.entries.values()) out.push([v, 'member']);
      break;
    case 'instance':
      // A materialized `__dict__` that is an object of its own holds the attributes (one reference each, not two).
      if (obj.dict && !obj.dict.invisible) out.push([obj.dict, '__dict__']);
      else for (const e of obj.attrs?.values() ?? []) out.push([e.value, `attribute '${e.key.kind === 'str' ? e.key.value : '?'}'`]);
      for (const [k, v] of obj.slotValues ?? []) out.push([v, `attribute '${k}'`]);
      break;
    case 'function':
      if (obj.defaults) out.push([obj.defaults, '__defaults__']);
      if (obj.closure) out.push([obj.closure, '__closure__']);
      if (obj.dict) out.push([obj.dict, '__dict__']);
      break;
    case 'cell':
      if (obj.ref) out.push([obj.ref, 'cell contents']);
      break;
    case 'method':
      out.push([obj.self, '__self__'], [obj.func, '__func__']);
      break;
    case 'frame':
      obj.locals.forEach((v, i) => {
        if (v) out.push([v, `local '${obj.code?.varnames[i] ?? obj.code?.freevars[i - (obj.code?.varnames.length ?? 0)] ?? i}'`]);
      });
      break;
    case 'weakref':
      // The callback is a strong reference (weakref's tp_traverse visits it); the target is not.
      if (obj.callback) out.push([obj.callback, '__callback__']);
      break;
    case 'traceback':
      out.push([obj.frame, 'tb_frame']);
      if (obj.next) out.push([obj.next, 'tb_next']);
      break;
    default:
      break;
  }
  return out;
}

function label(it: Interp, obj: PyObject): string {
  return it.heap.label(obj);
}

/** Strongly connected components over the snapshot's objects (Tarjan), for cycle membership. */
function cyclesOf(objects: PyObject[], edges: Map<PyObject, PyObject[]>): Map<PyObject, PyObject[]> {
  const index = new Map<PyObject, number>();
  const low = new Map<PyObject, number>();
  const stack: PyObject[] = [];
  const onStack = new Set<PyObject>();
  const result = new Map<PyObject, PyObject[]>();
  let counter = 0;
  const visit = (v: PyObject): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: PyObject[] = [];
      let w: PyObject;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (edges.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) for (const c of component) result.set(c, component);
    }
  };
  for (const o of objects) if (!index.has(o)) visit(o);
  return result;
}

/** A function as a holder label names it: `lambda (line 9)`, or its qualified name. */
function functionDescription(fn: FunctionObj): string {
  return fn.code.isLambda ? `lambda (line ${fn.code.span.line})` : fn.qualname;
}

/** Who owns the tuples and cells the raw labels only number: `__defaults__ of f`, `cell of lambda (line 9)`. */
interface LabelContext {
  readonly defaultsOf: Map<PyObject, FunctionObj>;
  readonly closureOf: Map<PyObject, FunctionObj>;
  readonly cellOwner: Map<PyObject, FunctionObj>;
  readonly cellLocal: Map<PyObject, string>;
}

function labelContext(objects: readonly PyObject[], cellLocal: Map<PyObject, string>): LabelContext {
  const context: LabelContext = { defaultsOf: new Map(), closureOf: new Map(), cellOwner: new Map(), cellLocal };
  for (const obj of objects) {
    if (obj.kind !== 'function') continue;
    if (obj.defaults) context.defaultsOf.set(obj.defaults, obj);
    if (obj.closure) {
      context.closureOf.set(obj.closure, obj);
      for (const cell of obj.closure.items) if (!context.cellOwner.has(cell)) context.cellOwner.set(cell, obj);
    }
  }
  return context;
}

/** The label of the reference `parent` holds under its raw label (`item 0`, `cell contents`, `__self__`). */
function holderLabel(it: Interp, parent: PyObject, raw: string, index: number, context: LabelContext): string {
  if (parent.kind === 'tuple') {
    const defaultsOf = context.defaultsOf.get(parent);
    if (defaultsOf) return parent.items.length === 1 ? `__defaults__ of ${defaultsOf.qualname}` : `__defaults__[${index}] of ${defaultsOf.qualname}`;
    const closureOf = context.closureOf.get(parent);
    if (closureOf) return `${raw} of __closure__ of ${functionDescription(closureOf)}`;
  }
  if (parent.kind === 'cell') {
    const owner = context.cellOwner.get(parent);
    if (owner) return `cell of ${functionDescription(owner)}`;
    const local = context.cellLocal.get(parent);
    if (local !== undefined) return `cell of local '${local}'`;
  }
  if (parent.kind === 'dict' && parent.owner) {
    // An instance's own `__dict__`: its values are that instance's attributes.
    const key = /^value for '(.*)'$/.exec(raw)?.[1];
    if (key !== undefined) return `attribute '${key}' of ${label(it, parent.owner)}`;
  }
  if (parent.kind === 'method') {
    const func = parent.func.kind === 'function' ? parent.func.qualname : label(it, parent.func);
    return `${raw} of bound method ${func}`;
  }
  if (parent.kind === 'function' && raw === '__defaults__') return `__defaults__ of ${parent.qualname}`;
  return `${raw} of ${label(it, parent)}`;
}

/** Per run: holders and object snapshots reused from line to line while they stay the same. */
interface TraceCache {
  /** Holders whose label depends only on the parent and its raw label (`attribute 'next' of Node#1`). */
  readonly plainHolders: WeakMap<PyObject, Map<string, Holder>>;
  /** The others (`__defaults__ of f`, `cell of lambda (line 9)`), interned by label and holder. */
  readonly labelledHolders: Map<string, Holder>;
  readonly roots: Map<string, Holder>;
  readonly last: WeakMap<PyObject, ObjectSnapshot>;
}

const traceCaches = new WeakMap<Interp, TraceCache>();

function traceCache(it: Interp): TraceCache {
  let cache = traceCaches.get(it);
  if (!cache) {
    cache = { plainHolders: new WeakMap(), labelledHolders: new Map(), roots: new Map(), last: new WeakMap() };
    traceCaches.set(it, cache);
  }
  return cache;
}

/** Parents whose holder labels depend on who owns them (see `holderLabel`). */
function labelDependsOnOwner(parent: PyObject): boolean {
  return parent.kind === 'tuple' || parent.kind === 'cell' || parent.kind === 'method' || parent.kind === 'function';
}

function cachedHolder(it: Interp, cache: TraceCache, parent: PyObject | null, raw: string, index: number, context: LabelContext): Holder {
  if (!parent) {
    let root = cache.roots.get(raw);
    if (!root) cache.roots.set(raw, (root = { label: raw }));
    return root;
  }
  if (labelDependsOnOwner(parent)) {
    const text = holderLabel(it, parent, raw, index, context);
    const holder = label(it, parent);
    const key = `${text}\u0000${holder}`;
    let interned = cache.labelledHolders.get(key);
    if (!interned) cache.labelledHolders.set(key, (interned = { label: text, holder }));
    return interned;
  }
  let byRaw = cache.plainHolders.get(parent);
  if (!byRaw) cache.plainHolders.set(parent, (byRaw = new Map()));
  let holder = byRaw.get(raw);
  if (!holder) byRaw.set(raw, (holder = { label: holderLabel(it, parent, raw, index, context), holder: label(it, parent) }));
  return holder;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function sameLabels(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && sameItems(a, b));
}

/**
 * Which executions of which lines get a heap snapshot. `lines`: the given lines (every line when unset), each on
 * every execution up to 64 and then on powers of two, so a line's snapshot is from execution
 * `snapshotExecutionOf(executions)`; `points`: exactly one execution per line, and the run stops once all are taken
 * (a replay of a run whose execution counts are known).
 */
export type SnapshotPlan =
  | { readonly kind: 'lines'; readonly lines?: ReadonlySet<number> }
  | { readonly kind: 'points'; readonly points: ReadonlyMap<number, number> };

/** Snapshots a full trace keeps in order for the report (which references existed when); past this, none. */
export const MAX_HEAP_TIMELINE = 5000;

/** Per run: execution counts of every line and the snapshots the plan asked for. */
interface LineRecorder {
  readonly plan: SnapshotPlan;
  readonly executions: Map<number, number>;
  readonly snapshots: Map<number, LineSnapshot>;
  /** A full trace (events, every line): every snapshot taken, in order, up to MAX_HEAP_TIMELINE, as changes. */
  readonly timeline?: HeapChange[];
  /** The objects of the timeline's last snapshot, by label. */
  readonly timelineObjects?: Map<string, ObjectSnapshot>;
  /** Points still to take (`points` plans). */
  remaining: number;
}

const recorders = new WeakMap<Interp, LineRecorder>();

/**
 * Sets which snapshots a traced run records (before it starts; the default records every line). `keepTimeline`: a full
 * trace for the report also keeps every snapshot in order.
 */
export function planSnapshots(it: Interp, plan: SnapshotPlan, keepTimeline: boolean): void {
  const fullTrace = keepTimeline && plan.kind === 'lines' && plan.lines === undefined;
  recorders.set(it, { plan, executions: new Map(), snapshots: new Map(), remaining: plan.kind === 'points' ? plan.points.size : 0, ...(fullTrace ? { timeline: [], timelineObjects: new Map() } : {}) });
}

function recorderOf(it: Interp): LineRecorder {
  let recorder = recorders.get(it);
  if (!recorder) {
    recorder = { plan: { kind: 'lines' }, executions: new Map(), snapshots: new Map(), remaining: 0 };
    recorders.set(it, recorder);
  }
  return recorder;
}

/** The execution a line's snapshot shows when it ran `executions` times: the last, or past 64 the last power of two. */
export function snapshotExecutionOf(executions: number): number {
  return executions <= SNAPSHOT_EVERY_TIME ? executions : 2 ** Math.floor(Math.log2(executions));
}

/** Whether this execution of the line gets a snapshot under the run's plan. */
function wantsSnapshot(recorder: LineRecorder, line: number, executions: number): boolean {
  const plan = recorder.plan;
  switch (plan.kind) {
    case 'lines':
      // Hot lines: past SNAPSHOT_EVERY_TIME executions only powers of two (the count stays exact), so tracing a long
      // loop stays affordable.
      return (plan.lines === undefined || plan.lines.has(line)) && (executions <= SNAPSHOT_EVERY_TIME || (executions & (executions - 1)) === 0);
    case 'points':
      return recorder.remaining > 0 && plan.points.get(line) === executions;
    default: {
      const never: never = plan;
      return never;
    }
  }
}

/** Counts an execution of the statement on `line` and records the heap after it when the run's plan asks for it. */
export function recordLine(it: Interp, line: number): void {
  const recorder = recorderOf(it);
  const executions = (recorder.executions.get(line) ?? 0) + 1;
  recorder.executions.set(line, executions);
  if (!wantsSnapshot(recorder, line, executions)) return;
  const snapshot = snapshotLine(it, line, executions);
  recorder.snapshots.set(line, snapshot);
  if (recorder.timeline && recorder.timelineObjects && recorder.timeline.length < MAX_HEAP_TIMELINE) recorder.timeline.push(heapChange(snapshot, recorder.timelineObjects));
  // A replay with every point taken ends at its next step, through the usual budget stop (the heap unwinds cleanly).
  if (recorder.plan.kind === 'points' && --recorder.remaining === 0) it.rt.maxSteps = it.rt.steps;
}

/** The heap as seen from the current frame after the `executions`-th run of the statement on `line`. */
function snapshotLine(it: Interp, line: number, executions: number): LineSnapshot {
  const frame = it.frame;
  const profile = it.profile;
  const names: Record<string, string> = {};
  const getrefcount: Record<string, number> = {};
  const roots: [PyObject, Holder][] = [];
  const cellLocal = new Map<PyObject, string>();
  const addNamespace = (namespace: DictObj, kind: string): void => {
    for (const e of namespace.entries.values()) {
      if (e.key.kind !== 'str' || e.key.value.startsWith('__')) continue;
      if (!e.value.immortal) roots.push([e.value, { label: `${kind} '${e.key.value}'` }]);
      if (names[e.key.value] !== undefined) continue; // a local of the same name shadows the global
      names[e.key.value] = label(it, e.value);
      getrefcount[e.key.value] = getrefcountPrints(profile, e.value, e.value.rc, false);
    }
  };
  if (frame.namespace) addNamespace(frame.namespace, frame.namespace === frame.globals ? 'global' : 'class body name');
  const code = frame.code;
  frame.locals.forEach((v, i) => {
    if (!v) return;
    const isLocalSlot = code ? i < code.varnames.length : true;
    const name = code ? (isLocalSlot ? code.varnames[i] : code.freevars[i - code.varnames.length]) : String(i);
    if (name === undefined) return;
    const value = v.kind === 'cell' ? v.ref : v;
    if (v.kind === 'cell') cellLocal.set(v, name);
    roots.push([v, { label: `local '${name}'` }]);
    if (!value) return;
    names[name] = label(it, value);
    getrefcount[name] = getrefcountPrints(profile, value, value.rc, isLocalSlot);
  });
  // Arguments the calling frames still hold while this call runs (before 3.11 the caller keeps its own reference).
  for (const pending of it.pendingArgs) {
    if (pending.frame === frame) continue;
    for (const arg of pending.args) if (!arg.immortal) roots.push([arg, { label: `argument passed by ${pending.frame.funcName}` }]);
  }
  // Inside a function (or class body), the module's globals too: their holders (a function's defaults, a global
  // list) hold the frame's objects as well, and globals the code reads are hoverable there.
  if (frame.globals !== frame.namespace) addNamespace(frame.globals, 'global');
  const edges = new Map<PyObject, PyObject[]>();
  const rawHolders = new Map<PyObject, { parent: PyObject | null; raw: string; index: number }[]>();
  const seen: PyObject[] = [];
  const queue: PyObject[] = [];
  let truncated = false;
  const add = (obj: PyObject, parent: PyObject | null, raw: string, index: number): void => {
    if (obj.immortal) return;
    let list = rawHolders.get(obj);
    if (!list) {
      if (seen.length >= MAX_OBJECTS_PER_SNAPSHOT) {
        truncated = true;
        return;
      }
      list = [];
      rawHolders.set(obj, list);
      seen.push(obj);
      queue.push(obj);
    }
    list.push({ parent, raw, index });
  };
  for (const [obj, holder] of roots) add(obj, null, holder.label, 0);
  for (let head = 0; head < queue.length; head++) {
    const obj = queue[head];
    const out: PyObject[] = [];
    labelledReferents(obj).forEach(([child, raw], index) => {
      if (child.immortal) return;
      add(child, obj, raw, index);
      out.push(child);
    });
    edges.set(obj, out);
  }
  const context = labelContext(seen, cellLocal);
  const cycles = cyclesOf(seen, edges);
  const cache = traceCache(it);
  const objects: ObjectSnapshot[] = seen.map((obj) => {
    const holders = (rawHolders.get(obj) ?? []).map(({ parent, raw, index }) => cachedHolder(it, cache, parent, raw, index, context));
    const generation = obj.tracked && obj.gen <= 2 ? obj.gen : undefined;
    const cycle = cycles.get(obj)?.filter((o) => o !== obj).map((o) => label(it, o));
    const weakTarget = obj.kind === 'weakref' && obj.target && !obj.target.immortal ? label(it, obj.target) : undefined;
    // Objects a line did not change keep the very snapshot object of their last line: far less to allocate and to
    // send from the worker (structured clone keeps shared objects shared).
    const last = cache.last.get(obj);
    if (last && last.refcount === obj.rc && last.generation === generation && last.tracked === obj.tracked && sameItems(last.holders, holders) && sameLabels(last.cycle, cycle) && last.weakTarget === weakTarget) return last;
    const snapshot: ObjectSnapshot = { label: label(it, obj), typeName: obj.cls.name, refcount: obj.rc, holders, generation, tracked: obj.tracked, cycle, allocatedAt: obj.line, ...(weakTarget ? { weakTarget } : {}) };
    cache.last.set(obj, snapshot);
    return snapshot;
  });
  return { line, executions, snapshotExecution: executions, step: it.rt.steps, names, objects, getrefcount, ...(truncated ? { truncated } : {}) };
}

/** The run's snapshots in line order, each with its line's final execution count. */
export function takeSnapshots(it: Interp): LineSnapshot[] {
  const recorder = recorders.get(it);
  if (!recorder) return [];
  return [...recorder.snapshots.values()].sort((a, b) => a.line - b.line).map((snapshot) => {
    const executions = recorder.executions.get(snapshot.line) ?? snapshot.executions;
    return executions === snapshot.executions ? snapshot : { ...snapshot, executions };
  });
}

/** The snapshot as its change from the previous one (whose objects `previous` holds, and is updated to this one's). */
function heapChange(snapshot: LineSnapshot, previous: Map<string, ObjectSnapshot>): HeapChange {
  // Objects a line did not change are the very same snapshot objects as before (see `cache.last`): identity compares.
  const changed = snapshot.objects.filter((object) => previous.get(object.label) !== object);
  const labels = new Set(snapshot.objects.map((object) => object.label));
  const gone = [...previous.keys()].filter((label) => !labels.has(label));
  for (const label of gone) previous.delete(label);
  for (const object of changed) previous.set(object.label, object);
  return { step: snapshot.step ?? 0, line: snapshot.line, changed, gone };
}

/** A full trace's snapshots in the order they were taken, as changes (undefined for other runs). */
export function takeHeapTimeline(it: Interp): readonly HeapChange[] | undefined {
  return recorders.get(it)?.timeline;
}

/** Every line that ran with how many times, in line order (also the lines the plan took no snapshot of). */
export function takeLineRuns(it: Interp): LineRun[] {
  const recorder = recorders.get(it);
  return recorder ? [...recorder.executions].sort((a, b) => a[0] - b[0]).map(([line, executions]) => ({ line, executions })) : [];
}
