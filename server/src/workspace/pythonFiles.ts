// Finds the Python files to check: explicit files as given, directories walked honouring .gitignore and `exclude`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { yieldToEventLoop } from './eventLoop';
import type { ConfigResolver } from './projectSettings';

/** A Python file to analyse: where it is, how to show it, and which settings apply to it. */
export interface FileTask {
  readonly absolutePath: string;
  readonly displayPath: string;
  readonly settingsIndex: number;
}

/** Directories never worth walking: VCS data, virtual environments, caches, installed packages. */
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', '.eggs', '__pypackages__', 'site-packages',
]);

const PYTHON_EXTENSIONS: ReadonlySet<string> = new Set(['.py', '.pyi']);

interface GitignoreLayer {
  readonly base: string;
  readonly matcher: Ignore;
}

export interface WalkResult {
  readonly tasks: FileTask[];
  /** Directories that could not be listed, with the reason (reported, not fatal). */
  readonly warnings: string[];
}

function readIgnoreFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function gitignoreLayer(directory: string): GitignoreLayer | undefined {
  const text = readIgnoreFile(path.join(directory, '.gitignore'));
  return text === undefined ? undefined : { base: directory, matcher: ignore().add(text) };
}

/** The .gitignore files above `directory` up to its repository root (none when it is not in a repository). */
function ancestorGitignores(directory: string): GitignoreLayer[] {
  const above: string[] = [];
  let root = directory;
  while (!fs.existsSync(path.join(root, '.git'))) {
    if (root === path.dirname(root)) return [];
    root = path.dirname(root);
    above.push(root);
  }
  const layers: GitignoreLayer[] = [];
  const excludeFile = readIgnoreFile(path.join(root, '.git', 'info', 'exclude'));
  if (excludeFile !== undefined) layers.push({ base: root, matcher: ignore().add(excludeFile) });
  // Outermost first; `directory`'s own .gitignore is read by the walk itself.
  for (const dir of above.reverse()) {
    const layer = gitignoreLayer(dir);
    if (layer) layers.push(layer);
  }
  return layers;
}

/** Git's rule: the deepest .gitignore with a matching pattern (ignore or `!` re-include) decides. */
function gitignored(layers: readonly GitignoreLayer[], absolutePath: string, isDirectory: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const relative = path.relative(layers[i].base, absolutePath).split(path.sep).join('/');
    if (relative === '' || relative.startsWith('..')) continue;
    const result = layers[i].matcher.test(isDirectory ? `${relative}/` : relative);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

export function displayPathOf(absolutePath: string, cwd: string): string {
  const relative = path.relative(cwd, absolutePath);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolutePath : relative;
}

/** Whether `candidate` is `directory` or lies under it (both real paths). */
function isInside(candidate: string, directory: string): boolean {
  const relative = path.relative(directory, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The walk one directory at a time: yields after listing each directory and returns the result, so the sync
 * and async front ends below share one walk. Files are deduplicated and sorted by display path so output order
 * never depends on the file system or on worker scheduling.
 */
function* collectFilesSteps(targets: readonly string[], cwd: string, config: ConfigResolver): Generator<void, WalkResult, void> {
  const byPath = new Map<string, FileTask>();
  const warnings: string[] = [];
  const add = (absolutePath: string): void => {
    if (byPath.has(absolutePath)) return;
    const settingsIndex = config.scopeFor(path.dirname(absolutePath)).settingsIndex;
    byPath.set(absolutePath, { absolutePath, displayPath: displayPathOf(absolutePath, cwd), settingsIndex });
  };

  /** The real path of the directory target being walked: linked files must resolve inside it. */
  let root = '';

  function* walk(directory: string, layers: readonly GitignoreLayer[], honourExclude: boolean): Generator<void, void, void> {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      warnings.push(`${displayPathOf(directory, cwd)}: cannot list directory: ${(error as Error).message}`);
      return;
    }
    yield;
    const own = entries.some((entry) => entry.name === '.gitignore') ? gitignoreLayer(directory) : undefined;
    const active = own ? [...layers, own] : layers;
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        // Linked files are checked only when they resolve inside the walked tree; linked directories are not
        // followed (no loops, and nothing outside the workspace is read: SECURITY.md).
        try {
          isFile = fs.statSync(full).isFile() && isInside(fs.realpathSync(full), root);
        } catch {
          isFile = false;
        }
        isDirectory = false;
      }
      if (isDirectory) {
        if (SKIPPED_DIRECTORIES.has(entry.name) || gitignored(active, full, true) || (honourExclude && config.isExcluded(full, true))) continue;
        yield* walk(full, active, honourExclude);
      } else if (isFile && PYTHON_EXTENSIONS.has(path.extname(entry.name))) {
        if (gitignored(active, full, false) || (honourExclude && config.isExcluded(full, false))) continue;
        add(full);
      }
    }
  }

  for (const target of targets) {
    const absolute = path.resolve(cwd, target);
    if (fs.statSync(absolute).isDirectory()) {
      // A directory named explicitly is checked even when it is itself ignored or excluded (like an explicit
      // file); the rules then apply only from inside it.
      const ancestors = ancestorGitignores(absolute);
      root = fs.realpathSync(absolute);
      yield* walk(absolute, gitignored(ancestors, absolute, true) ? [] : ancestors, !config.isExcluded(absolute, true));
    }
    else add(absolute); // an explicit file is always checked, whatever its name or ignore rules
  }
  const tasks = [...byPath.values()].sort((a, b) => (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0));
  return { tasks, warnings };
}

/** Collects the files to check from the given paths (already known to exist), in one go (the CLI). */
export function collectFiles(targets: readonly string[], cwd: string, config: ConfigResolver): WalkResult {
  const steps = collectFilesSteps(targets, cwd, config);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same walk, letting the event loop turn after each directory so a long-running process (the language
 * server) keeps answering while it lists a large tree. Undefined when `isCancelled` turns true on the way.
 */
export async function collectFilesAsync(
  targets: readonly string[],
  cwd: string,
  config: ConfigResolver,
  isCancelled: () => boolean = () => false,
): Promise<WalkResult | undefined> {
  const steps = collectFilesSteps(targets, cwd, config);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
    if (isCancelled()) return undefined;
  }
}
