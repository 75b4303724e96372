// Messages between the server's simulation service and its worker thread (structured-clone data only).
import type { LineRun, LineSnapshot, SimulateOptions, SimulationResult } from '../simulator/simulatorTypes';
import type { ParserPreference } from '../syntax/loadParser';

/** What the worker is started with. */
export interface SimulationWorkerData {
  readonly parser: ParserPreference;
}

export type SimulationWorkerRequest =
  /** A run: `options.events` and `options.snapshotLines` say how much of the trace to record. */
  | { readonly kind: 'simulate'; readonly id: number; readonly source: string; readonly options: SimulateOptions }
  /** The snapshots of these lines of a run of the same source and options, by a replay (the worker keeps it compiled). */
  | { readonly kind: 'replay'; readonly id: number; readonly source: string; readonly options: SimulateOptions; readonly lines: readonly LineRun[] }
  /** Compile this source and keep it for the run that follows (no answer): a document just opened. */
  | { readonly kind: 'prepare'; readonly source: string; readonly options: SimulateOptions };

export type SimulationWorkerReply =
  | { readonly kind: 'ready'; readonly backend: string; readonly fallbackReason?: string }
  | { readonly kind: 'failed'; readonly message: string }
  /** `reused`: the module was already compiled (by a `prepare` or an earlier request), not compiled for this one. */
  | { readonly kind: 'result'; readonly id: number; readonly result: SimulationResult; readonly reused: boolean }
  | { readonly kind: 'snapshots'; readonly id: number; readonly snapshots: readonly LineSnapshot[]; readonly reused: boolean }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };
