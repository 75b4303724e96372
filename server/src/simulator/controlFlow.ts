// Loops, try/except/finally, raise, and with: the statements that route exceptions and completions.
import type { ExceptHandler, Expr, Stmt } from './ast';
import { assign, deleteTarget } from './assignments';
import { callObject } from './calls';
import { evalExpr } from './evaluate';
import { Completion, type Interp, releaseArgs } from './interp';
import { lookupSpecial } from './objectProtocol';
import type { InstanceObj, PyObject } from './objects';
import { isTrue, iterate } from './operators';
import { isStackExhaustion, PyError } from './runtime';
export function execFor(it: Interp, s: Extract<Stmt, { k: 'for' }>): Completion {
  const iterable = evalExpr(it, s.iter);
  let completion = Completion.Normal as Completion;
  let broke = false;
  try {
    iterate(it, iterable, (item) => {
      assign(it, s.target, item);
      const c = it.execBlock(s.body);
      if (it.collectionPending) it.evalBreaker();
      if (c === Completion.Break) {
        broke = true;
        return false;
      }
      if (c === Completion.Return) {
        completion = c;
        broke = true;
        return false;
      }
      it.frame.line = s.s.line;
      return true;
    }, true);
  } finally {
    it.heap.decref(iterable);
  }
  if (completion === Completion.Return) return completion;
  if (!broke) return it.execBlock(s.orelse);
  return Completion.Normal;
}

export function execTry(it: Interp, s: Extract<Stmt, { k: 'try' }>): Completion {
  let completion = Completion.Normal;
  let pending: unknown = null;
  try {
    completion = it.execBlock(s.body);
  } catch (caught) {
    // An allocation JS refused (string or array length, BigInt size) is Python's MemoryError, catchable here.
    const err = caught instanceof RangeError && !isStackExhaustion(caught) ? new PyError(it.rt.makeException('MemoryError')) : caught;
    if (!(err instanceof PyError)) throw err;
    it.addTraceback(err, it.frame);
    const handler = findHandler(it, s.handlers, err);
    if (!handler) pending = err;
    else {
      try {
        completion = runHandler(it, handler, err);
      } catch (inner) {
        pending = inner;
      }
    }
    if (pending === null && s.finalbody.length === 0) return completion;
    if (pending === null) return runFinally(it, s.finalbody, completion, null);
    if (s.finalbody.length === 0) throw pending;
    return runFinally(it, s.finalbody, completion, pending);
  }
  if (completion === Completion.Normal && s.orelse.length) {
    try {
      completion = it.execBlock(s.orelse);
    } catch (err) {
      if (s.finalbody.length === 0) throw err;
      return runFinally(it, s.finalbody, completion, err);
    }
  }
  if (s.finalbody.length === 0) return completion;
  return runFinally(it, s.finalbody, completion, null);
}

/** Runs a finally block; a pending exception or completion survives unless the block overrides it. */
export function runFinally(it: Interp, body: readonly Stmt[], completion: Completion, pending: unknown): Completion {
  const savedRet = completion === Completion.Return ? it.retval : null;
  if (completion === Completion.Return) it.retval = null;
  let c: Completion;
  const isPy = pending instanceof PyError;
  if (isPy) it.handling.push(pending.exc);
  try {
    c = it.execBlock(body);
  } catch (err) {
    if (savedRet) it.heap.decref(savedRet);
    if (isPy) {
      chainContext(it, err, pending.exc);
      it.heap.decref(pending.exc);
    }
    throw err;
  } finally {
    if (isPy) it.handling.pop();
  }
  if (c !== Completion.Normal) {
    if (savedRet) it.heap.decref(savedRet);
    if (isPy) it.heap.decref(pending.exc);
    return c;
  }
  if (pending !== null) throw pending;
  if (completion === Completion.Return) it.retval = savedRet;
  return completion;
}

export function findHandler(it: Interp, handlers: readonly ExceptHandler[], err: PyError): ExceptHandler | null {
  for (const h of handlers) {
    if (!h.type) return h;
    const t = evalExpr(it, h.type);
    try {
      if (exceptionMatches(it, err.exc, t)) return h;
    } finally {
      it.heap.decref(t);
    }
  }
  return null;
}

export function exceptionMatches(it: Interp, exc: InstanceObj, t: PyObject): boolean {
  if (t.kind === 'class') return it.rt.isSubclass(exc.cls, t);
  if (t.kind === 'tuple') return t.items.some((i) => exceptionMatches(it, exc, i));
  return false;
}

export function runHandler(it: Interp, h: ExceptHandler, err: PyError): Completion {
  const exc = err.exc;
  it.handling.push(exc);
  try {
    if (h.name) assign(it, h.name, it.heap.incref(exc));
    try {
      return it.execBlock(h.body);
    } catch (inner) {
      chainContext(it, inner, exc);
      throw inner;
    } finally {
      if (h.name && h.name.k === 'name') unbindQuietly(it, h.name);
    }
  } finally {
    it.handling.pop();
    it.heap.decref(exc);
  }
}

/** Implicit chaining: an exception raised while `handled` is being handled gets it as `__context__`. */
export function chainContext(it: Interp, raised: unknown, handled: InstanceObj): void {
  if (!(raised instanceof PyError) || raised.exc === handled || !raised.exc.exc || raised.exc.exc.context) return;
  for (let c: PyObject | null = handled; c && c.kind === 'instance'; c = c.exc?.context ?? null) if (c === raised.exc) return;
  raised.exc.exc.context = it.heap.incref(handled);
}

