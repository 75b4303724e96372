// The interpreter's state and its statement executor: frames, calls, control flow, exceptions.
import type { ExceptHandler, Expr, FunctionCode, Stmt } from './ast';
import { recordLine } from './trace';
import { collectGarbage } from './collector';
import { evalExpr } from './evaluate';
import type { HeapHost } from './heap';
import { getAttr, delAttr, setAttr, lookupSpecial } from './objectProtocol';
import type { ClassObj, DictObj, FrameObj, FunctionObj, GeneratorObj, InstanceObj, PyObject, TracebackObj, TupleObj, WeakrefObj } from './objects';
import { delItem, isTrue, iterate, setItem } from './operators';
import { PyError, RunStopped, Runtime } from './runtime';
import { buildClass } from './classes';
import { bindArguments } from './callArgs';
import { importModule } from './modules/registry';
import { reportUnraisable } from './tracebacks';
import { runGeneratorClose } from './generators';
import type { VersionProfile } from './versionProfile';
import { callObject } from './calls';

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

export class Interp implements HeapHost {
  readonly rt: Runtime;
  frame!: FrameObj;
  readonly builtins: DictObj;
  readonly modules = new Map<string, PyObject>();
  mainModule!: PyObject;
  retval: PyObject | null = null;
  depth = 0;
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
  /** Functions defined in a class body → that class (zero-argument super()). */
  readonly classOfCode = new Map<FunctionCode, ClassObj>();

  constructor(readonly profile: VersionProfile, readonly fileName: string, readonly lines: readonly string[]) {
    this.rt = new Runtime(profile, this);
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
    if (this.heap.trace) this.heap.events.push({ kind: 'finalizer', step: this.rt.steps, line: this.currentLine(), object: this.heap.label(obj) });
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
    if (++rt.steps > rt.maxSteps) throw new RunStopped({ kind: 'budget', budget: 'maxSteps' }, line);
    if ((rt.steps & 1023) === 0 && Date.now() > rt.deadline) throw new RunStopped({ kind: 'budget', budget: 'maxMillis' }, line);
    this.heap.step = rt.steps;
  }

  // ---- frames ----------------------------------------------------------------------------------

  newFrame(code: FunctionCode | null, globals: DictObj, namespace: DictObj | null, funcName: string, slots: number): FrameObj {
    const track = this.profile.framesAreObjects;
    const frame: FrameObj = this.heap.init(this.rt.type('frame'), track, {
      kind: 'frame',
      code,
      globals,
      namespace,
      locals: new Array<PyObject | null>(slots).fill(null),
      back: null,
      span: null,
      stack: [],
      funcName,
      executing: true,
      generator: null,
    });
    frame.line = code ? code.span.line : 1;
    this.heap.incref(globals);
    if (namespace) this.heap.incref(namespace);
    return this.heap.register(frame, track);
  }

