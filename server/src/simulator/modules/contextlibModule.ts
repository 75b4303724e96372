// The simulated `contextlib` module: @contextmanager (a generator driven by __enter__/__exit__) and suppress.
import { callObject } from '../calls';
import { makeClass } from '../classes';
import { resumeGenerator } from '../generators';
import type { Interp } from '../interp';
import { releaseArgs } from '../interp';
import { setAttr } from '../objectProtocol';
import type { ClassObj, InstanceObj, NativeFn, PyObject } from '../objects';
import { PyError } from '../runtime';
import { DATACLASS_METHOD } from './dataclassesModule';
import type { ModuleBuilder } from './registry';

/** A heap class whose methods are native (bound like Python functions). */
function nativeClass(it: Interp, name: string, methods: Record<string, NativeFn>): ClassObj {
  const rt = it.rt;
  const ns = rt.dict();
  rt.dictSetStr(ns, '__module__', rt.intern('contextlib'));
  for (const [m, fn] of Object.entries(methods)) rt.dictSetStr(ns, m, rt.builtin(m, fn, null, DATACLASS_METHOD));
  const cls = makeClass(it, name, name, [it.heap.incref(rt.type('object')) as ClassObj], ns);
  it.heap.decref(ns);
  return cls;
}

function attribute(self: PyObject, name: string): PyObject | null {
  return self.kind === 'instance' ? (self.attrs?.get('s:' + name)?.value ?? null) : null;
}

export function buildContextlibModule(it: Interp, m: ModuleBuilder): void {
  const rt = it.rt;
  const heap = it.heap;
  const managerClass = nativeClass(it, '_GeneratorContextManager', {
    __enter__: (args) => {
      const gen = attribute(args[0], 'gen');
      const v = gen?.kind === 'generator' ? resumeGenerator(it, gen, null) : null;
      if (!v) return rt.raise('RuntimeError', "generator didn't yield");
      return v;
    },
    __exit__: (args) => {
      const gen = attribute(args[0], 'gen');
      if (gen?.kind !== 'generator') return rt.bool(false);
      const value = args[2];
      if (!value || value.kind === 'none') {
        const v = resumeGenerator(it, gen, null);
        if (v) {
          heap.decref(v);
          rt.raise('RuntimeError', "generator didn't stop");
        }
        return rt.bool(false);
      }
      try {
        const v = resumeGenerator(it, gen, null, new PyError(heap.incref(value) as InstanceObj));
        if (v) {
          heap.decref(v);
          rt.raise('RuntimeError', "generator didn't stop after throw()");
        }
        return rt.bool(true);
      } catch (err) {
        // The generator re-raised what it was given: not suppressed.
        if (err instanceof PyError && err.exc === value) {
          heap.decref(err.exc);
          return rt.bool(false);
        }
        throw err;
      }
    },
  });
  m.fn('contextmanager', (args) => {
    const func = heap.incref(args[0]);
    return rt.builtin(args[0].kind === 'function' ? args[0].name : 'helper', (callArgs, kwargs) => {
      const forwarded = callArgs.map((a) => heap.incref(a));
      let gen: PyObject;
      try {
        gen = callObject(it, func, forwarded, kwargs);
      } finally {
        releaseArgs(it, forwarded);
      }
      const manager = callObject(it, managerClass, [], null);
      setAttr(it, manager, 'gen', gen);
      return manager;
    });
  });
  const suppressClass = nativeClass(it, 'suppress', {
    __enter__: () => rt.none(),
    __exit__: (args) => {
      const self = args[0];
      const type = args[1];
      const kinds = attribute(self, 'exceptions');
      if (!type || type.kind !== 'class' || !kinds || kinds.kind !== 'tuple') return rt.bool(false);
      return rt.bool(kinds.items.some((k) => k.kind === 'class' && rt.isSubclass(type, k)));
    },
  });
  m.fn('suppress', (args) => {
    const s = callObject(it, suppressClass, [], null);
    setAttr(it, s, 'exceptions', rt.tuple(args.map((a) => heap.incref(a))));
    return s;
  });
}
