// GCL304's text pre-check on stores that run over several lines, tested without fixture comments (an expectation
// comment inside the `except` spells the caught name and "exception", which the pre-check reads as text).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import { findRule } from '../../server/src/rules/registry';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';

const parsers: PythonParser[] = [];
before(async () => {
  parsers.push((await loadPythonParser('native')).parser, (await loadPythonParser('wasm')).parser);
});

/** The GCL304 messages for `source`, on both backends (asserted equal). */
function storedTracebacks(source: string): string[] {
  const rule = findRule('GCL304');
  assert.ok(rule);
  const answers = parsers.map((parser) => {
    const tree = parser.parse(source);
    try {
      return analyze({ text: source, tree, settings: DEFAULT_SETTINGS, rules: [rule] }).map((finding) => finding.message);
    } finally {
      tree.dispose();
    }
  });
  assert.deepEqual(answers[0], answers[1]);
  return answers[0];
}

const handler = (body: string): string => `def handle(log):\n    try:\n        work()\n    except BaseException as exc:\n${body}        log(context)\n`;

test('a store whose value runs over several lines is found', () => {
  const found = storedTracebacks(handler('        context = {\n            "error": exc,\n        }\n'));
  assert.equal(found.length, 1);
  assert.match(found[0], /^`context` keeps the exception after the `except`: `exc` → its traceback → the frame of `handle`/);
  assert.equal(storedTracebacks(handler('        context = {\n            "error": exc,\n        }\n').replace(/\n/g, '\r\n')).length, 1);
  assert.equal(storedTracebacks(handler('        context = \\\n            exc\n')).length, 1);
  // Known gap: a `dict(...)`/`list(...)` call is not followed into (only displays are), on one line or several.
  assert.equal(storedTracebacks(handler('        context = dict(\n            error=exc)\n')).length, 0);
});

test('the caught name passed to a call over several lines, or stored nowhere, stays silent', () => {
  assert.deepEqual(storedTracebacks(handler('        context = None\n        log(\n            "failed",\n            exc,\n        )\n')), []);
  assert.deepEqual(storedTracebacks(handler('        context = {\n            "error": str(type(1)),\n        }\n')), []);
});
