// DocumentAnalyzer on a real connection over in-memory streams: the disabled path and shutdown leave nothing behind.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConnection } from 'vscode-languageserver/node';
import { analyze } from '../../server/src/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import { DocumentAnalyzer } from '../../server/src/lsp/documentAnalyzer';
import { DocumentStore } from '../../server/src/lsp/documentStore';
import { SettingsService } from '../../server/src/lsp/settingsService';
import { loadPythonParser } from '../../server/src/syntax/loadParser';

const URI = 'file:///virtual/analyzer.py';
const TEXT = 'def f(x=[]):\n    return x\n';

/** An analyzer whose connection writes into a buffer, with the `gclens` section the test sets. */
async function analyzerSetup(section: Record<string, unknown>) {
  const { parser } = await loadPythonParser('native');
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const connection = createConnection(new PassThrough(), output);
  const settings = new SettingsService(
    { fetchEditorSection: async () => section, workspaceFolders: () => [], reportProblem: () => undefined },
    true,
  );
  const store = new DocumentStore();
  const analyzer = new DocumentAnalyzer(connection, store, settings, 1);
  const document = store.open(URI, 'python', 1, TEXT, parser);
  const published = (): number => written.split('textDocument/publishDiagnostics').length - 1;
  return { parser, settings, analyzer, document, published, section };
}

describe('DocumentAnalyzer', () => {
  it('takes the edits it does not analyse while disabled, and analyses afresh once enabled again', async () => {
    const { parser, settings, analyzer, document, section } = await analyzerSetup({ enable: false });
    assert.deepEqual((await analyzer.currentFindings(document)).findings, []);
    for (let version = 2; version < 50; version++) {
      const at = { line: 1, character: 12 };
      document.applyChanges([{ range: { start: at, end: at }, text: ` + ${version}` }], version);
      assert.deepEqual((await analyzer.currentFindings(document)).findings, []);
    }
    assert.equal(document.syntax.takeChanges(), undefined, 'the disabled analyzer took the accumulated changes');

    section.enable = true;
    settings.invalidate();
    await analyzer.reanalyseAll();
    const fresh = analyze({ text: document.text, tree: parser.parse(document.text), settings: DEFAULT_SETTINGS });
    assert.deepEqual((await analyzer.currentFindings(document)).findings, fresh);
    assert.equal(fresh.length, 1);
    assert.match(document.text, /return x \+ 49 \+ 48 .* \+ 2\n$/, 'the edits reached the text');
  });

  it('dispose cancels pending debounced analyses', async () => {
    const { analyzer, published } = await analyzerSetup({});
    analyzer.schedule(URI, 1);
    analyzer.dispose();
    await sleep(30); // timers fire in order of expiry: the 1 ms analysis would have run and published by now
    assert.equal(published(), 0);
    analyzer.schedule(URI, 1);
    await sleep(30);
    assert.equal(published(), 1, 'the same wait without dispose publishes');
  });
});
