// Runs `gclens simulate`'s simulation on a worker thread: a stack deep enough for CPython's 1000 frames and a capped heap.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DEFAULT_BUDGETS, simulate } from '../simulator/simulate';
import type { SimulateOptions, SimulationResult } from '../simulator/simulatorTypes';
import { loadPythonParser } from '../syntax/loadParser';

/**
 * The worker's stack. Measured (tests/robustness/deepNesting.test.ts has the cases): 1000 Python frames of a method
 * that recurses through a comprehension, a `with` and a `try` need ~4 MB; a 2,900-level expression (CPython's compiler
 * stops near 2,990) compiles and runs in 2 MB. The main thread's ~1 MB ends such runs at ~130–450 frames. 64 MB leaves
 * a wide margin; untouched stack pages cost no memory.
 */
export const SIMULATION_STACK_MB = 64;
/** The worker's old-generation heap cap: a program that allocates past the simulator's budgets still stops here. */
export const SIMULATION_HEAP_MB = 1024;
/**
 * How long past its wall-time budget a run may take before the worker is terminated: parsing and compiling are not
 * charged to that budget (a 10 MB file compiles in seconds). `GCLENS_SIMULATE_WATCHDOG_MS` replaces the whole wait
 * (tests use it to terminate a run mid-compile).
 */
const WATCHDOG_GRACE_MS = 60_000;

const WORKER_KIND = 'gclens-simulate';

interface SimulationRequest {
  readonly kind: typeof WORKER_KIND;
  readonly source: string;
  readonly options: SimulateOptions;
}

/** A simulation's outcome off the main thread: its result, or why the worker itself ended (the heap cap, a crash). */
export type OffThreadSimulation =
  | { readonly kind: 'result'; readonly result: SimulationResult }
  | { readonly kind: 'failed'; readonly message: string };

function isSimulationRequest(value: unknown): value is SimulationRequest {
  return value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === WORKER_KIND;
}

/** Whether this thread is a simulation worker started by `simulateOffThread` (the CLI bundle is its own worker script). */
export function isSimulationWorker(): boolean {
  return !isMainThread && isSimulationRequest(workerData);
}

/**
 * The worker side: simulate the request and post the result back. It parses with WebAssembly whatever GCLENS_PARSER
 * says: terminating a worker while it runs native tree-sitter aborts the whole process ('terminate called after
 * throwing an instance of Napi::Error'), and the watchdog below terminates workers mid-run.
 */
export async function runSimulationWorker(): Promise<void> {
  const request = workerData as SimulationRequest;
  const { parser } = await loadPythonParser('wasm');
  parentPort?.postMessage(simulate(request.source, parser, request.options));
}

function watchdogMillis(options: SimulateOptions): number {
  const override = Number(process.env.GCLENS_SIMULATE_WATCHDOG_MS);
  if (Number.isInteger(override) && override > 0) return override;
  return (options.budgets?.maxMillis ?? DEFAULT_BUDGETS.maxMillis) + WATCHDOG_GRACE_MS;
}

/** Simulates on a worker thread running `script` (the CLI bundle); never rejects. */
export function simulateOffThread(script: string, source: string, options: SimulateOptions): Promise<OffThreadSimulation> {
  const request: SimulationRequest = { kind: WORKER_KIND, source, options };
  return new Promise((resolve) => {
    let settled = false;
    const worker = new Worker(script, {
      workerData: request,
      resourceLimits: { stackSizeMb: SIMULATION_STACK_MB, maxOldGenerationSizeMb: SIMULATION_HEAP_MB },
    });
    const waitMillis = watchdogMillis(options);
    const watchdog = setTimeout(() => {
      settle({ kind: 'failed', message: `the simulation did not end within ${(waitMillis / 1000).toLocaleString('en-US')} s (parsing and compiling are outside the wall-time budget); it was stopped` });
      void worker.terminate();
    }, waitMillis);
    const settle = (outcome: OffThreadSimulation): void => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      resolve(outcome);
    };
    worker.once('message', (result: SimulationResult) => {
      settle({ kind: 'result', result });
      void worker.terminate();
    });
    worker.once('error', (error: Error & { code?: string }) => {
      const message = error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `the simulation ran out of its memory budget (${SIMULATION_HEAP_MB} MB heap)`
        : `the simulation failed: ${error.message}`;
      settle({ kind: 'failed', message });
    });
    worker.once('exit', (code) => settle({ kind: 'failed', message: `the simulation worker exited (code ${code}) without a result` }));
  });
}
