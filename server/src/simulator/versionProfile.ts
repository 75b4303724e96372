// The per-version switches of observable CPython behaviour (the rows of notes/gc-semantics.md).
import type { TargetVersion } from './simulatorTypes';

export interface VersionProfile {
  readonly version: TargetVersion;
  readonly minor: number;
  /** 3.11+: instance attributes live inline; a `__dict__` object exists only once materialized. */
  readonly inlineValues: boolean;
  /** 3.13+: a materialized `__dict__` is not a separate GC object. */
  readonly materializedDictInvisible: boolean;
  /** Inline values fall back to a real dict after this many keys (3.11+). */
  readonly inlineValuesLimit: number;
  /** 3.12+: None, bools, small ints, `()` never change refcount. */
  readonly immortals: boolean;
  readonly immortalRefcount: number;
  /** 3.11+: a call moves the caller's argument references into the callee's frame (no extra copy). */
  readonly argsMovedIntoFrame: boolean;
  /** 3.14: loading a local (and passing it on) borrows instead of taking a reference. */
  readonly borrowedLocals: boolean;
  /** Before 3.11 every call creates a GC-tracked frame object. */
  readonly framesAreObjects: boolean;
  readonly threshold0: number;
  /** 3.12+: automatic collections run at the next eval-breaker check instead of inside the allocation. */
  readonly deferredAutoCollect: boolean;
  /** 3.7+ (bpo-38379 backport): a collection in which finalizers resurrect frees nothing and returns 0. */
  readonly resurrectionFreesNothing: boolean;
  /** 3.6: "Exception ignored in: <bound method ...>"; 3.14: "while calling deallocator". */
  readonly unraisableStyle: 'bound-method' | 'function' | 'deallocator';
  readonly caretTracebacks: boolean;
  /** 3.13+: carets are left out when they would underline the whole line. */
  readonly caretsSkipWholeLine: boolean;
  readonly hasFreeze: boolean;
  readonly getObjectsGeneration: boolean;
  /** 3.6/3.7: instances of a class with `__slots__ = ()` are not GC objects. */
  readonly emptySlotsUntracked: boolean;
  readonly proxyTypeName: string;
  readonly proxyEqualsTarget: boolean;
  /** 3.12+: list comprehensions run inline (PEP 709), no separate frame. */
  readonly inlinedComprehensions: boolean;
  /** 3.14: every dict is tracked; atomic tuples untracked at creation. */
  readonly incrementalGc: boolean;
  /** Generator and holder cycle: count of objects 3.6 counts an extra one. */
  readonly nameErrorSuggestions: boolean;
  /**
   * Recursion depth a class call that runs a Python `__init__` adds besides the `__init__` frame: the C-level calls
   * (type.__call__, slot_tp_init, the method call) that CPython counts against the recursion limit. Measured with
   * pyenv's CPythons (test/fixtures/simulator-oracle): 3 up to 3.6 (and 2.7), 1 from 3.7, none on 3.12 (C calls count
   * against a separate C limit there, `nestedInitLimit`), 1 again on 3.13 (which reaches a few levels more: 502 of
   * 1000 where this gives 499; not modelled). 3.14 (unmeasured: no pyenv build) is taken as 3.13.
   */
  readonly initCallDepth: number;
  /** 3.12: class calls running `__init__` nest at most this deep (C recursion limit 1500, three C calls each). */
  readonly nestedInitLimit: number;
}

export function versionProfile(version: TargetVersion): VersionProfile {
  const minor = version === '2.7' ? 0 : Number(version.split('.')[1]);
  return {
    version,
    minor,
    inlineValues: minor >= 11,
    materializedDictInvisible: minor >= 13,
    inlineValuesLimit: 28,
    immortals: minor >= 12,
    // 3.14: the reference column is CPython 3.14.2 on wasm32 (pyodide), whose immortal refcount prints 1879048192.
    immortalRefcount: minor >= 14 ? 1879048192 : 4294967295,
    argsMovedIntoFrame: minor >= 11,
    borrowedLocals: minor >= 14,
    framesAreObjects: minor <= 10,
    threshold0: minor >= 13 ? 2000 : 700,
    deferredAutoCollect: minor >= 12,
    resurrectionFreesNothing: minor >= 7,
    unraisableStyle: minor <= 6 ? 'bound-method' : minor >= 14 ? 'deallocator' : 'function',
    caretTracebacks: minor >= 11,
    caretsSkipWholeLine: minor >= 13,
    hasFreeze: minor >= 7,
    getObjectsGeneration: minor >= 8,
    emptySlotsUntracked: minor <= 7,
    proxyTypeName: minor >= 10 ? 'ProxyType' : 'weakproxy',
    proxyEqualsTarget: minor < 11,
    inlinedComprehensions: minor >= 12,
    incrementalGc: minor >= 14,
    nameErrorSuggestions: minor >= 10,
    initCallDepth: minor <= 6 ? 3 : minor === 12 ? 0 : 1,
    nestedInitLimit: minor === 12 ? 500 : Number.POSITIVE_INFINITY,
  };
}
