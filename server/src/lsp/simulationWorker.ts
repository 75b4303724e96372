// Worker thread of the simulation service (dist/simulationWorker.js): its own parser, one simulation at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { simulate } from '../simulator/simulate';
import { loadPythonParser, type LoadedParser } from '../syntax/loadParser';
import type { SimulationWorkerData, SimulationWorkerReply, SimulationWorkerRequest } from './simulationProtocol';

/** Test seam: a snippet starting with this comment crashes the worker (proves a crash never reaches the server). */
const CRASH_MARKER = '# gclens-test: crash-simulation-worker';

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
  port.on('message', (request: SimulationWorkerRequest) => {
    if (request.kind !== 'simulate') return;
    if (process.env.GCLENS_TEST_HOOKS === '1' && request.source.startsWith(CRASH_MARKER)) process.exit(70);
    try {
      post({ kind: 'result', id: request.id, result: simulate(request.source, loaded.parser, request.options) });
    } catch (error) {
      post({ kind: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
    }
  });
  post({ kind: 'ready', backend: loaded.parser.backend, fallbackReason: loaded.fallbackReason });
}

void serve();
