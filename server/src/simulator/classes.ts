// Class statements and instance creation: namespaces, __slots__, single inheritance, __init__.
import type { Stmt } from './ast';
import { constructBuiltin } from './builtinTypes';
import type { Interp } from './interp';
import { releaseArgs } from './interp';
import { evalExpr } from './evaluate';
import { lookupType } from './objectProtocol';
import type { ClassObj, DictObj, InstanceObj, OpaqueObj, PyObject } from './objects';
import { RunStopped } from './runtime';
import { callObject } from './calls';
import { toArray } from './operators';

const SUBCLASSABLE_BUILTINS = new Set(['object']);

/** Builtin types CPython calls without building an argument tuple (vectorcall). */
const VECTORCALL_TYPES = new Set(['object', 'type', 'int', 'float', 'str', 'bool', 'tuple', 'list', 'dict', 'set', 'frozenset', 'range', 'super', 'bytes']);

export function buildClass(it: Interp, s: Extract<Stmt, { k: 'class' }>): PyObject {
  const rt = it.rt;
  const bases: ClassObj[] = [];
  try {
    for (const arg of s.bases) {
      if (arg.kind !== 'pos') throw new RunStopped({ kind: 'unsupported', construct: arg.kind === 'kw' ? `class keyword ${arg.name}` : 'class base unpacking' }, s.s.line);
      const b = evalExpr(it, arg.value);
      if (b.kind !== 'class') {
        it.heap.decref(b);
        return rt.raise('TypeError', 'bases must be types');
      }
      bases.push(b);
    }
  } catch (err) {
    for (const b of bases) it.heap.decref(b);
    throw err;
  }
  for (const b of bases) {
    if (b.builtin !== null && !SUBCLASSABLE_BUILTINS.has(b.builtin) && !rt.isSubclass(b, rt.type('BaseException'))) {
      for (const x of bases) it.heap.decref(x);
      throw new RunStopped({ kind: 'unsupported', construct: `subclassing builtin type '${b.name}'` }, s.s.line);
    }
  }
  if (bases.length > 1) {
    for (const x of bases) it.heap.decref(x);
    throw new RunStopped({ kind: 'unsupported', construct: 'multiple inheritance' }, s.s.line);
  }
  if (!bases.length) bases.push(it.heap.incref(rt.type('object')) as ClassObj);
  const namespace = rt.dict();
  rt.dictSetStr(namespace, '__module__', rt.intern('__main__'));
  rt.dictSetStr(namespace, '__qualname__', rt.str(s.qualname));
  const cells = s.freevars.map((name) => it.cellFor(name));
  const frame = it.newFrame(null, it.frame.globals, namespace, s.name, 0, s);
  frame.line = s.s.line;
  frame.freeNames = s.freevars;
  frame.locals.push(...cells);
  try {
    it.runFrame(frame, () => {
      it.execBlock(s.body);
      return rt.None;
    });
  } catch (err) {
    for (const b of bases) it.heap.decref(b);
    it.heap.decref(namespace);
    throw err;
  }
  const cls = makeClass(it, s.name, s.qualname, bases, namespace);
  it.heap.decref(namespace);
  return cls;
}

/** type(name, bases, namespace): copies the namespace into the class dict. `bases` references are taken over. */
export function makeClass(it: Interp, name: string, qualname: string, bases: ClassObj[], namespace: DictObj): ClassObj {
  const rt = it.rt;
  const dict = rt.dict();
  for (const [k, e] of namespace.entries) rt.dictSet(dict, k, it.heap.incref(e.key), it.heap.incref(e.value));
  const base = bases[0];
  let slots: string[] | null = null;
  const slotsDecl = dict.entries.get('s:__slots__')?.value;
  if (slotsDecl) {
    const names = slotsDecl.kind === 'str' ? [slotsDecl] : toArray(it, slotsDecl);
    slots = names.map((n) => (n.kind === 'str' ? n.value : ''));
    if (slotsDecl.kind !== 'str') for (const n of names) it.heap.decref(n);
  }
  const hasDict = slots ? slots.includes('__dict__') || base.hasDict : true;
  const hasWeakref = slots ? slots.includes('__weakref__') || base.hasWeakref : true;
  const ownSlots = slots ? slots.filter((n) => n !== '__dict__' && n !== '__weakref__') : null;
  const moduleEntry = dict.entries.get('s:__module__')?.value;
  rt.heap.incref(rt.type('type'));
  const cls: ClassObj = it.heap.register<ClassObj>(it.heap.init(rt.type('type'), {
    kind: 'class',
    name,
    qualname,
    builtin: null,
    bases,
    mro: [],
    mroTuple: null,
    basesTuple: null,
    dict,
    slots: ownSlots,
    hasDict,
    hasWeakref,
    moduleName: moduleEntry?.kind === 'str' ? moduleEntry.value : '__main__',
    version: 0,
  }));
  cls.mro = [cls, ...base.mro];
  cls.basesTuple = rt.tuple(bases);
  // The MRO tuple refers back to the class: every class is in a reference cycle.
  cls.mroTuple = rt.tuple(cls.mro.map((c) => it.heap.incref(c)));
  if (hasDict && !base.hasDict) rt.dictSetStr(dict, '__dict__', attributeDescriptor(it, cls, '__dict__'));
  if (hasWeakref && !base.hasWeakref) rt.dictSetStr(dict, '__weakref__', attributeDescriptor(it, cls, '__weakref__'));
  if (!dict.entries.has('s:__doc__')) rt.dictSetStr(dict, '__doc__', rt.none());
  // type_new: defining __eq__ without __hash__ makes instances unhashable.
  if (dict.entries.has('s:__eq__') && !dict.entries.has('s:__hash__')) rt.dictSetStr(dict, '__hash__', rt.none());
  for (const e of dict.entries.values()) {
    if (e.value.kind === 'function') it.classOfCode.set(e.value.code, cls);
    else if ((e.value.kind === 'staticmethod' || e.value.kind === 'classmethod' || e.value.kind === 'property') && e.value.func?.kind === 'function') it.classOfCode.set(e.value.func.code, cls);
  }
  return cls;
}

