// Merges the three tools' findings per default site and sorts every disagreement into an explained category.
import type { DefaultSite } from './defaultSites';
import type { Collected, Tool, ToolFinding } from './collectFindings';

export const TOOLS: readonly Tool[] = ['gclens', 'ruff', 'pylint'];
export const TOOL_LABEL: Readonly<Record<Tool, string>> = { gclens: 'GCL001', ruff: 'Ruff B006', pylint: 'Pylint W0102' };

/** A default site at least one tool flagged. */
export interface FlaggedSite {
  readonly relative: string;
  readonly line: number;
  readonly column: number;
  readonly tools: ReadonlySet<Tool>;
  readonly site: DefaultSite | undefined;
  readonly sourceLine: string;
  readonly pylintMessage?: string;
}

export type CategoryId =
  | 'pylint-infers-existing-object'
  | 'pylint-cannot-parse'
  | 'pylint-crashed'
  | 'lambda-default'
  | 'constructor-beyond-ruff'
  | 'constructor-beyond-pylint'
  | 'pylint-misses-comprehension'
  | 'mutable-inside-expression'
  | 'suppressed-by-comment'
  | 'ruff-only'
  | 'pylint-only-call'
  | 'pylint-only-other'
  | 'gclens-misses'
  | 'other';

export interface Disagreement extends FlaggedSite {
  readonly category: CategoryId;
}

export function mergeFindings(collected: Collected, pylintFindings: readonly ToolFinding[]): FlaggedSite[] {
  const merged = new Map<string, { finding: ToolFinding; tools: Set<Tool>; pylintMessage?: string }>();
  for (const finding of [...collected.findings, ...pylintFindings]) {
    const key = `${finding.relative}:${finding.line}:${finding.column}`;
    const entry = merged.get(key) ?? { finding, tools: new Set<Tool>() };
    entry.tools.add(finding.tool);
    if (finding.tool === 'pylint') entry.pylintMessage = finding.message;
    merged.set(key, entry);
  }
  const sites: FlaggedSite[] = [];
  for (const { finding, tools, pylintMessage } of merged.values()) {
    const facts = collected.facts.get(finding.relative);
    sites.push({
      relative: finding.relative,
      line: finding.line,
      column: finding.column,
      tools,
      site: facts?.sites.get(`${finding.line}:${finding.column}`),
      sourceLine: (facts?.lines[finding.line - 1] ?? '').trim(),
      pylintMessage,
    });
  }
  return sites.sort((a, b) => a.relative.localeCompare(b.relative) || a.line - b.line || a.column - b.column);
}

const COMPREHENSION_KINDS = new Set(['list_comprehension', 'dictionary_comprehension', 'set_comprehension']);
const NESTING_KINDS = new Set(['tuple', 'parenthesized_expression', 'conditional_expression', 'boolean_operator']);

/** Why the tools disagree on one site; `pylintTrouble` maps files Pylint could not check to its reason. */
export function categorise(flagged: FlaggedSite, pylintTrouble: ReadonlyMap<string, string>): CategoryId {
  const { tools, site } = flagged;
  const has = (tool: Tool): boolean => tools.has(tool);
  if (/#\s*(noqa|pylint:\s*disable|gclens:\s*ignore)/i.test(flagged.sourceLine)) return 'suppressed-by-comment';
  if (has('pylint') && !has('gclens') && !has('ruff')) {
    if (site && (site.valueKind === 'identifier' || site.valueKind === 'attribute')) return 'pylint-infers-existing-object';
    return site?.valueKind === 'call' ? 'pylint-only-call' : 'pylint-only-other';
  }
  if (!has('pylint') && pylintTrouble.has(flagged.relative)) {
    return pylintTrouble.get(flagged.relative)?.startsWith('syntax-error') ? 'pylint-cannot-parse' : 'pylint-crashed';
  }
  if (has('gclens')) {
    if (site?.owner === 'lambda') return 'lambda-default';
    if (site && NESTING_KINDS.has(site.valueKind)) return 'mutable-inside-expression';
    if (site?.valueKind === 'call' && !has('ruff')) return 'constructor-beyond-ruff';
  }
  if (has('gclens') && has('ruff') && !has('pylint')) {
    if (site && COMPREHENSION_KINDS.has(site.valueKind)) return 'pylint-misses-comprehension';
    if (site?.valueKind === 'call') return 'constructor-beyond-pylint';
  }
  if (has('ruff') && !has('gclens')) return has('pylint') ? 'gclens-misses' : 'ruff-only';
  if (has('pylint') && !has('gclens')) return 'gclens-misses';
  return 'other';
}

export function disagreements(sites: readonly FlaggedSite[], pylintTrouble: ReadonlyMap<string, string>): Disagreement[] {
  return sites.filter((site) => site.tools.size < TOOLS.length).map((site) => ({ ...site, category: categorise(site, pylintTrouble) }));
}

/** Counts per combination of tools, in a fixed order (all three first, then pairs, then singles). */
export function overlaps(sites: readonly FlaggedSite[]): { tools: Tool[]; count: number }[] {
  const combinations: Tool[][] = [
    ['gclens', 'ruff', 'pylint'],
    ['gclens', 'ruff'],
    ['gclens', 'pylint'],
    ['ruff', 'pylint'],
    ['gclens'],
    ['ruff'],
    ['pylint'],
  ];
  return combinations.map((combination) => ({
    tools: combination,
    count: sites.filter((site) => site.tools.size === combination.length && combination.every((tool) => site.tools.has(tool))).length,
  }));
}
