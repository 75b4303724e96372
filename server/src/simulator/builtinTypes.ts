// Calling builtin types: int(), str(), list(), dict(), set(), tuple(), object(), type(), property(), super(), ...
import type { Interp } from './interp';
import type { ClassObj, DescriptorObj, InstanceObj, NativeFn, PyObject, SuperObj } from './objects';
import { hashKey, isTrue, iterate, toArray } from './operators';
import { reprOf, strOf } from './reprs';
import { makeClass } from './classes';

/** Constructors registered by modules (weakref.ref, WeakValueDictionary, functools.partial, ...). */
export const extraConstructors = new WeakMap<ClassObj, NativeFn>();

function parseIntText(it: Interp, text: string, base: number): PyObject {
  const t = text.trim().replace(/_/g, '');
  const ok = base === 10 ? /^[+-]?\d+$/.test(t) : /^[+-]?[0-9a-z]+$/i.test(t);
  if (!ok) it.rt.raise('ValueError', `invalid literal for int() with base ${base}: ${reprOf(it, it.rt.intern(text))}`);
  const neg = t.startsWith('-');
  const digits = t.replace(/^[+-]/, '');
  let v = 0n;
  for (const ch of digits.toLowerCase()) v = v * BigInt(base) + BigInt(parseInt(ch, 36));
  return it.rt.int(neg ? -v : v);
}

