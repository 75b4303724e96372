// GCL901/902: findings computed from a traced simulation of the module, merged by the LSP layer and the CLI.
import { SIMULATION_RULES } from '../rules/registry';
import type { RuleMeta } from '../rules/ruleTypes';
import { simulatedCyclicGarbage as CYCLIC_GARBAGE } from '../rules/simulatedCyclicGarbage';
import { simulatedUncollectable as UNCOLLECTABLE } from '../rules/simulatedUncollectable';
import { SIDE_EFFECT_FREE_MODULES } from '../simulator/modules/registry';
import type { GarbageGroup, LeakedObject, SimulationResult, TargetVersion } from '../simulator/simulatorTypes';
import { TARGET_VERSIONS } from '../simulator/simulatorTypes';
import { simulate } from '../simulator/simulate';
import type { PythonParser, SyntaxNode } from '../syntax/syntaxTypes';
import { ruleSeverity, sortFindings } from './analyze';
import type { Finding, RelatedLocation, Severity, TextRange } from './findingTypes';
import type { AnalysisSettings, PythonVersion } from './settings';
import { removeSuppressed } from './suppression';
import { lineStarts } from './textLines';

const MAX_LABELS = 4;

/** Where findings are wanted: the editor simulates in `auto` mode, the CLI only when told to (`on`). */
export type SimulationSurface = 'editor' | 'cli';

/** The simulator's target version for the analysis target (GC Lens targets 3.6–3.14; the simulator knows them all). */
export function simulatorTarget(version: PythonVersion): TargetVersion {
  const name = `${version.major}.${version.minor}`;
  return (TARGET_VERSIONS as readonly string[]).includes(name) ? (name as TargetVersion) : '3.12';
}

/** Every module the code imports is one the simulator models without side effects. */
export function importsAreModelled(root: SyntaxNode): boolean {
  for (const statement of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    const modules = statement.type === 'import_statement'
      ? statement.childrenForFieldName('name').map((name) => (name?.type === 'aliased_import' ? name.childForFieldName('name') : name))
      : [statement.childForFieldName('module_name')];
    for (const module of modules) {
      const top = module?.text.split('.')[0] ?? '';
      if (!SIDE_EFFECT_FREE_MODULES.has(top)) return false;
    }
  }
  return true;
}

/** Whether GCL901/902 should simulate this document: a rule enabled, and the mode (see `SimulationFindingsMode`). */
export function simulationFindingsWanted(root: SyntaxNode, settings: AnalysisSettings, surface: SimulationSurface): boolean {
  if (!SIMULATION_RULES.some((rule) => ruleSeverity(rule, settings))) return false;
  const mode = settings.simulationFindings ?? 'auto';
  switch (mode) {
    case 'off':
      return false;
    case 'on':
      return true;
    case 'auto':
      return surface === 'editor' && !root.hasError && importsAreModelled(root);
    default: {
      const never: never = mode;
      return never;
    }
  }
}

/** The range of a 1-based line's text, leading indentation left out. */
function lineRange(text: string, starts: readonly number[], line: number): TextRange {
  const start = starts[Math.min(Math.max(line, 1), starts.length) - 1];
  let end = start;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  let first = start;
  while (first < end && (text[first] === ' ' || text[first] === '\t')) first++;
  return { start: first, end };
}

function labels(objects: readonly string[]): string {
  return objects.length <= MAX_LABELS ? objects.join(', ') : `${objects.slice(0, MAX_LABELS).join(', ')} and ${objects.length - MAX_LABELS} more`;
}

function finding(rule: RuleMeta, severity: Severity, range: TextRange, message: string, related: RelatedLocation[]): Finding {
  return { code: rule.code, name: rule.name, lifetime: rule.lifetime, severity, range, message, related, fixes: [] };
}

/** Groups that repeat (a loop building one cycle per iteration) become one finding with a count. */
function repeatCount(count: number): string {
  return count > 1 ? ` (${count} times)` : '';
}

