// The engine: rule selection and severities, one dispatch per node kind, rule isolation, suppression, ordering.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyze, analyzeDocument, enabledRules } from '../../server/src/analysis/analyze';
import { analyzeAfterEdit } from '../../server/src/analysis/analyzeEdit';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/analysis/settings';
import type { Rule, RuleContext } from '../../server/src/rules/ruleTypes';
import type { DocumentFactKey } from '../../server/src/semantic/semanticModel';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser, SyntaxNode } from '../../server/src/syntax/syntaxTypes';

let parser: PythonParser;
before(async () => {
  parser = (await loadPythonParser('native')).parser;
});

const DOC = { whatItDoes: 'x', whyIsThisBad: 'x', example: 'x', useInstead: 'x', fixSafety: 'x', knownProblems: 'x' };

function testRule(code: string, nodeKinds: string[], check: (node: SyntaxNode, context: RuleContext) => void): Rule {
  return { code, name: `test-${code.toLowerCase()}`, summary: 'x.', lifetime: 'cycle', defaultSeverity: 'warning', fix: 'none', nodeKinds, doc: DOC, check };
}

/** A rule that reports every node of the kinds it asks for, and counts its calls. */
function reportingRule(code: string, nodeKinds: string[]): Rule & { calls: string[] } {
  const calls: string[] = [];
  const rule = testRule(code, nodeKinds, (node, context) => {
    calls.push(node.text);
    context.report({ range: { start: node.startIndex, end: node.endIndex }, message: `${code} saw ${node.text}` });
  });
  return Object.assign(rule, { calls });
}

function run(text: string, rules: readonly Rule[], settings: AnalysisSettings = DEFAULT_SETTINGS) {
  const tree = parser.parse(text);
  try {
    return analyze({ text, tree, settings, rules });
  } finally {
    tree.dispose();
  }
}

test('enabledRules: select and ignore take codes or prefixes, case-insensitive; severity overrides or turns off', () => {
  const rules = ['GCL001', 'GCL101', 'GCL102', 'GCL301'].map((code) => testRule(code, ['call'], () => undefined));
  const codes = (settings: Partial<AnalysisSettings>): string[] =>
    enabledRules(rules, { ...DEFAULT_SETTINGS, ...settings }).map((entry) => `${entry.rule.code}:${entry.severity}`);
  assert.deepEqual(codes({}), ['GCL001:warning', 'GCL101:warning', 'GCL102:warning', 'GCL301:warning']);
  assert.deepEqual(codes({ select: ['GCL1'] }), ['GCL101:warning', 'GCL102:warning']);
  assert.deepEqual(codes({ select: ['gcl1'], ignore: ['GCL102'] }), ['GCL101:warning']);
  assert.deepEqual(codes({ ignore: ['GCL'] }), []);
  assert.deepEqual(codes({ severity: { GCL001: 'error', GCL301: 'off' } }), ['GCL001:error', 'GCL101:warning', 'GCL102:warning']);
});

test('each node of a wanted kind reaches each interested rule once, in document order; findings come sorted', () => {
  const calls = reportingRule('GCL801', ['call']);
  const both = reportingRule('GCL802', ['call', 'list']);
  const findings = run('a(b())\nx = [1]\n', [both, calls]);
  assert.deepEqual(calls.calls, ['a(b())', 'b()']);
  assert.deepEqual(both.calls, ['a(b())', 'b()', '[1]']);
  assert.deepEqual(findings.map((f) => `${f.code} ${f.range.start}`), ['GCL801 0', 'GCL802 0', 'GCL801 2', 'GCL802 2', 'GCL802 11']);
  assert.equal(findings[0].severity, 'warning');
  assert.equal(findings[0].lifetime, 'cycle');
  assert.deepEqual(run('a()\n', [calls], { ...DEFAULT_SETTINGS, severity: { GCL801: 'hint' } })[0].severity, 'hint');
});

test('a rule that throws does not stop the others (outside strict test mode), and strict mode surfaces it', () => {
  const failing = testRule('GCL803', ['call'], () => {
    throw new Error('rule bug');
  });
  const healthy = reportingRule('GCL804', ['call']);
  const strict = process.env.GCLENS_STRICT_RULES;
  try {
    delete process.env.GCLENS_STRICT_RULES;
    const findings = run('f()\ng()\n', [failing, healthy]);
    assert.deepEqual(findings.map((f) => f.message), ['GCL804 saw f()', 'GCL804 saw g()']);
    process.env.GCLENS_STRICT_RULES = '1';
    assert.throws(() => run('f()\n', [failing, healthy]), /rule bug/);
  } finally {
    if (strict === undefined) delete process.env.GCLENS_STRICT_RULES;
    else process.env.GCLENS_STRICT_RULES = strict;
  }
});

test('suppressed findings are removed; unrelated codes on the line are not', () => {
  const rule = reportingRule('GCL805', ['call']);
  const findings = run('f()  # gclens: ignore[GCL805]\ng()  # noqa: GCL001\nh()  # noqa\n', [rule]);
  assert.deepEqual(findings.map((f) => f.message), ['GCL805 saw g()']);
});

