// Edit → findings in-process: one-character edits, incremental reparse and re-analysis of the largest files.
import { analyzeDocument, type AnalysisSnapshot } from '../server/src/analysis/analyze';
import { analyzeAfterEdit } from '../server/src/analysis/analyzeEdit';
import { DEFAULT_SETTINGS } from '../server/src/analysis/settings';
import { syntaxEditFor } from '../server/src/syntax/incrementalDocument';
import type { PythonParser, SyntaxTree } from '../server/src/syntax/syntaxTypes';
import { seededRandom } from '../test/support/seededRandom';
import { yieldToEventLoop } from '../server/src/workspace/eventLoop';
import { nowMs, percentile } from './measure';

/**
 * Where the one-character edits land. `random-offset`: anywhere (inside keywords, strings, indentation: a
 * worst case dominated by tree-sitter's error recovery). `typing`: at the end of an identifier, as when
 * someone types a name (the common keystroke while code is written).
 */
export type EditModel = 'random-offset' | 'typing';

export interface EditLatency {
  readonly model: EditModel;
  readonly file: string;
  readonly lines: number;
  readonly edits: number;
  /** tree.edit + parse(newText, oldTree). */
  readonly reparseP50Ms: number;
  readonly reparseP95Ms: number;
  /** The same plus analyzeAfterEdit (re-checks the touched statements): edit → findings, the goal's figure. */
  readonly findingsP50Ms: number;
  readonly findingsP95Ms: number;
  /** A whole-document analyzeDocument on the new tree, for comparison (not on the edit path). */
  readonly fullAnalysisP50Ms: number;
  readonly fullAnalysisP95Ms: number;
}

/** Offsets just after an identifier on a code line (not a comment line): where typing lands. */
function identifierEnds(text: string): number[] {
  const ends: number[] = [];
  for (const match of text.matchAll(/^[ \t]*[^#\s].*$/gm)) {
    for (const word of match[0].matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) ends.push((match.index ?? 0) + (word.index ?? 0) + word[0].length);
  }
  return ends;
}

/**
 * `edits` one-character edits placed by `model`: odd ones insert "x", even ones delete it again, so the text
 * never drifts from the real file. Each is timed from the edit to the parsed tree and to the findings.
 */
export async function measureEditLatency(parser: PythonParser, file: string, original: string, lines: number, edits: number, model: EditModel = 'random-offset', seed = 1): Promise<EditLatency> {
  const random = seededRandom(seed);
  const typingSpots = model === 'typing' ? identifierEnds(original) : [];
  const nextSpot = (length: number): number =>
    typingSpots.length > 0 ? typingSpots[Math.floor(random() * typingSpots.length)] : Math.floor(random() * (length + 1));
  const settings = DEFAULT_SETTINGS;
  let text = original;
  let tree: SyntaxTree = parser.parse(text);
  let snapshot: AnalysisSnapshot = analyzeDocument({ text, tree, parser, settings });
  const reparse: number[] = [];
  const findings: number[] = [];
  const full: number[] = [];
  let inserted: number | undefined;
  for (let i = 0; i < edits; i++) {
    const start = inserted ?? nextSpot(text.length);
    const edit = inserted === undefined ? { start, oldEnd: start, newText: 'x' } : { start, oldEnd: start + 1, newText: '' };
    const started = nowMs();
    const { syntaxEdit, newText } = syntaxEditFor(text, edit);
    tree.edit(syntaxEdit);
    const newTree = parser.parse(newText, tree);
    const parsed = nowMs();
    const changed = tree.changedRanges(newTree).map((range) => ({ start: range.startIndex, end: range.endIndex }));
    const input = { text: newText, tree: newTree, parser, settings };
    snapshot = analyzeAfterEdit(snapshot, input, { start, oldEnd: edit.oldEnd, newEnd: start + edit.newText.length }, changed);
    const analysed = nowMs();
    analyzeDocument(input);
    const fullyAnalysed = nowMs();
    reparse.push(parsed - started);
    findings.push(analysed - started);
    full.push(fullyAnalysed - analysed);
    tree.dispose();
    tree = newTree;
    text = newText;
    inserted = inserted === undefined ? start : undefined;
    await yieldToEventLoop();
  }
  tree.dispose();
  return {
    model,
    file,
    lines,
    edits,
    reparseP50Ms: percentile(reparse, 0.5),
    reparseP95Ms: percentile(reparse, 0.95),
    findingsP50Ms: percentile(findings, 0.5),
    findingsP95Ms: percentile(findings, 0.95),
    fullAnalysisP50Ms: percentile(full, 0.5),
    fullAnalysisP95Ms: percentile(full, 0.95),
  };
}
