// Expression evaluation: every case returns a new reference, as CPython's value stack would hold it.
import type { Arg, Expr } from './ast';
import { callObject } from './calls';
import { runComprehension } from './comprehensions';
import { formatValue } from './formatting';
import type { Interp } from './interp';
import { releaseArgs, releaseKwargs } from './interp';
import { getAttr, lookupType, newBoundMethod } from './objectProtocol';
import type { NativeFn, PyObject, TupleObj } from './objects';
import { nativeMethod } from './nativeMethods';
import { binaryOp, compareOrder, contains, equals, getItem, hashKey, isTrue, iterate, toArray } from './operators';
import { reprOf, strOf } from './reprs';
import { RunStopped } from './runtime';

type NameExpr = Extract<Expr, { k: 'name' }>;

function constant(it: Interp, e: Expr, make: () => PyObject): PyObject {
  const constants = it.constants;
  let c = constants.get(e);
  if (!c || c.freed) {
    c = make();
    constants.set(e, c);
    // The code object keeps its constants alive for the whole run.
    it.heap.incref(c);
  }
  return it.heap.incref(c);
}

export function evalExpr(it: Interp, e: Expr): PyObject {
  const rt = it.rt;
  switch (e.k) {
    case 'name':
      return loadName(it, e);
    case 'int':
      return constant(it, e, () => rt.int(e.value));
    case 'float':
      return constant(it, e, () => rt.float(e.value));
    case 'str':
      return constant(it, e, () => rt.intern(e.value));
    case 'bytes':
      return constant(it, e, () => ({ ...rt.str(e.value), kind: 'bytes', cls: rt.type('bytes') }) as PyObject);
    case 'const':
      switch (e.value) {
        case 'None': return rt.none();
        case 'True': return rt.bool(true);
        case 'False': return rt.bool(false);
        default: return it.heap.incref(rt.Ellipsis);
      }
    case 'fstring': {
      let out = '';
      for (const part of e.parts) {
        if ('text' in part) {
          out += part.text;
          continue;
        }
        const v = evalExpr(it, part.expr);
        try {
          if (part.selfDoc) out += part.selfDoc;
          const shown = part.conversion === 'r' ? rt.str(reprOf(it, v)) : part.conversion === 's' ? rt.str(strOf(it, v)) : null;
          out += shown ? formatValue(it, shown, part.spec ?? '', true) : formatValue(it, v, part.spec ?? '', false);
        } finally {
          it.heap.decref(v);
        }
      }
      return rt.str(out);
    }
    case 'call':
      return evalCall(it, e);
    case 'attr': {
      const obj = evalExpr(it, e.obj);
      try {
        it.frame.span = e.s;
        return getAttr(it, obj, e.name);
      } finally {
        it.heap.decref(obj);
      }
    }
    case 'subscript': {
      const obj = evalExpr(it, e.obj);
      let index: PyObject | null = null;
      try {
        index = evalExpr(it, e.index);
        return evalSubscriptOf(it, obj, index, e);
      } finally {
        it.heap.decref(obj);
        it.heap.xdecref(index);
      }
    }
    case 'slice': {
      const parts = [e.lower, e.upper, e.step].map((p) => (p ? evalExpr(it, p) : rt.none()));
      const t = rt.tuple(parts) as TupleObj;
      (t as { cls: PyObject['cls'] }).cls = rt.type('slice');
      return t;
    }
    case 'binop': {
      const left = evalExpr(it, e.left);
      let right: PyObject | null = null;
      try {
        right = evalExpr(it, e.right);
        it.frame.span = e.s;
        return binaryOp(it, e.op, left, right);
      } finally {
        it.heap.decref(left);
        it.heap.xdecref(right);
      }
    }
    case 'unary': {
      const v = evalExpr(it, e.operand);
      try {
        if (e.op === 'not') return rt.bool(!isTrue(it, v));
        it.frame.span = e.s;
        if (v.kind === 'int' || v.kind === 'bool') {
          const n = v.kind === 'bool' ? (v.value ? 1 : 0) : v.value;
          if (e.op === '-') return rt.int(typeof n === 'bigint' ? -n : -n);
          if (e.op === '+') return rt.int(n);
          return rt.int(typeof n === 'bigint' ? ~n : ~n);
        }
        if (v.kind === 'float' && e.op !== '~') return rt.float(e.op === '-' ? -v.value : v.value);
        return rt.raise('TypeError', `bad operand type for unary ${e.op}: '${v.cls.name}'`);
      } finally {
        it.heap.decref(v);
      }
    }
    case 'boolop': {
      const last = e.values.length - 1;
      for (let index = 0; index < last; index++) {
        const value = evalExpr(it, e.values[index]);
        const truth = isTrue(it, value);
        if (e.op === 'and' ? !truth : truth) return value;
        it.heap.decref(value);
      }
      return evalExpr(it, e.values[last]);
    }
    case 'compare':
      return rt.bool(evalCompare(it, e));
    case 'ifexp':
      return it.truth(e.cond) ? evalExpr(it, e.then) : evalExpr(it, e.orelse);
    case 'lambda':
      return it.makeFunction(e.code);
    case 'tuple': {
      if (e.constant) return constant(it, e, () => {
        const t = rt.tuple(e.items.map((i) => evalExpr(it, i)));
        it.heap.untrack(t);
        return t;
      });
      return rt.tuple(evalItems(it, e.items));
    }
    case 'list':
      return rt.list(evalItems(it, e.items));
    case 'set': {
      const s = rt.set();
      for (const item of evalItems(it, e.items)) {
        const k = hashKey(it, item);
        if (s.entries.has(k)) it.heap.decref(item);
        else s.entries.set(k, item);
      }
      return s;
    }
    case 'dict': {
      const d = rt.dict();
      try {
        for (const entry of e.entries) {
          if ('splat' in entry) {
            const src = evalExpr(it, entry.splat);
            if (src.kind === 'dict') for (const [k, x] of src.entries) rt.dictSet(d, k, it.heap.incref(x.key), it.heap.incref(x.value));
            it.heap.decref(src);
            continue;
          }
          const key = evalExpr(it, entry.key);
          let value: PyObject;
          try {
            value = evalExpr(it, entry.value);
          } catch (err) {
            it.heap.decref(key);
            throw err;
          }
          rt.dictSet(d, hashKey(it, key), key, value);
        }
      } catch (err) {
        it.heap.decref(d);
        throw err;
      }
      return d;
    }
    case 'comp':
      return runComprehension(it, e);
    case 'walrus': {
      const v = evalExpr(it, e.value);
      it.assign(e.target, it.heap.incref(v));
      return v;
    }
    case 'starred':
      throw new RunStopped({ kind: 'unsupported', construct: 'starred expression here' }, e.s.line);
    case 'yield':
      throw new RunStopped({ kind: 'unsupported', construct: 'yield inside an expression' }, e.s.line);
    default: {
      const never: never = e;
      return never;
    }
  }
}