test('no enabled rule, no work', () => {
  const rule = reportingRule('GCL806', ['call']);
  assert.deepEqual(run('f()\n', [rule], { ...DEFAULT_SETTINGS, ignore: ['GCL806'] }), []);
  assert.deepEqual(rule.calls, []);
});

test('broken input is analysed around its errors', () => {
  const findings = run('def f(x=[]:\n    pass\n\ndef g(y={}):\n    return y\n)))\n', [reportingRule('GCL807', ['dictionary'])]);
  assert.deepEqual(findings.map((f) => f.message), ['GCL807 saw {}']);
});

test('adding `from __future__ import annotations` re-runs GCL001 incrementally with `T | None` fixes', () => {
  const settings: AnalysisSettings = { ...DEFAULT_SETTINGS, targetVersion: { major: 3, minor: 8 } };
  const before = 'import os\n\ndef f(x: list = []):\n    return x\n';
  const insertion = 'from __future__ import annotations\n';
  const after = insertion + before;
  const oldTree = parser.parse(before);
  const snapshot = analyzeDocument({ text: before, tree: oldTree, settings });
  oldTree.edit({ startIndex: 0, oldEndIndex: 0, newEndIndex: insertion.length, startPosition: { row: 0, column: 0 }, oldEndPosition: { row: 0, column: 0 }, newEndPosition: { row: 1, column: 0 } });
  const newTree = parser.parse(after, oldTree);
  const incremental = analyzeAfterEdit(snapshot, { text: after, tree: newTree, settings }, { start: 0, oldEnd: 0, newEnd: insertion.length }, oldTree.changedRanges(newTree).map((r) => ({ start: r.startIndex, end: r.endIndex })));
  const annotationEdit = (findings: typeof incremental.findings): string | undefined =>
    findings[0]?.fixes[0]?.edits.find((edit) => edit.newText.includes('list') && !edit.newText.includes(' is None'))?.newText;
  assert.equal(annotationEdit(snapshot.findings), 'Optional[list]');
  assert.equal(annotationEdit(incremental.findings), 'list | None');
});

test('document facts are computed once per analysis, shared by every rule, and see the names they resolve', () => {
  const computed: string[] = [];
  const classNames: DocumentFactKey<string[]> = {
    name: 'class names',
    compute(root, model) {
      computed.push('class names');
      model.qualifiedName(root.descendantsOfType('identifier')[0]!);
      return root.descendantsOfType('class_definition').map((node) => node.childForFieldName('name')?.text ?? '');
    },
  };
  const seen: string[][] = [];
  const reader = (code: string): Rule => testRule(code, ['call'], (_node, context) => { seen.push(context.semantic.fact(classNames)); });
  const text = 'import weakref\nclass A: pass\nclass B: pass\nA()\nB()\n';
  const tree = parser.parse(text);
  try {
    const snapshot = analyzeDocument({ text, tree, settings: DEFAULT_SETTINGS, rules: [reader('GCL801'), reader('GCL802')] });
    assert.deepEqual(computed, ['class names']);
    assert.equal(seen.length, 4);
    for (const names of seen) assert.deepEqual(names, ['A', 'B']);
    assert.ok(snapshot.queriedNames.has('weakref'), 'a name a fact resolved is recorded for incremental invalidation');
  } finally {
    tree.dispose();
  }
});

for (const [kind, textTrigger] of [['RegExp', /weakref/], ['predicate', (text: string) => text.includes('weakref')]] as const) {
  test(`a rule whose text trigger (${kind}) the document lacks is not run, and an edit that adds the trigger re-checks the document`, () => {
    const triggered = Object.assign(reportingRule('GCL808', ['call']), { textTrigger, locality: 'function' as const });
    const rules = [triggered];
    const before = 'def f():\n    g()\n';
    assert.deepEqual(run(before, rules), []);
    assert.deepEqual(triggered.calls, [], 'the rule is not called at all without its trigger');
    const insertion = 'import weakref\n';
    const after = insertion + before;
    const oldTree = parser.parse(before);
    const snapshot = analyzeDocument({ text: before, tree: oldTree, settings: DEFAULT_SETTINGS, rules });
    oldTree.edit({ startIndex: 0, oldEndIndex: 0, newEndIndex: insertion.length, startPosition: { row: 0, column: 0 }, oldEndPosition: { row: 0, column: 0 }, newEndPosition: { row: 1, column: 0 } });
    const newTree = parser.parse(after, oldTree);
    try {
      const incremental = analyzeAfterEdit(snapshot, { text: after, tree: newTree, settings: DEFAULT_SETTINGS, rules }, { start: 0, oldEnd: 0, newEnd: insertion.length }, oldTree.changedRanges(newTree).map((r) => ({ start: r.startIndex, end: r.endIndex })));
      assert.deepEqual(incremental.findings.map((f) => f.message), ['GCL808 saw g()']);
    } finally {
      oldTree.dispose();
      newTree.dispose();
    }
  });
}
