// The `try`/`finally: del name` fix shared by GCL304 and GCL305: the rest of the block runs in a try whose finally
// deletes the names a frame or traceback was bound to, so the frame → locals → name → frame cycle never outlives it.
import type { Fix } from '../analysis/findingTypes';
import { lineBreakForFix, lineEndAt, lineStartAt } from '../analysis/textLines';
import { bindingSites, referencesTo } from '../semantic/nameFlow';
import type { ScopeIndex } from '../semantic/scopeIndex';
import type { SyntaxNode } from '../syntax/syntaxTypes';

export interface TryFinallyDelInput {
  readonly text: string;
  /** The statement that binds the names; its parent must be a block. */
  readonly statement: SyntaxNode;
  /** The names to delete, in the order `del` lists them. */
  readonly names: readonly string[];
  /** The function the statement belongs to. */
  readonly scope: SyntaxNode;
  readonly scopes: ScopeIndex;
}

/**
 * The safe fix, or undefined when it cannot be written mechanically: every use of the names must come after the
 * statement in its own block (none later, none in a nested function, no `del` of them already), the statements
 * must each start their own line, and no multi-line string may lie in the lines that get indented.
 */
export function tryFinallyDelFix(input: TryFinallyDelInput): Fix | undefined {
  const { text, statement, names, scope, scopes } = input;
  const block = statement.parent;
  if (block?.type !== 'block' || names.length === 0 || scope.hasError) return undefined;
  const indent = text.slice(lineStartAt(text, statement.startIndex), statement.startIndex);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const following: SyntaxNode[] = [];
  for (let next = statement.nextNamedSibling; next; next = next.nextNamedSibling) if (next.type !== 'comment') following.push(next);
  const restStart = following.length > 0 ? following[0].startIndex : statement.endIndex;
  const restEnd = following.length > 0 ? following[following.length - 1].endIndex : statement.endIndex;
  const body = scope.childForFieldName('body');
  if (!body) return undefined;
  for (const name of names) {
    for (const reference of referencesTo(body, name)) {
      const inStatement = reference.startIndex >= statement.startIndex && reference.endIndex <= statement.endIndex;
      const inRest = reference.startIndex >= restStart && reference.endIndex <= restEnd;
      if ((!inStatement && !inRest) || (inRest && scopes.inNestedScope(reference, scope))) return undefined;
    }
    const deleted = bindingSites(scope, scopes).some((site) => site.name === name && site.node.parent?.type === 'delete_statement');
    if (deleted) return undefined;
  }
  const eol = lineBreakForFix(text, statement.endIndex);
  const unit = indent.includes('\t') ? '\t' : '    ';
  const deletion = `del ${names.join(', ')}`;
  if (following.length === 0) {
    const at = lineEndAt(text, statement.endIndex);
    return { title: `Delete \`${names.join('`, `')}\` after use`, applicability: 'safe', edits: [{ range: { start: at, end: at }, newText: `${eol}${indent}${deletion}` }], imports: [] };
  }
  // Each statement on its own line: `x = f(); y` or a comment after the last statement's line would not move.
  const firstLineStart = lineStartAt(text, restStart);
  if (text.slice(firstLineStart, restStart) !== indent || lineStartAt(text, statement.endIndex) === firstLineStart) return undefined;
  const lastLineEnd = lineEndAt(text, restEnd);
  const rest = text.slice(firstLineStart, lastLineEnd);
  if (block.descendantsOfType('string').some((string) => string.startIndex >= restStart && string.endIndex <= restEnd && /[\r\n]/.test(string.text))) return undefined;
  const indented = rest.split(/(\r\n|\r|\n)/).map((part, i) => (i % 2 === 0 && part.trim() !== '' ? unit + part : part)).join('');
  const newText = `${indent}try:${eol}${indented}${eol}${indent}finally:${eol}${indent}${unit}${deletion}`;
  return {
    title: `Wrap the rest of the block in \`try\`/\`finally: ${deletion}\``,
    applicability: 'safe',
    edits: [{ range: { start: firstLineStart, end: lastLineEnd }, newText }],
    imports: [],
  };
}
