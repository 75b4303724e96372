// The small helpers the lifecycle rules share: method context (class, static-ness, Enum), name flow, text pre-filters.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { buildSemanticModel } from '../../server/src/semantic/buildSemanticModel';
import { enclosingClassOfMethod, isEnumClass, isStaticOrClassMethod, methodNamed } from '../../server/src/semantic/classModel';
import { bindingSites, globalAndNonlocalNames, referencesTo, reboundBetween } from '../../server/src/semantic/nameFlow';
import { ScopeIndex } from '../../server/src/semantic/scopeIndex';
import { callStarts, callsStartingIn, calleeNames } from '../../server/src/rules/textGate';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser, SyntaxNode } from '../../server/src/syntax/syntaxTypes';

let parser: PythonParser;
before(async () => {
  parser = (await loadPythonParser('native')).parser;
});

function withRoot(source: string, body: (root: SyntaxNode) => void): void {
  const tree = parser.parse(source);
  try {
    body(tree.rootNode);
  } finally {
    tree.dispose();
  }
}

const definitionNamed = (root: SyntaxNode, name: string): SyntaxNode => {
  const found = root.descendantsOfType(['function_definition', 'class_definition']).find((node) => node.childForFieldName('name')?.text === name);
  assert.ok(found, `a definition named ${name}`);
  return found;
};

test('method context: the class of a method, static and class methods through aliases, Enum bases', () => withRoot([
  'import enum',
  'from enum import IntEnum as IE',
  'sm = 1',
  'class Plain:',
  '    def method(self): pass',
  '    @staticmethod',
  '    def static(): pass',
  '    @classmethod',
  '    def klass(cls): pass',
  '    def __new__(cls): pass',
  '    def method(self, again): pass',
  'class Color(enum.Enum): pass',
  'class Level(IE): pass',
  'class Derived(Color): pass',
  'def free(): pass',
  '',
].join('\n'), (root) => {
  const model = buildSemanticModel(root, root.descendantsOfType(['import_statement', 'import_from_statement']));
  const plain = definitionNamed(root, 'Plain');
  assert.equal(enclosingClassOfMethod(definitionNamed(root, 'static'))?.id, plain.id);
  assert.equal(enclosingClassOfMethod(definitionNamed(root, 'free')), null);
  assert.equal(isStaticOrClassMethod(definitionNamed(root, 'static'), model), true);
  assert.equal(isStaticOrClassMethod(definitionNamed(root, 'klass'), model), true);
  assert.equal(isStaticOrClassMethod(definitionNamed(root, '__new__'), model), true);
  assert.equal(isStaticOrClassMethod(definitionNamed(root, 'method'), model), false);
  assert.equal(methodNamed(plain, 'method')?.childForFieldName('parameters')?.namedChildCount, 2, 'the last definition wins');
  assert.equal(isEnumClass(definitionNamed(root, 'Color'), model), true);
  assert.equal(isEnumClass(definitionNamed(root, 'Level'), model), true);
  assert.equal(isEnumClass(definitionNamed(root, 'Derived'), model), true, 'through a base defined in the module');
  assert.equal(isEnumClass(plain, model), false);
}));

test('name flow: binding sites skip nested scopes, rebinding between offsets, references, global and nonlocal', () => withRoot([
  'def f(a):',
  '    global G',
  '    x = 1',
  '    for y in a: pass',
  '    with open(a) as (z, w): pass',
  '    del x',
  '    def inner():',
  '        q = 2',
  '        nonlocal_name = x.x',
  '    return [v for v in a]',
  '',
].join('\n'), (root) => {
  const f = definitionNamed(root, 'f');
  const scopes = new ScopeIndex(root);
  const sites = bindingSites(f, scopes);
  assert.deepEqual(sites.map((site) => site.name).sort(), ['inner', 'w', 'x', 'x', 'y', 'z']);
  const [first, second] = sites.filter((site) => site.name === 'x');
  assert.equal(reboundBetween(sites, new Set(['x']), first.node.startIndex, second.node.startIndex + 1), true);
  assert.equal(reboundBetween(sites, new Set(['y']), 0, first.node.startIndex), false);
  assert.deepEqual([...globalAndNonlocalNames(f, scopes)], ['G']);
  // `x.x`: the object is a reference, the attribute name is not.
  assert.equal(referencesTo(definitionNamed(root, 'inner'), 'x').length, 1);
}));

test('text gates: callee names with their import aliases, call starts of dotted callees, and the calls at them', () => withRoot([
  'from inspect import currentframe as here',
  'import sys',
  'def f():',
  '    a = sys . _getframe(1)',
  '    b = here()',
  '    c = (x)._getframe()',
  '    d = g(1)(2)',
  '',
].join('\n'), (root) => {
  const text = root.text;
  assert.deepEqual([...(calleeNames(['currentframe', '_getframe'])(text) ?? [])].sort(), ['_getframe', 'currentframe', 'here']);
  assert.equal(calleeNames(['finalize'])(text), undefined);
  const starts = callStarts(['_getframe', 'currentframe'])(text);
  assert.ok(starts);
  assert.ok(starts.has(text.indexOf('sys . _getframe')), 'a dotted callee starts at its first name');
  assert.ok(starts.has(text.indexOf('here()')));
  const calls = callsStartingIn(definitionNamed(root, 'f'), starts).map((call) => call.text);
  assert.deepEqual(calls, ['sys . _getframe(1)', 'here()'], '`(x)._getframe()` does not start with a plain name');
  const nested = callsStartingIn(definitionNamed(root, 'f'), new Set([text.indexOf('g(1)(2)')])).map((call) => call.text);
  assert.deepEqual(nested, ['g(1)', 'g(1)(2)'], 'every call starting there, innermost first');
}));
