// `gclens check`: resolves settings, collects files, checks them (in workers for larger runs), reports, exits.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PartialSettings } from '../analysis/config';
import type { CheckOptions, OutputFormat } from './cliArgs';
import { ConfigResolver } from '../workspace/projectSettings';
import { loadPythonParser, parserPreferenceFromEnv } from '../syntax/loadParser';
import { checkTasks } from './checkRunner';
import type { CheckJob, FileOutcome, FileTask } from './checkTypes';
import { collectFiles } from '../workspace/pythonFiles';
import { countReport, plural, type CheckReport } from './formats/checkReport';
import { renderGithub } from './formats/githubFormat';
import { renderJson } from './formats/jsonFormat';
import { renderSarif } from './formats/sarifFormat';
import { renderText } from './formats/textFormat';
import { ProgressLine } from './progressLine';
import { TOOL_VERSION } from './toolInfo';
import { checkInWorkers, workerScript } from './workerPool';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** Below this many files, starting workers costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 8;

export interface CliIo {
  readonly cwd: string;
  writeOut(text: string): void;
  writeErr(text: string): void;
}

function render(format: OutputFormat, report: CheckReport): string {
  switch (format) {
    case 'text':
      return renderText(report);
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report);
    case 'github':
      return renderGithub(report);
    default: {
      const unexpected: never = format;
      throw new Error(`unknown format ${String(unexpected)}`);
    }
  }
}

/** Checks every task, on worker threads when the run is big enough, and returns outcomes in task order. */
async function checkAll(tasks: readonly FileTask[], job: CheckJob, options: CheckOptions, io: CliIo): Promise<FileOutcome[]> {
  const outcomes = new Map<string, FileOutcome>();
  const progress = ProgressLine.forStderr(tasks.length, options.progress);
  let warnedFallback = false;
  const onParserFallback = (reason: string): void => {
    if (warnedFallback) return;
    warnedFallback = true;
    io.writeErr(`gclens: note: using the WebAssembly parser (the native tree-sitter module did not load: ${reason.split('\n')[0]})\n`);
  };
  const onOutcome = (outcome: FileOutcome): void => {
    outcomes.set(outcome.absolutePath, outcome);
    progress.update(outcomes.size);
  };
  let leftover: readonly FileTask[] = tasks;
  const script = workerScript();
  let workerCount = 0;
  if (script && tasks.length >= MIN_FILES_FOR_WORKERS) {
    workerCount = Math.min(os.availableParallelism(), tasks.length);
    leftover = await checkInWorkers(script, tasks, job, workerCount, { onOutcome, onParserFallback });
  }
  if (leftover.length > 0) {
    const loaded = await loadPythonParser(parserPreferenceFromEnv());
    if (loaded.fallbackReason) onParserFallback(loaded.fallbackReason);
    await checkTasks(leftover, loaded.parser, job, onOutcome);
  }
  progress.clear();
  if (options.verbose) {
    const where = workerCount > 0 ? `${plural(workerCount, 'worker thread')}` : 'the main thread';
    const rest = workerCount > 0 && leftover.length > 0 ? ` (${leftover.length} in the main thread)` : '';
    io.writeErr(`gclens: checked ${plural(tasks.length, 'file')} on ${where}${rest}\n`);
  }
  return tasks.map((task) => outcomes.get(task.absolutePath) ?? {
    kind: 'skipped', displayPath: task.displayPath, absolutePath: task.absolutePath, reason: 'internal-error', message: 'internal error: no result',
  });
}

function cliSettingsLayer(options: CheckOptions): PartialSettings {
  const layer: PartialSettings = {};
  // As in Ruff: --select starts the selection afresh, so the config's `ignore` no longer applies.
  if (options.select) {
    layer.select = options.select;
    layer.ignore = [];
  }
  if (options.ignore) layer.ignore = options.ignore;
  if (options.targetVersion) layer.targetVersion = options.targetVersion;
  return layer;
}

export async function runCheckCommand(options: CheckOptions, io: CliIo): Promise<number> {
  const error = (message: string): number => {
    io.writeErr(`gclens: error: ${message}\n`);
    return EXIT_ERROR;
  };
  for (const target of options.paths) {
    if (!fs.existsSync(path.resolve(io.cwd, target))) return error(`${target}: no such file or directory`);
  }
  if (options.configFile !== undefined && !fs.existsSync(path.resolve(io.cwd, options.configFile))) {
    return error(`--config: ${options.configFile}: no such file`);
  }
  const config = new ConfigResolver(cliSettingsLayer(options), options.configFile && path.resolve(io.cwd, options.configFile));
  const walk = collectFiles(options.paths, io.cwd, config);
  if (config.problems.length > 0) {
    for (const problem of config.problems) io.writeErr(`gclens: error: ${path.relative(io.cwd, problem.source) || problem.source}: ${problem.key}: ${problem.message}\n`);
    return EXIT_ERROR;
  }
  for (const warning of walk.warnings) io.writeErr(`gclens: warning: ${warning}\n`);
  if (walk.tasks.length === 0) io.writeErr(`gclens: warning: no Python files found under ${options.paths.join(', ')}\n`);

  const job: CheckJob = { settingsTable: config.settingsTable, fixMode: options.fixMode };
  const outcomes = await checkAll(walk.tasks, job, options, io);
  let internalErrors = 0;
  for (const outcome of outcomes) {
    if (outcome.kind !== 'skipped') continue;
    if (outcome.reason === 'internal-error') internalErrors++;
    io.writeErr(`gclens: ${outcome.reason === 'internal-error' ? 'error' : 'warning'}: ${outcome.displayPath}: ${outcome.message}\n`);
  }

  const report: CheckReport = { outcomes, fixMode: options.fixMode, cwd: io.cwd, toolVersion: TOOL_VERSION };
  const output = render(options.format, report);
  if (options.outputFile !== undefined) {
    try {
      fs.writeFileSync(path.resolve(io.cwd, options.outputFile), output);
    } catch (writeError) {
      return error(`--output: cannot write ${options.outputFile}: ${(writeError as Error).message}`);
    }
  } else {
    io.writeOut(output);
  }
  const counts = countReport(report);
  if (options.format !== 'text' && counts.fixesApplied > 0) {
    io.writeErr(`Fixed ${plural(counts.fixesApplied, 'finding')} in ${plural(counts.filesFixed, 'file')}.\n`);
  }
  if (internalErrors > 0) return error(`GC Lens failed on ${plural(internalErrors, 'file')} (a bug in GC Lens; please report it)`);
  return counts.findings > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}
