// The simulated heap's object kinds: one discriminated union, and the one referents function per kind (tp_traverse).
import type { FunctionCode, Span } from './ast';

/** Fields every simulated object has (CPython's PyObject header plus the GC header). */
export interface ObjectHeader {
  /** Allocation ordinal: the label (`Node#3`) and the fake address derive from it. */
  readonly serial: number;
  rc: number;
  /** Immortal (3.12+) or static (interpreter-owned, never freed). */
  immortal: boolean;
  tracked: boolean;
  /** 0, 1, 2, or 3 for frozen (permanent generation). */
  gen: number;
  /** GC scratch: gc_refs during a collection. */
  gcRefs: number;
  cls: ClassObj;
  weakrefs: WeakrefObj[] | null;
  finalized: boolean;
  freed: boolean;
  /** The collector's tp_clear already dropped every reference it holds. */
  cleared: boolean;
  /** Counted in generation 0's allocation count (a GC object in CPython's sense); its free decrements it. */
  counted: boolean;
  /** Source line of the allocation (trace snapshots). */
  line: number;
  /** Trace mode: the object's label once it has one (`Heap.label`); a field, not a map, since every reference reads it. */
  label: string | undefined;
  /** Trace mode: the line of the program's last decref of the object (`Heap.lastDropLine`). */
  dropLine: number | undefined;
}

export type IntValue = number | bigint;

export interface IntObj extends ObjectHeader { readonly kind: 'int'; readonly value: IntValue }
export interface FloatObj extends ObjectHeader { readonly kind: 'float'; readonly value: number }
export interface StrObj extends ObjectHeader { readonly kind: 'str'; readonly value: string }
export interface BytesObj extends ObjectHeader { readonly kind: 'bytes'; readonly value: string }
export interface NoneObj extends ObjectHeader { readonly kind: 'none' }
export interface EllipsisObj extends ObjectHeader { readonly kind: 'ellipsis' }
export interface NotImplementedObj extends ObjectHeader { readonly kind: 'notimplemented' }
export interface BoolObj extends ObjectHeader { readonly kind: 'bool'; readonly value: boolean }
export interface TupleObj extends ObjectHeader { readonly kind: 'tuple'; items: PyObject[] }
export interface ListObj extends ObjectHeader { readonly kind: 'list'; items: PyObject[] }

export interface DictEntry { key: PyObject; value: PyObject }
export interface DictObj extends ObjectHeader {
  readonly kind: 'dict';
  entries: Map<HashKey, DictEntry>;
  /** The instance whose attributes this dict stores (a materialized `__dict__`), if any. */
  owner: InstanceObj | null;
  /** 3.13+: a `__dict__` materialized by reading it is no GC object of its own (never tracked, not traversed). */
  invisible?: boolean;
  /** collections.defaultdict's default_factory (a held reference). */
  factory?: PyObject | null;
}
export interface SetObj extends ObjectHeader { readonly kind: 'set' | 'frozenset'; entries: Map<HashKey, PyObject> }
export type HashKey = string | number;

export interface CellObj extends ObjectHeader { readonly kind: 'cell'; ref: PyObject | null }

export interface FunctionObj extends ObjectHeader {
  readonly kind: 'function';
  readonly code: FunctionCode;
  name: string;
  qualname: string;
  readonly globals: DictObj;
  defaults: TupleObj | null;
  kwdefaults: DictObj | null;
  closure: TupleObj | null;
  dict: DictObj | null;
  doc: PyObject | null;
  module: PyObject;
}

export interface ClassObj extends ObjectHeader {
  readonly kind: 'class';
  name: string;
  qualname: string;
  /** The builtin type this class is (or derives from): decides instance layout and behaviour. */
  readonly builtin: BuiltinTypeName | null;
  /** Base classes (borrowed: `basesTuple` owns them) and the MRO used for lookups. */
  bases: ClassObj[];
  mro: ClassObj[];
  /** Heap types: the `__mro__` tuple (which contains the class itself: every class is in a cycle) and `__bases__`. */
  mroTuple: TupleObj | null;
  basesTuple: TupleObj | null;
  readonly dict: DictObj;
  /** `__slots__` names when the class defines them (without `__dict__`/`__weakref__`). */
  slots: string[] | null;
  /** Instances get a `__dict__` (no `__slots__`, or `__dict__` in them, somewhere in the hierarchy). */
  hasDict: boolean;
  hasWeakref: boolean;
  moduleName: string;
  /** Bumped on every class attribute change so lookups can be cached (not used yet). */
  version: number;
}

