// Runs every rule over its annotated fixtures on both parser backends, and checks fixes against .fixed.py files.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { fixAll } from '../../server/src/analysis/applyFixes';
import { EDITOR_KEYS, parseSettingsObject, resolveSettings } from '../../server/src/analysis/config';
import type { Finding, TextRange } from '../../server/src/analysis/findingTypes';
import type { AnalysisSettings } from '../../server/src/analysis/settings';
import { findRule } from '../../server/src/rules/registry';
import type { Rule } from '../../server/src/rules/ruleTypes';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser, SyntaxNode } from '../../server/src/syntax/syntaxTypes';
import { formatAsExpectation, messageMatches, readAnnotations, sameSpan, spanOf, type Expectation } from './fixtureExpectations';

const FIXTURE_ROOT = path.join(__dirname, '..', 'fixtures', 'rules');
/** Minimum annotated cases per rule folder (positive: expectations; negative: lines marked `# ok`). */
const MINIMUM_CASES: Readonly<Record<string, { positive: number; negative: number }>> = {
  GCL001: { positive: 25, negative: 25 },
  GCL101: { positive: 12, negative: 12 },
  GCL102: { positive: 12, negative: 12 },
  GCL103: { positive: 12, negative: 12 },
  GCL201: { positive: 12, negative: 12 },
  GCL104: { positive: 12, negative: 12 },
  GCL304: { positive: 12, negative: 12 },
  GCL305: { positive: 12, negative: 12 },
  GCL202: { positive: 12, negative: 12 },
  GCL301: { positive: 12, negative: 12 },
  GCL302: { positive: 12, negative: 12 },
  GCL303: { positive: 12, negative: 12 },
};
/**
 * Rules whose fixes may edit the whole class around the finding, not just the innermost def: a weak back edge
 * adds a property beside the method, WeakMethod rewrites call sites in other methods, and both may add
 * `'__weakref__'` to the class's `__slots__`; a weak container for an attribute made in `__init__` rewrites the
 * methods that fill it.
 */
const CLASS_WIDE_FIXES: ReadonlySet<string> = new Set(['GCL101', 'GCL102', 'GCL103', 'GCL302', 'GCL303']);

const parsers: { native?: PythonParser; wasm?: PythonParser } = {};
before(async () => {
  parsers.native = (await loadPythonParser('native')).parser;
  parsers.wasm = (await loadPythonParser('wasm')).parser;
});

function backends(): [PythonParser, PythonParser] {
  assert.ok(parsers.native && parsers.wasm, 'both parser backends load');
  return [parsers.native, parsers.wasm];
}

function fixtureSettings(raw: Record<string, unknown>): AnalysisSettings {
  const layer = parseSettingsObject(raw, 'fixture-settings', EDITOR_KEYS);
  assert.deepEqual(layer.problems, [], 'fixture-settings are valid');
  return resolveSettings([layer.settings]);
}

function runRule(text: string, parser: PythonParser, settings: AnalysisSettings, rule: Rule): Finding[] {
  const tree = parser.parse(text);
  try {
    return analyze({ text, tree, settings, rules: [rule] });
  } finally {
    tree.dispose();
  }
}

/** Pairs findings with expectations one to one; what is left on either side is a failure. */
function compareWithExpectations(text: string, findings: readonly Finding[], expectations: readonly Expectation[]): string[] {
  const open = [...expectations];
  const problems: string[] = [];
  for (const finding of findings) {
    const span = spanOf(text, finding);
    const index = open.findIndex((e) => e.code === finding.code && sameSpan(e.span, span) && messageMatches(e.message, finding.message));
    if (index >= 0) open.splice(index, 1);
    else problems.push(`unexpected finding  ${formatAsExpectation(text, finding)}`);
  }
  for (const missing of open) {
    const { line, startColumn, endLine, endColumn } = missing.span;
    problems.push(`missing finding (written on line ${missing.writtenAt}): ${missing.code} at ${line}:${startColumn}-${endLine}:${endColumn} ${JSON.stringify(missing.message.text)}`);
  }
  return problems;
}

/** The innermost def, lambda or class around a range (the innermost class for class-wide fixes): a fix must stay inside it (imports aside). */
function owningScope(root: SyntaxNode, range: TextRange, classWide: boolean): SyntaxNode {
  let owner = root;
  let node = root;
  for (;;) {
    const child = node.namedChildren.find((c) => c.startIndex <= range.start && range.end <= c.endIndex);
    if (!child) return owner;
    if (classWide ? child.type === 'class_definition' : child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'lambda') owner = child;
    node = child;
  }
}

function assertFixesStayInScope(text: string, parser: PythonParser, findings: readonly Finding[]): void {
  const tree = parser.parse(text);
  try {
    for (const finding of findings) {
      const scope = owningScope(tree.rootNode, finding.range, CLASS_WIDE_FIXES.has(finding.code));
      for (const fix of finding.fixes) {
        for (const edit of fix.edits) {
          assert.ok(
            scope.startIndex <= edit.range.start && edit.range.end <= scope.endIndex,
            `fix "${fix.title}" edits ${edit.range.start}-${edit.range.end}, outside its ${scope.type} (${scope.startIndex}-${scope.endIndex})`,
          );
        }
      }
    }
  } finally {
    tree.dispose();
  }
}

