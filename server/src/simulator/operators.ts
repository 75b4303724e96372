// Object protocols: truth, hashing, equality, ordering, arithmetic, iteration, length and item access.
import type { BinaryOp } from './ast';
import type { Interp } from './interp';
import { releaseArgs } from './interp';
import { lookupSpecial } from './objectProtocol';
import type { DictObj, HashKey, IntValue, PyObject } from './objects';
import { resumeGenerator } from './generators';
import { PyError } from './runtime';
import { reprOf } from './reprs';
import { callObject } from './calls';

export function isTrue(it: Interp, v: PyObject): boolean {
  switch (v.kind) {
    case 'bool':
      return v.value;
    case 'none':
      return false;
    case 'int':
      return typeof v.value === 'bigint' ? v.value !== 0n : v.value !== 0;
    case 'float':
      return v.value !== 0;
    case 'str':
    case 'bytes':
      return v.value.length > 0;
    case 'tuple':
    case 'list':
      return v.items.length > 0;
    case 'dict':
    case 'set':
    case 'frozenset':
      return v.entries.size > 0;
    case 'weakvaluedict':
    case 'weakkeydict':
    case 'weakset':
      return v.entries.size > 0;
    case 'range':
      return rangeLength(v.start, v.stop, v.step) > 0;
    case 'instance': {
      const bool = lookupSpecial(it, v, '__bool__') ?? lookupSpecial(it, v, '__len__');
      if (!bool) return true;
      const r = callUnary(it, bool, v);
      try {
        return r.kind === 'bool' ? r.value : isTrue(it, r);
      } finally {
        it.heap.decref(r);
      }
    }
    default:
      return true;
  }
}

/** Calls a looked-up special method (owned) with `self` and extra owned args. */
export function callUnary(it: Interp, method: PyObject, self: PyObject, ...extra: PyObject[]): PyObject {
  const args = [it.heap.incref(self), ...extra];
  try {
    return callObject(it, method, args, null);
  } finally {
    releaseArgs(it, args);
    it.heap.decref(method);
  }
}

export function rangeLength(start: number, stop: number, step: number): number {
  if (step > 0) return stop > start ? Math.ceil((stop - start) / step) : 0;
  return start > stop ? Math.ceil((start - stop) / -step) : 0;
}

export function hashKey(it: Interp, obj: PyObject): HashKey {
  switch (obj.kind) {
    case 'int':
      return typeof obj.value === 'bigint' ? 'b' + obj.value.toString() : obj.value;
    case 'bool':
      return obj.value ? 1 : 0;
    case 'float':
      return Number.isInteger(obj.value) ? obj.value : 'f' + obj.value;
    case 'str':
      return 's:' + obj.value;
    case 'bytes':
      return 'y:' + obj.value;
    case 'none':
      return 'None';
    case 'tuple':
      return 't(' + obj.items.map((i) => String(hashKey(it, i))).join(',') + ')';
    case 'frozenset':
      return 'F(' + [...obj.entries.keys()].map(String).sort().join(',') + ')';
    case 'list':
    case 'dict':
    case 'set':
      return it.rt.raise('TypeError', `unhashable type: '${obj.cls.name}'`);
    case 'weakref':
      if (obj.target) return 'w:' + String(hashKey(it, obj.target));
      if (obj.hash !== null) return 'w:' + obj.hash;
      return it.rt.raise('TypeError', 'weak object has gone away');
    case 'instance': {
      if (obj.cls.builtin === null) {
        const hashFn = lookupSpecial(it, obj, '__hash__');
        if (hashFn && hashFn.kind !== 'none') {
          const r = callUnary(it, hashFn, obj);
          const v = r.kind === 'int' ? r.value : 0;
          it.heap.decref(r);
          return 'h:' + v.toString();
        }
        if (hashFn) it.heap.decref(hashFn);
        if (hashFn?.kind === 'none') it.rt.raise('TypeError', `unhashable type: '${obj.cls.name}'`);
      }
      return 'o:' + obj.serial;
    }
    default:
      return 'o:' + obj.serial;
  }
}

