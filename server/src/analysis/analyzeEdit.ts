// Incremental analysis: after an edit, re-checks only the top-level statements it touched and shifts the rest.
import type { Rule, RuleLocality } from '../rules/ruleTypes';
import { futureFeaturesOf, moduleImportAliases, semanticModelFromAliases } from '../semantic/buildSemanticModel';
import { scopeBindings } from '../semantic/scopeBindings';
import { ScopeIndex } from '../semantic/scopeIndex';
import { SEMANTIC_NODE_KINDS } from '../semantic/semanticModel';
import type { OffsetChange } from '../syntax/incrementalDocument';
import { headerColon } from '../syntax/pythonShapes';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import {
  analyzeDocument,
  Dispatch,
  dispatchNodes,
  enabledRules,
  triggeredRules,
  importSeen,
  isImportNode,
  nodesOfKinds,
  recordingQueries,
  sortFindings,
  type AnalysisInput,
  type AnalysisSnapshot,
  type EnabledRule,
  type ImportSeen,
} from './analyze';
import type { Finding, TextRange } from './findingTypes';
import { removeSuppressed } from './suppression';
import { lineEndAt, lineStartAt } from './textLines';

/** From this size (UTF-16 code units) on, re-checking most of a document falls back to the whole-document pass. */
const LARGE_DOCUMENT = 64 * 1024;


/** Where an old offset is after the edit, or undefined if the edit replaced it. */
function mapOffset(offset: number, edit: OffsetChange): number | undefined {
  if (offset <= edit.start) return offset;
  if (offset >= edit.oldEnd) return offset + (edit.newEnd - edit.oldEnd);
  return undefined;
}

function mapRange(range: TextRange, edit: OffsetChange): TextRange | undefined {
  // A range that merely touches the edit is affected by it (typing at its end extends the token).
  if (range.start <= edit.oldEnd && edit.start <= range.end) return undefined;
  const start = mapOffset(range.start, edit);
  const end = mapOffset(range.end, edit);
  return start === undefined || end === undefined ? undefined : { start, end };
}