export function evalSubscriptOf(it: Interp, obj: PyObject, index: PyObject, e: Expr): PyObject {
  it.frame.span = e.s;
  return getItem(it, obj, index);
}

function evalItems(it: Interp, items: readonly Expr[]): PyObject[] {
  const out: PyObject[] = [];
  try {
    for (const item of items) {
      if (item.k === 'starred') {
        const v = evalExpr(it, item.value);
        try {
          out.push(...toArray(it, v));
        } finally {
          it.heap.decref(v);
        }
      } else out.push(evalExpr(it, item));
    }
  } catch (err) {
    for (const o of out) it.heap.decref(o);
    throw err;
  }
  return out;
}

function evalCompare(it: Interp, e: Extract<Expr, { k: 'compare' }>): boolean {
  let left = evalExpr(it, e.first);
  try {
    for (let i = 0; i < e.ops.length; i++) {
      const right = evalExpr(it, e.rest[i]);
      let ok: boolean;
      try {
        it.frame.span = e.s;
        ok = compareOne(it, e.ops[i], left, right);
      } catch (err) {
        it.heap.decref(right);
        throw err;
      }
      it.heap.decref(left);
      left = right;
      if (!ok) return false;
    }
    return true;
  } finally {
    it.heap.decref(left);
  }
}

function compareOne(it: Interp, op: string, a: PyObject, b: PyObject): boolean {
  switch (op) {
    case 'is': return a === b;
    case 'is not': return a !== b;
    case '==': return equals(it, a, b);
    case '!=': return !equals(it, a, b);
    case 'in': return contains(it, b, a);
    case 'not in': return !contains(it, b, a);
    default: return compareOrder(it, a, b, op as '<' | '>' | '<=' | '>=');
  }
}

export function loadName(it: Interp, e: NameExpr): PyObject {
  const frame = it.frame;
  switch (e.scope) {
    case 'local': {
      const v = frame.locals[e.slot];
      if (!v) {
        frame.span = e.s;
        it.unboundLocal(e.id);
      }
      return it.heap.incref(v);
    }
    case 'cell':
    case 'free': {
      const cell = frame.locals[e.slot];
      if (cell?.kind === 'cell') {
        if (!cell.ref) {
          frame.span = e.s;
          if (e.scope === 'free') it.rt.raise('NameError', `cannot access free variable '${e.id}' where it is not associated with a value in enclosing scope`);
          it.unboundLocal(e.id);
        }
        return it.heap.incref(cell.ref);
      }
      break;
    }
    case 'name': {
      const ns = frame.namespace;
      const v = ns?.entries.get('s:' + e.id);
      if (v) return it.heap.incref(v.value);
      break;
    }
    default:
      break;
  }
  const g = frame.globals.entries.get('s:' + e.id);
  if (g) return it.heap.incref(g.value);
  const b = it.builtins.entries.get('s:' + e.id);
  if (b) return it.heap.incref(b.value);
  frame.span = e.s;
  return it.rt.raiseNameError(e.id);
}

