// Suppression comments: which comments silence which codes, and the edit that adds one.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { applyEdits } from '../../server/src/analysis/applyFixes';
import type { Finding } from '../../server/src/analysis/findingTypes';
import { commentSuppresses as lineSuppresses, removeSuppressed as removeSuppressedIn, suppressionEdit as suppressionEditIn } from '../../server/src/analysis/suppression';
import { lineStarts } from '../../server/src/analysis/textLines';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';

let parser: PythonParser;
before(async () => {
  parser = (await loadPythonParser('native')).parser;
});

/** Suppression reads comments from the real tree: a `#` inside a string is no comment. */
const removeSuppressed = (text: string, findings: Finding[]): Finding[] => removeSuppressedIn(text, parser.parse(text).rootNode, findings);
const suppressionEdit = (text: string, finding: Finding) => suppressionEditIn(text, parser.parse(text).rootNode, finding);

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

test('a # inside a string is not a suppression comment; a real comment after it is', () => {
  const text = 'def f(x=[], y="# noqa"):\n    pass\ndef g(x=[], y="#"):  # noqa: B006\n    pass\n';
  const kept = removeSuppressed(text, [findingAt(text, 'x=[], y="# noqa"'), findingAt(text, 'x=[], y="#"')]);
  assert.deepEqual(kept.map((f) => f.range.start), [text.indexOf('x=[]')]);
});

test('after a backslash continuation the suppression belongs to the logical line\'s last line', () => {
  const text = 'def f(x=[], \\\n      y=1):\n    pass\n';
  const finding = findingAt(text, 'x=[]');
  const fixed = applyEdits(text, [suppressionEdit(text, finding)]);
  assert.equal(fixed, 'def f(x=[], \\\n      y=1):  # gclens: ignore[GCL001]\n    pass\n', 'never after the backslash');
  assert.equal(parser.parse(fixed).rootNode.hasError, false, 'still valid Python');
  assert.equal(removeSuppressed(fixed, [findingAt(fixed, 'x=[]')]).length, 0, 'and it silences the finding');
});

test('a finding whose line goes on inside a triple-quoted string is suppressed after the string', () => {
  const text = 'def f(x=[], y="""one\ntwo"""):\n    pass\n';
  const fixed = applyEdits(text, [suppressionEdit(text, findingAt(text, 'x=[]'))]);
  assert.equal(fixed, 'def f(x=[], y="""one\ntwo"""):  # gclens: ignore[GCL001]\n    pass\n');
  assert.equal(removeSuppressed(fixed, [findingAt(fixed, 'x=[]')]).length, 0);
});
