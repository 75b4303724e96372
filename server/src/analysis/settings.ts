// Analysis settings: their shape, defaults, validation, and how editor settings override pyproject.toml.
import type { Severity } from './findingTypes';

export type RuleSeveritySetting = Severity | 'off';

/** A CPython version as [major, minor]; GC Lens targets 3.6 … 3.14. */
export interface PythonVersion {
  readonly major: 3;
  readonly minor: number;
}

export interface AnalysisSettings {
  /** Rule codes or code prefixes to run; empty means every rule. */
  readonly select: readonly string[];
  readonly ignore: readonly string[];
  readonly severity: Readonly<Record<string, RuleSeveritySetting>>;
  readonly targetVersion: PythonVersion;
  /** Qualified call names whose results are immutable (silence GCL001). */
  readonly immutableCalls: readonly string[];
  /** When GCL901/902 simulate the module (`auto` when unset: see `SimulationFindingsMode`). */
  readonly simulationFindings?: SimulationFindingsMode;
}

function matchesAnyPrefix(code: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => code.startsWith(pattern.toUpperCase()));
}

/** Whether the settings enable the rule `code`: selected (or nothing selected), not ignored, severity not `off`. */
export function ruleEnabled(code: string, settings: AnalysisSettings): boolean {
  if (settings.select.length > 0 && !matchesAnyPrefix(code, settings.select)) return false;
  return !matchesAnyPrefix(code, settings.ignore) && settings.severity[code] !== 'off';
}

/**
 * GCL901/902 need a simulation of the module's code. `auto`: in the editor, for files whose imports the simulator
 * models (others stop at the import or have side effects it cannot see); never in the CLI. `on`: every file, in
 * the editor and the CLI. `off`: never.
 */
export type SimulationFindingsMode = 'auto' | 'on' | 'off';
export const SIMULATION_FINDINGS_MODES: readonly SimulationFindingsMode[] = ['auto', 'on', 'off'];

export const DEFAULT_TARGET_VERSION: PythonVersion = { major: 3, minor: 12 };
export const MIN_TARGET_MINOR = 6;
export const MAX_TARGET_MINOR = 14;

export const DEFAULT_SETTINGS: AnalysisSettings = {
  select: [],
  ignore: [],
  severity: {},
  targetVersion: DEFAULT_TARGET_VERSION,
  immutableCalls: [],
};