/** The finding at its new place, or undefined if any part of it was touched by the edit. */
function shiftFinding(finding: Finding, edit: OffsetChange): Finding | undefined {
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

function sameImports(a: readonly ImportSeen[], b: readonly ImportSeen[]): boolean {
  // Where an import stands matters as much as what it says: a broken class header can make its body's
  // imports module-level without changing their text.
  const texts = (list: readonly ImportSeen[]): string => list.map((i) => `${i.moduleLevel ? 'module' : 'local'} ${i.text}`).sort().join('\n');
  return a.length === b.length && texts(a) === texts(b);
}

function sameNames(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((name) => b.has(name));
}

/** Whether a name bound in one set but not the other was asked about by a rule. */
function bindingChangeMatters(before: ReadonlySet<string>, after: ReadonlySet<string>, queried: ReadonlySet<string>): boolean {
  for (const name of before) if (!after.has(name) && queried.has(name)) return true;
  for (const name of after) if (!before.has(name) && queried.has(name)) return true;
  return false;
}

/** Whether an alias that differs between the maps was asked about by a rule. */
function aliasChangeMatters(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, queried: ReadonlySet<string>): boolean {
  for (const [name, target] of before) if (after.get(name) !== target && queried.has(name)) return true;
  for (const name of after.keys()) if (!before.has(name) && queried.has(name)) return true;
  return false;
}

/** The import statement spanning exactly `range` in the new tree, found without walking it. */
function importNodeAt(root: SyntaxNode, range: TextRange): SyntaxNode | undefined {
  for (let node = root.descendantForIndex(range.start, range.end); node; node = node.parent) {
    if (isImportNode(node) && node.startIndex === range.start && node.endIndex === range.end) return node;
    if (node.startIndex < range.start || node.endIndex > range.end) return undefined;
  }
  return undefined;
}

/** Top-level statements a touched range overlaps (or touches). */
function touchedStatements(root: SyntaxNode, touched: readonly TextRange[]): SyntaxNode[] {
  return root.namedChildren.filter((statement) => touched.some((range) => overlaps(rangeOf(statement), range)));
}

const rangeOf = (node: SyntaxNode): TextRange => ({ start: node.startIndex, end: node.endIndex });

/**
 * The whole lines a range touches, line break included: what rules read around a node (its indentation, the
 * code before it on its line) changes with any edit on those lines, so units are chosen by lines.
 */
function wholeLines(text: string, range: TextRange): TextRange {
  const end = lineEndAt(text, range.end);
  return { start: lineStartAt(text, range.start), end: text.startsWith('\r\n', end) ? end + 2 : Math.min(end + 1, text.length) };
}

/**
 * The outermost function an edit of `range` cannot reach beyond: the range lies on lines after its header's colon
 * and within it, and nothing but a comment follows it on its last line. Outermost, because a function's findings
 * may depend on its whole subtree (GCL001 offers no fix in a function with a syntax error anywhere inside).
 */
function functionAround(root: SyntaxNode, text: string, range: TextRange): SyntaxNode | undefined {
  let outermost: SyntaxNode | undefined;
  for (let node = root.descendantForIndex(range.start, range.end); node; node = node.parent) {
    if (node.type !== 'function_definition') continue;
    const colon = headerColon(node);
    if (!colon) continue;
    const afterHeader = range.start > lineEndAt(text, colon.endIndex);
    const withinFunction = range.end <= node.endIndex;
    const lastLineRest = text.slice(node.endIndex, lineEndAt(text, node.endIndex));
    if (afterHeader && withinFunction && /^[ \t]*(#.*)?$/.test(lastLineRest)) outermost = node;
  }
  return outermost;
}

/**
 * What function-local rules re-check: per touched range, the outermost function that contains the edit, else the
 * top-level statements on its lines; units inside another unit are dropped.
 */
function functionUnits(root: SyntaxNode, text: string, touched: readonly TextRange[]): SyntaxNode[] {
  const units: SyntaxNode[] = [];
  for (const range of touched) {
    const inside = functionAround(root, text, range);
    units.push(...(inside ? [inside] : touchedStatements(root, [wholeLines(text, range)])));
  }
  return outermostOnly(units);
}

/** The units not inside another (of two with one range, the first): each region is checked once. */
function outermostOnly(units: readonly SyntaxNode[]): SyntaxNode[] {
  const sorted = [...units].sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
  const kept: SyntaxNode[] = [];
  for (const unit of sorted) {
    const last = kept[kept.length - 1];
    if (!last || unit.startIndex >= last.endIndex || unit.endIndex > last.endIndex) kept.push(unit);
  }
  return kept;
}

/**
 * Re-analyses after `edit` turned `previous.text` into `input.text` (and `changed` are the ranges whose syntax
 * the parser reports as changed). Rules re-check only the units their locality allows (the function whose body
 * was edited, or the touched top-level statements); module-wide rules re-run over the whole tree. Falls back to
 * a whole-document analysis when the result could differ elsewhere: other settings or rules, or a changed
 * import or module-level binding.
 */
export function analyzeAfterEdit(
  previous: AnalysisSnapshot,
  input: AnalysisInput,
  edit: OffsetChange,
  changed: readonly TextRange[],
): AnalysisSnapshot {
  const rules = input.rules ?? previous.rules;
  if (input.settings !== previous.settings || rules !== previous.rules) return analyzeDocument(input);
  const triggered = triggeredRules(enabledRules(rules, input.settings), input.text);
  // An edit that adds or removes a rule's trigger word changes which rules run at all: check the whole document.
  const before = previous.triggered;
  if (triggered.length !== before.length || triggered.some((entry, i) => entry.rule !== before[i])) return analyzeDocument(input);
  const dispatch = new Dispatch(triggered);
  const localityOf = (rule: Rule): RuleLocality => rule.locality ?? 'module';
  const withLocality = (locality: RuleLocality) => dispatch.rules.filter((entry) => localityOf(entry.rule) === locality);
  const statementRules = withLocality('statement');
  const functionRules = withLocality('function');
  if (statementRules.length === 0 && functionRules.length === 0) return analyzeDocument(input);

  const root = input.tree.rootNode;
  // `from __future__ import ...` changes what the whole module means (e.g. how annotations may be written).
  const futureFeatures = futureFeaturesOf(root);
  if (!sameNames(futureFeatures, previous.futureFeatures)) return analyzeDocument(input);
  const touched: TextRange[] = [{ start: edit.start, end: edit.newEnd }, ...changed];
  const touchedLines = touched.map((range) => wholeLines(input.text, range));
  const unitsOf: Record<RuleLocality, SyntaxNode[]> = {
    statement: statementRules.length > 0 ? touchedStatements(root, touchedLines) : [],
    function: functionRules.length > 0 ? functionUnits(root, input.text, touched) : [],
    module: [],
  };
  // In a large document whose units are most of it (one huge statement), the whole-document pass is cheaper.
  const span = (units: readonly SyntaxNode[]): number => units.reduce((sum, unit) => sum + unit.endIndex - unit.startIndex, 0);
  if (input.text.length >= LARGE_DOCUMENT && Math.max(span(unitsOf.statement), span(unitsOf.function)) > input.text.length / 2) {
    return analyzeDocument(input);
  }
  // Imports are re-read from the widest units walked; the rest of the previous ones stay where they were.
  const importLocality: RuleLocality = statementRules.length > 0 ? 'statement' : 'function';
  const nodesOf = (locality: 'statement' | 'function', entries: readonly EnabledRule[]): SyntaxNode[] => {
    const kinds = new Dispatch(entries).kinds(locality === importLocality ? SEMANTIC_NODE_KINDS : []);
    return unitsOf[locality].flatMap((unit) => nodesOfKinds(unit, kinds));
  };
  const statementNodes = nodesOf('statement', statementRules);
  const functionNodes = nodesOf('function', functionRules);
  // The touched lines count as re-checked too: under an ERROR root, stray tokens lie between the units.
  const inUnits = (locality: RuleLocality, range: TextRange): boolean =>
    unitsOf[locality].some((unit) => overlaps(rangeOf(unit), range)) || touchedLines.some((lines) => overlaps(lines, range));

  const scopes = new ScopeIndex(root, input.text);
  // Imports outside the units keep their place; their nodes are looked up in the new tree only when needed.
  const kept: { seen: ImportSeen; node?: SyntaxNode }[] = [];
  for (const seen of previous.imports) {
    const moved = mapRange(seen.range, edit);
    if (!moved || inUnits(importLocality, moved)) continue;
    if (changed.length === 0) {
      kept.push({ seen: { ...seen, range: moved } });
      continue;
    }
    // The syntax changed somewhere: an import outside the units may now stand in another scope (a broken
    // class header far above turns its body's imports module-level), so ask the new tree where it stands.
    const node = importNodeAt(root, moved);
    if (!node) return analyzeDocument(input);
    kept.push({ seen: importSeen(node, scopes), node });
  }
  const rereadNodes = (importLocality === 'statement' ? statementNodes : functionNodes).filter(isImportNode);
  const imports = [...kept.map((entry) => entry.seen), ...rereadNodes.map((node) => importSeen(node, scopes))];
  // A changed import or module-level binding re-checks everything only if a rule ever asked about that name.
  let aliases = previous.aliases;
  if (!sameImports(imports, previous.imports)) {
    const keptNodes = kept.map((entry) => entry.node ?? importNodeAt(root, entry.seen.range));
    if (keptNodes.some((node) => node === undefined)) return analyzeDocument(input);
    // In document order: of two imports binding one name, the later one wins, as when the module runs.
    aliases = moduleImportAliases([...(keptNodes as SyntaxNode[]), ...rereadNodes].sort((a, b) => a.startIndex - b.startIndex), scopes);
    if (aliasChangeMatters(previous.aliases, aliases, previous.queriedNames)) return analyzeDocument(input);
  }
  const moduleBindings = scopeBindings(root);
  if (bindingChangeMatters(previous.moduleBindings, moduleBindings, previous.queriedNames)) return analyzeDocument(input);

  const queriedNames = new Set(previous.queriedNames);
  const semantic = recordingQueries(semanticModelFromAliases(root, aliases, { moduleBindings, text: input.text, scopes }), queriedNames);
  const unsuppressed: Finding[] = [];
  for (const finding of previous.unsuppressed) {
    const rule = rules.find((r) => r.code === finding.code);
    const locality = rule ? localityOf(rule) : 'module';
    if (locality === 'module') continue; // module-wide rules are recomputed below
    const moved = shiftFinding(finding, edit);
    if (moved && !inUnits(locality, moved.range)) unsuppressed.push(moved);
  }
  const is = (locality: RuleLocality) => (rule: Rule): boolean => localityOf(rule) === locality;
  dispatchNodes(statementNodes, dispatch, is('statement'), input.text, semantic, input.settings, unsuppressed);
  dispatchNodes(functionNodes, dispatch, is('function'), input.text, semantic, input.settings, unsuppressed);
  const moduleRules = withLocality('module');
  if (moduleRules.length > 0) {
    dispatchNodes(nodesOfKinds(root, new Dispatch(moduleRules).kinds()), dispatch, is('module'), input.text, semantic, input.settings, unsuppressed);
  }
  sortFindings(unsuppressed);
  return {
    text: input.text,
    unsuppressed,
    findings: removeSuppressed(input.text, root, unsuppressed),
    imports,
    aliases,
    moduleBindings,
    futureFeatures,
    queriedNames,
    settings: input.settings,
    rules,
    triggered: previous.triggered,
  };
}
