// repr() and str() of every object kind, as CPython prints them (user __repr__/__str__ included).
import type { Interp } from './interp';
import { lookupSpecial } from './objectProtocol';
import type { PyObject } from './objects';
import { callUnary } from './operators';
import { bytesRepr, floatRepr, hexAddress, strRepr } from './repr';

const inProgress = new Set<PyObject>();

function qualifiedClassName(cls: PyObject & { kind: 'class' }): string {
  return cls.moduleName === 'builtins' ? cls.qualname : `${cls.moduleName}.${cls.qualname}`;
}

export function exceptionStr(it: Interp, obj: PyObject): string {
  if (obj.kind !== 'instance' || !obj.exc) return '';
  const args = obj.exc.args.items;
  if (it.rt.isInstanceOf(obj, 'KeyError') && args.length === 1) return reprOf(it, args[0]);
  if (args.length === 0) return '';
  if (args.length === 1) return strOf(it, args[0]);
  return reprOf(it, obj.exc.args);
}

export function reprOf(it: Interp, obj: PyObject): string {
  switch (obj.kind) {
    case 'int':
      return obj.value.toString();
    case 'bool':
      return obj.value ? 'True' : 'False';
    case 'float':
      return floatRepr(obj.value);
    case 'str':
      return strRepr(obj.value);
    case 'bytes':
      return bytesRepr(obj.value);
    case 'none':
      return 'None';
    case 'ellipsis':
      return 'Ellipsis';
    case 'notimplemented':
      return 'NotImplemented';
    case 'tuple':
    case 'list':
    case 'dict':
    case 'set':
    case 'frozenset':
      return containerRepr(it, obj);
    case 'range':
      return obj.step === 1 ? `range(${obj.start}, ${obj.stop})` : `range(${obj.start}, ${obj.stop}, ${obj.step})`;
    case 'function':
      return `<function ${obj.qualname} at ${hexAddress(obj)}>`;
    case 'class':
      return `<class '${qualifiedClassName(obj)}'>`;
    case 'method': {
      const fname = obj.func.kind === 'function' ? obj.func.qualname : reprOf(it, obj.func);
      return `<bound method ${fname} of ${reprOf(it, obj.self)}>`;
    }
    case 'builtin':
      if (obj.self && obj.self.kind !== 'module') return `<built-in method ${obj.name} of ${obj.self.cls.name} object at ${hexAddress(obj.self)}>`;
      return `<built-in function ${obj.name}>`;
    case 'module':
      return `<module '${obj.name}' (built-in)>`;
    case 'cell':
      return obj.ref ? `<cell at ${hexAddress(obj)}: ${obj.ref.cls.name} object at ${hexAddress(obj.ref)}>` : `<cell at ${hexAddress(obj)}: empty>`;
    case 'weakref':
      if (obj.flavor === 'proxy') {
        return obj.target ? `<weakproxy at ${hexAddress(obj)}; to '${obj.target.cls.name}' at ${hexAddress(obj.target)}>` : `<weakproxy at ${hexAddress(obj)}; dead>`;
      }
      if (!obj.target) return `<${obj.flavor === 'weakmethod' ? 'weakref' : 'weakref'} at ${hexAddress(obj)}; dead>`;
      return `<weakref at ${hexAddress(obj)}; to '${obj.target.cls.name}' at ${hexAddress(obj.target)}>`;
    case 'instance':
      return instanceRepr(it, obj);
    case 'frame':
      return `<frame at ${hexAddress(obj)}, file '${it.fileName}', line ${obj.line}, code ${obj.funcName}>`;
    case 'traceback':
      return `<traceback object at ${hexAddress(obj)}>`;
    case 'generator':
      return `<generator object ${obj.qualname} at ${hexAddress(obj)}>`;
    case 'finalize': {
      const target = obj.ref?.target;
      return target ? `<finalize object at ${hexAddress(obj)}; for '${target.cls.name}' at ${hexAddress(target)}>` : `<finalize object at ${hexAddress(obj)}; dead>`;
    }
    case 'weakvaluedict':
    case 'weakkeydict':
      return `<WeakValueDictionary at ${hexAddress(obj)}>`.replace('WeakValueDictionary', obj.kind === 'weakkeydict' ? 'WeakKeyDictionary' : 'WeakValueDictionary');
    case 'weakset': {
      const items = [...obj.entries.values()].filter((e) => e.ref.target).map((e) => reprOf(it, e.ref.target!));
      return items.length ? `{${items.join(', ')}}` : 'set()';
    }
    case 'partial':
      return `functools.partial(${[reprOf(it, obj.func), ...obj.args.items.map((a) => reprOf(it, a)), ...[...obj.kwargs.entries.values()].map((e) => `${strOf(it, e.key)}=${reprOf(it, e.value)}`)].join(', ')})`;
    case 'lru_cache':
      return `<functools._lru_cache_wrapper object at ${hexAddress(obj)}>`;
    case 'opaque':
      return obj.repr.replace('%ADDR%', hexAddress(obj));
    default:
      return `<${obj.cls.name} object at ${hexAddress(obj)}>`;
  }
}

