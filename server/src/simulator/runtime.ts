// The interpreter's state and object constructors: builtin types, constants, allocation helpers, raising errors.
import { Heap, HeaderBox, type HeapHost } from './heap';
import type {
  BuiltinFnObj, ClassObj, DictEntry, DictObj, FloatObj, HashKey, InstanceObj, IntObj, IntValue, ListObj, NativeFn, PyObject, SetObj, StrObj, TupleObj,
} from './objects';
import type { OutputChunk, SimulationBudgets } from './simulatorTypes';
import type { VersionProfile } from './versionProfile';
import { isAtomicKind } from './objects';

/** A Python exception travelling through the JS stack; `exc` is an owned reference. */
export class PyError extends Error {
  /** The last frame that added a traceback entry (each frame adds one as the exception passes). */
  lastFrame: unknown = null;
  constructor(readonly exc: InstanceObj) {
    super('python exception');
  }
}

/** Stops the run: a budget ran out or a construct is outside the subset. */
export class RunStopped extends Error {
  constructor(readonly reason: { kind: 'budget'; budget: keyof SimulationBudgets } | { kind: 'unsupported'; construct: string }, readonly line: number) {
    super(reason.kind === 'budget' ? `budget ${reason.budget}` : `unsupported ${reason.construct}`);
  }
}

/** V8's message for a stack overflow. */
const STACK_OVERFLOW_MESSAGE = 'Maximum call stack size exceeded';

/**
 * V8's stack overflow (other RangeErrors, such as an invalid string length, are not). Runs with almost no stack
 * left, so it compares the message instead of calling anything (a regular expression here overflowed in turn).
 */
export function isStackExhaustion(error: unknown): boolean {
  return error instanceof RangeError && error.message === STACK_OVERFLOW_MESSAGE;
}

/** Characters copied (or integer bytes built) per evaluation step charged by `Runtime.chargeWork`. */
export const WORK_PER_STEP = 64;

export const EXCEPTION_TREE: readonly [string, string][] = [
  ['BaseException', 'object'], ['Exception', 'BaseException'], ['SystemExit', 'BaseException'], ['KeyboardInterrupt', 'BaseException'],
  ['GeneratorExit', 'BaseException'], ['ArithmeticError', 'Exception'], ['ZeroDivisionError', 'ArithmeticError'], ['OverflowError', 'ArithmeticError'],
  ['AssertionError', 'Exception'], ['AttributeError', 'Exception'], ['LookupError', 'Exception'], ['IndexError', 'LookupError'], ['KeyError', 'LookupError'],
  ['NameError', 'Exception'], ['UnboundLocalError', 'NameError'], ['RuntimeError', 'Exception'], ['NotImplementedError', 'RuntimeError'],
  ['RecursionError', 'RuntimeError'], ['StopIteration', 'Exception'], ['TypeError', 'Exception'], ['ValueError', 'Exception'], ['ReferenceError', 'Exception'],
  ['ImportError', 'Exception'], ['ModuleNotFoundError', 'ImportError'], ['OSError', 'Exception'], ['FileNotFoundError', 'OSError'], ['MemoryError', 'Exception'],
  ['UnicodeError', 'ValueError'], ['Warning', 'Exception'], ['UserWarning', 'Warning'], ['DeprecationWarning', 'Warning'], ['ResourceWarning', 'Warning'],
];

const PLAIN_TYPES = [
  'type', 'int', 'float', 'str', 'bytes', 'bool', 'NoneType', 'tuple', 'list', 'dict', 'set', 'frozenset', 'function', 'cell', 'method',
  'builtin_function_or_method', 'module', 'frame', 'traceback', 'ReferenceType', 'weakproxy', 'WeakMethod', 'WeakValueDictionary', 'WeakKeyDictionary',
  'WeakSet', 'finalize', 'partial', '_lru_cache_wrapper', 'property', 'staticmethod', 'classmethod', 'range', 'generator', 'super', 'ellipsis',
  'NotImplementedType', 'list_iterator', 'tuple_iterator', 'range_iterator', 'dict_keyiterator', 'dict_valueiterator', 'dict_itemiterator',
  'set_iterator', 'str_ascii_iterator', 'enumerate', 'zip', 'map', 'filter', 'reversed', 'dict_keys', 'dict_values', 'dict_items', 'TextIOWrapper',
  'CacheInfo', 'slice', 'iterator', 'method-wrapper', 'getset_descriptor', 'code', 'KeyedRef',
];

