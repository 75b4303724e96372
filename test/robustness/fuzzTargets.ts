// The robustness properties per layer: what must hold for any input (no throw, no hang, text kept, budgets held).
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analysis/analyze';
import { applyEdits, fixAll, fixEdits } from '../../server/src/analysis/applyFixes';
import type { TextEdit } from '../../server/src/analysis/findingTypes';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import { simulate } from '../../server/src/simulator/simulate';
import type { SimulationResult, TargetVersion } from '../../server/src/simulator/simulatorTypes';
import { syntaxEditFor } from '../../server/src/syntax/incrementalDocument';
import type { PythonParser, SyntaxNode } from '../../server/src/syntax/syntaxTypes';

/** The layers the robustness suites drive. */
export const FUZZ_TARGETS = ['parser', 'rules', 'fixes', 'simulator', 'server', 'hover', 'cli'] as const;
export type FuzzTarget = (typeof FUZZ_TARGETS)[number];

/** Small budgets so a generated endless loop ends fast; the budget suite checks the default ones. */
export const FUZZ_SIMULATION_BUDGETS = { maxSteps: 20_000, maxObjects: 50_000, maxMillis: 3_000 } as const;

/** Checks the parts of a tree every consumer relies on, without a JS walk of the whole tree. */
function checkTreeShape(text: string, root: SyntaxNode): void {
  // The module node starts at its first token (leading blank lines are outside it).
  assert.ok(root.startIndex >= 0 && root.startIndex <= root.endIndex, 'the module has an extent');
  assert.ok(root.endIndex <= text.length, `the module ends inside the text (${root.endIndex} > ${text.length})`);
  let previousEnd = root.startIndex;
  for (const child of root.children) {
    assert.ok(child.startIndex >= previousEnd && child.endIndex >= child.startIndex && child.endIndex <= text.length, `child ${child.type} in order and inside the text`);
    previousEnd = child.endIndex;
  }
}

/** The module's top-level outline: error flag, extent and each statement's kind and range. */
function outlineOf(root: SyntaxNode): string {
  return `${root.hasError} ${root.endIndex} ${root.children.map((c) => `${c.type}@${c.startIndex}-${c.endIndex}`).join(' ')}`;
}

/** Parser layer: both backends parse without throwing, agree on the tree's outline, and reparse an edit incrementally. */
export function checkParser(text: string, parsers: readonly PythonParser[]): void {
  const outlines: string[] = [];
  for (const parser of parsers) {
    const tree = parser.parse(text);
    try {
      checkTreeShape(text, tree.rootNode);
      outlines.push(outlineOf(tree.rootNode));
      // An edit in the middle, reparsed incrementally, must give the tree a fresh parse of the new text gives.
      const middle = Math.floor(text.length / 2);
      const { syntaxEdit, newText } = syntaxEditFor(text, { start: middle, oldEnd: Math.min(text.length, middle + 3), newText: '(\n' });
      tree.edit(syntaxEdit);
      const incremental = parser.parse(newText, tree);
      const fresh = parser.parse(newText);
      try {
        assert.equal(outlineOf(incremental.rootNode), outlineOf(fresh.rootNode), 'incremental reparse equals a fresh parse');
      } finally {
        incremental.dispose();
        fresh.dispose();
      }
    } finally {
      tree.dispose();
    }
  }
  for (const outline of outlines.slice(1)) assert.equal(outline, outlines[0], 'native and wasm trees agree');
}

/** Rules: every rule runs (a throwing rule fails: GCLENS_STRICT_RULES=1) and every finding's ranges lie inside the text. */
export function checkRules(text: string, parser: PythonParser): number {
  const tree = parser.parse(text);
  try {
    const findings = analyze({ text, tree, settings: DEFAULT_SETTINGS });
    for (const finding of findings) {
      assert.ok(finding.range.start >= 0 && finding.range.start <= finding.range.end && finding.range.end <= text.length, `${finding.code} range inside the text`);
      for (const related of finding.related) assert.ok(related.range.end <= text.length, `${finding.code} related range inside the text`);
    }
    return findings.length;
  } finally {
    tree.dispose();
  }
}

