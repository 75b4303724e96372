// Object protocols: truth, hashing, equality, ordering, arithmetic, iteration, length and item access.
import type { Interp } from './interp';
import { releaseArgs } from './interp';
import { lookupSpecial } from './objectProtocol';
import type { DictObj, HashKey, PyObject } from './objects';
import { resumeGenerator } from './generators';
import { PyError } from './runtime';
import { callObject } from './calls';

export function isTrue(it: Interp, v: PyObject): boolean {
  switch (v.kind) {
    case 'bool':
      return v.value;
    case 'none':
      return false;
    case 'int':
      return typeof v.value === 'bigint' ? v.value !== 0n : v.value !== 0;
    case 'float':
      return v.value !== 0;
    case 'str':
    case 'bytes':
      return v.value.length > 0;
    case 'tuple':
    case 'list':
      return v.items.length > 0;
    case 'dict':
    case 'set':
    case 'frozenset':
      return v.entries.size > 0;
    case 'weakvaluedict':
    case 'weakkeydict':
    case 'weakset':
      return v.entries.size > 0;
    case 'range':
      return rangeLength(v.start, v.stop, v.step) > 0;
    case 'instance': {
      const bool = lookupSpecial(it, v, '__bool__') ?? lookupSpecial(it, v, '__len__');
      if (!bool) return true;
      const r = callUnary(it, bool, v);
      try {
        return r.kind === 'bool' ? r.value : isTrue(it, r);
      } finally {
        it.heap.decref(r);
      }
    }
    default:
      return true;
  }
}

/** Calls a looked-up special method (owned) with `self` and extra owned args. */
export function callUnary(it: Interp, method: PyObject, self: PyObject, ...extra: PyObject[]): PyObject {
  const args = [it.heap.incref(self), ...extra];
  try {
    return callObject(it, method, args, null);
  } finally {
    releaseArgs(it, args);
    it.heap.decref(method);
  }
}

export function rangeLength(start: number, stop: number, step: number): number {
  if (step > 0) return stop > start ? Math.ceil((stop - start) / step) : 0;
  return start > stop ? Math.ceil((start - stop) / -step) : 0;
}

export function hashKey(it: Interp, obj: PyObject): HashKey {
  switch (obj.kind) {
    case 'int':
      return typeof obj.value === 'bigint' ? 'b' + obj.value.toString() : obj.value;
    case 'bool':
      return obj.value ? 1 : 0;
    case 'float':
      return Number.isInteger(obj.value) ? obj.value : 'f' + obj.value;
    case 'str':
      return 's:' + obj.value;
    case 'bytes':
      return 'y:' + obj.value;
    case 'none':
      return 'None';
    case 'tuple':
      return 't(' + obj.items.map((i) => String(hashKey(it, i))).join(',') + ')';
    case 'frozenset':
      return 'F(' + [...obj.entries.keys()].map(String).sort().join(',') + ')';
    case 'list':
    case 'dict':
    case 'set':
      return it.rt.raise('TypeError', `unhashable type: '${obj.cls.name}'`);
    case 'weakref':
      if (obj.target) return 'w:' + String(hashKey(it, obj.target));
      if (obj.hash !== null) return 'w:' + obj.hash;
      return it.rt.raise('TypeError', 'weak object has gone away');
    case 'instance': {
      if (obj.cls.builtin === null) {
        const hashFn = lookupSpecial(it, obj, '__hash__');
        if (hashFn && hashFn.kind !== 'none') {
          const r = callUnary(it, hashFn, obj);
          const v = r.kind === 'int' ? r.value : 0;
          it.heap.decref(r);
          return 'h:' + v.toString();
        }
        if (hashFn) it.heap.decref(hashFn);
        if (hashFn?.kind === 'none') it.rt.raise('TypeError', `unhashable type: '${obj.cls.name}'`);
      }
      return 'o:' + obj.serial;
    }
    default:
      return 'o:' + obj.serial;
  }
}

export function numeric(v: PyObject): number | bigint | null {
  if (v.kind === 'int') return v.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  if (v.kind === 'float') return v.value;
  return null;
}

