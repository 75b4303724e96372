// The builtins namespace: print, len, repr, id, isinstance, sorted, min/max/sum, getattr family, iterators, types.
import { callObject } from './calls';
import { formatValue } from './formatting';
import type { Interp } from './interp';
import { releaseArgs } from './interp';
import { enumerateIterator, filterIterator, makeIterator, mapIterator, stepIterator, zipIterator } from './iterators';
import { sortItems } from './nativeMethods';
import { delAttr, getAttr, materializeDict, setAttr, tryGetAttr } from './objectProtocol';
import type { ClassObj, NativeFn, PyObject } from './objects';
import { binaryOp, compareOrder, hashKey, isTrue, iterate, length, toArray } from './operators';
import { addressOf } from './repr';
import { reprOf, strOf } from './reprs';
import { EXCEPTION_TREE, PyError, RunStopped } from './runtime';

const BUILTIN_TYPE_NAMES = ['object', 'type', 'int', 'float', 'str', 'bool', 'tuple', 'list', 'dict', 'set', 'frozenset', 'range', 'property', 'staticmethod', 'classmethod', 'super', 'bytes'];

function strArg(it: Interp, v: PyObject | undefined, what: string): string {
  if (v?.kind === 'str') return v.value;
  return it.rt.raise('TypeError', `${what} must be string, not ${v ? v.cls.name : 'nothing'}`);
}

function isInstance(it: Interp, obj: PyObject, spec: PyObject): boolean {
  if (spec.kind === 'tuple') return spec.items.some((s) => isInstance(it, obj, s));
  if (spec.kind !== 'class') return it.rt.raise('TypeError', 'isinstance() arg 2 must be a type, a tuple of types, or a union');
  if (spec.builtin === 'int' && obj.kind === 'bool') return true;
  return it.rt.isSubclass(obj.cls, spec);
}

function minMax(it: Interp, args: PyObject[], kwargs: Map<string, PyObject> | null, op: '<' | '>', name: string): PyObject {
  const heap = it.heap;
  const items = args.length === 1 ? toArray(it, args[0]) : args.map((a) => heap.incref(a));
  const key = kwargs?.get('key') ?? null;
  if (!items.length) {
    const dflt = kwargs?.get('default');
    if (dflt) return heap.incref(dflt);
    it.rt.raise('ValueError', `${name}() ${it.profile.minor >= 14 ? 'iterable argument is empty' : 'arg is an empty sequence'}`);
  }
  const keyOf = (x: PyObject): PyObject => {
    if (!key) return heap.incref(x);
    const a = [heap.incref(x)];
    try {
      return callObject(it, key, a, null);
    } finally {
      releaseArgs(it, a);
    }
  };
  let best = items[0];
  let bestKey = keyOf(best);
  for (const x of items.slice(1)) {
    const k = keyOf(x);
    if (compareOrder(it, k, bestKey, op)) {
      heap.decref(bestKey);
      best = x;
      bestKey = k;
    } else heap.decref(k);
  }
  heap.decref(bestKey);
  heap.incref(best);
  for (const x of items) heap.decref(x);
  return best;
}

