// The cycle rules' documentation tells the truth: each Example is flagged and each Use instead is silent.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import { findRule } from '../../server/src/rules/registry';
import type { Rule } from '../../server/src/rules/ruleTypes';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';

let parser: PythonParser;
before(async () => {
  parser = (await loadPythonParser('native')).parser;
});

function findingsIn(markdown: string, rule: Rule): number {
  const code = /```python\n([\s\S]*?)```/.exec(markdown)?.[1];
  assert.ok(code, `${rule.code} has a python block`);
  const tree = parser.parse(code);
  try {
    assert.equal(tree.rootNode.hasError, false, `${rule.code}'s example parses`);
    return analyze({ text: code, tree, settings: DEFAULT_SETTINGS, rules: [rule] }).length;
  } finally {
    tree.dispose();
  }
}

for (const code of ['GCL101', 'GCL102', 'GCL103', 'GCL201']) {
  test(`${code}: the documented example is flagged once and the fix it suggests is silent`, () => {
    const rule = findRule(code) as Rule;
    assert.equal(findingsIn(rule.doc.example, rule), 1);
    assert.equal(findingsIn(rule.doc.useInstead, rule), 0);
  });
}
