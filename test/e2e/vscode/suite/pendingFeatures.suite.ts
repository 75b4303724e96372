// In-editor: where the simulate command will be tested; today it asserts it is absent (the hover has hover.suite.ts).
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { revertActiveEditor } from './editor';

suite('GC Lens features still to come (assert today\'s behaviour; replace when they land)', () => {
  suiteTeardown(revertActiveEditor);

  test('simulate command: not contributed yet', async () => {
    const commands = (await vscode.commands.getCommands(true)).filter((command) => command.startsWith('gclens.'));
    assert.deepEqual(commands.sort(), ['gclens.fixAll', 'gclens.restartServer', 'gclens.showOutput']);
  });
});
