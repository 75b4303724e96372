// Methods of builtin types (list.append, dict.get, str.join, ...): native implementations bound to their receiver.
import type { Interp } from './interp';
import type { DescriptorObj, NativeFn, PyObject } from './objects';
import { compareOrder, equals, hashKey, iterate, toArray } from './operators';
import { reprOf, strOf } from './reprs';
import { PyError } from './runtime';
import { generatorMethod } from './generators';
import { weakContainerMethod } from './modules/weakContainers';
import { finalizeMethod, lruCacheMethod } from './modules/functoolsAndFinalize';
import { formatValue } from './formatting';
import { callObject } from './calls';
import { collectionsMethod } from './modules/collectionsModule';

function arity(it: Interp, name: string, args: PyObject[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    if (min === max) it.rt.raise('TypeError', `${name}() takes ${min === 0 ? 'no arguments' : `exactly one argument`} (${args.length} given)`);
    it.rt.raise('TypeError', `${name} expected at most ${max} argument${max === 1 ? '' : 's'}, got ${args.length}`);
  }
}

function intArg(it: Interp, v: PyObject | undefined, dflt: number): number {
  if (!v) return dflt;
  if (v.kind === 'int') return Number(v.value);
  if (v.kind === 'bool') return v.value ? 1 : 0;
  return it.rt.raise('TypeError', `'${v.cls.name}' object cannot be interpreted as an integer`);
}

export function sortItems(it: Interp, items: PyObject[], key: PyObject | null, reverse: boolean): void {
  const keys = key
    ? items.map((x) => {
        const args = [it.heap.incref(x)];
        try {
          return callObject(it, key, args, null);
        } finally {
          for (const a of args) it.heap.decref(a);
        }
      })
    : items;
  const order = items.map((_, i) => i);
  // Stable sort with Python's `<`; reverse=True keeps equal elements in their original order too.
  const less = (a: number, b: number): boolean => compareOrder(it, keys[a], keys[b], '<');
  order.sort((i, j) => {
    const [x, y] = reverse ? [j, i] : [i, j];
    return less(x, y) ? -1 : less(y, x) ? 1 : 0;
  });
  const sorted = order.map((i) => items[i]);
  if (key) for (const k of keys) it.heap.decref(k);
  items.splice(0, items.length, ...sorted);
}

