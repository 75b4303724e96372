// `npm run bench:simulator [-- --size N] [--runs R] [--json OUT]`: the GC simulator's steps per second on a simple
// loop, its time on allocation-heavy loops side by side with pyenv's CPython 3.12 (DESIGN §8: within 30×), and the
// refcount hover's latency on a 1,000-line module through the built server (DESIGN §8: under 50 ms).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { describeEnd as describeSimulationEnd } from '../server/src/report/describeEnd';
import { simulate } from '../server/src/simulator/simulate';
import type { SimulationResult } from '../server/src/simulator/simulatorTypes';
import { loadPythonParser } from '../server/src/syntax/loadParser';
import type { PythonParser } from '../server/src/syntax/syntaxTypes';
import { findPyenvPython, oracleEnvironment } from '../test/support/gcCorpusPython';
import { formatHoverBench, runHoverBench, type HoverBenchFigures } from './hoverBench';
import { median } from './measure';

export const STEPS_GOAL = 1_000_000;
export const RATIO_GOAL = 30;
const REFERENCE_VERSION = '3.12';

/** Budgets high enough that the workloads run to the end: the bench measures speed, not the limits. */
const BENCH_BUDGETS = { maxSteps: 2_000_000_000, maxObjects: 50_000_000, maxMillis: 30 * 60_000 };

export interface Workload {
  readonly name: string;
  readonly description: string;
  readonly source: (size: number) => string;
}

/** A loop of simple evaluation steps: names, integer arithmetic, comparisons. */
export const SIMPLE_LOOP: Workload = {
  name: 'simple loop',
  description: 'while loop of integer additions',
  source: (size) => `total = 0\ni = 0\nwhile i < ${size}:\n    total = total + i\n    i = i + 1\nprint(total)\n`,
};

export const ALLOCATION_WORKLOADS: readonly Workload[] = [
  {
    name: 'lists',
    description: 'a list holding a list per iteration, 1% kept',
    source: (size) => `keep = []\nfor i in range(${size}):\n    pair = [i, [i]]\n    if i % 100 == 0:\n        keep.append(pair)\nprint(len(keep))\n`,
  },
  {
    name: 'instances',
    description: 'an instance with two attributes per iteration',
    source: (size) => [
      'class Point:', '    def __init__(self, x, y):', '        self.x = x', '        self.y = y', '',
      'total = 0', `for i in range(${size}):`, '    p = Point(i, i + 1)', '    total = total + p.y', 'print(total)', '',
    ].join('\n'),
  },
  {
    name: 'cycles',
    description: 'a two-instance cycle per iteration, freed by automatic collections',
    source: (size) => [
      'import gc', '', 'class Node:', '    def __init__(self):', '        self.other = None', '',
      `for i in range(${size}):`, '    a = Node()', '    b = Node()', '    a.other = b', '    b.other = a', 'print(gc.collect() >= 0)', '',
    ].join('\n'),
  },
  {
    name: 'dicts',
    description: 'a dict holding a list per iteration',
    source: (size) => `count = 0\nfor i in range(${size}):\n    d = {"key": i, "items": [i, i]}\n    count = count + len(d)\nprint(count)\n`,
  },
];

export interface SimulatedFigures {
  /** Median CPU milliseconds (CPU, not wall: the figures hold on a machine shared with other work). */
  readonly medianMs: number;
  readonly steps: number;
  readonly output: string;
  /** How the run ended when it did not complete (then the figures are not comparable). */
  readonly incomplete?: string;
}

export interface WorkloadFigures {
  readonly name: string;
  readonly simulator: SimulatedFigures;
  readonly cpythonMs?: number;
  readonly cpythonOutput?: string;
  readonly ratio?: number;
}

export interface SimulatorBenchFigures {
  readonly size: number;
  readonly runs: number;
  readonly stepsPerSecond: number;
  readonly loop: SimulatedFigures;
  readonly cpython?: string;
  readonly workloads: readonly WorkloadFigures[];
  readonly hover?: HoverBenchFigures;
}

function printedText(result: SimulationResult): string {
  return result.output.map((chunk) => chunk.text).join('');
}

export function measureSimulator(source: string, parser: PythonParser, runs: number): SimulatedFigures {
  const times: number[] = [];
  let last: SimulationResult | undefined;
  for (let run = 0; run < runs; run++) {
    const started = process.cpuUsage();
    last = simulate(source, parser, { targetVersion: REFERENCE_VERSION, fileName: 'bench.py', budgets: BENCH_BUDGETS });
    const spent = process.cpuUsage(started);
    times.push((spent.user + spent.system) / 1000);
  }
  const result = last!;
  const incomplete = result.end.kind === 'completed' ? undefined : describeSimulationEnd(result.end);
  return { medianMs: median(times), steps: result.summary.steps, output: printedText(result), ...(incomplete ? { incomplete } : {}) };
}

/** CPU time of `exec` of the source in a fresh namespace inside one CPython process (start-up excluded), median of runs. */
const CPYTHON_TIMER = `import io, json, sys, time
source = open(sys.argv[1], encoding="utf-8").read()
runs = int(sys.argv[2])
code = compile(source, "bench.py", "exec")
times = []
for _ in range(runs):
    captured = io.StringIO()
    real, sys.stdout = sys.stdout, captured
    started = time.process_time()
    exec(code, {"__name__": "__main__"})
    elapsed = time.process_time() - started
    sys.stdout = real
    times.append(elapsed * 1000)
times.sort()
print(json.dumps({"ms": times[len(times) // 2], "output": captured.getvalue()}))
`;

