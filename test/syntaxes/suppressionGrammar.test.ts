// Tokenizes Python with the real TextMate engine (vscode-textmate + oniguruma) and GC Lens's injection grammar.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = path.resolve(__dirname, '..', '..');
const injectionPath = path.join(root, 'syntaxes', 'gclens-suppression.injection.tmLanguage.json');
let grammar: textmate.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName === 'source.python') {
        const file = require.resolve('tm-grammars/grammars/python.json');
        return textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
      }
      if (scopeName === 'source.python.gclens-suppression') return textmate.parseRawGrammar(fs.readFileSync(injectionPath, 'utf8'), injectionPath);
      return null;
    },
    getInjections: (scopeName: string) => (scopeName === 'source.python' ? ['source.python.gclens-suppression'] : undefined),
  });
  const loaded = await registry.loadGrammar('source.python');
  assert.ok(loaded, 'the Python grammar loads');
  grammar = loaded;
});

/** The scopes of the token covering `fragment` on a one-line program. */
function scopesOf(line: string, fragment: string): string[] {
  const at = line.indexOf(fragment);
  assert.ok(at >= 0, `${fragment} in ${line}`);
  const { tokens } = grammar.tokenizeLine(line, textmate.INITIAL);
  const token = tokens.find((t) => t.startIndex <= at && at < t.endIndex);
  assert.ok(token, `a token at ${at}`);
  return token.scopes;
}

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
