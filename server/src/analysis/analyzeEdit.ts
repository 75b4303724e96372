// Incremental analysis: after an edit, re-checks only the top-level statements it touched and shifts the rest.
import type { Rule } from '../rules/ruleTypes';
import { semanticModelFromAliases } from '../semantic/buildSemanticModel';
import { scopeBindings } from '../semantic/scopeBindings';
import { SEMANTIC_NODE_KINDS } from '../semantic/semanticModel';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import {
  analyzeDocument,
  Dispatch,
  dispatchNodes,
  enabledRules,
  importSeen,
  isImportNode,
  nodesOfKinds,
  sortFindings,
  type AnalysisInput,
  type AnalysisSnapshot,
  type ImportSeen,
} from './analyze';
import type { Finding, TextRange } from './findingTypes';
import { removeSuppressed } from './suppression';

/** One replacement, in UTF-16 offsets: old text [start, oldEnd) became new text [start, newEnd). */
export interface OffsetEdit {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/** Where an old offset is after the edit, or undefined if the edit replaced it. */
function mapOffset(offset: number, edit: OffsetEdit): number | undefined {
  if (offset <= edit.start) return offset;
  if (offset >= edit.oldEnd) return offset + (edit.newEnd - edit.oldEnd);
  return undefined;
}

function mapRange(range: TextRange, edit: OffsetEdit): TextRange | undefined {
  // A range that merely touches the edit is affected by it (typing at its end extends the token).
  if (range.start <= edit.oldEnd && edit.start <= range.end) return undefined;
  const start = mapOffset(range.start, edit);
  const end = mapOffset(range.end, edit);
  return start === undefined || end === undefined ? undefined : { start, end };
}

/** The finding at its new place, or undefined if any part of it was touched by the edit. */
function shiftFinding(finding: Finding, edit: OffsetEdit): Finding | undefined {
  const range = mapRange(finding.range, edit);
  if (!range) return undefined;
  const related = [];
  for (const location of finding.related) {
    const moved = mapRange(location.range, edit);
    if (!moved) return undefined;
    related.push({ ...location, range: moved });
  }
  const fixes = [];
  for (const fix of finding.fixes) {
    const edits = [];
    for (const textEdit of fix.edits) {
      const moved = mapRange(textEdit.range, edit);
      if (!moved) return undefined;
      edits.push({ ...textEdit, range: moved });
    }
    fixes.push({ ...fix, edits });
  }
  return { ...finding, range, related, fixes };
}

const overlaps = (a: TextRange, b: TextRange): boolean => a.start <= b.end && b.start <= a.end;

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((name) => b.has(name));
}

function sameImports(a: readonly ImportSeen[], b: readonly ImportSeen[]): boolean {
  const texts = (list: readonly ImportSeen[]): string => list.map((i) => i.text).sort().join('\n');
  return a.length === b.length && texts(a) === texts(b);
}

/**
 * Re-analyses after `edit` turned `previous.text` into `input.text` (and `changed` are the ranges whose syntax
 * the parser reports as changed). Falls back to a whole-document analysis when the result could differ
 * elsewhere: other settings or rules, an import or a module-level binding changed, or a module-wide rule runs
 * (those re-run over the whole tree while statement-local rules stay incremental).
 */
export function analyzeAfterEdit(
  previous: AnalysisSnapshot,
  input: AnalysisInput,
  edit: OffsetEdit,
  changed: readonly TextRange[],
): AnalysisSnapshot {
  const rules = input.rules ?? previous.rules;
  if (input.settings !== previous.settings || rules !== previous.rules) return analyzeDocument(input);
  const root = input.tree.rootNode;
  const touched: TextRange[] = [{ start: edit.start, end: edit.newEnd }, ...changed];
  const dirty: SyntaxNode[] = root.namedChildren.filter((statement) =>
    touched.some((range) => overlaps({ start: statement.startIndex, end: statement.endIndex }, range)));
  const dirtyRanges = dirty.map((statement) => ({ start: statement.startIndex, end: statement.endIndex }));
  const inDirty = (range: TextRange): boolean => dirtyRanges.some((d) => overlaps(d, range));

  const dispatch = new Dispatch(enabledRules(rules, input.settings));
  const isLocal = (rule: Rule): boolean => rule.locality === 'statement';
  const localKinds = new Dispatch(dispatch.rules.filter((entry) => isLocal(entry.rule))).kinds(SEMANTIC_NODE_KINDS);
  const dirtyNodes = dirty.flatMap((statement) => nodesOfKinds(statement, localKinds));

  // Imports outside the touched statements stay; those inside are read again. Any difference → full analysis.
  const keptImports: ImportSeen[] = [];
  for (const seen of previous.imports) {
    const moved = mapRange(seen.range, edit);
    if (moved && !inDirty(moved)) keptImports.push({ range: moved, text: seen.text });
  }
  const imports = [...keptImports, ...dirtyNodes.filter(isImportNode).map(importSeen)];
  if (!sameImports(imports, previous.imports)) return analyzeDocument(input);
  const moduleBindings = scopeBindings(root);
  if (!sameSet(moduleBindings, previous.moduleBindings)) return analyzeDocument(input);

  const semantic = semanticModelFromAliases(root, previous.aliases);
  const unsuppressed: Finding[] = [];
  for (const finding of previous.unsuppressed) {
    const rule = rules.find((r) => r.code === finding.code);
    if (!rule || !isLocal(rule)) continue; // module-wide rules are recomputed below
    const moved = shiftFinding(finding, edit);
    if (moved && !inDirty(moved.range)) unsuppressed.push(moved);
  }
  dispatchNodes(dirtyNodes, dispatch, isLocal, input.text, semantic, input.settings, unsuppressed);
  if (dispatch.rules.some((entry) => !isLocal(entry.rule))) {
    const moduleKinds = new Dispatch(dispatch.rules.filter((entry) => !isLocal(entry.rule))).kinds();
    dispatchNodes(nodesOfKinds(root, moduleKinds), dispatch, (rule) => !isLocal(rule), input.text, semantic, input.settings, unsuppressed);
  }
  sortFindings(unsuppressed);
  return {
    text: input.text,
    unsuppressed,
    findings: removeSuppressed(input.text, root, unsuppressed),
    imports,
    aliases: previous.aliases,
    moduleBindings,
    settings: input.settings,
    rules,
  };
}
