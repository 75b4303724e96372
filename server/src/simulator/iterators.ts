// Iterator objects (iter(), enumerate, zip, map, filter, reversed): lazy, holding a reference to their source.
import { callObject } from './calls';
import { resumeGenerator } from './generators';
import type { Interp } from './interp';
import { releaseArgs } from './interp';
import { lookupSpecial } from './objectProtocol';
import type { IteratorObj, PyObject } from './objects';
import { callUnary, isTrue, toArray } from './operators';
import { PyError } from './runtime';

export function newIterator(it: Interp, typeName: string, source: PyObject | null, next: () => PyObject | null): IteratorObj {
  if (source) it.heap.incref(source);
  return it.heap.register<IteratorObj>(it.heap.init(it.rt.type(typeName), { kind: 'iterator', typeName, source, next }));
}

/** iter(obj): a new reference to an iterator over `obj`. */
export function makeIterator(it: Interp, obj: PyObject): PyObject {
  const heap = it.heap;
  switch (obj.kind) {
    case 'iterator':
    case 'generator':
      return heap.incref(obj);
    case 'list':
    case 'tuple': {
      let i = 0;
      return newIterator(it, obj.kind === 'list' ? 'list_iterator' : 'tuple_iterator', obj, () => (i < obj.items.length ? heap.incref(obj.items[i++]) : null));
    }
    case 'range': {
      let v = obj.start;
      return newIterator(it, 'range_iterator', obj, () => {
        if (obj.step > 0 ? v >= obj.stop : v <= obj.stop) return null;
        const r = it.rt.int(v);
        v += obj.step;
        return r;
      });
    }
    case 'instance': {
      const iterFn = lookupSpecial(it, obj, '__iter__');
      if (iterFn) {
        const iterator = callUnary(it, iterFn, obj);
        if (iterator.kind !== 'instance') return iterator;
        const wrapper = newIterator(it, 'iterator', iterator, () => {
          const next = lookupSpecial(it, iterator, '__next__');
          if (!next) return it.rt.raise('TypeError', `iter() returned non-iterator of type '${iterator.cls.name}'`);
          try {
            return callUnary(it, next, iterator);
          } catch (err) {
            if (err instanceof PyError && it.rt.isInstanceOf(err.exc, 'StopIteration')) {
              heap.decref(err.exc);
              return null;
            }
            throw err;
          }
        });
        heap.decref(iterator);
        return wrapper;
      }
      break;
    }
    default:
      break;
  }
  // Everything else (dicts, sets, strings, weak containers): iterate a snapshot.
  const items = toArray(it, obj);
  let i = 0;
  const typeName = obj.kind === 'dict' ? 'dict_keyiterator' : obj.kind === 'set' || obj.kind === 'frozenset' ? 'set_iterator' : obj.kind === 'str' ? 'str_ascii_iterator' : 'iterator';
  const iter = newIterator(it, typeName, obj, () => (i < items.length ? items[i++] : null));
  return iter;
}

/** next(iterator) as a new reference, or null when exhausted. */
export function stepIterator(it: Interp, iter: PyObject): PyObject | null {
  if (iter.kind === 'iterator') return iter.next();
  if (iter.kind === 'generator') return resumeGenerator(it, iter, null);
  if (iter.kind === 'instance') {
    const next = lookupSpecial(it, iter, '__next__');
    if (next) {
      try {
        return callUnary(it, next, iter);
      } catch (err) {
        if (err instanceof PyError && it.rt.isInstanceOf(err.exc, 'StopIteration')) {
          it.heap.decref(err.exc);
          return null;
        }
        throw err;
      }
    }
  }
  return it.rt.raise('TypeError', `'${iter.cls.name}' object is not an iterator`);
}

export function enumerateIterator(it: Interp, source: PyObject, start: number): PyObject {
  const inner = makeIterator(it, source);
  let n = start;
  const iter = newIterator(it, 'enumerate', inner, () => {
    const v = stepIterator(it, inner);
    return v ? it.rt.tuple([it.rt.int(n++), v]) : null;
  });
  it.heap.decref(inner);
  return iter;
}

export function zipIterator(it: Interp, sources: PyObject[]): PyObject {
  const inners = sources.map((s) => makeIterator(it, s));
  const holder = it.rt.tuple(inners);
  const iter = newIterator(it, 'zip', holder, () => {
    if (!inners.length) return null;
    const row: PyObject[] = [];
    for (const inner of inners) {
      const v = stepIterator(it, inner);
      if (!v) {
        for (const r of row) it.heap.decref(r);
        return null;
      }
      row.push(v);
    }
    return it.rt.tuple(row);
  });
  it.heap.decref(holder);
  return iter;
}

export function mapIterator(it: Interp, func: PyObject, sources: PyObject[]): PyObject {
  const inners = sources.map((s) => makeIterator(it, s));
  const holder = it.rt.tuple([it.heap.incref(func), ...inners]);
  const iter = newIterator(it, 'map', holder, () => {
    const row: PyObject[] = [];
    for (const inner of inners) {
      const v = stepIterator(it, inner);
      if (!v) {
        releaseArgs(it, row);
        return null;
      }
      row.push(v);
    }
    try {
      return callObject(it, func, row, null);
    } finally {
      releaseArgs(it, row);
    }
  });
  it.heap.decref(holder);
  return iter;
}

export function filterIterator(it: Interp, func: PyObject, source: PyObject): PyObject {
  const inner = makeIterator(it, source);
  const holder = it.rt.tuple([it.heap.incref(func), inner]);
  const iter = newIterator(it, 'filter', holder, () => {
    for (;;) {
      const v = stepIterator(it, inner);
      if (!v) return null;
      let keep: boolean;
      if (func.kind === 'none') keep = isTrue(it, v);
      else {
        const args = [it.heap.incref(v)];
        try {
          const r = callObject(it, func, args, null);
          keep = isTrue(it, r);
          it.heap.decref(r);
        } finally {
          releaseArgs(it, args);
        }
      }
      if (keep) return v;
      it.heap.decref(v);
    }
  });
  it.heap.decref(holder);
  return iter;
}

/** Steps through any iterable lazily (generator bodies and generator expressions), yielding owned items. */
export function* lazyItems(it: Interp, iterable: PyObject): Generator<PyObject, void, undefined> {
  const iter = makeIterator(it, iterable);
  try {
    for (;;) {
      const v = stepIterator(it, iter);
      if (v === null) return;
      yield v;
    }
  } finally {
    it.heap.decref(iter);
  }
}
