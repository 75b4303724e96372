// CPython's cyclic collector: update_refs, subtract_refs, move_unreachable, weakrefs, PEP 442 finalizers, tp_clear.
import type { Interp } from './interp';
import { releaseArgs } from './interp';
import type { PyObject } from './objects';
import { referentsInto } from './objects';
import { mayBeTracked, PyError, RunStopped, type Runtime } from './runtime';
import { hexAddress } from './repr';
import { releaseAttributes } from './releaseFields';
import { reportUnraisable } from './tracebacks';
import { callObject } from './calls';
import { dropLinesOf, recordGarbageGroups } from './garbageGroups';

export const DEBUG_STATS = 1;
export const DEBUG_COLLECTABLE = 2;
export const DEBUG_UNCOLLECTABLE = 4;
export const DEBUG_SAVEALL = 32;

const UNREACHABLE = 4;
const STILL_UNREACHABLE = 5;

/** Objects a collection's passes visit between looks at the clock. */
const OBJECTS_PER_CLOCK_CHECK = 4096;

/**
 * The time budget inside a collection: its first passes visit every object of the generation, and a full collection
 * of a heap at the object budget takes long enough to overrun the editor's time budget if only steps looked at the
 * clock. The passes after finalizers visit only the unreachable objects and are not checked (a stop there would
 * leave them out of every generation).
 */
class CollectionClock {
  private visited = 0;

  constructor(private readonly rt: Runtime | undefined) {}

  /** Counts one object visited; every OBJECTS_PER_CLOCK_CHECK, stops the run once its time is up. */
  visit(): void {
    if (++this.visited % OBJECTS_PER_CLOCK_CHECK === 0 && this.rt && Date.now() > this.rt.deadline) throw new RunStopped({ kind: 'budget', budget: 'maxMillis' }, this.rt.line);
  }
}

/** A clock that never stops the run. */
const UNCHECKED = new CollectionClock(undefined);

/** gc_refs = refcount for every object of the list. */
function updateRefs(list: Set<PyObject>, clock: CollectionClock): void {
  for (const obj of list) {
    clock.visit();
    obj.gcRefs = obj.rc;
  }
}

/** One array for every referents list of a collection's passes (they never nest); each pass reads `[0, count)`. */
const scratch: PyObject[] = [];

/** Subtracts the references objects of the list hold to each other. */
function subtractRefs(list: Set<PyObject>, listIndex: number, clock: CollectionClock): void {
  for (const obj of list) {
    clock.visit();
    const count = referentsInto(obj, scratch);
    for (let index = 0; index < count; index++) {
      const r = scratch[index];
      if (r.tracked && r.gen === listIndex) r.gcRefs--;
    }
  }
}

/**
 * Splits `list` into reachable (left in place, rescued objects appended) and tentatively unreachable objects
 * (moved to `target`), visiting in list order exactly as CPython's move_unreachable does.
 */
function moveUnreachable(it: Interp, listIndex: number, target: number, clock: CollectionClock): void {
  const heap = it.heap;
  const list = heap.generations[listIndex];
  const out = heap.generations[target];
  for (const obj of list) {
    clock.visit();
    if (obj.gcRefs > 0) {
      const count = referentsInto(obj, scratch);
      for (let index = 0; index < count; index++) {
        const r = scratch[index];
        if (!r.tracked) continue;
        if (r.gen === target && out.has(r)) {
          heap.moveTo(r, listIndex);
          r.gcRefs = 1;
        } else if (r.gen === listIndex && r.gcRefs === 0) {
          r.gcRefs = 1;
        }
      }
    } else {
      heap.moveTo(obj, target);
    }
  }
}

/** A dict whose keys and values can never be tracked: a full collection stops tracking it (CPython's dict untracking). */
function holdsOnlyAtoms(dict: PyObject & { kind: 'dict' }): boolean {
  for (const entry of dict.entries.values()) if (mayBeTracked(entry.key) || mayBeTracked(entry.value)) return false;
  return true;
}

function hasFinalizer(it: Interp, obj: PyObject): boolean {
  return it.heap.hasFinalizer(obj);
}

/** gc.collect(generation) / an automatic collection; returns the number of unreachable objects found. */
export function collectGarbage(it: Interp, generation: number, reason: 'manual' | 'automatic'): number {
  const heap = it.heap;
  if (heap.collecting) return 0;
  heap.collecting = true;
  try {
    runCallbacks(it, 'start', generation, 0, 0);
    if (heap.traceEvents) heap.events.push({ kind: 'collection-start', step: heap.step, line: it.currentLine(), generation, counts: [...heap.counts] as [number, number, number] });
    const result = collect(it, generation);
    it.collectionsRun[generation]++;
    it.collectedTotals[generation] += result.collected;
    it.uncollectableTotals[generation] += result.uncollectable;
    if (heap.traceEvents) heap.events.push({ kind: 'collection-end', step: heap.step, line: it.currentLine(), generation, collected: result.collected, uncollectable: result.uncollectable });
    runCallbacks(it, 'stop', generation, result.collected, result.uncollectable);
    void reason;
    return result.collected + result.uncollectable;
  } finally {
    heap.collecting = false;
    scratch.length = 0; // the passes leave references past their counts: none may keep a finished run's heap alive
  }
}