export type BuiltinTypeName = string;

export interface ExceptionState {
  args: TupleObj;
  traceback: TracebackObj | null;
  context: PyObject | null;
  cause: PyObject | null;
  suppressContext: boolean;
  /** NameError / AttributeError `.name` (3.10+ suggestions) and AttributeError `.obj` (a held reference). */
  name?: string;
  obj?: PyObject | null;
}

export interface InstanceObj extends ObjectHeader {
  readonly kind: 'instance';
  /** Attribute storage ('s:name' → entry): inline values (3.11+), shared with `dict` once one exists. */
  attrs: Map<HashKey, DictEntry> | null;
  /** The materialized `__dict__` object (always, before 3.11, once an attribute exists). */
  dict: DictObj | null;
  slotValues: Map<string, PyObject> | null;
  exc: ExceptionState | null;
}

export interface BoundMethodObj extends ObjectHeader { readonly kind: 'method'; readonly func: PyObject; readonly self: PyObject }

export type NativeFn = (args: PyObject[], kwargs: Map<string, PyObject> | null) => PyObject;

export interface BuiltinFnObj extends ObjectHeader {
  readonly kind: 'builtin';
  readonly name: string;
  /** `list.append` style: the bound receiver, referenced. */
  readonly self: PyObject | null;
  readonly fn: NativeFn;
  /** Qualified name for reprs of unbound methods (`<method 'append' of 'list' objects>`). */
  readonly ownerType: string | null;
}

export interface ModuleObj extends ObjectHeader { readonly kind: 'module'; readonly name: string; readonly dict: DictObj }

export interface FrameObj extends ObjectHeader {
  readonly kind: 'frame';
  readonly code: FunctionCode | null;
  readonly globals: DictObj;
  /** Class bodies and the module: the namespace dict names live in. */
  readonly namespace: DictObj | null;
  readonly locals: (PyObject | null)[];
  back: FrameObj | null;
  /** Current line and the node being evaluated (tracebacks, carets). */
  line: number;
  span: Span | null;
  /** Evaluation-stack temporaries the frame holds (references CPython keeps on the value stack). */
  readonly stack: PyObject[];
  readonly funcName: string;
  /** A class body's free variables (its locals are their cells). */
  freeNames?: readonly string[];
  executing: boolean;
  generator: GeneratorObj | null;
}

export interface TracebackObj extends ObjectHeader { readonly kind: 'traceback'; readonly frame: FrameObj; readonly line: number; readonly span: Span | null; next: TracebackObj | null }

export interface WeakrefObj extends ObjectHeader {
  readonly kind: 'weakref';
  readonly flavor: 'ref' | 'proxy' | 'weakmethod' | 'internal';
  target: PyObject | null;
  callback: PyObject | null;
  /** Callbacks the simulator's own weak containers use (WeakValueDictionary entries). */
  nativeCallback: ((ref: WeakrefObj) => void) | null;
  /** WeakMethod: the weakly referenced function and its own weakref. */
  funcRef: WeakrefObj | null;
  hash: number | null;
}

export interface WeakContainerObj extends ObjectHeader {
  readonly kind: 'weakvaluedict' | 'weakkeydict' | 'weakset';
  /** key (hash) → entry; values or keys held through internal weakrefs. */
  readonly entries: Map<HashKey, { key: PyObject; value: PyObject; ref: WeakrefObj }>;
}

export interface FinalizeObj extends ObjectHeader {
  readonly kind: 'finalize';
  ref: WeakrefObj | null;
  func: PyObject | null;
  args: TupleObj | null;
  kwargs: DictObj | null;
  readonly atexit: boolean;
  readonly index: number;
}

