// Findings as LSP diagnostics: range, severity, rule code with its docs link, lifetime, related locations.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Lifetime, Severity } from '../analysis/findingTypes';
import type { LineIndex } from './lineIndex';

export const DIAGNOSTIC_SOURCE = 'gclens';

/** What a diagnostic carries so a code action request can find its finding again. */
export interface FindingReference {
  readonly code: string;
  readonly start: number;
  readonly end: number;
}

export function isFindingReference(value: unknown): value is FindingReference {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.start === 'number' && typeof candidate.end === 'number';
}

export function ruleDocsUrl(code: string): string {
  return `https://github.com/gclens/gclens/blob/main/docs/rules/${encodeURIComponent(code)}.md`;
}

function severityOf(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
    default: {
      const unreachable: never = severity;
      return unreachable;
    }
  }
}

/** A short label saying when the objects involved are freed. */
export function lifetimeLabel(lifetime: Lifetime): string {
  switch (lifetime) {
    case 'cycle':
      return 'cycle: freed only by the cyclic GC';
    case 'leak':
      return 'leak: never freed';
    case 'shared-state':
      return 'shared-state: one object shared across calls';
    default: {
      const unreachable: never = lifetime;
      return unreachable;
    }
  }
}

export function toDiagnostic(finding: Finding, uri: string, lines: LineIndex): Diagnostic {
  const data: FindingReference = { code: finding.code, start: finding.range.start, end: finding.range.end };
  return {
    range: lines.rangeOf(finding.range),
    severity: severityOf(finding.severity),
    code: finding.code,
    codeDescription: { href: ruleDocsUrl(finding.code) },
    source: DIAGNOSTIC_SOURCE,
    message: `${finding.message} [${lifetimeLabel(finding.lifetime)}]`,
    relatedInformation: finding.related.map((related) => ({
      location: { uri, range: lines.rangeOf(related.range) },
      message: related.message,
    })),
    data,
  };
}

/** Whether a client's diagnostic stands for `finding` (same rule and, through its data, same offsets). */
export function diagnosticMatches(diagnostic: Diagnostic, finding: Finding): boolean {
  const data: unknown = diagnostic.data;
  return isFindingReference(data) && data.code === finding.code && data.start === finding.range.start && data.end === finding.range.end;
}
