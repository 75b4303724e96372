// Attribute access: type lookup along the MRO, descriptors, instance attributes (inline or dict) and special attributes.
import type { Interp } from './interp';
import type { BoundMethodObj, ClassObj, DictObj, InstanceObj, PyObject } from './objects';
import { nativeAttribute } from './nativeAttributes';
import { callUnary, hashKey, toArray } from './operators';
import { mayBeTracked, PyError } from './runtime';
import { DATACLASS_METHOD } from './modules/dataclassesModule';

/** Looks `name` up along the class's MRO (borrowed reference). */
export function lookupType(cls: ClassObj, name: string): PyObject | undefined {
  const key = 's:' + name;
  for (const c of cls.mro) {
    const e = c.dict.entries.get(key);
    if (e) return e.value;
  }
  return undefined;
}

/** A special method of a user class, as an owned callable taking `self` first (null when absent). */
export function lookupSpecial(it: Interp, obj: PyObject, name: string): PyObject | null {
  if (obj.kind !== 'instance') return null;
  const v = lookupType(obj.cls, name);
  if (!v) return null;
  if (v.kind === 'staticmethod' && v.func) {
    // Called with self prepended by callers; wrap so self is dropped is not needed for the dunders we support.
    return it.heap.incref(v.func);
  }
  return it.heap.incref(v);
}

export function newBoundMethod(it: Interp, func: PyObject, self: PyObject): BoundMethodObj {
  it.heap.incref(func);
  it.heap.incref(self);
  return it.heap.register<BoundMethodObj>(it.heap.init(it.rt.type('method'), { kind: 'method', func, self }));
}

/** What a class attribute becomes when read through an instance (descriptor __get__). */
function bindDescriptor(it: Interp, descr: PyObject, obj: PyObject, cls: ClassObj): PyObject {
  switch (descr.kind) {
    case 'function':
    case 'lru_cache':
      return newBoundMethod(it, descr, obj);
    case 'builtin':
      // Methods @dataclass generates bind like functions; any other builtin stored on a class does not.
      return descr.ownerType === DATACLASS_METHOD ? newBoundMethod(it, descr, obj) : it.heap.incref(descr);
    case 'staticmethod':
      return it.heap.incref(descr.func!);
    case 'classmethod':
      return newBoundMethod(it, descr.func!, cls);
    case 'property':
      if (!descr.func) it.rt.raise('AttributeError', 'unreadable attribute');
      return callUnary(it, it.heap.incref(descr.func), obj);
    default:
      return it.heap.incref(descr);
  }
}

/** Creates (or returns) the instance's `__dict__` object for reading: materialization rules per version. */
export function materializeDict(it: Interp, inst: InstanceObj): DictObj {
  if (inst.dict) return inst.dict;
  const dict = it.rt.dict();
  inst.attrs ??= new Map();
  dict.entries = inst.attrs;
  dict.owner = inst;
  if (it.profile.materializedDictInvisible) {
    dict.invisible = true;
    it.heap.untrack(dict);
  } else if (!dict.tracked && [...inst.attrs.values()].some((e) => mayBeTracked(e.value))) {
    it.heap.track(dict);
  }
  inst.dict = dict;
  return dict;
}

function instanceAttr(inst: InstanceObj, name: string): PyObject | undefined {
  if (inst.slotValues?.has(name)) return inst.slotValues.get(name);
  return inst.attrs?.get('s:' + name)?.value;
}

export function attributeError(it: Interp, obj: PyObject, name: string): never {
  const message =
    obj.kind === 'module' ? `module '${obj.name}' has no attribute '${name}'` : obj.kind === 'class' ? `type object '${obj.name}' has no attribute '${name}'` : `'${obj.cls.name}' object has no attribute '${name}'`;
  const exc = it.rt.makeException('AttributeError', message);
  if (it.profile.minor >= 10) {
    exc.exc!.name = name;
    exc.exc!.obj = it.heap.incref(obj);
  }
  throw new PyError(exc);
}

/** `obj.name` as a new reference. */
export function getAttr(it: Interp, obj: PyObject, name: string): PyObject {
  const found = tryGetAttr(it, obj, name);
  if (found) return found;
  return attributeError(it, obj, name);
}

