// In-editor: a finding's quick fix is offered, and applying it (or the "ignore on this line" action) removes the finding.
import * as assert from 'node:assert/strict';
import { suite, teardown, test } from 'mocha';
import { applyAction, codeOf, openPython, quickFixesAt, revertActiveEditor, waitForDiagnostics } from './editor';

suite('GC Lens quick fixes in the editor', () => {
  teardown(revertActiveEditor);

  test('the sentinel fix is offered and applying it removes the finding', async () => {
    const editor = await openPython('quick_fix.py');
    const uri = editor.document.uri;
    const [diagnostic] = await waitForDiagnostics(uri, (found) => found.length === 1, 'the mutable default');
    assert.equal(codeOf(diagnostic), 'GCL001');
    assert.equal(editor.document.getText(diagnostic.range), '[]');
    const actions = await quickFixesAt(uri, diagnostic.range);
    const titles = actions.map((action) => action.title);
    const fix = actions.find((action) => /to None/.test(action.title));
    assert.ok(fix, `a None-sentinel fix among ${JSON.stringify(titles)}`);
    assert.ok(titles.includes('Ignore GCL001 on this line'), JSON.stringify(titles));
    await applyAction(fix);
    const text = editor.document.getText();
    assert.match(text, /def add_item\(item, cart=None\):/);
    assert.match(text, /if cart is None:\n\s+cart = \[\]/);
    await waitForDiagnostics(uri, (found) => found.length === 0, 'no findings after the fix');
  });

  test('"Ignore GCL001 on this line" adds a suppression comment and the finding goes', async () => {
    const editor = await openPython('quick_fix.py');
    const uri = editor.document.uri;
    const [diagnostic] = await waitForDiagnostics(uri, (found) => found.length === 1, 'the mutable default');
    const ignore = (await quickFixesAt(uri, diagnostic.range)).find((action) => action.title === 'Ignore GCL001 on this line');
    assert.ok(ignore);
    await applyAction(ignore);
    assert.match(editor.document.lineAt(diagnostic.range.start.line).text, /cart=\[\]\):\s+# gclens: ignore\[GCL001\]/);
    await waitForDiagnostics(uri, (found) => found.length === 0, 'no findings once suppressed');
  });
});
