// Every registered rule's metadata is well formed: unique codes, kebab names, real node kinds, full doc blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findRule, RULES } from '../../server/src/rules/registry';
import { loadPythonParser } from '../../server/src/syntax/loadParser';

test('codes are unique and look like GCL123; names are kebab-case and unique', () => {
  assert.ok(RULES.length > 0);
  assert.equal(new Set(RULES.map((rule) => rule.code)).size, RULES.length);
  assert.equal(new Set(RULES.map((rule) => rule.name)).size, RULES.length);
  for (const rule of RULES) {
    assert.match(rule.code, /^GCL\d{3}$/);
    assert.match(rule.name, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    assert.equal(findRule(rule.code), rule);
  }
});

test('every doc section and the summary are written', () => {
  for (const rule of RULES) {
    assert.match(rule.summary, /\.$/, `${rule.code} summary is a sentence`);
    for (const [section, body] of Object.entries(rule.doc)) {
      assert.ok(body.trim().length > 20 && !/\bTODO\b/.test(body), `${rule.code} doc.${section} is written`);
    }
  }
});

test('node kinds are real tree-sitter-python node types on both backends', async () => {
  for (const backend of ['native', 'wasm'] as const) {
    const { parser } = await loadPythonParser(backend);
    for (const rule of RULES) {
      assert.ok(rule.nodeKinds.length > 0, `${rule.code} asks for at least one node kind`);
      for (const kind of rule.nodeKinds) assert.doesNotThrow(() => parser.query(`(${kind}) @node`), `${rule.code}: ${kind} on ${backend}`);
    }
    assert.throws(() => parser.query('(no_such_node_kind) @node'), Error, 'an unknown kind is rejected (the check above can fail)');
  }
});