export function tryGetAttr(it: Interp, obj: PyObject, name: string): PyObject | null {
  const heap = it.heap;
  if (obj.kind === 'instance') {
    if (name === '__dict__' && obj.cls.hasDict) return heap.incref(materializeDict(it, obj));
    if (name === '__class__') return heap.incref(obj.cls);
    const descr = lookupType(obj.cls, name);
    if (descr && descr.kind === 'property') return bindDescriptor(it, descr, obj, obj.cls);
    const own = instanceAttr(obj, name);
    if (own) return heap.incref(own);
    if (descr) return bindDescriptor(it, descr, obj, obj.cls);
    if (obj.exc) {
      const native = nativeAttribute(it, obj, name);
      if (native) return native;
    }
    const getattrHook = lookupType(obj.cls, '__getattr__');
    if (getattrHook && obj.cls.builtin === null) return callUnary(it, heap.incref(getattrHook), obj, it.rt.str(name));
    return null;
  }
  if (obj.kind === 'class') {
    const special = classSpecial(it, obj, name);
    if (special) return special;
    const v = lookupType(obj, name);
    if (v) {
      if (v.kind === 'classmethod') return newBoundMethod(it, v.func!, obj);
      if (v.kind === 'staticmethod') return heap.incref(v.func!);
      return heap.incref(v);
    }
    if (obj.builtin === 'dict' && name === 'fromkeys') {
      return it.rt.builtin('fromkeys', (args) => {
        const d = it.rt.dict();
        const value = args[1] ?? it.rt.None;
        for (const k of toArray(it, args[0])) it.rt.dictSet(d, hashKey(it, k), k, heap.incref(value));
        return d;
      });
    }
    return nativeAttribute(it, obj, name);
  }
  if (obj.kind === 'module') {
    const e = obj.dict.entries.get('s:' + name);
    if (e) return heap.incref(e.value);
    if (name === '__dict__') return heap.incref(obj.dict);
    if (name === '__name__') return it.rt.str(obj.name);
    return null;
  }
  if (obj.kind === 'super') {
    const mro = obj.self.kind === 'class' ? obj.self.mro : obj.self.cls.mro;
    const start = mro.indexOf(obj.type) + 1;
    for (const c of mro.slice(start)) {
      const e = c.dict.entries.get('s:' + name);
      if (e) return bindDescriptor(it, e.value, obj.self, obj.self.kind === 'class' ? obj.self : obj.self.cls);
      if (c.builtin === 'object' && name === '__init__') return nativeAttribute(it, obj, name);
    }
    return nativeAttribute(it, obj, name);
  }
  if ((obj.kind === 'function' || obj.kind === 'partial' || obj.kind === 'lru_cache') && obj.dict) {
    const e = obj.dict.entries.get('s:' + name);
    if (e) return heap.incref(e.value);
  }
  return nativeAttribute(it, obj, name);
}

function classSpecial(it: Interp, cls: ClassObj, name: string): PyObject | null {
  const rt = it.rt;
  switch (name) {
    case '__name__':
      return rt.str(cls.name);
    case '__qualname__':
      return rt.str(cls.qualname);
    case '__module__':
      return cls.builtin !== null ? rt.str('builtins') : null;
    case '__mro__':
      return rt.tuple(cls.mro.map((c) => it.heap.incref(c)));
    case '__bases__':
      return rt.tuple(cls.bases.map((c) => it.heap.incref(c)));
    case '__base__':
      return cls.bases[0] ? it.heap.incref(cls.bases[0]) : rt.none();
    case '__dict__':
      return it.heap.incref(cls.dict);
    case '__class__':
      return it.heap.incref(rt.type('type'));
    default:
      return null;
  }
}

/** `obj.name = value`; `value` is consumed. */
export function setAttr(it: Interp, obj: PyObject, name: string, value: PyObject): void {
  const heap = it.heap;
  if (obj.kind === 'instance') {
    const descr = lookupType(obj.cls, name);
    if (descr?.kind === 'property') {
      if (!descr.setter) {
        heap.decref(value);
        it.rt.raise('AttributeError', it.profile.minor >= 11 ? `property '${name}' of '${obj.cls.name}' object has no setter` : "can't set attribute");
      }
      heap.decref(callUnary(it, heap.incref(descr.setter), obj, value));
      return;
    }
    if (obj.slotValues && slotNames(obj.cls).has(name)) {
      const old = obj.slotValues.get(name);
      obj.slotValues.set(name, value);
      heap.xdecref(old);
      return;
    }
    if (obj.exc && (name === '__traceback__' || name === '__context__' || name === '__cause__')) {
      setExceptionField(it, obj, name, value);
      return;
    }
    if (!obj.cls.hasDict) {
      heap.decref(value);
      if (it.profile.minor >= 13) it.rt.raise('AttributeError', `'${obj.cls.name}' object has no attribute '${name}' and no __dict__ for setting new attributes`);
      attributeError(it, obj, name);
    }
    storeInstanceAttr(it, obj, name, value);
    return;
  }
  if (obj.kind === 'class') {
    if (obj.builtin !== null) {
      heap.decref(value);
      it.rt.raise('TypeError', `cannot set '${name}' attribute of immutable type '${obj.name}'`);
    }
    it.rt.dictSetStr(obj.dict, name, value);
    obj.version++;
    return;
  }
  if (obj.kind === 'module') {
    it.rt.dictSetStr(obj.dict, name, value);
    return;
  }
  if (obj.kind === 'function') {
    if (name === '__defaults__') {
      const old = obj.defaults;
      obj.defaults = value.kind === 'tuple' && value.items.length ? value : null;
      if (!obj.defaults) heap.decref(value);
      heap.xdecref(old);
      return;
    }
    if (name === '__name__' || name === '__qualname__') {
      if (value.kind === 'str') obj[name === '__name__' ? 'name' : 'qualname'] = value.value;
      heap.decref(value);
      return;
    }
    if (name === '__doc__') {
      const old = obj.doc;
      obj.doc = value;
      heap.xdecref(old);
      return;
    }
    obj.dict ??= it.rt.dict();
    it.rt.dictSetStr(obj.dict, name, value);
    return;
  }
  if (obj.kind === 'partial' || obj.kind === 'lru_cache') {
    if (obj.kind === 'partial') obj.dict ??= it.rt.dict();
    it.rt.dictSetStr(obj.dict!, name, value);
    return;
  }
  heap.decref(value);
  attributeError(it, obj, name);
}

