// functools (partial, lru_cache, cache, wraps) and weakref.finalize: the objects that keep callables and arguments.
import { extraConstructors } from '../builtinTypes';
import { callObject } from '../calls';
import type { Interp } from '../interp';
import { releaseArgs } from '../interp';
import { setAttr, tryGetAttr } from '../objectProtocol';
import type { FinalizeObj, LruCacheObj, NativeFn, OpaqueObj, PartialObj, PyObject } from '../objects';
import { hashKey, toArray } from '../operators';
import { reprOf } from '../reprs';
import type { ModuleBuilder } from './registry';
import { newWeakref } from './weakrefModule';

function makeLruCache(it: Interp, func: PyObject, maxsize: number | null, typed: boolean): LruCacheObj {
  const rt = it.rt;
  it.heap.incref(func);
  const wrapper = it.heap.register<LruCacheObj>(it.heap.init(rt.type('_lru_cache_wrapper'), {
    kind: 'lru_cache',
    func,
    cache: rt.dict(),
    maxsize,
    hits: 0,
    misses: 0,
    dict: rt.dict(),
    typed,
  }));
  rt.dictSetStr(wrapper.dict, '__wrapped__', it.heap.incref(func));
  return wrapper;
}

export function buildFunctoolsModule(it: Interp, m: ModuleBuilder): void {
  const rt = it.rt;
  const heap = it.heap;
  const partialType = rt.type('partial');
  extraConstructors.set(partialType, (args, kwargs) => {
    const [func, ...rest] = args;
    if (!func) rt.raise('TypeError', 'type \'partial\' takes at least one argument');
    const kw = rt.dict();
    for (const [k, v] of kwargs ?? []) rt.dictSetStr(kw, k, heap.incref(v));
    heap.incref(func);
    return heap.register<PartialObj>(heap.init(partialType, { kind: 'partial', func, args: rt.tuple(rest.map((a) => heap.incref(a))), kwargs: kw, dict: null }));
  });
  m.value('partial', heap.incref(partialType));
  const lru: NativeFn = (args, kwargs) => {
    const first = args[0];
    if (first && (first.kind === 'function' || first.kind === 'method' || first.kind === 'builtin' || first.kind === 'partial')) return makeLruCache(it, first, 128, false);
    const sizeObj = first ?? kwargs?.get('maxsize');
    const maxsize = sizeObj && sizeObj.kind === 'int' ? Number(sizeObj.value) : sizeObj && sizeObj.kind !== 'none' ? rt.raise('TypeError', 'Expected first argument to be an integer, a callable, or None') : sizeObj ? null : 128;
    return rt.builtin('decorating_function', (fargs) => makeLruCache(it, fargs[0], maxsize, false));
  };
  m.fn('lru_cache', lru);
  m.fn('cache', (args) => makeLruCache(it, args[0], null, false));
  m.fn('wraps', (args) => {
    const wrapped = heap.incref(args[0]);
    const deco = rt.builtin('decorator', (fargs) => {
      const wrapper = fargs[0];
      for (const name of ['__module__', '__name__', '__qualname__', '__doc__']) {
        const v = tryGetAttr(it, wrapped, name);
        if (v) setAttr(it, wrapper, name, v);
      }
      setAttr(it, wrapper, '__wrapped__', heap.incref(wrapped));
      return heap.incref(wrapper);
    });
    heap.decref(wrapped);
    return deco;
  });
  m.fn('reduce', (args) => {
    const [func, seq, init] = args;
    const items = toArray(it, seq);
    const first = init ? heap.incref(init) : items.shift();
    if (!first) return rt.raise('TypeError', 'reduce() of empty iterable with no initial value');
    let acc: PyObject = first;
    for (const x of items) {
      const a = [acc, x];
      try {
        acc = callObject(it, func, a, null);
      } finally {
        releaseArgs(it, a);
      }
    }
    return acc;
  });
}

export function callLruCache(it: Interp, w: LruCacheObj, args: PyObject[], kwargs: Map<string, PyObject> | null): PyObject {
  const rt = it.rt;
  const heap = it.heap;
  const keyParts = [...args];
  if (kwargs) for (const [k, v] of kwargs) keyParts.push(rt.intern(k), v);
  const key = keyParts.length === 1 && (keyParts[0].kind === 'int' || keyParts[0].kind === 'str') ? heap.incref(keyParts[0]) : rt.tuple(keyParts.map((p) => heap.incref(p)));
  let hash;
  try {
    hash = hashKey(it, key);
  } catch (err) {
    heap.decref(key);
    throw err;
  }
  const hit = w.cache.entries.get(hash);
  if (hit) {
    heap.decref(key);
    w.hits++;
    if (w.maxsize !== null) {
      w.cache.entries.delete(hash);
      w.cache.entries.set(hash, hit);
    }
    return heap.incref(hit.value);
  }
  w.misses++;
  let result: PyObject;
  try {
    result = callObject(it, w.func, args, kwargs);
  } catch (err) {
    heap.decref(key);
    throw err;
  }
  if (w.maxsize === 0) {
    heap.decref(key);
    return result;
  }
  rt.dictSet(w.cache, hash, key, heap.incref(result));
  if (w.maxsize !== null && w.cache.entries.size > w.maxsize) {
    const oldest = w.cache.entries.keys().next().value as string | number;
    rt.dictDelete(w.cache, oldest);
  }
  return result;
}