function numeric(v: PyObject): number | bigint | null {
  if (v.kind === 'int') return v.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  if (v.kind === 'float') return v.value;
  return null;
}

export function equals(it: Interp, a: PyObject, b: PyObject): boolean {
  if (a === b) return true;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== null && nb !== null) {
    if (typeof na === 'bigint' || typeof nb === 'bigint') {
      if (a.kind === 'float' || b.kind === 'float') return Number(na) === Number(nb);
      return BigInt(na) === BigInt(nb);
    }
    return na === nb;
  }
  switch (a.kind) {
    case 'str':
    case 'bytes':
      return b.kind === a.kind && a.value === b.value;
    case 'tuple':
    case 'list':
      if (b.kind !== a.kind || a.items.length !== b.items.length) return false;
      for (let i = 0; i < a.items.length; i++) if (!equals(it, a.items[i], b.items[i])) return false;
      return true;
    case 'dict':
      if (b.kind !== 'dict' || a.entries.size !== b.entries.size) return false;
      for (const [k, e] of a.entries) {
        const other = b.entries.get(k);
        if (!other || !equals(it, e.value, other.value)) return false;
      }
      return true;
    case 'set':
    case 'frozenset':
      if ((b.kind !== 'set' && b.kind !== 'frozenset') || a.entries.size !== b.entries.size) return false;
      for (const k of a.entries.keys()) if (!b.entries.has(k)) return false;
      return true;
    case 'range':
      return b.kind === 'range' && a.start === b.start && a.stop === b.stop && a.step === b.step;
    case 'weakref':
      if (b.kind !== 'weakref') return false;
      if (a.flavor === 'proxy') break;
      if (a.target && b.target) return equals(it, a.target, b.target);
      return false;
    case 'method':
      return b.kind === 'method' && a.func === b.func && a.self === b.self;
    default:
      break;
  }
  const r = richCompare(it, a, b, '__eq__');
  if (r !== null) return r;
  return false;
}

const REFLECTED: Record<string, string> = { __eq__: '__eq__', __ne__: '__ne__', __lt__: '__gt__', __gt__: '__lt__', __le__: '__ge__', __ge__: '__le__' };

/** User-defined comparison dunders; null when neither side implements it. */
function richCompare(it: Interp, a: PyObject, b: PyObject, name: string): boolean | null {
  for (const [x, y, n] of [[a, b, name], [b, a, REFLECTED[name]]] as const) {
    if (x.kind !== 'instance' || x.cls.builtin !== null) continue;
    const m = lookupSpecial(it, x, n);
    if (!m) continue;
    const r = callUnary(it, m, x, it.heap.incref(y));
    try {
      if (r.kind === 'notimplemented') continue;
      return isTrue(it, r);
    } finally {
      it.heap.decref(r);
    }
  }
  return null;
}

export function compareOrder(it: Interp, a: PyObject, b: PyObject, op: '<' | '>' | '<=' | '>='): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== null && nb !== null) {
    const x = typeof na === 'bigint' || typeof nb === 'bigint' ? (a.kind === 'float' || b.kind === 'float' ? [Number(na), Number(nb)] : [BigInt(na), BigInt(nb)]) : [na, nb];
    return op === '<' ? x[0] < x[1] : op === '>' ? x[0] > x[1] : op === '<=' ? x[0] <= x[1] : x[0] >= x[1];
  }
  if ((a.kind === 'str' && b.kind === 'str') || (a.kind === 'bytes' && b.kind === 'bytes')) {
    return op === '<' ? a.value < b.value : op === '>' ? a.value > b.value : op === '<=' ? a.value <= b.value : a.value >= b.value;
  }
  if ((a.kind === 'tuple' && b.kind === 'tuple') || (a.kind === 'list' && b.kind === 'list')) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      if (!equals(it, a.items[i], b.items[i])) return compareOrder(it, a.items[i], b.items[i], op);
    }
    const la = a.items.length;
    const lb = b.items.length;
    return op === '<' ? la < lb : op === '>' ? la > lb : op === '<=' ? la <= lb : la >= lb;
  }
  const name = op === '<' ? '__lt__' : op === '>' ? '__gt__' : op === '<=' ? '__le__' : '__ge__';
  const r = richCompare(it, a, b, name);
  if (r !== null) return r;
  return it.rt.raise('TypeError', `'${op}' not supported between instances of '${a.cls.name}' and '${b.cls.name}'`);
}

