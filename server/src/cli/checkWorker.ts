// Worker thread of `gclens check`: loads the parser once, then checks the batches of files the pool sends.
import { parentPort, workerData } from 'node:worker_threads';
import type { CheckJob } from './checkTypes';
import { loadPythonParser, parserPreferenceFromEnv, type LoadedParser } from '../syntax/loadParser';
import { checkTasks } from './checkRunner';
import type { PoolRequest, WorkerReply } from './workerPool';

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('checkWorker must run in a worker thread');
  const job = workerData as CheckJob;
  const post = (reply: WorkerReply): void => port.postMessage(reply);
  let loaded: LoadedParser;
  try {
    loaded = await loadPythonParser(parserPreferenceFromEnv());
  } catch (error) {
    post({ kind: 'failed', message: `cannot load the Python parser: ${(error as Error).message}` });
    return;
  }
  const { parser } = loaded;
  let queue = Promise.resolve();
  port.on('message', (request: PoolRequest) => {
    switch (request.kind) {
      case 'batch':
        queue = queue.then(async () => {
          await checkTasks(request.tasks, parser, job, (outcome) => post({ kind: 'outcome', outcome }));
          post({ kind: 'idle' });
        });
        break;
      case 'stop':
        queue = queue.then(() => port.close());
        break;
      default: {
        const unexpected: never = request;
        throw new Error(`unknown request ${JSON.stringify(unexpected)}`);
      }
    }
  });
  post({ kind: 'ready', fallbackReason: loaded.fallbackReason });
}

void serve();
