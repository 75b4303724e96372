// The simulated `dataclasses` module: @dataclass generates __init__, __repr__ and __eq__ (and unhashability) from
// the class's annotations; field(default=..., default_factory=...).
import { callObject } from '../calls';
import type { Interp } from '../interp';
import { releaseArgs } from '../interp';
import { setAttr, tryGetAttr } from '../objectProtocol';
import type { BuiltinFnObj, ClassObj, NativeFn, OpaqueObj, PyObject } from '../objects';
import { equals, isTrue } from '../operators';
import { reprOf } from '../reprs';
import { RunStopped } from '../runtime';
import type { ModuleBuilder } from './registry';

/** Marks the generated methods: they bind like Python functions (a plain builtin stored on a class does not). */
export const DATACLASS_METHOD = 'dataclass method';

interface FieldSpec {
  readonly name: string;
  readonly defaultValue: PyObject | null;
  readonly factory: PyObject | null;
}

function fieldsOf(it: Interp, cls: ClassObj): FieldSpec[] {
  const fields: FieldSpec[] = [];
  for (const c of [...cls.mro].reverse()) {
    if (c.builtin !== null) continue;
    const annotations = c.dict.entries.get('s:__annotations__')?.value;
    if (!annotations || annotations.kind !== 'dict') continue;
    for (const e of annotations.entries.values()) {
      if (e.key.kind !== 'str') continue;
      const name = e.key.value;
      const attr = c.dict.entries.get('s:' + name)?.value ?? null;
      let spec: FieldSpec = { name, defaultValue: attr, factory: null };
      if (attr?.kind === 'opaque' && attr.cls.name === 'Field') {
        spec = { name, defaultValue: attr.attrs.get('default') ?? null, factory: attr.attrs.get('default_factory') ?? null };
        if (spec.defaultValue) it.rt.dictSetStr(c.dict, name, it.heap.incref(spec.defaultValue));
        else it.rt.dictDelete(c.dict, 's:' + name);
      }
      const existing = fields.findIndex((f) => f.name === name);
      if (existing >= 0) fields[existing] = spec;
      else fields.push(spec);
    }
  }
  return fields;
}

const reprInProgress = new Set<PyObject>();

function method(it: Interp, name: string, fn: NativeFn): BuiltinFnObj {
  return it.rt.builtin(name, fn, null, DATACLASS_METHOD);
}

function decorate(it: Interp, cls: PyObject, options: Map<string, PyObject> | null): PyObject {
  const rt = it.rt;
  const heap = it.heap;
  if (cls.kind !== 'class') return rt.raise('TypeError', 'dataclass() should be called on a class');
  if (options?.get('frozen') && isTrue(it, options.get('frozen')!)) throw new RunStopped({ kind: 'unsupported', construct: 'dataclass(frozen=True)' }, it.currentLine());
  const fields = fieldsOf(it, cls);
  const qual = it.profile.minor >= 10 ? `${cls.qualname}.__init__` : '__init__';
  rt.dictSetStr(cls.dict, '__init__', method(it, '__init__', (args, kwargs) => {
    const [self, ...positional] = args;
    if (positional.length > fields.length) rt.raise('TypeError', `${qual}() takes ${fields.length + 1} positional arguments but ${positional.length + 1} were given`);
    const missing: string[] = [];
    fields.forEach((f, i) => {
      let value: PyObject | undefined = positional[i] ?? kwargs?.get(f.name);
      let owned = false;
      if (!value && f.factory) {
        value = callObject(it, f.factory, [], null);
        owned = true;
      }
      value ??= f.defaultValue ?? undefined;
      if (!value) {
        missing.push(f.name);
        return;
      }
      setAttr(it, self, f.name, owned ? value : heap.incref(value));
    });
    if (missing.length) {
      const names = missing.map((n) => `'${n}'`);
      const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
      rt.raise('TypeError', `${qual}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`);
    }
    return rt.none();
  }));
  if (!cls.dict.entries.has('s:__repr__') || options?.get('repr')) {
    rt.dictSetStr(cls.dict, '__repr__', method(it, '__repr__', (args) => {
      const self = args[0];
      // reprlib.recursive_repr: a dataclass already being shown prints as '...'
      if (reprInProgress.has(self)) return rt.str('...');
      reprInProgress.add(self);
      try {
        return rt.str(`${cls.qualname}(${fieldReprs(self).join(', ')})`);
      } finally {
        reprInProgress.delete(self);
      }
    }));
  }
  function fieldReprs(self: PyObject): string[] {
    return fields.map((f) => {
      const v = tryGetAttr(it, self, f.name);
      try {
        return `${f.name}=${v ? reprOf(it, v) : '?'}`;
      } finally {
        heap.xdecref(v);
      }
    });
  }
  const eq = options?.get('eq');
  if (!eq || isTrue(it, eq)) {
    rt.dictSetStr(cls.dict, '__eq__', method(it, '__eq__', (args) => {
      const [a, b] = args;
      if (b.cls !== a.cls) return heap.incref(rt.NotImplemented);
      const same = fields.every((f) => {
        const x = tryGetAttr(it, a, f.name);
        const y = tryGetAttr(it, b, f.name);
        try {
          return x !== null && y !== null && equals(it, x, y);
        } finally {
          heap.xdecref(x);
          heap.xdecref(y);
        }
      });
      return rt.bool(same);
    }));
    // eq without frozen: instances are unhashable.
    if (!cls.dict.entries.has('s:__hash__')) rt.dictSetStr(cls.dict, '__hash__', rt.none());
  }
  return heap.incref(cls);
}

export function buildDataclassesModule(it: Interp, m: ModuleBuilder): void {
  const rt = it.rt;
  const fieldType = rt.defineType('Field', 'object');
  m.fn('dataclass', (args, kwargs) => {
    if (args[0]) return decorate(it, args[0], kwargs);
    const options = kwargs ? new Map([...kwargs].map(([k, v]) => [k, it.heap.incref(v)])) : null;
    return rt.builtin('wrap', (inner) => decorate(it, inner[0], options));
  });
  m.fn('field', (_args, kwargs) => {
    const attrs = new Map<string, PyObject>();
    for (const key of ['default', 'default_factory']) {
      const v = kwargs?.get(key);
      if (v) attrs.set(key, it.heap.incref(v));
    }
    return it.heap.register<OpaqueObj>(it.heap.init(fieldType, { kind: 'opaque', attrs, repr: 'Field(...)' }));
  });
  m.fn('asdict', (args) => {
    const obj = args[0];
    const d = rt.dict();
    for (const f of obj.kind === 'instance' ? fieldsOf(it, obj.cls) : []) {
      const v = tryGetAttr(it, obj, f.name);
      if (v) rt.dictSetStr(d, f.name, v);
    }
    return d;
  });
  void releaseArgs;
}