export function nativeMethod(it: Interp, obj: PyObject, name: string): NativeFn | null {
  const rt = it.rt;
  const heap = it.heap;
  if (obj.cls.builtin !== obj.kind && (obj.kind === 'dict' || obj.kind === 'list')) {
    const derived = collectionsMethod(it, obj, name);
    if (derived) return derived;
  }
  switch (obj.kind) {
    case 'list':
      switch (name) {
        case 'append': return (args) => {
          arity(it, 'list.append', args, 1, 1);
          heap.withHolder(obj, () => `item ${obj.items.length} of ${heap.label(obj)}`, () => obj.items.push(heap.incref(args[0])));
          return rt.none();
        };
        case 'extend': return (args) => { const items = toArray(it, args[0]); obj.items.push(...items); return rt.none(); };
        case 'insert': return (args) => {
          let i = intArg(it, args[0], 0);
          if (i < 0) i = Math.max(0, i + obj.items.length);
          obj.items.splice(Math.min(i, obj.items.length), 0, heap.incref(args[1]));
          return rt.none();
        };
        case 'pop': return (args) => {
          if (!obj.items.length) rt.raise('IndexError', 'pop from empty list');
          let i = intArg(it, args[0], -1);
          if (i < 0) i += obj.items.length;
          if (i < 0 || i >= obj.items.length) rt.raise('IndexError', 'pop index out of range');
          return obj.items.splice(i, 1)[0];
        };
        case 'remove': return (args) => {
          const i = obj.items.findIndex((x) => equals(it, x, args[0]));
          if (i < 0) rt.raise('ValueError', 'list.remove(x): x not in list');
          heap.decref(obj.items.splice(i, 1)[0]);
          return rt.none();
        };
        case 'clear': return () => {
          const items = obj.items;
          obj.items = [];
          for (let i = items.length - 1; i >= 0; i--) heap.decref(items[i]);
          return rt.none();
        };
        case 'index': return (args) => {
          const i = obj.items.findIndex((x) => equals(it, x, args[0]));
          if (i < 0) rt.raise('ValueError', `${reprOf(it, args[0])} is not in list`);
          return rt.int(i);
        };
        case 'count': return (args) => rt.int(obj.items.filter((x) => equals(it, x, args[0])).length);
        case 'copy': return () => rt.list(obj.items.map((x) => heap.incref(x)));
        case 'reverse': return () => { obj.items.reverse(); return rt.none(); };
        case 'sort': return (_args, kwargs) => {
          sortItems(it, obj.items, kwargs?.get('key') ?? null, kwargs?.get('reverse')?.kind === 'bool' ? (kwargs.get('reverse') as { value: boolean }).value : false);
          return rt.none();
        };
        default: return null;
      }
    case 'tuple':
      if (name === 'index') return (args) => {
        const i = obj.items.findIndex((x) => equals(it, x, args[0]));
        if (i < 0) rt.raise('ValueError', 'tuple.index(x): x not in tuple');
        return rt.int(i);
      };
      if (name === 'count') return (args) => rt.int(obj.items.filter((x) => equals(it, x, args[0])).length);
      return null;
    case 'dict':
      switch (name) {
        case 'get': return (args) => {
          const e = obj.entries.get(hashKey(it, args[0]));
          return e ? heap.incref(e.value) : args[1] ? heap.incref(args[1]) : rt.none();
        };
        case 'keys': return () => dictView(it, 'dict_keys', [...obj.entries.values()].map((e) => heap.incref(e.key)));
        case 'values': return () => dictView(it, 'dict_values', [...obj.entries.values()].map((e) => heap.incref(e.value)));
        case 'items': return () => dictView(it, 'dict_items', [...obj.entries.values()].map((e) => rt.tuple([heap.incref(e.key), heap.incref(e.value)])));
        case 'pop': return (args) => {
          const k = hashKey(it, args[0]);
          const e = obj.entries.get(k);
          if (!e) {
            if (args[1]) return heap.incref(args[1]);
            throw new PyError(rt.makeException('KeyError', [heap.incref(args[0])]));
          }
          obj.entries.delete(k);
          heap.decref(e.key);
          return e.value;
        };
        case 'popitem': return () => {
          const last = [...obj.entries.entries()].pop();
          if (!last) return rt.raise('KeyError', 'popitem(): dictionary is empty');
          obj.entries.delete(last[0]);
          return rt.tuple([last[1].key, last[1].value]);
        };
        case 'setdefault': return (args) => {
          const k = hashKey(it, args[0]);
          const e = obj.entries.get(k);
          if (e) return heap.incref(e.value);
          const v = args[1] ?? rt.None;
          rt.dictSet(obj, k, heap.incref(args[0]), heap.incref(v));
          return heap.incref(v);
        };
        case 'update': return (args, kwargs) => {
          if (args[0]) {
            if (args[0].kind === 'dict') for (const [k, e] of [...args[0].entries]) rt.dictSet(obj, k, heap.incref(e.key), heap.incref(e.value));
            else iterate(it, args[0], (pair) => {
              const [k, v] = toArray(it, pair);
              heap.decref(pair);
              rt.dictSet(obj, hashKey(it, k), k, v);
              return true;
            });
          }
          for (const [k, v] of kwargs ?? []) rt.dictSetStr(obj, k, heap.incref(v));
          return rt.none();
        };
        case 'clear': return () => {
          const entries = [...obj.entries.values()];
          obj.entries.clear();
          for (const e of entries) {
            heap.decref(e.key);
            heap.decref(e.value);
          }
          return rt.none();
        };
        case 'copy': return () => {
          const d = rt.dict();
          for (const [k, e] of obj.entries) rt.dictSet(d, k, heap.incref(e.key), heap.incref(e.value));
          return d;
        };
        default: return null;
      }
    case 'set':
    case 'frozenset':
      switch (name) {
        case 'add': return (args) => {
          const k = hashKey(it, args[0]);
          if (!obj.entries.has(k)) obj.entries.set(k, heap.incref(args[0]));
          return rt.none();
        };
        case 'discard':
        case 'remove': return (args) => {
          const k = hashKey(it, args[0]);
          const v = obj.entries.get(k);
          if (!v) {
            if (name === 'remove') throw new PyError(rt.makeException('KeyError', [heap.incref(args[0])]));
            return rt.none();
          }
          obj.entries.delete(k);
          heap.decref(v);
          return rt.none();
        };
        case 'clear': return () => {
          const vs = [...obj.entries.values()];
          obj.entries.clear();
          for (const v of vs) heap.decref(v);
          return rt.none();
        };
        case 'update': return (args) => {
          for (const a of args) iterate(it, a, (x) => {
            const k = hashKey(it, x);
            if (obj.entries.has(k)) heap.decref(x);
            else obj.entries.set(k, x);
            return true;
          });
          return rt.none();
        };
        case 'pop': return () => {
          const first = obj.entries.entries().next();
          if (first.done) return rt.raise('KeyError', 'pop from an empty set');
          obj.entries.delete(first.value[0]);
          return first.value[1];
        };
        case 'copy': return () => {
          const s = rt.set(obj.kind);
          for (const [k, v] of obj.entries) s.entries.set(k, heap.incref(v));
          return s;
        };
        default: return null;
      }
    case 'str':
      return strMethod(it, obj.value, name);
    case 'int':
      if (name === 'bit_length') return () => rt.int(obj.value.toString(2).replace('-', '').length);
      return null;
    case 'generator':
      return generatorMethod(it, obj, name);
    case 'weakvaluedict':
    case 'weakkeydict':
    case 'weakset':
      return weakContainerMethod(it, obj, name);
    case 'finalize':
      return finalizeMethod(it, obj, name);
    case 'lru_cache':
      return lruCacheMethod(it, obj, name);
    case 'method':
      if (obj.func.kind === 'lru_cache') return lruCacheMethod(it, obj.func, name);
      return null;
    case 'property':
      if (name === 'setter' || name === 'getter' || name === 'deleter') {
        return (args) => {
          const fn = args[0] ?? null;
          const pick = (field: 'func' | 'setter' | 'deleter', which: string): PyObject | null => {
            const v = which === name ? fn : obj[field];
            return v ? heap.incref(v) : null;
          };
          return heap.register<DescriptorObj>(heap.init(obj.cls, { kind: 'property', func: pick('func', 'getter'), setter: pick('setter', 'setter'), deleter: pick('deleter', 'deleter') }));
        };
      }
      return null;
    case 'opaque':
      return null;
    case 'super':
      if (name === '__init__') return () => rt.none();
      return null;
    case 'instance':
      if (obj.exc && name === 'with_traceback') return (args) => {
        const tb = args[0];
        const old = obj.exc!.traceback;
        obj.exc!.traceback = tb && tb.kind === 'traceback' ? (heap.incref(tb) as typeof old) : null;
        heap.xdecref(old);
        return heap.incref(obj);
      };
      return null;
    default:
      return null;
  }
}

