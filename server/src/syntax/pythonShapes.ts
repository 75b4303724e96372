// Small facts about Python syntax shapes that rules, fixes and the engine all ask (one definition each).
import type { SyntaxNode } from './syntaxTypes';

/** A statement that is only a string literal (a docstring when it opens a module, class or function body). */
export function isDocstring(statement: SyntaxNode): boolean {
  const expression = statement.type === 'expression_statement' && statement.namedChildCount === 1 ? statement.namedChild(0) : null;
  return expression?.type === 'string' || expression?.type === 'concatenated_string';
}

/** Import statements of every form, `from __future__` included. */
export const IMPORT_STATEMENT_KINDS: readonly string[] = ['import_statement', 'import_from_statement', 'future_import_statement'];

export function isImportStatement(node: SyntaxNode): boolean {
  return IMPORT_STATEMENT_KINDS.includes(node.type);
}

/** The `:` that ends a `def`/`class` header (before its body), if the header is complete. */
export function headerColon(definition: SyntaxNode): SyntaxNode | undefined {
  const body = definition.childForFieldName('body');
  if (!body) return undefined;
  return definition.children.filter((child) => child.type === ':' && child.endIndex <= body.startIndex).pop();
}

/**
 * Where to insert after `node`: its end, moved before a `\r` it swallowed. tree-sitter-python's comment token runs to
 * `\n`, so a statement ending in a comment on a CRLF line ends between `\r` and `\n`; inserting there splits the CRLF.
 */
export function insertionPointAfter(text: string, node: SyntaxNode): number {
  const end = node.endIndex;
  return end > 0 && text.charCodeAt(end - 1) === 13 && text.charCodeAt(end) === 10 ? end - 1 : end;
}
