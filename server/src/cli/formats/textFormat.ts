// The human format, like Ruff's: `path:line:col: CODE [lifetime] message`, fix lines, and a summary.
import { countReport, findingsOf, plural, type CheckReport } from './checkReport';

export function renderText(report: CheckReport): string {
  const lines: string[] = [];
  for (const { displayPath, finding } of findingsOf(report)) {
    const { line, column } = finding.span.start;
    lines.push(`${displayPath}:${line}:${column}: ${finding.code} [${finding.lifetime}] ${finding.message}`);
    for (const related of finding.related) {
      lines.push(`  note: ${displayPath}:${related.span.start.line}:${related.span.start.column}: ${related.message}`);
    }
    for (const fix of finding.fixes) lines.push(`  fix: ${fix.title}${fix.applicability === 'unsafe' ? ' (unsafe)' : ''}`);
  }
  const counts = countReport(report);
  if (lines.length > 0) lines.push('');
  if (counts.fixesApplied > 0) lines.push(`Fixed ${plural(counts.fixesApplied, 'finding')} in ${plural(counts.filesFixed, 'file')}.`);
  if (counts.findings === 0) {
    lines.push(`No findings (${plural(counts.checkedFiles, 'file')} checked).`);
  } else {
    const hints: string[] = [];
    if (counts.safelyFixable > 0) hints.push(`${counts.safelyFixable} fixable with --fix`);
    if (counts.unsafelyFixable > 0) hints.push(`${counts.unsafelyFixable} fixable with --fix --unsafe-fixes`);
    const remaining = counts.fixesApplied > 0 ? ' remaining' : '';
    lines.push(`Found ${plural(counts.findings, 'finding')}${remaining} in ${plural(counts.filesWithFindings, 'file')}${hints.length > 0 ? ` (${hints.join(', ')})` : ''}.`);
  }
  return `${lines.join('\n')}\n`;
}
