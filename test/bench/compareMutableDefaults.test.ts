// The GCL001/B006/W0102 comparison's plumbing on real files: positions normalised, Pylint's def-line reports mapped, categories.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectGclensAndRuff, normalisePylint, type Collected } from '../../bench/compare/collectFindings';
import type { PylintMessage } from '../../bench/compare/pylintW0102';
import { categorise, disagreements, mergeFindings, overlaps } from '../../bench/compare/threeWay';
import { listCorpus } from '../../bench/corpus';
import { loadPythonParser } from '../../server/src/syntax/loadParser';

const SOURCE = [
  'lookup = {}',
  'def grade(score, breakpoints=[60, 70], grades="FDCBA",',
  '          table=lookup, *, seen=set()):',
  '    return score',
  'conv = lambda x, l=[]: l',
  '',
].join('\n');

let dir = '';
let collected: Collected;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-compare-'));
  fs.writeFileSync(path.join(dir, 'probe.py'), SOURCE);
  const { parser } = await loadPythonParser('native');
  collected = await collectGclensAndRuff(listCorpus(dir), parser);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

const pylint = (line: number, message: string, symbol = 'dangerous-default-value'): PylintMessage => ({ relative: 'probe.py', line, column: 0, symbol, message });
const positions = (tool: string): string[] =>
  collected.findings.filter((finding) => finding.tool === tool).map((finding) => `${finding.line}:${finding.column}`);

describe('collecting GCL001 and Ruff B006', () => {
  it('puts both at the default value, 1-based line and 0-based column', () => {
    assert.deepEqual(positions('gclens'), ['2:29', '3:32', '5:19']);
    assert.deepEqual(positions('ruff'), ['2:29', '3:32']);
  });

  it('records every default of the file, keyed by the line of its def', () => {
    const facts = collected.facts.get('probe.py');
    assert.ok(facts);
    assert.deepEqual(facts.sitesByOwnerLine.get(2)?.map((site) => site.parameterName), ['breakpoints', 'grades', 'table', 'seen']);
    assert.equal(facts.sitesByOwnerLine.get(5)?.[0].parameterName, 'l');
  });
});

describe('normalising Pylint', () => {
  it('maps def-line messages to the default each one names', () => {
    const { findings } = normalisePylint(
      [pylint(2, 'Dangerous default value [] as argument'), pylint(2, 'Dangerous default value lookup (builtins.dict) as argument'), pylint(2, 'Dangerous default value set() (builtins.set) as argument')],
      collected.facts,
    );
    assert.deepEqual(findings.map((finding) => `${finding.line}:${finding.column}`), ['2:29', '3:16', '3:32']);
  });

  it('keeps files Pylint could not check apart, with the reason', () => {
    const { findings, unparsable } = normalisePylint([pylint(1, "Parsing failed: 'invalid syntax'", 'syntax-error')], collected.facts);
    assert.equal(findings.length, 0);
    assert.equal(unparsable.get('probe.py'), "syntax-error: Parsing failed: 'invalid syntax'");
  });
});

describe('merging and categorising', () => {
  it('counts overlaps and explains each disagreement', () => {
    const { findings } = normalisePylint(
      [pylint(2, 'Dangerous default value [] as argument'), pylint(2, 'Dangerous default value lookup (builtins.dict) as argument'), pylint(2, 'Dangerous default value set() (builtins.set) as argument')],
      collected.facts,
    );
    const sites = mergeFindings(collected, findings);
    const counts = Object.fromEntries(overlaps(sites).map((overlap) => [overlap.tools.join('+'), overlap.count]));
    assert.equal(counts['gclens+ruff+pylint'], 2);
    assert.equal(counts.gclens, 1);
    assert.equal(counts.pylint, 1);
    const explained = disagreements(sites, new Map()).map((item) => `${item.line}:${item.category}`);
    assert.deepEqual(explained, ['3:pylint-infers-existing-object', '5:lambda-default']);
  });

  it('blames a missing Pylint finding on the file Pylint could not parse', () => {
    const sites = mergeFindings(collected, []);
    const first = sites.find((site) => site.line === 2);
    assert.ok(first);
    assert.equal(categorise(first, new Map([['probe.py', 'syntax-error: …']])), 'pylint-cannot-parse');
    assert.equal(categorise(first, new Map([['probe.py', 'astroid-error: …']])), 'pylint-crashed');
  });
});