/** `except E as e` ends with `del e` (and tolerates it being gone already). */
export function unbindQuietly(it: Interp, target: Extract<Expr, { k: 'name' }>): void {
  try {
    deleteTarget(it, target);
  } catch (err) {
    if (!(err instanceof PyError)) throw err;
    it.heap.decref(err.exc);
  }
}

export function execRaise(it: Interp, s: Extract<Stmt, { k: 'raise' }>): Completion {
  try {
    return raiseFrom(it, s);
  } catch (err) {
    // The RAISE instruction's location is the whole statement (no carets: it spans the line).
    if (err instanceof PyError && err.lastFrame !== it.frame) it.frame.span = s.s;
    throw err;
  }
}

export function raiseFrom(it: Interp, s: Extract<Stmt, { k: 'raise' }>): Completion {
  it.frame.span = s.s;
  if (!s.exc) {
    const current = it.handling[it.handling.length - 1];
    if (!current) it.rt.raise('RuntimeError', 'No active exception to reraise');
    const err = new PyError(it.heap.incref(current) as InstanceObj);
    err.lastFrame = it.frame;
    throw err;
  }
  const value = evalExpr(it, s.exc);
  const exc = toException(it, value);
  if (s.cause) {
    const cause = evalExpr(it, s.cause);
    const c = cause.kind === 'none' ? cause : toException(it, cause);
    if (exc.exc) {
      it.heap.xdecref(exc.exc.cause);
      exc.exc.cause = c.kind === 'none' ? null : c;
      if (c.kind === 'none') it.heap.decref(c);
      exc.exc.suppressContext = true;
    }
  }
  throw new PyError(exc);
}

/** Turns a raised value (class or instance) into an exception instance (owned). */
export function toException(it: Interp, value: PyObject): InstanceObj {
  if (value.kind === 'class' && it.rt.isSubclass(value, it.rt.type('BaseException'))) {
    const args: PyObject[] = [];
    const inst = callObject(it, value, args, null);
    it.heap.decref(value);
    return inst as InstanceObj;
  }
  if (value.kind === 'instance' && value.exc) return value;
  it.heap.decref(value);
  it.rt.raise('TypeError', 'exceptions must derive from BaseException');
}

/** A `with` item entered: the manager and its bound `__exit__` (both owned until `leaveWith`). */
export interface EnteredContext {
  readonly manager: PyObject;
  readonly exit: PyObject;
}

/** Evaluates a `with` item, calls `__enter__` and binds its result. */
export function enterWith(it: Interp, item: Extract<Stmt, { k: 'with' }>['items'][number]): EnteredContext {
  const manager = evalExpr(it, item.value);
  let exit: PyObject | null = null;
  try {
    it.frame.span = item.value.s;
    const enter = lookupSpecial(it, manager, '__enter__');
    exit = lookupSpecial(it, manager, '__exit__');
    if (!enter || !exit) {
      it.heap.xdecref(enter);
      it.rt.raise('TypeError', `'${manager.cls.name}' object does not support the context manager protocol`);
    }
    const enterArgs = [it.heap.incref(manager)];
    let entered: PyObject;
    try {
      entered = callObject(it, enter, enterArgs, null);
    } finally {
      releaseArgs(it, enterArgs);
      it.heap.decref(enter);
    }
    if (item.target) assign(it, item.target, entered);
    else it.heap.decref(entered);
  } catch (err) {
    it.heap.decref(manager);
    it.heap.xdecref(exit);
    throw err;
  }
  return { manager, exit };
}

/**
 * Calls `__exit__` for a body that ended normally (`err` null) or raised; releases the context. Returns whether a
 * raised exception was suppressed (the caller re-throws it otherwise).
 */
export function leaveWith(it: Interp, ctx: EnteredContext, err: unknown): boolean {
  if (err !== null && !(err instanceof PyError)) {
    // Not a Python exception (a budget or unsupported stop): just release the context.
    it.heap.decref(ctx.manager);
    it.heap.decref(ctx.exit);
    return false;
  }
  const { manager, exit } = ctx;
  if (!err) {
    const args = [it.heap.incref(manager), it.rt.none(), it.rt.none(), it.rt.none()];
    try {
      it.heap.decref(callObject(it, exit, args, null));
    } finally {
      releaseArgs(it, args);
      it.heap.decref(manager);
      it.heap.decref(exit);
    }
    return false;
  }
  it.addTraceback(err, it.frame);
  const exc = err.exc;
  const tb = exc.exc?.traceback ?? null;
  const args = [it.heap.incref(manager), it.heap.incref(exc.cls), it.heap.incref(exc), tb ? it.heap.incref(tb) : it.rt.none()];
  let suppress = false;
  it.handling.push(exc);
  try {
    const r = callObject(it, exit, args, null);
    suppress = isTrue(it, r);
    it.heap.decref(r);
  } finally {
    it.handling.pop();
    releaseArgs(it, args);
    it.heap.decref(manager);
    it.heap.decref(exit);
  }
  if (suppress) it.heap.decref(exc);
  return suppress;
}

export function execWith(it: Interp, s: Extract<Stmt, { k: 'with' }>, index: number): Completion {
  if (index >= s.items.length) return it.execBlock(s.body);
  const ctx = enterWith(it, s.items[index]);
  let completion: Completion;
  try {
    completion = execWith(it, s, index + 1);
  } catch (err) {
    if (leaveWith(it, ctx, err)) return Completion.Normal;
    throw err;
  }
  leaveWith(it, ctx, null);
  return completion;
}
