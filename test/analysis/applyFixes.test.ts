// Fix application: non-overlapping edits, import insertion once in the import block, and fix-all to convergence.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { applyEdits, fixAll, fixEdits, importEdits } from '../../server/src/analysis/applyFixes';
import type { ImportRequest } from '../../server/src/analysis/findingTypes';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/analysis/settings';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';

let parser: PythonParser;
before(async () => {
  parser = (await loadPythonParser('native')).parser;
});

const OPTIONAL: ImportRequest = { kind: 'name', module: 'typing', name: 'Optional' };
const WEAKREF: ImportRequest = { kind: 'module', module: 'weakref' };
const PY39: AnalysisSettings = { ...DEFAULT_SETTINGS, targetVersion: { major: 3, minor: 9 } };

function withImports(text: string, requests: readonly ImportRequest[]): string {
  const tree = parser.parse(text);
  try {
    return applyEdits(text, importEdits(text, tree, requests));
  } finally {
    tree.dispose();
  }
}

test('applyEdits applies from the end and rejects overlaps', () => {
  const edits = [{ range: { start: 0, end: 1 }, newText: 'A' }, { range: { start: 2, end: 3 }, newText: 'CC' }, { range: { start: 3, end: 3 }, newText: '!' }];
  assert.equal(applyEdits('abcd', edits), 'AbCC!d');
  assert.throws(() => applyEdits('abcd', [{ range: { start: 0, end: 2 }, newText: '' }, { range: { start: 1, end: 3 }, newText: '' }]), /overlapping/);
});

test('imports go after the docstring and the import block, once each, keeping the line ending', () => {
  assert.equal(withImports('"""Doc."""\nimport os\n\nx = 1\n', [OPTIONAL, OPTIONAL, WEAKREF]),
    '"""Doc."""\nimport os\nfrom typing import Optional\nimport weakref\n\nx = 1\n');
  assert.equal(withImports('"""Doc."""\r\n\r\nx = 1\r\n', [WEAKREF]), '"""Doc."""\r\nimport weakref\r\n\r\nx = 1\r\n');
  assert.equal(withImports('#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nx = 1\n', [WEAKREF]),
    '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport weakref\nx = 1\n');
  assert.equal(withImports('from __future__ import annotations\nx = 1\n', [WEAKREF]), 'from __future__ import annotations\nimport weakref\nx = 1\n');
});

test('imports already present are not added again', () => {
  const text = 'import weakref\nfrom typing import Optional, List\n';
  assert.equal(withImports(text, [OPTIONAL, WEAKREF]), text);
});

test('fixEdits adds the fix imports to its edits', () => {
  const text = 'def f(x: list = []):\n    return x\n';
  const tree = parser.parse(text);
  try {
    const [finding] = analyze({ text, tree, settings: PY39 });
    const edits = fixEdits(text, tree, finding.fixes[0]);
    assert.equal(applyEdits(text, edits), 'from typing import Optional\ndef f(x: Optional[list] = None):\n    if x is None:\n        x = []\n    return x\n');
  } finally {
    tree.dispose();
  }
});

test('fixAll: several fixes in one function need several rounds and converge; imports merged', () => {
  const text = 'import os\n\n\ndef f(a: list = [], b: dict = {}):\n    return a, b\n\n\ndef g(c: set = set()):\n    return c\n';
  const result = fixAll(text, parser, PY39, { safeOnly: false });
  assert.equal(result.text, 'import os\nfrom typing import Optional\n\n\ndef f(a: Optional[list] = None, b: Optional[dict] = None):\n'
    + '    if a is None:\n        a = []\n    if b is None:\n        b = {}\n    return a, b\n\n\n'
    + 'def g(c: Optional[set] = None):\n    if c is None:\n        c = set()\n    return c\n');
  assert.equal(result.converged, true);
  assert.equal(result.applied.length, 3);
  assert.deepEqual(result.remaining, []);
});

test('fixAll stops at maxRounds and says it did not converge', () => {
  const text = 'def f(a=[], b=[], c=[]):\n    return a, b, c\n';
  const partial = fixAll(text, parser, DEFAULT_SETTINGS, { safeOnly: false, maxRounds: 1 });
  assert.equal(partial.converged, false);
  assert.equal(partial.applied.length, 1);
  assert.equal(partial.remaining.length, 2);
});

test('fixAll with safeOnly leaves unsafe fixes alone; codes filter which rules are fixed', () => {
  const text = 'def f(a=[]):\n    return a\n';
  const safe = fixAll(text, parser, DEFAULT_SETTINGS, { safeOnly: true });
  assert.equal(safe.text, text);
  assert.deepEqual(safe.applied, []);
  assert.equal(safe.converged, true);
  assert.equal(fixAll(text, parser, DEFAULT_SETTINGS, { safeOnly: false, codes: ['GCL999'] }).text, text);
  assert.notEqual(fixAll(text, parser, DEFAULT_SETTINGS, { safeOnly: false, codes: ['GCL001'] }).text, text);
});