  /** Adds this frame's traceback entry to an exception passing through it (once per frame). */
  addTraceback(err: PyError, frame: FrameObj): void {
    if (err.lastFrame === frame) return;
    err.lastFrame = frame;
    const exc = err.exc.exc;
    if (!exc) return;
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
    if (this.depth >= 999) this.rt.raise('RecursionError', 'maximum recursion depth exceeded');
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
    try {
      if (this.collectionPending) this.evalBreaker();
      return body();
    } catch (caught) {
      let err = caught;
      // The JS stack can run out before 1000 Python frames: that is Python's RecursionError too.
      if (err instanceof RangeError) err = new PyError(this.rt.makeException('RecursionError', 'maximum recursion depth exceeded'));
      if (err instanceof PyError && !inlined) this.addTraceback(err, frame);
      throw err;
    } finally {
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
    const frame = this.frame;
    if (this.heap.trace) this.heap.holderHint = 'temporary';
    frame.line = s.s.line;
    frame.span = null;
    this.rt.line = s.s.line;
    this.tick(s.s.line);
    switch (s.k) {
      case 'expr': {
        const v = evalExpr(this, s.value);
        this.heap.decref(v);
        return Completion.Normal;
      }
      case 'assign': {
        const value = evalExpr(this, s.value);
        const targets = s.targets;
        for (let i = 0; i < targets.length - 1; i++) this.assign(targets[i], this.heap.incref(value));
        this.assign(targets[targets.length - 1], value);
        return Completion.Normal;
      }
      case 'annassign':
        if (s.value) this.assign(s.target, evalExpr(this, s.value));
        return Completion.Normal;
      case 'augassign':
        this.augAssign(s);
        return Completion.Normal;
      case 'return':
        this.retval = s.value ? evalExpr(this, s.value) : this.rt.none();
        return Completion.Return;
      case 'pass':
      case 'global':
      case 'nonlocal':
        return Completion.Normal;
      case 'break':
        return Completion.Break;
      case 'continue':
        return Completion.Continue;
      case 'if':
        return this.execBlock(this.truth(s.cond) ? s.body : s.orelse);
      case 'while': {
        while (this.truth(s.cond)) {
          const c = this.execBlock(s.body);
          if (this.collectionPending) this.evalBreaker();
          if (c === Completion.Break) return Completion.Normal;
          if (c === Completion.Return) return c;
          this.frame.line = s.s.line;
        }
        return this.execBlock(s.orelse);
      }
      case 'for':
        return this.execFor(s);
      case 'try':
        return this.execTry(s);
      case 'with':
        return this.execWith(s, 0);
      case 'def': {
        const fn = this.makeFunction(s.code);
        this.assign(s.target, this.decorate(s.decorators, fn));
        return Completion.Normal;
      }
      case 'class': {
        const cls = buildClass(this, s);
        this.assign(s.target, this.decorate(s.decorators, cls));
        return Completion.Normal;
      }
      case 'del':
        for (const t of s.targets) this.deleteTarget(t);
        return Completion.Normal;
      case 'assert': {
        if (this.truth(s.test)) return Completion.Normal;
        const msg = s.msg ? [evalExpr(this, s.msg)] : [];
        throw new PyError(this.rt.newException(this.rt.type('AssertionError'), this.rt.tuple(msg)));
      }
      case 'raise':
        return this.execRaise(s);
      case 'import':
        for (const n of s.names) {
          const mod = importModule(this, n.module, s.s.line);
          this.assign(n.target, mod);
        }
        return Completion.Normal;
      case 'importfrom': {
        const mod = importModule(this, s.module, s.s.line);
        try {
          for (const n of s.names) {
            let value: PyObject;
            try {
              value = getAttr(this, mod, n.name);
            } catch (err) {
              if (!(err instanceof PyError)) throw err;
              this.heap.decref(err.exc);
              this.rt.raise('ImportError', `cannot import name '${n.name}' from '${s.module}'`);
            }
            this.assign(n.target, value);
          }
        } finally {
          this.heap.decref(mod);
        }
        return Completion.Normal;
      }
      case 'unsupported':
        throw new RunStopped({ kind: 'unsupported', construct: s.construct }, s.s.line);
      default: {
        const never: never = s;
        return never;
      }
    }
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
  private cellFor(name: string): PyObject {
    const frame = this.frame;
    const code = frame.code;
    if (!code) throw new Error(`no cell for ${name} at module level`);
    let slot = code.varnames.indexOf(name);
    if (slot < 0 || !code.cellvars.has(name)) {
      const free = code.freevars.indexOf(name);
      if (free < 0) throw new Error(`no cell for ${name}`);
      slot = code.varnames.length + free;
    }
    return this.heap.incref(frame.locals[slot]!);
  }

  private augAssign(s: Extract<Stmt, { k: 'augassign' }>): void {
    const target = s.target;
    if (target.k === 'name') {
      const current = evalExpr(this, target);
      const rhs = evalExpr(this, s.value);
      this.frame.span = s.s;
      const result = inplaceOp(this, s.op, current, rhs);
      this.assign(target, result);
      return;
    }
    if (target.k === 'attr') {
      const obj = evalExpr(this, target.obj);
      try {
        this.frame.span = target.s;
        const current = getAttr(this, obj, target.name);
        const rhs = evalExpr(this, s.value);
        const result = inplaceOp(this, s.op, current, rhs);
        setAttr(this, obj, target.name, result);
      } finally {
        this.heap.decref(obj);
      }
      return;
    }
    if (target.k === 'subscript') {
      const obj = evalExpr(this, target.obj);
      const index = evalExpr(this, target.index);
      try {
        const current = evalSubscriptOf(this, obj, index, target);
        const rhs = evalExpr(this, s.value);
        const result = inplaceOp(this, s.op, current, rhs);
        setItem(this, obj, index, result);
      } finally {
        this.heap.decref(obj);
        this.heap.decref(index);
      }
      return;
    }
    throw new RunStopped({ kind: 'unsupported', construct: 'augmented assignment target' }, s.s.line);
  }

  /** Stores `value` (an owned reference, consumed) into an assignment target. */
  assign(target: Expr, value: PyObject): void {
    switch (target.k) {
      case 'name':
        this.storeName(target, value);
        return;
      case 'attr': {
        let obj: PyObject;
        try {
          obj = evalExpr(this, target.obj);
        } catch (err) {
          this.heap.decref(value);
          throw err;
        }
        try {
          this.frame.span = target.s;
          setAttr(this, obj, target.name, value);
        } finally {
          this.heap.decref(obj);
        }
        return;
      }
      case 'subscript': {
        let obj: PyObject | null = null;
        let index: PyObject | null = null;
        try {
          obj = evalExpr(this, target.obj);
          index = evalExpr(this, target.index);
        } catch (err) {
          this.heap.xdecref(obj);
          this.heap.decref(value);
          throw err;
        }
        try {
          this.frame.span = target.s;
          setItem(this, obj, index, value);
        } finally {
          this.heap.decref(obj);
          this.heap.decref(index);
        }
        return;
      }
      case 'tuple':
      case 'list':
        this.unpack(target.items, value, target.s.line);
        return;
      default:
        this.heap.decref(value);
        throw new RunStopped({ kind: 'unsupported', construct: `assignment to ${target.k}` }, target.s.line);
    }
  }

  private unpack(targets: readonly Expr[], value: PyObject, _line: number): void {
    const items: PyObject[] = [];
    try {
      iterate(this, value, (item) => {
        items.push(item);
        return true;
      });
    } finally {
      this.heap.decref(value);
    }
    const starIndex = targets.findIndex((t) => t.k === 'starred');
    if (starIndex < 0 && items.length !== targets.length) {
      for (const i of items) this.heap.decref(i);
      if (items.length > targets.length) this.rt.raise('ValueError', `too many values to unpack (expected ${targets.length})`);
      this.rt.raise('ValueError', `not enough values to unpack (expected ${targets.length}, got ${items.length})`);
    }
    if (starIndex >= 0) {
      const after = targets.length - starIndex - 1;
      const starred = items.splice(starIndex, items.length - starIndex - after);
      items.splice(starIndex, 0, this.rt.list(starred));
    }
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i];
      this.assign(t.k === 'starred' ? t.value : t, items[i]);
    }
  }

