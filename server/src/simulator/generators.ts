// Generators: a resumable executor for statements that contain `yield` (JS generators), close() and finalization.
import type { Expr, Stmt } from './ast';
import { evalExpr } from './evaluate';
import type { Interp } from './interp';
import { Completion, releaseArgs } from './interp';
import type { GeneratorObj, NativeFn, PyObject } from './objects';
import { iterate, isTrue } from './operators';
import { lazyItems } from './iterators';
import { enterWith, leaveWith } from './controlFlow';
import { PyError, RunStopped } from './runtime';
import { reportUnraisable } from './tracebacks';

type Runner = Generator<PyObject, Completion, PyObject | null>;

const yieldCache = new WeakMap<object, boolean>();

function exprHasYield(e: Expr | undefined): boolean {
  if (!e) return false;
  if (e.k === 'yield') return true;
  return false;
}

/** Whether a statement (or anything nested in it, outside inner functions) yields. */
export function stmtHasYield(s: Stmt): boolean {
  const cached = yieldCache.get(s);
  if (cached !== undefined) return cached;
  let result = false;
  switch (s.k) {
    case 'expr':
      result = exprHasYield(s.value);
      break;
    case 'assign':
      result = exprHasYield(s.value);
      break;
    case 'return':
      result = exprHasYield(s.value);
      break;
    case 'if':
    case 'while':
      result = exprHasYield(s.cond) || s.body.some(stmtHasYield) || s.orelse.some(stmtHasYield);
      break;
    case 'for':
      result = s.body.some(stmtHasYield) || s.orelse.some(stmtHasYield);
      break;
    case 'try':
      result = s.body.some(stmtHasYield) || s.handlers.some((h) => h.body.some(stmtHasYield)) || s.orelse.some(stmtHasYield) || s.finalbody.some(stmtHasYield);
      break;
    case 'with':
      result = s.body.some(stmtHasYield);
      break;
    default:
      result = false;
  }
  yieldCache.set(s, result);
  return result;
}

function* genYield(it: Interp, e: Extract<Expr, { k: 'yield' }>): Generator<PyObject, PyObject, PyObject | null> {
  if (e.from) {
    const source = evalExpr(it, e.value!);
    try {
      const items: PyObject[] = [];
      iterate(it, source, (x) => {
        items.push(x);
        return true;
      });
      for (const item of items) {
        const sent = yield item;
        if (sent) it.heap.decref(sent);
      }
    } finally {
      it.heap.decref(source);
    }
    return it.rt.none();
  }
  const value = e.value ? evalExpr(it, e.value) : it.rt.none();
  const sent = yield value;
  return sent ?? it.rt.none();
}

export function* genBlock(it: Interp, stmts: readonly Stmt[]): Runner {
  for (const s of stmts) {
    const c = stmtHasYield(s) ? yield* genStmt(it, s) : it.execStmt(s);
    if (c !== Completion.Normal) return c;
  }
  return Completion.Normal;
}

function* genStmt(it: Interp, s: Stmt): Runner {
  it.frame.line = s.s.line;
  it.tick(s.s.line);
  switch (s.k) {
    case 'expr': {
      const v = yield* genYield(it, s.value as Extract<Expr, { k: 'yield' }>);
      it.heap.decref(v);
      return Completion.Normal;
    }
    case 'assign': {
      const v = yield* genYield(it, s.value as Extract<Expr, { k: 'yield' }>);
      for (let i = 0; i < s.targets.length - 1; i++) it.assign(s.targets[i], it.heap.incref(v));
      it.assign(s.targets[s.targets.length - 1], v);
      return Completion.Normal;
    }
    case 'return': {
      it.retval = yield* genYield(it, s.value as Extract<Expr, { k: 'yield' }>);
      return Completion.Return;
    }
    case 'if':
      return yield* genBlock(it, it.truth(s.cond) ? s.body : s.orelse);
    case 'while':
      while (it.truth(s.cond)) {
        const c = yield* genBlock(it, s.body);
        if (c === Completion.Break) return Completion.Normal;
        if (c === Completion.Return) return c;
      }
      return yield* genBlock(it, s.orelse);
    case 'for': {
      const iterable = evalExpr(it, s.iter);
      try {
        for (const item of lazyItems(it, iterable)) {
          it.assign(s.target, item);
          const c = yield* genBlock(it, s.body);
          if (c === Completion.Break) return Completion.Normal;
          if (c === Completion.Return) return c;
        }
      } finally {
        it.heap.decref(iterable);
      }
      return yield* genBlock(it, s.orelse);
    }
    case 'try':
      return yield* genTry(it, s);
    case 'with':
      return yield* genWith(it, s, 0);
    default:
      throw new RunStopped({ kind: 'unsupported', construct: `yield inside ${s.k}` }, s.s.line);
  }
}

function* genWith(it: Interp, s: Extract<Stmt, { k: 'with' }>, index: number): Runner {
  if (index >= s.items.length) return yield* genBlock(it, s.body);
  const ctx = enterWith(it, s.items[index]);
  let completion: Completion;
  try {
    completion = yield* genWith(it, s, index + 1);
  } catch (err) {
    if (leaveWith(it, ctx, err)) return Completion.Normal;
    throw err;
  }
  leaveWith(it, ctx, null);
  return completion;
}

