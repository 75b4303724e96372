// The model's qualified names: imports, aliases, shadowing, and the text shortcut that skips a scope's bindings.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, test } from 'node:test';
import { moduleImportAliases, semanticModelFromAliases } from '../../server/src/semantic/buildSemanticModel';
import { ScopeIndex } from '../../server/src/semantic/scopeIndex';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser, SyntaxNode } from '../../server/src/syntax/syntaxTypes';
import { repositoryPythonFiles } from '../support/repoPython';

let parser: PythonParser;
before(async () => {
  parser = (await loadPythonParser('native')).parser;
});

const IMPORT_KINDS = ['import_statement', 'import_from_statement', 'future_import_statement'];

/** Every identifier and attribute of `text` with its qualified name, from a model that has the text (or not). */
function qualifiedNames(text: string, withText: boolean): string[] {
  const tree = parser.parse(text);
  try {
    const root = tree.rootNode;
    const scopes = new ScopeIndex(root, text);
    const imports = root.descendantsOfType(IMPORT_KINDS).filter((node) => node.isNamed);
    const model = semanticModelFromAliases(root, moduleImportAliases(imports, scopes), { text: withText ? text : undefined, scopes });
    return root.descendantsOfType(['identifier', 'attribute']).map((node: SyntaxNode) => `${node.startIndex}:${node.text}=${model.qualifiedName(node) ?? '-'}`);
  } finally {
    tree.dispose();
  }
}

const SHADOWING = [
  'import weakref',
  'def uses():',
  '    return weakref.ref(x)',
  'def shadows():',
  '    weakref = None',
  '    return weakref.ref(x)',
  'def parameter(weakref):',
  '    return weakref.ref(x)',
  'def loop(items):',
  '    for a, weakref in items:',
  '        weakref.ref(a)',
  'class Holder:',
  '    @staticmethod',
  '    def s(): return weakref.proxy(1)',
  'def local_import():',
  '    import weakref as w',
  '    return w.finalize(1, print)',
  '',
].join('\n');

test('a module name is resolved through its import unless a scope around the use binds it', () => {
  const names = new Map(qualifiedNames(SHADOWING, true).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
  const at = (needle: string, nth = 0): string => {
    let index = -1;
    for (let i = 0; i <= nth; i++) index = SHADOWING.indexOf(needle, index + 1);
    return names.get(`${index}:${needle}`) ?? 'not a node';
  };
  assert.equal(at('weakref.ref', 0), 'weakref.ref');
  assert.equal(at('weakref.ref', 1), '-', 'an assignment in the function hides the import');
  assert.equal(at('weakref.ref', 2), '-', 'a parameter hides it');
  assert.equal(at('weakref.ref', 3), '-', 'a for target hides it');
  assert.equal(at('weakref.proxy'), 'weakref.proxy');
  assert.equal(at('staticmethod'), 'builtins.staticmethod');
  assert.equal(at('w.finalize'), 'weakref.finalize');
});


test('with the document text the model answers every name of every fixture as it does without it', () => {
  let compared = 0;
  for (const file of repositoryPythonFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    const fast = qualifiedNames(text, true);
    assert.deepEqual(fast, qualifiedNames(text, false), file);
    compared += fast.length;
  }
  assert.ok(compared > 5000, `only ${compared} names compared`);
});