  storeName(target: Extract<Expr, { k: 'name' }>, value: PyObject): void {
    const frame = this.frame;
    if (this.heap.trace) this.heap.holderHint = target.scope === 'global' || target.scope === 'name' ? `global '${target.id}'` : `local '${target.id}'`;
    switch (target.scope) {
      case 'local': {
        const old = frame.locals[target.slot];
        frame.locals[target.slot] = value;
        this.heap.xdecref(old);
        return;
      }
      case 'cell':
      case 'free': {
        const cell = frame.locals[target.slot];
        if (cell && cell.kind === 'cell') {
          const old = cell.ref;
          cell.ref = value;
          this.heap.xdecref(old);
          return;
        }
        break;
      }
      case 'name':
        if (frame.namespace) {
          this.rt.dictSetStr(frame.namespace, target.id, value);
          return;
        }
        break;
      default:
        break;
    }
    this.rt.dictSetStr(frame.namespace ?? frame.globals, target.id, value);
  }

  deleteTarget(target: Expr): void {
    const frame = this.frame;
    frame.span = target.s;
    switch (target.k) {
      case 'name': {
        if (target.scope === 'local') {
          const old = frame.locals[target.slot];
          if (!old) this.unboundLocal(target.id);
          frame.locals[target.slot] = null;
          this.heap.decref(old);
          return;
        }
        if (target.scope === 'cell' || target.scope === 'free') {
          const cell = frame.locals[target.slot];
          if (cell?.kind === 'cell' && cell.ref) {
            const old = cell.ref;
            cell.ref = null;
            this.heap.decref(old);
            return;
          }
          this.unboundLocal(target.id);
        }
        const ns = target.scope === 'name' && frame.namespace ? frame.namespace : target.scope === 'global' ? frame.globals : (frame.namespace ?? frame.globals);
        if (!this.rt.dictDelete(ns, 's:' + target.id)) this.rt.raise('NameError', `name '${target.id}' is not defined`);
        return;
      }
      case 'attr': {
        const obj = evalExpr(this, target.obj);
        try {
          frame.span = target.s;
          delAttr(this, obj, target.name);
        } finally {
          this.heap.decref(obj);
        }
        return;
      }
      case 'subscript': {
        const obj = evalExpr(this, target.obj);
        let index: PyObject | null = null;
        try {
          index = evalExpr(this, target.index);
          frame.span = target.s;
          delItem(this, obj, index);
        } finally {
          this.heap.decref(obj);
          this.heap.xdecref(index);
        }
        return;
      }
      case 'tuple':
      case 'list':
        for (const t of target.items) this.deleteTarget(t);
        return;
      default:
        throw new RunStopped({ kind: 'unsupported', construct: `del of ${target.k}` }, target.s.line);
    }
  }