function setExceptionField(it: Interp, obj: InstanceObj, name: string, value: PyObject): void {
  const exc = obj.exc!;
  const v = value.kind === 'none' ? null : value;
  if (!v) it.heap.decref(value);
  if (name === '__traceback__') {
    const old = exc.traceback;
    exc.traceback = v?.kind === 'traceback' ? v : null;
    it.heap.xdecref(old);
  } else if (name === '__context__') {
    const old = exc.context;
    exc.context = v;
    it.heap.xdecref(old);
  } else {
    const old = exc.cause;
    exc.cause = v;
    exc.suppressContext = true;
    it.heap.xdecref(old);
  }
}

export function slotNames(cls: ClassObj): Set<string> {
  const out = new Set<string>();
  for (const c of cls.mro) for (const s of c.slots ?? []) out.add(s);
  return out;
}

/** Stores an instance attribute: the dict before 3.11, inline values after (a real dict past the key limit). */
export function storeInstanceAttr(it: Interp, inst: InstanceObj, name: string, value: PyObject): void {
  it.heap.withHolder(inst, () => `attribute '${name}' of ${it.heap.label(inst)}`, () => storeInstanceAttrUnlabelled(it, inst, name, value));
}

function storeInstanceAttrUnlabelled(it: Interp, inst: InstanceObj, name: string, value: PyObject): void {
  const key = 's:' + name;
  if (inst.dict) {
    it.rt.dictSet(inst.dict, key, it.rt.intern(name), value);
    return;
  }
  if (!it.profile.inlineValues) {
    const dict = it.rt.dict();
    inst.attrs ??= new Map();
    dict.entries = inst.attrs;
    dict.owner = inst;
    inst.dict = dict;
    it.rt.dictSet(dict, key, it.rt.intern(name), value);
    return;
  }
  inst.attrs ??= new Map();
  const existing = inst.attrs.get(key);
  if (existing) {
    const old = existing.value;
    existing.value = value;
    it.heap.decref(old);
    return;
  }
  if (inst.attrs.size >= it.profile.inlineValuesLimit) {
    const dict = it.rt.dict();
    dict.entries = inst.attrs;
    dict.owner = inst;
    inst.dict = dict;
    if ([...inst.attrs.values()].some((e) => mayBeTracked(e.value))) it.heap.track(dict);
    it.rt.dictSet(dict, key, it.rt.intern(name), value);
    return;
  }
  inst.attrs.set(key, { key: it.rt.intern(name), value });
}

export function delAttr(it: Interp, obj: PyObject, name: string): void {
  const heap = it.heap;
  if (obj.kind === 'instance') {
    const descr = lookupType(obj.cls, name);
    if (descr?.kind === 'property' && descr.deleter) {
      heap.decref(callUnary(it, heap.incref(descr.deleter), obj));
      return;
    }
    if (obj.slotValues?.has(name)) {
      const old = obj.slotValues.get(name)!;
      obj.slotValues.delete(name);
      heap.decref(old);
      return;
    }
    const entry = obj.attrs?.get('s:' + name);
    if (entry) {
      obj.attrs!.delete('s:' + name);
      heap.decref(entry.key);
      heap.decref(entry.value);
      return;
    }
    attributeError(it, obj, name);
  }
  if (obj.kind === 'class' && obj.builtin === null) {
    if (it.rt.dictDelete(obj.dict, 's:' + name)) return;
  }
  if (obj.kind === 'function' && name === '__defaults__') {
    const old = obj.defaults;
    obj.defaults = null;
    heap.xdecref(old);
    return;
  }
  if (obj.kind === 'function' && obj.dict && it.rt.dictDelete(obj.dict, 's:' + name)) return;
  if (obj.kind === 'module' && it.rt.dictDelete(obj.dict, 's:' + name)) return;
  attributeError(it, obj, name);
}