/** keys()/values()/items(): a snapshot list shown as CPython shows the view (`dict_keys([...])`). */
function dictView(it: Interp, typeName: string, items: PyObject[]): PyObject {
  const view = it.rt.list(items);
  (view as { cls: PyObject['cls'] }).cls = it.rt.type(typeName);
  return view;
}

function strMethod(it: Interp, s: string, name: string): NativeFn | null {
  const rt = it.rt;
  const strArg = (v: PyObject | undefined): string => (v && v.kind === 'str' ? v.value : v ? rt.raise('TypeError', `must be str, not ${v.cls.name}`) : '');
  switch (name) {
    case 'join': return (args) => {
      const parts = toArray(it, args[0]);
      try {
        return rt.str(parts.map((p, i) => (p.kind === 'str' ? p.value : rt.raise('TypeError', `sequence item ${i}: expected str instance, ${p.cls.name} found`))).join(s));
      } finally {
        for (const p of parts) it.heap.decref(p);
      }
    };
    case 'startswith': return (args) => rt.bool(args[0].kind === 'tuple' ? args[0].items.some((x) => s.startsWith(strArg(x))) : s.startsWith(strArg(args[0])));
    case 'endswith': return (args) => rt.bool(args[0].kind === 'tuple' ? args[0].items.some((x) => s.endsWith(strArg(x))) : s.endsWith(strArg(args[0])));
    case 'upper': return () => rt.str(s.toUpperCase());
    case 'lower': return () => rt.str(s.toLowerCase());
    case 'strip': return (args) => rt.str(args[0] && args[0].kind === 'str' ? trimChars(s, args[0].value, true, true) : s.trim());
    case 'lstrip': return (args) => rt.str(args[0] && args[0].kind === 'str' ? trimChars(s, args[0].value, true, false) : s.trimStart());
    case 'rstrip': return (args) => rt.str(args[0] && args[0].kind === 'str' ? trimChars(s, args[0].value, false, true) : s.trimEnd());
    case 'replace': return (args) => rt.str(s.split(strArg(args[0])).join(strArg(args[1])));
    case 'split': return (args) => {
      const sep = args[0] && args[0].kind === 'str' ? args[0].value : null;
      const parts = sep === null ? s.trim().split(/\s+/).filter((p) => p) : s.split(sep);
      return rt.list(parts.map((p) => rt.str(p)));
    };
    case 'find': return (args) => rt.int(s.indexOf(strArg(args[0])));
    case 'count': return (args) => rt.int(s.split(strArg(args[0])).length - 1);
    case 'isdigit': return () => rt.bool(/^[0-9]+$/.test(s));
    case 'isidentifier': return () => rt.bool(/^[A-Za-z_][A-Za-z0-9_]*$/.test(s));
    case 'title': return () => rt.str(s.replace(/\w\S*/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase()));
    case 'capitalize': return () => rt.str(s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s);
    case 'ljust': return (args) => rt.str(s.padEnd(Number((args[0] as { value: number }).value)));
    case 'rjust': return (args) => rt.str(s.padStart(Number((args[0] as { value: number }).value)));
    case 'center': {
      return (args) => {
        const w = Number((args[0] as { value: number }).value);
        const total = Math.max(0, w - s.length);
        const left = Math.floor(total / 2) + (total & w & 1);
        return rt.str(' '.repeat(left) + s + ' '.repeat(total - left));
      };
    }
    case 'format': return (args, kwargs) => rt.str(strFormat(it, s, args, kwargs));
    case 'encode': return () => ({ ...rt.str(s), kind: 'bytes' }) as PyObject;
    default: return null;
  }
}

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0;
  let b = s.length;
  while (left && a < b && chars.includes(s[a])) a++;
  while (right && b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** str.format with positional/keyword fields, conversions and format specs. */
export function strFormat(it: Interp, fmt: string, args: PyObject[], kwargs: Map<string, PyObject> | null): string {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const f = field ?? '';
    const v = f === '' ? args[auto++] : /^\d+$/.test(f) ? args[Number(f)] : kwargs?.get(f);
    if (!v) return it.rt.raise(f === '' || /^\d+$/.test(f) ? 'IndexError' : 'KeyError', f === '' || /^\d+$/.test(f) ? 'Replacement index out of range for positional args tuple' : `'${f}'`);
    if (conv === 'r') return formatValue(it, it.rt.str(reprOf(it, v)), spec ?? '', true);
    if (conv === 's') return formatValue(it, it.rt.str(strOf(it, v)), spec ?? '', true);
    return formatValue(it, v, spec ?? '', false);
  });
}
