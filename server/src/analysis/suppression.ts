// Suppression comments: `# gclens: ignore[...]`, `# noqa: ...` (B006 maps to GCL001), and the edit that adds one.
import type { Finding, TextEdit } from './findingTypes';

/** Codes of other tools that flag the same pattern as a GC Lens rule. */
const EQUIVALENT_CODES: Readonly<Record<string, readonly string[]>> = {
  GCL001: ['B006', 'dangerous-default-value', 'W0102'],
};

const GCLENS_IGNORE = /#\s*gclens:\s*ignore(?:\[([^\]]*)\])?/i;
const NOQA = /#\s*noqa(?::\s*([A-Za-z0-9_, -]+))?/i;
const PYLINT_DISABLE = /#\s*pylint:\s*disable=([A-Za-z0-9_, -]+)/i;

function codesIn(list: string | undefined): string[] | 'all' {
  if (list === undefined) return 'all';
  return list.split(/[,\s]+/).filter(Boolean).map((code) => code.toUpperCase());
}

/** Start offset of each line, for mapping a finding to the text of its first line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */) starts.push(i + 1);
    else if (ch === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** Zero-based index of the line containing `offset`, given `lineStarts(text)`. */
export function lineIndexOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

function lineEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return end;
}

/** Whether the line's comment suppresses `code`. The comment part is what follows the line's first `#`. */
export function lineSuppresses(line: string, code: string): boolean {
  const hash = line.indexOf('#');
  if (hash < 0) return false;
  const comment = line.slice(hash);
  const names = [code, ...(EQUIVALENT_CODES[code] ?? [])].map((name) => name.toUpperCase());
  const matches = (list: string[] | 'all'): boolean => list === 'all' || list.some((c) => names.includes(c));
  const ignore = GCLENS_IGNORE.exec(comment);
  if (ignore && matches(codesIn(ignore[1]))) return true;
  const noqa = NOQA.exec(comment);
  if (noqa && matches(codesIn(noqa[1]))) return true;
  const pylint = PYLINT_DISABLE.exec(comment);
  return pylint !== null && matches(codesIn(pylint[1]));
}

export function removeSuppressed(text: string, findings: readonly Finding[]): Finding[] {
  if (!text.includes('#')) return [...findings];
  const starts = lineStarts(text);
  return findings.filter((finding) => {
    const start = starts[lineIndexOf(starts, finding.range.start)];
    return !lineSuppresses(text.slice(start, lineEnd(text, start)), finding.code);
  });
}

/** The edit that silences `finding` on its line: extends an existing `# gclens: ignore[...]` or appends one. */
export function suppressionEdit(text: string, finding: Finding): TextEdit {
  const starts = lineStarts(text);
  const start = starts[lineIndexOf(starts, finding.range.start)];
  const end = lineEnd(text, start);
  const line = text.slice(start, end);
  const existing = /#\s*gclens:\s*ignore\[([^\]]*)\]/i.exec(line);
  if (existing) {
    const listStart = start + existing.index + existing[0].indexOf('[') + 1;
    const listEnd = listStart + existing[1].length;
    const codes = existing[1].trim() ? `${existing[1].trim()}, ${finding.code}` : finding.code;
    return { range: { start: listStart, end: listEnd }, newText: codes };
  }
  const trimmedEnd = start + line.replace(/\s+$/, '').length;
  return { range: { start: trimmedEnd, end }, newText: `  # gclens: ignore[${finding.code}]` };
}
