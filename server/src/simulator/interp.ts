// The interpreter's state and call machinery: frames, function calls and objects, blocks, exception helpers.
import type { Expr, FunctionCode, Stmt } from './ast';
import { recordLine } from './trace';
import { collectGarbage } from './collector';
import { evalExpr } from './evaluate';
import { TEMPORARY, type HeapHost } from './heap';
import { lookupSpecial } from './objectProtocol';
import type { ClassObj, DictObj, FrameObj, FunctionObj, GeneratorObj, InstanceObj, PyObject, TracebackObj, TupleObj, WeakrefObj } from './objects';
import { isTrue } from './operators';
import { isStackExhaustion, PyError, RunStopped, Runtime } from './runtime';
import { assign, deleteTarget, storeName } from './assignments';
import { chainContext, exceptionMatches, runFinally, toException } from './controlFlow';
import { bindArguments } from './callArgs';
import { reportUnraisable } from './tracebacks';
import { runGeneratorClose } from './generators';
import type { VersionProfile } from './versionProfile';
import { callObject } from './calls';
import { execStmt } from './statements';

export const enum Completion {
  Normal = 0,
  Break = 1,
  Continue = 2,
  Return = 3,
}

export interface AtexitEntry {
  /** null: weakref.finalize's exit hook. */
  readonly func: PyObject | null;
  readonly args: PyObject[];
  readonly kwargs: Map<string, PyObject> | null;
}

/** Frames kept free below the depth where the JS stack once ran out, for the code that runs while an error unwinds. */
const STACK_MARGIN_FRAMES = 25;

export class Interp implements HeapHost {
  readonly rt: Runtime;
  frame!: FrameObj;
  readonly builtins: DictObj;
  readonly modules = new Map<string, PyObject>();
  /**
   * Per run, never per compiled module: a compiled module is run again (hover replays), and objects of one run must
   * never leak into the next. Constants each expression made (a code object keeps its constants), code objects.
   */
  readonly constants = new WeakMap<object, PyObject>();
  readonly codeObjects = new WeakMap<object, PyObject>();
  mainModule!: PyObject;
  retval: PyObject | null = null;
  depth = 0;
  /** Class calls running a Python `__init__` in progress (3.12's C recursion limit counts them). */
  initNesting = 0;
  /** Python depth at which calls raise RecursionError because this thread's JS stack ran out there once (less a margin). */
  stackDepthLimit = Number.POSITIVE_INFINITY;
  /** Exceptions being handled (innermost last): sys.exc_info() and implicit chaining. */
  readonly handling: InstanceObj[] = [];
  readonly atexit: AtexitEntry[] = [];
  /** weakref.finalize objects still alive, by registration index. */
  readonly finalizers = new Map<number, PyObject>();
  finalizeCounter = 0;
  gcDebug = 0;
  garbage!: PyObject;
  gcCallbacks!: PyObject;
  collectionPending = false;
  readonly collectionsRun = [0, 0, 0];
  readonly collectedTotals = [0, 0, 0];
  readonly uncollectableTotals = [0, 0, 0];
  /** Objects gc.freeze() moved to the permanent generation. */
  longLivedPending = 0;
  longLivedTotal = 0;
  sysModule!: PyObject;
  stderrObj!: PyObject;
  stdoutObj!: PyObject;
  exiting = false;
  finalizeAtexitRegistered = false;
  /** The call expression being evaluated (sys.getrefcount looks at its argument on 3.14). */
  callSite: Expr | null = null;
  /** Trace mode: argument arrays of calls in progress, with the frame making each (holders the snapshots show). */
  readonly pendingArgs: { readonly frame: FrameObj; readonly args: readonly PyObject[] }[] = [];
  /** Functions defined in a class body → that class (zero-argument super()). */
  readonly classOfCode = new Map<FunctionCode, ClassObj>();

  private readonly frameType: ClassObj;

  constructor(readonly profile: VersionProfile, readonly fileName: string, readonly lines: readonly string[]) {
    this.rt = new Runtime(profile, this);
    this.frameType = this.rt.type('frame');
    this.builtins = this.rt.dict();
    this.rt.heap.makeStatic(this.builtins);
  }

  get heap() {
    return this.rt.heap;
  }

  // ---- HeapHost ------------------------------------------------------------------------------

  currentLine(): number {
    return this.frame ? this.frame.line : 0;
  }

