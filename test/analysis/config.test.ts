// Configuration: pyproject `[tool.gclens]` and editor settings, with messages naming the key, and their layering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EDITOR_KEYS,
  parsePyproject,
  parseSettingsObject,
  parseTargetVersion,
  resolveSettings,
  targetFromRequiresPython,
} from '../../server/src/analysis/config';

test('target versions: "3.12", "py312", "3.12.1"; out of range or garbage is undefined', () => {
  assert.deepEqual(parseTargetVersion('3.12'), { major: 3, minor: 12 });
  assert.deepEqual(parseTargetVersion('py39'), { major: 3, minor: 9 });
  assert.deepEqual(parseTargetVersion(' 3.10.4 '), { major: 3, minor: 10 });
  for (const bad of ['3.5', '3.15', '2.7', 'three', '', '3']) assert.equal(parseTargetVersion(bad), undefined, bad);
});

test('requires-python gives the lowest allowed version', () => {
  assert.deepEqual(targetFromRequiresPython('>=3.9'), { major: 3, minor: 9 });
  assert.deepEqual(targetFromRequiresPython('>=3.8, <4'), { major: 3, minor: 8 });
  assert.deepEqual(targetFromRequiresPython('>3.10'), { major: 3, minor: 11 });
  assert.deepEqual(targetFromRequiresPython('~=3.11'), { major: 3, minor: 11 });
  assert.deepEqual(targetFromRequiresPython('>=3.2'), { major: 3, minor: 6 }, 'clamped to the supported range');
  assert.equal(targetFromRequiresPython('<4'), undefined);
});

test('a valid [tool.gclens] table', () => {
  const layer = parsePyproject([
    '[project]', 'requires-python = ">=3.8"', '',
    '[tool.gclens]', 'select = ["gcl0", "GCL101"]', 'ignore = ["GCL3"]', 'target-version = "3.11"',
    'immutable-calls = ["mylib.Frozen"]', 'exclude = ["build/"]', '', '[tool.gclens.severity]', 'GCL001 = "error"', 'gcl101 = "info"',
  ].join('\n'), 'pyproject.toml');
  assert.deepEqual(layer.problems, []);
  assert.deepEqual(layer.settings, {
    select: ['GCL0', 'GCL101'], ignore: ['GCL3'], targetVersion: { major: 3, minor: 11 }, immutableCalls: ['mylib.Frozen'],
    exclude: ['build/'], severity: { GCL001: 'error', GCL101: 'information' },
  });
});

test('requires-python is the target when target-version is not set', () => {
  const layer = parsePyproject('[project]\nrequires-python = ">=3.9"\n', 'p');
  assert.deepEqual(layer.settings.targetVersion, { major: 3, minor: 9 });
  assert.deepEqual(parsePyproject('[project]\nrequires-python = ">=3.9"\n[tool.gclens]\ntarget-version = "py313"\n', 'p').settings.targetVersion, { major: 3, minor: 13 });
});

test('invalid values get messages that name the key as written, and never throw', () => {
  const layer = parsePyproject([
    '[tool.gclens]', 'select = "GCL001"', 'ignore = [1, 2]', 'target-version = "3.99"', 'immutable-calls = true', 'colour = "blue"',
    '[tool.gclens.severity]', 'GCL001 = "loud"',
  ].join('\n'), '/proj/pyproject.toml');
  const byKey = new Map(layer.problems.map((p) => [p.key, p.message]));
  assert.match(byKey.get('tool.gclens.select') ?? '', /`tool.gclens.select` must be a list of strings/);
  assert.match(byKey.get('tool.gclens.ignore') ?? '', /`tool.gclens.ignore` must be a list of strings/);
  assert.match(byKey.get('tool.gclens.target-version') ?? '', /`tool.gclens.target-version` must be a Python version .*"3\.99"/);
  assert.match(byKey.get('tool.gclens.immutable-calls') ?? '', /list of strings/);
  assert.match(byKey.get('tool.gclens.colour') ?? '', /unknown setting `tool.gclens.colour`/);
  assert.match(byKey.get('tool.gclens.severity.GCL001') ?? '', /must be one of error, warning, information, hint, off \(got "loud"\)/);
  assert.ok(layer.problems.every((p) => p.source === '/proj/pyproject.toml'));
  assert.deepEqual(layer.settings.select, undefined, 'an invalid key is left out, not guessed');
});

