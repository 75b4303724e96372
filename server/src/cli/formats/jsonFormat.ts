// The machine format: a stable JSON array of findings (documented in docs/cli.md; fields are only ever added).
import type { SourceSpan } from '../checkTypes';
import { findingsOf, type CheckReport } from './checkReport';

/** Lines/columns are 1-based, columns in UTF-16 code units; offsets 0-based UTF-16 code units; ends exclusive. */
function location(span: SourceSpan): object {
  return {
    start: { line: span.start.line, column: span.start.column, offset: span.start.offset },
    end: { line: span.end.line, column: span.end.column, offset: span.end.offset },
  };
}

export function renderJson(report: CheckReport): string {
  const findings = findingsOf(report).map(({ displayPath, finding }) => ({
    path: displayPath,
    code: finding.code,
    name: finding.name,
    message: finding.message,
    severity: finding.severity,
    lifetime: finding.lifetime,
    location: location(finding.span),
    related: finding.related.map((related) => ({ message: related.message, location: location(related.span) })),
    fixes: finding.fixes.map((fix) => ({
      title: fix.title,
      applicability: fix.applicability,
      edits: fix.edits.map((edit) => ({ location: location(edit.span), newText: edit.newText })),
    })),
  }));
  return `${JSON.stringify(findings, null, 2)}\n`;
}