  runDel(obj: PyObject): void {
    const del = lookupSpecial(this, obj, '__del__');
    if (!del) return;
    if (this.heap.traceEvents) this.heap.events.push({ kind: 'finalizer', step: this.rt.steps, line: this.currentLine(), object: this.heap.label(obj) });
    else if (this.heap.trace) this.heap.label(obj); // labels are numbered in first-use order, with or without events
    this.heap.incref(obj);
    const args = [obj];
    try {
      const result = callObject(this, del, args, null);
      this.heap.decref(result);
    } catch (err) {
      if (!(err instanceof PyError)) throw err;
      reportUnraisable(this, err, del, obj);
    } finally {
      releaseArgs(this, args);
      this.heap.decref(del);
    }
  }

  runWeakrefCallback(ref: WeakrefObj, callback: PyObject): void {
    this.heap.incref(ref);
    const args: PyObject[] = [ref];
    try {
      this.heap.decref(callObject(this, callback, args, null));
    } catch (err) {
      if (!(err instanceof PyError)) throw err;
      reportUnraisable(this, err, callback, null);
    } finally {
      releaseArgs(this, args);
    }
  }

  finalizeGenerator(obj: PyObject): void {
    runGeneratorClose(this, obj as GeneratorObj, true);
  }

  collectionDue(): void {
    if (this.profile.deferredAutoCollect) this.collectionPending = true;
    else this.collectAutomatically();
  }

  objectBudgetExceeded(): void {
    throw new RunStopped({ kind: 'budget', budget: 'maxObjects' }, this.currentLine());
  }

  /** What CPython's collect_generations does: the oldest generation whose count exceeds its threshold. */
  collectAutomatically(): void {
    this.collectionPending = false;
    const heap = this.heap;
    if (!heap.enabled || heap.collecting || heap.thresholds[0] === 0) return;
    for (let gen = 2; gen >= 0; gen--) {
      if (heap.counts[gen] > heap.thresholds[gen]) {
        if (gen === 2 && this.longLivedPending < this.longLivedTotal / 4) continue;
        collectGarbage(this, gen, 'automatic');
        return;
      }
    }
  }

  /** The eval breaker: where 3.12+ runs a scheduled collection. */
  evalBreaker(): void {
    if (this.collectionPending) this.collectAutomatically();
  }

  tick(line: number): void {
    const rt = this.rt;
    // Once over, stay at maxSteps + 1: code that runs while the stop unwinds (a weakref callback) ticks again.
    if (rt.steps >= rt.maxSteps) {
      rt.steps = rt.maxSteps + 1;
      throw new RunStopped({ kind: 'budget', budget: 'maxSteps' }, line);
    }
    rt.steps++;
    if ((rt.steps & 1023) === 0 && Date.now() > rt.deadline) throw new RunStopped({ kind: 'budget', budget: 'maxMillis' }, line);
    if (rt.outputExhausted) throw new RunStopped({ kind: 'budget', budget: 'maxOutputChars' }, line);
    this.heap.step = rt.steps;
  }

  // ---- frames ----------------------------------------------------------------------------------

  /** Code objects (or class bodies) whose zombie frame is free for reuse (before 3.11): reusing it allocates nothing. */
  private readonly zombieFrames = new Set<object>();
  /** The code object behind each frame, for zombie reuse. */
  private readonly frameCode = new WeakMap<FrameObj, object>();

  keepsZombieFrame(frame: FrameObj): boolean {
    const key = this.frameCode.get(frame);
    if (!key || this.zombieFrames.has(key)) return false;
    this.zombieFrames.add(key);
    return true;
  }

  newFrame(code: FunctionCode | null, globals: DictObj, namespace: DictObj | null, funcName: string, slots: number, codeKey: object | null = code): FrameObj {
    const track = this.profile.framesAreObjects;
    let counted = track;
    if (track && codeKey && this.zombieFrames.has(codeKey)) {
      this.zombieFrames.delete(codeKey);
      counted = false;
    }
    const frame = this.heap.newFrame(this.frameType, track, code, globals, namespace, slots, funcName);
    frame.line = code ? code.span.line : 1;
    if (track && codeKey) this.frameCode.set(frame, codeKey);
    this.heap.incref(globals);
    if (namespace) this.heap.incref(namespace);
    return this.heap.register(frame, counted);
  }

  /** From 3.11 a frame object (a GC object) exists only once something needs it: a traceback, sys._getframe. */
  materializeFrame(frame: FrameObj): void {
    if (frame.tracked || this.profile.framesAreObjects) return;
    this.heap.counts[0]++;
    frame.counted = true;
    this.heap.track(frame);
  }

