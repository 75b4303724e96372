// Trace mode: what GCL901/902 report — cyclic garbage grouped per cycle with its lines, and objects leaked at exit.
import type { Interp } from './interp';
import type { PyObject } from './objects';
import { referents } from './objects';
import type { GarbageGroup, LeakedObject } from './simulatorTypes';

/** Per collection: the last-drop line of each unreachable object, read before finalizers touch them. */
export function dropLinesOf(it: Interp, unreachable: ReadonlySet<PyObject>): Map<PyObject, number | undefined> {
  const lines = new Map<PyObject, number | undefined>();
  for (const obj of unreachable) lines.set(obj, it.heap.lastDropLine.get(obj));
  return lines;
}

/** An instance's own `__dict__` object is an implementation detail of its instance: left out of the groups. */
function isInstanceDict(obj: PyObject): boolean {
  return obj.kind === 'dict' && obj.owner !== null;
}

/** The program's own objects lead a group's list (a message names the first few): instances, classes, functions. */
function shownFirst(obj: PyObject): number {
  switch (obj.kind) {
    case 'instance':
      return 0;
    case 'class':
      return 1;
    case 'function':
    case 'method':
    case 'generator':
      return 2;
    case 'list':
    case 'dict':
    case 'set':
      return 3;
    default:
      return 4;
  }
}

/** Groups of objects connected by references (undirected, within `members`), in `members`' order. */
function connectedGroups(members: Iterable<PyObject>): PyObject[][] {
  const parent = new Map<PyObject, PyObject>();
  const find = (x: PyObject): PyObject => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const obj of members) parent.set(obj, obj);
  for (const obj of parent.keys()) {
    for (const r of referents(obj)) if (parent.has(r)) parent.set(find(r), find(obj));
  }
  const groups = new Map<PyObject, PyObject[]>();
  for (const obj of parent.keys()) {
    const root = find(obj);
    const group = groups.get(root);
    if (group) group.push(obj);
    else groups.set(root, [obj]);
  }
  return [...groups.values()];
}

function groupOf(it: Interp, members: readonly PyObject[], drops: { get(obj: PyObject): number | undefined }, collectedAt: number, generation: number, atExit: boolean): GarbageGroup | undefined {
  const shown = members.filter((obj) => !isInstanceDict(obj)).sort((a, b) => shownFirst(a) - shownFirst(b));
  if (shown.length === 0) return undefined;
  let dropped: number | undefined;
  for (const obj of members) {
    const line = drops.get(obj);
    if (line !== undefined && (dropped === undefined || line > dropped)) dropped = line;
  }
  return {
    objects: shown.map((obj) => it.heap.label(obj)),
    allocatedAt: shown.map((obj) => obj.line),
    lastReferenceDroppedAt: dropped,
    collectedAt,
    generation,
    ...(atExit ? { atExit } : {}),
  };
}

/**
 * Splits the garbage a collection is about to clear into groups of objects connected by references, and records
 * each with its allocation lines and the last line a reference to it was dropped.
 */
export function recordGarbageGroups(it: Interp, garbage: ReadonlySet<PyObject>, drops: ReadonlyMap<PyObject, number | undefined>, generation: number): void {
  const collectedAt = it.currentLine();
  for (const members of connectedGroups(garbage)) {
    const group = groupOf(it, members, drops, collectedAt, generation, false);
    if (group) it.heap.garbageGroups.push(group);
  }
}

/** What GCL901/902 see when the module's code has ended, before the exit sequence. */
export interface EndOfRunGarbage {
  /** Unreachable cycles no collection has freed yet (the exit sequence will). */
  readonly waiting: GarbageGroup[];
  /** Objects the program cannot reach that interpreter state keeps alive, with what keeps them. */
  readonly kept: ReadonlyMap<PyObject, string>;
}

/**
 * Objects the program can no longer reach when its module code ended: everything tracked that the module's globals
 * and frame do not reach. Among them, those referenced from outside the set (the finalizer registry, atexit,
 * `gc.garbage` held by the interpreter) and what they reach are kept alive (GCL902); the rest is cyclic garbage
 * waiting for a collection (GCL901), found as CPython's collector would (refcounts minus internal references).
 */
export function endOfRunGarbage(it: Interp, roots: readonly PyObject[]): EndOfRunGarbage {
  const heap = it.heap;
  const reachable = new Set<PyObject>();
  const stack = [...roots];
  while (stack.length) {
    const obj = stack.pop()!;
    if (reachable.has(obj) || obj.freed) continue;
    reachable.add(obj);
    for (const r of referents(obj)) if (!reachable.has(r)) stack.push(r);
  }
  const lost = new Set<PyObject>();
  for (let g = 0; g < 3; g++) for (const obj of heap.generations[g]) if (!reachable.has(obj)) lost.add(obj);
  const external = new Map<PyObject, number>();
  for (const obj of lost) external.set(obj, obj.rc);
  for (const obj of lost) for (const r of referents(obj)) if (external.has(r)) external.set(r, external.get(r)! - 1);
  // What keeps each kept object: the reason of the externally held object it is reached from.
  const kept = new Map<PyObject, string>();
  const keptStack: [PyObject, string][] = [...lost].filter((obj) => external.get(obj)! > 0).map((obj) => [obj, keeperOf(it, obj)]);
  while (keptStack.length) {
    const [obj, reason] = keptStack.pop()!;
    if (kept.has(obj)) continue;
    kept.set(obj, reason);
    for (const r of referents(obj)) if (lost.has(r) && !kept.has(r)) keptStack.push([r, reason]);
  }
  const line = it.currentLine();
  const waiting: GarbageGroup[] = [];
  for (const members of connectedGroups([...lost].filter((obj) => !kept.has(obj)))) {
    const group = groupOf(it, members, heap.lastDropLine, line, members[0].gen, true);
    if (group) waiting.push(group);
  }
  return { waiting, kept };
}

/** What holds an object the program cannot reach: a `weakref.finalize` registration, an atexit handler, or else. */
function keeperOf(it: Interp, obj: PyObject): string {
  if (obj.kind === 'finalize') return 'a weakref.finalize registration';
  if (it.atexit.some((entry) => entry.func === obj || entry.args.includes(obj) || [...(entry.kwargs?.values() ?? [])].includes(obj))) return 'an atexit handler';
  return 'interpreter state';
}

/** The leaked objects with where they were allocated and last dropped (before the exit sequence), and what keeps them. */
export function leakDetails(it: Interp, leaked: ReadonlyMap<PyObject, string | undefined>): LeakedObject[] {
  return [...leaked].map(([obj, keptBy]) => ({
    object: it.heap.label(obj),
    allocatedAt: obj.line,
    lastReferenceDroppedAt: it.heap.lastDropLine.get(obj),
    ...(keptBy ? { keptBy } : {}),
  }));
}
