// GitHub Actions workflow commands: one `::warning file=…,line=…::message` annotation per finding.
import { findingsOf, reportLevel, type CheckReport } from './checkReport';

/** Escaping of a command's message, as the runner expects it. */
function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values additionally escape the separators `:` and `,`. */
function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderGithub(report: CheckReport): string {
  const lines = findingsOf(report).map(({ displayPath, finding }) => {
    const { start, end } = finding.span;
    const properties = [
      `file=${escapeProperty(displayPath.split('\\').join('/'))}`,
      `line=${start.line}`,
      `col=${start.column}`,
      `endLine=${end.line}`,
      `endColumn=${end.column}`,
      `title=${escapeProperty(`${finding.code} ${finding.name}`)}`,
    ];
    const level = reportLevel(finding.severity);
    return `::${level === 'note' ? 'notice' : level} ${properties.join(',')}::${escapeData(finding.message)}`;
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
