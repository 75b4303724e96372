// Edit → findings in-process: one-character edits, incremental reparse and re-analysis of the largest files.
import { analyzeDocument, type AnalysisSnapshot } from '../server/src/analysis/analyze';
import { analyzeAfterEdit } from '../server/src/analysis/analyzeEdit';
import { DEFAULT_SETTINGS } from '../server/src/analysis/settings';
import { IncrementalDocument } from '../server/src/syntax/incrementalDocument';
import type { PythonParser } from '../server/src/syntax/syntaxTypes';
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
  /** IncrementalDocument.applyEdits: tree.edit + parse(newText, oldTree) + the changed ranges. */
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
  // The server's own path: an IncrementalDocument edited and reparsed, then analyzeAfterEdit on its changes.
  const document = new IncrementalDocument(parser, original);
  const reparse: number[] = [];
  const findings: number[] = [];
  const full: number[] = [];
  try {
    let snapshot: AnalysisSnapshot = analyzeDocument({ text: document.text, tree: document.tree, settings });
    let inserted: number | undefined;
    for (let i = 0; i < edits; i++) {
      const start = inserted ?? nextSpot(document.text.length);
      const edit = inserted === undefined ? { start, oldEnd: start, newText: 'x' } : { start, oldEnd: start + 1, newText: '' };
      const started = nowMs();
      document.applyEdits([edit]);
      const parsed = nowMs();
      const change = document.takeChanges();
      if (change === undefined || change === 'replaced') throw new Error('an incremental edit left no accumulated change');
      const input = { text: document.text, tree: document.tree, parser, settings };
      snapshot = analyzeAfterEdit(snapshot, input, change.edit, change.changedRanges);
      const analysed = nowMs();
      analyzeDocument(input);
      const fullyAnalysed = nowMs();
      reparse.push(parsed - started);
      findings.push(analysed - started);
      full.push(fullyAnalysed - analysed);
      inserted = inserted === undefined ? start : undefined;
      await yieldToEventLoop();
    }
  } finally {
    document.dispose();
  }
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
