// Worker thread of the simulation service (dist/simulationWorker.js): its own parser, one simulation at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { prepareModule, replaySnapshots, runPrepared, type PreparedModule } from '../simulator/simulate';
import type { SimulateOptions } from '../simulator/simulatorTypes';
import { loadPythonParser, type LoadedParser } from '../syntax/loadParser';
import type { PythonParser } from '../syntax/syntaxTypes';
import type { SimulationWorkerData, SimulationWorkerReply, SimulationWorkerRequest } from './simulationProtocol';
import { warmUpSimulator } from './simulationWarmUp';

/** Test seam: a snippet starting with this comment crashes the worker (proves a crash never reaches the server). */
const CRASH_MARKER = '# gclens-test: crash-simulation-worker';
/** Compiled modules kept for replays: the documents a user hovers in turn. */
const PREPARED_KEPT = 4;

/** The last few compiled modules by source, file name and version (what compiling depends on), newest last. */
class PreparedModules {
  private readonly byKey = new Map<string, PreparedModule>();

  constructor(private readonly parser: PythonParser) {}

  /** The compiled module, and whether it was kept from before. */
  get(source: string, options: SimulateOptions): { prepared: PreparedModule; reused: boolean } {
    const key = `${options.targetVersion}\u0000${options.fileName}\u0000${source}`;
    let prepared = this.byKey.get(key);
    const reused = prepared !== undefined;
    if (prepared) this.byKey.delete(key);
    else prepared = prepareModule(source, this.parser, options);
    this.byKey.set(key, prepared);
    for (const oldest of this.byKey.keys()) {
      if (this.byKey.size <= PREPARED_KEPT) break;
      this.byKey.delete(oldest);
    }
    return { prepared, reused };
  }
}

function answer(request: Extract<SimulationWorkerRequest, { kind: 'simulate' | 'replay' }>, modules: PreparedModules): SimulationWorkerReply {
  const { prepared, reused } = modules.get(request.source, request.options);
  switch (request.kind) {
    case 'simulate':
      return { kind: 'result', id: request.id, result: runPrepared(prepared, request.options), reused };
    case 'replay':
      return { kind: 'snapshots', id: request.id, snapshots: replaySnapshots(prepared, request.options, request.lines), reused };
    default: {
      const never: never = request;
      return never;
    }
  }
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('simulationWorker must run in a worker thread');
  const data = workerData as SimulationWorkerData;
  const post = (reply: SimulationWorkerReply): void => port.postMessage(reply);
  let loaded: LoadedParser;
  try {
    loaded = await loadPythonParser(data.parser);
  } catch (error) {
    post({ kind: 'failed', message: `cannot load the Python parser: ${(error as Error).message}` });
    return;
  }
  const modules = new PreparedModules(loaded.parser);
  port.on('message', (request: SimulationWorkerRequest) => {
    if (request.kind === 'prepare') {
      // A module that cannot compile is kept as not runnable; anything else thrown here is reported by the request
      // that runs the module, not allowed to end the worker over a compile nobody asked to see.
      try {
        modules.get(request.source, request.options);
      } catch {
        // nothing: the next simulate or replay of this text prepares it again and answers with the error
      }
      return;
    }
    if (request.kind !== 'simulate' && request.kind !== 'replay') return;
    if (process.env.GCLENS_TEST_HOOKS === '1' && request.source.startsWith(CRASH_MARKER)) process.exit(70);
    try {
      post(answer(request, modules));
    } catch (error) {
      post({ kind: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
    }
  });
  // Requests that arrive meanwhile wait in the port's queue: the warm-up is short, and it is what makes them fast.
  warmUpSimulator(loaded.parser);
  post({ kind: 'ready', backend: loaded.parser.backend, fallbackReason: loaded.fallbackReason });
}

void serve();
