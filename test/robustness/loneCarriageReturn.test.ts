// Lone `\r` line ends (old Mac files, Neovim's fileformat=mac): every layer breaks lines there as CPython, VS Code and LSP do, and fixes keep them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { fixAll } from '../../server/src/analysis/applyFixes';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import { simulate } from '../../server/src/simulator/simulate';
import { IncrementalDocument } from '../../server/src/syntax/incrementalDocument';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { ensureBuilt, LspTestClient } from '../lsp/lspTestClient';
import { loadBothParsers } from './fuzzCampaign';

/** A module with findings whose fixes add lines (GCL001 twice, GCL305), a docstring across lines and a traceback at line 19. */
const LF_MODULE = [
  'import sys', 'import gc', '', 'class A:', '    def __init__(self, items=[]):', '        self.items = items', '        self.me = self', '',
  'def where():', '    frame = sys._getframe()', '    return frame.f_code.co_name', '', 'def f(x=[], y={}):', '    """doc', '    more"""',
  '    return x', '', 'A(); print(gc.collect())', 'raise ValueError(where())', '',
].join('\n');
const CR_MODULE = LF_MODULE.replace(/\n/g, '\r');

/** What CPython 3.12.1 prints for CR_MODULE written to cr.py and run as `python cr.py` (universal newlines: line 19). */
const CPYTHON_STDERR = 'Traceback (most recent call last):\n  File "cr.py", line 19, in <module>\n    raise ValueError(where())\nValueError: where\n';

/** GCL104 reads lines from the text before it looks at the tree (a rough pre-scan): it must break them at a lone `\r` too. */
const TEXT_SCANNING_RULE = 'GCL104';

function findingKeys(text: string, parser: PythonParser): string[] {
  const tree = parser.parse(text);
  try {
    return analyze({ text, tree, settings: DEFAULT_SETTINGS }).map((finding) => `${finding.code}@${finding.range.start}-${finding.range.end}`);
  } finally {
    tree.dispose();
  }
}

describe('lone carriage returns', () => {
  let parsers: { native: PythonParser; wasm: PythonParser };
  before(async () => {
    parsers = await loadBothParsers();
  });

  it('both parsers break rows at a lone \\r: the tree, its rows and the findings are those of the \\n file (same offsets, text-scanning rules included)', () => {
    for (const parser of [parsers.native, parsers.wasm]) {
      const lf = parser.parse(LF_MODULE);
      const cr = parser.parse(CR_MODULE);
      try {
        assert.equal(cr.rootNode.hasError, false, `${parser.backend}: no syntax error`);
        assert.equal(cr.rootNode.toString(), lf.rootNode.toString());
        const lastStatement = (root: typeof cr.rootNode): unknown => root.namedChildren[root.namedChildren.length - 1]?.startPosition;
        assert.deepEqual(lastStatement(cr.rootNode), { row: 18, column: 0 });
        assert.deepEqual(lastStatement(cr.rootNode), lastStatement(lf.rootNode));
      } finally {
        lf.dispose();
        cr.dispose();
      }
      const findings = findingKeys(CR_MODULE, parser);
      // GCL104's rough text scan (selfReferencingObjectRoughScan.ts) and the cycle candidates' line scans
      // (cycleCandidates.ts) read lines from the text: `self.me = self` is found in the \r file as in the \n file.
      const lfFindings = findingKeys(LF_MODULE, parser);
      assert.deepEqual(findings, lfFindings);
      assert.ok(findings.some((key) => key.startsWith(`${TEXT_SCANNING_RULE}@`)), `${parser.backend}: the text-scanning rule reports in the \\r file`);
      assert.ok(findings.length >= 4, `${parser.backend}: ${findings.join(', ')}`);
    }
  });

  it('fix-all on a \\r file adds only \\r line breaks and equals the \\n file\'s fixes', () => {
    for (const safeOnly of [true, false]) {
      const cr = fixAll(CR_MODULE, parsers.native, DEFAULT_SETTINGS, { safeOnly });
      const lf = fixAll(LF_MODULE, parsers.native, DEFAULT_SETTINGS, { safeOnly });
      assert.ok(cr.applied.length > 0 && cr.converged);
      assert.equal(cr.text.includes('\n'), false, 'no \\n enters a \\r file');
      assert.equal(cr.text, lf.text.replace(/\n/g, '\r'));
    }
  });

  it('the simulator numbers lines as CPython does (its traceback, recorded)', () => {
    const result = simulate(CR_MODULE, parsers.native, { targetVersion: '3.12', fileName: 'cr.py' });
    assert.deepEqual(result.output.map((chunk) => [chunk.stream, chunk.text]), [['stdout', '1\n'], ['stderr', CPYTHON_STDERR]]);
    assert.deepEqual(result.end, { kind: 'exception', exceptionType: 'ValueError', line: 19 });
  });

  it('incremental edits that turn a lone \\r into \\r\\n and back, or split a line with \\r, reparse to the fresh tree', () => {
    for (const parser of [parsers.native, parsers.wasm]) {
      const document = new IncrementalDocument(parser, CR_MODULE);
      try {
        const firstBreak = CR_MODULE.indexOf('\r');
        const edits = [
          { start: firstBreak + 1, oldEnd: firstBreak + 1, newText: '\n' }, // \r → \r\n
          { start: firstBreak + 1, oldEnd: firstBreak + 2, newText: '' }, // and back
          { start: 4, oldEnd: 4, newText: '\r' }, // `impo\rrt sys`: a syntax error, as in CPython
          { start: 4, oldEnd: 5, newText: '' },
          { start: CR_MODULE.length, oldEnd: CR_MODULE.length, newText: 'x = [\r1]\r\n' },
        ];
        for (const edit of edits) {
          document.applyEdits([edit]);
          const fresh = parser.parse(document.text);
          try {
            assert.equal(document.tree.rootNode.toString(), fresh.rootNode.toString(), `${parser.backend} after ${JSON.stringify(edit)}`);
            assert.deepEqual(document.tree.rootNode.endPosition, fresh.rootNode.endPosition);
          } finally {
            fresh.dispose();
          }
        }
      } finally {
        document.dispose();
      }
    }
  });
});

describe('lone carriage returns over stdio', () => {
  let client: LspTestClient;
  before(async () => {
    ensureBuilt();
    client = new LspTestClient();
    await client.initialize();
  });
  after(() => client.kill());

  it('diagnostics sit where the \\n file has them (LSP lines end at a lone \\r), and a quick fix keeps \\r line breaks', async () => {
    const lf = await client.open('file:///virtual/lf.py', LF_MODULE);
    const cr = await client.open('file:///virtual/cr.py', CR_MODULE);
    assert.deepEqual(cr.map((d) => [d.code, d.range]), lf.map((d) => [d.code, d.range]));
    assert.ok(cr.some((d) => d.code === TEXT_SCANNING_RULE));
    const mutableDefault = cr.find((d) => d.code === 'GCL001')!;
    const actions = await client.connection.sendRequest<{ title: string; edit?: { changes?: Record<string, { range: unknown; newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri: 'file:///virtual/cr.py' }, range: mutableDefault.range, context: { diagnostics: [mutableDefault] },
    });
    const fix = actions.find((action) => /None/.test(action.title));
    assert.ok(fix?.edit?.changes, `a None-default fix among ${actions.map((action) => action.title).join(' | ')}`);
    const newTexts = Object.values(fix.edit.changes).flat().map((edit) => edit.newText).join('');
    assert.match(newTexts, /\r/);
    assert.doesNotMatch(newTexts, /\n/);
  });
});