function fixtureFolders(): string[] {
  if (!fs.existsSync(FIXTURE_ROOT)) return [];
  return fs.readdirSync(FIXTURE_ROOT, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

for (const code of fixtureFolders()) {
  const folder = path.join(FIXTURE_ROOT, code);
  const files = fs.readdirSync(folder).filter((name) => name.endsWith('.py')).sort();
  const sources = files.filter((name) => !name.endsWith('.fixed.py'));

  describe(`${code} fixtures`, () => {
    test('the folder names a registered rule and has fixtures', () => {
      assert.ok(findRule(code), `${code} is in the registry`);
      assert.ok(sources.length > 0, `${folder} has at least one fixture`);
      for (const fixed of files.filter((name) => name.endsWith('.fixed.py'))) {
        assert.ok(sources.includes(fixed.replace(/\.fixed\.py$/, '.py')), `${fixed} has its source fixture`);
      }
    });

    test('enough positive and negative cases', () => {
      const minimum = MINIMUM_CASES[code];
      if (!minimum) return;
      let positive = 0;
      let negative = 0;
      for (const name of sources) {
        const text = fs.readFileSync(path.join(folder, name), 'utf8');
        positive += readAnnotations(text, backends()[0]).expectations.length;
        negative += (text.match(/#\s*ok\b/g) ?? []).length;
      }
      assert.ok(positive >= minimum.positive, `${positive} positive cases, want ${minimum.positive}`);
      assert.ok(negative >= minimum.negative, `${negative} negative cases, want ${minimum.negative}`);
    });

    for (const name of sources) {
      test(`${name}: findings match the annotations exactly, on both backends`, () => {
        const [native, wasm] = backends();
        const rule = findRule(code) as Rule;
        const text = fs.readFileSync(path.join(folder, name), 'utf8');
        const annotations = readAnnotations(text, native);
        assert.deepEqual(annotations.errors, [], 'annotations are well formed');
        const settings = fixtureSettings(annotations.settings);
        const findings = runRule(text, native, settings, rule);
        assert.deepEqual(runRule(text, wasm, settings, rule), findings, 'native and wasm backends give identical findings');
        const problems = compareWithExpectations(text, findings, annotations.expectations);
        assert.deepEqual(problems, [], `${name}:\n${problems.join('\n')}`);
        assertFixesStayInScope(text, native, findings);
      });

      test(`${name}: fix-all with safe fixes only applies no unsafe fix`, () => {
        const [native] = backends();
        const rule = findRule(code) as Rule;
        const text = fs.readFileSync(path.join(folder, name), 'utf8');
        const settings = fixtureSettings(readAnnotations(text, native).settings);
        const findings = runRule(text, native, settings, rule);
        const safeTitles = new Set(findings.flatMap((f) => f.fixes.filter((x) => x.applicability === 'safe').map((x) => x.title)));
        const result = fixAll(text, native, { ...settings, select: [code] }, { safeOnly: true, codes: [code] });
        for (const applied of result.applied) assert.ok(safeTitles.has(applied.title), `only safe fixes applied, got "${applied.title}"`);
        if (safeTitles.size === 0) assert.equal(result.text, text, 'no safe fix: the text is unchanged');
      });

      const fixedName = name.replace(/\.py$/, '.fixed.py');
      if (!files.includes(fixedName)) continue;
      test(`${name}: applying every fix gives ${fixedName}, parses, silences the rule and converges`, () => {
        const [native, wasm] = backends();
        const rule = findRule(code) as Rule;
        const text = fs.readFileSync(path.join(folder, name), 'utf8');
        const expected = fs.readFileSync(path.join(folder, fixedName), 'utf8');
        const settings = { ...fixtureSettings(readAnnotations(text, native).settings), select: [code] };
        const findingsBefore = runRule(text, native, settings, rule);
        assert.ok(findingsBefore.some((f) => f.fixes.length > 0), 'the fixture has something to fix');
        const fixed = fixAll(text, native, settings, { safeOnly: false, codes: [code] });
        assert.equal(fixAll(text, wasm, settings, { safeOnly: false, codes: [code] }).text, fixed.text, 'both backends fix alike');
        assert.equal(fixed.text, expected);
        assert.ok(fixed.converged, 'fix-all converged');
        const tree = native.parse(fixed.text);
        try {
          assert.equal(tree.rootNode.hasError, false, 'the fixed text parses without errors');
        } finally {
          tree.dispose();
        }
        const unfixable = findingsBefore.filter((f) => f.fixes.length === 0).map((f) => f.message);
        assert.deepEqual(runRule(fixed.text, native, settings, rule).map((f) => f.message), unfixable, 'only findings without a fix remain');
        const again = fixAll(fixed.text, native, settings, { safeOnly: false, codes: [code] });
        assert.equal(again.text, fixed.text, 'a second fix-all changes nothing');
        assert.deepEqual(again.applied, []);
      });
    }
  });
}
