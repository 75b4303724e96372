// The engine: one capture pass over a tree (matched in tree-sitter's C code), dispatched to rules by node kind.
import { RULES } from '../rules/registry';
import type { Rule } from '../rules/ruleTypes';
import { buildSemanticModel } from '../semantic/buildSemanticModel';
import { SEMANTIC_NODE_KINDS } from '../semantic/semanticModel';
import type { PythonParser, SyntaxNode, SyntaxQuery, SyntaxTree } from '../syntax/syntaxTypes';
import type { Finding, FindingDraft, Severity } from './findingTypes';
import type { AnalysisSettings } from './settings';
import { removeSuppressed } from './suppression';

export interface AnalysisInput {
  readonly text: string;
  readonly tree: SyntaxTree;
  readonly parser: PythonParser;
  readonly settings: AnalysisSettings;
  /** The rules to run; defaults to the registry. Tests pass one rule to isolate it. */
  readonly rules?: readonly Rule[];
}

function matchesAny(code: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => code.startsWith(pattern.toUpperCase()));
}

/** The rules the settings enable, each with the severity it reports at. */
export function enabledRules(rules: readonly Rule[], settings: AnalysisSettings): { rule: Rule; severity: Severity }[] {
  const enabled: { rule: Rule; severity: Severity }[] = [];
  for (const rule of rules) {
    if (settings.select.length > 0 && !matchesAny(rule.code, settings.select)) continue;
    if (matchesAny(rule.code, settings.ignore)) continue;
    const configured = settings.severity[rule.code];
    if (configured === 'off') continue;
    enabled.push({ rule, severity: configured ?? rule.defaultSeverity });
  }
  return enabled;
}

interface DispatchPlan {
  readonly query: SyntaxQuery;
  readonly kinds: ReadonlySet<string>;
}

/** One compiled query per parser and set of node kinds: compiling is far costlier than matching. */
const planCache = new WeakMap<PythonParser, Map<string, DispatchPlan>>();

function dispatchPlan(parser: PythonParser, kinds: ReadonlySet<string>): DispatchPlan {
  const key = [...kinds].sort().join(' ');
  let perParser = planCache.get(parser);
  if (!perParser) planCache.set(parser, (perParser = new Map()));
  let plan = perParser.get(key);
  if (!plan) {
    const source = `[${[...kinds].sort().map((kind) => `(${kind})`).join(' ')}] @node`;
    plan = { query: parser.query(source), kinds };
    perParser.set(key, plan);
  }
  return plan;
}

export function analyze(input: AnalysisInput): Finding[] {
  const rules = enabledRules(input.rules ?? RULES, input.settings);
  if (rules.length === 0) return [];
  const byKind = new Map<string, { rule: Rule; severity: Severity }[]>();
  for (const entry of rules) {
    for (const kind of entry.rule.nodeKinds) {
      const list = byKind.get(kind) ?? [];
      list.push(entry);
      byKind.set(kind, list);
    }
  }
  const kinds = new Set<string>([...byKind.keys(), ...SEMANTIC_NODE_KINDS]);
  const root = input.tree.rootNode;
  const captured = dispatchPlan(input.parser, kinds).query.captures(root).map((capture) => capture.node);
  const semanticKinds: ReadonlySet<string> = new Set(SEMANTIC_NODE_KINDS);
  const semantic = buildSemanticModel(root, captured.filter((node) => semanticKinds.has(node.type)));

  const findings: Finding[] = [];
  for (const node of captured) {
    const interested = byKind.get(node.type);
    if (!interested) continue;
    for (const { rule, severity } of interested) runCheck(rule, severity, node, input, semantic, findings);
  }
  findings.sort((a, b) => a.range.start - b.range.start || a.code.localeCompare(b.code));
  return removeSuppressed(input.text, findings);
}

function runCheck(
  rule: Rule,
  severity: Severity,
  node: SyntaxNode,
  input: AnalysisInput,
  semantic: ReturnType<typeof buildSemanticModel>,
  sink: Finding[],
): void {
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
    rule.check(node, { text: input.text, semantic, settings: input.settings, report });
  } catch (error) {
    // A rule bug must not take the other rules (or the server) down with it; surface it loudly in tests.
    if (process.env.GCLENS_STRICT_RULES === '1') throw error;
  }
}
