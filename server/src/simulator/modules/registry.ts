// The importable modules of the subset (gc, sys, weakref, functools, atexit, time, ...), built once per run.
import type { Interp } from '../interp';
import type { ModuleObj, NativeFn, PyObject } from '../objects';
import { RunStopped } from '../runtime';
import { buildGcModule } from './gcModule';
import { buildSysModule } from './sysModule';
import { buildWeakrefModule } from './weakrefModule';
import { buildFunctoolsModule } from './functoolsAndFinalize';
import { buildSmallModules } from './smallModules';
import { buildCollectionsModule } from './collectionsModule';
import { buildDataclassesModule } from './dataclassesModule';
import { buildContextlibModule } from './contextlibModule';

export interface ModuleBuilder {
  readonly module: ModuleObj;
  fn(name: string, impl: NativeFn): void;
  value(name: string, value: PyObject): void;
}

const BUILDERS: Record<string, (it: Interp, m: ModuleBuilder) => void> = {
  gc: buildGcModule,
  sys: buildSysModule,
  weakref: buildWeakrefModule,
  functools: buildFunctoolsModule,
  atexit: (it, m) => buildSmallModules(it, 'atexit', m),
  time: (it, m) => buildSmallModules(it, 'time', m),
  tempfile: (it, m) => buildSmallModules(it, 'tempfile', m),
  shutil: (it, m) => buildSmallModules(it, 'shutil', m),
  os: (it, m) => buildSmallModules(it, 'os', m),
  types: (it, m) => buildSmallModules(it, 'types', m),
  typing: (it, m) => buildSmallModules(it, 'typing', m),
  collections: buildCollectionsModule,
  dataclasses: buildDataclassesModule,
  contextlib: buildContextlibModule,
  abc: (it, m) => buildSmallModules(it, 'abc', m),
};

/**
 * Imports a module's code may make and still be simulated faithfully: modules the simulator models whole and that
 * have no effect outside the process (not os, shutil, tempfile, which it only stubs).
 */
export const SIDE_EFFECT_FREE_MODULES: ReadonlySet<string> = new Set([
  'gc', 'sys', 'weakref', 'functools', 'atexit', 'time', 'types', 'typing', 'collections', 'dataclasses', 'contextlib', 'abc', '__future__',
]);

export function newModule(it: Interp, name: string): ModuleBuilder {
  const rt = it.rt;
  const dict = rt.dict();
  const module = it.heap.register<ModuleObj>(it.heap.init(rt.type('module'), { kind: 'module', name, dict }));
  rt.dictSetStr(dict, '__name__', rt.intern(name));
  return {
    module,
    fn(fname, impl) {
      rt.dictSetStr(dict, fname, rt.builtin(fname, impl, module));
    },
    value(vname, value) {
      rt.dictSetStr(dict, vname, value);
    },
  };
}

/** `import name`: the module object (a new reference); sys.modules keeps one reference for the whole run. */
export function importModule(it: Interp, name: string, line: number): PyObject {
  const cached = it.modules.get(name);
  if (cached) return it.heap.incref(cached);
  const top = name.split('.')[0];
  const build = BUILDERS[name];
  if (!build) {
    if (top === '__main__') return it.heap.incref(it.mainModule);
    throw new RunStopped({ kind: 'unsupported', construct: `import of module '${name}'` }, line);
  }
  // CPython's builtin and frozen modules exist before the program runs: building ours is not the program's allocation.
  const counts = [...it.heap.counts];
  const m = newModule(it, name);
  it.modules.set(name, m.module);
  build(it, m);
  it.heap.counts.splice(0, 3, ...counts);
  return it.heap.incref(m.module);
}