/** int and float objects: every field assigned by constructors, in one fixed order. */
class ScalarBox extends HeaderBox {
  constructor(
    readonly kind: 'int' | 'float',
    cls: ClassObj,
    readonly value: IntValue,
    serial: number,
    line: number,
  ) {
    super(cls, false, serial, line);
  }
}

export class Runtime {
  readonly heap: Heap;
  readonly types = new Map<string, ClassObj>();
  readonly output: OutputChunk[] = [];
  readonly None: PyObject;
  readonly True: PyObject;
  readonly False: PyObject;
  readonly Ellipsis: PyObject;
  readonly NotImplemented: PyObject;
  readonly emptyTuple: TupleObj;
  private readonly smallInts: IntObj[] = [];
  private readonly interned = new Map<string, StrObj>();
  private readonly intType: ClassObj;
  private readonly floatType: ClassObj;
  private readonly listType: ClassObj;
  steps = 0;
  maxSteps = 1_000_000;
  deadline = Infinity;
  line = 0;
  maxOutputChars = Infinity;
  private outputChars = 0;
  /** Set when the output budget cut a write: the next step stops the run (writes themselves never throw). */
  outputExhausted = false;

  constructor(readonly profile: VersionProfile, host: HeapHost) {
    this.heap = new Heap(profile, host);
    const typeType = this.bootstrapType('type');
    this.types.set('type', typeType);
    const objectType = this.bootstrapType('object');
    this.types.set('object', objectType);
    for (const name of PLAIN_TYPES) if (!this.types.has(name)) this.types.set(name, this.bootstrapType(name, objectType));
    for (const [name, base] of EXCEPTION_TREE) this.types.set(name, this.bootstrapType(name, this.types.get(base)!));
    this.intType = this.type('int');
    this.floatType = this.type('float');
    this.listType = this.type('list');
    this.types.get('bool')!.bases = [this.types.get('int')!];
    this.types.get('bool')!.mro = [this.types.get('bool')!, this.types.get('int')!, objectType];
    this.None = this.heap.makeStatic(this.heap.init(this.type('NoneType'), { kind: 'none' }), 5000);
    this.True = this.heap.makeStatic(this.heap.init(this.type('bool'), { kind: 'bool', value: true }), 1000);
    this.False = this.heap.makeStatic(this.heap.init(this.type('bool'), { kind: 'bool', value: false }), 1000);
    this.Ellipsis = this.heap.makeStatic(this.heap.init(this.type('ellipsis'), { kind: 'ellipsis' }));
    this.NotImplemented = this.heap.makeStatic(this.heap.init(this.type('NotImplementedType'), { kind: 'notimplemented' }));
    this.emptyTuple = this.heap.makeStatic(this.heap.init(this.type('tuple'), false, { kind: 'tuple', items: [] }));
    for (let i = -5; i <= 256; i++) this.smallInts.push(this.heap.makeStatic(this.heap.init(this.type('int'), { kind: 'int', value: i }), 100));
  }

  /** A builtin type defined by a module (collections.defaultdict derives from dict). */
  defineType(name: string, baseName: string): ClassObj {
    const existing = this.types.get(name);
    if (existing) return existing;
    const cls = this.bootstrapType(name, this.type(baseName));
    this.types.set(name, cls);
    return cls;
  }

  private bootstrapType(name: string, base?: ClassObj): ClassObj {
    const placeholder = this.types.get('type');
    const dict: DictObj = this.heap.init(placeholder as ClassObj, false, { kind: 'dict', entries: new Map(), owner: null });
    const cls: ClassObj = this.heap.init(placeholder as ClassObj, false, {
      kind: 'class',
      name,
      qualname: name,
      builtin: name,
      bases: base ? [base] : [],
      mro: [],
      mroTuple: null,
      basesTuple: null,
      dict,
      slots: null,
      hasDict: false,
      hasWeakref: false,
      moduleName: 'builtins',
      version: 0,
    });
    cls.mro = base ? [cls, ...base.mro] : [cls];
    if (!placeholder) (cls as { cls: ClassObj }).cls = cls;
    (dict as { cls: ClassObj }).cls = this.types.get('dict') ?? cls;
    this.heap.makeStatic(cls);
    this.heap.makeStatic(dict);
    return cls;
  }

