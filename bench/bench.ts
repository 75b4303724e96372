// `npm run bench [-- --corpus PATH] [--quick]`: parse floor, JS walk, engine, gclens check, Ruff B006, edit latency.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { countLines, defaultCorpusRoot, largestFiles, listCorpus, readCorpusText, sampleCorpus, type CorpusFile } from './corpus';
import { measureEditLatency, type EditLatency } from './editLatency';
import { measureLspLatency, type LspRun } from './lspLatency';
import { medianRun, runNodeProcess, type Cost } from './measure';
import type { PhaseName, PhaseResult } from './phase';
import { formatFigures, type BenchFigures, type CostRow } from './report';
import { loadPythonParser } from '../server/src/syntax/loadParser';

const ROOT = path.resolve(__dirname, '..');

export interface BenchOptions {
  readonly corpus: string;
  readonly quick: boolean;
  /** Measured passes (in-process) and process runs (whole-process); the median is reported. */
  readonly runs: number;
  /** One-character edits per file for the latency figures. */
  readonly edits: number;
  /** How many of the largest files the latency figures edit. */
  readonly latencyFiles: number;
  readonly jsonOut?: string;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let corpus: string | undefined;
  let quick = false;
  let runs: number | undefined;
  let edits: number | undefined;
  let jsonOut: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--corpus') corpus = value();
    else if (arg.startsWith('--corpus=')) corpus = arg.slice('--corpus='.length);
    else if (arg === '--quick') quick = true;
    else if (arg === '--runs') runs = Number(value());
    else if (arg === '--edits') edits = Number(value());
    else if (arg === '--json') jsonOut = value();
    else throw new Error(`unknown option ${arg} (use --corpus PATH, --quick, --runs N, --edits N, --json FILE)`);
  }
  const resolved = corpus ?? defaultCorpusRoot();
  if (!resolved) throw new Error('no corpus: pass --corpus PATH (no pyenv CPython 3 found under $PYENV_ROOT/versions)');
  return {
    corpus: path.resolve(resolved),
    quick,
    runs: Math.max(1, runs ?? (quick ? 1 : 3)),
    edits: Math.max(2, edits ?? (quick ? 20 : 200)),
    latencyFiles: quick ? 1 : 3,
    jsonOut,
  };
}

const log = (line: string): void => {
  process.stderr.write(`bench: ${line}\n`);
};

