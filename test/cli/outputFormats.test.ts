// The json, github and sarif formats of the built `gclens check`; SARIF validated against the official schema.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type * as Sarif from 'sarif';
import { ONE_FINDING, makeTree, removeTree, runGclens, runJson } from './cliHarness';
import { ensureBuilt } from '../support/ensureBuilt';
import { multitoolProblems, schemaErrors } from './sarifValidation';

const ANNOTATED = 'from typing import List\n\n\ndef collect(item, seen: List[int] = []):\n    """Collect."""\n    seen.append(item)\n    return seen\n';

let root: string;
before(() => {
  ensureBuilt();
  root = makeTree({
    'pyproject.toml': '[tool.gclens]\ntarget-version = "3.9"\n',
    'pkg/one.py': ONE_FINDING,
    'pkg/annotated.py': ANNOTATED,
    'pkg/with space.py': ONE_FINDING,
    'clean.py': 'X = 1\n',
  });
});
after(() => removeTree(root));

function applyEdits(text: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

describe('json format', () => {
  it('lists every finding with 1-based positions, 0-based UTF-16 offsets, lifetime, severity and fixes', () => {
    const { run, findings } = runJson([], root);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(findings.map((f) => f.path), ['pkg/annotated.py', 'pkg/one.py', 'pkg/with space.py']);
    const one = findings[1];
    assert.equal(one.code, 'GCL001');
    assert.equal(one.name, 'mutable-default-argument');
    assert.equal(one.lifetime, 'shared-state');
    assert.equal(one.severity, 'warning');
    assert.deepEqual(one.location, { start: { line: 1, column: 28, offset: 27 }, end: { line: 1, column: 30, offset: 29 } });
    assert.equal(ONE_FINDING.slice(one.location.start.offset, one.location.end.offset), '[]');
    assert.ok(one.related.length > 0 && one.related.every((related) => related.message.length > 0));
    assert.equal(one.fixes[0].applicability, 'unsafe');
  });

  it('gives complete fix edits (imports included): applying them equals what --fix --unsafe-fixes writes', () => {
    const [finding] = runJson(['pkg/annotated.py'], root).findings;
    const edits = finding.fixes[0].edits.map((edit) => ({ start: edit.location.start.offset, end: edit.location.end.offset, newText: edit.newText }));
    const expected = applyEdits(ANNOTATED, edits);
    assert.match(expected, /from typing import .*Optional/);
    const copy = makeTree({ 'pyproject.toml': '[tool.gclens]\ntarget-version = "3.9"\n', 'annotated.py': ANNOTATED });
    try {
      assert.equal(runGclens(['check', '--fix', '--unsafe-fixes'], copy).status, 0);
      assert.equal(fs.readFileSync(path.join(copy, 'annotated.py'), 'utf8'), expected);
    } finally {
      removeTree(copy);
    }
  });

  it('prints an empty array when there is nothing to report', () => {
    const { run, findings } = runJson(['clean.py'], root);
    assert.equal(run.status, 0);
    assert.deepEqual(findings, []);
  });
});

describe('github format', () => {
  it('writes one workflow command per finding, escaping property values', () => {
    const tree = makeTree({ 'a,b.py': ONE_FINDING, 'sev/pyproject.toml': '[tool.gclens.severity]\nGCL001 = "error"\n', 'sev/e.py': ONE_FINDING, 'info/pyproject.toml': '[tool.gclens.severity]\nGCL001 = "information"\n', 'info/i.py': ONE_FINDING });
    try {
      const run = runGclens(['check', '--format', 'github'], tree);
      assert.equal(run.status, 1, run.stderr);
      const lines = run.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 3);
      assert.match(lines[0], /^::warning file=a%2Cb\.py,line=1,col=28,endLine=1,endColumn=30,title=GCL001 mutable-default-argument::Mutable default `\[\]` for `bucket`/);
      assert.match(lines[1], /^::notice file=info\/i\.py,line=1,col=28,/);
      assert.match(lines[2], /^::error file=sev\/e\.py,line=1,col=28,/);
    } finally {
      removeTree(tree);
    }
  });
});