export function installBuiltins(it: Interp): void {
  const rt = it.rt;
  const heap = it.heap;
  const define = (name: string, fn: NativeFn): void => {
    const b = rt.builtin(name, fn);
    heap.makeStatic(b);
    rt.dictSetStr(it.builtins, name, b);
  };
  for (const name of BUILTIN_TYPE_NAMES) rt.dictSetStr(it.builtins, name, heap.incref(rt.type(name)));
  for (const [name] of EXCEPTION_TREE) rt.dictSetStr(it.builtins, name, heap.incref(rt.type(name)));
  rt.dictSetStr(it.builtins, 'None', rt.none());
  rt.dictSetStr(it.builtins, 'Ellipsis', heap.incref(rt.Ellipsis));
  rt.dictSetStr(it.builtins, 'NotImplemented', heap.incref(rt.NotImplemented));
  rt.dictSetStr(it.builtins, '__name__', rt.intern('builtins'));

  define('print', (args, kwargs) => {
    const sepObj = kwargs?.get('sep');
    const endObj = kwargs?.get('end');
    const file = kwargs?.get('file');
    const sep = sepObj && sepObj.kind !== 'none' ? strArg(it, sepObj, 'sep') : ' ';
    const end = endObj && endObj.kind !== 'none' ? strArg(it, endObj, 'end') : '\n';
    const text = args.map((a) => strOf(it, a)).join(sep) + end;
    if (file && file.kind !== 'none' && file !== it.stdoutObj) {
      if (file === it.stderrObj) rt.write('stderr', text);
      else {
        const write = getAttr(it, file, 'write');
        const a = [rt.str(text)];
        try {
          heap.decref(callObject(it, write, a, null));
        } finally {
          releaseArgs(it, a);
          heap.decref(write);
        }
      }
    } else rt.write('stdout', text);
    return rt.none();
  });
  define('len', (args) => rt.int(length(it, args[0])));
  define('repr', (args) => rt.str(reprOf(it, args[0])));
  define('ascii', (args) => rt.str(reprOf(it, args[0])));
  define('id', (args) => rt.int(addressOf(args[0])));
  define('hash', (args) => {
    const k = hashKey(it, args[0]);
    return rt.int(typeof k === 'number' ? k : hashString(String(k)));
  });
  define('isinstance', (args) => rt.bool(isInstance(it, args[0], args[1])));
  define('issubclass', (args) => {
    const [c, spec] = args;
    if (c.kind !== 'class') return rt.raise('TypeError', 'issubclass() arg 1 must be a class');
    const specs = spec.kind === 'tuple' ? spec.items : [spec];
    return rt.bool(specs.some((s) => s.kind === 'class' && rt.isSubclass(c, s)));
  });
  define('callable', (args) => {
    const v = args[0];
    const ok = ['function', 'method', 'builtin', 'class', 'partial', 'lru_cache', 'weakref', 'finalize'].includes(v.kind) || (v.kind === 'instance' && !!tryGetCallable(it, v));
    return rt.bool(ok);
  });
  define('getattr', (args) => {
    const name = strArg(it, args[1], 'attribute name');
    if (args.length > 2) {
      try {
        const v = tryGetAttr(it, args[0], name);
        if (v) return v;
      } catch (err) {
        if (!(err instanceof PyError) || !rt.isInstanceOf(err.exc, 'AttributeError')) throw err;
        heap.decref(err.exc);
      }
      return heap.incref(args[2]);
    }
    return getAttr(it, args[0], name);
  });
  define('setattr', (args) => {
    setAttr(it, args[0], strArg(it, args[1], 'attribute name'), heap.incref(args[2]));
    return rt.none();
  });
  define('delattr', (args) => {
    delAttr(it, args[0], strArg(it, args[1], 'attribute name'));
    return rt.none();
  });
  define('hasattr', (args) => {
    try {
      const v = tryGetAttr(it, args[0], strArg(it, args[1], 'attribute name'));
      if (v) heap.decref(v);
      return rt.bool(v !== null);
    } catch (err) {
      if (!(err instanceof PyError) || !rt.isInstanceOf(err.exc, 'AttributeError')) throw err;
      heap.decref(err.exc);
      return rt.bool(false);
    }
  });
  define('vars', (args) => {
    const v = args[0];
    if (!v) return heap.incref(it.frame.namespace ?? it.frame.globals);
    if (v.kind === 'instance' && v.cls.hasDict) return heap.incref(materializeDict(it, v));
    const d = tryGetAttr(it, v, '__dict__');
    if (d) return d;
    return rt.raise('TypeError', 'vars() argument must have __dict__ attribute');
  });
  define('globals', () => heap.incref(it.frame.globals));
  define('sorted', (args, kwargs) => {
    const items = toArray(it, args[0]);
    const rev = kwargs?.get('reverse');
    sortItems(it, items, kwargs?.get('key') ?? null, rev ? isTrue(it, rev) : false);
    return rt.list(items);
  });
  define('reversed', (args) => {
    const holder = rt.list(toArray(it, args[0]).reverse());
    const iter = makeIterator(it, holder);
    heap.decref(holder);
    return iter;
  });
  define('enumerate', (args, kwargs) => enumerateIterator(it, args[0], Number((args[1] ?? kwargs?.get('start'))?.kind === 'int' ? ((args[1] ?? kwargs?.get('start')) as { value: number }).value : 0)));
  define('zip', (args) => zipIterator(it, args));
  define('map', (args) => mapIterator(it, args[0], args.slice(1)));
  define('filter', (args) => filterIterator(it, args[0], args[1]));
  define('iter', (args) => makeIterator(it, args[0]));
  define('next', (args) => {
    const v = stepIterator(it, args[0]);
    if (v) return v;
    if (args.length > 1) return heap.incref(args[1]);
    return rt.raise('StopIteration');
  });
  define('min', (args, kwargs) => minMax(it, args, kwargs, '<', 'min'));
  define('max', (args, kwargs) => minMax(it, args, kwargs, '>', 'max'));
  define('sum', (args) => {
    let total = args[1] ? heap.incref(args[1]) : rt.int(0);
    iterate(it, args[0], (x) => {
      const next = binaryOp(it, '+', total, x);
      heap.decref(total);
      heap.decref(x);
      total = next;
      return true;
    });
    return total;
  });
  define('any', (args) => {
    let found = false;
    iterate(it, args[0], (x) => {
      found = isTrue(it, x);
      heap.decref(x);
      return !found;
    });
    return rt.bool(found);
  });
  define('all', (args) => {
    let ok = true;
    iterate(it, args[0], (x) => {
      ok = isTrue(it, x);
      heap.decref(x);
      return ok;
    });
    return rt.bool(ok);
  });
  define('abs', (args) => {
    const v = args[0];
    if (v.kind === 'int') return rt.int(typeof v.value === 'bigint' ? (v.value < 0n ? -v.value : v.value) : Math.abs(v.value));
    if (v.kind === 'float') return rt.float(Math.abs(v.value));
    return rt.raise('TypeError', `bad operand type for abs(): '${v.cls.name}'`);
  });
  define('round', (args) => {
    const v = args[0];
    const nd = args[1] && args[1].kind === 'int' ? Number(args[1].value) : null;
    const x = v.kind === 'float' ? v.value : v.kind === 'int' ? Number(v.value) : rt.raise('TypeError', `type ${v.cls.name} doesn't define __round__ method`);
    const f = 10 ** (nd ?? 0);
    const scaled = x * f;
    const r = Math.round(scaled);
    const even = Math.abs(scaled % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    return nd === null ? rt.int(even) : rt.float(even / f);
  });
  define('divmod', (args) => rt.tuple([binaryOp(it, '//', args[0], args[1]), binaryOp(it, '%', args[0], args[1])]));
  define('pow', (args) => binaryOp(it, '**', args[0], args[1]));
  define('chr', (args) => rt.str(String.fromCodePoint(Number((args[0] as { value: number }).value))));
  define('ord', (args) => rt.int((args[0].kind === 'str' ? args[0].value : ' ').codePointAt(0) ?? 0));
  define('format', (args) => rt.str(formatValue(it, args[0], args[1]?.kind === 'str' ? args[1].value : '', false)));
  define('dir', (args) => {
    const v = args[0];
    const names = new Set<string>();
    if (v?.kind === 'instance') {
      for (const e of v.attrs?.values() ?? []) if (e.key.kind === 'str') names.add(e.key.value);
      for (const c of v.cls.mro) for (const e of c.dict.entries.values()) if (e.key.kind === 'str') names.add(e.key.value);
    }
    return rt.list([...names].sort().map((n) => rt.str(n)));
  });
  define('input', () => {
    throw new RunStopped({ kind: 'unsupported', construct: 'input()' }, it.currentLine());
  });
  define('open', () => {
    throw new RunStopped({ kind: 'unsupported', construct: 'open()' }, it.currentLine());
  });
  define('exit', (args) => raiseSystemExit(it, args[0]));
  define('quit', (args) => raiseSystemExit(it, args[0]));
  define('locals', () => {
    const frame = it.frame;
    if (frame.namespace) return heap.incref(frame.namespace);
    const d = rt.dict();
    frame.code?.varnames.forEach((name, i) => {
      let v = frame.locals[i];
      if (v?.kind === 'cell') v = v.ref;
      if (v) rt.dictSetStr(d, name, heap.incref(v));
    });
    return d;
  });
}

export function raiseSystemExit(it: Interp, code: PyObject | undefined): never {
  const exc = it.rt.newException(it.rt.type('SystemExit'), it.rt.tuple(code ? [it.heap.incref(code)] : []));
  throw new PyError(exc);
}

function tryGetCallable(_it: Interp, v: PyObject): boolean {
  return !!(v.kind === 'instance' && (v.cls as ClassObj).mro.some((c) => c.dict.entries.has('s:__call__')));
}

function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
