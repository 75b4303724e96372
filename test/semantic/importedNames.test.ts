// The names import statements may bind, read from text: a superset of what the model's import aliases bind.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, test } from 'node:test';
import { importAliases } from '../../server/src/semantic/buildSemanticModel';
import { importedNames, mayResolveThroughImport, rootNameAt } from '../../server/src/semantic/importedNames';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { repositoryPythonFiles } from '../support/repoPython';

let parser: PythonParser;
before(async () => {
  parser = (await loadPythonParser('native')).parser;
});

const sorted = (names: ReadonlySet<string> | undefined): string[] | undefined => (names ? [...names].sort() : undefined);

test('names on import lines, through parentheses, backslashes, CRLF and lone CR', () => {
  assert.deepEqual(sorted(importedNames('import weakref as wr\nx = self.register(1)\n')), ['as', 'import', 'weakref', 'wr']);
  assert.deepEqual(sorted(importedNames('from sys import (\n    exc_info as ei,\n    exception,\n)\ny = 2\n')), ['as', 'ei', 'exc_info', 'exception', 'from', 'import', 'sys']);
  assert.deepEqual(sorted(importedNames('from inspect import currentframe, \\\n    stack as st\nz = 3\n')), ['as', 'currentframe', 'from', 'import', 'inspect', 'st', 'stack']);
  assert.deepEqual(sorted(importedNames('import atexit as ae\r\nq = 1\r\n')), ['ae', 'as', 'atexit', 'import']);
  assert.deepEqual(sorted(importedNames('a = 1\rimport atexit as ae\rq = 1\r')), ['ae', 'as', 'atexit', 'import']);
  // A statement before the import on the same line counts too (it may be `x = 1; import y`).
  assert.deepEqual(sorted(importedNames('x = 1; import gc\n')), ['gc', 'import', 'x']);
  // Non-ASCII names are whole names.
  assert.deepEqual(sorted(importedNames('import weakref as wé\n')), ['as', 'import', 'weakref', 'wé']);
  // `__import__` and `importlib` do not spell the keyword.
  assert.deepEqual(sorted(importedNames('m = __import__("weakref")\nimportlib = 1\n')), []);
});

test('a statement whose brackets never close makes every name possible', () => {
  assert.equal(importedNames(`"""import (\n${'words here\n'.repeat(3000)}"""\n`), undefined);
  assert.equal(mayResolveThroughImport(`"""import (\n${'words here\n'.repeat(3000)}"""\nself.register()\n`, 0), true);
});

test('the root name a dotted callee starts with', () => {
  const text = 'x = wr.finalize(obj, f)\ny = (a).b()\n';
  assert.equal(rootNameAt(text, text.indexOf('wr')), 'wr');
  assert.equal(rootNameAt(text, text.indexOf('(a)')), undefined);
  assert.equal(mayResolveThroughImport(`import weakref as wr\n${text}`, 'import weakref as wr\n'.length + text.indexOf('wr')), true);
  assert.equal(mayResolveThroughImport(`import weakref as wr\nself.register(f)\n`, 'import weakref as wr\n'.length), false);
});


test('every name an import binds in the fixtures and examples is among the names read from the text', () => {
  let checked = 0;
  for (const file of repositoryPythonFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    const tree = parser.parse(text);
    const imports = tree.rootNode.descendantsOfType(['import_statement', 'import_from_statement']).filter((node) => node.isNamed);
    const names = importedNames(text);
    for (const bound of importAliases(imports).keys()) {
      assert.ok(names === undefined || names.has(bound), `${file}: ${bound} is bound by an import but not read from the text`);
      checked++;
    }
  }
  assert.ok(checked > 100, `only ${checked} import bindings checked`);
});
