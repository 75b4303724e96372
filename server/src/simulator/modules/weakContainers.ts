// WeakValueDictionary, WeakKeyDictionary and WeakSet: entries held through weakrefs whose callbacks drop them.
import type { Interp } from '../interp';
import type { HashKey, NativeFn, PyObject, WeakContainerObj, WeakrefObj } from '../objects';
import { hashKey, iterate, toArray } from '../operators';
import { PyError } from '../runtime';
import { newWeakref } from './weakrefModule';

type Entry = { key: PyObject; value: PyObject; ref: WeakrefObj };

function dropEntry(it: Interp, c: WeakContainerObj, k: HashKey, e: Entry): void {
  c.entries.delete(k);
  if (c.kind === 'weakvaluedict') it.heap.decref(e.key);
  else if (c.kind === 'weakkeydict') it.heap.decref(e.value);
  it.heap.decref(e.ref);
}

function removalCallback(it: Interp, c: WeakContainerObj, k: HashKey): (r: WeakrefObj) => void {
  return (r) => {
    const e = c.entries.get(k);
    if (e && e.ref === r && !c.freed) dropEntry(it, c, k, e);
  };
}

export function makeWeakContainer(it: Interp, kind: WeakContainerObj['kind'], init: PyObject | undefined, kwargs: Map<string, PyObject> | null): PyObject {
  const rt = it.rt;
  const c = it.heap.register<WeakContainerObj>(it.heap.init(rt.type(kind === 'weakvaluedict' ? 'WeakValueDictionary' : kind === 'weakkeydict' ? 'WeakKeyDictionary' : 'WeakSet'), { kind, entries: new Map() }));
  try {
    if (init && kind === 'weakset') iterate(it, init, (x) => {
      weakSetAdd(it, c, x);
      it.heap.decref(x);
      return true;
    });
    else if (init && init.kind === 'dict') for (const e of init.entries.values()) weakContainerSet(it, c, e.key, it.heap.incref(e.value));
    for (const [k, v] of kwargs ?? []) weakContainerSet(it, c, rt.intern(k), it.heap.incref(v));
  } catch (err) {
    it.heap.decref(c);
    throw err;
  }
  return c;
}

/** `c[key] = value`; `value` is consumed (a weak dict keeps only the strong side). */
export function weakContainerSet(it: Interp, c: WeakContainerObj, key: PyObject, value: PyObject): void {
  const heap = it.heap;
  try {
    if (c.kind === 'weakvaluedict') {
      const k = hashKey(it, key);
      const old = c.entries.get(k);
      const ref = newWeakref(it, value, null, 'internal', removalCallback(it, c, k));
      c.entries.set(k, { key: heap.incref(key), value, ref });
      if (old) {
        heap.decref(old.key);
        heap.decref(old.ref);
      }
    } else if (c.kind === 'weakkeydict') {
      const k = hashKey(it, key);
      const old = c.entries.get(k);
      if (old) {
        const prev = old.value;
        old.value = heap.incref(value);
        heap.decref(prev);
        return;
      }
      const ref = newWeakref(it, key, null, 'internal', removalCallback(it, c, k));
      c.entries.set(k, { key, value: heap.incref(value), ref });
    }
  } finally {
    heap.decref(value);
  }
}

function weakSetAdd(it: Interp, c: WeakContainerObj, item: PyObject): void {
  const k = hashKey(it, item);
  if (c.entries.has(k)) return;
  const ref = newWeakref(it, item, null, 'internal', removalCallback(it, c, k));
  c.entries.set(k, { key: item, value: item, ref });
}

export function weakContainerDelete(it: Interp, c: WeakContainerObj, key: PyObject): boolean {
  const k = hashKey(it, key);
  const e = c.entries.get(k);
  if (!e || !e.ref.target) return false;
  dropEntry(it, c, k, e);
  return true;
}

function live(c: WeakContainerObj): Entry[] {
  return [...c.entries.values()].filter((e) => e.ref.target !== null);
}

export function weakContainerMethod(it: Interp, c: WeakContainerObj, name: string): NativeFn | null {
  const rt = it.rt;
  const heap = it.heap;
  const valueOf = (e: Entry): PyObject => (c.kind === 'weakvaluedict' ? e.ref.target! : e.value);
  const keyOf = (e: Entry): PyObject => (c.kind === 'weakvaluedict' ? e.key : e.ref.target!);
  if (c.kind === 'weakset') {
    switch (name) {
      case 'add':
        return (args) => {
          weakSetAdd(it, c, args[0]);
          return rt.none();
        };
      case 'discard':
      case 'remove':
        return (args) => {
          if (!weakContainerDelete(it, c, args[0]) && name === 'remove') throw new PyError(rt.makeException('KeyError', [heap.incref(args[0])]));
          return rt.none();
        };
      case 'clear':
        return () => {
          for (const [k, e] of [...c.entries]) dropEntry(it, c, k, e);
          return rt.none();
        };
      case 'update':
        return (args) => {
          for (const x of toArray(it, args[0])) {
            weakSetAdd(it, c, x);
            heap.decref(x);
          }
          return rt.none();
        };
      default:
        return null;
    }
  }
  switch (name) {
    case 'get':
      return (args) => {
        const k = hashKey(it, args[0]);
        const e = c.entries.get(k);
        if (e && e.ref.target) return heap.incref(valueOf(e));
        return args[1] ? heap.incref(args[1]) : rt.none();
      };
    case 'keys':
      return () => rt.list(live(c).map((e) => heap.incref(keyOf(e))));
    case 'values':
    case 'itervaluerefs':
      return () => rt.list(live(c).map((e) => heap.incref(valueOf(e))));
    case 'items':
      return () => rt.list(live(c).map((e) => rt.tuple([heap.incref(keyOf(e)), heap.incref(valueOf(e))])));
    case 'pop':
      return (args) => {
        const k = hashKey(it, args[0]);
        const e = c.entries.get(k);
        if (!e || !e.ref.target) {
          if (args[1]) return heap.incref(args[1]);
          throw new PyError(rt.makeException('KeyError', [heap.incref(args[0])]));
        }
        const v = heap.incref(valueOf(e));
        dropEntry(it, c, k, e);
        return v;
      };
    case 'clear':
      return () => {
        for (const [k, e] of [...c.entries]) dropEntry(it, c, k, e);
        return rt.none();
      };
    case 'setdefault':
      return (args) => {
        const k = hashKey(it, args[0]);
        const e = c.entries.get(k);
        if (e && e.ref.target) return heap.incref(valueOf(e));
        weakContainerSet(it, c, args[0], heap.incref(args[1] ?? rt.None));
        return heap.incref(args[1] ?? rt.None);
      };
    default:
      return null;
  }
}
