// In-editor: `# gclens: ignore[...]` and `# noqa: B006` comments hide findings; a comment naming another rule does not.
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import { diagnosticSummary, openPython, revertActiveEditor, waitForDiagnostics } from './editor';

suite('GC Lens suppression comments in the editor', () => {
  suiteTeardown(revertActiveEditor);

  test('suppressed lines have no diagnostics, the others keep theirs', async () => {
    const editor = await openPython('suppressed.py');
    const diagnostics = await waitForDiagnostics(editor.document.uri, (found) => found.length >= 2, 'the unsuppressed findings');
    // Lines 4 (gclens: ignore[GCL001]) and 8 (noqa: B006) are suppressed; 12 names GCL999 only; 16 has no comment.
    assert.deepEqual(diagnosticSummary(diagnostics), ['12:33 GCL001', '16:25 GCL001']);
  });

  test('typing a suppression comment removes the finding', async () => {
    const editor = await openPython('suppressed.py');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (found) => found.length === 2, 'two findings');
    const line = editor.document.lineAt(15);
    assert.equal(line.text, 'def reported(item, cart=[]):');
    assert.ok(await editor.edit((builder) => builder.insert(line.range.end, '  # gclens: ignore[GCL001]')));
    const remaining = await waitForDiagnostics(uri, (found) => found.length === 1, 'one finding left');
    assert.deepEqual(diagnosticSummary(remaining), ['12:33 GCL001']);
  });
});
