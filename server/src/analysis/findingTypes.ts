// The data a rule produces and every surface (LSP, CLI, tests) consumes: findings, fixes, edits.

/** Whether the objects are freed only by the cyclic GC, never freed, or shared across calls. */
export type Lifetime = 'cycle' | 'leak' | 'shared-state';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Half-open range of UTF-16 code-unit offsets into the document text. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

export interface TextEdit {
  readonly range: TextRange;
  readonly newText: string;
}

/** An import a fix needs; added once, in the module's import block. */
export type ImportRequest =
  | { readonly kind: 'module'; readonly module: string } // import weakref
  | { readonly kind: 'name'; readonly module: string; readonly name: string }; // from typing import Optional

/** Safe fixes keep behaviour a caller can observe; unsafe ones are offered as quick fixes only. */
export type FixApplicability = 'safe' | 'unsafe';

export interface Fix {
  readonly title: string;
  readonly applicability: FixApplicability;
  readonly edits: readonly TextEdit[];
  readonly imports: readonly ImportRequest[];
}

export interface RelatedLocation {
  readonly range: TextRange;
  readonly message: string;
}

export interface Finding {
  readonly code: string;
  readonly name: string;
  readonly lifetime: Lifetime;
  readonly severity: Severity;
  readonly range: TextRange;
  readonly message: string;
  readonly related: readonly RelatedLocation[];
  readonly fixes: readonly Fix[];
}

/** What a rule reports; the engine adds code, name, lifetime and severity from the rule's metadata. */
export interface FindingDraft {
  readonly range: TextRange;
  readonly message: string;
  readonly related?: readonly RelatedLocation[];
  readonly fixes?: readonly Fix[];
  /** Overrides the rule's lifetime when one finding differs (e.g. a cycle that leaks before 3.4). */
  readonly lifetime?: Lifetime;
}