describe('sarif format', () => {
  let log: Sarif.Log;
  before(() => {
    const run = runGclens(['check', '--format', 'sarif'], root);
    assert.equal(run.status, 1, run.stderr);
    log = JSON.parse(run.stdout) as Sarif.Log;
  });

  it('is valid SARIF 2.1.0 by the official schema', () => {
    assert.deepEqual(schemaErrors(log), []);
  });

  it('passes the SARIF Multitool\'s validation without errors or warnings', () => {
    assert.deepEqual(multitoolProblems(log), []);
  });

  it('fails both validators when broken (the checks can fail)', () => {
    const broken = JSON.parse(JSON.stringify(log)) as Sarif.Log;
    const region = broken.runs[0].results?.[0].locations?.[0].physicalLocation?.region;
    assert.ok(region);
    region.startLine = 0;
    assert.ok(schemaErrors(broken).some((error) => error.includes('/region/startLine')), 'schema accepted startLine 0');
    assert.ok(multitoolProblems(broken).length > 0, 'the Multitool accepted startLine 0');
  });

  it('describes the tool and every rule with help text from the rule docs', () => {
    const run = log.runs[0];
    assert.equal(log.version, '2.1.0');
    const driver = run.tool.driver;
    assert.equal(driver.name, 'GC Lens');
    assert.match(driver.version ?? '', /^\d+\.\d+\.\d+/);
    assert.match(driver.informationUri ?? '', /^https?:\/\//);
    const rule = driver.rules?.find((candidate) => candidate.id === 'GCL001');
    assert.ok(rule, 'GCL001 is in tool.driver.rules');
    assert.equal(rule.name, 'mutable-default-argument');
    assert.ok(rule.shortDescription?.text);
    assert.ok(rule.fullDescription?.text);
    assert.match(rule.help?.markdown ?? '', /## What it does[\s\S]*## Why is this bad\?[\s\S]*## Example/);
    assert.ok((rule.help?.text ?? '').length > 0);
    assert.equal(rule.defaultConfiguration?.level, 'warning');
    assert.equal(rule.properties?.lifetime, 'shared-state');
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.equal(run.originalUriBaseIds?.['%SRCROOT%']?.uri, pathToFileURL(`${fs.realpathSync(root)}/`).href);
  });

  it('gives each result its rule, level, location relative to %SRCROOT%, related locations and fixes', () => {
    const run = log.runs[0];
    const results = run.results ?? [];
    assert.equal(results.length, 3);
    const uris = results.map((result) => result.locations?.[0].physicalLocation?.artifactLocation?.uri);
    assert.deepEqual(uris, ['pkg/annotated.py', 'pkg/one.py', 'pkg/with%20space.py']);
    const one = results[1];
    assert.equal(one.ruleId, 'GCL001');
    assert.equal(run.tool.driver.rules?.[one.ruleIndex ?? -1]?.id, 'GCL001');
    assert.equal(one.level, 'warning');
    assert.equal(one.locations?.[0].physicalLocation?.artifactLocation?.uriBaseId, '%SRCROOT%');
    assert.deepEqual(one.locations?.[0].physicalLocation?.region, { startLine: 1, startColumn: 28, endLine: 1, endColumn: 30 });
    assert.ok((one.relatedLocations ?? []).length > 0);
    const fix = one.fixes?.[0];
    assert.ok(fix?.description?.text);
    const replacements = fix.artifactChanges[0].replacements;
    assert.ok(replacements.some((r) => r.insertedContent?.text === 'None' && r.deletedRegion.startColumn === 28));
    // The annotated one's fix adds an import: an insertion, i.e. an empty deleted region.
    const annotated = results[0].fixes?.[0].artifactChanges[0].replacements ?? [];
    assert.ok(annotated.some((r) => /Optional/.test(r.insertedContent?.text ?? '') && r.deletedRegion.startLine === r.deletedRegion.endLine && r.deletedRegion.startColumn === r.deletedRegion.endColumn));
  });

  it('writes the log to --output FILE', () => {
    const out = path.join(root, 'out', 'gclens.sarif');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const run = runGclens(['check', '--format', 'sarif', '--output', out, 'pkg'], root);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.deepEqual(schemaErrors(JSON.parse(fs.readFileSync(out, 'utf8'))), []);
  });
});
