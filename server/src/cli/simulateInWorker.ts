// Runs `gclens simulate`'s simulation on a worker thread: a stack deep enough for CPython's 1000 frames and a capped heap.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { simulate } from '../simulator/simulate';
import type { SimulateOptions, SimulationResult } from '../simulator/simulatorTypes';
import { loadPythonParser, type ParserPreference } from '../syntax/loadParser';

/**
 * The worker's stack. Measured (tests/robustness/deepNesting.test.ts has the cases): 1000 Python frames of a method
 * that recurses through a comprehension, a `with` and a `try` need ~4 MB; a 2,900-level expression (CPython's compiler
 * stops near 2,990) compiles and runs in 2 MB. The main thread's ~1 MB ends such runs at ~130–450 frames. 64 MB leaves
 * a wide margin; untouched stack pages cost no memory.
 */
export const SIMULATION_STACK_MB = 64;
/** The worker's old-generation heap cap: a program that allocates past the simulator's budgets still stops here. */
export const SIMULATION_HEAP_MB = 1024;

const WORKER_KIND = 'gclens-simulate';

interface SimulationRequest {
  readonly kind: typeof WORKER_KIND;
  readonly source: string;
  readonly options: SimulateOptions;
  readonly parser: ParserPreference | undefined;
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

/** The worker side: simulate the request and post the result back. */
export async function runSimulationWorker(): Promise<void> {
  const request = workerData as SimulationRequest;
  const { parser } = await loadPythonParser(request.parser ?? 'auto');
  parentPort?.postMessage(simulate(request.source, parser, request.options));
}

/** Simulates on a worker thread running `script` (the CLI bundle); never rejects. */
export function simulateOffThread(script: string, source: string, options: SimulateOptions, parser: ParserPreference | undefined): Promise<OffThreadSimulation> {
  const request: SimulationRequest = { kind: WORKER_KIND, source, options, parser };
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: OffThreadSimulation): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const worker = new Worker(script, {
      workerData: request,
      resourceLimits: { stackSizeMb: SIMULATION_STACK_MB, maxOldGenerationSizeMb: SIMULATION_HEAP_MB },
    });
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
