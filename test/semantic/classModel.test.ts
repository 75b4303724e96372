// The class model, object paths, the cycle candidates pre-check and GCL201's version-aware lifetime, on real trees (both backends).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import { findRule } from '../../server/src/rules/registry';
import type { Rule } from '../../server/src/rules/ruleTypes';
import { buildSemanticModel } from '../../server/src/semantic/buildSemanticModel';
import { CLASS_MODEL, type ClassModel } from '../../server/src/semantic/classModel';
import { mayBuildCycles } from '../../server/src/semantic/cycleCandidates';
import { CYCLE_FACTS, type CycleRecord } from '../../server/src/semantic/cycleFacts';
import { OBJECT_PATHS } from '../../server/src/semantic/selfAliases';
import type { SemanticModel } from '../../server/src/semantic/semanticModel';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser, SyntaxNode } from '../../server/src/syntax/syntaxTypes';

const parsers: PythonParser[] = [];
before(async () => {
  parsers.push((await loadPythonParser('native')).parser, (await loadPythonParser('wasm')).parser);
});

/** Runs `inspect` on the model of `text` for each backend; the tree lives for the call only. */
function withModel(text: string, inspect: (model: SemanticModel, root: SyntaxNode) => void): void {
  for (const parser of parsers) {
    const tree = parser.parse(text);
    try {
      const root = tree.rootNode;
      inspect(buildSemanticModel(root, root.descendantsOfType(['import_statement', 'import_from_statement', 'future_import_statement'])), root);
    } finally {
      tree.dispose();
    }
  }
}

function classNamed(model: ClassModel, name: string) {
  const found = model.classes.find((owner) => owner.name === name);
  assert.ok(found, `class ${name} is in the model`);
  return found;
}

const SOURCE = `
import enum
import functools as ft
from functools import cached_property as cp

class Base:
    __slots__ = ('a', 'b')

    def __del__(self):
        pass

class Node(Base):
    __slots__ = ['parent', '__weakref__']
    kind = 'node'

    def __init__(this, parent):
        this.parent = parent
        this.children = []
        this.cache: dict = {}

    @staticmethod
    def make():
        pass

    @classmethod
    def build(cls):
        pass

    @property
    def size(self):
        return 1

    @size.setter
    def size(self, value):
        pass

    @cp
    def heavy(self):
        return 2

    @ft.cached_property
    def other(self):
        return 3

    def close(self):
        this_is_not_self = 1
        self.parent = None
        del self.cache
        self.children.clear()

    def work(self):
        try:
            pass
        finally:
            self.temp = None

    def __del__(self):
        self.extra = None

class Color(enum.Enum):
    RED = 1

class Shade(Color):
    pass

class Unseen(dict):
    pass
`;

describe('class model', () => {
  test('methods and their kinds, resolved through imports', () => {
    withModel(SOURCE, (model) => {
      const node = classNamed(model.fact(CLASS_MODEL), 'Node');
      const kinds = Object.fromEntries([...node.methods].map(([name, method]) => [name, method.kind]));
      assert.deepEqual(kinds, {
        __init__: 'instance', make: 'static', build: 'class', size: 'property', heavy: 'property', other: 'property',
        close: 'instance', work: 'instance', __del__: 'instance',
      });
      assert.equal(node.methods.get('__init__')?.selfName, 'this');
      assert.equal(node.methods.get('make')?.selfName, undefined);
    });
  });

  test('self stores in any method, class attributes, __slots__, __del__ and the in-file base', () => {
    withModel(SOURCE, (model) => {
      const classes = model.fact(CLASS_MODEL);
      const node = classNamed(classes, 'Node');
      assert.deepEqual(node.selfStores.map((store) => `${store.method.name}:${store.name}=${store.value.text}`), [
        '__init__:parent=parent', '__init__:children=[]', '__init__:cache={}', 'close:parent=None', 'work:temp=None', '__del__:extra=None',
      ]);
      assert.deepEqual([...node.classAttributes.keys()], ['__slots__', 'kind']);
      assert.deepEqual([...(node.slots?.names?.keys() ?? [])], ['parent', '__weakref__']);
      assert.equal(node.slots?.hasWeakref, true);
      const base = classNamed(classes, 'Base');
      assert.equal(base.slots?.hasWeakref, false);
      assert.equal(node.base, base);
      assert.equal(node.finalizer?.name, '__del__');
      assert.equal(classes.findMethod(node, '__del__')?.owner, node);
      assert.deepEqual(classes.lineage(node).map((owner) => owner.name), ['Node', 'Base']);
      assert.equal(node.hasUnseenBases, false);
      assert.equal(classNamed(classes, 'Unseen').hasUnseenBases, true);
    });
  });

  test('attributes cleared in close(), __exit__ or finally count; clearing in __del__ does not', () => {
    withModel(SOURCE, (model) => {
      const node = classNamed(model.fact(CLASS_MODEL), 'Node');
      assert.deepEqual([...node.cleared].sort(), ['cache', 'children', 'parent', 'temp']);
    });
  });

  test('Enum classes and their in-file subclasses', () => {
    withModel(SOURCE, (model) => {
      const classes = model.fact(CLASS_MODEL);
      assert.equal(classNamed(classes, 'Color').isEnum, true);
      assert.equal(classNamed(classes, 'Shade').isEnum, true);
      assert.equal(classNamed(classes, 'Node').isEnum, false);
    });
  });

  test('a broken class statement degrades instead of throwing', () => {
    withModel('class A(:\n    def f(self\n        self.x = self\nclass B(A):\n    def g(self): self.y = self.g\n', (model) => {
      const classes = model.fact(CLASS_MODEL);
      assert.ok(classes.classes.length >= 1);
      assert.doesNotThrow(() => model.fact(CYCLE_FACTS));
    });
  });
});