export function contains(it: Interp, container: PyObject, item: PyObject): boolean {
  switch (container.kind) {
    case 'dict':
      return container.entries.has(hashKey(it, item));
    case 'set':
    case 'frozenset':
      return container.entries.has(hashKey(it, item));
    case 'str':
      if (item.kind !== 'str') it.rt.raise('TypeError', `'in <string>' requires string as left operand, not ${item.cls.name}`);
      return container.value.includes(item.value);
    case 'tuple':
    case 'list':
      return container.items.some((x) => equals(it, x, item));
    case 'weakvaluedict':
    case 'weakkeydict':
    case 'weakset': {
      const key = container.kind === 'weakvaluedict' ? hashKey(it, item) : weakKeyOf(it, item);
      return key !== null && container.entries.has(key);
    }
    default: {
      let found = false;
      iterate(it, container, (x) => {
        found = equals(it, x, item);
        it.heap.decref(x);
        return !found;
      });
      return found;
    }
  }
}

/** Weak containers key their entries by the identity-or-hash of the referent. */
export function weakKeyOf(it: Interp, obj: PyObject): HashKey | null {
  try {
    return hashKey(it, obj);
  } catch (err) {
    if (err instanceof PyError) {
      it.heap.decref(err.exc);
      return null;
    }
    throw err;
  }
}

/**
 * Calls `fn` with each item (a new reference the callback owns) until it returns false.
 * Mirrors CPython's iterators: lists are read by index each step; dicts detect resizing.
 */
export function iterate(it: Interp, obj: PyObject, fn: (item: PyObject) => boolean, _forLoop = false): void {
  const heap = it.heap;
  switch (obj.kind) {
    case 'list':
    case 'tuple':
      for (let i = 0; i < obj.items.length; i++) if (!fn(heap.incref(obj.items[i]))) return;
      return;
    case 'str':
      for (const ch of obj.value) if (!fn(it.rt.str(ch))) return;
      return;
    case 'range':
      for (let v = obj.start; obj.step > 0 ? v < obj.stop : v > obj.stop; v += obj.step) if (!fn(it.rt.int(v))) return;
      return;
    case 'dict':
      iterateDict(it, obj, (e) => fn(heap.incref(e.key)));
      return;
    case 'set':
    case 'frozenset': {
      const size = obj.entries.size;
      for (const v of [...obj.entries.values()]) {
        if (obj.entries.size !== size) it.rt.raise('RuntimeError', 'Set changed size during iteration');
        if (!fn(heap.incref(v))) return;
      }
      return;
    }
    case 'weakvaluedict':
    case 'weakkeydict':
    case 'weakset':
      for (const e of [...obj.entries.values()]) {
        const v = obj.kind === 'weakvaluedict' ? e.key : e.ref.target;
        if (!v || !e.ref.target) continue;
        if (!fn(heap.incref(v))) return;
      }
      return;
    case 'iterator':
      for (;;) {
        const v = obj.next();
        if (v === null) return;
        if (!fn(v)) return;
      }
    case 'generator':
      for (;;) {
        const v = resumeGenerator(it, obj, null);
        if (v === null) return;
        if (!fn(v)) return;
      }
    case 'instance': {
      const iterFn = lookupSpecial(it, obj, '__iter__');
      if (!iterFn) {
        const getitem = lookupSpecial(it, obj, '__getitem__');
        if (getitem) heap.decref(getitem);
        break;
      }
      const iterator = callUnary(it, iterFn, obj);
      try {
        if (iterator.kind !== 'instance') {
          iterate(it, iterator, fn);
          return;
        }
        for (;;) {
          const next = lookupSpecial(it, iterator, '__next__');
          if (!next) it.rt.raise('TypeError', `iter() returned non-iterator of type '${iterator.cls.name}'`);
          let v: PyObject;
          try {
            v = callUnary(it, next, iterator);
          } catch (err) {
            if (err instanceof PyError && it.rt.isInstanceOf(err.exc, 'StopIteration')) {
              heap.decref(err.exc);
              return;
            }
            throw err;
          }
          if (!fn(v)) return;
        }
      } finally {
        heap.decref(iterator);
      }
    }
    default:
      break;
  }
  it.rt.raise('TypeError', `'${obj.cls.name}' object is not iterable`);
}