export function equals(it: Interp, a: PyObject, b: PyObject): boolean {
  if (a === b) return true;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== null && nb !== null) {
    if (typeof na === 'bigint' || typeof nb === 'bigint') {
      if (a.kind === 'float' || b.kind === 'float') return Number(na) === Number(nb);
      return BigInt(na) === BigInt(nb);
    }
    return na === nb;
  }
  switch (a.kind) {
    case 'str':
    case 'bytes':
      return b.kind === a.kind && a.value === b.value;
    case 'tuple':
    case 'list':
      if (b.kind !== a.kind || a.items.length !== b.items.length) return false;
      for (let i = 0; i < a.items.length; i++) if (!equals(it, a.items[i], b.items[i])) return false;
      return true;
    case 'dict':
      if (b.kind !== 'dict' || a.entries.size !== b.entries.size) return false;
      for (const [k, e] of a.entries) {
        const other = b.entries.get(k);
        if (!other || !equals(it, e.value, other.value)) return false;
      }
      return true;
    case 'set':
    case 'frozenset':
      if ((b.kind !== 'set' && b.kind !== 'frozenset') || a.entries.size !== b.entries.size) return false;
      for (const k of a.entries.keys()) if (!b.entries.has(k)) return false;
      return true;
    case 'range':
      return b.kind === 'range' && a.start === b.start && a.stop === b.stop && a.step === b.step;
    case 'weakref':
      if (b.kind !== 'weakref') return false;
      if (a.flavor === 'proxy') break;
      if (a.target && b.target) return equals(it, a.target, b.target);
      return false;
    case 'method':
      return b.kind === 'method' && a.func === b.func && a.self === b.self;
    default:
      break;
  }
  const r = richCompare(it, a, b, '__eq__');
  if (r !== null) return r;
  return false;
}

const REFLECTED: Record<string, string> = { __eq__: '__eq__', __ne__: '__ne__', __lt__: '__gt__', __gt__: '__lt__', __le__: '__ge__', __ge__: '__le__' };

/** User-defined comparison dunders; null when neither side implements it. */
function richCompare(it: Interp, a: PyObject, b: PyObject, name: string): boolean | null {
  for (const [x, y, n] of [[a, b, name], [b, a, REFLECTED[name]]] as const) {
    if (x.kind !== 'instance' || x.cls.builtin !== null) continue;
    const m = lookupSpecial(it, x, n);
    if (!m) continue;
    const r = callUnary(it, m, x, it.heap.incref(y));
    try {
      if (r.kind === 'notimplemented') continue;
      return isTrue(it, r);
    } finally {
      it.heap.decref(r);
    }
  }
  return null;
}

export function compareOrder(it: Interp, a: PyObject, b: PyObject, op: '<' | '>' | '<=' | '>='): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== null && nb !== null) {
    const x = typeof na === 'bigint' || typeof nb === 'bigint' ? (a.kind === 'float' || b.kind === 'float' ? [Number(na), Number(nb)] : [BigInt(na), BigInt(nb)]) : [na, nb];
    return op === '<' ? x[0] < x[1] : op === '>' ? x[0] > x[1] : op === '<=' ? x[0] <= x[1] : x[0] >= x[1];
  }
  if ((a.kind === 'str' && b.kind === 'str') || (a.kind === 'bytes' && b.kind === 'bytes')) {
    return op === '<' ? a.value < b.value : op === '>' ? a.value > b.value : op === '<=' ? a.value <= b.value : a.value >= b.value;
  }
  if ((a.kind === 'tuple' && b.kind === 'tuple') || (a.kind === 'list' && b.kind === 'list')) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      if (!equals(it, a.items[i], b.items[i])) return compareOrder(it, a.items[i], b.items[i], op);
    }
    const la = a.items.length;
    const lb = b.items.length;
    return op === '<' ? la < lb : op === '>' ? la > lb : op === '<=' ? la <= lb : la >= lb;
  }
  const name = op === '<' ? '__lt__' : op === '>' ? '__gt__' : op === '<=' ? '__le__' : '__ge__';
  const r = richCompare(it, a, b, name);
  if (r !== null) return r;
  return it.rt.raise('TypeError', `'${op}' not supported between instances of '${a.cls.name}' and '${b.cls.name}'`);
}

export function contains(it: Interp, container: PyObject, item: PyObject): boolean {
  switch (container.kind) {
    case 'dict':
      return container.entries.has(hashKey(it, item));
    case 'set':
    case 'frozenset':
      return container.entries.has(hashKey(it, item));
    case 'str':
      if (item.kind !== 'str') it.rt.raise('TypeError', `'in <string>' requires string as left operand, not ${item.cls.name}`);
      return container.value.includes(item.value);
    case 'tuple':
    case 'list':
      return container.items.some((x) => equals(it, x, item));
    case 'weakvaluedict':
    case 'weakkeydict':
    case 'weakset': {
      const key = container.kind === 'weakvaluedict' ? hashKey(it, item) : weakKeyOf(it, item);
      return key !== null && container.entries.has(key);
    }
    default: {
      let found = false;
      iterate(it, container, (x) => {
        found = equals(it, x, item);
        it.heap.decref(x);
        return !found;
      });
      return found;
    }
  }
}

/** Weak containers key their entries by the identity-or-hash of the referent. */
export function weakKeyOf(it: Interp, obj: PyObject): HashKey | null {
  try {
    return hashKey(it, obj);
  } catch (err) {
    if (err instanceof PyError) {
      it.heap.decref(err.exc);
      return null;
    }
    throw err;
  }
}

