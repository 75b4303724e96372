// The simulator's heap invariants: referents are exhaustive, refcounts never go negative, frees happen at zero.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Interp } from '../../../server/src/simulator/interp';
import { collectGarbage } from '../../../server/src/simulator/collector';
import { referents, type PyObject } from '../../../server/src/simulator/objects';
import { RunStopped } from '../../../server/src/simulator/runtime';
import { simulate } from '../../../server/src/simulator/simulate';
import { TARGET_VERSIONS, type SimulationEvent, type TargetVersion } from '../../../server/src/simulator/simulatorTypes';
import { loadPythonParser, parserPreferenceFromEnv } from '../../../server/src/syntax/loadParser';
import type { PythonParser } from '../../../server/src/syntax/syntaxTypes';

/** A program that leaves one object of (nearly) every kind alive at module level. */
const ZOO = `
import gc, sys, weakref, functools

class Base(object):
    def __init__(self, name):
        self.name = name
    def method(self):
        return self.name
    @property
    def prop(self):
        return 1
    @staticmethod
    def static():
        return 2
    @classmethod
    def klass(cls):
        return cls

class Slotted(object):
    __slots__ = ("a", "__weakref__")

class Boom(Exception):
    pass

def outer():
    captured = [1]
    def inner():
        return captured
    return inner

def gen():
    try:
        yield 1
        yield 2
    finally:
        pass

inst = Base("x")
inst.self_ref = inst
inst.items = [1, "two", 3.0, None, (4, 5), {"k": [6]}, {7, 8}, frozenset([9])]
vars(inst)
slotted = Slotted()
slotted.a = inst
closure = outer()
bound = inst.method
generator = gen()
next(generator)
ref = weakref.ref(inst, lambda r: None)
proxy = weakref.proxy(inst)
wmethod = weakref.WeakMethod(inst.method)
wvd = weakref.WeakValueDictionary({"a": inst})
wkd = weakref.WeakKeyDictionary({inst: "value"})
wset = weakref.WeakSet([inst])
fin = weakref.finalize(slotted, print, "finalized")
part = functools.partial(Base, "p")
cached = functools.lru_cache(maxsize=None)(lambda x: [x])
cached(1)
iterator = iter([inst])
rng = range(3)
try:
    raise Boom("saved")
except Boom as e:
    saved = e
mod = sys
`;

/** Fields that are not references the object owns (borrowed pointers, weak targets, bookkeeping). */
const NOT_OWNED = new Set(['cls', 'weakrefs', 'back', 'target', 'owner', 'generator', 'bases', 'mro', 'code', 'runner', 'nativeCallback', 'next', 'span']);

