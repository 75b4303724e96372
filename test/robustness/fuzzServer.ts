// The server over stdio under random edit sequences: its text must equal the client's and its diagnostics a fresh analysis.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Diagnostic, Hover } from 'vscode-languageserver/node';
import { analyze } from '../../server/src/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { ensureBuilt, LspTestClient } from '../lsp/lspTestClient';
import { FUZZ_SIMULATION_BUDGETS } from './fuzzTargets';
import { hostileUnicode, lineMutatedSeed, mutatedSeed, type SeedText } from './fuzzInputs';

/** One client-side change: replace [start, start+length) (fractions of the current text) with `text`, or all of it. */
export interface GeneratedChange {
  readonly at: number;
  readonly length: number;
  readonly text: string;
  readonly full: boolean;
}

/** A hover request: at a fraction of the text (a real position), or at a raw line/character that may lie far outside it or be negative. */
export type HoverProbe = { readonly kind: 'inside'; readonly at: number } | { readonly kind: 'outside'; readonly line: number; readonly character: number };

export interface EditSequence {
  readonly initial: SeedText;
  /** didChange notifications, each a batch of changes applied one after another. */
  readonly batches: readonly (readonly GeneratedChange[])[];
  /** Hovers sent once the server has caught up with the last batch. */
  readonly hovers: readonly HoverProbe[];
}

/** A document opened as is, then hovered (the `hover` target: more documents and simulations per second than edit sequences). */
export interface HoverDocument {
  readonly document: SeedText;
  readonly hovers: readonly HoverProbe[];
}

const hoverProbe: fc.Arbitrary<HoverProbe> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('inside' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('outside' as const),
      line: fc.oneof(fc.integer({ min: -3, max: 200 }), fc.constantFrom(1_000_000, 2 ** 31 - 1)),
      character: fc.oneof(fc.integer({ min: -3, max: 200 }), fc.constantFrom(1_000_000, 2 ** 31 - 1)),
    }),
  },
);

export function hoverProbes(maxLength: number): fc.Arbitrary<HoverProbe[]> {
  return fc.array(hoverProbe, { minLength: 1, maxLength });
}

export function hoverDocument(seeds: readonly SeedText[]): fc.Arbitrary<HoverDocument> {
  return fc.record({ document: fc.oneof(lineMutatedSeed(seeds), mutatedSeed(seeds)), hovers: hoverProbes(6) });
}

const change: fc.Arbitrary<GeneratedChange> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })),
  text: fc.oneof(hostileUnicode, fc.constantFrom('', '\n', '    ', 'self.x = self\n', 'def f(a=[]):\n    pass\n', '"""', 'lambda: self', '\r\n', '😀')),
  full: fc.constant(false), // full replacements come from `fullBatch`
});

export function editSequence(seeds: readonly SeedText[]): fc.Arbitrary<EditSequence> {
  const fullBatch = mutatedSeed(seeds).map((seed): GeneratedChange[] => [{ at: 0, length: 0, text: seed.text, full: true }]);
  const batch = fc.oneof({ weight: 6, arbitrary: fc.array(change, { minLength: 1, maxLength: 4 }) }, { weight: 1, arbitrary: fullBatch });
  return fc.record({ initial: lineMutatedSeed(seeds), batches: fc.array(batch, { minLength: 1, maxLength: 12 }), hovers: hoverProbes(3) });
}

/** An offset moved off the middle of a CRLF or a surrogate pair (editors never address those). */
function characterBoundary(text: string, offset: number): number {
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  if ((before === 13 && after === 10) || (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff)) return offset - 1;
  return offset;
}

/** LSP position of an offset: lines end at \r\n, \n or \r. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  const ends = /\r\n|\r|\n/g;
  for (let match = ends.exec(text); match && match.index < offset; match = ends.exec(text)) {
    if (match.index + match[0].length > offset) break;
    line++;
    lineStart = match.index + match[0].length;
  }
  return { line, character: offset - lineStart };
}

function describeDiagnostic(diagnostic: Diagnostic): string {
  const { start, end } = diagnostic.range;
  return `${String(diagnostic.code)} ${start.line}:${start.character}-${end.line}:${end.character} ${typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value}`;
}

/** Line `line`'s length in UTF-16 units (lines end at \r\n, \n or \r), or undefined past the last line. */
function lineLength(text: string, line: number): number | undefined {
  return text.split(/\r\n|\r|\n/)[line]?.length;
}

/** One server for many sequences (each on its own document), so a campaign does not pay a start-up per input. */
export class ServerFuzzSession {
  private documents = 0;
  /** Hover requests answered so far (every one a Hover or null). */
  hovers = 0;

  private constructor(private readonly client: LspTestClient, private readonly parser: PythonParser) {}

