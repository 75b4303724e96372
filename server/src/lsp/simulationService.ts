// Simulations off the main thread: one worker thread, results cached per document URI + version, stale runs stopped.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_BUDGETS } from '../simulator/simulate';
import type { LineRun, LineSnapshot, SimulateOptions, SimulationBudgets, SimulationResult, TargetVersion } from '../simulator/simulatorTypes';
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

/** What a caller needs from a run: `summary` (output, end, summary, line counts: GCL901/902, hovers) or `full` (the
 * event trace and every line's snapshot too: the simulate command's trace and report). */
export type SimulationDetail = 'summary' | 'full';

/** A hover's answer: the run, and its snapshot of the line (undefined when the line never ran). */
export interface LineSnapshotAnswer {
  readonly result: SimulationResult;
  readonly snapshot?: LineSnapshot;
}

type WorkerAnswer = Extract<SimulationWorkerReply, { kind: 'result' | 'snapshots' }>;

interface Job {
  readonly id: number;
  readonly uri: string;
  /** Mutable while queued: a hover that finds its run not started yet adds its line to the run's snapshots. */
  request: SimulationWorkerRequest;
  readonly resolve: (answer: WorkerAnswer) => void;
  readonly reject: (error: Error) => void;
  /** Callers still waiting; a run nobody waits for any more is dropped (queued) or its worker stopped (running). */
  waiters: number;
}

interface RunEntry {
  readonly promise: Promise<SimulationResult>;
  job: Job | undefined;
}

/** The runs of one document version under one set of options, and the snapshots replayed from them. */
interface DocumentRuns {
  /** Without events, with snapshots of the lines hovers asked for before it ran. */
  summary?: RunEntry;
  /** With events and every line's snapshot: serves every caller once it exists. */
  full?: RunEntry;
  readonly replays: Map<number, Promise<LineSnapshot | undefined>>;
}

export interface SimulationServiceOptions {
  readonly workerPath?: string;
  readonly parser: ParserPreference;
  readonly log: (message: string) => void;
}

function cancelledError(): SimulationUnavailable {
  return new SimulationUnavailable('GC Lens: simulation cancelled', 'cancelled');
}

export class SimulationService {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly queue: Job[] = [];
  private running: Job | undefined;
  private nextId = 1;
  /**
   * Simulations per URI, all of one version (an older version is never served), one per set of options: the run
   * serves the hover, GCL901/902 and the simulate command alike when they ask with the same options
   * (`simulationRequestFor`), and neither cancels another.
   */
  private readonly cache = new Map<string, { readonly version: number; readonly byKey: Map<string, DocumentRuns> }>();
  private disposed = false;
  /** Times the worker was (re)started: crash recovery is observable in tests and logs. */
  starts = 0;
  /** Runs and replays that found their module compiled already (by `prepareAhead` or an earlier request). */
  reusedCompilations = 0;
  /** What the last analysed document's settings said: the target version to compile ahead for, and whether to. */
  private aheadTarget: TargetVersion = '3.12';
  private aheadWanted = true;

  constructor(private readonly options: SimulationServiceOptions) {}

  /** Starts the worker (parser load and JIT warm-up) ahead of the first simulation: the server calls it at start. */
  warmUp(): void {
    if (!this.disposed) void this.ensureWorker().catch(() => undefined);
  }

  /** Settings seen for a document: the next `prepareAhead` compiles for this target, or not at all if unwanted. */
  noteSettings(targetVersion: TargetVersion, simulates: boolean): void {
    this.aheadTarget = targetVersion;
    this.aheadWanted = simulates;
  }

  /**
   * A document just opened: the worker compiles it now (no answer, no job), while the server parses it and asks the
   * editor for its settings, so a hover sent with didOpen finds it compiled (the worker keeps its last few compiled
   * modules by source, file name and target version). The target version is the last document's guess; a wrong guess
   * costs the compile only. Every opened document is simulated anyway when hovers or GCL901/902 are on.
   */
  prepareAhead(text: string, fileName: string): void {
    if (this.disposed || !this.aheadWanted) return;
    const request: SimulationWorkerRequest = { kind: 'prepare', source: text, options: { targetVersion: this.aheadTarget, fileName, trace: true } };
    this.ensureWorker().then(() => this.worker?.postMessage(request), () => undefined);
  }

