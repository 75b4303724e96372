// Reads the expected findings written as comments in rule fixtures (syntax: test/fixtures/rules/README.md).
import type { Finding } from '../../server/src/analysis/findingTypes';
import { lineStarts } from '../../server/src/analysis/textLines';
import type { PythonParser, SyntaxNode } from '../../server/src/syntax/syntaxTypes';

/** A finding's place as the fixtures spell it: 1-based line, 1-based inclusive columns. */
export interface FixtureSpan {
  readonly line: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export type MessageExpectation =
  | { readonly kind: 'exact'; readonly text: string }
  | { readonly kind: 'contains'; readonly text: string };

export interface Expectation {
  readonly code: string;
  readonly span: FixtureSpan;
  readonly message: MessageExpectation;
  /** Line of the comment that states it (for error messages). */
  readonly writtenAt: number;
}

export interface FixtureAnnotations {
  readonly expectations: Expectation[];
  /** Raw settings from a `# fixture-settings: {...}` comment, validated by the harness. */
  readonly settings: Record<string, unknown>;
  /** Malformed annotations: a fixture with any fails. */
  readonly errors: string[];
}

const SETTINGS = /^#\s*fixture-settings:\s*(\{.*\})\s*$/;
const CARET = /^#(\s*)(\^+)\s+(.*)$/;
const DIRECTIVE = /^\s*(expect|expect-next-line):\s*/;

/** Reads a JSON string literal at the start of `rest`; returns it and what follows. */
function readJsonString(rest: string): { value: string; rest: string } | undefined {
  if (!rest.startsWith('"')) return undefined;
  for (let i = 1; i < rest.length; i++) {
    if (rest[i] === '\\') i++;
    else if (rest[i] === '"') return { value: JSON.parse(rest.slice(0, i + 1)) as string, rest: rest.slice(i + 1) };
  }
  return undefined;
}

function messageExpectation(text: string): MessageExpectation {
  return text.length > 6 && text.startsWith('...') && text.endsWith('...')
    ? { kind: 'contains', text: text.slice(3, -3) }
    : { kind: 'exact', text };
}

/** `9-10` on `line`, or `9-+2:4` (ending two lines further down, at column 4). */
function parseSpan(token: string, line: number): FixtureSpan | undefined {
  const match = /^(\d+)-(?:\+(\d+):)?(\d+)$/.exec(token);
  if (!match) return undefined;
  return { line, startColumn: Number(match[1]), endLine: line + Number(match[2] ?? 0), endColumn: Number(match[3]) };
}

/** Parses `CODE SPAN "message"` items, each after `expect:`/`expect-next-line:`, from one comment's text. */
function parseDirectives(comment: string, commentLine: number, errors: string[]): Expectation[] {
  const found: Expectation[] = [];
  // Expectations may follow other comment text on the line, e.g. a suppression comment under test.
  const at = comment.search(/\bexpect(-next-line)?:/);
  if (at < 0) return found;
  let rest = comment.slice(at);
  while (rest.trim() !== '') {
    const directive = DIRECTIVE.exec(rest);
    if (!directive) {
      errors.push(`line ${commentLine}: cannot read "${rest.trim()}" (expected \`expect: CODE COLUMNS "message"\`)`);
      break;
    }
    rest = rest.slice(directive[0].length);
    const line = directive[1] === 'expect' ? commentLine : commentLine + 1;
    const head = /^(GCL\d{3})\s+(\S+)\s*/.exec(rest);
    const span = head ? parseSpan(head[2], line) : undefined;
    const message = head ? readJsonString(rest.slice(head[0].length)) : undefined;
    if (!head || !span || !message) {
      errors.push(`line ${commentLine}: malformed expectation "${rest.trim()}"`);
      break;
    }
    found.push({ code: head[1], span, message: messageExpectation(message.value), writtenAt: commentLine });
    rest = message.rest.trim();
  }
  return found;
}

/** Every annotation in a fixture, read from the comment nodes of its tree (so `#` inside strings is ignored). */
export function readAnnotations(text: string, parser: PythonParser): FixtureAnnotations {
  const tree = parser.parse(text);
  const expectations: Expectation[] = [];
  const errors: string[] = [];
  let settings: Record<string, unknown> = {};
  try {
    const comments: SyntaxNode[] = parser.query('(comment) @comment').captures(tree.rootNode).map((capture) => capture.node);
    const starts = lineStarts(text);
    const caretLines = new Set<number>();
    for (const comment of comments) {
      const line = comment.startPosition.row + 1;
      const ownLine = /^[ \t]*$/.test(text.slice(starts[line - 1], comment.startIndex));
      const settingsMatch = SETTINGS.exec(comment.text);
      const caret = ownLine ? CARET.exec(comment.text) : null;
      if (settingsMatch) {
        try {
          settings = JSON.parse(settingsMatch[1]) as Record<string, unknown>;
        } catch {
          errors.push(`line ${line}: fixture-settings is not valid JSON`);
        }
      } else if (caret) {
        // `#   ^^^ GCL001 "message"`: the carets mark columns on the closest line above that is not a caret line.
        caretLines.add(line);
        let target = line - 1;
        while (caretLines.has(target)) target--;
        const startColumn = comment.startPosition.column + 2 + caret[1].length;
        const head = /^(GCL\d{3})\s+/.exec(caret[3]);
        const message = head ? readJsonString(caret[3].slice(head[0].length)) : undefined;
        if (!head || !message || target < 1) errors.push(`line ${line}: malformed caret expectation`);
        else expectations.push({
          code: head[1],
          span: { line: target, startColumn, endLine: target, endColumn: startColumn + caret[2].length - 1 },
          message: messageExpectation(message.value),
          writtenAt: line,
        });
      } else {
        expectations.push(...parseDirectives(comment.text, line, errors));
      }
    }
  } finally {
    tree.dispose();
  }
  return { expectations, settings, errors };
}

/** A finding's span in fixture coordinates. */
export function spanOf(text: string, finding: Finding): FixtureSpan {
  const starts = lineStarts(text);
  const locate = (offset: number): { line: number; column: number } => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
    return { line: line + 1, column: offset - starts[line] + 1 };
  };
  const start = locate(finding.range.start);
  const end = locate(Math.max(finding.range.start, finding.range.end - 1));
  return { line: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

/** How a finding would be written as an expectation, for failure messages that can be pasted into a fixture. */
export function formatAsExpectation(text: string, finding: Finding): string {
  const span = spanOf(text, finding);
  const columns = span.endLine === span.line
    ? `${span.startColumn}-${span.endColumn}`
    : `${span.startColumn}-+${span.endLine - span.line}:${span.endColumn}`;
  return `line ${span.line}: # expect: ${finding.code} ${columns} ${JSON.stringify(finding.message)}`;
}

export function sameSpan(a: FixtureSpan, b: FixtureSpan): boolean {
  return a.line === b.line && a.startColumn === b.startColumn && a.endLine === b.endLine && a.endColumn === b.endColumn;
}

export function messageMatches(expected: MessageExpectation, actual: string): boolean {
  return expected.kind === 'exact' ? expected.text === actual : actual.includes(expected.text);
}