function* genTry(it: Interp, s: Extract<Stmt, { k: 'try' }>): Runner {
  let completion = Completion.Normal;
  try {
    try {
      completion = yield* genBlock(it, s.body);
    } catch (err) {
      if (!(err instanceof PyError) || !s.handlers.length) throw err;
      it.addTraceback(err, it.frame);
      let handled = false;
      for (const h of s.handlers) {
        let matches = !h.type;
        if (h.type) {
          const t = evalExpr(it, h.type);
          matches = it.exceptionMatches(err.exc, t);
          it.heap.decref(t);
        }
        if (!matches) continue;
        handled = true;
        it.handling.push(err.exc);
        try {
          if (h.name) it.assign(h.name, it.heap.incref(err.exc));
          completion = yield* genBlock(it, h.body);
        } finally {
          it.handling.pop();
          it.heap.decref(err.exc);
        }
        break;
      }
      if (!handled) throw err;
    }
    if (completion === Completion.Normal && s.orelse.length) completion = yield* genBlock(it, s.orelse);
  } catch (err) {
    if (!s.finalbody.length) throw err;
    const c = yield* genBlock(it, s.finalbody);
    if (c !== Completion.Normal) {
      if (err instanceof PyError) it.heap.decref(err.exc);
      return c;
    }
    throw err;
  }
  if (s.finalbody.length) {
    const saved = completion === Completion.Return ? it.retval : null;
    it.retval = null;
    const c = yield* genBlock(it, s.finalbody);
    if (c !== Completion.Normal) {
      it.heap.xdecref(saved);
      return c;
    }
    it.retval = saved;
  }
  return completion;
}

/** Resumes the generator; returns the yielded value (owned) or null once it is exhausted. */
export function resumeGenerator(it: Interp, gen: GeneratorObj, sent: PyObject | null, thrown?: PyError): PyObject | null {
  if (gen.state === 'closed' || !gen.frame) {
    if (thrown) throw thrown;
    return null;
  }
  if (gen.state === 'running') it.rt.raise('ValueError', 'generator already executing');
  const frame = gen.frame;
  if (!gen.runner) {
    if (thrown) {
      closeFrame(it, gen);
      throw thrown;
    }
    const code = frame.code!;
    gen.runner = code.lambdaBody ? null : genBlock(it, code.body);
    if (!gen.runner) return null;
  }
  const caller = it.frame;
  it.frame = frame;
  frame.executing = true;
  gen.state = 'running';
  it.depth++;
  let step: IteratorResult<PyObject, unknown>;
  try {
    step = thrown ? gen.runner.throw(thrown) : gen.runner.next(sent);
  } catch (err) {
    gen.state = 'closed';
    if (err instanceof PyError) it.addTraceback(err, frame);
    it.frame = caller;
    it.depth--;
    frame.executing = false;
    closeFrame(it, gen);
    if (err instanceof PyError && it.rt.isInstanceOf(err.exc, 'StopIteration')) {
      it.heap.decref(err.exc);
      it.rt.raise('RuntimeError', 'generator raised StopIteration');
    }
    throw err;
  }
  it.frame = caller;
  it.depth--;
  frame.executing = false;
  if (step.done) {
    gen.state = 'closed';
    if (it.retval) {
      it.heap.decref(it.retval);
      it.retval = null;
    }
    closeFrame(it, gen);
    return null;
  }
  gen.state = 'suspended';
  return step.value;
}

function closeFrame(it: Interp, gen: GeneratorObj): void {
  const frame = gen.frame;
  gen.frame = null;
  gen.runner = null;
  gen.state = 'closed';
  if (frame) it.heap.decref(frame);
}

/** generator.close(): GeneratorExit at the suspended yield; from a deallocation, errors are unraisable. */
export function runGeneratorClose(it: Interp, gen: GeneratorObj, fromDealloc: boolean): void {
  if (gen.state !== 'suspended') {
    if (gen.state === 'created') closeFrame(it, gen);
    return;
  }
  const exit = new PyError(it.rt.makeException('GeneratorExit'));
  try {
    const v = resumeGenerator(it, gen, null, exit);
    if (v) {
      it.heap.decref(v);
      it.rt.raise('RuntimeError', 'generator ignored GeneratorExit');
    }
  } catch (err) {
    if (err instanceof PyError && it.rt.isInstanceOf(err.exc, 'GeneratorExit')) {
      it.heap.decref(err.exc);
      return;
    }
    if (err instanceof PyError && fromDealloc) {
      reportUnraisable(it, err, gen, null);
      return;
    }
    throw err;
  }
}

export function generatorMethod(it: Interp, gen: GeneratorObj, name: string): NativeFn | null {
  switch (name) {
    case '__next__':
      return () => nextOrStop(it, gen, null);
    case 'send':
      return (args) => nextOrStop(it, gen, it.heap.incref(args[0]));
    case 'close':
      return () => {
        runGeneratorClose(it, gen, false);
        return it.rt.none();
      };
    case 'throw':
      return (args) => {
        const exc = it.toException(it.heap.incref(args[0]));
        const v = resumeGenerator(it, gen, null, new PyError(exc));
        if (!v) it.rt.raise('StopIteration');
        return v;
      };
    default:
      return null;
  }
}

export function nextOrStop(it: Interp, gen: GeneratorObj, sent: PyObject | null): PyObject {
  const v = resumeGenerator(it, gen, sent);
  if (v === null) it.rt.raise('StopIteration');
  return v;
}

/** True when the object is something `next()` can advance. */
export function isTruthyIterator(it: Interp, v: PyObject): boolean {
  return isTrue(it, v);
}

export { releaseArgs };
