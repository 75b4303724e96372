// The simulated `gc` module: collect, thresholds, debug flags, garbage, callbacks, introspection, freeze.
import { collectGarbage, DEBUG_COLLECTABLE, DEBUG_SAVEALL, DEBUG_STATS, DEBUG_UNCOLLECTABLE } from '../collector';
import type { Interp } from '../interp';
import type { PyObject } from '../objects';
import { isAtomicKind, referents } from '../objects';
import { isTrue } from '../operators';
import type { ModuleBuilder } from './registry';

function intArg(it: Interp, v: PyObject | undefined, what: string): number {
  if (v?.kind === 'int') return Number(v.value);
  if (v?.kind === 'bool') return v.value ? 1 : 0;
  return it.rt.raise('TypeError', `'${v ? v.cls.name : 'NoneType'}' object cannot be interpreted as an integer${what ? '' : ''}`);
}

/** Every tracked object of the generations (not the frozen ones), youngest first. */
function trackedObjects(it: Interp, generation?: number): PyObject[] {
  const gens = generation === undefined ? [0, 1, 2] : [generation];
  const out: PyObject[] = [];
  for (const g of gens) for (const obj of it.heap.generations[g]) out.push(obj);
  return out;
}

export function buildGcModule(it: Interp, m: ModuleBuilder): void {
  const rt = it.rt;
  const heap = it.heap;
  const profile = it.profile;
  it.garbage = rt.list([]);
  it.gcCallbacks = rt.list([]);
  m.value('garbage', heap.incref(it.garbage));
  m.value('callbacks', heap.incref(it.gcCallbacks));
  m.value('DEBUG_STATS', rt.int(DEBUG_STATS));
  m.value('DEBUG_COLLECTABLE', rt.int(DEBUG_COLLECTABLE));
  m.value('DEBUG_UNCOLLECTABLE', rt.int(DEBUG_UNCOLLECTABLE));
  m.value('DEBUG_SAVEALL', rt.int(DEBUG_SAVEALL));
  m.value('DEBUG_LEAK', rt.int(DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL));
  m.fn('collect', (args, kwargs) => {
    const g = args[0] ?? kwargs?.get('generation');
    const generation = g ? intArg(it, g, 'generation') : 2;
    if (generation < 0 || generation > 2) rt.raise('ValueError', 'invalid generation');
    return rt.int(collectGarbage(it, generation, 'manual'));
  });
  m.fn('enable', () => {
    heap.enabled = true;
    return rt.none();
  });
  m.fn('disable', () => {
    heap.enabled = false;
    return rt.none();
  });
  m.fn('isenabled', () => rt.bool(heap.enabled));
  m.fn('get_count', () => rt.tuple(heap.counts.map((c) => rt.int(c))));
  m.fn('get_threshold', () => rt.tuple(heap.thresholds.map((c) => rt.int(c))));
  m.fn('set_threshold', (args) => {
    if (args.length < 1) rt.raise('TypeError', `set_threshold() takes at least 1 argument (0 given)`);
    if (args.length > 3) rt.raise('TypeError', `set_threshold() takes at most 3 arguments (${args.length} given)`);
    args.forEach((a, i) => {
      heap.thresholds[i] = intArg(it, a, 'threshold');
    });
    // 3.14's incremental collector has no third generation: its threshold always reads 0.
    if (profile.incrementalGc) heap.thresholds[2] = 0;
    return rt.none();
  });
  m.fn('get_debug', () => rt.int(it.gcDebug));
  m.fn('set_debug', (args) => {
    it.gcDebug = intArg(it, args[0], 'flags');
    return rt.none();
  });
  m.fn('get_objects', (args, kwargs) => {
    const g = args[0] ?? kwargs?.get('generation');
    if (!profile.getObjectsGeneration && (args.length || kwargs?.size)) rt.raise('TypeError', `get_objects() takes no arguments (${args.length} given)`);
    let generation: number | undefined;
    if (g && g.kind !== 'none') {
      generation = intArg(it, g, 'generation');
      if (generation >= 3) rt.raise('ValueError', 'generation parameter must be less than the number of available generations (3)');
      if (generation < 0) rt.raise('ValueError', 'generation parameter cannot be negative');
    }
    return rt.list(trackedObjects(it, generation).map((o) => heap.incref(o)));
  });
  m.fn('get_referents', (args) => {
    const out: PyObject[] = [];
    for (const a of args) {
      if (!isGcObject(a)) continue;
      for (const r of referents(a)) out.push(heap.incref(r));
    }
    return rt.list(out);
  });
  m.fn('get_referrers', (args) => {
    const targets = new Set(args);
    const out: PyObject[] = [];
    for (const obj of trackedObjects(it)) {
      // Executing frames are referrers only up to 3.6 (observed: ref_referrers).
      if (obj.kind === 'frame' && obj.executing && profile.minor >= 7) continue;
      if (referents(obj).some((r) => targets.has(r))) out.push(heap.incref(obj));
    }
    return rt.list(out);
  });
  m.fn('is_tracked', (args) => rt.bool(args[0].tracked));
  if (profile.minor >= 9) m.fn('is_finalized', (args) => rt.bool(args[0].finalized));
  if (profile.hasFreeze) {
    m.fn('freeze', () => {
      for (let g = 0; g < 3; g++) for (const obj of [...heap.generations[g]]) heap.moveTo(obj, 3);
      heap.counts[0] = 0;
      return rt.none();
    });
    m.fn('unfreeze', () => {
      for (const obj of [...heap.generations[3]]) heap.moveTo(obj, 2);
      return rt.none();
    });
    m.fn('get_freeze_count', () => rt.int(heap.generations[3].size));
  }
  m.fn('get_stats', () => {
    const stats: PyObject[] = [];
    for (let g = 0; g < 3; g++) {
      const d = rt.dict();
      rt.dictSetStr(d, 'collections', rt.int(it.collectionsRun[g]));
      rt.dictSetStr(d, 'collected', rt.int(it.collectedTotals[g]));
      rt.dictSetStr(d, 'uncollectable', rt.int(it.uncollectableTotals[g]));
      stats.push(d);
    }
    return rt.list(stats);
  });
  void isTrue;
}

function isGcObject(obj: PyObject): boolean {
  return !isAtomicKind(obj.kind);
}
