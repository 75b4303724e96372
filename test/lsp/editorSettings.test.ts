// The editor's `gclens` section as the server validates it: the simulation keys (hover, findings, maxSteps).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEditorSection } from '../../server/src/lsp/settingsService';

test('gclens.simulation: hover on by default, findings mode and a step budget, each validated by key', () => {
  const defaults = parseEditorSection({});
  assert.equal(defaults.simulationHover, true);
  assert.equal(defaults.simulationMaxSteps, undefined);
  assert.equal(defaults.analysis.simulationFindings, undefined);
  const set = parseEditorSection({ simulation: { hover: false, findings: 'on', maxSteps: 5000 } });
  assert.deepEqual([set.simulationHover, set.analysis.simulationFindings, set.simulationMaxSteps, set.problems], [false, 'on', 5000, []]);
  const bad = parseEditorSection({ simulation: { hover: 'yes', findings: 'always', maxSteps: -3 } });
  assert.deepEqual(bad.problems.map((p) => p.key).sort(), ['gclens.simulation.findings', 'gclens.simulation.hover', 'gclens.simulation.maxSteps']);
  assert.deepEqual([bad.simulationHover, bad.analysis.simulationFindings, bad.simulationMaxSteps], [true, undefined, undefined]);
  assert.equal(parseEditorSection({ simulation: 'on' }).problems[0].key, 'gclens.simulation');
});