describe('object paths', () => {
  const text = `
class W:
    def m(self, node):
        me = self
        p = self.parent
        n = node.left
        twice = node
        twice = other
        self = 3
        return me, p, n, twice

def f(node):
    x = node.a
    x = node.b
    return x
`;
  test('aliases bound once resolve to what they name; rebound names and a rebound self do not', () => {
    withModel(text, (model, root) => {
      const paths = model.fact(OBJECT_PATHS);
      const returned = root.descendantsOfType('return_statement')[0].namedChild(0)?.namedChildren ?? [];
      const scope = root.descendantsOfType('function_definition')[0];
      const resolved = returned.map((expression) => paths.pathOf(expression, scope)?.replace(/#\d+/g, '#'));
      // `self = 3` in the method: `self` is a plain local there, so `me` is not the instance.
      assert.deepEqual(resolved, ['self#', 'self#.parent', 'node#.left', 'twice#']);
      const second = root.descendantsOfType('return_statement')[1].namedChild(0);
      assert.equal(paths.pathOf(second as SyntaxNode, root.descendantsOfType('function_definition')[1])?.replace(/#\d+/g, '#'), 'x#');
    });
  });

  test('the instance of a method that keeps its self', () => {
    withModel('class W:\n    def m(self):\n        me = self\n        return me.x\n', (model, root) => {
      const paths = model.fact(OBJECT_PATHS);
      const value = root.descendantsOfType('return_statement')[0].namedChild(0) as SyntaxNode;
      const path = paths.pathOf(value, root.descendantsOfType('function_definition')[0]);
      assert.match(path ?? '', /^@self#\d+\.x$/);
      assert.equal(paths.selfClassOf(path ?? '')?.name, 'W');
    });
  });
});

describe('cycle facts', () => {
  const kinds = (text: string): string[] => {
    let found: string[] = [];
    withModel(text, (model) => {
      const cycles: readonly CycleRecord[] = model.fact(CYCLE_FACTS).cycles;
      found = cycles.map((cycle) => `${cycle.kind}@${cycle.edge.statement.startPosition.row}:${cycle.participant?.name ?? '-'}`);
    });
    return found;
  };

  test('one record per cycle, with the class on it', () => {
    assert.deepEqual(kinds([
      'class A:',
      '    def __init__(self, parent):',
      '        self.parent = parent',
      '        parent.child = self',
      '        self.me = self',
      '        self.cb = self.run',
      '        self.f = lambda: self',
      '    def run(self):',
      '        pass',
    ].join('\n')), ['parent-back-reference@2:A', 'self-reference@4:A', 'bound-method-on-self@5:A', 'self-capturing-closure@6:A']);
  });

  test('the text pre-check never drops what the model finds in the fixtures shapes, and skips plain code', () => {
    assert.equal(mayBuildCycles('class A:\n    def __init__(self, x):\n        self.x = x\n        self.items = [1, 2]\n'), false);
    assert.equal(mayBuildCycles('def f(node):\n    node.left.parent = node\n'), true);
    assert.equal(mayBuildCycles('class A:\n    def f(self):\n        p = self.parent\n        p.kids.append(self)\n'), true);
    assert.equal(mayBuildCycles('class A:\n    def f(self):\n        self.cb = lambda: 1\n'), true);
    assert.equal(mayBuildCycles('class A:\n    def f(self):\n        def g():\n            pass\n        self.g = g\n'), true);
  });
});

describe('GCL201 lifetime follows the target version', () => {
  const text = 'class A:\n    def __init__(self):\n        self.me = self\n\n    def __del__(self):\n        pass\n';
  const run = (minor: number) => {
    const tree = parsers[0].parse(text);
    try {
      return analyze({ text, tree, settings: { ...DEFAULT_SETTINGS, targetVersion: { major: 3, minor } }, rules: [findRule('GCL201') as Rule] });
    } finally {
      tree.dispose();
    }
  };

  test('before 3.4 the cycle is uncollectable: a leak into gc.garbage', () => {
    const [finding] = run(3);
    assert.equal(finding.lifetime, 'leak');
    assert.match(finding.message, /before Python 3\.4 \(target 3\.3\).*gc\.garbage/);
    assert.equal(finding.related.length, 1);
  });

  test('from 3.4 on it is collected by the cyclic GC, at an unpredictable time', () => {
    const [finding] = run(4);
    assert.equal(finding.lifetime, 'cycle');
    assert.match(finding.message, /freed only by the cyclic GC/);
  });
});
