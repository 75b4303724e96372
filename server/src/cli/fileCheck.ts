// Checks one file: reads it safely (binary, huge, non-UTF-8, unreadable), analyses or fixes it, locates findings.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, sortFindings } from '../analysis/analyze';
import { simulatedFindingsFor } from '../analysis/simulationFindings';
import { fixAll, fixEdits, type FixAllResult } from '../analysis/applyFixes';
import type { Finding, Fix, TextEdit, TextRange } from '../analysis/findingTypes';
import type { AnalysisSettings } from '../analysis/settings';
import { LineMap } from '../analysis/textLines';
import type { PythonParser, SyntaxTree } from '../syntax/syntaxTypes';
import { BOM, readSourceSync } from '../workspace/sourceFile';
import type { FileOutcome, FileTask, FixMode, LocatedFinding, SourcePosition, SourceSpan } from './checkTypes';

/** Converts UTF-16 offsets of one text into 1-based line/column positions. */
export class PositionMapper {
  private readonly lines: LineMap;
  constructor(text: string) {
    this.lines = new LineMap(text);
  }
  position(offset: number): SourcePosition {
    const { line, character } = this.lines.positionAt(offset);
    return { line: line + 1, column: character + 1, offset };
  }
  span(range: TextRange): SourceSpan {
    return { start: this.position(range.start), end: this.position(range.end) };
  }
}

/**
 * Locates findings of `text`, each fix with its import edits resolved. `treeOf` is asked for the text's tree
 * only when a fix requests imports (where they go depends on the module's statements).
 */
function locateFindings(text: string, findings: readonly Finding[], treeOf: () => SyntaxTree): LocatedFinding[] {
  if (findings.length === 0) return [];
  const mapper = new PositionMapper(text);
  const editsOf = (fix: Fix): readonly TextEdit[] => (fix.imports.length === 0 ? fix.edits : fixEdits(text, treeOf(), fix));
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
      edits: editsOf(fix).map((edit) => ({ span: mapper.span(edit.range), newText: edit.newText })),
    })),
  }));
}

/** The tree rules' findings plus GCL901/902 when the settings ask the CLI to simulate (see `simulatedFindingsFor`). */
function allFindings(text: string, tree: SyntaxTree, parser: PythonParser, settings: AnalysisSettings, fileName: string, ruleFindings: readonly Finding[]): Finding[] {
  const simulated = simulatedFindingsFor(text, tree.rootNode, parser, settings, fileName);
  return simulated.length === 0 ? [...ruleFindings] : sortFindings([...ruleFindings, ...simulated]);
}

/** Analyses text and returns its findings located. */
function analyzeAndLocate(text: string, parser: PythonParser, settings: AnalysisSettings, fileName: string): LocatedFinding[] {
  const tree = parser.parse(text);
  try {
    return locateFindings(text, allFindings(text, tree, parser, settings, fileName, analyze({ text, tree, settings })), () => tree);
  } finally {
    tree.dispose();
  }
}

/** Fixes text and returns fix-all's result with the findings it left located (fix-all already analysed the final text). */
function fixAndLocate(text: string, parser: PythonParser, settings: AnalysisSettings, safeOnly: boolean, fileName: string): { result: FixAllResult; findings: LocatedFinding[] } {
  const result = fixAll(text, parser, settings, { safeOnly });
  let tree: SyntaxTree | undefined;
  const treeOf = (): SyntaxTree => (tree ??= parser.parse(result.text));
  try {
    const remaining = settings.simulationFindings === 'on' ? allFindings(result.text, treeOf(), parser, settings, fileName, result.remaining) : result.remaining;
    return { result, findings: locateFindings(result.text, remaining, treeOf) };
  } finally {
    tree?.dispose();
  }
}

/** Checks one file; with a fix mode, applies the fixes and writes the file back when it changed, reporting what is left. */
export function checkFile(task: FileTask, parser: PythonParser, settings: AnalysisSettings, fixMode: FixMode): FileOutcome {
  const source = readSourceSync(task.absolutePath);
  const where = { displayPath: task.displayPath, absolutePath: task.absolutePath };
  if (source.kind === 'skipped') return { kind: 'skipped', ...where, reason: source.reason, message: source.message };
  if (fixMode === 'none') return { kind: 'checked', ...where, findings: analyzeAndLocate(source.text, parser, settings, path.basename(task.absolutePath)), fixesApplied: 0 };
  const { result, findings } = fixAndLocate(source.text, parser, settings, fixMode === 'safe', path.basename(task.absolutePath));
  if (result.text === source.text) return { kind: 'checked', ...where, findings, fixesApplied: 0 };
  try {
    fs.writeFileSync(task.absolutePath, (source.hadBom ? BOM : '') + result.text, 'utf8');
  } catch (error) {
    return { kind: 'skipped', ...where, reason: 'unreadable', message: `cannot write the fixed file: ${(error as Error).message}` };
  }
  return { kind: 'checked', ...where, findings, fixesApplied: result.applied.length };
}