  /** Adds this frame's traceback entry to an exception passing through it (once per frame). */
  addTraceback(err: PyError, frame: FrameObj): void {
    if (err.lastFrame === frame) return;
    err.lastFrame = frame;
    const exc = err.exc.exc;
    if (!exc) return;
    this.materializeFrame(frame);
    this.heap.incref(frame);
    const tb: TracebackObj = this.heap.register<TracebackObj>(this.heap.init(this.rt.type('traceback'), {
      kind: 'traceback',
      frame,
      line: frame.span ? frame.span.line : frame.line,
      span: frame.span,
      next: exc.traceback,
    }));
    exc.traceback = tb;
  }

  /** Runs a function object's body in a new frame; `args`/`kwargs` refs are taken over. */
  callFunction(fn: FunctionObj, args: PyObject[], kwargs: Map<string, PyObject> | null): PyObject {
    const code = fn.code;
    // CPython's default recursion limit: 1000 frames including the module's.
    if (this.depth >= 999 || this.depth >= this.stackDepthLimit) this.rt.raise('RecursionError', 'maximum recursion depth exceeded');
    const frame = this.newFrame(code, fn.globals, null, code.name, code.varnames.length + code.freevars.length);
    try {
      bindArguments(this, fn, frame, args, kwargs);
    } catch (err) {
      this.heap.decref(frame);
      throw err;
    }
    for (let i = 0; i < code.varnames.length; i++) {
      if (code.cellvars.has(code.varnames[i])) frame.locals[i] = this.newCell(frame.locals[i]);
    }
    if (fn.closure) {
      const base = code.varnames.length;
      fn.closure.items.forEach((cell, i) => {
        frame.locals[base + i] = this.heap.incref(cell);
      });
    }
    if (code.isGenerator) return this.makeGenerator(fn, frame);
    return this.runFrame(frame, () => (code.lambdaBody ? this.lambdaResult(code.lambdaBody) : this.execBody(code.body)));
  }

  private lambdaResult(body: Expr): PyObject {
    return evalExpr(this, body);
  }

  private execBody(body: readonly Stmt[]): PyObject {
    const completion = this.execBlock(body);
    if (completion === Completion.Return) {
      const value = this.retval!;
      this.retval = null;
      return value;
    }
    return this.rt.none();
  }

  newCell(value: PyObject | null): PyObject {
    return this.heap.register(this.heap.init(this.rt.type('cell'), { kind: 'cell', ref: value }));
  }

  /** Pushes `frame`, runs `body`, pops it and drops the call's reference to the frame. */
  runFrame(frame: FrameObj, body: () => PyObject, inlined = false): PyObject {
    const caller = this.frame;
    frame.back = caller;
    this.frame = frame;
    this.depth++;
    // Python code run from inside a labelled store (`__del__` of the value it replaced, `__eq__` of a dict key, a
    // weakref callback) takes and drops its own references: the store's holder label does not cover them.
    const holderHint = this.heap.holderHint;
    this.heap.holderHint = TEMPORARY;
    try {
      if (this.collectionPending) this.evalBreaker();
      return body();
    } catch (caught) {
      let err = caught;
      // The JS stack can run out before 1000 Python frames: that is Python's RecursionError too. From then on calls
      // stop a margin short of this depth, so the handlers, finally blocks and __exit__/__del__ methods that run while
      // the error unwinds have stack left (a second overflow mid-update could leave a refcount half-changed).
      if (isStackExhaustion(err)) {
        this.stackDepthLimit = Math.min(this.stackDepthLimit, Math.max(1, this.depth - STACK_MARGIN_FRAMES));
        err = new PyError(this.rt.makeException('RecursionError', 'maximum recursion depth exceeded'));
      }
      // Any other RangeError is an allocation JS refused (string or array length, BigInt size): Python's MemoryError.
      else if (err instanceof RangeError) err = new PyError(this.rt.makeException('MemoryError'));
      if (err instanceof PyError && !inlined) this.addTraceback(err, frame);
      throw err;
    } finally {
      this.heap.holderHint = holderHint;
      this.depth--;
      this.frame = caller;
      frame.executing = false;
      this.heap.decref(frame);
    }
  }

  makeGenerator(fn: FunctionObj, frame: FrameObj): PyObject {
    const gen: GeneratorObj = this.heap.register<GeneratorObj>(this.heap.init(this.rt.type('generator'), {
      kind: 'generator',
      name: fn.code.name,
      qualname: fn.code.qualname,
      frame,
      state: 'created',
      runner: null,
      isComprehension: fn.code.isComprehension,
    }));
    frame.executing = false;
    frame.generator = gen;
    // Before 3.11 the frame is tracked only once its generator exists: it follows the generator in generation 0.
    if (frame.tracked) {
      this.heap.untrack(frame);
      this.heap.track(frame);
    }
    return gen;
  }