/**
 * Calls `fn` with each item (a new reference the callback owns) until it returns false.
 * Mirrors CPython's iterators: lists are read by index each step; dicts detect resizing.
 */
export function iterate(it: Interp, obj: PyObject, fn: (item: PyObject) => boolean, _forLoop = false): void {
  const heap = it.heap;
  switch (obj.kind) {
    case 'list':
    case 'tuple':
      for (let i = 0; i < obj.items.length; i++) if (!fn(heap.incref(obj.items[i]))) return;
      return;
    case 'str':
      for (const ch of obj.value) if (!fn(it.rt.str(ch))) return;
      return;
    case 'range':
      for (let v = obj.start; obj.step > 0 ? v < obj.stop : v > obj.stop; v += obj.step) if (!fn(it.rt.int(v))) return;
      return;
    case 'dict':
      iterateDict(it, obj, (e) => fn(heap.incref(e.key)));
      return;
    case 'set':
    case 'frozenset': {
      const size = obj.entries.size;
      for (const v of [...obj.entries.values()]) {
        if (obj.entries.size !== size) it.rt.raise('RuntimeError', 'Set changed size during iteration');
        if (!fn(heap.incref(v))) return;
      }
      return;
    }
    case 'weakvaluedict':
    case 'weakkeydict':
    case 'weakset':
      for (const e of [...obj.entries.values()]) {
        const v = obj.kind === 'weakvaluedict' ? e.key : e.ref.target;
        if (!v || !e.ref.target) continue;
        if (!fn(heap.incref(v))) return;
      }
      return;
    case 'iterator':
      for (;;) {
        const v = obj.next();
        if (v === null) return;
        if (!fn(v)) return;
      }
    case 'generator':
      for (;;) {
        const v = resumeGenerator(it, obj, null);
        if (v === null) return;
        if (!fn(v)) return;
      }
    case 'instance': {
      const iterFn = lookupSpecial(it, obj, '__iter__');
      if (!iterFn) {
        const getitem = lookupSpecial(it, obj, '__getitem__');
        if (getitem) heap.decref(getitem);
        break;
      }
      const iterator = callUnary(it, iterFn, obj);
      try {
        if (iterator.kind !== 'instance') {
          iterate(it, iterator, fn);
          return;
        }
        for (;;) {
          const next = lookupSpecial(it, iterator, '__next__');
          if (!next) it.rt.raise('TypeError', `iter() returned non-iterator of type '${iterator.cls.name}'`);
          let v: PyObject;
          try {
            v = callUnary(it, next, iterator);
          } catch (err) {
            if (err instanceof PyError && it.rt.isInstanceOf(err.exc, 'StopIteration')) {
              heap.decref(err.exc);
              return;
            }
            throw err;
          }
          if (!fn(v)) return;
        }
      } finally {
        heap.decref(iterator);
      }
    }
    default:
      break;
  }
  it.rt.raise('TypeError', `'${obj.cls.name}' object is not iterable`);
}

export function iterateDict(it: Interp, d: DictObj, fn: (e: { key: PyObject; value: PyObject }) => boolean): void {
  const size = d.entries.size;
  for (const e of [...d.entries.values()]) {
    if (d.entries.size !== size) it.rt.raise('RuntimeError', 'dictionary changed size during iteration');
    if (!fn(e)) return;
  }
  if (d.entries.size !== size) it.rt.raise('RuntimeError', 'dictionary changed size during iteration');
}

/** Collects an iterable's items (owned references). */
export function toArray(it: Interp, obj: PyObject): PyObject[] {
  const out: PyObject[] = [];
  try {
    iterate(it, obj, (x) => {
      out.push(x);
      return true;
    });
  } catch (err) {
    for (const x of out) it.heap.decref(x);
    throw err;
  }
  return out;
}

export function length(it: Interp, obj: PyObject): number {
  switch (obj.kind) {
    case 'str':
    case 'bytes':
      return [...obj.value].length;
    case 'tuple':
    case 'list':
      return obj.items.length;
    case 'dict':
    case 'set':
    case 'frozenset':
      return obj.entries.size;
    case 'weakvaluedict':
    case 'weakkeydict':
    case 'weakset':
      return [...obj.entries.values()].filter((e) => e.ref.target !== null).length;
    case 'range':
      return rangeLength(obj.start, obj.stop, obj.step);
    case 'instance': {
      const m = lookupSpecial(it, obj, '__len__');
      if (m) {
        const r = callUnary(it, m, obj);
        const n = r.kind === 'int' ? Number(r.value) : 0;
        it.heap.decref(r);
        return n;
      }
      break;
    }
    default:
      break;
  }
  return it.rt.raise('TypeError', `object of type '${obj.cls.name}' has no len()`);
}

// ---- arithmetic ------------------------------------------------------------------------------

export { delItem, getItem, setItem } from './items';
export { binaryOp, inplaceOp, percentFormat } from './arithmetic';