export function iterateDict(it: Interp, d: DictObj, fn: (e: { key: PyObject; value: PyObject }) => boolean): void {
  const size = d.entries.size;
  for (const e of [...d.entries.values()]) {
    if (d.entries.size !== size) it.rt.raise('RuntimeError', 'dictionary changed size during iteration');
    if (!fn(e)) return;
  }
  if (d.entries.size !== size) it.rt.raise('RuntimeError', 'dictionary changed size during iteration');
}

/** Collects an iterable's items (owned references). */
export function toArray(it: Interp, obj: PyObject): PyObject[] {
  const out: PyObject[] = [];
  try {
    iterate(it, obj, (x) => {
      out.push(x);
      return true;
    });
  } catch (err) {
    for (const x of out) it.heap.decref(x);
    throw err;
  }
  return out;
}

export function length(it: Interp, obj: PyObject): number {
  switch (obj.kind) {
    case 'str':
    case 'bytes':
      return [...obj.value].length;
    case 'tuple':
    case 'list':
      return obj.items.length;
    case 'dict':
    case 'set':
    case 'frozenset':
      return obj.entries.size;
    case 'weakvaluedict':
    case 'weakkeydict':
    case 'weakset':
      return [...obj.entries.values()].filter((e) => e.ref.target !== null).length;
    case 'range':
      return rangeLength(obj.start, obj.stop, obj.step);
    case 'instance': {
      const m = lookupSpecial(it, obj, '__len__');
      if (m) {
        const r = callUnary(it, m, obj);
        const n = r.kind === 'int' ? Number(r.value) : 0;
        it.heap.decref(r);
        return n;
      }
      break;
    }
    default:
      break;
  }
  return it.rt.raise('TypeError', `object of type '${obj.cls.name}' has no len()`);
}

// ---- arithmetic ------------------------------------------------------------------------------

function intResult(it: Interp, v: bigint | number): PyObject {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return it.rt.int(v);
    return it.rt.int(BigInt(v));
  }
  return it.rt.int(v);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function intOp(it: Interp, op: BinaryOp, a: IntValue, b: IntValue): PyObject | null {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+': return intResult(it, a + b);
      case '-': return intResult(it, a - b);
      case '*': {
        const r = a * b;
        if (Number.isSafeInteger(r)) return it.rt.int(r);
        break;
      }
      case '//':
        if (b === 0) zeroDivision(it, op, false);
        return it.rt.int(Math.floor(a / b));
      case '%':
        if (b === 0) zeroDivision(it, op, false);
        return it.rt.int(((a % b) + b) % b);
      default:
        break;
    }
  }
  const x = BigInt(a);
  const y = BigInt(b);
  switch (op) {
    case '+': return it.rt.int(x + y);
    case '-': return it.rt.int(x - y);
    case '*': return it.rt.int(x * y);
    case '//':
      if (y === 0n) zeroDivision(it, op, false);
      return it.rt.int(floorDiv(x, y));
    case '%': {
      if (y === 0n) zeroDivision(it, op, false);
      return it.rt.int(x - floorDiv(x, y) * y);
    }
    case '**':
      if (y < 0n) return it.rt.float(Number(x) ** Number(y));
      return it.rt.int(x ** y);
    case '/':
      if (y === 0n) zeroDivision(it, op, false);
      return it.rt.float(Number(x) / Number(y));
    case '<<': return it.rt.int(x << y);
    case '>>': return it.rt.int(x >> y);
    case '&': return it.rt.int(x & y);
    case '|': return it.rt.int(x | y);
    case '^': return it.rt.int(x ^ y);
    default:
      return null;
  }
}

