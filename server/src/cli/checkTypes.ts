// The data `gclens check` passes between the walker, the workers and the output formats (all structured-clonable).
import type { SourceSkipReason } from '../workspace/sourceFile';
import type { FixApplicability, Lifetime, Severity } from '../analysis/findingTypes';
import type { AnalysisSettings } from '../analysis/settings';

/**
 * A point in a file. `line` and `column` are 1-based; columns count UTF-16 code units (SARIF's default
 * `utf16CodeUnits` column kind, and what VS Code shows). `offset` is 0-based, in UTF-16 code units into the
 * decoded text (UTF-8, without a byte-order mark).
 */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface SourceSpan {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

export interface LocatedEdit {
  readonly span: SourceSpan;
  readonly newText: string;
}

/** A fix with every edit it makes, the import insertions included. */
export interface LocatedFix {
  readonly title: string;
  readonly applicability: FixApplicability;
  readonly edits: readonly LocatedEdit[];
}

export interface LocatedFinding {
  readonly code: string;
  readonly name: string;
  readonly message: string;
  readonly severity: Severity;
  readonly lifetime: Lifetime;
  readonly span: SourceSpan;
  readonly related: readonly { readonly message: string; readonly span: SourceSpan }[];
  readonly fixes: readonly LocatedFix[];
}

/** One file to check: where it is, how to show it, and which resolved settings govern it. */
export type { FileTask } from '../workspace/pythonFiles';

/** What `--fix` / `--unsafe-fixes` asked for. */
export type FixMode = 'none' | 'safe' | 'unsafe';

/** Everything a worker needs besides its tasks. */
export interface CheckJob {
  readonly settingsTable: readonly AnalysisSettings[];
  readonly fixMode: FixMode;
}

/** Why a file was not checked; `internal-error` is a GC Lens bug, reported for that file only. */
export type SkipReason = SourceSkipReason | 'internal-error';

export type FileOutcome =
  | {
      readonly kind: 'checked';
      readonly displayPath: string;
      readonly absolutePath: string;
      readonly findings: readonly LocatedFinding[];
      /** Fixes `--fix` applied (and wrote back) in this file. */
      readonly fixesApplied: number;
    }
  | {
      readonly kind: 'skipped';
      readonly displayPath: string;
      readonly absolutePath: string;
      readonly reason: SkipReason;
      readonly message: string;
    };