function collect(it: Interp, generation: number): { collected: number; uncollectable: number } {
  const heap = it.heap;
  const profile = it.profile;
  // 3.14's incremental collector: a young collection (0 or 1) promotes straight to the old generation; collect(1)
  // is an increment of the old one and leaves the counts as they are (observed: thr_get_count).
  const increment = profile.incrementalGc && generation === 1;
  if (increment) generation = 0;
  if (generation + 1 < 3 && !increment) heap.counts[generation + 1]++;
  for (let i = 0; i <= generation; i++) heap.counts[i] = 0;
  // Merge the younger generations into the one collected.
  for (let g = 0; g < generation; g++) for (const obj of [...heap.generations[g]]) heap.moveTo(obj, generation);
  const young = heap.generations[generation];
  const oldIndex = generation < 2 && !profile.incrementalGc ? generation + 1 : 2;

  try {
    const clock = new CollectionClock(it.rt);
    updateRefs(young, clock);
    subtractRefs(young, generation, clock);
    moveUnreachable(it, generation, UNREACHABLE, clock);
  } catch (error) {
    // Out of time before anything was freed: the objects set aside go back, so the heap's lists hold every object.
    if (error instanceof RunStopped) for (const obj of [...heap.generations[UNREACHABLE]]) heap.moveTo(obj, generation);
    throw error;
  }
  const unreachable = heap.generations[UNREACHABLE];

  // Survivors: atomic tuples stop being tracked; then promotion (or dict untracking on a full collection).
  // (Deleting the current element of a Set while iterating it is safe: the loops below move or untrack only that.)
  for (const obj of young) {
    if (obj.kind === 'tuple' && obj.items.every((i) => !mayBeTracked(i))) heap.untrack(obj);
  }
  if (generation === 1) it.longLivedPending += young.size;
  if (generation < 2) {
    for (const obj of young) heap.moveTo(obj, oldIndex);
  } else if (!profile.incrementalGc) {
    for (const obj of young) if (obj.kind === 'dict' && !obj.invisible && holdsOnlyAtoms(obj)) heap.untrack(obj);
  }
  if (generation === 2) {
    it.longLivedPending = 0;
    it.longLivedTotal = young.size;
  }

  if (it.gcDebug & DEBUG_COLLECTABLE) {
    for (const obj of unreachable) it.rt.write('stderr', `gc: collectable <${obj.cls.name} ${hexAddress(obj)}>\n`);
  }
  const before = unreachable.size;
  const drops = heap.trace && !it.exiting ? dropLinesOf(it, unreachable) : undefined;
  const garbageFound = { generation, drops };

  const weakrefsFreed = handleWeakrefs(it, unreachable);
  finalizeGarbage(it, unreachable);

  let collected: number;
  if (!profile.resurrectionFreesNothing) {
    // 3.6: if anything was resurrected, everything survives, but the count is reported anyway.
    updateRefs(unreachable, UNCHECKED);
    subtractRefs(unreachable, UNREACHABLE, UNCHECKED);
    const resurrected = [...unreachable].some((o) => o.gcRefs > 0);
    collected = before + weakrefsFreed;
    if (resurrected) {
      for (const obj of [...unreachable]) heap.moveTo(obj, oldIndex);
      return { collected, uncollectable: 0 };
    }
    deleteGarbage(it, UNREACHABLE, oldIndex, garbageFound);
    return { collected, uncollectable: 0 };
  }
  // 3.7+: objects a finalizer made reachable again (and what they reach) survive; the rest is freed.
  updateRefs(unreachable, UNCHECKED);
  subtractRefs(unreachable, UNREACHABLE, UNCHECKED);
  moveUnreachable(it, UNREACHABLE, STILL_UNREACHABLE, UNCHECKED);
  for (const obj of [...heap.generations[UNREACHABLE]]) heap.moveTo(obj, oldIndex);
  collected = heap.generations[STILL_UNREACHABLE].size + weakrefsFreed;
  deleteGarbage(it, STILL_UNREACHABLE, oldIndex, garbageFound);
  return { collected, uncollectable: 0 };
}

/** Clears weakrefs to unreachable objects, then calls the callbacks of the weakrefs that are themselves reachable. */
function handleWeakrefs(it: Interp, unreachable: Set<PyObject>): number {
  const heap = it.heap;
  const toCall: { ref: PyObject & { kind: 'weakref' }; cb: PyObject | null; native: ((r: PyObject & { kind: 'weakref' }) => void) | null }[] = [];
  for (const obj of unreachable) {
    if (obj.kind === 'weakref' && obj.target) {
      const target = obj.target;
      const i = target.weakrefs?.indexOf(obj) ?? -1;
      if (i >= 0) target.weakrefs!.splice(i, 1);
      obj.target = null;
    }
    if (!obj.weakrefs) continue;
    const refs = obj.weakrefs;
    obj.weakrefs = null;
    for (const ref of refs) {
      ref.target = null;
      if (ref.gen === UNREACHABLE && unreachable.has(ref)) continue;
      if (ref.callback || ref.nativeCallback) {
        heap.incref(ref);
        toCall.push({ ref, cb: ref.callback, native: ref.nativeCallback });
        ref.callback = null;
        ref.nativeCallback = null;
      }
    }
  }
  let freed = 0;
  for (const { ref, cb, native } of toCall) {
    if (native) native(ref);
    if (cb) {
      if (heap.traceEvents) heap.events.push({ kind: 'weakref-callback', step: heap.step, line: it.currentLine(), object: heap.label(ref) });
      else if (heap.trace) heap.label(ref);
      it.runWeakrefCallback(ref, cb);
      heap.decref(cb);
    }
    heap.decref(ref);
    // A reachable weakref freed by its own callback counts as collected (CPython's num_freed).
    if (ref.freed) freed++;
  }
  return freed;
}