/** CPython's ZeroDivisionError messages per operator, operand type and version. */
function zeroDivision(it: Interp, op: BinaryOp, isFloat: boolean): never {
  const minor = it.profile.minor;
  if (minor >= 14) return it.rt.raise('ZeroDivisionError', 'division by zero');
  if (op === '/') return it.rt.raise('ZeroDivisionError', isFloat ? 'float division by zero' : 'division by zero');
  if (op === '//') return it.rt.raise('ZeroDivisionError', isFloat ? (minor >= 7 ? 'float floor division by zero' : 'float divmod()') : 'integer division or modulo by zero');
  if (isFloat) return it.rt.raise('ZeroDivisionError', minor >= 13 ? 'float modulo by zero' : 'float modulo');
  return it.rt.raise('ZeroDivisionError', minor >= 11 ? 'integer modulo by zero' : 'integer division or modulo by zero');
}

function floatOp(it: Interp, op: BinaryOp, a: number, b: number, isFloat = true): PyObject | null {
  switch (op) {
    case '+': return it.rt.float(a + b);
    case '-': return it.rt.float(a - b);
    case '*': return it.rt.float(a * b);
    case '/':
      if (b === 0) zeroDivision(it, op, isFloat);
      return it.rt.float(a / b);
    case '//':
      if (b === 0) zeroDivision(it, op, isFloat);
      return it.rt.float(Math.floor(a / b));
    case '%':
      if (b === 0) zeroDivision(it, op, isFloat);
      return it.rt.float(((a % b) + b) % b);
    case '**': return it.rt.float(a ** b);
    default:
      return null;
  }
}

const DUNDERS: Record<BinaryOp, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'truediv', '//': 'floordiv', '%': 'mod', '**': 'pow', '<<': 'lshift', '>>': 'rshift', '&': 'and', '|': 'or', '^': 'xor', '@': 'matmul',
};

/** `a op b` on borrowed operands; returns a new reference. */
export function binaryOp(it: Interp, op: BinaryOp, a: PyObject, b: PyObject): PyObject {
  const na = a.kind === 'int' || a.kind === 'bool' ? (a.kind === 'bool' ? (a.value ? 1 : 0) : a.value) : null;
  const nb = b.kind === 'int' || b.kind === 'bool' ? (b.kind === 'bool' ? (b.value ? 1 : 0) : b.value) : null;
  if (na !== null && nb !== null) {
    if (op === '/') return floatOp(it, op, Number(na), Number(nb), false)!;
    const r = intOp(it, op, na, nb);
    if (r) return r;
  }
  const fa = numeric(a);
  const fb = numeric(b);
  if (fa !== null && fb !== null) {
    const r = floatOp(it, op, Number(fa), Number(fb));
    if (r) return r;
  }
  const rt = it.rt;
  if (op === '+') {
    if (a.kind === 'str' && b.kind === 'str') return rt.str(a.value + b.value);
    if (a.kind === 'list' && b.kind === 'list') return rt.list([...a.items, ...b.items].map((x) => it.heap.incref(x)));
    if (a.kind === 'tuple' && b.kind === 'tuple') return rt.tuple([...a.items, ...b.items].map((x) => it.heap.incref(x)));
  }
  if (op === '*') {
    const seq = a.kind === 'str' || a.kind === 'list' || a.kind === 'tuple' ? a : b.kind === 'str' || b.kind === 'list' || b.kind === 'tuple' ? b : null;
    const count = seq === a ? nb : na;
    if (seq && count !== null) {
      const n = Math.max(0, Number(count));
      if (seq.kind === 'str') return rt.str(seq.value.repeat(n));
      const items: PyObject[] = [];
      for (let i = 0; i < n; i++) for (const x of seq.items) items.push(it.heap.incref(x));
      return seq.kind === 'list' ? rt.list(items) : rt.tuple(items);
    }
  }
  if (op === '%' && a.kind === 'str') return rt.str(percentFormat(it, a.value, b));
  if ((op === '|' || op === '&' || op === '-' || op === '^') && (a.kind === 'set' || a.kind === 'frozenset') && (b.kind === 'set' || b.kind === 'frozenset')) {
    const out = rt.set(a.kind);
    const keep = (k: HashKey, v: PyObject) => out.entries.set(k, it.heap.incref(v));
    if (op === '|') {
      for (const [k, v] of a.entries) keep(k, v);
      for (const [k, v] of b.entries) if (!out.entries.has(k)) keep(k, v);
    } else if (op === '&') {
      for (const [k, v] of a.entries) if (b.entries.has(k)) keep(k, v);
    } else if (op === '-') {
      for (const [k, v] of a.entries) if (!b.entries.has(k)) keep(k, v);
    } else {
      for (const [k, v] of a.entries) if (!b.entries.has(k)) keep(k, v);
      for (const [k, v] of b.entries) if (!a.entries.has(k)) keep(k, v);
    }
    return out;
  }
  if (op === '|' && a.kind === 'dict' && b.kind === 'dict') {
    const out = rt.dict();
    for (const [k, e] of [...a.entries, ...b.entries]) rt.dictSet(out, k, it.heap.incref(e.key), it.heap.incref(e.value));
    return out;
  }
  const name = DUNDERS[op];
  for (const [x, y, n] of [[a, b, `__${name}__`], [b, a, `__r${name}__`]] as const) {
    if (x.kind !== 'instance' || x.cls.builtin !== null) continue;
    const m = lookupSpecial(it, x, n);
    if (!m) continue;
    const r = callUnary(it, m, x, it.heap.incref(y));
    if (r.kind !== 'notimplemented') return r;
    it.heap.decref(r);
  }
  return rt.raise('TypeError', `unsupported operand type(s) for ${op}: '${a.cls.name}' and '${b.cls.name}'`);
}

