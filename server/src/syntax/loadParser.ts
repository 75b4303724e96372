// Chooses the parser backend: native unless it cannot load (or the wasm one is asked for).
import { loadNativePythonParser } from './nativeParser';
import type { PythonParser } from './syntaxTypes';
import { loadWasmPythonParser } from './wasmParser';

export type ParserPreference = 'auto' | 'native' | 'wasm';

export interface LoadedParser {
  readonly parser: PythonParser;
  /** Why the native backend was not used, when `auto` fell back to wasm. */
  readonly fallbackReason?: string;
}

/** Reads GCLENS_PARSER (auto|native|wasm) so any process can be forced onto a backend. */
export function parserPreferenceFromEnv(env: NodeJS.ProcessEnv = process.env): ParserPreference | undefined {
  const value = env.GCLENS_PARSER;
  return value === 'auto' || value === 'native' || value === 'wasm' ? value : undefined;
}

export async function loadPythonParser(preference: ParserPreference = 'auto'): Promise<LoadedParser> {
  if (preference === 'wasm') return { parser: await loadWasmPythonParser() };
  if (preference === 'native') return { parser: loadNativePythonParser() };
  try {
    return { parser: loadNativePythonParser() };
  } catch (error) {
    const fallbackReason = error instanceof Error ? error.message : String(error);
    return { parser: await loadWasmPythonParser(), fallbackReason };
  }
}
