// Simulations off the main thread: one worker thread, results cached per document URI + version, stale runs stopped.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_BUDGETS } from '../simulator/simulate';
import type { SimulationBudgets, SimulationResult, TargetVersion } from '../simulator/simulatorTypes';
import type { ParserPreference } from '../syntax/loadParser';
import type { SimulationWorkerData, SimulationWorkerReply, SimulationWorkerRequest } from './simulationProtocol';

/**
 * JS stack of the worker. Measured: a plain recursive Python function reaches the simulator's 1000-frame
 * RecursionError with 3 MB (1 MB: 292 frames, 2 MB: 663); frames through `__init__`, comprehensions and
 * operators use several times more, so the worker gets ten times the measured need.
 */
export const SIMULATION_STACK_MB = 32;
/** The worker's heap cap: a runaway simulation ends the worker (restarted on the next request), never the server. */
export const SIMULATION_HEAP_MB = 512;
/**
 * The editor's budgets: smaller than the CLI's, so a hover on an endless loop answers within about a second. The
 * output budget is the CLI's, the figure the report's end description names.
 */
export const EDITOR_BUDGETS: SimulationBudgets = { maxSteps: 1_000_000, maxObjects: 200_000, maxMillis: 2_000, maxOutputChars: DEFAULT_BUDGETS.maxOutputChars };

export interface SimulateDocumentRequest {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly targetVersion: TargetVersion;
  readonly fileName: string;
  readonly trace: true;
  readonly budgets?: Partial<SimulationBudgets>;
}

/** The part of LSP's CancellationToken the service needs (kept structural: no protocol import here). */
export interface CancellationSignal {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** The simulation could not answer: the worker crashed or was stopped, or the run was superseded. */
export class SimulationUnavailable extends Error {
  constructor(message: string, readonly reason: 'crashed' | 'superseded' | 'cancelled' | 'stopped') {
    super(message);
  }
}

interface Job {
  readonly id: number;
  readonly key: string;
  readonly uri: string;
  readonly request: SimulationWorkerRequest;
  readonly resolve: (result: SimulationResult) => void;
  readonly reject: (error: Error) => void;
  /** Callers still waiting; a job nobody waits for any more is dropped (queued) or its worker stopped (running). */
  waiters: number;
}

interface CacheEntry {
  readonly key: string;
  readonly promise: Promise<SimulationResult>;
  job: Job | undefined;
}

export interface SimulationServiceOptions {
  readonly workerPath?: string;
  readonly parser: ParserPreference;
  readonly log: (message: string) => void;
}

export class SimulationService {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly queue: Job[] = [];
  private running: Job | undefined;
  private nextId = 1;
  /**
   * Simulations per URI, all of one version (an older version is never served), one per set of options: the hover's
   * pre-simulation and the simulate command ask for the same version under different file names or budgets, and
   * neither may cancel the other.
   */
  private readonly cache = new Map<string, { readonly version: number; readonly byKey: Map<string, CacheEntry> }>();
  private disposed = false;
  /** Times the worker was (re)started: crash recovery is observable in tests and logs. */
  starts = 0;

  constructor(private readonly options: SimulationServiceOptions) {}

  /** The simulation of this text (cached per URI + version + target), run in the worker. */
  simulateDocument(request: SimulateDocumentRequest, token?: CancellationSignal): Promise<SimulationResult> {
    const key = JSON.stringify([request.version, request.targetVersion, request.fileName, request.budgets ?? null, request.text.length]);
    let versions = this.cache.get(request.uri);
    if (versions && versions.version !== request.version) {
      for (const stale of versions.byKey.values()) {
        if (stale.job) this.abandon(stale.job, new SimulationUnavailable('GC Lens: a newer version of the document is being simulated', 'superseded'));
      }
      versions = undefined;
    }
    if (!versions) {
      versions = { version: request.version, byKey: new Map() };
      this.cache.set(request.uri, versions);
    }
    let entry = versions.byKey.get(key);
    if (!entry) {
      entry = this.startJob(request, key);
      versions.byKey.set(key, entry);
    }
    const job = entry.job;
    if (!job) return entry.promise;
    job.waiters++;
    if (!token) return entry.promise;
    return new Promise<SimulationResult>((resolve, reject) => {
      let settled = false;
      const subscription = token.onCancellationRequested(() => {
        if (settled) return;
        settled = true;
        job.waiters--;
        if (job.waiters <= 0) this.abandon(job, new SimulationUnavailable('GC Lens: simulation cancelled', 'cancelled'));
        reject(new SimulationUnavailable('GC Lens: simulation cancelled', 'cancelled'));
      });
      entry.promise.then(
        (result) => { if (!settled) { settled = true; subscription.dispose(); resolve(result); } },
        (error: Error) => { if (!settled) { settled = true; subscription.dispose(); reject(error); } },
      );
    });
  }

  /** The document changed or closed: its queued or running simulation is stopped and its cache dropped. */
  forget(uri: string): void {
    // Selections are simulated under `uri#gclens-selection=…`: they go with their document.
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${uri}#`)) this.forgetOne(key);
    this.forgetOne(uri);
  }

  private forgetOne(uri: string): void {
    const versions = this.cache.get(uri);
    if (!versions) return;
    this.cache.delete(uri);
    for (const entry of versions.byKey.values()) {
      if (entry.job) this.abandon(entry.job, new SimulationUnavailable('GC Lens: the document changed', 'superseded'));
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const uri of [...this.cache.keys()]) this.forget(uri);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private startJob(request: SimulateDocumentRequest, key: string): CacheEntry {
    const id = this.nextId++;
    let resolve!: (result: SimulationResult) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<SimulationResult>((ok, fail) => { resolve = ok; reject = fail; });
    promise.catch(() => undefined); // callers observe it; an unobserved failure must not be an unhandled rejection
    const entry: CacheEntry = { key, promise, job: undefined };
    const job: Job = {
      id,
      key,
      uri: request.uri,
      request: {
        kind: 'simulate',
        id,
        source: request.text,
        options: { targetVersion: request.targetVersion, fileName: request.fileName, trace: true, budgets: { ...EDITOR_BUDGETS, ...request.budgets } },
      },
      resolve: (result) => { entry.job = undefined; resolve(result); },
      reject: (error) => {
        entry.job = undefined;
        const versions = this.cache.get(request.uri); // failures are not cached
        if (versions?.byKey.get(key) === entry) versions.byKey.delete(key);
        reject(error);
      },
      waiters: 0,
    };
    entry.job = job;
    this.queue.push(job);
    this.pump();
    return entry;
  }

  /** Drops a queued job, or stops the worker running it (a simulation cannot be interrupted from outside). */
  private abandon(job: Job, error: SimulationUnavailable): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    else if (this.running === job) {
      this.running = undefined;
      this.stopWorker();
    }
    job.reject(error);
    this.pump();
  }

  private stopWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) {
      worker.removeAllListeners();
      worker.on('error', () => undefined);
      void worker.terminate();
    }
  }

  private ensureWorker(): Promise<void> {
    if (this.ready) return this.ready;
    this.starts++;
    const workerPath = this.options.workerPath ?? path.join(__dirname, 'simulationWorker.js');
    const data: SimulationWorkerData = { parser: this.options.parser };
    const worker = new Worker(workerPath, { workerData: data, resourceLimits: { stackSizeMb: SIMULATION_STACK_MB, maxOldGenerationSizeMb: SIMULATION_HEAP_MB } });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: SimulationWorkerReply) => {
        switch (reply.kind) {
          case 'ready':
            resolve();
            break;
          case 'failed':
            this.options.log(`GC Lens: the simulation worker failed to start: ${reply.message}`);
            reject(new SimulationUnavailable(reply.message, 'crashed'));
            break;
          case 'result':
          case 'error':
            this.finish(reply);
            break;
          default: {
            const unexpected: never = reply;
            this.options.log(`GC Lens: unexpected message from the simulation worker: ${JSON.stringify(unexpected)}`);
          }
        }
      });
      worker.on('error', (error) => this.crashed(worker, `error: ${error.message}`, reject));
      worker.on('exit', (code) => this.crashed(worker, `exit code ${code}`, reject));
    });
    this.ready.catch(() => undefined);
    return this.ready;
  }

  /** The worker died under a job: the job fails (the hover says so), the next one starts a fresh worker. */
  private crashed(worker: Worker, why: string, rejectStart: (error: Error) => void): void {
    if (this.worker !== worker) return;
    this.options.log(`GC Lens: the simulation worker stopped (${why}); it restarts for the next simulation`);
    this.worker = undefined;
    this.ready = undefined;
    const error = new SimulationUnavailable(`the simulator's worker stopped (${why})`, 'crashed');
    rejectStart(error);
    const job = this.running;
    this.running = undefined;
    job?.reject(error);
    this.pump();
  }

  private finish(reply: Extract<SimulationWorkerReply, { kind: 'result' | 'error' }>): void {
    const job = this.running;
    if (!job || job.id !== reply.id) return;
    this.running = undefined;
    if (reply.kind === 'result') job.resolve(reply.result);
    else {
      this.options.log(`GC Lens: simulating ${job.uri} failed: ${reply.message}`);
      job.reject(new SimulationUnavailable(`the simulator failed: ${reply.message}`, 'crashed'));
    }
    this.pump();
  }

  private pump(): void {
    if (this.disposed || this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = job;
    this.ensureWorker().then(
      () => {
        if (this.running === job) this.worker?.postMessage(job.request);
      },
      (error: Error) => {
        if (this.running !== job) return;
        this.running = undefined;
        job.reject(error instanceof SimulationUnavailable ? error : new SimulationUnavailable(error.message, 'crashed'));
        this.pump();
      },
    );
  }
}