  /** The simulation of this text (cached per URI + version + options), run in the worker, with `detail`'s parts. */
  simulateDocument(request: SimulateDocumentRequest, token?: CancellationSignal, detail: SimulationDetail = 'full'): Promise<SimulationResult> {
    const runs = this.runsFor(request);
    let entry: RunEntry;
    if (detail === 'summary') entry = runs.full ?? runs.summary ?? (runs.summary = this.startRun(request, { events: false, snapshotLines: [] }));
    else entry = runs.full ?? (runs.full = this.startRun(request, { events: true }));
    return this.waitFor(entry, token);
  }

  /**
   * The run and its heap snapshot of `line`, for a hover. A document's first hover gets its line's snapshot from the
   * run itself; later ones from a replay in the worker (a few milliseconds: no events, one snapshot), kept per line.
   */
  async lineSnapshot(request: SimulateDocumentRequest, line: number, token?: CancellationSignal): Promise<LineSnapshotAnswer> {
    const runs = this.runsFor(request);
    const entry = runs.full ?? runs.summary ?? (runs.summary = this.startRun(request, { events: false, snapshotLines: [line] }));
    const queued = entry.job && this.queue.includes(entry.job) ? entry.job.request : undefined;
    if (queued?.kind === 'simulate' && queued.options.snapshotLines && !queued.options.snapshotLines.includes(line)) {
      entry.job!.request = { ...queued, options: { ...queued.options, snapshotLines: [...queued.options.snapshotLines, line] } };
    }
    // A cancelled hover (the pointer moved on) leaves the run going: the next hover and GCL901/902 want it too.
    const result = await this.untilCancelled(this.waitFor(entry, undefined), token);
    const recorded = result.snapshots.find((snapshot) => snapshot.line === line);
    if (recorded) return { result, snapshot: recorded };
    const run = result.lineRuns?.find((lineRun) => lineRun.line === line);
    if (!run) return { result };
    let replay = runs.replays.get(line);
    if (!replay) {
      replay = this.startReplay(request, run);
      runs.replays.set(line, replay);
      replay.catch(() => runs.replays.get(line) === replay && runs.replays.delete(line)); // failures are not kept
    }
    return { result, snapshot: await this.untilCancelled(replay, token) };
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
    for (const job of this.jobsOf(versions.byKey.values())) this.abandon(job, new SimulationUnavailable('GC Lens: the document changed', 'superseded'));
  }

