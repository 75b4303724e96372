// The container facts on real trees (both parser backends): definitions, shapes, and how each use is classified.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { buildSemanticModel } from '../../server/src/semantic/buildSemanticModel';
import { CONTAINER_FACTS, type ContainerFact } from '../../server/src/semantic/containerFacts';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';

const parsers: PythonParser[] = [];
before(async () => {
  parsers.push((await loadPythonParser('native')).parser, (await loadPythonParser('wasm')).parser);
});

/** One line per container (`owner display shape`) and one per use (`  kind detail @line fn owned [values] [keys]`). */
function describeFacts(source: string): string[] {
  const results = parsers.map((parser) => {
    const tree = parser.parse(source);
    try {
      const root = tree.rootNode;
      const model = buildSemanticModel(root, root.descendantsOfType(['import_statement', 'import_from_statement']));
      return model.fact(CONTAINER_FACTS).containers.flatMap((fact: ContainerFact) => [
        `${fact.owner.kind} ${fact.display} ${fact.shape.family}${fact.shape.weak ? ' weak' : ''}${fact.shape.bounded ? ' bounded' : ''}`,
        ...fact.uses.map((use) => [
          `  ${use.kind} ${use.detail} @${use.node.startPosition.row + 1}`,
          use.function ? `in ${use.function.childForFieldName('name')?.text ?? 'lambda'}` : 'at-import',
          use.owned ? 'owned' : 'unowned',
          use.alias ? `alias=${use.alias}` : '',
          use.values.length ? `values=${use.values.map((v) => v.text).join(',')}` : '',
          use.keys.length ? `keys=${use.keys.map((k) => k.text).join(',')}` : '',
          use.elements ? `elements=${use.elements}` : '',
        ].filter(Boolean).join(' ')),
      ]);
    } finally {
      tree.dispose();
    }
  });
  assert.deepEqual(results[1], results[0], 'native and wasm give the same facts');
  return results[0];
}