test('broken TOML is a problem, not a crash', () => {
  const broken = parsePyproject('[tool.gclens\nselect = [', 'p');
  assert.equal(broken.problems.length, 1);
  assert.match(broken.problems[0].message, /invalid TOML/);
  assert.deepEqual(parsePyproject('[tool.gclens]\nseverity = 3\n', 'p').problems.map((p) => p.key), ['tool.gclens.severity']);
  assert.deepEqual(parsePyproject('tool = 5\n', 'p').problems, []);
});

test('editor settings are validated with the gclens.* names', () => {
  const layer = parseSettingsObject({ select: 'GCL001', targetVersion: 312, severity: { GCL001: 'warn' } }, 'editor', EDITOR_KEYS);
  assert.deepEqual(layer.problems.map((p) => p.key), ['gclens.rules.select', 'gclens.targetVersion']);
  assert.deepEqual(layer.settings.severity, { GCL001: 'warning' });
  assert.deepEqual(parseSettingsObject({ targetVersion: null, select: null }, 'editor', EDITOR_KEYS), { settings: {}, problems: [] });
});

test('layers merge key by key, later winning; severity maps merge per rule', () => {
  const merged = resolveSettings([
    { select: ['GCL0'], targetVersion: { major: 3, minor: 9 }, severity: { GCL001: 'error', GCL101: 'hint' }, exclude: ['a/'] },
    { select: ['GCL1'], severity: { GCL101: 'off' } },
  ]);
  assert.deepEqual(merged.select, ['GCL1']);
  assert.deepEqual(merged.targetVersion, { major: 3, minor: 9 });
  assert.deepEqual(merged.severity, { GCL001: 'error', GCL101: 'off' });
  assert.deepEqual(merged.exclude, ['a/']);
  assert.deepEqual(resolveSettings([]).targetVersion, { major: 3, minor: 12 }, 'default target 3.12');
});

test('simulation findings mode: [tool.gclens.simulation] findings and gclens.simulation.findings, validated', () => {
  const on = parsePyproject('[tool.gclens.simulation]\nfindings = "on"\n', 'pyproject.toml');
  assert.deepEqual(on.problems, []);
  assert.equal(on.settings.simulationFindings, 'on');
  assert.equal(parsePyproject('[tool.gclens]\nsimulation = { findings = false }\n', 'p').settings.simulationFindings, 'off');
  const bad = parsePyproject('[tool.gclens.simulation]\nfindings = "sometimes"\nspeed = 3\n', 'pyproject.toml');
  assert.equal(bad.settings.simulationFindings, undefined);
  assert.deepEqual(bad.problems.map((p) => p.key).sort(), ['tool.gclens.simulation.findings', 'tool.gclens.simulation.speed']);
  assert.match(bad.problems.find((p) => p.key === 'tool.gclens.simulation.findings')!.message, /must be one of auto, on, off \(got "sometimes"\)/);
  assert.equal(parsePyproject('[tool.gclens]\nsimulation = 1\n', 'p').problems[0].key, 'tool.gclens.simulation');
  const editor = parseSettingsObject({ simulationFindings: 'auto' }, 'editor settings', EDITOR_KEYS);
  assert.equal(editor.settings.simulationFindings, 'auto');
  assert.equal(resolveSettings([on.settings, {}]).simulationFindings, 'on');
  assert.equal(resolveSettings([on.settings, { simulationFindings: 'off' }]).simulationFindings, 'off', 'the editor layer wins');
  assert.equal(resolveSettings([{}]).simulationFindings, undefined, 'unset means auto');
});
