// Suppression comments: `# gclens: ignore[...]`, `# noqa: ...` (B006 maps to GCL001), and the edit that adds one.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { Finding, TextEdit, TextRange } from './findingTypes';
import { lineEndAt, lineStartAt } from './textLines';

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

function nextLineStart(text: string, lineEnd: number): number {
  return text.startsWith('\r\n', lineEnd) ? lineEnd + 2 : lineEnd + 1;
}

/** Whether the line break at `lineEnd` is inside a string literal (a triple-quoted string goes on). */
function breakInsideString(root: SyntaxNode, lineEnd: number): boolean {
  for (let node = root.descendantForIndex(lineEnd); node; node = node.parent) {
    if ((node.type === 'string' || node.type === 'concatenated_string') && node.startIndex < lineEnd && lineEnd < node.endIndex - 1) return true;
    if (node.type.endsWith('statement') || node.type === 'module') return false;
  }
  return false;
}

/**
 * The physical line where a suppression for a finding starting at `offset` belongs: the last line of its
 * logical line when the line goes on with a `\` or inside a multi-line string (no comment can stand there).
 */
export function suppressionLine(text: string, root: SyntaxNode, offset: number): TextRange {
  let start = lineStartAt(text, offset);
  let end = lineEndAt(text, start);
  while (end < text.length && (text[end - 1] === '\\' || breakInsideString(root, end))) {
    start = nextLineStart(text, end);
    end = lineEndAt(text, start);
  }
  return { start, end };
}

/** The comment on the line (from its `#` to the line end), if tree-sitter sees one: not a `#` in a string. */
export function commentOnLine(text: string, root: SyntaxNode, line: TextRange): TextRange | undefined {
  for (let hash = text.indexOf('#', line.start); hash >= 0 && hash < line.end; hash = text.indexOf('#', hash + 1)) {
    const node = root.descendantForIndex(hash);
    if (node && node.type === 'comment' && node.startIndex === hash) return { start: hash, end: line.end };
  }
  return undefined;
}

/** Whether a comment (the text from its `#`) suppresses `code`. */
export function commentSuppresses(comment: string, code: string): boolean {
  const names = [code, ...(EQUIVALENT_CODES[code] ?? [])].map((name) => name.toUpperCase());
  const matches = (list: string[] | 'all'): boolean => list === 'all' || list.some((c) => names.includes(c));
  const ignore = GCLENS_IGNORE.exec(comment);
  if (ignore && matches(codesIn(ignore[1]))) return true;
  const noqa = NOQA.exec(comment);
  if (noqa && matches(codesIn(noqa[1]))) return true;
  const pylint = PYLINT_DISABLE.exec(comment);
  return pylint !== null && matches(codesIn(pylint[1]));
}

/** The findings no suppression comment silences. */
export function removeSuppressed(text: string, root: SyntaxNode, findings: readonly Finding[]): Finding[] {
  if (!text.includes('#')) return [...findings];
  return findings.filter((finding) => {
    const comment = commentOnLine(text, root, suppressionLine(text, root, finding.range.start));
    return !comment || !commentSuppresses(text.slice(comment.start, comment.end), finding.code);
  });
}

/** The edit that silences `finding`: extends an existing `# gclens: ignore[...]` on its line or appends one. */
export function suppressionEdit(text: string, root: SyntaxNode, finding: Finding): TextEdit {
  const line = suppressionLine(text, root, finding.range.start);
  const comment = commentOnLine(text, root, line);
  const existing = comment ? /#\s*gclens:\s*ignore\[([^\]]*)\]/i.exec(text.slice(comment.start, comment.end)) : null;
  if (comment && existing) {
    const listStart = comment.start + existing.index + existing[0].indexOf('[') + 1;
    const listEnd = listStart + existing[1].length;
    const codes = existing[1].trim() ? `${existing[1].trim()}, ${finding.code}` : finding.code;
    return { range: { start: listStart, end: listEnd }, newText: codes };
  }
  const trimmedEnd = line.start + text.slice(line.start, line.end).replace(/\s+$/, '').length;
  return { range: { start: trimmedEnd, end: line.end }, newText: `  # gclens: ignore[${finding.code}]` };
}
