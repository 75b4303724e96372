// Protocol test: refcount hovers over stdio JSON-RPC, matched exactly against the annotated hover fixtures, on both parser backends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import { hoverFixtureFiles, readHoverFixture, type HoverFixture } from './hoverFixtures';
import { ensureBuilt, LspTestClient } from './lspTestClient';

export function hoverValue(hover: Hover | null): string | undefined {
  if (!hover) return undefined;
  return (hover.contents as MarkupContent).value;
}

async function checkFixture(fixture: HoverFixture, parser: 'native' | 'wasm'): Promise<void> {
  const client = new LspTestClient({ settings: fixture.settings, initializationOptions: { parser } });
  try {
    await client.initialize();
    const uri = `file:///virtual/${fixture.name}`;
    await client.open(uri, fixture.text);
    const problems: string[] = [];
    for (const expectation of fixture.expectations) {
      const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: expectation.line, character: expectation.character },
      });
      const lines = hoverValue(hover)?.split('\n');
      const where = `${fixture.name}:${expectation.markerLine}`;
      switch (expectation.kind) {
        case 'none':
          if (hover !== null) problems.push(`${where}: expected no hover, got ${JSON.stringify(lines)}`);
          break;
        case 'first':
          if (lines?.[0] !== expectation.text) problems.push(`${where}: expected first line\n    ${expectation.text}\n  got\n    ${lines?.join('\n    ')}`);
          break;
        case 'line':
          if (!lines?.includes(expectation.text)) problems.push(`${where}: expected a line\n    ${expectation.text}\n  got\n    ${lines?.join('\n    ')}`);
          break;
        default: {
          const never: never = expectation.kind;
          throw new Error(`unknown expectation ${String(never)}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  } finally {
    await client.shutdown();
  }
}

describe('hover fixtures (refcounts from the simulation)', () => {
  ensureBuilt();
  const fixtures = hoverFixtureFiles().map(readHoverFixture);
  it('has fixtures with expectations', () => {
    assert.ok(fixtures.length >= 4);
    assert.ok(fixtures.reduce((n, f) => n + f.expectations.length, 0) >= 20);
  });
  for (const parser of ['native', 'wasm'] as const) {
    for (const fixture of fixtures) {
      it(`${fixture.name} (${parser})`, () => checkFixture(fixture, parser));
    }
  }
});