  unboundLocal(name: string): never {
    this.rt.raise('UnboundLocalError', this.profile.minor >= 11 ? `cannot access local variable '${name}' where it is not associated with a value` : `local variable '${name}' referenced before assignment`);
  }

  private execFor(s: Extract<Stmt, { k: 'for' }>): Completion {
    const iterable = evalExpr(this, s.iter);
    let completion = Completion.Normal as Completion;
    let broke = false;
    try {
      iterate(this, iterable, (item) => {
        this.assign(s.target, item);
        const c = this.execBlock(s.body);
        if (this.collectionPending) this.evalBreaker();
        if (c === Completion.Break) {
          broke = true;
          return false;
        }
        if (c === Completion.Return) {
          completion = c;
          broke = true;
          return false;
        }
        this.frame.line = s.s.line;
        return true;
      }, true);
    } finally {
      this.heap.decref(iterable);
    }
    if (completion === Completion.Return) return completion;
    if (!broke) return this.execBlock(s.orelse);
    return Completion.Normal;
  }

  private execTry(s: Extract<Stmt, { k: 'try' }>): Completion {
    let completion = Completion.Normal;
    let pending: unknown = null;
    try {
      completion = this.execBlock(s.body);
    } catch (err) {
      if (!(err instanceof PyError)) throw err;
      this.addTraceback(err, this.frame);
      const handler = this.findHandler(s.handlers, err);
      if (!handler) pending = err;
      else {
        try {
          completion = this.runHandler(handler, err);
        } catch (inner) {
          pending = inner;
        }
      }
      if (pending === null && s.finalbody.length === 0) return completion;
      if (pending === null) return this.runFinally(s.finalbody, completion, null);
      if (s.finalbody.length === 0) throw pending;
      return this.runFinally(s.finalbody, completion, pending);
    }
    if (completion === Completion.Normal && s.orelse.length) {
      try {
        completion = this.execBlock(s.orelse);
      } catch (err) {
        if (s.finalbody.length === 0) throw err;
        return this.runFinally(s.finalbody, completion, err);
      }
    }
    if (s.finalbody.length === 0) return completion;
    return this.runFinally(s.finalbody, completion, null);
  }

