// Suppression comments: which comments silence which codes, and the edit that adds one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/analysis/applyFixes';
import type { Finding } from '../../server/src/analysis/findingTypes';
import { lineStarts, lineSuppresses, removeSuppressed, suppressionEdit } from '../../server/src/analysis/suppression';

function findingAt(text: string, needle: string, code = 'GCL001'): Finding {
  const start = text.indexOf(needle);
  assert.ok(start >= 0, `${needle} in text`);
  return { code, name: 'test', lifetime: 'shared-state', severity: 'warning', range: { start, end: start + needle.length }, message: 'm', related: [], fixes: [] };
}

test('gclens: ignore with and without codes', () => {
  assert.equal(lineSuppresses('def f(x=[]):  # gclens: ignore[GCL001]', 'GCL001'), true);
  assert.equal(lineSuppresses('def f(x=[]):  # gclens: ignore[GCL101, GCL001]', 'GCL001'), true);
  assert.equal(lineSuppresses('def f(x=[]):  # gclens: ignore', 'GCL001'), true);
  assert.equal(lineSuppresses('def f(x=[]):  # GCLENS: IGNORE[gcl001]', 'GCL001'), true, 'case-insensitive');
  assert.equal(lineSuppresses('def f(x=[]):  # gclens: ignore[GCL101]', 'GCL001'), false);
});

test('noqa: own codes, bare noqa, and B006 / pylint names for GCL001 only', () => {
  assert.equal(lineSuppresses('x  # noqa: GCL001', 'GCL001'), true);
  assert.equal(lineSuppresses('x  # noqa', 'GCL101'), true);
  assert.equal(lineSuppresses('x  # noqa: B006', 'GCL001'), true);
  assert.equal(lineSuppresses('x  # noqa: E501, B006', 'GCL001'), true);
  assert.equal(lineSuppresses('x  # noqa: B006', 'GCL101'), false, 'B006 maps to GCL001 only');
  assert.equal(lineSuppresses('x  # noqa: E501', 'GCL001'), false);
  assert.equal(lineSuppresses('x  # pylint: disable=dangerous-default-value', 'GCL001'), true);
  assert.equal(lineSuppresses('x  # pylint: disable=W0102', 'GCL001'), true);
  assert.equal(lineSuppresses('x = 1', 'GCL001'), false);
});

test('removeSuppressed looks at the first line of each finding, across line-ending styles', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const text = ['def f(a=[]):  # noqa: B006', '    pass', 'def g(b=[]):', '    pass', ''].join(eol);
    const kept = removeSuppressed(text, [findingAt(text, 'a=[]'), findingAt(text, 'b=[]')]);
    assert.deepEqual(kept.map((f) => text.slice(f.range.start, f.range.end)), ['b=[]'], JSON.stringify(eol));
  }
  assert.equal(lineStarts('a\r\nb\rc\nd').length, 4);
});

test('suppressionEdit appends a comment, or extends an existing gclens list', () => {
  const plain = 'def f(x=[]):   \n    pass\n';
  assert.equal(applyEdits(plain, [suppressionEdit(plain, findingAt(plain, '[]'))]), 'def f(x=[]):  # gclens: ignore[GCL001]\n    pass\n');
  const listed = 'def f(x=[]):  # gclens: ignore[GCL101]\r\n    pass\r\n';
  const extended = applyEdits(listed, [suppressionEdit(listed, findingAt(listed, '[]'))]);
  assert.equal(extended, 'def f(x=[]):  # gclens: ignore[GCL101, GCL001]\r\n    pass\r\n');
  assert.equal(lineSuppresses(extended.split('\r\n')[0], 'GCL001'), true);
  const otherComment = 'def f(x=[]):  # explained\n';
  const added = applyEdits(otherComment, [suppressionEdit(otherComment, findingAt(otherComment, '[]'))]);
  assert.equal(added, 'def f(x=[]):  # explained  # gclens: ignore[GCL001]\n');
  assert.equal(removeSuppressed(added, [findingAt(added, '[]')]).length, 0, 'the added comment works');
});
