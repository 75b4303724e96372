// source.fixAll.gclens with a safe fix: no shipped rule has one yet, so a test rule drives the real code-action builder.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import type { Rule } from '../../server/src/rules/ruleTypes';
import { codeActionsFor, FIX_ALL_KIND, minimalEdit } from '../../server/src/lsp/codeActions';
import { DocumentStore } from '../../server/src/lsp/documentStore';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import { applyTextEdits, editsFor } from './lspTestClient';

/** Flags `dict()` and offers the safe fix `{}`; `list()` gets an unsafe fix that fix-all must leave alone. */
const emptyCallRule: Rule = {
  code: 'TST900',
  name: 'empty-constructor-call',
  summary: 'Test rule.',
  lifetime: 'shared-state',
  defaultSeverity: 'hint',
  fix: 'always',
  nodeKinds: ['call'],
  doc: { whatItDoes: '', whyIsThisBad: '', example: '', useInstead: '', fixSafety: '', knownProblems: '' },
  check(node, context) {
    const callee = node.childForFieldName('function')?.text;
    const argumentsNode = node.childForFieldName('arguments');
    if ((callee !== 'dict' && callee !== 'list') || argumentsNode?.namedChildCount !== 0) return;
    const range = { start: node.startIndex, end: node.endIndex };
    context.report({
      range,
      message: `${callee}() call`,
      fixes: [{
        title: `Write ${callee === 'dict' ? '{}' : '[]'}`,
        applicability: callee === 'dict' ? 'safe' : 'unsafe',
        edits: [{ range, newText: callee === 'dict' ? '{}' : '[]' }],
        imports: callee === 'dict' ? [{ kind: 'module', module: 'collections' }] : [],
      }],
    });
  },
};

describe('source.fixAll.gclens', async () => {
  const { parser } = await loadPythonParser('native');
  const rules = [emptyCallRule];
  const text = 'a = dict()\nb = list()\nc = {"k": dict()}\n';

  function actionsFor(only: string[] | undefined) {
    const store = new DocumentStore();
    const document = store.open('file:///virtual/t.py', 'python', 1, text, parser);
    const findings = analyze({ text, tree: document.syntax.tree, settings: DEFAULT_SETTINGS, rules });
    return codeActionsFor({
      document,
      findings,
      range: { start: 0, end: text.length },
      contextDiagnostics: [],
      only,
      parser,
      settings: DEFAULT_SETTINGS,
      versionedEdits: false,
      rules,
    });
  }

  it('applies every safe fix with its imports, and no unsafe one', () => {
    const [fixAll] = actionsFor([FIX_ALL_KIND]);
    assert.equal(fixAll.kind, FIX_ALL_KIND);
    const fixed = applyTextEdits(text, editsFor(fixAll.edit, 'file:///virtual/t.py'));
    assert.equal(fixed, 'import collections\na = {}\nb = list()\nc = {"k": {}}\n');
  });

  it('marks safe quick fixes as preferred and offers fix-all only when source actions are asked for by name', () => {
    const quickFixes = actionsFor(['quickfix']);
    assert.deepEqual(quickFixes.filter((a) => a.title.startsWith('Write')).map((a) => [a.title, a.isPreferred]), [
      ['Write {}', true],
      ['Write []', false],
      ['Write {}', true],
    ]);
    assert.ok(quickFixes.every((a) => a.kind === 'quickfix'));
    for (const only of [['source'], ['source.fixAll'], [FIX_ALL_KIND]]) {
      assert.deepEqual(actionsFor(only).map((a) => a.kind), [FIX_ALL_KIND], `only=${only.join(',')}`);
    }
    for (const only of [undefined, [], ['source.organizeImports']]) {
      assert.ok(actionsFor(only).every((a) => a.kind !== FIX_ALL_KIND), `no fix-all for only=${JSON.stringify(only)}: clients ask on every cursor move`);
    }
  });

  it('describes a whole-document rewrite as the smallest single edit', () => {
    assert.deepEqual(minimalEdit('abcdef', 'abXYef'), { range: { start: 2, end: 4 }, newText: 'XY' });
    assert.deepEqual(minimalEdit('aaa', 'aaaa'), { range: { start: 3, end: 3 }, newText: 'a' });
    assert.deepEqual(minimalEdit('same', 'same'), { range: { start: 4, end: 4 }, newText: '' });
  });
});