  /** Runs a finally block; a pending exception or completion survives unless the block overrides it. */
  runFinally(body: readonly Stmt[], completion: Completion, pending: unknown): Completion {
    const savedRet = completion === Completion.Return ? this.retval : null;
    if (completion === Completion.Return) this.retval = null;
    let c: Completion;
    const isPy = pending instanceof PyError;
    if (isPy) this.handling.push(pending.exc);
    try {
      c = this.execBlock(body);
    } catch (err) {
      if (savedRet) this.heap.decref(savedRet);
      if (isPy) {
        this.chainContext(err, pending.exc);
        this.heap.decref(pending.exc);
      }
      throw err;
    } finally {
      if (isPy) this.handling.pop();
    }
    if (c !== Completion.Normal) {
      if (savedRet) this.heap.decref(savedRet);
      if (isPy) this.heap.decref(pending.exc);
      return c;
    }
    if (pending !== null) throw pending;
    if (completion === Completion.Return) this.retval = savedRet;
    return completion;
  }

  private findHandler(handlers: readonly ExceptHandler[], err: PyError): ExceptHandler | null {
    for (const h of handlers) {
      if (!h.type) return h;
      const t = evalExpr(this, h.type);
      try {
        if (this.exceptionMatches(err.exc, t)) return h;
      } finally {
        this.heap.decref(t);
      }
    }
    return null;
  }

  exceptionMatches(exc: InstanceObj, t: PyObject): boolean {
    if (t.kind === 'class') return this.rt.isSubclass(exc.cls, t);
    if (t.kind === 'tuple') return t.items.some((i) => this.exceptionMatches(exc, i));
    return false;
  }

  private runHandler(h: ExceptHandler, err: PyError): Completion {
    const exc = err.exc;
    this.handling.push(exc);
    try {
      if (h.name) this.assign(h.name, this.heap.incref(exc));
      try {
        return this.execBlock(h.body);
      } catch (inner) {
        this.chainContext(inner, exc);
        throw inner;
      } finally {
        if (h.name && h.name.k === 'name') this.unbindQuietly(h.name);
      }
    } finally {
      this.handling.pop();
      this.heap.decref(exc);
    }
  }

  /** Implicit chaining: an exception raised while `handled` is being handled gets it as `__context__`. */
  chainContext(raised: unknown, handled: InstanceObj): void {
    if (!(raised instanceof PyError) || raised.exc === handled || !raised.exc.exc || raised.exc.exc.context) return;
    for (let c: PyObject | null = handled; c && c.kind === 'instance'; c = c.exc?.context ?? null) if (c === raised.exc) return;
    raised.exc.exc.context = this.heap.incref(handled);
  }

  /** `except E as e` ends with `del e` (and tolerates it being gone already). */
  private unbindQuietly(target: Extract<Expr, { k: 'name' }>): void {
    try {
      this.deleteTarget(target);
    } catch (err) {
      if (!(err instanceof PyError)) throw err;
      this.heap.decref(err.exc);
    }
  }

  private execRaise(s: Extract<Stmt, { k: 'raise' }>): Completion {
    try {
      return this.raiseFrom(s);
    } catch (err) {
      // The RAISE instruction's location is the whole statement (no carets: it spans the line).
      if (err instanceof PyError && err.lastFrame !== this.frame) this.frame.span = s.s;
      throw err;
    }
  }

