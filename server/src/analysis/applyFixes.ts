// Turns fixes into text: import insertion, non-overlapping edit application, and fix-all to convergence.
import type { Rule } from '../rules/ruleTypes';
import { isDocstring, isImportStatement } from '../syntax/pythonShapes';
import type { PythonParser, SyntaxNode, SyntaxTree } from '../syntax/syntaxTypes';
import { analyze } from './analyze';
import type { Finding, Fix, ImportRequest, TextEdit } from './findingTypes';
import type { AnalysisSettings } from './settings';

/** Applies edits to text. Edits must not overlap; they are applied from the end so offsets stay valid. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start || b.range.end - a.range.end);
  let result = text;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.range.end > limit) throw new Error('GC Lens: overlapping edits');
    result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
    limit = edit.range.start;
  }
  return result;
}

function lineBreakOf(text: string): string {
  const match = /\r\n|\r|\n/.exec(text);
  return match ? match[0] : '\n';
}


function alreadyImported(root: SyntaxNode, request: ImportRequest): boolean {
  for (const statement of root.namedChildren) {
    if (request.kind === 'module' && statement.type === 'import_statement') {
      if (statement.childrenForFieldName('name').some((n) => n?.type === 'dotted_name' && n.text === request.module)) return true;
    }
    if (request.kind === 'name' && statement.type === 'import_from_statement') {
      if (statement.childForFieldName('module_name')?.text !== request.module) continue;
      if (statement.childrenForFieldName('name').some((n) => n?.type === 'dotted_name' && n.text === request.name)) return true;
    }
  }
  return false;
}

function importLine(request: ImportRequest): string {
  return request.kind === 'module' ? `import ${request.module}` : `from ${request.module} import ${request.name}`;
}

/** Edits that add the requested imports once each, after the module's leading docstring/imports block. */
export function importEdits(text: string, tree: SyntaxTree, requests: readonly ImportRequest[]): TextEdit[] {
  const root = tree.rootNode;
  const lines = [...new Set(requests.filter((r) => !alreadyImported(root, r)).map(importLine))];
  if (lines.length === 0) return [];
  const eol = lineBreakOf(text);
  let anchor: SyntaxNode | undefined;
  let seenImport = false;
  for (const statement of root.namedChildren) {
    if (statement.type === 'comment') continue;
    if (isImportStatement(statement)) {
      anchor = statement;
      seenImport = true;
    } else if (!seenImport && !anchor && isDocstring(statement)) {
      anchor = statement;
    } else break;
  }
  if (!anchor) {
    // Keep a shebang / encoding comment block on top.
    let offset = 0;
    while (/^#[^\n\r]*(\r\n|\r|\n)/.test(text.slice(offset)) && offset < text.length) {
      const match = /^#[^\n\r]*(\r\n|\r|\n)/.exec(text.slice(offset));
      if (!match) break;
      offset += match[0].length;
    }
    return [{ range: { start: offset, end: offset }, newText: lines.join(eol) + eol }];
  }
  const at = anchor.endIndex;
  return [{ range: { start: at, end: at }, newText: eol + lines.join(eol) }];
}

/** The fix's own edits plus the import edits it needs, ready for `applyEdits`. */
export function fixEdits(text: string, tree: SyntaxTree, fix: Fix): TextEdit[] {
  return [...fix.edits, ...importEdits(text, tree, fix.imports)];
}

function overlaps(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.some((x) => b.some((y) => x.range.start < y.range.end && y.range.start < x.range.end
    || (x.range.start === y.range.start && x.range.end === x.range.start && y.range.end === y.range.start)));
}

export interface FixAllResult {
  readonly text: string;
  /** Fixes applied, in order, over every round. */
  readonly applied: readonly { code: string; title: string }[];
  /** Findings left after the last round. */
  readonly remaining: readonly Finding[];
  /** Whether another round would have found nothing more to fix. */
  readonly converged: boolean;
}

export interface FixAllOptions {
  readonly safeOnly: boolean;
  readonly codes?: readonly string[];
  readonly maxRounds?: number;
  /** The rules to run; defaults to the registry (tests pass their own, as with `analyze`). */
  readonly rules?: readonly Rule[];
}

/** The stages of a fix-all round, each ended by a `yield` of `fixAllSteps` (where a caller may stop). */
export type FixAllStage = 'parsed' | 'analysed' | 'applied';

/**
 * Applies fixes round by round (non-overlapping ones together; imports merged per round), re-parsing and
 * re-analysing between rounds, until nothing fixable remains or `maxRounds` is reached.
 */
export function fixAll(text: string, parser: PythonParser, settings: AnalysisSettings, options: FixAllOptions): FixAllResult {
  const steps = fixAllSteps(text, parser, settings, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `fixAll` as a generator that yields after each parse, analysis and application, so a caller can turn the event loop
 * and stop between them (the language server's cancellable fix-all). `return()` on it disposes the tree it holds.
 */
export function* fixAllSteps(text: string, parser: PythonParser, settings: AnalysisSettings, options: FixAllOptions): Generator<FixAllStage, FixAllResult, void> {
  const applied: { code: string; title: string }[] = [];
  const maxRounds = options.maxRounds ?? 10;
  let current = text;
  for (let round = 0; round < maxRounds; round++) {
    const tree = parser.parse(current);
    try {
      yield 'parsed';
      const findings = analyze({ text: current, tree, settings, rules: options.rules });
      yield 'analysed';
      const chosen: TextEdit[] = [];
      const imports: ImportRequest[] = [];
      for (const finding of findings) {
        if (options.codes && !options.codes.includes(finding.code)) continue;
        const fix = finding.fixes.find((f) => !options.safeOnly || f.applicability === 'safe');
        if (!fix || overlaps(chosen, fix.edits)) continue;
        chosen.push(...fix.edits);
        imports.push(...fix.imports);
        applied.push({ code: finding.code, title: fix.title });
      }
      if (chosen.length === 0) return { text: current, applied, remaining: findings, converged: true };
      current = applyEdits(current, [...chosen, ...importEdits(current, tree, imports)]);
    } finally {
      tree.dispose();
    }
    yield 'applied';
  }
  const tree = parser.parse(current);
  try {
    yield 'parsed';
    const remaining = analyze({ text: current, tree, settings, rules: options.rules });
    const fixable = remaining.some((f) => f.fixes.some((fix) => !options.safeOnly || fix.applicability === 'safe'));
    return { text: current, applied, remaining, converged: !fixable };
  } finally {
    tree.dispose();
  }
}