/** The `__dict__` / `__weakref__` getset descriptors a heap type gets (they refer back to the class). */
function attributeDescriptor(it: Interp, cls: ClassObj, name: string): PyObject {
  const attrs = new Map<string, PyObject>([['__objclass__', it.heap.incref(cls)], ['__name__', it.rt.intern(name)]]);
  return it.heap.register<OpaqueObj>(it.heap.init(it.rt.type('getset_descriptor'), { kind: 'opaque', attrs, repr: `<attribute '${name}' of '${cls.name}' objects>` }));
}

function isException(it: Interp, cls: ClassObj): boolean {
  return it.rt.isSubclass(cls, it.rt.type('BaseException'));
}

/** Calling a class: builtin constructors, or a new instance plus `__init__`. */
export function instantiate(it: Interp, cls: ClassObj, args: PyObject[], kwargs: Map<string, PyObject> | null): PyObject {
  const rt = it.rt;
  const heap = it.heap;
  const vectorcall = cls.builtin !== null && VECTORCALL_TYPES.has(cls.builtin);
  if (!vectorcall && !isException(it, cls) && args.length > 0) {
    // type.__call__ packs the positional arguments into a tuple (a GC allocation unless the free list has one).
    heap.decref(rt.tuple(args.map((a) => heap.incref(a))));
  }
  if (cls.builtin !== null && !(isException(it, cls))) return constructBuiltin(it, cls, args, kwargs);
  if (lookupType(cls, '__new__') && cls.builtin === null && cls.mro.some((c) => c.builtin === null && c.dict.entries.has('s:__new__'))) {
    throw new RunStopped({ kind: 'unsupported', construct: '__new__' }, it.currentLine());
  }
  let inst: InstanceObj;
  if (isException(it, cls)) {
    inst = rt.newException(cls, rt.tuple(args.map((a) => heap.incref(a))));
  } else {
    const untracked = it.profile.emptySlotsUntracked && !cls.hasDict && !cls.hasWeakref && cls.mro.every((c) => !c.slots || c.slots.length === 0);
    heap.incref(cls);
    inst = heap.register(heap.newInstance(cls, !untracked, cls.mro.some((c) => c.slots && c.slots.length) ? new Map() : null));
  }
  const init = userInit(cls);
  if (init) {
    const initArgs = [heap.incref(inst), ...args.splice(0)];
    // The C-level calls between the class call and `__init__` count against the recursion limits (per version).
    const profile = it.profile;
    it.depth += profile.initCallDepth;
    it.initNesting++;
    try {
      if (it.initNesting >= profile.nestedInitLimit) rt.raise('RecursionError', 'maximum recursion depth exceeded');
      const r = callObject(it, init, initArgs, kwargs);
      if (r.kind !== 'none') {
        heap.decref(r);
        rt.raise('TypeError', `__init__() should return None, not '${r.cls.name}'`);
      }
    } catch (err) {
      releaseArgs(it, initArgs);
      heap.decref(inst);
      throw err;
    } finally {
      it.depth -= profile.initCallDepth;
      it.initNesting--;
    }
    releaseArgs(it, initArgs);
  } else if (!isException(it, cls) && (args.length || (kwargs && kwargs.size))) {
    heap.decref(inst);
    rt.raise('TypeError', `${cls.name}() takes no arguments`);
  }
  return inst;
}

function userInit(cls: ClassObj): PyObject | null {
  for (const c of cls.mro) {
    if (c.builtin !== null) return null;
    const e = c.dict.entries.get('s:__init__');
    if (e) return e.value;
  }
  return null;
}