  // ---- statements ------------------------------------------------------------------------------

  execBlock(stmts: readonly Stmt[]): Completion {
    for (let i = 0; i < stmts.length; i++) {
      const c = this.execStmt(stmts[i]);
      if (this.heap.trace) recordLine(this, stmts[i].s.line);
      if (c !== Completion.Normal) return c;
    }
    return Completion.Normal;
  }

  execStmt(s: Stmt): Completion {
    return execStmt(this, s);
  }

  truth(e: Expr): boolean {
    const v = evalExpr(this, e);
    try {
      return isTrue(this, v);
    } finally {
      this.heap.decref(v);
    }
  }

  decorate(decorators: readonly Expr[], value: PyObject): PyObject {
    let result = value;
    for (let i = decorators.length - 1; i >= 0; i--) {
      const dec = evalExpr(this, decorators[i]);
      const args = [result];
      try {
        result = callObject(this, dec, args, null);
      } finally {
        releaseArgs(this, args);
        this.heap.decref(dec);
      }
    }
    return result;
  }

  makeFunction(code: FunctionCode): FunctionObj {
    const rt = this.rt;
    const defaults: PyObject[] = [];
    let kwdefaults: DictObj | null = null;
    for (const p of code.params) {
      if (!p.defaultValue) continue;
      const v = evalExpr(this, p.defaultValue);
      if (p.kind === 'kwonly') {
        kwdefaults ??= rt.dict();
        rt.dictSetStr(kwdefaults, p.name, v);
      } else defaults.push(v);
    }
    let closure: TupleObj | null = null;
    if (code.freevars.length) {
      const cells = code.freevars.map((name) => this.cellFor(name));
      closure = rt.tuple(cells);
    }
    const globals = this.frame.globals;
    this.heap.incref(globals);
    const moduleName = rt.intern('__main__');
    const fn: FunctionObj = this.heap.register<FunctionObj>(this.heap.init(rt.type('function'), {
      kind: 'function',
      code,
      name: code.name,
      qualname: code.qualname,
      globals,
      defaults: defaults.length ? rt.tuple(defaults) : null,
      kwdefaults,
      closure,
      dict: null,
      doc: code.docstring !== undefined ? rt.intern(code.docstring) : null,
      module: moduleName,
    }));
    return fn;
  }

  /** The cell a nested function captures for `name` from the current frame. */
  cellFor(name: string): PyObject {
    const frame = this.frame;
    const code = frame.code;
    if (!code) {
      const index = frame.freeNames?.indexOf(name) ?? -1;
      const cell = index >= 0 ? frame.locals[index] : null;
      if (!cell) throw new Error(`no cell for ${name} in ${frame.funcName}`);
      return this.heap.incref(cell);
    }
    let slot = code.varnames.indexOf(name);
    if (slot < 0 || !code.cellvars.has(name)) {
      const free = code.freevars.indexOf(name);
      if (free < 0) throw new Error(`no cell for ${name}`);
      slot = code.varnames.length + free;
    }
    return this.heap.incref(frame.locals[slot]!);
  }

  /** Stores `value` (an owned reference, consumed) into an assignment target. */
  assign(target: Expr, value: PyObject): void {
    assign(this, target, value);
  }

  storeName(target: Extract<Expr, { k: 'name' }>, value: PyObject): void {
    storeName(this, target, value);
  }

  deleteTarget(target: Expr): void {
    deleteTarget(this, target);
  }

  exceptionMatches(exc: InstanceObj, t: PyObject): boolean {
    return exceptionMatches(this, exc, t);
  }

  chainContext(raised: unknown, handled: InstanceObj): void {
    chainContext(this, raised, handled);
  }

  toException(value: PyObject): InstanceObj {
    return toException(this, value);
  }

  runFinally(body: readonly Stmt[], completion: Completion, pending: unknown): Completion {
    return runFinally(this, body, completion, pending);
  }

  unboundLocal(name: string): never {
    this.rt.raise('UnboundLocalError', this.profile.minor >= 11 ? `cannot access local variable '${name}' where it is not associated with a value` : `local variable '${name}' referenced before assignment`);
  }

}

/** Drops the references an argument array still owns after a call (callees may have taken some). */
export function releaseArgs(it: Interp, args: PyObject[]): void {
  for (let i = args.length - 1; i >= 0; i--) it.heap.decref(args[i]);
  args.length = 0;
}

export function releaseKwargs(it: Interp, kwargs: Map<string, PyObject> | null): void {
  if (!kwargs) return;
  for (const v of kwargs.values()) it.heap.decref(v);
  kwargs.clear();
}


export type { ClassObj };