export function lruCacheMethod(it: Interp, w: LruCacheObj, name: string): NativeFn | null {
  const rt = it.rt;
  if (name === 'cache_info') {
    return () => {
      const info = `CacheInfo(hits=${w.hits}, misses=${w.misses}, maxsize=${w.maxsize === null ? 'None' : w.maxsize}, currsize=${w.cache.entries.size})`;
      return it.heap.register<OpaqueObj>(it.heap.init(rt.type('CacheInfo'), { kind: 'opaque', attrs: new Map([['hits', rt.int(w.hits)], ['misses', rt.int(w.misses)], ['currsize', rt.int(w.cache.entries.size)]]), repr: info }));
    };
  }
  if (name === 'cache_clear') {
    return () => {
      const entries = [...w.cache.entries.values()];
      w.cache.entries.clear();
      w.hits = 0;
      w.misses = 0;
      for (const e of entries) {
        it.heap.decref(e.key);
        it.heap.decref(e.value);
      }
      return rt.none();
    };
  }
  if (name === 'cache_parameters') return () => rt.str(`{'maxsize': ${w.maxsize}, 'typed': False}`);
  return null;
}

// ---- weakref.finalize ----------------------------------------------------------------------------

export function makeFinalize(it: Interp, args: PyObject[], kwargs: Map<string, PyObject> | null): PyObject {
  const rt = it.rt;
  const heap = it.heap;
  const [obj, func, ...rest] = args;
  if (!obj || !func) rt.raise('TypeError', `finalize expected at least 2 arguments, got ${args.length}`);
  const kw = kwargs && kwargs.size ? rt.dict() : null;
  for (const [k, v] of kwargs ?? []) rt.dictSetStr(kw!, k, heap.incref(v));
  const index = it.finalizeCounter++;
  const f = heap.register<FinalizeObj>(heap.init(rt.type('finalize'), {
    kind: 'finalize',
    ref: null,
    func: heap.incref(func),
    args: rt.tuple(rest.map((a) => heap.incref(a))),
    kwargs: kw,
    atexit: true,
    index,
  }));
  try {
    f.ref = newWeakref(it, obj, f, 'ref');
  } catch (err) {
    heap.decref(f);
    throw err;
  }
  if (!it.finalizeAtexitRegistered) {
    it.finalizeAtexitRegistered = true;
    it.atexit.push({ func: null, args: [], kwargs: null });
  }
  it.finalizers.set(index, heap.incref(f));
  return f;
}

/** Removes the finalizer from the registry; returns (func, args, kwargs) owned, or null when dead. */
function takeFinalizer(it: Interp, f: FinalizeObj): { func: PyObject; args: PyObject; kwargs: PyObject | null; obj: PyObject | null } | null {
  if (!it.finalizers.has(f.index)) return null;
  it.finalizers.delete(f.index);
  const out = { func: f.func!, args: f.args!, kwargs: f.kwargs, obj: f.ref?.target ?? null };
  const ref = f.ref;
  f.func = null;
  f.args = null;
  f.kwargs = null;
  f.ref = null;
  if (out.obj) it.heap.incref(out.obj);
  it.heap.xdecref(ref);
  it.heap.decref(f);
  return out;
}

export function callFinalize(it: Interp, f: FinalizeObj): PyObject {
  it.heap.incref(f);
  try {
    const info = takeFinalizer(it, f);
    if (!info) return it.rt.none();
    it.heap.xdecref(info.obj);
    const args = info.args.kind === 'tuple' ? info.args.items.map((a) => it.heap.incref(a)) : [];
    const kwargs = new Map<string, PyObject>();
    if (info.kwargs?.kind === 'dict') for (const e of info.kwargs.entries.values()) if (e.key.kind === 'str') kwargs.set(e.key.value, it.heap.incref(e.value));
    try {
      return callObject(it, info.func, args, kwargs.size ? kwargs : null);
    } finally {
      releaseArgs(it, args);
      for (const v of kwargs.values()) it.heap.decref(v);
      it.heap.decref(info.func);
      it.heap.decref(info.args);
      it.heap.xdecref(info.kwargs);
    }
  } finally {
    it.heap.decref(f);
  }
}

export function finalizeMethod(it: Interp, f: FinalizeObj, name: string): NativeFn | null {
  const rt = it.rt;
  const heap = it.heap;
  const asTuple = (detach: boolean): PyObject => {
    if (!it.finalizers.has(f.index) || !f.ref?.target) return rt.none();
    const obj = f.ref.target;
    const kwargs = f.kwargs ? heap.incref(f.kwargs) : rt.dict();
    const t = rt.tuple([heap.incref(obj), heap.incref(f.func!), heap.incref(f.args!), kwargs]);
    if (detach) {
      const info = takeFinalizer(it, f);
      if (info) {
        heap.xdecref(info.obj);
        heap.decref(info.func);
        heap.decref(info.args);
        heap.xdecref(info.kwargs);
      }
    }
    return t;
  };
  if (name === 'peek') return () => asTuple(false);
  if (name === 'detach') return () => asTuple(true);
  if (name === '__call__') return () => callFinalize(it, f);
  return null;
}

/** At exit: pending finalizers with atexit=True, newest first. */
export function runFinalizersAtExit(it: Interp): void {
  const pending = [...it.finalizers.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f as FinalizeObj).filter((f) => f.atexit);
  while (pending.length) {
    const f = pending.pop()!;
    if (!it.finalizers.has(f.index)) continue;
    it.heap.decref(callFinalize(it, f));
  }
}

export { reprOf };
