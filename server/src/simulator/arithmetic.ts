// Arithmetic and the binary operators: ints (with bigints), floats, sequences, sets, dicts, %-formatting, dunders.
import type { BinaryOp } from './ast';
import type { Interp } from './interp';
import { lookupSpecial } from './objectProtocol';
import type { HashKey, IntValue, PyObject } from './objects';
import { callUnary, numeric, toArray } from './operators';
import { reprOf, strOf } from './reprs';

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
  chargeIntWork(it, op, x, y);
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

/** Work units per list or tuple slot copied (a slot is a reference plus an incref). */
const LIST_SLOT_WORK = 8;

function bitLength(v: bigint): number {
  return (v < 0n ? -v : v).toString(16).length * 4;
}

/** Charges big-integer arithmetic by the size of its result (bytes) before computing it: `2 ** 10**10` stops at once. */
function chargeIntWork(it: Interp, op: BinaryOp, x: bigint, y: bigint): void {
  const small = (v: bigint): boolean => v > -(2n ** 64n) && v < 2n ** 64n;
  if (small(x) && small(y) && op !== '**' && op !== '<<') return;
  const bytes = (bits: number): number => bits / 8;
  switch (op) {
    case '*': return it.rt.chargeWork(bytes(bitLength(x) + bitLength(y)));
    case '**': return y > 0n && x !== 0n && x !== 1n && x !== -1n ? it.rt.chargeWork(bytes(bitLength(x) * Number(y))) : undefined;
    case '<<': return y > 0n ? it.rt.chargeWork(bytes(bitLength(x) + Number(y))) : undefined;
    default: return it.rt.chargeWork(bytes(Math.max(bitLength(x), bitLength(y))));
  }
}

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
    if (a.kind === 'str' && b.kind === 'str') {
      rt.chargeWork(a.value.length + b.value.length);
      return rt.str(a.value + b.value);
    }
    if ((a.kind === 'list' || a.kind === 'tuple') && b.kind === a.kind) rt.chargeWork((a.items.length + b.items.length) * LIST_SLOT_WORK);
    if (a.kind === 'list' && b.kind === 'list') return rt.list([...a.items, ...b.items].map((x) => it.heap.incref(x)));
    if (a.kind === 'tuple' && b.kind === 'tuple') return rt.tuple([...a.items, ...b.items].map((x) => it.heap.incref(x)));
  }
  if (op === '*') {
    const seq = a.kind === 'str' || a.kind === 'list' || a.kind === 'tuple' ? a : b.kind === 'str' || b.kind === 'list' || b.kind === 'tuple' ? b : null;
    const count = seq === a ? nb : na;
    if (seq && count !== null) {
      const n = Math.max(0, Number(count));
      rt.chargeWork(n * (seq.kind === 'str' ? seq.value.length : seq.items.length * LIST_SLOT_WORK));
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
  if (op === '|' && a.kind === 'dict' && b.kind === 'dict' && it.profile.minor >= 9) {
    const out = rt.dict();
    for (const [k, e] of [...a.entries, ...b.entries]) rt.dictSet(out, k, it.heap.incref(e.key), it.heap.incref(e.value));
    return out;
  }
  const name = DUNDERS[op];
  const userDefined = (a.kind === 'instance' && a.cls.builtin === null) || (b.kind === 'instance' && b.cls.builtin === null);
  if (op === '+' && !userDefined && (a.kind === 'str' || a.kind === 'list' || a.kind === 'tuple')) {
    if (a.kind === 'str' && it.profile.minor < 7) return rt.raise('TypeError', `must be str, not ${b.cls.name}`);
    return rt.raise('TypeError', `can only concatenate ${a.kind} (not "${b.cls.name}") to ${a.kind}`);
  }
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

