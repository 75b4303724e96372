// Messages between the server's simulation service and its worker thread (structured-clone data only).
import type { SimulateOptions, SimulationResult } from '../simulator/simulatorTypes';
import type { ParserPreference } from '../syntax/loadParser';

/** What the worker is started with. */
export interface SimulationWorkerData {
  readonly parser: ParserPreference;
}

export type SimulationWorkerRequest = { readonly kind: 'simulate'; readonly id: number; readonly source: string; readonly options: SimulateOptions };

export type SimulationWorkerReply =
  | { readonly kind: 'ready'; readonly backend: string; readonly fallbackReason?: string }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'result'; readonly id: number; readonly result: SimulationResult }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };
