// In-editor: GC Lens is active in a Python workspace, and each example's diagnostics are the CLI's findings for it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { diagnosticSummary, EXTENSION_ID, openPython, revertActiveEditor, waitForDiagnostics, workspaceFolder } from './editor';

/** `gclens check --format json` output for one example, written into the workspace by the test entry. */
interface CliFinding {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

const SEVERITIES: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

suite('GC Lens diagnostics in the editor', () => {
  suiteTeardown(revertActiveEditor);

  test('the extension is active once a Python file of the workspace is open', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await openPython('quick_fix.py');
    const deadline = Date.now() + 30_000;
    while (!extension.isActive && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(extension.isActive, true);
  });

  const expectedDir = path.join(workspaceFolder().uri.fsPath, '.gclens-e2e', 'expected');
  const examples = fs.readdirSync(expectedDir).filter((name) => name.endsWith('.json')).sort();
  test('the examples are there to compare', () => assert.ok(examples.length >= 3, examples.join(', ')));

  for (const expectation of examples) {
    const example = expectation.replace(/\.json$/, '.py');
    test(`examples/${example}: the CLI's findings, as diagnostics`, async () => {
      const findings = JSON.parse(fs.readFileSync(path.join(expectedDir, expectation), 'utf8')) as CliFinding[];
      assert.ok(findings.length > 0, `the CLI finds something in ${example}`);
      const editor = await openPython(path.join('examples', example));
      const expected = findings.map((finding) => `${finding.location.start.line}:${finding.location.start.column} ${finding.code}`).sort();
      const diagnostics = await waitForDiagnostics(editor.document.uri, (found) => found.length >= findings.length, `${findings.length} diagnostics`);
      assert.deepEqual(diagnosticSummary(diagnostics), expected);
      for (const finding of findings) {
        const diagnostic = diagnostics.find((candidate) => candidate.range.start.line + 1 === finding.location.start.line
          && candidate.range.start.character + 1 === finding.location.start.column);
        assert.ok(diagnostic);
        assert.ok(diagnostic.message.startsWith(finding.message), `${diagnostic.message} starts with ${finding.message}`);
        assert.equal(diagnostic.severity, SEVERITIES[finding.severity]);
      }
    });
  }
});