  type(name: string): ClassObj {
    const t = this.types.get(name);
    if (!t) throw new Error(`no builtin type ${name}`);
    return t;
  }

  // ---- constructors: each returns a new reference -------------------------------------------------

  int(value: IntValue): PyObject {
    if (typeof value === 'bigint') {
      if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) value = Number(value);
    }
    if (typeof value === 'number' && value >= -5 && value <= 256) return this.heap.incref(this.smallInts[value + 5]);
    // The hottest allocation: built by a constructor with every field in place (one hidden class).
    return this.heap.register<IntObj>(new ScalarBox('int', this.intType, value, this.heap.nextSerial(), this.line) as unknown as IntObj);
  }

  float(value: number): PyObject {
    return this.heap.register<FloatObj>(new ScalarBox('float', this.floatType, value, this.heap.nextSerial(), this.line) as unknown as FloatObj);
  }

  str(value: string): PyObject {
    if (value.length <= 1) {
      const cached = this.interned.get(value);
      if (cached) return this.heap.incref(cached);
      const s = this.heap.makeStatic<StrObj>(this.heap.init(this.type('str'), { kind: 'str', value }));
      this.interned.set(value, s);
      return this.heap.incref(s);
    }
    return this.heap.register<StrObj>(this.heap.init(this.type('str'), { kind: 'str', value }));
  }

  /** An interned (static) string: identifiers and constants. */
  intern(value: string): PyObject {
    let s = this.interned.get(value);
    if (!s) {
      s = this.heap.makeStatic<StrObj>(this.heap.init(this.type('str'), { kind: 'str', value }), 10);
      this.interned.set(value, s);
    }
    return this.heap.incref(s);
  }

  bool(value: boolean): PyObject {
    return this.heap.incref(value ? this.True : this.False);
  }

  none(): PyObject {
    return this.heap.incref(this.None);
  }

  /** A tuple owning `items` (references are moved in). */
  tuple(items: PyObject[]): TupleObj {
    if (items.length === 0) return this.heap.incref(this.emptyTuple) as TupleObj;
    const atomicUntracked = this.profile.incrementalGc && items.every((i) => isAtomicKind(i.kind));
    const counted = !this.heap.takeFreeTuple(items.length);
    return this.heap.register<TupleObj>(this.heap.init(this.type('tuple'), !atomicUntracked, { kind: 'tuple', items }), counted);
  }

  list(items: PyObject[]): ListObj {
    return this.heap.register(this.heap.newList(this.listType, items), !this.heap.takeFreeList());
  }

  /** An empty dict: untracked until it holds something that may be tracked (3.14 tracks every dict). */
  dict(): DictObj {
    return this.heap.register<DictObj>(this.heap.init(this.type('dict'), this.profile.incrementalGc, { kind: 'dict', entries: new Map(), owner: null }));
  }

  set(kind: 'set' | 'frozenset' = 'set'): SetObj {
    return this.heap.register<SetObj>(this.heap.init(this.type(kind), { kind, entries: new Map() }));
  }

  builtin(name: string, fn: NativeFn, self: PyObject | null = null, ownerType: string | null = null): BuiltinFnObj {
    if (self) this.heap.incref(self);
    return this.heap.register<BuiltinFnObj>(this.heap.init(this.type('builtin_function_or_method'), { kind: 'builtin', name, fn, self, ownerType }));
  }

  // ---- dict storage (refcount-correct) ----------------------------------------------------------

  /** Stores key/value, taking ownership of both references. */
  dictSet(dict: DictObj, hash: HashKey, key: PyObject, value: PyObject): void {
    const existing = dict.entries.get(hash);
    if (existing) {
      const old = existing.value;
      existing.value = value;
      this.heap.decref(key);
      if (!dict.tracked && !dict.invisible && mayBeTracked(value)) this.heap.track(dict);
      this.heap.decref(old);
      return;
    }
    const entry: DictEntry = { key, value };
    dict.entries.set(hash, entry);
    if (!dict.tracked && !dict.invisible && (mayBeTracked(value) || mayBeTracked(key))) this.heap.track(dict);
  }

  dictSetStr(dict: DictObj, name: string, value: PyObject): void {
    const hash = 's:' + name;
    const existing = dict.entries.get(hash);
    if (existing) {
      // Rebinding a name: the key stays, only the value changes (no interned-key round trip).
      const old = existing.value;
      existing.value = value;
      if (!dict.tracked && !dict.invisible && mayBeTracked(value)) this.heap.track(dict);
      this.heap.decref(old);
      return;
    }
    this.dictSet(dict, hash, this.intern(name), value);
  }

  /** Removes the entry; returns false when missing. */
  dictDelete(dict: DictObj, hash: HashKey): boolean {
    const entry = dict.entries.get(hash);
    if (!entry) return false;
    dict.entries.delete(hash);
    this.heap.decref(entry.key);
    this.heap.decref(entry.value);
    return true;
  }

  // ---- errors ---------------------------------------------------------------------------------

  /** A new exception instance of a builtin class with one string argument (or none). */
  makeException(typeName: string, message?: string | PyObject[]): InstanceObj {
    const cls = this.type(typeName);
    const args = Array.isArray(message) ? message : message === undefined ? [] : [this.str(message)];
    return this.newException(cls, this.tuple(args));
  }

  newException(cls: ClassObj, args: TupleObj): InstanceObj {
    this.heap.incref(cls);
    return this.heap.register<InstanceObj>(this.heap.init(cls, {
      kind: 'instance',
      attrs: null,
      dict: null,
      slotValues: null,
      exc: { args, traceback: null, context: null, cause: null, suppressContext: false },
    }));
  }

  raise(typeName: string, message?: string): never {
    throw new PyError(this.makeException(typeName, message));
  }

  /** NameError with its `.name` (3.10+ "Did you mean" suggestions use it). */
  raiseNameError(name: string): never {
    const exc = this.makeException('NameError', `name '${name}' is not defined`);
    if (this.profile.minor >= 10) exc.exc!.name = name;
    throw new PyError(exc);
  }

  isSubclass(cls: ClassObj, base: ClassObj): boolean {
    return cls === base || cls.mro.includes(base);
  }

  isInstanceOf(obj: PyObject, typeName: string): boolean {
    return this.isSubclass(obj.cls, this.type(typeName));
  }

  /**
   * Charges work beyond one step to the step budget before it is done: copying `units` characters (a list slot
   * counts as 8) or building a `units`-byte integer. Without it one `'x' * 10**10` or `2 ** 10**10` would be a single
   * step that exhausts memory or time before any budget is looked at.
   */
  chargeWork(units: number): void {
    if (!(units >= WORK_PER_STEP)) return;
    this.steps += Math.floor(Math.min(units, Number.MAX_SAFE_INTEGER) / WORK_PER_STEP);
    if (this.steps > this.maxSteps) {
      this.steps = this.maxSteps + 1;
      throw new RunStopped({ kind: 'budget', budget: 'maxSteps' }, this.line);
    }
    if (Date.now() > this.deadline) throw new RunStopped({ kind: 'budget', budget: 'maxMillis' }, this.line);
  }

  write(stream: 'stdout' | 'stderr', text: string): void {
    if (text === '' || this.outputExhausted) return;
    if (this.outputChars + text.length > this.maxOutputChars) {
      text = text.slice(0, Math.max(0, this.maxOutputChars - this.outputChars));
      this.outputExhausted = true;
    }
    this.outputChars += text.length;
    if (this.heap.traceEvents) this.heap.events.push({ kind: 'output', step: this.steps, line: this.heap.host.currentLine(), stream, text });
    const last = this.output[this.output.length - 1];
    if (last && last.stream === stream) this.output[this.output.length - 1] = { stream, text: last.text + text };
    else this.output.push({ stream, text });
  }
}

/** CPython's _PyObject_GC_MAY_BE_TRACKED: a GC object that is not an untracked tuple. */
export function mayBeTracked(obj: PyObject): boolean {
  if (isAtomicKind(obj.kind)) return false;
  switch (obj.kind) {
    case 'tuple':
      return obj.tracked;
    case 'class':
      return !obj.immortal;
    case 'instance':
      return obj.tracked || obj.cls.builtin === null;
    case 'builtin':
      return !obj.immortal;
    default:
      return true;
  }
}
