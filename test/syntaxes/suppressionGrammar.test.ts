// Tokenizes Python with the real TextMate engine (vscode-textmate + oniguruma) and GC Lens's injection grammar.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type * as textmate from 'vscode-textmate';
import { loadGrammar, scopesAt, SYNTAXES } from './textmateHarness';

let grammar: textmate.IGrammar;

before(async () => {
  grammar = await loadGrammar(
    'source.python',
    {
      'source.python': require.resolve('tm-grammars/grammars/python.json'),
      'source.python.gclens-suppression': path.join(SYNTAXES, 'gclens-suppression.injection.tmLanguage.json'),
    },
    { 'source.python': ['source.python.gclens-suppression'] },
  );
});

/** The scopes of the token covering `fragment` on a one-line program. */
const scopesOf = (line: string, fragment: string): string[] => scopesAt(grammar, line, fragment);

test('gclens: ignore[...] is highlighted with its rule codes', () => {
  const line = 'def f(x=[]):  # gclens: ignore[GCL001, B006]';
  assert.ok(scopesOf(line, 'gclens').includes('keyword.other.gclens.suppression'));
  assert.ok(scopesOf(line, 'ignore').includes('keyword.control.gclens.suppression'));
  assert.ok(scopesOf(line, 'GCL001').includes('constant.other.rule-code.gclens'));
  assert.ok(scopesOf(line, 'B006').includes('constant.other.rule-code.other'));
  assert.ok(scopesOf(line, 'GCL001').includes('comment.line.number-sign.python'), 'still inside the comment');
});

test('noqa with codes is highlighted; the same words in code or strings are not', () => {
  const line = 'x = "gclens: ignore[GCL001]"  # noqa: GCL101';
  assert.ok(scopesOf(line, 'noqa').includes('keyword.control.noqa.suppression'));
  assert.ok(scopesOf(line, 'GCL101').includes('constant.other.rule-code.gclens'));
  assert.ok(!scopesOf(line, 'GCL001').some((s) => s.includes('gclens')), 'text in a string is not a suppression');
});

test('a plain comment is left alone', () => {
  const line = '# ignore this GCL001 mention';
  assert.ok(!scopesOf(line, 'GCL001').some((s) => s.includes('rule-code')));
});
