// Edit → findings in-process: one-character edits, incremental reparse and re-analysis of the largest files.
import { analyze } from '../server/src/analysis/analyze';
import { DEFAULT_SETTINGS } from '../server/src/analysis/settings';
import { IncrementalDocument } from '../server/src/syntax/incrementalDocument';
import type { PythonParser } from '../server/src/syntax/syntaxTypes';
import { seededRandom } from '../test/support/seededRandom';
import { nowMs, percentile, yieldToEventLoop } from './measure';

export interface EditLatency {
  readonly file: string;
  readonly lines: number;
  readonly edits: number;
  /** tree.edit + parse(newText, oldTree). */
  readonly reparseP50Ms: number;
  readonly reparseP95Ms: number;
  /** The same plus analyze() over the new tree: edit → findings. */
  readonly findingsP50Ms: number;
  readonly findingsP95Ms: number;
}

/**
 * `edits` one-character edits at random offsets: odd ones insert "x", even ones delete it again, so the text
 * never drifts from the real file. Each is timed from the edit to the parsed tree and to the findings.
 */
export async function measureEditLatency(parser: PythonParser, file: string, text: string, lines: number, edits: number, seed = 1): Promise<EditLatency> {
  const random = seededRandom(seed);
  const document = new IncrementalDocument(parser, text);
  analyze({ text: document.text, tree: document.tree, parser, settings: DEFAULT_SETTINGS }); // warm the query cache
  const reparse: number[] = [];
  const findings: number[] = [];
  let inserted: number | undefined;
  for (let i = 0; i < edits; i++) {
    const edit =
      inserted === undefined
        ? { start: Math.floor(random() * (document.text.length + 1)), oldEnd: -1, newText: 'x' }
        : { start: inserted, oldEnd: inserted + 1, newText: '' };
    const started = nowMs();
    document.applyEdits([{ ...edit, oldEnd: edit.oldEnd === -1 ? edit.start : edit.oldEnd }]);
    const parsed = nowMs();
    analyze({ text: document.text, tree: document.tree, parser, settings: DEFAULT_SETTINGS });
    const analysed = nowMs();
    reparse.push(parsed - started);
    findings.push(analysed - started);
    inserted = inserted === undefined ? edit.start : undefined;
    await yieldToEventLoop();
  }
  document.dispose();
  return {
    file,
    lines,
    edits,
    reparseP50Ms: percentile(reparse, 0.5),
    reparseP95Ms: percentile(reparse, 0.95),
    findingsP50Ms: percentile(findings, 0.5),
    findingsP95Ms: percentile(findings, 0.95),
  };
}