/** `edits` applied by hand: untouched text is copied between them (what "never touches text outside its edits" means). */
function spliceByHand(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  let result = '';
  let at = 0;
  for (const edit of sorted) {
    assert.ok(edit.range.start >= at, 'edits do not overlap');
    result += text.slice(at, edit.range.start) + edit.newText;
    at = edit.range.end;
  }
  return result + text.slice(at);
}

function splitsCharacter(text: string, offset: number): boolean {
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  return (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff) || (before === 13 && after === 10);
}

/** The text around the edits (a line's worth either side), for a readable failure. */
function around(text: string, edits: readonly TextEdit[]): string {
  const start = Math.min(...edits.map((e) => e.range.start));
  const end = Math.max(...edits.map((e) => e.range.end));
  return text.slice(Math.max(0, start - 120), end + 120);
}

function parsesCleanly(parser: PythonParser, text: string): boolean {
  const tree = parser.parse(text);
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.dispose();
  }
}

/**
 * Fixes: every fix of every finding edits only inside its ranges (never inside a surrogate pair or a CRLF), keeps
 * valid Python valid, and safe fix-all converges (and keeps valid Python valid). Returns the fixes checked.
 */
export function checkFixes(text: string, parser: PythonParser, maxFixes = 40): number {
  // Valid: tree-sitter parses it cleanly and no lone `\r` ends a line before the last: tree-sitter-python reads a lone
  // `\r` as a space where CPython ends the line, so on such text the two disagree on what is valid.
  const valid = parsesCleanly(parser, text) && !/\r(?!\n)[^]/.test(text);
  const tree = parser.parse(text);
  let checked = 0;
  try {
    const findings = analyze({ text, tree, settings: DEFAULT_SETTINGS });
    for (const finding of findings) {
      for (const fix of finding.fixes) {
        if (checked++ >= maxFixes) break;
        const edits = fixEdits(text, tree, fix);
        for (const edit of edits) {
          assert.ok(edit.range.start >= 0 && edit.range.start <= edit.range.end && edit.range.end <= text.length, `${finding.code} fix "${fix.title}": edit inside the text`);
          assert.ok(!splitsCharacter(text, edit.range.start) && !splitsCharacter(text, edit.range.end), `${finding.code} fix "${fix.title}": edit does not split a character or CRLF`);
        }
        const fixed = applyEdits(text, edits);
        assert.equal(fixed, spliceByHand(text, edits), `${finding.code} fix "${fix.title}": only the edited ranges change`);
        if (valid) assert.ok(parsesCleanly(parser, fixed), `${finding.code} fix "${fix.title}" turned valid Python invalid: edits ${JSON.stringify(edits)} on ${JSON.stringify(around(text, edits))}`);
      }
    }
  } finally {
    tree.dispose();
  }
  const all = fixAll(text, parser, DEFAULT_SETTINGS, { safeOnly: true });
  assert.ok(all.converged, 'safe fix-all converges within its rounds');
  if (valid) assert.ok(parsesCleanly(parser, all.text), `safe fix-all (${all.applied.map((a) => a.code).join(', ')}) turned valid Python invalid:\n${all.text.slice(0, 3000)}`);
  return checked;
}

const VERSIONS: readonly TargetVersion[] = ['3.6', '3.9', '3.12', '3.13', '3.14'];

/** Simulator: never throws, never ends in an internal error, and stops within its (small) budgets. */
export function checkSimulator(text: string, parser: PythonParser, versionIndex: number): SimulationResult {
  const result = simulate(text, parser, { targetVersion: VERSIONS[versionIndex % VERSIONS.length], fileName: 'fuzz.py', budgets: FUZZ_SIMULATION_BUDGETS });
  if (result.end.kind === 'unsupported') assert.doesNotMatch(result.end.construct, /internal simulator error/, 'no internal simulator error');
  assert.ok(result.summary.steps <= FUZZ_SIMULATION_BUDGETS.maxSteps + 1, 'the step budget holds');
  assert.ok(Number.isInteger(result.exitCode), 'an exit status');
  return result;
}
