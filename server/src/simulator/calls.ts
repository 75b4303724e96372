// Calling any callable: functions, bound methods, builtins, classes, partials, lru_cache wrappers, weakrefs, __call__.
import { instantiate } from './classes';
import type { Interp } from './interp';
import { releaseArgs } from './interp';
import { lookupSpecial } from './objectProtocol';
import type { PyObject } from './objects';
import { callLruCache, callFinalize } from './modules/functoolsAndFinalize';
import { weakrefCall } from './modules/weakrefModule';

/**
 * Calls `f`. `args`/`kwargs` hold references the caller owns; a Python function may take them over (3.11+),
 * emptying the containers. The caller releases whatever is left (`releaseArgs`). Returns a new reference.
 */
export function callObject(it: Interp, f: PyObject, args: PyObject[], kwargs: Map<string, PyObject> | null): PyObject {
  switch (f.kind) {
    case 'function':
      return it.callFunction(f, args, kwargs);
    case 'method':
      args.unshift(it.heap.incref(f.self));
      return callObject(it, f.func, args, kwargs);
    case 'builtin':
      return f.fn(args, kwargs);
    case 'class':
      return instantiate(it, f, args, kwargs);
    case 'partial': {
      const merged = [...f.args.items.map((a) => it.heap.incref(a)), ...args.splice(0)];
      let kw = kwargs;
      if (f.kwargs.entries.size) {
        kw = new Map();
        for (const e of f.kwargs.entries.values()) if (e.key.kind === 'str') kw.set(e.key.value, it.heap.incref(e.value));
        for (const [k, v] of kwargs ?? []) {
          const old = kw.get(k);
          if (old) it.heap.decref(old);
          kw.set(k, v);
        }
        kwargs?.clear();
      }
      try {
        return callObject(it, f.func, merged, kw);
      } finally {
        releaseArgs(it, merged);
        if (kw !== kwargs && kw) for (const v of kw.values()) it.heap.decref(v);
      }
    }
    case 'lru_cache':
      return callLruCache(it, f, args, kwargs);
    case 'weakref':
      return weakrefCall(it, f, args);
    case 'finalize':
      return callFinalize(it, f);
    case 'instance': {
      const call = lookupSpecial(it, f, '__call__');
      if (call) {
        args.unshift(it.heap.incref(f));
        try {
          return callObject(it, call, args, kwargs);
        } finally {
          it.heap.decref(call);
        }
      }
      break;
    }
    default:
      break;
  }
  return it.rt.raise('TypeError', `'${f.cls.name}' object is not callable`);
}