function cyclicGarbageFinding(group: GarbageGroup, count: number, severity: Severity, text: string, starts: readonly number[]): Finding {
  const unreachable = group.lastReferenceDroppedAt !== undefined ? `became unreachable at line ${group.lastReferenceDroppedAt}` : 'became unreachable';
  const until = group.atExit ? 'until the exit sequence collected them (no collection ran before)' : `until a collection at line ${group.collectedAt}`;
  const message = `Simulated: ${labels(group.objects)} ${unreachable} but stayed alive in a reference cycle ${until}${repeatCount(count)}`;
  const related: RelatedLocation[] = group.objects.slice(1, MAX_LABELS).map((label, i) => ({ range: lineRange(text, starts, group.allocatedAt[i + 1]), message: `${label} allocated here` }));
  if (group.lastReferenceDroppedAt !== undefined) related.push({ range: lineRange(text, starts, group.lastReferenceDroppedAt), message: 'last reference from outside the cycle dropped here' });
  if (!group.atExit) related.push({ range: lineRange(text, starts, group.collectedAt), message: 'freed by the cyclic collection here' });
  return finding(CYCLIC_GARBAGE, severity, lineRange(text, starts, group.allocatedAt[0]), message, related);
}

function uncollectableFinding(leak: LeakedObject, count: number, severity: Severity, text: string, starts: readonly number[]): Finding {
  const keeper = leak.keptBy ? `kept by ${leak.keptBy}` : 'not freed even by the exit sequence';
  const message = `Simulated: ${leak.object} stays alive until exit though the program no longer reaches it (${keeper})${repeatCount(count)}`;
  const related: RelatedLocation[] = leak.lastReferenceDroppedAt !== undefined
    ? [{ range: lineRange(text, starts, leak.lastReferenceDroppedAt), message: 'last reference the program held dropped here' }]
    : [];
  return finding(UNCOLLECTABLE, severity, lineRange(text, starts, leak.allocatedAt), message, related);
}

/** Counts items by a key, keeping the first of each (insertion order). */
function firstByKey<T>(items: readonly T[], key: (item: T) => string): { item: T; count: number }[] {
  const byKey = new Map<string, { item: T; count: number }>();
  for (const item of items) {
    const k = key(item);
    const entry = byKey.get(k);
    if (entry) entry.count++;
    else byKey.set(k, { item, count: 1 });
  }
  return [...byKey.values()];
}

/** GCL901/902 findings of a traced simulation (suppression comments applied; none for a syntax error). */
export function simulationFindings(result: SimulationResult, text: string, root: SyntaxNode, settings: AnalysisSettings): Finding[] {
  if (result.end.kind === 'syntax-error') return [];
  const starts = lineStarts(text);
  const findings: Finding[] = [];
  const cyclicSeverity = ruleSeverity(CYCLIC_GARBAGE, settings);
  if (cyclicSeverity) {
    const groups = firstByKey(result.summary.garbageGroups ?? [], (g) => `${g.allocatedAt.join(',')}|${g.lastReferenceDroppedAt}|${g.atExit === true}`);
    for (const { item, count } of groups) findings.push(cyclicGarbageFinding(item, count, cyclicSeverity, text, starts));
  }
  const leakSeverity = ruleSeverity(UNCOLLECTABLE, settings);
  if (leakSeverity && result.end.kind === 'completed') {
    const leaks = firstByKey(result.summary.leaks ?? [], (l) => `${l.allocatedAt}|${l.lastReferenceDroppedAt}`);
    for (const { item, count } of leaks) findings.push(uncollectableFinding(item, count, leakSeverity, text, starts));
  }
  return removeSuppressed(text, root, sortFindings(findings));
}

/**
 * The CLI's path: GCL901/902 for a file, simulated in-process when `simulationFindingsWanted` says so for the CLI
 * (only with `simulation.findings = "on"`, so `gclens check` costs nothing more by default).
 */
export function simulatedFindingsFor(text: string, root: SyntaxNode, parser: PythonParser, settings: AnalysisSettings, fileName: string): Finding[] {
  if (!simulationFindingsWanted(root, settings, 'cli')) return [];
  const result = simulate(text, parser, { targetVersion: simulatorTarget(settings.targetVersion), fileName, trace: true });
  return simulationFindings(result, text, root, settings);
}
