// Settings per document: the editor's `gclens` section layered over the nearest pyproject.toml's `[tool.gclens]`.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EDITOR_KEYS, parseSettingsObject, resolveSettings, type ConfigProblem, type PartialSettings } from '../analysis/config';
import type { AnalysisSettings } from '../analysis/settings';
import type { ParserPreference } from '../syntax/loadParser';
import { ConfigResolver, type ConfigScope } from '../workspace/projectSettings';

/** Everything the server needs to know to handle one document. */
export interface DocumentSettings {
  readonly enable: boolean;
  readonly workspaceScan: boolean;
  /** `gclens.simulation.codeLens`: "Simulate" code lenses above top-level statement runs. */
  readonly simulationCodeLens: boolean;
  readonly simulationHover: boolean;
  readonly simulationMaxSteps: number | undefined;
  readonly analysis: AnalysisSettings;
}

/** The editor layer: analysis keys plus the server's own switches, validated. */
export interface EditorLayer {
  readonly analysis: PartialSettings;
  readonly enable: boolean;
  readonly workspaceScan: boolean;
  readonly simulationCodeLens: boolean;
  /** Refcount hovers from the simulation (`gclens.simulation.hover`). */
  readonly simulationHover: boolean;
  /** The editor's step budget per simulation (`gclens.simulation.maxSteps`), when set. */
  readonly simulationMaxSteps: number | undefined;
  readonly parser: ParserPreference | undefined;
  readonly problems: ConfigProblem[];
}

const EDITOR_SOURCE = 'editor settings';
const PARSERS: readonly ParserPreference[] = ['auto', 'native', 'wasm'];

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function booleanSetting(raw: unknown, key: string, fallback: boolean, problems: ConfigProblem[]): boolean {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw === 'boolean') return raw;
  problems.push({ source: EDITOR_SOURCE, key, message: `\`${key}\` must be true or false (got ${JSON.stringify(raw)})` });
  return fallback;
}

function positiveIntegerSetting(raw: unknown, key: string, problems: ConfigProblem[]): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw > 0) return raw;
  problems.push({ source: EDITOR_SOURCE, key, message: `\`${key}\` must be a positive whole number (got ${JSON.stringify(raw)})` });
  return undefined;
}

/** Validates the `gclens` section as VS Code sends it (`rules` nested) into an editor layer. */
export function parseEditorSection(section: unknown): EditorLayer {
  const raw = asRecord(section) ?? {};
  const problems: ConfigProblem[] = [];
  if (section !== undefined && section !== null && !asRecord(section)) {
    problems.push({ source: EDITOR_SOURCE, key: 'gclens', message: '`gclens` settings must be an object' });
  }
  let rules = asRecord(raw.rules);
  if (raw.rules !== undefined && raw.rules !== null && !rules) {
    problems.push({ source: EDITOR_SOURCE, key: 'gclens.rules', message: '`gclens.rules` must be an object with select, ignore and severity' });
    rules = undefined;
  }
  const simulation = asRecord(raw.simulation);
  if (raw.simulation !== undefined && raw.simulation !== null && !simulation) {
    problems.push({ source: EDITOR_SOURCE, key: 'gclens.simulation', message: '`gclens.simulation` must be an object (findings, hover, maxSteps, codeLens)' });
  }
  const layer = parseSettingsObject(
    {
      select: rules?.select,
      ignore: rules?.ignore,
      severity: rules?.severity,
      targetVersion: raw.targetVersion,
      immutableCalls: raw.immutableCalls,
      simulationFindings: simulation?.findings,
    },
    EDITOR_SOURCE,
    EDITOR_KEYS,
  );
  problems.push(...layer.problems);
  let parser: ParserPreference | undefined;
  if (raw.parser !== undefined && raw.parser !== null) {
    if ((PARSERS as readonly unknown[]).includes(raw.parser)) parser = raw.parser as ParserPreference;
    else problems.push({ source: EDITOR_SOURCE, key: 'gclens.parser', message: `\`gclens.parser\` must be one of ${PARSERS.join(', ')} (got ${JSON.stringify(raw.parser)})` });
  }
  return {
    analysis: layer.settings,
    enable: booleanSetting(raw.enable, 'gclens.enable', true, problems),
    workspaceScan: booleanSetting(raw.workspaceScan, 'gclens.workspaceScan', false, problems),
    simulationCodeLens: booleanSetting(simulation?.codeLens, 'gclens.simulation.codeLens', false, problems),
    simulationHover: booleanSetting(simulation?.hover, 'gclens.simulation.hover', true, problems),
    simulationMaxSteps: positiveIntegerSetting(simulation?.maxSteps, 'gclens.simulation.maxSteps', problems),
    parser,
    problems,
  };
}

