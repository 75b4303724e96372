// `gclens simulate FILE`: reads the file, resolves the target version, runs the GC simulator, prints output and summary.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeEnd } from '../report/describeEnd';
import { renderReportHtml } from '../report/reportHtml';
import { DEFAULT_BUDGETS } from '../simulator/simulate';
import type { SimulationEnd, SimulationResult, SimulationSummary, TargetVersion } from '../simulator/simulatorTypes';
import { ConfigResolver } from '../workspace/projectSettings';
import { readSourceSync } from '../workspace/sourceFile';
import type { CliIo } from './checkCommand';
import { plural } from './formats/checkReport';
import { parseSimulatorTarget, type SimulateCliOptions } from './simulateArgs';
import { simulateOffThread } from './simulateInWorker';

const EXIT_OK = 0;
const EXIT_USAGE = 2;

/**
 * The object budget of a traced run (every mode but --raw and --json without --trace), sized to the worker's 1 GB heap
 * cap (SIMULATION_HEAP_MB). Measured on the allocation bombs of test/robustness/simulatorBudgets.test.ts (small dicts,
 * self-referencing instances, nested lists; Node 20, heap used at the end): 1,000,000 objects take 420–810 MB
 * untraced but 1,050–1,300 MB traced (events and per-line snapshots), so a traced run reaching the default budget
 * would die at the heap cap and print nothing. Half of it keeps the worst traced bomb near 650 MB.
 */
export const TRACED_OBJECT_BUDGET = 500_000;

/** At most this many object labels per summary line. */
const MAX_LABELS = 10;

function labelList(labels: readonly string[]): string {
  if (labels.length === 0) return 'none';
  const shown = labels.slice(0, MAX_LABELS).join(', ');
  return `${plural(labels.length, 'object')} (${shown}${labels.length > MAX_LABELS ? `, … ${labels.length - MAX_LABELS} more` : ''})`;
}

/** The readable summary printed after the program's output. */
export function formatSimulationSummary(summary: SimulationSummary, end: SimulationEnd, targetVersion: TargetVersion, exitCode: number): string {
  return [
    '',
    `── GC summary (simulated CPython ${targetVersion}) ──`,
    `run:            ${describeEnd(end)}; exit status ${exitCode}`,
    `steps:          ${summary.steps.toLocaleString('en-US')}; objects allocated: ${summary.objectsAllocated.toLocaleString('en-US')}`,
    `collections:    ${summary.collections}`,
    `cyclic garbage: ${labelList(summary.cyclicGarbage)}`,
    `left at exit:   ${labelList(summary.leakedAtExit)}`,
    '',
  ].join('\n');
}

/** The version to simulate: the flag, else the governing pyproject.toml (target-version, requires-python), else 3.12. */
function resolveTarget(options: SimulateCliOptions, absolutePath: string, cwd: string): { version: TargetVersion } | { problems: string[] } {
  if (options.targetVersion) return { version: options.targetVersion };
  const config = new ConfigResolver({});
  const scope = config.scopeFor(path.dirname(absolutePath));
  if (config.problems.length > 0) return { problems: config.problems.map((problem) => `${path.relative(cwd, problem.source) || problem.source}: ${problem.key}: ${problem.message}`) };
  const configured = config.settingsTable[scope.settingsIndex].targetVersion;
  const version = parseSimulatorTarget(`${configured.major}.${configured.minor}`);
  return version ? { version } : { problems: [`target version ${configured.major}.${configured.minor} is not one the simulator reproduces`] };
}

/**
 * The script's name as CPython's tracebacks show it for `python FILE`: as typed up to 3.8; from 3.9 the working
 * directory joined to it unless absolute (not normalized: `../a.py` stays `/cwd/../a.py`).
 */
export function scriptPathAsShown(file: string, cwd: string, targetVersion: TargetVersion): string {
  const [major, minor] = targetVersion.split('.').map(Number);
  if (major < 3 || (major === 3 && minor < 9) || path.isAbsolute(file)) return file;
  return `${cwd.endsWith(path.sep) ? cwd : cwd + path.sep}${file}`;
}

function writeProgramOutput(result: SimulationResult, io: CliIo): void {
  for (const chunk of result.output) {
    if (chunk.stream === 'stdout') io.writeOut(chunk.text);
    else io.writeErr(chunk.text);
  }
}

export async function runSimulateCommand(options: SimulateCliOptions, io: CliIo): Promise<number> {
  const fail = (message: string): number => {
    io.writeErr(`gclens: error: ${message}\n`);
    return EXIT_USAGE;
  };
  const absolutePath = path.resolve(io.cwd, options.file);
  const read = readSourceSync(absolutePath);
  if (read.kind === 'skipped') {
    const message = read.reason === 'unreadable' && /ENOENT/.test(read.message) ? 'no such file' : read.message;
    return fail(`${options.file}: ${message}`);
  }
  const target = resolveTarget(options, absolutePath, io.cwd);
  if ('problems' in target) return fail(target.problems.join('\ngclens: error: '));
  // The summary's cyclic garbage is recorded only by a traced run: every mode but --raw traces. Only the report and
  // `--json --trace` show events and snapshots; without them a traced run is much cheaper, and its result small to
  // hand over from the worker (a 250,000-event trace took 0.3 s to copy after the time budget had already run out).
  const trace = options.mode !== 'raw';
  const fullTrace = options.mode === 'html' || (options.mode === 'json' && options.trace);
  const traceParts = fullTrace ? {} : { events: false, snapshotLines: [] };
  // On a worker thread: CPython's 1000 frames fit its stack, and its heap cap bounds memory (simulateInWorker.ts).
  const budgets = { maxObjects: trace ? TRACED_OBJECT_BUDGET : DEFAULT_BUDGETS.maxObjects };
  const outcome = await simulateOffThread(__filename, read.text, { targetVersion: target.version, fileName: scriptPathAsShown(options.file, io.cwd, target.version), trace, ...traceParts, budgets });
  if (outcome.kind === 'failed') {
    io.writeErr(`gclens: error: ${options.file}: ${outcome.message}\n`);
    return EXIT_USAGE;
  }
  const result = outcome.result;
  switch (options.mode) {
    case 'raw':
      writeProgramOutput(result, io);
      return result.exitCode;
    case 'json': {
      const shown = options.trace ? result : { ...result, events: [], snapshots: [], lineRuns: undefined };
      io.writeOut(`${JSON.stringify({ targetVersion: target.version, ...shown }, null, 2)}\n`);
      return EXIT_OK;
    }
    case 'html': {
      const out = path.resolve(io.cwd, options.htmlPath ?? '');
      const html = renderReportHtml(result, { fileName: options.file, targetVersion: target.version, source: read.text, nonce: randomBytes(18).toString('base64') });
      try {
        fs.writeFileSync(out, html);
      } catch (error) {
        return fail(`${options.htmlPath}: cannot write the report: ${error instanceof Error ? error.message : String(error)}`);
      }
      io.writeOut(`wrote ${options.htmlPath} (simulated CPython ${target.version}: ${describeEnd(result.end)}; ${plural(result.summary.collections, 'collection')}, cyclic garbage ${result.summary.cyclicGarbage.length}, left at exit ${result.summary.leakedAtExit.length})\n`);
      return EXIT_OK;
    }
    case 'summary': {
      writeProgramOutput(result, io);
      io.writeOut(formatSimulationSummary(result.summary, result.end, target.version, result.exitCode));
      return result.exitCode;
    }
    default: {
      const unexpected: never = options.mode;
      throw new Error(`unknown output mode ${String(unexpected)}`);
    }
  }
}
