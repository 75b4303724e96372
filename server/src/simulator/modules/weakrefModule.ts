// The simulated `weakref` module: ref (with callbacks, reuse of the basic ref), proxy, WeakMethod, counts, finalize.
import { extraConstructors } from '../builtinTypes';
import type { Interp } from '../interp';
import { newBoundMethod } from '../objectProtocol';
import type { ClassObj, PyObject, WeakrefObj } from '../objects';
import { hashKey } from '../operators';
import { PyError } from '../runtime';
import { makeFinalize } from './functoolsAndFinalize';
import type { ModuleBuilder } from './registry';
import { makeWeakContainer } from './weakContainers';

export function canWeakref(obj: PyObject): boolean {
  switch (obj.kind) {
    case 'instance':
      return obj.cls.hasWeakref || obj.exc !== null;
    case 'function':
    case 'class':
    case 'set':
    case 'frozenset':
    case 'generator':
    case 'method':
    case 'module':
    case 'partial':
    case 'lru_cache':
    case 'weakvaluedict':
    case 'weakkeydict':
    case 'weakset':
    case 'finalize':
    case 'frame':
    case 'property':
      return true;
    default:
      return false;
  }
}

/**
 * A new weak reference to `target` (owned). Refs without callback are shared; proxies and refs with callbacks are
 * inserted after the basic ones, newest first, as CPython's weakref list orders them.
 */
export function newWeakref(it: Interp, target: PyObject, callback: PyObject | null, flavor: WeakrefObj['flavor'], nativeCallback: ((r: WeakrefObj) => void) | null = null): WeakrefObj {
  const rt = it.rt;
  if (!canWeakref(target)) rt.raise('TypeError', `cannot create weak reference to '${target.cls.name}' object`);
  const list = (target.weakrefs ??= []);
  if (flavor === 'ref' && !callback && !nativeCallback) {
    const basic = list.find((r) => r.flavor === 'ref' && !r.callback && !r.nativeCallback);
    if (basic) return it.heap.incref(basic) as WeakrefObj;
  }
  const typeName = flavor === 'proxy' ? 'weakproxy' : flavor === 'weakmethod' ? 'WeakMethod' : flavor === 'internal' ? 'KeyedRef' : 'ReferenceType';
  if (callback) it.heap.incref(callback);
  const ref = it.heap.register<WeakrefObj>(it.heap.init(rt.type(typeName), {
    kind: 'weakref',
    flavor,
    target,
    callback,
    nativeCallback,
    funcRef: null,
    hash: null,
  }));
  if ((flavor === 'ref' && !callback && !nativeCallback) || (flavor === 'proxy' && !callback)) list.unshift(ref);
  else {
    let i = 0;
    while (i < list.length && !list[i].callback && !list[i].nativeCallback && (list[i].flavor === 'ref' || list[i].flavor === 'proxy')) i++;
    list.splice(i, 0, ref);
  }
  return ref;
}

/** Calling a weakref: the referent or None (a WeakMethod rebuilds its bound method). */
export function weakrefCall(it: Interp, ref: WeakrefObj, args: PyObject[]): PyObject {
  if (args.length) it.rt.raise('TypeError', `weakref() takes no arguments`);
  if (ref.flavor === 'proxy') it.rt.raise('TypeError', `'${it.profile.proxyTypeName}' object is not callable`);
  if (!ref.target) return it.rt.none();
  if (ref.flavor === 'weakmethod') {
    const func = ref.funcRef?.target;
    if (!func) return it.rt.none();
    return newBoundMethod(it, func, ref.target);
  }
  return it.heap.incref(ref.target);
}

export function buildWeakrefModule(it: Interp, m: ModuleBuilder): void {
  const rt = it.rt;
  const heap = it.heap;
  const refType = rt.type('ReferenceType');
  const defineType = (name: string, cls: ClassObj, ctor: (args: PyObject[], kwargs: Map<string, PyObject> | null) => PyObject): void => {
    extraConstructors.set(cls, ctor);
    m.value(name, heap.incref(cls));
  };
  defineType('ref', refType, (args) => {
    if (!args[0]) rt.raise('TypeError', '__new__ expected at least 1 argument, got 0');
    const cb = args[1] && args[1].kind !== 'none' ? args[1] : null;
    return newWeakref(it, args[0], cb, 'ref');
  });
  m.value('ReferenceType', heap.incref(refType));
  const proxyType = rt.type('weakproxy');
  proxyType.name = it.profile.proxyTypeName;
  proxyType.qualname = it.profile.proxyTypeName;
  m.value('ProxyType', heap.incref(proxyType));
  m.fn('proxy', (args) => newWeakref(it, args[0], args[1] && args[1].kind !== 'none' ? args[1] : null, 'proxy'));
  defineType('WeakMethod', rt.type('WeakMethod'), (args) => {
    const method = args[0];
    if (method?.kind !== 'method') return rt.raise('TypeError', `argument should be a bound method, not ${method ? method.cls.name : 'None'}`);
    const cb = args[1] && args[1].kind !== 'none' ? args[1] : null;
    const ref = newWeakref(it, method.self, cb, 'weakmethod');
    ref.funcRef = newWeakref(it, method.func, null, 'internal', () => undefined);
    return ref;
  });
  m.fn('getweakrefcount', (args) => rt.int(args[0].weakrefs?.length ?? 0));
  m.fn('getweakrefs', (args) => rt.list((args[0].weakrefs ?? []).map((r) => heap.incref(r))));
  defineType('WeakValueDictionary', rt.type('WeakValueDictionary'), (args, kwargs) => makeWeakContainer(it, 'weakvaluedict', args[0], kwargs));
  defineType('WeakKeyDictionary', rt.type('WeakKeyDictionary'), (args) => makeWeakContainer(it, 'weakkeydict', args[0], null));
  defineType('WeakSet', rt.type('WeakSet'), (args) => makeWeakContainer(it, 'weakset', args[0], null));
  defineType('finalize', rt.type('finalize'), (args, kwargs) => makeFinalize(it, args, kwargs));
  void hashKey;
  void PyError;
}