export interface PartialObj extends ObjectHeader { readonly kind: 'partial'; readonly func: PyObject; readonly args: TupleObj; readonly kwargs: DictObj; dict: DictObj | null }

export interface LruCacheObj extends ObjectHeader {
  readonly kind: 'lru_cache';
  readonly func: PyObject;
  readonly cache: DictObj;
  readonly maxsize: number | null;
  hits: number;
  misses: number;
  dict: DictObj;
  readonly typed: boolean;
}

export interface DescriptorObj extends ObjectHeader { readonly kind: 'property' | 'staticmethod' | 'classmethod'; readonly func: PyObject | null; setter: PyObject | null; deleter: PyObject | null }

export interface RangeObj extends ObjectHeader { readonly kind: 'range'; readonly start: number; readonly stop: number; readonly step: number }

export interface IteratorObj extends ObjectHeader {
  readonly kind: 'iterator';
  readonly typeName: string;
  /** What the iterator keeps alive (the list, dict, ...). */
  source: PyObject | null;
  /** Returns a new reference, or null when exhausted. */
  next: () => PyObject | null;
}

export interface GeneratorObj extends ObjectHeader {
  readonly kind: 'generator';
  readonly name: string;
  readonly qualname: string;
  frame: FrameObj | null;
  state: 'created' | 'suspended' | 'running' | 'closed';
  /** The driver that resumes the body (a JS generator over the interpreter). */
  runner: Generator<PyObject, unknown, PyObject | null> | null;
  /** The value being yielded while suspended (the generator's stack holds it until resumed). */
  readonly isComprehension: boolean;
}

export interface SuperObj extends ObjectHeader { readonly kind: 'super'; readonly type: ClassObj; readonly self: PyObject }

/** Interpreter-owned objects with attributes only (sys.stdout, cache_info results...). */
export interface OpaqueObj extends ObjectHeader { readonly kind: 'opaque'; readonly attrs: Map<string, PyObject>; readonly repr: string }

export type PyObject =
  | IntObj
  | FloatObj
  | StrObj
  | BytesObj
  | NoneObj
  | EllipsisObj
  | NotImplementedObj
  | BoolObj
  | TupleObj
  | ListObj
  | DictObj
  | SetObj
  | CellObj
  | FunctionObj
  | ClassObj
  | InstanceObj
  | BoundMethodObj
  | BuiltinFnObj
  | ModuleObj
  | FrameObj
  | TracebackObj
  | WeakrefObj
  | WeakContainerObj
  | FinalizeObj
  | PartialObj
  | LruCacheObj
  | DescriptorObj
  | RangeObj
  | IteratorObj
  | GeneratorObj
  | SuperObj
  | OpaqueObj;

export type PyKind = PyObject['kind'];

/** Writes the present items at `out[n]…`; returns the new count. */
function putAll(out: PyObject[], n: number, items: Iterable<PyObject | null>): number {
  for (const item of items) if (item) out[n++] = item;
  return n;
}

/** Writes the present items of an array at `out[n]…` (indexed: no iterator); returns the new count. */
function putItems(out: PyObject[], n: number, items: readonly (PyObject | null)[]): number {
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (item) out[n++] = item;
  }
  return n;
}

/** Writes each present value at `out[n]…` with no array built for them; returns the new count. */
function putPresent(out: PyObject[], n: number, a: PyObject | null | undefined, b?: PyObject | null, c?: PyObject | null, d?: PyObject | null): number {
  if (a) out[n++] = a;
  if (b) out[n++] = b;
  if (c) out[n++] = c;
  if (d) out[n++] = d;
  return n;
}

/**
 * What the object's tp_traverse visits, in CPython's order. `inlineValuesVisible` says whether an instance
 * without a materialized dict reports its attribute values (3.11+) — it always does when traversing. `out` is
 * emptied and filled.
 */
export function referents(obj: PyObject, out: PyObject[] = []): PyObject[] {
  const count = referentsInto(obj, out);
  if (out.length !== count) out.length = count;
  return out;
}

/**
 * `referents` for the collector's passes: writes them at `out[0…count)` and returns `count`, leaving whatever lies
 * past it (truncating an array each call is a runtime call in V8, a third of a full collection's time).
 */
