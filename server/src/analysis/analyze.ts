// The engine: collects the node kinds rules want (in the parser's C code), dispatches them, and keeps a snapshot.
import { RULES } from '../rules/registry';
import { triggerMatches, type Rule, type RuleMeta } from '../rules/ruleTypes';
import { futureFeaturesOf, moduleImportAliases, semanticModelFromAliases } from '../semantic/buildSemanticModel';
import { scopeBindings } from '../semantic/scopeBindings';
import { SCOPE_DEFINITION_KINDS, SCOPE_INDEX, ScopeIndex } from '../semantic/scopeIndex';
import { memoizedFacts, SEMANTIC_NODE_KINDS, type SemanticModel } from '../semantic/semanticModel';
import type { SyntaxNode, SyntaxTree } from '../syntax/syntaxTypes';
import type { Finding, FindingDraft, Severity, TextRange } from './findingTypes';
import { ruleEnabled, type AnalysisSettings } from './settings';
import { removeSuppressed } from './suppression';

export interface AnalysisInput {
  readonly text: string;
  readonly tree: SyntaxTree;
  readonly settings: AnalysisSettings;
  /** The rules to run; defaults to the registry. Tests pass one rule to isolate it. */
  readonly rules?: readonly Rule[];
}

/** A rule the settings enable, with the severity it reports at. */
export interface EnabledRule {
  readonly rule: Rule;
  readonly severity: Severity;
}

/** An import statement seen in the document, kept as text so edits elsewhere can reuse the alias map. */
export interface ImportSeen {
  readonly range: TextRange;
  readonly text: string;
  /** At module level (its names are module-wide aliases), not inside a function or class body. */
  readonly moduleLevel: boolean;
}

/** Everything an analysis produced that the next, incremental one can start from. */
export interface AnalysisSnapshot {
  readonly text: string;
  /** Findings before suppression comments are applied (a comment edit changes only the filter). */
  readonly unsuppressed: readonly Finding[];
  readonly findings: readonly Finding[];
  readonly imports: readonly ImportSeen[];
  readonly aliases: ReadonlyMap<string, string>;
  readonly moduleBindings: ReadonlySet<string>;
  /**
   * Every name whose meaning the rules asked the semantic model for (the root of `a.b.c`): a changed import or
   * module-level binding of any other name cannot change a finding.
   */
  readonly queriedNames: ReadonlySet<string>;
  /** `from __future__` features: they change what the whole module means, so a change re-checks everything. */
  readonly futureFeatures: ReadonlySet<string>;
  /** The settings and rules it ran with: an incremental analysis needs the very same ones. */
  readonly settings: AnalysisSettings;
  readonly rules: readonly Rule[];
  /** The enabled rules whose text trigger this text matched (the ones that ran): an edit that changes them re-checks all. */
  readonly triggered: readonly Rule[];
}

/** The severity a rule reports at under these settings, or undefined when select/ignore/severity turn it off. */
export function ruleSeverity(rule: RuleMeta, settings: AnalysisSettings): Severity | undefined {
  if (!ruleEnabled(rule.code, settings)) return undefined;
  const configured = settings.severity[rule.code];
  return configured === undefined || configured === 'off' ? rule.defaultSeverity : configured;
}

/** The rules the settings enable, each with the severity it reports at. */
export function enabledRules(rules: readonly Rule[], settings: AnalysisSettings): EnabledRule[] {
  const enabled: EnabledRule[] = [];
  for (const rule of rules) {
    const severity = ruleSeverity(rule, settings);
    if (severity) enabled.push({ rule, severity });
  }
  return enabled;
}

/** The enabled rules this text can trigger: those without a `textTrigger`, and those whose trigger matches it. */
export function triggeredRules(rules: readonly EnabledRule[], text: string): EnabledRule[] {
  return rules.filter(({ rule }) => rule.textTrigger === undefined || triggerMatches(rule.textTrigger, text));
}

/** Which rules want which node kinds. */
export class Dispatch {
  readonly byKind = new Map<string, EnabledRule[]>();
  constructor(readonly rules: readonly EnabledRule[]) {
    for (const entry of rules) {
      for (const kind of entry.rule.nodeKinds) {
        const list = this.byKind.get(kind) ?? [];
        list.push(entry);
        this.byKind.set(kind, list);
      }
    }
  }
  kinds(extra: readonly string[] = []): string[] {
    return [...new Set([...this.byKind.keys(), ...extra])];
  }
}

/** `subtree` and its named descendants of the given kinds, in document order. */
export function nodesOfKinds(subtree: SyntaxNode, kinds: string[]): SyntaxNode[] {
  if (kinds.length === 0) return [];
  return subtree.descendantsOfType(kinds).filter((node) => node.isNamed);
}

/** Runs the interested rules on each node, appending findings to `sink`. */
export function dispatchNodes(
  nodes: readonly SyntaxNode[],
  dispatch: Dispatch,
  accept: (rule: Rule) => boolean,
  text: string,
  semantic: SemanticModel,
  settings: AnalysisSettings,
  sink: Finding[],
): void {
  for (const node of nodes) {
    const interested = dispatch.byKind.get(node.type);
    if (!interested) continue;
    for (const { rule, severity } of interested) {
      if (accept(rule)) runCheck(rule, severity, node, text, semantic, settings, sink);
    }
  }
}