/** Evaluates call arguments into owned positional and keyword containers. */
function evalArgs(it: Interp, args: readonly Arg[], positional: PyObject[]): Map<string, PyObject> | null {
  let kwargs: Map<string, PyObject> | null = null;
  try {
    for (const a of args) {
      switch (a.kind) {
        case 'pos':
          positional.push(evalExpr(it, a.value));
          break;
        case 'star': {
          const v = evalExpr(it, a.value);
          try {
            positional.push(...toArray(it, v));
          } finally {
            it.heap.decref(v);
          }
          break;
        }
        case 'kw':
          kwargs ??= new Map();
          kwargs.set(a.name, evalExpr(it, a.value));
          break;
        case 'dstar': {
          const v = evalExpr(it, a.value);
          try {
            if (v.kind !== 'dict') it.rt.raise('TypeError', `argument after ** must be a mapping, not ${v.cls.name}`);
            kwargs ??= new Map();
            for (const entry of v.entries.values()) if (entry.key.kind === 'str') kwargs.set(entry.key.value, it.heap.incref(entry.value));
          } finally {
            it.heap.decref(v);
          }
          break;
        }
      }
    }
  } catch (err) {
    releaseArgs(it, positional);
    releaseKwargs(it, kwargs);
    throw err;
  }
  return kwargs;
}

/** The callable for `obj.name(...)`: CPython's LOAD_METHOD pushes the function and `self` without a bound method. */
function loadMethod(it: Interp, obj: PyObject, name: string, args: PyObject[]): PyObject {
  if (obj.kind === 'instance' && name !== '__dict__' && name !== '__class__') {
    const descr = lookupType(obj.cls, name);
    if (descr && (descr.kind === 'function' || descr.kind === 'lru_cache') && !obj.attrs?.has('s:' + name) && !obj.slotValues?.has(name)) {
      args.push(it.heap.incref(obj));
      return it.heap.incref(descr);
    }
  }
  return getAttr(it, obj, name);
}

/** `list.append(x)` and friends: builtin methods are called directly, without a bound-method object. */
function callNativeMethod(it: Interp, e: Extract<Expr, { k: 'call' }>, obj: PyObject, fn: NativeFn): PyObject {
  const args: PyObject[] = [];
  let kwargs: Map<string, PyObject> | null = null;
  try {
    kwargs = evalArgs(it, e.args, args);
    it.frame.span = e.s;
    it.callSite = e;
    const result = fn(args, kwargs);
    if (it.collectionPending) it.evalBreaker();
    return result;
  } finally {
    releaseArgs(it, args);
    releaseKwargs(it, kwargs);
    it.heap.decref(obj);
  }
}

const NATIVE_RECEIVERS = new Set<PyObject['kind']>(['list', 'dict', 'set', 'frozenset', 'str', 'tuple']);

function evalCall(it: Interp, e: Extract<Expr, { k: 'call' }>): PyObject {
  const args: PyObject[] = [];
  let f: PyObject;
  if (e.func.k === 'attr') {
    const obj = evalExpr(it, e.func.obj);
    if (NATIVE_RECEIVERS.has(obj.kind)) {
      const fn = nativeMethod(it, obj, e.func.name);
      if (fn) return callNativeMethod(it, e, obj, fn);
    }
    try {
      it.frame.span = e.func.s;
      f = loadMethod(it, obj, e.func.name, args);
    } finally {
      it.heap.decref(obj);
    }
  } else {
    f = evalExpr(it, e.func);
  }
  let kwargs: Map<string, PyObject> | null;
  try {
    kwargs = evalArgs(it, e.args, args);
  } catch (err) {
    it.heap.decref(f);
    throw err;
  }
  const frame = it.frame;
  frame.span = e.s;
  it.callSite = e;
  let result: PyObject;
  const traced = it.heap.trace;
  if (traced) it.pendingArgs.push({ frame, args });
  try {
    result = callObject(it, f, args, kwargs);
  } finally {
    if (traced) it.pendingArgs.pop();
    frame.span = e.s;
    releaseArgs(it, args);
    releaseKwargs(it, kwargs);
    it.heap.decref(f);
  }
  if (it.collectionPending) it.evalBreaker();
  return result;
}

/** Iterates an iterable in the evaluator's terms (used by builtins that consume iterables). */
export function forEach(it: Interp, iterable: PyObject, fn: (item: PyObject) => boolean): void {
  iterate(it, iterable, fn);
}

export { newBoundMethod };
