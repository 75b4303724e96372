// Spreads file checks over worker threads: each worker pulls the next batch when it is idle.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckJob, FileOutcome, FileTask } from './checkTypes';

/** Main thread → worker. */
export type PoolRequest = { readonly kind: 'batch'; readonly tasks: readonly FileTask[] } | { readonly kind: 'stop' };

/** Worker → main thread. */
export type WorkerReply =
  | { readonly kind: 'ready'; readonly fallbackReason?: string }
  | { readonly kind: 'outcome'; readonly outcome: FileOutcome }
  | { readonly kind: 'idle' }
  | { readonly kind: 'failed'; readonly message: string };

/** The bundled worker beside the bundled CLI (dist/checkWorker.js), if this is a build. */
export function workerScript(): string | undefined {
  const candidate = path.join(__dirname, 'checkWorker.js');
  return fs.existsSync(candidate) ? candidate : undefined;
}

export interface PoolCallbacks {
  onOutcome(outcome: FileOutcome): void;
  /** Called once per worker that fell back from the native parser, with the reason. */
  onParserFallback(reason: string): void;
}

function batchSize(taskCount: number, workerCount: number): number {
  // Small batches keep the workers evenly loaded at the end; large enough that messaging stays cheap.
  return Math.max(1, Math.min(16, Math.ceil(taskCount / (workerCount * 8))));
}

/**
 * Checks `tasks` on `workerCount` workers. A worker that dies fails only the files it was holding; the
 * returned list holds the tasks no worker could take (the caller checks them in-process).
 */
export function checkInWorkers(script: string, tasks: readonly FileTask[], job: CheckJob, workerCount: number, callbacks: PoolCallbacks): Promise<FileTask[]> {
  const queue = [...tasks];
  const size = batchSize(tasks.length, workerCount);
  return new Promise((resolve) => {
    let running = workerCount;
    const finishOne = (): void => {
      running--;
      if (running === 0) resolve(queue.splice(0));
    };
    for (let i = 0; i < workerCount; i++) {
      const worker = new Worker(script, { workerData: job });
      const pending = new Map<string, FileTask>();
      let done = false;
      const sendNext = (): void => {
        const batch = queue.splice(0, size);
        if (batch.length === 0) {
          worker.postMessage({ kind: 'stop' } satisfies PoolRequest);
          return;
        }
        for (const task of batch) pending.set(task.absolutePath, task);
        worker.postMessage({ kind: 'batch', tasks: batch } satisfies PoolRequest);
      };
      const failPending = (message: string): void => {
        for (const task of pending.values()) {
          callbacks.onOutcome({ kind: 'skipped', displayPath: task.displayPath, absolutePath: task.absolutePath, reason: 'internal-error', message });
        }
        pending.clear();
      };
      worker.on('message', (reply: WorkerReply) => {
        switch (reply.kind) {
          case 'ready':
            if (reply.fallbackReason) callbacks.onParserFallback(reply.fallbackReason);
            sendNext();
            break;
          case 'outcome':
            pending.delete(reply.outcome.absolutePath);
            callbacks.onOutcome(reply.outcome);
            break;
          case 'idle':
            sendNext();
            break;
          case 'failed':
            // The worker could not start (parser did not load): its share goes back to the caller.
            break;
          default: {
            const unexpected: never = reply;
            throw new Error(`unknown worker reply ${JSON.stringify(unexpected)}`);
          }
        }
      });
      const settle = (message: string | undefined): void => {
        if (done) return;
        done = true;
        if (message !== undefined) failPending(message);
        finishOne();
      };
      worker.on('error', (error) => settle(`internal error: worker failed: ${error.message}`));
      worker.on('exit', (code) => settle(pending.size > 0 ? `internal error: worker exited with code ${code}` : undefined));
    }
  });
}