export function inplaceOp(it: Interp, op: BinaryOp, a: PyObject, b: PyObject): PyObject {
  if (a.kind === 'list' && op === '+') {
    const items = toArray(it, b);
    a.items.push(...items);
    return it.heap.incref(a);
  }
  if (a.kind === 'instance' && a.cls.builtin === null) {
    const m = lookupSpecial(it, a, `__i${DUNDERS[op]}__`);
    if (m) {
      const r = callUnary(it, m, a, it.heap.incref(b));
      if (r.kind !== 'notimplemented') return r;
      it.heap.decref(r);
    }
  }
  return binaryOp(it, op, a, b);
}

/** printf-style `%` formatting for the common conversions. */
export function percentFormat(it: Interp, fmt: string, arg: PyObject): string {
  const args = arg.kind === 'tuple' ? arg.items : [arg];
  let i = 0;
  const out = fmt.replace(/%([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([sdrifxXeEgGc%])/g, (_m, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const v = args[i++];
    if (!v) it.rt.raise('TypeError', 'not enough arguments for format string');
    let s: string;
    switch (conv) {
      case 's': s = strOf(it, v); break;
      case 'r': s = reprOf(it, v); break;
      case 'd':
      case 'i': {
        const n = numeric(v);
        if (n === null) it.rt.raise('TypeError', `%${conv} format: a real number is required, not ${v.cls.name}`);
        s = typeof n === 'bigint' ? n.toString() : String(Math.trunc(n));
        break;
      }
      case 'x': s = BigInt(numeric(v) ?? 0).toString(16); break;
      case 'X': s = BigInt(numeric(v) ?? 0).toString(16).toUpperCase(); break;
      case 'f': s = Number(numeric(v) ?? 0).toFixed(prec === undefined ? 6 : Number(prec)); break;
      default: s = strOf(it, v);
    }
    if (width) s = flags.includes('-') ? s.padEnd(Number(width)) : s.padStart(Number(width), flags.includes('0') ? '0' : ' ');
    return s;
  });
  if (i < args.length && arg.kind === 'tuple') it.rt.raise('TypeError', 'not all arguments converted during string formatting');
  return out;
}

import { strOf } from './reprs';
export { delItem, getItem, setItem } from './items';
