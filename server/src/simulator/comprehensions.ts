// List/set/dict comprehensions and generator expressions, each in its own scope (inlined from 3.12 for non-generators).
import type { Expr } from './ast';
import { evalExpr } from './evaluate';
import type { Interp } from './interp';
import { Completion } from './interp';
import type { FrameObj, GeneratorObj, PyObject } from './objects';
import { hashKey, iterate } from './operators';
import { lazyItems } from './iterators';

type CompExpr = Extract<Expr, { k: 'comp' }>;

function comprehensionFrame(it: Interp, e: CompExpr, iterable: PyObject): FrameObj {
  const code = e.code;
  const frame = it.newFrame(code, it.frame.globals, null, code.name, code.varnames.length + code.freevars.length);
  frame.locals[0] = iterable;
  for (let i = 0; i < code.varnames.length; i++) {
    if (code.cellvars.has(code.varnames[i])) frame.locals[i] = it.newCell(frame.locals[i]);
  }
  const base = code.varnames.length;
  code.freevars.forEach((name, i) => {
    frame.locals[base + i] = captureCell(it, name);
  });
  return frame;
}

function captureCell(it: Interp, name: string): PyObject | null {
  const frame = it.frame;
  const code = frame.code;
  if (!code) return null;
  let slot = code.varnames.indexOf(name);
  if (slot < 0 || !code.cellvars.has(name)) {
    const free = code.freevars.indexOf(name);
    if (free < 0) return null;
    slot = code.varnames.length + free;
  }
  const cell = frame.locals[slot];
  return cell ? it.heap.incref(cell) : null;
}

/** Runs the clauses from `index`, calling `emit` for each produced element. */
function runClauses(it: Interp, e: CompExpr, index: number, frame: FrameObj, emit: () => void): void {
  if (index === e.clauses.length) {
    emit();
    return;
  }
  const clause = e.clauses[index];
  if (clause.kind === 'if') {
    if (it.truth(clause.cond!)) runClauses(it, e, index + 1, frame, emit);
    return;
  }
  const iterable = index === 0 ? it.heap.incref(frame.locals[0]!) : evalExpr(it, clause.iter!);
  try {
    iterate(it, iterable, (item) => {
      it.tick(e.s.line);
      it.assign(clause.target!, item);
      runClauses(it, e, index + 1, frame, emit);
      return true;
    });
  } finally {
    it.heap.decref(iterable);
  }
}

export function runComprehension(it: Interp, e: CompExpr): PyObject {
  const iterable = evalExpr(it, e.outerIter);
  const frame = comprehensionFrame(it, e, iterable);
  if (e.kind === 'gen') return makeGeneratorExpression(it, e, frame);
  const rt = it.rt;
  return it.runFrame(frame, () => {
    if (e.kind === 'list') {
      const out = rt.list([]);
      try {
        runClauses(it, e, 0, frame, () => out.items.push(evalExpr(it, e.elt)));
      } catch (err) {
        it.heap.decref(out);
        throw err;
      }
      return out;
    }
    if (e.kind === 'set') {
      const out = rt.set();
      try {
        runClauses(it, e, 0, frame, () => {
          const v = evalExpr(it, e.elt);
          const k = hashKey(it, v);
          if (out.entries.has(k)) it.heap.decref(v);
          else out.entries.set(k, v);
        });
      } catch (err) {
        it.heap.decref(out);
        throw err;
      }
      return out;
    }
    const out = rt.dict();
    try {
      runClauses(it, e, 0, frame, () => {
        const k = evalExpr(it, e.elt);
        const v = evalExpr(it, e.valueElt!);
        rt.dictSet(out, hashKey(it, k), k, v);
      });
    } catch (err) {
      it.heap.decref(out);
      throw err;
    }
    return out;
  }, it.profile.inlinedComprehensions);
}

function makeGeneratorExpression(it: Interp, e: CompExpr, frame: FrameObj): PyObject {
  const gen: GeneratorObj = it.heap.register<GeneratorObj>(it.heap.init(it.rt.type('generator'), {
    kind: 'generator',
    name: '<genexpr>',
    qualname: e.code.qualname,
    frame,
    state: 'created',
    runner: null,
    isComprehension: true,
  }));
  frame.executing = false;
  frame.generator = gen;
  gen.runner = genexprRunner(it, e, frame);
  // As for generator functions: before 3.11 the frame is tracked after its generator.
  if (frame.tracked) {
    it.heap.untrack(frame);
    it.heap.track(frame);
  }
  return gen;
}

function* genexprRunner(it: Interp, e: CompExpr, frame: FrameObj): Generator<PyObject, Completion, PyObject | null> {
  yield* clausesGen(it, e, 0, frame);
  return Completion.Normal;
}

function* clausesGen(it: Interp, e: CompExpr, index: number, frame: FrameObj): Generator<PyObject, void, PyObject | null> {
  if (index === e.clauses.length) {
    const sent = yield evalExpr(it, e.elt);
    if (sent) it.heap.decref(sent);
    return;
  }
  const clause = e.clauses[index];
  if (clause.kind === 'if') {
    if (it.truth(clause.cond!)) yield* clausesGen(it, e, index + 1, frame);
    return;
  }
  const iterable = index === 0 ? it.heap.incref(frame.locals[0]!) : evalExpr(it, clause.iter!);
  try {
    for (const item of lazyItems(it, iterable)) {
      it.assign(clause.target!, item);
      yield* clausesGen(it, e, index + 1, frame);
    }
  } finally {
    it.heap.decref(iterable);
  }
}