/** The file system path of a `file:` URI, or undefined for other schemes and malformed URIs. */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export interface SettingsSource {
  /** Fetches the editor's `gclens` section for a resource (undefined when the client cannot be asked). */
  fetchEditorSection(scopeUri: string | undefined): Promise<unknown>;
  /** Workspace folder paths, for where pyproject.toml lookups stop and untitled documents look. */
  workspaceFolders(): readonly string[];
  /** Called with every problem found while resolving settings (the service reports each once per generation). */
  reportProblem(problem: ConfigProblem): void;
}

/**
 * Resolves and caches settings per document URI. Any configuration or pyproject.toml change clears the
 * cache (`invalidate`), so the next analysis reads fresh values.
 */
export class SettingsService {
  private cache = new Map<string, Promise<DocumentSettings>>();
  /** pyproject.toml lookups, stopping at the workspace folders like the workspace scan's (see `projectResolver`). */
  private resolver: ConfigResolver | undefined;
  /** Settings pushed by the client (didChangeConfiguration / initializationOptions), used when it cannot be asked. */
  private pushedSection: unknown;

  constructor(private readonly source: SettingsSource, private readonly canPull: boolean, initialSection?: unknown) {
    this.pushedSection = initialSection;
  }

  invalidate(pushedSection?: unknown): void {
    if (pushedSection !== undefined) this.pushedSection = pushedSection;
    this.cache = new Map();
    this.resolver = undefined;
  }

  settingsFor(uri: string | undefined): Promise<DocumentSettings> {
    const key = uri ?? '';
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.resolve(uri);
      this.cache.set(key, pending);
    }
    return pending;
  }

  /** The editor layer alone (server switches such as the workspace scan), for a folder or the workspace. */
  async editorLayer(scopeUri: string | undefined): Promise<EditorLayer> {
    let section: unknown = this.pushedSection;
    if (this.canPull) {
      try {
        section = await this.source.fetchEditorSection(scopeUri);
      } catch {
        section = this.pushedSection; // a client that fails the request: fall back to what it pushed
      }
    }
    return parseEditorSection(section);
  }

  private async resolve(uri: string | undefined): Promise<DocumentSettings> {
    const editor = await this.editorLayer(uri);
    const project = this.projectScopeFor(uri);
    for (const problem of [...(project?.problems ?? []), ...editor.problems]) this.source.reportProblem(problem);
    // `exclude` only matters to the scan's walk, which reads it through the workspace resolver itself.
    const { exclude, ...analysis } = resolveSettings([project?.fileSettings ?? {}, editor.analysis]);
    return { enable: editor.enable, workspaceScan: editor.workspaceScan, simulationCodeLens: editor.simulationCodeLens, simulationHover: editor.simulationHover, simulationMaxSteps: editor.simulationMaxSteps, analysis };
  }

  /** The pyproject.toml scope of a document; untitled documents take the first workspace folder's. */
  private projectScopeFor(uri: string | undefined): ConfigScope | undefined {
    const folders = this.source.workspaceFolders();
    const file = uri ? filePathOf(uri) : undefined;
    if (!file && folders.length === 0) return undefined;
    this.resolver ??= projectResolver(EMPTY_LAYER, folders);
    return this.resolver.scopeFor(file ? path.dirname(file) : folders[0]);
  }
}

const EMPTY_LAYER: PartialSettings = {};

/**
 * The one pyproject.toml lookup rule for the editor's documents and the workspace scan: the nearest file at or
 * above the directory, not above the innermost workspace folder holding it (outside every folder: up to the root).
 */
export function projectResolver(editorLayer: PartialSettings, workspaceFolders: readonly string[]): ConfigResolver {
  return new ConfigResolver(editorLayer, undefined, workspaceFolders);
}