  private raiseFrom(s: Extract<Stmt, { k: 'raise' }>): Completion {
    this.frame.span = s.s;
    if (!s.exc) {
      const current = this.handling[this.handling.length - 1];
      if (!current) this.rt.raise('RuntimeError', 'No active exception to reraise');
      const err = new PyError(this.heap.incref(current) as InstanceObj);
      err.lastFrame = this.frame;
      throw err;
    }
    const value = evalExpr(this, s.exc);
    const exc = this.toException(value);
    if (s.cause) {
      const cause = evalExpr(this, s.cause);
      const c = cause.kind === 'none' ? cause : this.toException(cause);
      if (exc.exc) {
        this.heap.xdecref(exc.exc.cause);
        exc.exc.cause = c.kind === 'none' ? null : c;
        if (c.kind === 'none') this.heap.decref(c);
        exc.exc.suppressContext = true;
      }
    }
    throw new PyError(exc);
  }

  /** Turns a raised value (class or instance) into an exception instance (owned). */
  toException(value: PyObject): InstanceObj {
    if (value.kind === 'class' && this.rt.isSubclass(value, this.rt.type('BaseException'))) {
      const args: PyObject[] = [];
      const inst = callObject(this, value, args, null);
      this.heap.decref(value);
      return inst as InstanceObj;
    }
    if (value.kind === 'instance' && value.exc) return value;
    this.heap.decref(value);
    this.rt.raise('TypeError', 'exceptions must derive from BaseException');
  }

  private execWith(s: Extract<Stmt, { k: 'with' }>, index: number): Completion {
    if (index >= s.items.length) return this.execBlock(s.body);
    const item = s.items[index];
    const manager = evalExpr(this, item.value);
    let exit: PyObject | null = null;
    try {
      this.frame.span = item.value.s;
      const enter = lookupSpecial(this, manager, '__enter__');
      exit = lookupSpecial(this, manager, '__exit__');
      if (!enter || !exit) {
        this.heap.xdecref(enter);
        this.rt.raise('TypeError', `'${manager.cls.name}' object does not support the context manager protocol`);
      }
      const enterArgs = [this.heap.incref(manager)];
      let entered: PyObject;
      try {
        entered = callObject(this, enter, enterArgs, null);
      } finally {
        releaseArgs(this, enterArgs);
        this.heap.decref(enter);
      }
      if (item.target) this.assign(item.target, entered);
      else this.heap.decref(entered);
    } catch (err) {
      this.heap.decref(manager);
      this.heap.xdecref(exit);
      throw err;
    }
    let completion: Completion;
    try {
      completion = this.execWith(s, index + 1);
    } catch (err) {
      if (!(err instanceof PyError)) {
        this.heap.decref(manager);
        this.heap.decref(exit);
        throw err;
      }
      this.addTraceback(err, this.frame);
      const exc = err.exc;
      const tb = exc.exc?.traceback ?? null;
      const args = [this.heap.incref(manager), this.heap.incref(exc.cls), this.heap.incref(exc), tb ? this.heap.incref(tb) : this.rt.none()];
      let suppress = false;
      this.handling.push(exc);
      try {
        const r = callObject(this, exit, args, null);
        suppress = isTrue(this, r);
        this.heap.decref(r);
      } finally {
        this.handling.pop();
        releaseArgs(this, args);
        this.heap.decref(manager);
        this.heap.decref(exit);
      }
      if (suppress) {
        this.heap.decref(exc);
        return Completion.Normal;
      }
      throw err;
    }
    const args = [this.heap.incref(manager), this.rt.none(), this.rt.none(), this.rt.none()];
    try {
      this.heap.decref(callObject(this, exit, args, null));
    } finally {
      releaseArgs(this, args);
      this.heap.decref(manager);
      this.heap.decref(exit);
    }
    return completion;
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

import { binaryOp, inplaceOp as inplace } from './operators';
import { evalSubscriptOf } from './evaluate';

function inplaceOp(it: Interp, op: Parameters<typeof binaryOp>[1], left: PyObject, right: PyObject): PyObject {
  try {
    return inplace(it, op, left, right);
  } finally {
    it.heap.decref(left);
    it.heap.decref(right);
  }
}

export type { ClassObj };