  static async start(parser: PythonParser): Promise<ServerFuzzSession> {
    ensureBuilt();
    // Hovers simulate with the fuzz step budget, so a generated endless loop ends in milliseconds, not at the 2 s wall budget.
    const client = new LspTestClient({
      env: { GCLENS_TEST_HOOKS: '1', GCLENS_PARSER: 'native' },
      initializationOptions: { diagnosticsDelayMs: 0 },
      settings: { simulation: { maxSteps: FUZZ_SIMULATION_BUDGETS.maxSteps } },
    });
    await client.initialize();
    return new ServerFuzzSession(client, parser);
  }

  async check(sequence: EditSequence): Promise<void> {
    const uri = `file:///virtual/fuzz${++this.documents}.py`;
    const connection = this.client.connection;
    let text = sequence.initial.text;
    let version = 1;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
    for (const batch of sequence.batches) {
      const contentChanges: unknown[] = [];
      for (const generated of batch) {
        if (generated.full) {
          text = generated.text;
          contentChanges.push({ text });
          continue;
        }
        const start = characterBoundary(text, Math.floor(generated.at * text.length));
        const end = characterBoundary(text, Math.min(text.length, start + generated.length));
        contentChanges.push({ range: { start: positionAt(text, start), end: positionAt(text, end) }, text: generated.text });
        text = text.slice(0, start) + generated.text + text.slice(end);
      }
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges });
    }
    const published = await this.client.diagnosticsFor(uri, version);
    const held = await connection.sendRequest<{ text: string; version: number } | null>('gclens/_debugDocument', { uri });
    assert.ok(held, 'the server holds the document');
    assert.equal(held.version, version, 'the server is at the client\'s version');
    assert.equal(held.text, text, 'the server\'s text equals the client\'s');
    const tree = this.parser.parse(text);
    let expected: string[];
    try {
      expected = analyze({ text, tree, settings: DEFAULT_SETTINGS }).map((finding) => {
        const start = positionAt(text, finding.range.start);
        const end = positionAt(text, finding.range.end);
        return `${finding.code} ${start.line}:${start.character}-${end.line}:${end.character} ${finding.message}`;
      });
    } finally {
      tree.dispose();
    }
    const actual = published.map(describeDiagnostic).map((line) => line.replace(/ \[[^\]]*\]$/, ''));
    assert.deepEqual(actual.sort(), expected.sort(), 'diagnostics after incremental sync equal a fresh full analysis');
    await this.hover(uri, text, sequence.hovers);
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Opens a document and hovers it: every answer is a Hover inside the text or null, and the server keeps its text. */
  async checkHovers(input: HoverDocument): Promise<void> {
    const uri = `file:///virtual/hover${++this.documents}.py`;
    const connection = this.client.connection;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: input.document.text } });
    await this.hover(uri, input.document.text, input.hovers);
    const held = await connection.sendRequest<{ text: string } | null>('gclens/_debugDocument', { uri });
    assert.equal(held?.text, input.document.text, 'hovering leaves the document as it was');
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /**
   * Sends the probes' hovers all at once (as an editor does while the mouse moves); the first one starts the
   * document's simulation and the others wait for it. No error is documented for hover: any error fails.
   */
  private async hover(uri: string, text: string, probes: readonly HoverProbe[]): Promise<void> {
    const positions = probes.map((probe) => (probe.kind === 'inside' ? positionAt(text, characterBoundary(text, Math.floor(probe.at * text.length))) : { line: probe.line, character: probe.character }));
    const answers = await Promise.all(positions.map((position) => this.client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position })));
    answers.forEach((answer, i) => {
      const where = `hover at ${positions[i].line}:${positions[i].character}`;
      if (answer === null) return;
      assert.ok(typeof answer.contents === 'object' && 'kind' in answer.contents && answer.contents.kind === 'plaintext' && answer.contents.value.length > 0, `${where}: plain text contents`);
      const range = answer.range;
      assert.ok(range, `${where}: the hover names the identifier's range`);
      const startLength = lineLength(text, range.start.line);
      const endLength = lineLength(text, range.end.line);
      assert.ok(startLength !== undefined && endLength !== undefined && range.start.character <= startLength && range.end.character <= endLength, `${where}: range ${JSON.stringify(range)} inside the text`);
      assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character < range.end.character), `${where}: a non-empty range`);
      if (probes[i].kind === 'inside') {
        const after = (a: { line: number; character: number }, b: { line: number; character: number }): boolean => a.line > b.line || (a.line === b.line && a.character >= b.character);
        assert.ok(after(positions[i], range.start) && after(range.end, positions[i]), `${where}: the range ${JSON.stringify(range)} holds the position`);
      }
    });
    this.hovers += answers.length;
  }

  async dispose(): Promise<void> {
    await this.client.shutdown();
  }
}
