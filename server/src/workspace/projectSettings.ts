// Which settings govern each directory: the nearest pyproject.toml's `[tool.gclens]` (or --config), CLI flags on top.
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { findPyproject, readPyproject, resolveSettings, type ConfigProblem, type PartialSettings } from '../analysis/config';
import type { AnalysisSettings } from '../analysis/settings';

/** The settings for a part of the tree, and its `exclude` patterns (relative to the config file's folder). */
export interface ConfigScope {
  readonly settingsIndex: number;
  readonly configFile: string | undefined;
  readonly exclude: { readonly base: string; readonly matcher: Ignore } | undefined;
}

export class ConfigResolver {
  /** Resolved settings, indexed by `ConfigScope.settingsIndex`; workers receive this table. */
  readonly settingsTable: AnalysisSettings[] = [];
  readonly problems: ConfigProblem[] = [];
  private readonly scopeByConfig = new Map<string, ConfigScope>();
  private readonly configByDir = new Map<string, string | undefined>();
  private readonly defaultScope: ConfigScope;
  private readonly explicitScope: ConfigScope | undefined;

  constructor(private readonly cliLayer: PartialSettings, explicitConfig?: string) {
    this.defaultScope = this.addScope(undefined, {});
    this.explicitScope = explicitConfig === undefined ? undefined : this.loadScope(path.resolve(explicitConfig));
  }

  /** The scope governing files directly inside `directory`. */
  scopeFor(directory: string): ConfigScope {
    if (this.explicitScope) return this.explicitScope;
    const dir = path.resolve(directory);
    let configFile = this.configByDir.get(dir);
    if (!this.configByDir.has(dir)) {
      configFile = findPyproject(dir);
      this.configByDir.set(dir, configFile);
    }
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
    const scope = this.addScope(configFile, layer.settings);
    this.scopeByConfig.set(configFile, scope);
    return scope;
  }

  private addScope(configFile: string | undefined, fileSettings: PartialSettings): ConfigScope {
    const resolved = resolveSettings([fileSettings, this.cliLayer]);
    const { exclude: patterns, ...settings } = resolved;
    this.settingsTable.push(settings);
    const exclude = configFile !== undefined && patterns.length > 0
      ? { base: path.dirname(configFile), matcher: ignore().add([...patterns]) }
      : undefined;
    return { settingsIndex: this.settingsTable.length - 1, configFile, exclude };
  }
}
