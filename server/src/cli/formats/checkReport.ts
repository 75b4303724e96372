// What every output format renders: the outcomes of a run, sorted, plus counts the summaries need.
import type { Severity } from '../../analysis/findingTypes';
import type { FileOutcome, FixMode, LocatedFinding } from '../checkTypes';

export interface CheckReport {
  /** One per file, sorted by display path. */
  readonly outcomes: readonly FileOutcome[];
  readonly fixMode: FixMode;
  /** The folder relative paths are relative to (SARIF's %SRCROOT%). */
  readonly cwd: string;
  readonly toolVersion: string;
}

export interface FindingInFile {
  readonly displayPath: string;
  readonly absolutePath: string;
  readonly finding: LocatedFinding;
}

/** Every finding with its file, in output order (files sorted, findings by position within a file). */
export function findingsOf(report: CheckReport): FindingInFile[] {
  const all: FindingInFile[] = [];
  for (const outcome of report.outcomes) {
    if (outcome.kind !== 'checked') continue;
    for (const finding of outcome.findings) all.push({ displayPath: outcome.displayPath, absolutePath: outcome.absolutePath, finding });
  }
  return all;
}

export interface ReportCounts {
  readonly checkedFiles: number;
  readonly findings: number;
  readonly filesWithFindings: number;
  /** Findings a plain `--fix` would fix (they have a safe fix). */
  readonly safelyFixable: number;
  /** Findings only `--unsafe-fixes` would fix. */
  readonly unsafelyFixable: number;
  readonly fixesApplied: number;
  readonly filesFixed: number;
}

export function countReport(report: CheckReport): ReportCounts {
  let checkedFiles = 0;
  let findings = 0;
  let filesWithFindings = 0;
  let safelyFixable = 0;
  let unsafelyFixable = 0;
  let fixesApplied = 0;
  let filesFixed = 0;
  for (const outcome of report.outcomes) {
    if (outcome.kind !== 'checked') continue;
    checkedFiles++;
    fixesApplied += outcome.fixesApplied;
    if (outcome.fixesApplied > 0) filesFixed++;
    if (outcome.findings.length > 0) filesWithFindings++;
    for (const finding of outcome.findings) {
      findings++;
      if (finding.fixes.some((fix) => fix.applicability === 'safe')) safelyFixable++;
      else if (finding.fixes.length > 0) unsafelyFixable++;
    }
  }
  return { checkedFiles, findings, filesWithFindings, safelyFixable, unsafelyFixable, fixesApplied, filesFixed };
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The three levels CI systems show (SARIF `level`; GitHub uses `notice` for `note`). */
export function reportLevel(severity: Severity): 'error' | 'warning' | 'note' {
  switch (severity) {
    case 'error':
      return 'error';
    case 'warning':
      return 'warning';
    case 'information':
    case 'hint':
      return 'note';
    default: {
      const unexpected: never = severity;
      throw new Error(`unknown severity ${String(unexpected)}`);
    }
  }
}