async function runPhaseProcess(phase: PhaseName, backend: 'native' | 'wasm', listFile: string, runs: number): Promise<PhaseResult> {
  const run = await runNodeProcess(path.join(__dirname, 'phase.ts'), [phase, backend, listFile, String(runs)], { cwd: ROOT, nodeArgs: ['--import', 'tsx'] });
  if (run.exitCode !== 0) throw new Error(`phase ${phase}/${backend} failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as PhaseResult;
}

function medianCost(passes: readonly Cost[]): Cost {
  return medianRun(passes.map((cost) => ({ cost }))).cost;
}

async function wholeProcess(label: string, script: string, args: readonly string[], runs: number): Promise<Cost> {
  const measured = [];
  for (let i = 0; i < runs; i++) {
    log(`${label}: run ${i + 1} of ${runs}`);
    const run = await runNodeProcess(script, args, { cwd: ROOT, discardStdout: true });
    // gclens check exits 1 when it finds something: only 2 (usage/config) and crashes are failures.
    if (run.exitCode !== 0 && run.exitCode !== 1) throw new Error(`${label} exited ${run.exitCode}: ${run.stderr.trim().slice(-400)}`);
    measured.push(run);
  }
  return medianRun(measured).cost;
}

/** The CLI's PATH arguments: the sample's files, or the corpus's top-level entries minus site-packages. */
function checkPaths(options: BenchOptions, files: readonly CorpusFile[]): string[] {
  if (options.quick || fs.statSync(options.corpus).isFile()) return files.map((file) => file.path);
  return fs
    .readdirSync(options.corpus)
    .filter((name) => name !== 'site-packages' && name !== '__pycache__')
    .map((name) => path.join(options.corpus, name));
}

async function tryRow(label: string, measure: () => Promise<{ cost: Cost; note?: string }>, goal?: string): Promise<CostRow> {
  try {
    const { cost, note } = await measure();
    return { label, cost, note, goal };
  } catch (error) {
    return { label, cost: undefined, missing: error instanceof Error ? error.message : String(error) };
  }
}

export async function runBench(options: BenchOptions): Promise<BenchFigures> {
  const all = listCorpus(options.corpus);
  const files = options.quick ? sampleCorpus(all, 60) : all;
  if (files.length === 0) throw new Error(`no .py files under ${options.corpus}`);
  const lines = files.reduce((sum, file) => sum + countLines(readCorpusText(file) ?? ''), 0);
  const listFile = path.join(os.tmpdir(), `gclens-bench-files-${process.pid}.json`);
  fs.writeFileSync(listFile, JSON.stringify(files));
  log(`${files.length} files, ${lines} lines under ${options.corpus}`);

  const phase = (name: PhaseName, backend: 'native' | 'wasm') => async () => {
    log(`${name} (${backend})`);
    const result = await runPhaseProcess(name, backend, listFile, options.runs);
    const note = name === 'walk' ? `${result.count.toLocaleString('en-US')} nodes` : name === 'analyze' || name === 'ruff-b006' ? `${result.count} findings` : undefined;
    return { cost: medianCost(result.passes), note };
  };
  const rows: CostRow[] = [];
  rows.push(await tryRow('(a) read + parse, native', phase('parse', 'native')));
  rows.push(await tryRow('(a) read + parse, wasm', phase('parse', 'wasm')));
  rows.push(await tryRow('(b) parse + JS walk, native', phase('walk', 'native')));
  rows.push(await tryRow('(b) parse + JS walk, wasm', phase('walk', 'wasm')));
  rows.push(await tryRow('(c) parse + engine, native', phase('analyze', 'native'), 'CPU ≤ 1.5× native parse'));
  rows.push(await tryRow('(c) parse + engine, wasm', phase('analyze', 'wasm')));
  const checkRow = await tryRow(
    '(d) gclens check, whole process',
    async () => {
      if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js missing: run npm run build');
      return { cost: await wholeProcess('gclens check', path.join(ROOT, 'bin', 'gclens.js'), ['check', ...checkPaths(options, files), '--format', 'json'], options.runs) };
    },
    '≤ Ruff-wasm whole-process B006 wall; CPU ≤ 1.5× native parse; peak < 300 MB',
  );
  rows.push(checkRow);
  const ruffWhole = await tryRow('Ruff-wasm B006, whole process', async () => ({
    cost: await wholeProcess('ruff B006', path.join(__dirname, 'ruffB006Process.mjs'), [listFile], options.runs),
  }));
  rows.push(ruffWhole);
  rows.push(await tryRow('Ruff-wasm B006, in-process warm', phase('ruff-b006', 'native')));

  const parseFloor = rows[0].cost;
  const ratioOf = (row: CostRow, goal?: string) =>
    row.cost && parseFloor ? [{ label: row.label, wall: row.cost.wallMs / parseFloor.wallMs, cpu: row.cost.cpuMs / parseFloor.cpuMs, goal }] : [];
  const ratios = [
    ...ratioOf(rows[2]),
    ...ratioOf(rows[4], 'CPU ≤ 1.5×'),
    ...ratioOf(checkRow, 'CPU ≤ 1.5×'),
    ...ratioOf(ruffWhole),
  ];
  if (checkRow.cost && ruffWhole.cost) {
    ratios.push({ label: '(d) against Ruff whole process', wall: checkRow.cost.wallMs / ruffWhole.cost.wallMs, cpu: checkRow.cost.cpuMs / ruffWhole.cost.cpuMs, goal: 'wall ≤ 1.00×' });
  }

  const largest = largestFiles(files, options.latencyFiles);
  log(`edit latency in-process on ${largest.map((entry) => entry.file.relative).join(', ')}`);
  const { parser } = await loadPythonParser('native');
  const editLatency: EditLatency[] = [];
  for (const model of ['typing', 'random-offset'] as const) {
    for (const entry of largest) editLatency.push(await measureEditLatency(parser, entry.file.relative, entry.text, entry.lines, options.edits, model));
  }

  let lsp: LspRun | undefined;
  let lspMissing: string | undefined;
  const serverScript = path.join(ROOT, 'dist', 'server.js');
  if (!fs.existsSync(serverScript)) lspMissing = 'dist/server.js missing: run npm run build';
  else {
    try {
      log('edit → publishDiagnostics through the server');
      const documents = largest.map((entry) => ({ file: entry.file.relative, absolutePath: entry.file.path, text: entry.text, lines: entry.lines }));
      lsp = await measureLspLatency(serverScript, documents, options.edits);
    } catch (error) {
      lspMissing = error instanceof Error ? error.message : String(error);
    }
  }
  fs.rmSync(listFile, { force: true });
  return { corpus: options.corpus, files: files.length, lines, runs: options.runs, rows, parseFloor, ratios, editLatency, lsp, lspMissing };
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  const figures = await runBench(options);
  console.log(formatFigures(figures));
  if (options.jsonOut) fs.writeFileSync(options.jsonOut, `${JSON.stringify(figures, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  });
}