export function constructBuiltin(it: Interp, cls: ClassObj, args: PyObject[], kwargs: Map<string, PyObject> | null): PyObject {
  const rt = it.rt;
  const heap = it.heap;
  const extra = extraConstructors.get(cls);
  if (extra) return extra(args, kwargs);
  const a0 = args[0];
  switch (cls.builtin) {
    case 'object': {
      if (args.length) rt.raise('TypeError', 'object() takes no arguments');
      heap.incref(cls);
      return heap.register<InstanceObj>(heap.init(cls, false, { kind: 'instance', attrs: null, dict: null, slotValues: null, exc: null }), false);
    }
    case 'int': {
      if (!a0) return rt.int(0);
      if (a0.kind === 'int') return heap.incref(a0);
      if (a0.kind === 'bool') return rt.int(a0.value ? 1 : 0);
      if (a0.kind === 'float') return rt.int(BigInt(Math.trunc(a0.value)));
      if (a0.kind === 'str') return parseIntText(it, a0.value, args[1]?.kind === 'int' ? Number(args[1].value) : 10);
      return rt.raise('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${a0.cls.name}'`);
    }
    case 'float': {
      if (!a0) return rt.float(0);
      if (a0.kind === 'float') return heap.incref(a0);
      if (a0.kind === 'int' || a0.kind === 'bool') return rt.float(Number(a0.kind === 'bool' ? (a0.value ? 1 : 0) : a0.value));
      if (a0.kind === 'str') {
        const t = a0.value.trim().toLowerCase();
        const v = t === 'inf' || t === '+inf' ? Infinity : t === '-inf' ? -Infinity : t === 'nan' ? NaN : Number(t);
        if (Number.isNaN(v) && t !== 'nan') rt.raise('ValueError', `could not convert string to float: ${reprOf(it, a0)}`);
        return rt.float(v);
      }
      return rt.raise('TypeError', `float() argument must be a string or a real number, not '${a0.cls.name}'`);
    }
    case 'str':
      return a0 ? rt.str(strOf(it, a0)) : rt.str('');
    case 'bool':
      return rt.bool(a0 ? isTrue(it, a0) : false);
    case 'list':
      return rt.list(a0 ? toArray(it, a0) : []);
    case 'tuple':
      if (a0?.kind === 'tuple') return heap.incref(a0);
      return rt.tuple(a0 ? toArray(it, a0) : []);
    case 'set':
    case 'frozenset': {
      const s = rt.set(cls.builtin);
      if (a0) iterate(it, a0, (x) => {
        const k = hashKey(it, x);
        if (s.entries.has(k)) heap.decref(x);
        else s.entries.set(k, x);
        return true;
      });
      return s;
    }
    case 'dict': {
      const d = rt.dict();
      if (a0) {
        if (a0.kind === 'dict') for (const [k, e] of a0.entries) rt.dictSet(d, k, heap.incref(e.key), heap.incref(e.value));
        else if (a0.kind === 'weakvaluedict' || a0.kind === 'weakkeydict') {
          for (const e of a0.entries.values()) {
            const key = a0.kind === 'weakvaluedict' ? e.key : e.ref.target;
            const value = a0.kind === 'weakvaluedict' ? e.ref.target : e.value;
            if (key && value) rt.dictSet(d, hashKey(it, key), heap.incref(key), heap.incref(value));
          }
        } else iterate(it, a0, (pair) => {
          const kv = toArray(it, pair);
          heap.decref(pair);
          if (kv.length !== 2) {
            for (const x of kv) heap.decref(x);
            rt.raise('ValueError', `dictionary update sequence element #0 has length ${kv.length}; 2 is required`);
          }
          rt.dictSet(d, hashKey(it, kv[0]), kv[0], kv[1]);
          return true;
        });
      }
      for (const [k, v] of kwargs ?? []) rt.dictSetStr(d, k, heap.incref(v));
      return d;
    }
    case 'type': {
      if (args.length === 1) return heap.incref(a0.cls);
      if (args.length === 3 && a0.kind === 'str' && args[1].kind === 'tuple' && args[2].kind === 'dict') {
        const bases = args[1].items.filter((b): b is ClassObj => b.kind === 'class').map((b) => heap.incref(b) as ClassObj);
        if (!bases.length) bases.push(heap.incref(rt.type('object')) as ClassObj);
        return makeClass(it, a0.value, a0.value, bases, args[2]);
      }
      return rt.raise('TypeError', 'type() takes 1 or 3 arguments');
    }
    case 'range': {
      const n = args.map((x) => (x.kind === 'int' ? Number(x.value) : x.kind === 'bool' ? Number(x.value) : rt.raise('TypeError', `'${x.cls.name}' object cannot be interpreted as an integer`)));
      const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
      if (step === 0) rt.raise('ValueError', 'range() arg 3 must not be zero');
      return heap.register(heap.init(rt.type('range'), { kind: 'range', start, stop, step }));
    }
    case 'property':
    case 'staticmethod':
    case 'classmethod': {
      const func = a0 ?? kwargs?.get('fget') ?? null;
      const setter = cls.builtin === 'property' ? (args[1] ?? kwargs?.get('fset') ?? null) : null;
      if (func) heap.incref(func);
      if (setter) heap.incref(setter);
      return heap.register<DescriptorObj>(heap.init(cls, { kind: cls.builtin, func, setter, deleter: null }));
    }
    case 'super':
      return makeSuper(it, args);
    default:
      return rt.raise('TypeError', `cannot create '${cls.name}' instances`);
  }
}

function makeSuper(it: Interp, args: PyObject[]): PyObject {
  const rt = it.rt;
  let type: PyObject | undefined = args[0];
  let self: PyObject | undefined = args[1];
  if (!type) {
    const frame = it.frame;
    const code = frame.code;
    const cls = code ? it.classOfCode.get(code) : undefined;
    const first = frame.locals[0];
    self = first?.kind === 'cell' ? (first.ref ?? undefined) : (first ?? undefined);
    if (!cls || !self) return rt.raise('RuntimeError', 'super(): no arguments');
    type = cls;
  }
  if (type.kind !== 'class' || !self) return rt.raise('TypeError', 'super() argument 1 must be a type');
  it.heap.incref(type);
  it.heap.incref(self);
  return it.heap.register<SuperObj>(it.heap.init(rt.type('super'), { kind: 'super', type, self }));
}