export function referentsInto(obj: PyObject, out: PyObject[]): number {
  switch (obj.kind) {
    case 'int':
    case 'float':
    case 'str':
    case 'bytes':
    case 'none':
    case 'ellipsis':
    case 'notimplemented':
    case 'bool':
    case 'range':
      return 0;
    case 'tuple':
    case 'list':
      return putItems(out, 0, obj.items);
    case 'dict': {
      let n = 0;
      if (obj.factory) out[n++] = obj.factory;
      for (const entry of obj.entries.values()) {
        out[n++] = entry.key;
        out[n++] = entry.value;
      }
      return n;
    }
    case 'set':
    case 'frozenset':
      return putAll(out, 0, obj.entries.values());
    case 'cell':
      return putPresent(out, 0, obj.ref);
    case 'function':
      return putPresent(out, putPresent(out, 0, obj.globals, obj.module, obj.defaults, obj.kwdefaults), obj.doc, obj.closure, obj.dict);
    case 'class':
      return putPresent(out, 0, obj.dict, obj.mroTuple, obj.basesTuple);
    case 'instance': {
      let n = 0;
      if (obj.slotValues) n = putAll(out, n, obj.slotValues.values());
      if (obj.dict && !obj.dict.invisible) out[n++] = obj.dict;
      else if (obj.attrs) for (const e of obj.attrs.values()) out[n++] = e.value;
      if (obj.exc) n = putPresent(out, putPresent(out, n, obj.exc.args, obj.exc.traceback, obj.exc.context, obj.exc.cause), obj.exc.obj);
      if (!obj.cls.immortal) out[n++] = obj.cls;
      return n;
    }
    case 'method':
      out[0] = obj.func;
      out[1] = obj.self;
      return 2;
    case 'builtin':
      return putPresent(out, 0, obj.self);
    case 'module':
      out[0] = obj.dict;
      return 1;
    case 'frame':
      return putItems(out, putItems(out, putPresent(out, 0, obj.globals, obj.namespace), obj.locals), obj.stack);
    case 'traceback':
      return putPresent(out, 0, obj.next, obj.frame);
    case 'weakref':
      return putPresent(out, 0, obj.callback, obj.funcRef);
    case 'weakvaluedict':
    case 'weakkeydict':
    case 'weakset': {
      let n = 0;
      for (const entry of obj.entries.values()) {
        if (obj.kind === 'weakvaluedict') out[n++] = entry.key;
        else if (obj.kind === 'weakkeydict') out[n++] = entry.value;
        out[n++] = entry.ref;
      }
      return n;
    }
    case 'finalize':
      return putPresent(out, 0, obj.ref, obj.func, obj.args, obj.kwargs);
    case 'partial':
      return putPresent(out, 0, obj.func, obj.args, obj.kwargs, obj.dict);
    case 'lru_cache':
      return putPresent(out, 0, obj.func, obj.cache, obj.dict);
    case 'property':
    case 'staticmethod':
    case 'classmethod':
      return putPresent(out, 0, obj.func, obj.setter, obj.deleter);
    case 'iterator':
      return putPresent(out, 0, obj.source);
    case 'generator':
      // From 3.11 the frame lives inside the generator (no GC object of its own): its locals are traversed directly.
      if (obj.frame && obj.frame.tracked) {
        out[0] = obj.frame;
        return 1;
      }
      return obj.frame ? putItems(out, putItems(out, 0, obj.frame.locals), obj.frame.stack) : 0;
    case 'super':
      out[0] = obj.type;
      out[1] = obj.self;
      return 2;
    case 'opaque':
      return putAll(out, 0, obj.attrs.values());
    default: {
      const never: never = obj;
      return never;
    }
  }
}

/** Types whose instances CPython never tracks (no tp_traverse). */
export function isAtomicKind(kind: PyKind): boolean {
  return kind === 'int' || kind === 'float' || kind === 'str' || kind === 'bytes' || kind === 'none' || kind === 'bool' || kind === 'ellipsis' || kind === 'notimplemented' || kind === 'range';
}