/** PEP 442: every unreachable object with a finalizer gets it called once, in list order. */
function finalizeGarbage(it: Interp, unreachable: Set<PyObject>): void {
  const heap = it.heap;
  for (const obj of [...unreachable]) {
    if (obj.freed || obj.finalized || !hasFinalizer(it, obj)) continue;
    obj.finalized = true;
    heap.incref(obj);
    if (obj.kind === 'generator') it.finalizeGenerator(obj);
    else it.runDel(obj);
    heap.decref(obj);
  }
}

function deleteGarbage(it: Interp, listIndex: number, oldIndex: number, found: { generation: number; drops: Map<PyObject, number | undefined> | undefined }): void {
  const heap = it.heap;
  const list = heap.generations[listIndex];
  // The summary's cyclic garbage: what the program left in cycles (not the module graph freed at exit).
  if (!it.exiting) for (const obj of list) heap.cyclicGarbage.push(heap.label(obj));
  if (found.drops && list.size > 0) recordGarbageGroups(it, list, found.drops, found.generation);
  for (const obj of [...list]) {
    if (obj.freed || obj.gen !== listIndex) continue;
    if (it.gcDebug & DEBUG_SAVEALL) {
      const garbage = it.garbage;
      if (garbage.kind === 'list') garbage.items.push(heap.incref(obj));
    } else {
      heap.incref(obj);
      clearObject(it, obj);
      heap.decref(obj);
    }
    if (!obj.freed && obj.tracked && obj.gen === listIndex) heap.moveTo(obj, oldIndex);
  }
}

/** tp_clear: drops the references that can form cycles (tuples, methods and iterators have none). */
function clearObject(it: Interp, obj: PyObject): void {
  const heap = it.heap;
  switch (obj.kind) {
    case 'instance': {
      if (obj.slotValues) {
        const values = [...obj.slotValues.values()];
        obj.slotValues.clear();
        for (const v of values) heap.decref(v);
      }
      if (obj.dict?.invisible) {
        clearObject(it, obj.dict);
        return;
      }
      releaseAttributes(heap, obj);
      if (obj.exc) {
        const e = obj.exc;
        const fields = [e.traceback, e.cause, e.context, e.obj ?? null];
        e.traceback = null;
        e.cause = null;
        e.context = null;
        e.obj = null;
        for (const f of fields) heap.xdecref(f);
      }
      return;
    }
    case 'class': {
      const entries = [...obj.dict.entries.values()];
      obj.dict.entries.clear();
      for (const e of entries) {
        heap.decref(e.key);
        heap.decref(e.value);
      }
      const mro = obj.mroTuple;
      obj.mroTuple = null;
      heap.xdecref(mro);
      return;
    }
    case 'tuple':
    case 'method':
    case 'iterator':
    case 'builtin':
    case 'generator':
    case 'super':
    case 'range':
      return;
    case 'weakref': {
      const cb = obj.callback;
      obj.callback = null;
      if (obj.target?.weakrefs) {
        const i = obj.target.weakrefs.indexOf(obj);
        if (i >= 0) obj.target.weakrefs.splice(i, 1);
      }
      obj.target = null;
      heap.xdecref(cb);
      return;
    }
    default:
      obj.cleared = true;
      heap.releaseFields(obj);
  }
}

function runCallbacks(it: Interp, phase: 'start' | 'stop', generation: number, collected: number, uncollectable: number): void {
  const callbacks = it.gcCallbacks;
  if (!callbacks || callbacks.kind !== 'list' || callbacks.items.length === 0) return;
  const rt = it.rt;
  for (const cb of [...callbacks.items]) {
    const info = rt.dict();
    rt.dictSetStr(info, 'generation', rt.int(generation));
    rt.dictSetStr(info, 'collected', rt.int(collected));
    rt.dictSetStr(info, 'uncollectable', rt.int(uncollectable));
    const args = [rt.str(phase), info];
    try {
      heap_decref(it, callObject(it, cb, args, null));
    } catch (err) {
      if (!(err instanceof PyError)) throw err;
      reportUnraisable(it, err, cb, null);
    } finally {
      releaseArgs(it, args);
    }
  }
}

function heap_decref(it: Interp, obj: PyObject): void {
  it.heap.decref(obj);
}
