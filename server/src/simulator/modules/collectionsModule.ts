// The simulated `collections` module: defaultdict, OrderedDict and deque (dict and list objects of derived types).
import { extraConstructors } from '../builtinTypes';
import type { Interp } from '../interp';
import type { ClassObj, DictObj, ListObj, NativeFn, PyObject } from '../objects';
import { hashKey, iterate, toArray } from '../operators';
import { PyError, RunStopped } from '../runtime';
import type { ModuleBuilder } from './registry';

function fillDict(it: Interp, d: DictObj, source: PyObject | undefined, kwargs: Map<string, PyObject> | null): void {
  const rt = it.rt;
  if (source?.kind === 'dict') for (const [k, e] of source.entries) rt.dictSet(d, k, it.heap.incref(e.key), it.heap.incref(e.value));
  else if (source) {
    iterate(it, source, (pair) => {
      const [k, v] = toArray(it, pair);
      it.heap.decref(pair);
      rt.dictSet(d, hashKey(it, k), k, v);
      return true;
    });
  }
  for (const [k, v] of kwargs ?? []) rt.dictSetStr(d, k, it.heap.incref(v));
}

function typedDict(it: Interp, cls: ClassObj): DictObj {
  const d = it.rt.dict();
  (d as { cls: ClassObj }).cls = cls;
  return d;
}

export function buildCollectionsModule(it: Interp, m: ModuleBuilder): void {
  const rt = it.rt;
  const heap = it.heap;
  const defaultdict = rt.defineType('defaultdict', 'dict');
  const ordered = rt.defineType('OrderedDict', 'dict');
  const deque = rt.defineType('deque', 'object');
  extraConstructors.set(defaultdict, (args, kwargs) => {
    const d = typedDict(it, defaultdict);
    const factory = args[0];
    d.factory = factory && factory.kind !== 'none' ? heap.incref(factory) : null;
    if (d.factory) heap.track(d);
    fillDict(it, d, args[1], kwargs);
    return d;
  });
  extraConstructors.set(ordered, (args, kwargs) => {
    const d = typedDict(it, ordered);
    fillDict(it, d, args[0], kwargs);
    return d;
  });
  extraConstructors.set(deque, (args, kwargs) => {
    if (args[1] || kwargs?.get('maxlen')) throw new RunStopped({ kind: 'unsupported', construct: 'deque(maxlen=...)' }, it.currentLine());
    const q = rt.list(args[0] ? toArray(it, args[0]) : []);
    (q as { cls: ClassObj }).cls = deque;
    return q;
  });
  m.value('defaultdict', heap.incref(defaultdict));
  m.value('OrderedDict', heap.incref(ordered));
  m.value('deque', heap.incref(deque));
}

/** Methods only the derived types have (OrderedDict.move_to_end, deque.appendleft, ...). */
export function collectionsMethod(it: Interp, obj: PyObject, name: string): NativeFn | null {
  const rt = it.rt;
  const heap = it.heap;
  if (obj.kind === 'dict' && obj.cls.name === 'OrderedDict') {
    if (name === 'move_to_end') {
      return (args) => {
        const k = hashKey(it, args[0]);
        const e = obj.entries.get(k);
        if (!e) throw new PyError(rt.makeException('KeyError', [heap.incref(args[0])]));
        obj.entries.delete(k);
        const rest = [...obj.entries];
        const last = !args[1] || (args[1].kind === 'bool' && args[1].value);
        obj.entries = new Map(last ? [...rest, [k, e]] : [[k, e], ...rest]);
        return rt.none();
      };
    }
    if (name === 'popitem') {
      return (args, kwargs) => {
        const lastArg = args[0] ?? kwargs?.get('last');
        const last = !lastArg || (lastArg.kind === 'bool' && lastArg.value);
        const all = [...obj.entries];
        const pick = last ? all[all.length - 1] : all[0];
        if (!pick) return rt.raise('KeyError', 'dictionary is empty');
        obj.entries.delete(pick[0]);
        return rt.tuple([pick[1].key, pick[1].value]);
      };
    }
  }
  if (obj.kind === 'list' && obj.cls.name === 'deque') {
    const list: ListObj = obj;
    switch (name) {
      case 'appendleft':
        return (args) => {
          list.items.unshift(heap.incref(args[0]));
          return rt.none();
        };
      case 'popleft':
        return () => {
          if (!list.items.length) return rt.raise('IndexError', 'pop from an empty deque');
          return list.items.shift()!;
        };
      case 'extendleft':
        return (args) => {
          for (const x of toArray(it, args[0])) list.items.unshift(x);
          return rt.none();
        };
      case 'rotate':
        return (args) => {
          const n = args[0]?.kind === 'int' ? Number(args[0].value) : 1;
          const len = list.items.length;
          if (len) {
            const k = ((n % len) + len) % len;
            list.items = [...list.items.slice(len - k), ...list.items.slice(0, len - k)];
          }
          return rt.none();
        };
      default:
        return null;
    }
  }
  return null;
}