describe('container facts', () => {
  test('definitions: module, class and instance containers, shapes resolved through imports', () => {
    const lines = describeFacts([
      'import collections as c',
      'from weakref import WeakSet',
      'import weakref',
      'A = []',
      'B = c.defaultdict(list)',
      'C = WeakSet()',
      'D = c.deque(maxlen=10)',
      'E = c.deque(maxlen=None)',
      'F: dict[str, int] = {}',
      'G = weakref.WeakValueDictionary()',
      'H = frozenset()',
      'if True:',
      '    I = set()',
      'def f():',
      '    J = []',
      'class K:',
      '    items = {}',
      '    __slots__ = []',
      '    def __init__(self):',
      '        self.seen = set()',
      '        other.x = []',
      '        def inner():',
      '            self.nested = []',
    ].join('\n'));
    assert.deepEqual(lines, [
      'module A list', 'module B dict', 'module C set weak', 'module D deque bounded', 'module E deque', 'module F dict',
      'module G dict weak', 'module I set', 'class K.items dict', 'instance K.seen set',
    ]);
  });

  test('additions, removals, rebinds, reads and escapes of a module container', () => {
    const lines = describeFacts([
      'REG = {}',
      'def add(k, v):',
      '    REG[k] = v',
      '    REG.setdefault(k, v)',
      '    REG.update({k: v}, x=v)',
      'def drop(k):',
      '    del REG[k]',
      '    REG.pop(k)',
      'def reset():',
      '    global REG',
      '    REG = {}',
      'def show():',
      '    for k, cb in REG.items():',
      '        cb()',
      '    return len(REG), k in REG',
      'def leak():',
      '    return REG',
      'def hand(f):',
      '    f(REG)',
      'def shadow():',
      '    REG = []',
      '    REG.append(1)',
      'REG["x"] = 1',
    ].join('\n'));
    assert.deepEqual(lines, [
      'module REG dict',
      '  add []= @3 in add owned values=v keys=k',
      '  add setdefault @4 in add owned values=v keys=k',
      '  add update @5 in add owned values=v,v keys=k',
      '  remove del @7 in drop owned',
      '  remove pop @8 in drop owned',
      '  rebind = @11 in reset owned',
      '  read iterate @13 in show owned elements=called',
      '  read len @15 in show owned',
      '  read test @15 in show owned',
      '  escape return @17 in leak owned',
      '  escape call @19 in hand owned',
      '  add []= @23 at-import owned values=1 keys="x"',
    ]);
  });

  test('list and set operators, slices, aliases and defaultdict keys', () => {
    const lines = describeFacts([
      'import collections',
      'L = []',
      'S = set()',
      'G = collections.defaultdict(list)',
      'def f(x):',
      '    global S',
      '    S |= {x}',
      '    S -= {x}',
      '    L.extend([x, 2])',
      '    L.insert(0, x)',
      '    L[:] = []',
      '    del L[1:]',
      '    alias = L',
      '    alias.append(x)',
      '    alias.clear()',
      '    G[x].append(1)',
      '    G[x]',
      '    cb = L.append',
    ].join('\n'));
    assert.deepEqual(lines, [
      'module L list',
      '  add extend @9 in f owned values=x,2',
      '  add insert @10 in f owned values=x',
      '  remove [:]= @11 in f owned',
      '  remove del @12 in f owned',
      '  add append @14 in f owned alias=alias values=x',
      '  remove clear @15 in f owned alias=alias',
      '  escape .append @18 in f owned',
      'module S set',
      '  add |= @7 in f owned values=x',
      '  remove -= @8 in f owned',
      'module G dict',
      '  add [] @16 in f owned values=1 keys=x',
      '  read index @17 in f owned',
    ]);
  });

  test('class and instance containers: owned through self, cls, the class, type(self); other receivers unowned', () => {
    const lines = describeFacts([
      'class Bus:',
      '    registry = []',
      '    def __init__(self):',
      '        self._listeners = []',
      '    def subscribe(self, cb):',
      '        self._listeners.append(cb)',
      '        type(self).registry.append(cb)',
      '        self.__class__.registry.append(cb)',
      '    @classmethod',
      '    def make(cls, x):',
      '        cls.registry.append(x)',
      '    @staticmethod',
      '    def static(self):',
      '        self.registry.append(1)',
      '    def fire(self):',
      '        for listener in self._listeners:',
      '            listener.notify()',
      'class Sub(Bus):',
      '    def more(self, x):',
      '        Sub.registry.append(x)',
      'def outside(bus, cb):',
      '    bus._listeners.remove(cb)',
      '    Bus.registry.append(cb)',
    ].join('\n'));
    assert.deepEqual(lines, [
      'class Bus.registry list',
      '  add append @7 in subscribe owned values=cb',
      '  add append @8 in subscribe owned values=cb',
      '  add append @11 in make owned values=x',
      '  add append @14 in static unowned values=1',
      '  add append @20 in more owned values=x',
      '  add append @23 in outside owned values=cb',
      'instance Bus._listeners list',
      '  add append @6 in subscribe owned values=cb',
      '  read iterate @16 in fire owned elements=method',
      '  remove remove @22 in outside unowned',
    ]);
  });

  test('uses through the self of an unrelated class belong to that class, not to a container of the same name', () => {
    const lines = describeFacts([
      'class A:',
      '    def __init__(self):',
      '        self._hooks = []',
      '    def add(self, h):',
      '        self._hooks.append(h)',
      'class B:',
      '    def __init__(self):',
      '        self._hooks = {}',
      '    def reset(self):',
      '        self._hooks.clear()',
      'class C(A):',
      '    def drop(self):',
      '        self._hooks.pop()',
    ].join('\n'));
    assert.deepEqual(lines, [
      'instance A._hooks list', '  add append @5 in add owned values=h', '  remove pop @13 in drop owned',
      'instance B._hooks dict', '  remove clear @10 in reset owned',
    ]);
  });

  test('growable: exactly the containers whose names the text adds to or aliases, that their owner adds to and that have no way out, with the same uses', () => {
    const source = [
      'import collections',
      'TABLE = {"a": 1}',
      'SEEN = set()',
      'GROUPS = collections.defaultdict(list)',
      'ALIASED = []',
      'EMPTIED = []',
      'def f(x):',
      '    SEEN.add(x)',
      '    GROUPS[x].append(x)',
      '    local = ALIASED',
      '    local.append(x)',
      '    EMPTIED.append(x)',
      '    EMPTIED.clear()',
      '    EMPTIED.append(x)',
      '    return TABLE["a"]',
      'def g():',
      '    result = []',
      '    result.append(1)',
      '    return result',
      'class K:',
      '    items = []',
      'def h(other, x):',
      '    other.items.append(x)',
      'CONTINUED = []',
      'def k(x):',
      '    # CONTINUED.append(x), through an alias on a continued line:',
      '    reg = \\',
      '        CONTINUED',
      '    reg.append(x)',
    ].join('\n');
    for (const parser of parsers) {
      const tree = parser.parse(source);
      try {
        const root = tree.rootNode;
        const facts = buildSemanticModel(root, root.descendantsOfType(['import_statement', 'import_from_statement'])).fact(CONTAINER_FACTS);
        const summary = (list: readonly ContainerFact[]): string[] => list.map((fact) => `${fact.display}: ${fact.uses.map((use) => `${use.kind} ${use.detail}`).join(', ')}`);
        assert.deepEqual(summary(facts.containers), [
          'TABLE: read index', 'SEEN: add add', 'GROUPS: add []', 'ALIASED: add append', 'EMPTIED: add append, remove clear, add append',
          'K.items: add append', 'CONTINUED: add append',
        ]);
        // TABLE is never added to; EMPTIED has a way out (its last reference is never classified for `growable`); K.items
        // is added to only through another object, never through K.
        assert.deepEqual(summary(facts.growable), [...summary(facts.containers).slice(1, 4), 'CONTINUED: add append']);
      } finally {
        tree.dispose();
      }
    }
  });

  test('broken code degrades: error nodes and incomplete statements give facts, not exceptions', () => {
    assert.deepEqual(describeFacts(['X = [', 'Y = {}', 'def f(:', '    Y[1] = ', 'Y.add(', 'class (:'].join('\n')), ['module X dict']);
    // The def header is broken, its body still parses: the addition counts; an unclosed call is no call.
    assert.deepEqual(describeFacts(['Y = {}', 'def f(:', '    Y[1] = 2', 'Y.pop('].join('\n')), [
      'module Y dict', '  add []= @3 in f owned values=2 keys=1', '  escape .pop @4 at-import owned',
    ]);
  });
});