export function measureCPython(python: string, source: string, runs: number): { ms: number; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-simbench-'));
  try {
    fs.writeFileSync(path.join(dir, 'timer.py'), CPYTHON_TIMER);
    fs.writeFileSync(path.join(dir, 'bench.py'), source);
    const run = spawnSync(python, ['-s', 'timer.py', 'bench.py', String(runs)], { cwd: dir, env: oracleEnvironment(dir), encoding: 'utf8', timeout: 30 * 60_000 });
    if (run.error) throw run.error;
    if (run.status !== 0) throw new Error(`CPython failed on the workload (exit ${run.status}): ${run.stderr}`);
    return JSON.parse(run.stdout.trim().split('\n').pop()!) as { ms: number; output: string };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function runSimulatorBench(parser: PythonParser, size: number, runs: number): SimulatorBenchFigures {
  const python = findPyenvPython(REFERENCE_VERSION);
  const loop = measureSimulator(SIMPLE_LOOP.source(size * 10), parser, runs);
  const workloads = ALLOCATION_WORKLOADS.map((workload): WorkloadFigures => {
    const source = workload.source(size);
    const simulator = measureSimulator(source, parser, runs);
    if (!python) return { name: workload.name, simulator };
    const cpython = measureCPython(python, source, runs);
    const ratio = cpython.ms > 0 ? simulator.medianMs / cpython.ms : undefined;
    return { name: workload.name, simulator, cpythonMs: cpython.ms, cpythonOutput: cpython.output, ratio };
  });
  return { size, runs, stepsPerSecond: loop.steps / (loop.medianMs / 1000), loop, cpython: python, workloads };
}

const number = (value: number, digits = 0): string => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatSimulatorBench(figures: SimulatorBenchFigures): string {
  const { loop } = figures;
  const lines = [`GC simulator benchmark (size ${number(figures.size)}, median of ${figures.runs} run${figures.runs === 1 ? '' : 's'}, target ${REFERENCE_VERSION})`, ''];
  const verdict = figures.stepsPerSecond >= STEPS_GOAL ? 'meets' : 'misses';
  lines.push(`simple loop: ${number(loop.steps)} steps in ${number(loop.medianMs, 1)} ms CPU = ${number(figures.stepsPerSecond)} steps/s (goal ≥ ${number(STEPS_GOAL)} steps/s: ${verdict})${loop.incomplete ? ` [${loop.incomplete}]` : ''}`);
  lines.push('');
  lines.push(figures.cpython ? `allocation-heavy loops, simulator vs CPython ${REFERENCE_VERSION} (${figures.cpython}), CPU time without start-up:` : `allocation-heavy loops (CPython ${REFERENCE_VERSION} is not installed under $PYENV_ROOT/versions: no ratio):`);
  lines.push(`${'workload'.padEnd(12)}${'simulator ms'.padStart(14)}${'CPython ms'.padStart(12)}${'ratio'.padStart(9)}  goal ≤ ${RATIO_GOAL}×  same output`);
  for (const workload of figures.workloads) {
    const cpython = workload.cpythonMs === undefined ? '-' : number(workload.cpythonMs, 2);
    const ratio = workload.ratio === undefined ? '-' : `${number(workload.ratio, 1)}×`;
    const goal = workload.ratio === undefined ? '-' : workload.ratio <= RATIO_GOAL ? 'meets' : 'misses';
    const same = workload.cpythonOutput === undefined ? '-' : workload.cpythonOutput === workload.simulator.output ? 'yes' : `no (${JSON.stringify(workload.simulator.output)} vs ${JSON.stringify(workload.cpythonOutput)})`;
    const incomplete = workload.simulator.incomplete ? ` [${workload.simulator.incomplete}]` : '';
    lines.push(`${workload.name.padEnd(12)}${number(workload.simulator.medianMs, 1).padStart(14)}${cpython.padStart(12)}${ratio.padStart(9)}  ${goal.padEnd(9)}  ${same}${incomplete}`);
  }
  return lines.join('\n');
}

export function parseSimulatorBenchArgs(argv: readonly string[]): { size: number; runs: number; jsonOut?: string } {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: { size: { type: 'string', default: '20000' }, runs: { type: 'string', default: '3' }, json: { type: 'string' } },
  });
  const positive = (flag: string, text: string): number => {
    const parsed = Number(text);
    if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`--${flag} needs a positive integer (got ${text})`);
    return parsed;
  };
  return { size: positive('size', values.size), runs: positive('runs', values.runs), jsonOut: values.json };
}

async function main(): Promise<void> {
  const options = parseSimulatorBenchArgs(process.argv.slice(2));
  const { parser } = await loadPythonParser();
  const simulator = runSimulatorBench(parser, options.size, options.runs);
  process.stdout.write(`${formatSimulatorBench(simulator)}\n`);
  const hover = await runHoverBench(path.join(__dirname, '..', 'dist', 'server.js'), parser);
  process.stdout.write(`\n${formatHoverBench(hover)}\n`);
  const figures: SimulatorBenchFigures = { ...simulator, hover };
  if (options.jsonOut) fs.writeFileSync(options.jsonOut, `${JSON.stringify(figures, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