/** Every PyObject reachable from the object's own fields (arrays, maps, entries), minus the not-owned ones. */
function ownedFields(obj: PyObject): Set<PyObject> {
  const out = new Set<PyObject>();
  const visit = (value: unknown, depth: number): void => {
    if (value === null || value === undefined || depth > 3) return;
    if (typeof value !== 'object') return;
    if ('kind' in value && 'serial' in value && 'rc' in value) {
      out.add(value as PyObject);
      return;
    }
    if (value instanceof Map) {
      for (const v of value.values()) visit(v, depth + 1);
      return;
    }
    if (Array.isArray(value)) {
      for (const v of value) visit(v, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(value)) visit(k === 'target' ? null : v, depth + 1);
  };
  for (const [key, value] of Object.entries(obj)) {
    if (NOT_OWNED.has(key)) continue;
    // An instance's attribute storage is traversed through its visible __dict__ when it has one.
    if (obj.kind === 'instance' && key === 'attrs' && obj.dict && !obj.dict.invisible) continue;
    // 3.13+: a __dict__ materialized by reading it is not traversed (the inline values are).
    if (obj.kind === 'instance' && key === 'dict' && obj.dict?.invisible) continue;
    // Weak containers hold their weak side only through the internal weakref.
    if ((obj.kind === 'weakvaluedict' || obj.kind === 'weakkeydict' || obj.kind === 'weakset') && key === 'entries') {
      for (const e of obj.entries.values()) {
        out.add(e.ref);
        if (obj.kind === 'weakvaluedict') out.add(e.key);
        if (obj.kind === 'weakkeydict') out.add(e.value);
      }
      continue;
    }
    visit(value, 0);
  }
  // A traceback's `next` is owned (unlike a frame's `back`).
  if (obj.kind === 'traceback' && obj.next) out.add(obj.next);
  // A generator's frame that is no GC object (3.11+) is traversed through its locals.
  if (obj.kind === 'generator' && obj.frame && !obj.frame.tracked) {
    out.delete(obj.frame);
    for (const local of obj.frame.locals) if (local) out.add(local);
  }
  return out;
}

function liveObjects(interp: Interp): PyObject[] {
  const out: PyObject[] = [];
  for (let g = 0; g < 4; g++) out.push(...interp.heap.generations[g]);
  return out;
}

let parser: PythonParser;
before(async () => {
  parser = (await loadPythonParser(parserPreferenceFromEnv() ?? 'native')).parser;
});

describe('simulator heap invariants', () => {
  for (const version of ['3.6', '3.10', '3.12', '3.13', '3.14'] as TargetVersion[]) {
    it(`every owned reference of every tracked object is one of its referents (${version})`, () => {
      let checked = 0;
      const kinds = new Set<string>();
      const result = simulate(ZOO, parser, { targetVersion: version, fileName: 'zoo.py' }, {
        beforeShutdown: (interp) => {
          for (const obj of liveObjects(interp)) {
            const declared = new Set(referents(obj));
            const missing = [...ownedFields(obj)].filter((f) => !declared.has(f) && !(f.immortal && f.kind !== 'class'));
            assert.deepEqual(missing.map((m) => interp.heap.label(m)), [], `${interp.heap.label(obj)} (${obj.kind}) holds references its referents() leaves out`);
            checked++;
            kinds.add(obj.kind);
          }
        },
      });
      assert.equal(result.end.kind, 'completed', JSON.stringify(result.end));
      assert.ok(checked > 40, `only ${checked} tracked objects were checked`);
      for (const kind of ['instance', 'dict', 'list', 'tuple', 'set', 'frozenset', 'function', 'cell', 'class', 'method', 'generator', 'weakref', 'weakvaluedict', 'weakkeydict', 'weakset', 'finalize', 'partial', 'lru_cache', 'iterator', 'traceback', 'module']) {
        assert.ok(kinds.has(kind), `no tracked ${kind} object in the zoo`);
      }
    });
  }

  it('refcounts in the event trace never go negative and objects are freed only at zero', () => {
    const program = `${ZOO}\ndel inst, slotted, closure, bound, generator, ref, proxy, wmethod, wvd, wkd, wset, part, cached, iterator, saved\ngc.collect()\n`;
    for (const version of TARGET_VERSIONS.filter((v) => v !== '2.7')) {
      const result = simulate(program, parser, { targetVersion: version, fileName: 'zoo.py', trace: true });
      assert.equal(result.end.kind, 'completed', `${version}: ${JSON.stringify(result.end)}`);
      const lastCount = new Map<string, number>();
      let frees = 0;
      for (const event of result.events as SimulationEvent[]) {
        if (event.kind === 'incref' || event.kind === 'decref') {
          assert.ok(event.refcount >= 0, `${version}: negative refcount for ${event.object}`);
          lastCount.set(event.object, event.refcount);
        } else if (event.kind === 'free') {
          frees++;
          const count = lastCount.get(event.object);
          if (count !== undefined) assert.equal(count, 0, `${version}: ${event.object} freed with refcount ${count}`);
        }
      }
      assert.ok(frees > 50, `${version}: only ${frees} frees traced`);
      assert.ok(result.summary.cyclicGarbage.length > 0, `${version}: the cycles should be cyclic garbage`);
    }
  });

  it('a collection looks at the clock while it walks a large heap: out of time, it stops the run and leaves every object in a generation', () => {
    // 6,000 lists and a cycle: a full collection visits several clock checks' worth of objects (4,096 each).
    const source = 'import gc\nclass N:\n    pass\nkeep = [[i] for i in range(6000)]\na = N()\na.p = N()\na.p.p = a\n';
    let stop: unknown;
    let tracked = -1;
    let trackedAfter = -1;
    const result = simulate(source, parser, { targetVersion: '3.12', fileName: 'large.py' }, {
      beforeShutdown: (interp) => {
        const generations = interp.heap.generations;
        tracked = generations.reduce((sum, generation) => sum + generation.size, 0);
        const deadline = interp.rt.deadline;
        interp.rt.deadline = Date.now() - 1; // the time budget ran out just before this collection
        try {
          collectGarbage(interp, 2, 'manual');
        } catch (error) {
          stop = error;
        }
        interp.rt.deadline = deadline;
        trackedAfter = generations.slice(0, 3).reduce((sum, generation) => sum + generation.size, 0);
        assert.deepEqual([generations[4].size, generations[5].size], [0, 0], 'no object is left in a collection\'s own lists');
      },
    });
    assert.ok(stop instanceof RunStopped, `the collection ran to its end: ${String(stop)}`);
    assert.deepEqual(stop.reason, { kind: 'budget', budget: 'maxMillis' });
    assert.ok(tracked > 6000, `only ${tracked} tracked objects`);
    assert.equal(trackedAfter, tracked, 'every tracked object is back in a generation');
    // With time left again, the exit sequence collects the same heap to its end and frees the cycle.
    assert.equal(result.end.kind, 'completed', JSON.stringify(result.end));
    assert.equal(result.summary.leakedAtExit.length, 0, result.summary.leakedAtExit.join());
  });

  it('keeps every object of a cycle alive until a collection, then frees all of them', () => {
    const source = 'import gc\nclass N:\n    pass\na = N()\nb = N()\na.p = b\nb.p = a\ndel a, b\nprint(len(gc.get_objects()) > 0, gc.collect())\n';
    const result = simulate(source, parser, { targetVersion: '3.12', fileName: 'cycle.py', trace: true });
    assert.deepEqual(result.output, [{ stream: 'stdout', text: 'True 2\n' }]);
    assert.equal(result.summary.cyclicGarbage.length, 2);
    assert.ok(result.summary.cyclicGarbage.every((label) => /^N#\d+$/.test(label)), result.summary.cyclicGarbage.join());
    assert.equal(result.summary.collections, 3, 'gc.collect() and the two collections of the exit sequence');
    const snapshot = result.snapshots.find((s) => s.line === 7)!;
    const nodes = snapshot.objects.filter((o) => o.typeName === 'N');
    assert.equal(nodes.length, 2);
    for (const node of nodes) {
      assert.equal(node.refcount, 2);
      assert.equal(node.cycle?.length, 1, 'each node is in a cycle with the other');
      assert.ok(node.holders.some((h) => h.label.startsWith("attribute 'p' of N#")), JSON.stringify(node.holders));
    }
  });
});
