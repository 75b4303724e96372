// Trace mode: labelled references (holders) and per-line heap snapshots with refcounts, generations and cycles.
import type { Interp } from './interp';
import type { PyObject } from './objects';
import type { Holder, LineSnapshot, ObjectSnapshot } from './simulatorTypes';

const MAX_OBJECTS_PER_SNAPSHOT = 200;
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
      for (const e of obj.attrs?.values() ?? []) out.push([e.value, `attribute '${e.key.kind === 'str' ? e.key.value : '?'}'`]);
      for (const [k, v] of obj.slotValues ?? []) out.push([v, `attribute '${k}'`]);
      if (obj.dict && !obj.dict.invisible) out.push([obj.dict, '__dict__']);
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

const lineState = new WeakMap<Interp, Map<number, LineSnapshot>>();

/** Records the heap as seen from the current frame after a statement on `line` ran. */
export function recordLine(it: Interp, line: number): void {
  let lines = lineState.get(it);
  if (!lines) {
    lines = new Map();
    lineState.set(it, lines);
  }
  const previous = lines.get(line);
  // Hot lines: after SNAPSHOT_EVERY_TIME executions the heap is captured only on power-of-two executions
  // (the count stays exact), so tracing a long loop stays affordable.
  const executions = (previous?.executions ?? 0) + 1;
  if (previous && executions > SNAPSHOT_EVERY_TIME && (executions & (executions - 1)) !== 0) {
    lines.set(line, { ...previous, executions });
    return;
  }
  const frame = it.frame;
  const names: Record<string, string> = {};
  const roots: [PyObject, Holder][] = [];
  if (frame.namespace) {
    for (const e of frame.namespace.entries.values()) {
      if (e.key.kind !== 'str' || e.key.value.startsWith('__')) continue;
      if (e.value.immortal && e.value.kind !== 'none') continue;
      names[e.key.value] = label(it, e.value);
      roots.push([e.value, { label: `global '${e.key.value}'` }]);
    }
  }
  for (const [v, l] of labelledReferents(frame)) {
    const value = v.kind === 'cell' && v.ref ? v.ref : v;
    const name = /^local '(.*)'$/.exec(l)?.[1] ?? l;
    names[name] = label(it, value);
    roots.push([value, { label: l }]);
  }
  const holders = new Map<PyObject, Holder[]>();
  const edges = new Map<PyObject, PyObject[]>();
  const seen: PyObject[] = [];
  const queue: PyObject[] = [];
  const add = (obj: PyObject, holder: Holder): void => {
    if (obj.immortal) return;
    let list = holders.get(obj);
    if (!list) {
      if (seen.length >= MAX_OBJECTS_PER_SNAPSHOT) return;
      list = [];
      holders.set(obj, list);
      seen.push(obj);
      queue.push(obj);
    }
    list.push(holder);
  };
  for (const [obj, holder] of roots) add(obj, holder);
  while (queue.length) {
    const obj = queue.shift()!;
    const out: PyObject[] = [];
    for (const [child, l] of labelledReferents(obj)) {
      if (child.immortal) continue;
      add(child, { label: `${l} of ${label(it, obj)}`, holder: label(it, obj) });
      out.push(child);
    }
    edges.set(obj, out);
  }
  const cycles = cyclesOf(seen, edges);
  const objects: ObjectSnapshot[] = seen.map((obj) => ({
    label: label(it, obj),
    typeName: obj.cls.name,
    refcount: obj.rc,
    holders: holders.get(obj) ?? [],
    generation: obj.tracked && obj.gen <= 2 ? obj.gen : undefined,
    tracked: obj.tracked,
    cycle: cycles.get(obj)?.filter((o) => o !== obj).map((o) => label(it, o)),
    allocatedAt: obj.line,
    ...(obj.kind === 'weakref' && obj.target && !obj.target.immortal ? { weakTarget: label(it, obj.target) } : {}),
  }));
  lines.set(line, { line, executions, names, objects });
}

export function takeSnapshots(it: Interp): LineSnapshot[] {
  return [...(lineState.get(it)?.values() ?? [])].sort((a, b) => a.line - b.line);
}
