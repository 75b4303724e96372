// Protocol test: the built server over stdio — initialize, open, incremental edits, diagnostics, close, shutdown/exit.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { applyTextEdits, ensureBuilt, LspTestClient, messageOf, textOf } from './lspTestClient';

const URI = 'file:///virtual/greet.py';

/** The source text of each diagnostic's range, in document order. */
function flagged(text: string, diagnostics: readonly Diagnostic[]): string[] {
  return [...diagnostics]
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map((diagnostic) => textOf(text, diagnostic.range));
}

describe('language server: document sync and diagnostics', () => {
  let client: LspTestClient;
  let text = 'def greet(name="héllo😀", seen=[]):\n    return seen\n';
  let version = 1;

  /** Sends one didChange with `changes` (each against the text left by the previous) and mirrors it locally. */
  async function change(changes: TextDocumentContentChangeEvent[]): Promise<Diagnostic[]> {
    for (const item of changes) text = 'range' in item ? applyTextEdits(text, [{ range: item.range, newText: item.text }]) : item.text;
    version++;
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: changes });
    return client.diagnosticsFor(URI, version);
  }

  before(async () => {
    ensureBuilt();
    client = new LspTestClient();
  });
  after(() => client.kill());

  it('initializes with incremental sync, code actions and the fix-all command', async () => {
    const result = await client.initialize();
    assert.equal(result.capabilities.positionEncoding, 'utf-16');
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.gclens'] });
    assert.deepEqual(result.capabilities.executeCommandProvider?.commands, ['gclens.fixAll', 'gclens.simulate']);
    assert.equal(result.serverInfo?.name, 'gclens');
  });

  it('publishes a complete GCL001 diagnostic when a document opens', async () => {
    const diagnostics = await client.open(URI, text, version);
    assert.equal(diagnostics.length, 1);
    const [diagnostic] = diagnostics;
    assert.equal(textOf(text, diagnostic.range), '[]');
    assert.deepEqual(diagnostic.range, { start: { line: 0, character: 31 }, end: { line: 0, character: 33 } });
    assert.equal(diagnostic.code, 'GCL001');
    assert.equal(diagnostic.source, 'gclens');
    assert.equal(diagnostic.severity, 2);
    assert.equal(diagnostic.codeDescription?.href, 'https://github.com/gclens/gclens/blob/main/docs/rules/GCL001.md');
    assert.match(messageOf(diagnostic), /`seen`.*shared by every call/);
    assert.match(messageOf(diagnostic), /shared-state/);
    assert.ok(diagnostic.relatedInformation && diagnostic.relatedInformation.length > 0, 'related locations are published');
    assert.equal(diagnostic.relatedInformation[0].location.uri, URI);
    assert.equal(textOf(text, diagnostic.relatedInformation[0].location.range), 'greet');
    assert.deepEqual(diagnostic.data, { code: 'GCL001', start: 31, end: 33 });
  });

  it('follows incremental edits that move, change, add and remove findings', async () => {
    let diagnostics = await change([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'import collections as c\r\n\r\n' }]);
    assert.deepEqual(flagged(text, diagnostics), ['[]']);
    assert.equal(diagnostics[0].range.start.line, 2);

    // Two changes in one notification: the second one's range is relative to the text after the first.
    diagnostics = await change([
      { range: { start: { line: 2, character: 31 }, end: { line: 2, character: 33 } }, text: 'c.OrderedDict()' },
      { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '\tdef inner(x={"ключ": 1}):\n\t\treturn x\n' },
    ]);
    assert.deepEqual(flagged(text, diagnostics), ['c.OrderedDict()', '{"ключ": 1}']);

    diagnostics = await change([{ range: { start: { line: 2, character: 31 }, end: { line: 2, character: 46 } }, text: 'None' }]);
    assert.deepEqual(flagged(text, diagnostics), ['{"ключ": 1}']);
  });

  it('keeps UTF-16 positions right while a parameter is typed after non-ASCII text', async () => {
    // Type ` b=[],` right after `name="héllo😀",` one character per notification.
    const anchor = { line: 2, character: 'def greet(name="héllo😀",'.length };
    let diagnostics: Diagnostic[] = [];
    for (const [index, char] of [...' b=[],'].entries()) {
      const at = { line: anchor.line, character: anchor.character + index };
      diagnostics = await change([{ range: { start: at, end: at }, text: char }]);
    }
    assert.ok(text.includes('def greet(name="héllo😀", b=[], seen=None):'), text);
    assert.deepEqual(flagged(text, diagnostics), ['[]', '{"ключ": 1}']);
    assert.equal(diagnostics.find((d) => d.range.start.line === 2)?.range.start.character, anchor.character + 3);
  });

  it('has the same text as the client: the ignore edit lands exactly at the end of the flagged line', async () => {
    const diagnostics = client.diagnostics.get(URI)!.diagnostics;
    const onGreet = diagnostics.find((d) => d.range.start.line === 2)!;
    const actions = await client.codeActions(URI, onGreet.range, [onGreet], ['quickfix']);
    const ignore = actions.find((action) => action.title === 'Ignore GCL001 on this line');
    assert.ok(ignore?.edit?.changes, 'an ignore action with an edit');
    const edited = applyTextEdits(text, ignore.edit.changes[URI]);
    assert.equal(edited.split(/\r\n|\n/)[2], 'def greet(name="héllo😀", b=[], seen=None):  # gclens: ignore[GCL001]');
  });

  it('accepts a full-text change in the middle of incremental ones', async () => {
    let diagnostics = await change([{ text: 'def f(a=[], *, b=set()):\n    pass\n' }]);
    assert.deepEqual(flagged(text, diagnostics), ['[]', 'set()']);
    diagnostics = await change([{ range: { start: { line: 0, character: 8 }, end: { line: 0, character: 10 } }, text: '()' }]);
    assert.deepEqual(flagged(text, diagnostics), ['set()']);
  });

  it('gives the same diagnostics after many edits as a fresh open of the same text', async () => {
    const edits: [number, number, number, number, string][] = [
      [0, 0, 0, 0, 'import collections as cc\n'],
      [3, 0, 3, 0, 'def added(q=cc.Counter(), r=[x for x in ()]):\n    pass\n'],
      [0, 7, 0, 18, 'typing'],
      [3, 12, 3, 24, '()'],
      [0, 0, 1, 0, ''],
    ];
    let diagnostics: Diagnostic[] = [];
    for (const [startLine, startCharacter, endLine, endCharacter, newText] of edits) {
      diagnostics = await change([{ range: { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } }, text: newText }]);
    }
    const fresh = await client.open('file:///virtual/fresh-copy.py', text);
    assert.deepEqual(diagnostics.map((d) => [d.range, messageOf(d)]), fresh.map((d) => [d.range, messageOf(d)]));
    assert.ok(diagnostics.length >= 2, flagged(text, diagnostics).join(' | '));
  });

  it('clears the diagnostics of a closed document', async () => {
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    await client.nextDiagnostics(URI, (diagnostics) => diagnostics.length === 0);
    const actions = await client.codeActions(URI, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []);
    assert.deepEqual(actions, [], 'a closed document has nothing left to act on');
  });

  it('analyses a reopened document and a document with syntax errors', async () => {
    const broken = 'def ok(x=[]):\n    return (\n\ndef later(y={}):\n    pass\n';
    const diagnostics = await client.open(URI, broken, 1);
    assert.ok(flagged(broken, diagnostics).includes('[]'), 'the valid part is still analysed');
  });

  it('shuts down and exits with code 0', async () => {
    await client.shutdown();
    assert.equal(client.exitCode, 0);
  });
});
