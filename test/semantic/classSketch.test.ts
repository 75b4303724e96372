// The class sketches the container facts read: a method looked up by name is the one the full method table has.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ClassIndex, type MethodSketch } from '../../server/src/semantic/classSketch';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { loadBothParsers } from '../robustness/fuzzCampaign';

const TRICKY = [
  'class A:\n    def f(self): pass\n    def f(this): pass\n',
  'class B:\n    if X:\n        @staticmethod\n        def g(): pass\n    else:\n        def g(self): pass\n    def h(self):\n        def g(inner): pass\n',
  'class C:\n    class D:\n        def k(self): pass\n    def k(cls): pass\n    async def \\\n      a(s): pass\n',
  'class E:\n    match x:\n        case 1:\n            def m(self): pass\n    "def m(self)"\n    # def m(self)\n    def __init__(me, def_=1): pass\n',
  'class F:\n    def broken(:\n        pass\n    def ok(self): pass\n',
  'class G:\n    def helper(self):\n        def remove(x): pass\n    if X:\n        def clear(self): pass\n',
  'class H:\n    class Inner:\n        def remove(self): pass\n    def add(self): pass\n',
];

function describeMethod(method: MethodSketch | undefined): string {
  return method ? `${method.name} @${method.node.startIndex} ${method.kind} ${method.receiver ?? '-'} ${method.decorators.length}` : 'none';
}

describe('class sketches', () => {
  let parsers: Readonly<Record<'native' | 'wasm', PythonParser>>;
  const fixtures = path.join(__dirname, '..', 'fixtures', 'rules');
  const sources = [
    ...fs.readdirSync(fixtures, { withFileTypes: true }).filter((entry) => entry.isDirectory()).flatMap((entry) =>
      fs.readdirSync(path.join(fixtures, entry.name)).filter((name) => name.endsWith('.py')).map((name) => fs.readFileSync(path.join(fixtures, entry.name, name), 'utf8'))),
    ...TRICKY,
  ];
  before(async () => {
    parsers = await loadBothParsers();
  });

  it('method(name) and hasMethod(test) answer what the full method table answers, for every name a def spells, without reading the table', () => {
    let compared = 0;
    for (const backend of ['native', 'wasm'] as const) {
      for (const text of sources) {
        const tree = parsers[backend].parse(text);
        try {
          const root = tree.rootNode;
          const names = [...new Set([...text.matchAll(/def\s+(\w+)/g)].map((match) => match[1])), '', 'missing'];
          for (const definition of root.descendantsOfType('class_definition')) {
            const lazy = new ClassIndex(root, text).of(definition);
            const full = new ClassIndex(root, text).of(definition);
            if (!lazy || !full) continue;
            for (const name of names) {
              assert.equal(describeMethod(lazy.method(name)), describeMethod(full.methods.get(name)), `${backend} class ${lazy.name}, ${name}`);
              assert.equal(lazy.hasMethod((method) => method === name), full.methods.has(name), `${backend} class ${lazy.name}, has ${name}`);
              compared++;
            }
            const wayOut = (method: string): boolean => /^_*(remove|clear|reset|close|unregister)/i.test(method);
            assert.equal(lazy.hasMethod(wayOut), [...full.methods.keys()].some(wayOut), `${backend} class ${lazy.name}, a way-out method`);
          }
        } finally {
          tree.dispose();
        }
      }
    }
    assert.ok(compared > 1000, `compared ${compared} lookups`);
  });
});