function instanceRepr(it: Interp, obj: PyObject & { kind: 'instance' }): string {
  const custom = userDunder(it, obj, '__repr__');
  if (custom !== null) return custom;
  if (obj.exc) {
    const args = obj.exc.args.items;
    // 3.6 shows the args tuple's own repr: KeyError('k',)
    const inner = args.length === 1 ? reprOf(it, args[0]) + (it.profile.minor < 7 ? ',' : '') : args.map((a) => reprOf(it, a)).join(', ');
    return `${obj.cls.name}(${inner})`;
  }
  return `<${qualifiedClassName(obj.cls)} object at ${hexAddress(obj)}>`;
}

/** Calls a user-defined `__repr__`/`__str__` (not object's default); null when the class has none. */
function userDunder(it: Interp, obj: PyObject, name: string): string | null {
  if (obj.kind !== 'instance' || !hasUserMethod(obj.cls, name)) return null;
  const m = lookupSpecial(it, obj, name);
  if (!m) return null;
  const r = callUnary(it, m, obj);
  try {
    if (r.kind !== 'str') it.rt.raise('TypeError', `${name} returned non-string (type ${r.cls.name})`);
    return r.value;
  } finally {
    it.heap.decref(r);
  }
}

function hasUserMethod(cls: PyObject & { kind: 'class' }, name: string): boolean {
  for (const c of cls.mro) {
    if (c.builtin !== null) return false;
    if (c.dict.entries.has('s:' + name)) return true;
  }
  return false;
}

function containerRepr(it: Interp, obj: PyObject & { kind: 'tuple' | 'list' | 'dict' | 'set' | 'frozenset' }): string {
  if (obj.cls.name === 'slice' && obj.kind === 'tuple') return `slice(${obj.items.map((i) => reprOf(it, i)).join(', ')})`;
  if (inProgress.has(obj)) return obj.kind === 'list' ? '[...]' : obj.kind === 'dict' ? '{...}' : '(...)';
  inProgress.add(obj);
  try {
    switch (obj.kind) {
      case 'tuple':
        return obj.items.length === 1 ? `(${reprOf(it, obj.items[0])},)` : `(${obj.items.map((i) => reprOf(it, i)).join(', ')})`;
      case 'list': {
        const items = `[${obj.items.map((i) => reprOf(it, i)).join(', ')}]`;
        return obj.cls.name === 'list' ? items : `${obj.cls.name}(${items})`;
      }
      case 'dict': {
        const body = `{${[...obj.entries.values()].map((e) => `${reprOf(it, e.key)}: ${reprOf(it, e.value)}`).join(', ')}}`;
        if (obj.cls.name === 'defaultdict') return `defaultdict(${obj.factory ? reprOf(it, obj.factory) : 'None'}, ${body})`;
        if (obj.cls.name === 'OrderedDict') {
          if (!obj.entries.size) return 'OrderedDict()';
          if (it.profile.minor >= 12) return `OrderedDict(${body})`;
          return `OrderedDict([${[...obj.entries.values()].map((e) => `(${reprOf(it, e.key)}, ${reprOf(it, e.value)})`).join(', ')}])`;
        }
        return body;
      }
      case 'set':
        return obj.entries.size ? `{${[...obj.entries.values()].map((i) => reprOf(it, i)).join(', ')}}` : 'set()';
      case 'frozenset':
        return obj.entries.size ? `frozenset({${[...obj.entries.values()].map((i) => reprOf(it, i)).join(', ')}})` : 'frozenset()';
    }
  } finally {
    inProgress.delete(obj);
  }
}

export function strOf(it: Interp, obj: PyObject): string {
  switch (obj.kind) {
    case 'str':
      return obj.value;
    case 'instance': {
      const custom = userDunder(it, obj, '__str__');
      if (custom !== null) return custom;
      if (obj.exc && !hasUserMethod(obj.cls, '__repr__')) return exceptionStr(it, obj);
      return reprOf(it, obj);
    }
    default:
      return reprOf(it, obj);
  }
}
