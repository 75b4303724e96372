// Ruff's WebAssembly build checking only B006, the peer DESIGN §8 measures GC Lens against.

/** A Ruff B006 report, 1-based line and column of the default value (Ruff points at the default, not the parameter). */
export interface RuffB006Finding {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface RuffB006Checker {
  readonly version: string;
  check(text: string): RuffB006Finding[];
}

interface RuffDiagnostic {
  code: string | null;
  start_location: { row: number; column: number };
  end_location: { row: number; column: number };
}

type RuffModule = typeof import('@astral-sh/ruff-wasm-nodejs');


export function createRuffB006Checker(): RuffB006Checker {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ruff = require('@astral-sh/ruff-wasm-nodejs') as RuffModule;
  const workspace = new ruff.Workspace({ lint: { select: ['B006'] } }, ruff.PositionEncoding.Utf16);
  return {
    version: ruff.Workspace.version(),
    check(text: string): RuffB006Finding[] {
      let diagnostics: RuffDiagnostic[];
      try {
        diagnostics = workspace.check(text) as RuffDiagnostic[];
      } catch {
        return []; // Ruff's parser rejects some files outright; they count as no findings.
      }
      return diagnostics
        .filter((d) => d.code === 'B006')
        .map((d) => ({ line: d.start_location.row, column: d.start_location.column, endLine: d.end_location.row, endColumn: d.end_location.column }));
    },
  };
}
