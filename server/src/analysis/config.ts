// Configuration: `[tool.gclens]` text and editor settings, validated into AnalysisSettings (reading files is workspace/'s job).
import { parse as parseToml } from 'smol-toml';
import {
  DEFAULT_SETTINGS,
  DEFAULT_TARGET_VERSION,
  MAX_TARGET_MINOR,
  MIN_TARGET_MINOR,
  type AnalysisSettings,
  type PythonVersion,
  type RuleSeveritySetting,
  SIMULATION_FINDINGS_MODES,
  type SimulationFindingsMode,
} from './settings';

/** One invalid key: where it came from and what is wrong, for a message that names the key. */
export interface ConfigProblem {
  readonly source: string;
  readonly key: string;
  readonly message: string;
}

/** Settings as one layer gives them: only what it sets. */
export interface PartialSettings {
  select?: string[];
  ignore?: string[];
  severity?: Record<string, RuleSeveritySetting>;
  targetVersion?: PythonVersion;
  immutableCalls?: string[];
  /** Glob-like path patterns the CLI and workspace scan skip (pyproject only). */
  exclude?: string[];
  simulationFindings?: SimulationFindingsMode;
}

export interface SettingsLayer {
  readonly settings: PartialSettings;
  readonly problems: ConfigProblem[];
}

const SEVERITIES: readonly RuleSeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];
const SEVERITY_ALIASES: Readonly<Record<string, RuleSeveritySetting>> = { info: 'information', warn: 'warning', none: 'off' };

/** "3.12", "py312", "3.12.1" → 3.12, within the supported range. */
export function parseTargetVersion(value: string): PythonVersion | undefined {
  const match = /^(?:py3(\d{1,2})|3\.(\d{1,2})(?:\.\d+)?)$/.exec(value.trim());
  if (!match) return undefined;
  const minor = Number(match[1] ?? match[2]);
  return minor >= MIN_TARGET_MINOR && minor <= MAX_TARGET_MINOR ? { major: 3, minor } : undefined;
}

/** The lowest Python 3 version a `requires-python` specifier allows (">=3.9,<4" → 3.9), if it names one. */
export function targetFromRequiresPython(spec: string): PythonVersion | undefined {
  let lowest: number | undefined;
  for (const clause of spec.split(',')) {
    const match = /^\s*(>=|==|~=|>)\s*3\.(\d+)/.exec(clause);
    if (!match) continue;
    const minor = Number(match[2]) + (match[1] === '>' ? 1 : 0);
    lowest = lowest === undefined ? minor : Math.max(lowest, minor);
  }
  if (lowest === undefined) return undefined;
  return { major: 3, minor: Math.min(Math.max(lowest, MIN_TARGET_MINOR), MAX_TARGET_MINOR) };
}

function stringList(raw: unknown, key: string, source: string, problems: ConfigProblem[]): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw as string[];
  problems.push({ source, key, message: `\`${key}\` must be a list of strings` });
  return undefined;
}

/**
 * Validates one layer's raw values. `keys` maps each setting to the name the user wrote it under in that
 * source (kebab-case in pyproject.toml, `gclens.*` in the editor), so messages name what the user typed.
 */
export function parseSettingsObject(
  raw: Readonly<Record<string, unknown>>,
  source: string,
  keys: Readonly<Record<keyof PartialSettings, string>>,
): SettingsLayer {
  const problems: ConfigProblem[] = [];
  const settings: PartialSettings = {};
  const select = stringList(raw.select, keys.select, source, problems);
  if (select) settings.select = select.map((code) => code.toUpperCase());
  const ignore = stringList(raw.ignore, keys.ignore, source, problems);
  if (ignore) settings.ignore = ignore.map((code) => code.toUpperCase());
  const immutableCalls = stringList(raw.immutableCalls, keys.immutableCalls, source, problems);
  if (immutableCalls) settings.immutableCalls = immutableCalls;
  const exclude = stringList(raw.exclude, keys.exclude, source, problems);
  if (exclude) settings.exclude = exclude;
  if (raw.targetVersion !== undefined && raw.targetVersion !== null && raw.targetVersion !== '') {
    const version = typeof raw.targetVersion === 'string' ? parseTargetVersion(raw.targetVersion) : undefined;
    if (version) settings.targetVersion = version;
    else problems.push({ source, key: keys.targetVersion, message: `\`${keys.targetVersion}\` must be a Python version from 3.${MIN_TARGET_MINOR} to 3.${MAX_TARGET_MINOR} such as "3.12" (got ${JSON.stringify(raw.targetVersion)})` });
  }
  if (raw.simulationFindings !== undefined && raw.simulationFindings !== null) {
    const value = raw.simulationFindings === true ? 'on' : raw.simulationFindings === false ? 'off' : raw.simulationFindings;
    if ((SIMULATION_FINDINGS_MODES as readonly unknown[]).includes(value)) settings.simulationFindings = value as SimulationFindingsMode;
    else problems.push({ source, key: keys.simulationFindings, message: `\`${keys.simulationFindings}\` must be one of ${SIMULATION_FINDINGS_MODES.join(', ')} (got ${JSON.stringify(raw.simulationFindings)})` });
  }
  if (raw.severity !== undefined && raw.severity !== null) {
    if (typeof raw.severity !== 'object' || Array.isArray(raw.severity)) {
      problems.push({ source, key: keys.severity, message: `\`${keys.severity}\` must be a table of rule code to severity` });
    } else {
      const severity: Record<string, RuleSeveritySetting> = {};
      for (const [code, value] of Object.entries(raw.severity as Record<string, unknown>)) {
        const normalized = typeof value === 'string' ? (SEVERITY_ALIASES[value.toLowerCase()] ?? value.toLowerCase()) : undefined;
        if (normalized && (SEVERITIES as readonly string[]).includes(normalized)) severity[code.toUpperCase()] = normalized as RuleSeveritySetting;
        else problems.push({ source, key: `${keys.severity}.${code}`, message: `\`${keys.severity}.${code}\` must be one of ${SEVERITIES.join(', ')} (got ${JSON.stringify(value)})` });
      }
      settings.severity = severity;
    }
  }
  return { settings, problems };
}

const PYPROJECT_KEYS: Readonly<Record<keyof PartialSettings, string>> = {
  select: 'tool.gclens.select',
  ignore: 'tool.gclens.ignore',
  severity: 'tool.gclens.severity',
  targetVersion: 'tool.gclens.target-version',
  immutableCalls: 'tool.gclens.immutable-calls',
  exclude: 'tool.gclens.exclude',
  simulationFindings: 'tool.gclens.simulation.findings',
};

/** Editor (VS Code) setting names, for messages about `workspace/configuration` values. */
export const EDITOR_KEYS: Readonly<Record<keyof PartialSettings, string>> = {
  select: 'gclens.rules.select',
  ignore: 'gclens.rules.ignore',
  severity: 'gclens.rules.severity',
  targetVersion: 'gclens.targetVersion',
  immutableCalls: 'gclens.immutableCalls',
  exclude: 'gclens.exclude',
  simulationFindings: 'gclens.simulation.findings',
};

/** Parses pyproject.toml text: `[tool.gclens]`, falling back to `requires-python` for the target version. */
export function parsePyproject(text: string, source: string): SettingsLayer {
  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { settings: {}, problems: [{ source, key: 'pyproject.toml', message: `invalid TOML: ${message}` }] };
  }
  const tool = (document.tool as Record<string, unknown> | undefined)?.gclens;
  const table = tool && typeof tool === 'object' && !Array.isArray(tool) ? (tool as Record<string, unknown>) : {};
  const problems: ConfigProblem[] = [];
  const known = new Set(['select', 'ignore', 'severity', 'target-version', 'immutable-calls', 'exclude', 'simulation']);
  const layer = parseSettingsObject(
    {
      select: table.select,
      ignore: table.ignore,
      severity: table.severity,
      targetVersion: table['target-version'],
      immutableCalls: table['immutable-calls'],
      exclude: table.exclude,
      simulationFindings: simulationTable(table.simulation, source, problems),
    },
    source,
    PYPROJECT_KEYS,
  );
  layer.problems.unshift(...problems);
  for (const key of Object.keys(table)) {
    if (!known.has(key)) layer.problems.push({ source, key: `tool.gclens.${key}`, message: `unknown setting \`tool.gclens.${key}\`` });
  }
  if (!layer.settings.targetVersion) {
    const requires = (document.project as Record<string, unknown> | undefined)?.['requires-python'];
    const version = typeof requires === 'string' ? targetFromRequiresPython(requires) : undefined;
    if (version) layer.settings.targetVersion = version;
  }
  return layer;
}

/** `[tool.gclens.simulation]`: a table whose one key so far is `findings`. */
function simulationTable(raw: unknown, source: string, problems: ConfigProblem[]): unknown {
  if (raw === undefined) return undefined;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ source, key: 'tool.gclens.simulation', message: '`tool.gclens.simulation` must be a table such as `{ findings = "on" }`' });
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'findings') problems.push({ source, key: `tool.gclens.simulation.${key}`, message: `unknown setting \`tool.gclens.simulation.${key}\`` });
  }
  return (raw as Record<string, unknown>).findings;
}

/** Merges layers, later ones winning key by key (severity maps merge per rule). */
export function resolveSettings(layers: readonly PartialSettings[]): AnalysisSettings & { exclude: readonly string[] } {
  let result: AnalysisSettings & { exclude: readonly string[] } = { ...DEFAULT_SETTINGS, targetVersion: DEFAULT_TARGET_VERSION, exclude: [] };
  for (const layer of layers) {
    result = {
      select: layer.select ?? result.select,
      ignore: layer.ignore ?? result.ignore,
      severity: { ...result.severity, ...(layer.severity ?? {}) },
      targetVersion: layer.targetVersion ?? result.targetVersion,
      immutableCalls: layer.immutableCalls ?? result.immutableCalls,
      exclude: layer.exclude ?? result.exclude,
      ...(layer.simulationFindings ?? result.simulationFindings ? { simulationFindings: layer.simulationFindings ?? result.simulationFindings } : {}),
    };
  }
  return result;
}
