// Loads GC Lens's TextMate grammars into the real engine (vscode-textmate + oniguruma wasm) for the grammar tests.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

export const SYNTAXES = path.resolve(__dirname, '..', '..', 'syntaxes');

let onigLoaded: Promise<void> | null = null;

function loadOniguruma(): Promise<void> {
  onigLoaded ??= (async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  })();
  return onigLoaded;
}

/** A grammar by scope name from files (scope → path), with the injections given per host scope. */
export async function loadGrammar(scopeName: string, files: Readonly<Record<string, string>>, injections: Readonly<Record<string, string[]>> = {}): Promise<textmate.IGrammar> {
  await loadOniguruma();
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scope: string) => {
      const file = files[scope];
      return file ? textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scope: string) => injections[scope],
  });
  const loaded = await registry.loadGrammar(scopeName);
  assert.ok(loaded, `the grammar ${scopeName} loads`);
  return loaded;
}

/** The scopes of the token covering the first occurrence of `fragment` (from `from`) on a one-line text. */
export function scopesAt(grammar: textmate.IGrammar, line: string, fragment: string, from = 0): string[] {
  const at = line.indexOf(fragment, from);
  assert.ok(at >= 0, `${fragment} in ${line}`);
  const { tokens } = grammar.tokenizeLine(line, textmate.INITIAL);
  const token = tokens.find((t) => t.startIndex <= at && at < t.endIndex);
  assert.ok(token, `a token at ${at}`);
  return token.scopes;
}
