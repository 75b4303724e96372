// Checks one file: reads it safely (binary, huge, non-UTF-8, unreadable), analyses or fixes it, locates findings.
import * as fs from 'node:fs';
import { analyze } from '../analysis/analyze';
import { fixAll, fixEdits } from '../analysis/applyFixes';
import type { Finding, TextRange } from '../analysis/findingTypes';
import type { AnalysisSettings } from '../analysis/settings';
import { lineStarts } from '../analysis/textLines';
import type { PythonParser } from '../syntax/syntaxTypes';
import { BOM, readSourceSync } from '../workspace/sourceFile';
import type { FileOutcome, FileTask, FixMode, LocatedFinding, SourcePosition, SourceSpan } from './checkTypes';

/** Converts UTF-16 offsets of one text into 1-based line/column positions. */
export class PositionMapper {
  private readonly starts: number[];
  constructor(text: string) {
    this.starts = lineStarts(text);
  }
  position(offset: number): SourcePosition {
    // The last line start at or before `offset` (binary search: the first start after it, minus one).
    let after = this.starts.length;
    for (let low = 0; low < after;) {
      const mid = (low + after) >> 1;
      if (this.starts[mid] <= offset) low = mid + 1;
      else after = mid;
    }
    const line = after - 1;
    return { line: line + 1, column: offset - this.starts[line] + 1, offset };
  }
  span(range: TextRange): SourceSpan {
    return { start: this.position(range.start), end: this.position(range.end) };
  }
}

/** Analyses text and returns its findings located, each fix with its import edits resolved. */
export function locatedFindings(text: string, parser: PythonParser, settings: AnalysisSettings): LocatedFinding[] {
  const tree = parser.parse(text);
  try {
    const findings: Finding[] = analyze({ text, tree, parser, settings });
    if (findings.length === 0) return [];
    const mapper = new PositionMapper(text);
    return findings.map((finding) => ({
      code: finding.code,
      name: finding.name,
      message: finding.message,
      severity: finding.severity,
      lifetime: finding.lifetime,
      span: mapper.span(finding.range),
      related: finding.related.map((related) => ({ message: related.message, span: mapper.span(related.range) })),
      fixes: finding.fixes.map((fix) => ({
        title: fix.title,
        applicability: fix.applicability,
        edits: fixEdits(text, tree, fix).map((edit) => ({ span: mapper.span(edit.range), newText: edit.newText })),
      })),
    }));
  } finally {
    tree.dispose();
  }
}

/** Checks one file; with a fix mode, applies the fixes, writes the file back when it changed, then re-checks. */
export function checkFile(task: FileTask, parser: PythonParser, settings: AnalysisSettings, fixMode: FixMode): FileOutcome {
  const source = readSourceSync(task.absolutePath);
  const where = { displayPath: task.displayPath, absolutePath: task.absolutePath };
  if (source.kind === 'skipped') return { kind: 'skipped', ...where, reason: source.reason, message: source.message };
  let text = source.text;
  let fixesApplied = 0;
  if (fixMode !== 'none') {
    const result = fixAll(text, parser, settings, { safeOnly: fixMode === 'safe' });
    if (result.text !== text) {
      try {
        fs.writeFileSync(task.absolutePath, (source.hadBom ? BOM : '') + result.text, 'utf8');
        text = result.text;
        fixesApplied = result.applied.length;
      } catch (error) {
        return { kind: 'skipped', ...where, reason: 'unreadable', message: `cannot write the fixed file: ${(error as Error).message}` };
      }
    }
  }
  return { kind: 'checked', ...where, findings: locatedFindings(text, parser, settings), fixesApplied };
}
