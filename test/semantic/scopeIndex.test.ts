// The scope index and the cursor ancestry against climbing `parent` (the slow, obvious answer) on every node of the rule fixtures.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ScopeIndex } from '../../server/src/semantic/scopeIndex';
import { ReferenceTest, isVariableReference } from '../../server/src/semantic/nameFlow';
import { ancestorsWithin } from '../../server/src/syntax/ancestry';
import type { PythonParser, SyntaxNode } from '../../server/src/syntax/syntaxTypes';
import { loadBothParsers } from '../robustness/fuzzCampaign';

const DEFINITIONS = new Set(['function_definition', 'class_definition', 'lambda']);
const SCOPES = new Set([...DEFINITIONS, 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** The reference answers, by climbing `parent` from the node (what the index replaced). */
const climbing = {
  enclosingScopes(node: SyntaxNode): SyntaxNode[] {
    const scopes: SyntaxNode[] = [];
    let insideFunction = false;
    let child = node;
    for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
      if (!DEFINITIONS.has(parent.type) || parent.childForFieldName('body')?.id !== child.id) continue;
      if (parent.type !== 'class_definition') {
        scopes.push(parent);
        insideFunction = true;
      } else if (!insideFunction) scopes.push(parent);
    }
    return scopes;
  },
  enclosingFunction(node: SyntaxNode): SyntaxNode | null {
    let child = node;
    for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
      if (parent.type === 'lambda' || parent.type === 'class_definition') return null;
      if (parent.type === 'function_definition') return parent.childForFieldName('body')?.id === child.id ? parent : null;
    }
    return null;
  },
  innermostDefinition(node: SyntaxNode): SyntaxNode | null {
    for (let parent = node.parent; parent; parent = parent.parent) if (DEFINITIONS.has(parent.type)) return parent;
    return null;
  },
  innermostFunction(node: SyntaxNode): SyntaxNode | null {
    for (let parent = node.parent; parent; parent = parent.parent) if (parent.type === 'function_definition' || parent.type === 'lambda') return parent;
    return null;
  },
  inNestedScope(node: SyntaxNode, scope: SyntaxNode): boolean {
    for (let parent = node.parent; parent && parent.id !== scope.id; parent = parent.parent) if (SCOPES.has(parent.type)) return true;
    return false;
  },
  ancestors(node: SyntaxNode): SyntaxNode[] {
    const chain: SyntaxNode[] = [];
    for (let parent = node.parent; parent; parent = parent.parent) chain.push(parent);
    return chain.reverse();
  },
};

const ids = (nodes: Iterable<SyntaxNode | null>): (number | null)[] => [...nodes].map((node) => node?.id ?? null);

/** Every node of a tree (anonymous ones too), by an explicit-stack walk. */
function allNodes(root: SyntaxNode): SyntaxNode[] {
  const nodes: SyntaxNode[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const node = pending.pop() as SyntaxNode;
    nodes.push(node);
    pending.push(...node.children);
  }
  return nodes;
}

const TRICKY = [
  'f = lambda: lambda: x\n',
  'lambda: x\n',
  'def f(a=lambda b=c: b, *, d=[y for y in z]) -> g(h):\n    return (lambda: q)\n',
  '@dec(lambda: 1)\nclass C(Base, metaclass=M):\n    x = [i for i in range(3)]\n    def m(self, k=x):\n        class D:\n            def n(self): return k\n',
  'def f():\n    return\n',
  'def broken(:\n    x = (\n',
  'class C:\n    def f(self): pass\n  def g(self): pass\n',
  'x = {k: lambda: k for k in y}\n',
  'async def f():\n    async with a as b:\n        await (lambda: b)()\n',
];

describe('ScopeIndex and ancestorsWithin agree with climbing parent on every node', () => {
  let parsers: Readonly<Record<'native' | 'wasm', PythonParser>>;
  const fixtures = path.join(__dirname, '..', 'fixtures', 'rules');
  const sources = [
    ...fs.readdirSync(fixtures, { withFileTypes: true }).filter((entry) => entry.isDirectory()).flatMap((entry) =>
      fs.readdirSync(path.join(fixtures, entry.name)).filter((name) => name.endsWith('.py')).map((name) => ({ name: `${entry.name}/${name}`, text: fs.readFileSync(path.join(fixtures, entry.name, name), 'utf8') }))),
    ...TRICKY.map((text, i) => ({ name: `tricky ${i + 1}`, text })),
  ];
  before(async () => {
    parsers = await loadBothParsers();
  });

  it(`${sources.length} sources, both backends`, () => {
    let compared = 0;
    for (const backend of ['native', 'wasm'] as const) {
      for (const source of sources) {
        const tree = parsers[backend].parse(source.text);
        try {
          const root = tree.rootNode;
          const scopes = new ScopeIndex(root);
          for (const node of allNodes(root)) {
            const where = `${backend} ${source.name} ${node.type} at ${node.startIndex}-${node.endIndex}`;
            assert.deepEqual(ids(scopes.enclosingScopes(node)), ids(climbing.enclosingScopes(node)), `enclosingScopes: ${where}`);
            assert.equal(scopes.owningScope(node)?.id ?? null, climbing.enclosingScopes(node)[0]?.id ?? null, `owningScope: ${where}`);
            assert.equal(scopes.enclosingFunction(node)?.id ?? null, climbing.enclosingFunction(node)?.id ?? null, `enclosingFunction: ${where}`);
            assert.equal(scopes.innermostDefinition(node)?.id ?? null, climbing.innermostDefinition(node)?.id ?? null, `innermostDefinition: ${where}`);
            assert.equal(scopes.innermostFunction(node)?.id ?? null, climbing.innermostFunction(node)?.id ?? null, `innermostFunction: ${where}`);
            const owner = climbing.enclosingFunction(node) ?? root;
            assert.equal(scopes.inNestedScope(node, owner), climbing.inNestedScope(node, owner), `inNestedScope: ${where}`);
            const walked = ancestorsWithin(root, node);
            // Zero-width nodes (MISSING tokens) are left to the caller's climb.
            if (node.startIndex !== node.endIndex) assert.deepEqual(ids(walked ?? []), ids(climbing.ancestors(node)), `ancestorsWithin: ${where}`);
            compared++;
          }
        } finally {
          tree.dispose();
        }
      }
    }
    assert.ok(compared > 40_000, `compared ${compared} nodes`);
  });

  it('ReferenceTest tells attribute and keyword names from references as the parent does, past its parent budget too', () => {
    const text = 'f(a=b, c =\n d, e.g, (h.\n i), j . k, *l, m.n.o.p.q.r.s.t.u.v.w.x, y=y)\nz = w  # .v\n';
    for (const backend of ['native', 'wasm'] as const) {
      const tree = parsers[backend].parse(text);
      try {
        const test = new ReferenceTest(tree.rootNode);
        const identifiers = tree.rootNode.descendantsOfType('identifier');
        assert.deepEqual(identifiers.map((identifier) => test.isReference(identifier)), identifiers.map(isVariableReference), backend);
        assert.ok(identifiers.filter((identifier) => !isVariableReference(identifier)).length > 8, 'more name parts than parents asked one by one');
      } finally {
        tree.dispose();
      }
    }
  });
});