  dispose(): void {
    this.disposed = true;
    for (const uri of [...this.cache.keys()]) this.forget(uri);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private runsFor(request: SimulateDocumentRequest): DocumentRuns {
    const key = JSON.stringify([request.version, request.targetVersion, request.fileName, request.budgets ?? null, request.text.length]);
    let versions = this.cache.get(request.uri);
    if (versions && versions.version !== request.version) {
      for (const job of this.jobsOf(versions.byKey.values())) this.abandon(job, new SimulationUnavailable('GC Lens: a newer version of the document is being simulated', 'superseded'));
      versions = undefined;
    }
    if (!versions) {
      versions = { version: request.version, byKey: new Map() };
      this.cache.set(request.uri, versions);
    }
    let runs = versions.byKey.get(key);
    if (!runs) versions.byKey.set(key, (runs = { replays: new Map() }));
    return runs;
  }

  /** Queued or running jobs of these runs (replays included). */
  private jobsOf(runs: Iterable<DocumentRuns>): Job[] {
    const jobs: Job[] = [];
    for (const run of runs) for (const entry of [run.summary, run.full]) if (entry?.job) jobs.push(entry.job);
    return jobs;
  }

  /** The options every run and replay of a request shares (so a replay compiles and runs exactly as its run did). */
  private runOptions(request: SimulateDocumentRequest): SimulateOptions {
    return { targetVersion: request.targetVersion, fileName: request.fileName, trace: true, budgets: { ...EDITOR_BUDGETS, ...request.budgets } };
  }

  private startRun(request: SimulateDocumentRequest, parts: Pick<SimulateOptions, 'events' | 'snapshotLines'>): RunEntry {
    const answer = this.startJob(request.uri, (id) => ({ kind: 'simulate', id, source: request.text, options: { ...this.runOptions(request), ...parts } }));
    const entry: RunEntry = { promise: answer.promise.then((reply) => (reply.kind === 'result' ? reply.result : Promise.reject(new Error('the worker answered a run with snapshots')))), job: answer.job };
    entry.promise.then(() => { entry.job = undefined; }, () => {
      entry.job = undefined;
      const runs = this.cache.get(request.uri)?.byKey; // failures are not cached
      for (const [key, run] of runs ?? []) {
        if (run.summary === entry) delete run.summary;
        if (run.full === entry) delete run.full;
        if (!run.summary && !run.full) runs?.delete(key);
      }
    });
    return entry;
  }

  private startReplay(request: SimulateDocumentRequest, line: LineRun): Promise<LineSnapshot | undefined> {
    const answer = this.startJob(request.uri, (id) => ({ kind: 'replay', id, source: request.text, options: this.runOptions(request), lines: [line] }));
    answer.job.waiters++; // a replay is short: a cancelled hover leaves it running, and its snapshot cached
    return answer.promise.then((reply) => (reply.kind === 'snapshots' ? reply.snapshots.find((snapshot) => snapshot.line === line.line) : undefined));
  }

  /** Waits for a run; a caller's cancellation stops the run when nobody else waits for it. */
  private waitFor(entry: RunEntry, token: CancellationSignal | undefined): Promise<SimulationResult> {
    const job = entry.job;
    if (!job) return entry.promise;
    job.waiters++;
    if (!token) return entry.promise;
    return this.untilCancelled(entry.promise, token, () => {
      job.waiters--;
      if (job.waiters <= 0) this.abandon(job, cancelledError());
    });
  }

  /** The promise's outcome, or a cancellation error as soon as the token is cancelled (then `onCancel` runs). */
  private untilCancelled<T>(promise: Promise<T>, token: CancellationSignal | undefined, onCancel?: () => void): Promise<T> {
    if (!token) return promise;
    if (token.isCancellationRequested) {
      onCancel?.();
      return Promise.reject(cancelledError());
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const subscription = token.onCancellationRequested(() => {
        if (settled) return;
        settled = true;
        onCancel?.();
        reject(cancelledError());
      });
      promise.then(
        (value) => { if (!settled) { settled = true; subscription.dispose(); resolve(value); } },
        (error: Error) => { if (!settled) { settled = true; subscription.dispose(); reject(error); } },
      );
    });
  }

  private startJob(uri: string, makeRequest: (id: number) => SimulationWorkerRequest): { promise: Promise<WorkerAnswer>; job: Job } {
    const id = this.nextId++;
    let resolve!: (answer: WorkerAnswer) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<WorkerAnswer>((ok, fail) => { resolve = ok; reject = fail; });
    promise.catch(() => undefined); // callers observe it; an unobserved failure must not be an unhandled rejection
    const job: Job = { id, uri, request: makeRequest(id), resolve, reject, waiters: 0 };
    this.queue.push(job);
    this.pump();
    return { promise, job };
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
          case 'snapshots':
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

  private finish(reply: Extract<SimulationWorkerReply, { kind: 'result' | 'snapshots' | 'error' }>): void {
    const job = this.running;
    if (!job || job.id !== reply.id) return;
    this.running = undefined;
    if (reply.kind !== 'error') {
      if (reply.reused) this.reusedCompilations++;
      job.resolve(reply);
    }
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
