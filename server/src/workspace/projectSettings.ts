// Which settings govern each directory: the nearest pyproject.toml's `[tool.gclens]` (or --config), CLI flags on top.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { parsePyproject, resolveSettings, type ConfigProblem, type PartialSettings, type SettingsLayer } from '../analysis/config';
import type { AnalysisSettings } from '../analysis/settings';

/** Reads and parses one pyproject.toml; an unreadable file is a problem, not a crash. */
export function readPyproject(file: string): SettingsLayer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { settings: {}, problems: [{ source: file, key: 'pyproject.toml', message: `cannot read: ${(error as Error).message}` }] };
  }
  return parsePyproject(text, file);
}

/**
 * Finds the nearest pyproject.toml at or above a directory, never above a stop folder (the editor stops at the
 * workspace folder holding the file, the innermost when folders nest; the CLI walks up to the root). Each
 * directory's answer is cached, its parents' included, so a walk over many directories checks each one once.
 */
export class PyprojectLocator {
  private readonly stops: ReadonlySet<string>;
  private readonly byDirectory = new Map<string, string | undefined>();

  constructor(stopFolders: readonly string[] = []) {
    this.stops = new Set(stopFolders.map((folder) => path.resolve(folder)));
  }

  find(directory: string): string | undefined {
    const dir = path.resolve(directory);
    if (this.byDirectory.has(dir)) return this.byDirectory.get(dir);
    const candidate = path.join(dir, 'pyproject.toml');
    const parent = path.dirname(dir);
    const found = fs.existsSync(candidate) ? candidate : this.stops.has(dir) || parent === dir ? undefined : this.find(parent);
    this.byDirectory.set(dir, found);
    return found;
  }
}

/** The nearest pyproject.toml at or above `startDir` (not above `stopDir` when given). */
export function findPyproject(startDir: string, stopDir?: string): string | undefined {
  return new PyprojectLocator(stopDir === undefined ? [] : [stopDir]).find(startDir);
}

/** The settings for a part of the tree, and its `exclude` patterns (relative to the config file's folder). */
export interface ConfigScope {
  readonly settingsIndex: number;
  readonly configFile: string | undefined;
  /** What the config file itself sets, before the CLI (or editor) layer. */
  readonly fileSettings: PartialSettings;
  /** The config file's own problems (also collected in `ConfigResolver.problems`). */
  readonly problems: readonly ConfigProblem[];
  readonly exclude: { readonly base: string; readonly matcher: Ignore } | undefined;
}

export class ConfigResolver {
  /** Resolved settings, indexed by `ConfigScope.settingsIndex`; workers receive this table. */
  readonly settingsTable: AnalysisSettings[] = [];
  readonly problems: ConfigProblem[] = [];
  private readonly scopeByConfig = new Map<string, ConfigScope>();
  private readonly locator: PyprojectLocator;
  private readonly defaultScope: ConfigScope;
  private readonly explicitScope: ConfigScope | undefined;

  /**
   * `cliLayer` goes over every config file's settings; `explicitConfig` (--config) governs every directory;
   * otherwise lookups stop at `stopFolders` (see PyprojectLocator).
   */
  constructor(private readonly cliLayer: PartialSettings, explicitConfig?: string, stopFolders: readonly string[] = []) {
    this.locator = new PyprojectLocator(stopFolders);
    this.defaultScope = this.addScope(undefined, { settings: {}, problems: [] });
    this.explicitScope = explicitConfig === undefined ? undefined : this.loadScope(path.resolve(explicitConfig));
  }

  /** The scope governing files directly inside `directory`. */
  scopeFor(directory: string): ConfigScope {
    if (this.explicitScope) return this.explicitScope;
    const configFile = this.locator.find(directory);
    return configFile === undefined ? this.defaultScope : this.loadScope(configFile);
  }

  /** Whether the governing config's `exclude` patterns match `absolutePath` (a directory when `isDirectory`). */
  isExcluded(absolutePath: string, isDirectory: boolean): boolean {
    const exclude = this.scopeFor(path.dirname(absolutePath)).exclude;
    if (!exclude) return false;
    const relative = path.relative(exclude.base, absolutePath);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
    const posix = relative.split(path.sep).join('/');
    return exclude.matcher.ignores(isDirectory ? `${posix}/` : posix);
  }

  private loadScope(configFile: string): ConfigScope {
    const known = this.scopeByConfig.get(configFile);
    if (known) return known;
    const layer = readPyproject(configFile);
    this.problems.push(...layer.problems);
    const scope = this.addScope(configFile, layer);
    this.scopeByConfig.set(configFile, scope);
    return scope;
  }

  private addScope(configFile: string | undefined, fileLayer: SettingsLayer): ConfigScope {
    const resolved = resolveSettings([fileLayer.settings, this.cliLayer]);
    const { exclude: patterns, ...settings } = resolved;
    this.settingsTable.push(settings);
    const exclude = configFile !== undefined && patterns.length > 0
      ? { base: path.dirname(configFile), matcher: ignore().add([...patterns]) }
      : undefined;
    return { settingsIndex: this.settingsTable.length - 1, configFile, fileSettings: fileLayer.settings, problems: fileLayer.problems, exclude };
  }
}