function runCheck(rule: Rule, severity: Severity, node: SyntaxNode, text: string, semantic: SemanticModel, settings: AnalysisSettings, sink: Finding[]): void {
  const report = (draft: FindingDraft): void => {
    sink.push({
      code: rule.code,
      name: rule.name,
      lifetime: draft.lifetime ?? rule.lifetime,
      severity,
      range: draft.range,
      message: draft.message,
      related: draft.related ?? [],
      fixes: draft.fixes ?? [],
    });
  };
  try {
    rule.check(node, { text, semantic, settings, report });
  } catch (error) {
    // A rule bug must not take the other rules (or the server) down with it; tests make it loud.
    if (process.env.GCLENS_STRICT_RULES === '1') throw error;
  }
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.code.localeCompare(b.code));
}

const IMPORT_KINDS: ReadonlySet<string> = new Set(SEMANTIC_NODE_KINDS);

export function isImportNode(node: SyntaxNode): boolean {
  return IMPORT_KINDS.has(node.type);
}

const SCOPE_DEFINITIONS: ReadonlySet<string> = new Set(SCOPE_DEFINITION_KINDS);


export function importSeen(node: SyntaxNode, scopes: ScopeIndex): ImportSeen {
  return { range: { start: node.startIndex, end: node.endIndex }, text: node.text, moduleLevel: scopes.owningScope(node) === null };
}

interface FullAnalysis {
  readonly unsuppressed: Finding[];
  readonly findings: Finding[];
  readonly importNodes: SyntaxNode[];
  readonly scopes: ScopeIndex;
  readonly aliases: ReadonlyMap<string, string>;
  readonly queriedNames: Set<string>;
  readonly triggered: readonly Rule[];
}

/** The leftmost identifier of a name or attribute chain (`a` of `a.b.c`). */
function rootName(expression: SyntaxNode): string | undefined {
  let node: SyntaxNode | null = expression;
  while (node && node.type === 'attribute') node = node.childForFieldName('object');
  return node?.type === 'identifier' ? node.text : undefined;
}

/** The model, noting in `names` every name a rule asks it about. */
export function recordingQueries(model: SemanticModel, names: Set<string>): SemanticModel {
  // Facts are computed through the recording model, so names they resolve count as queried too.
  const recording: SemanticModel = {
    qualifiedName(expression: SyntaxNode): string | undefined {
      const name = rootName(expression);
      if (name !== undefined) names.add(name);
      return model.qualifiedName(expression);
    },
    get futureFeatures(): ReadonlySet<string> {
      return model.futureFeatures;
    },
    root: model.root,
    fact: memoizedFacts(() => recording, [[SCOPE_INDEX, model.fact(SCOPE_INDEX)]]),
  };
  return recording;
}

/** `moduleBindings` when the caller needs them anyway (the snapshot); else the model computes them if asked. */
function analyzeWholeTree(input: AnalysisInput, rules: readonly Rule[], moduleBindings?: ReadonlySet<string>): FullAnalysis {
  const dispatch = new Dispatch(triggeredRules(enabledRules(rules, input.settings), input.text));
  const root = input.tree.rootNode;
  // The scopes' definitions come in the same capture pass: the scope index then needs no search or walk of its own.
  const nodes = dispatch.rules.length > 0 ? nodesOfKinds(root, dispatch.kinds([...SEMANTIC_NODE_KINDS, ...SCOPE_DEFINITION_KINDS])) : [];
  // One pass sorts out the imports and the scopes' definitions (each `type` read crosses into the parser).
  const importNodes: SyntaxNode[] = [];
  const definitions: SyntaxNode[] = [];
  for (const node of nodes) {
    const type = node.type;
    if (IMPORT_KINDS.has(type)) importNodes.push(node);
    else if (SCOPE_DEFINITIONS.has(type)) definitions.push(node);
  }
  const scopes = new ScopeIndex(root, input.text, dispatch.rules.length > 0 ? definitions : undefined);
  const aliases = moduleImportAliases(importNodes, scopes);
  const queriedNames = new Set<string>();
  const semantic = recordingQueries(semanticModelFromAliases(root, aliases, { moduleBindings, text: input.text, scopes }), queriedNames);
  const unsuppressed: Finding[] = [];
  dispatchNodes(nodes, dispatch, () => true, input.text, semantic, input.settings, unsuppressed);
  sortFindings(unsuppressed);
  const triggered = dispatch.rules.map((entry) => entry.rule);
  return { unsuppressed, findings: removeSuppressed(input.text, root, unsuppressed), importNodes, scopes, aliases, queriedNames, triggered };
}

/**
 * Analyses the whole document and keeps what `analyzeAfterEdit` needs to re-check only what an edit touches
 * (the language server's path; one-shot callers use `analyze`, which skips that bookkeeping).
 */
export function analyzeDocument(input: AnalysisInput): AnalysisSnapshot {
  const rules = input.rules ?? RULES;
  const moduleBindings = scopeBindings(input.tree.rootNode);
  const full = analyzeWholeTree(input, rules, moduleBindings);
  return {
    text: input.text,
    unsuppressed: full.unsuppressed,
    findings: full.findings,
    imports: full.importNodes.map((node) => importSeen(node, full.scopes)),
    aliases: full.aliases,
    moduleBindings,
    futureFeatures: futureFeaturesOf(input.tree.rootNode),
    queriedNames: full.queriedNames,
    settings: input.settings,
    rules,
    triggered: full.triggered,
  };
}

/** The findings for a whole document (suppressed ones removed). */
export function analyze(input: AnalysisInput): Finding[] {
  return analyzeWholeTree(input, input.rules ?? RULES).findings;
}
