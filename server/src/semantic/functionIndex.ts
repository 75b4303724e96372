// Which `def` or `lambda` a node is in: the container facts' view of the document's scope index, remembered per node.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { ScopeIndex } from './scopeIndex';

/** Blanks and the first character of a name, right after a `def` or `class` keyword (sticky: tried at one offset). */
export const NAME_AFTER_KEYWORD = /[ \t]+[^\s(:]/y;

/** The innermost `def` or `lambda` around a node. */
export interface FunctionIndex {
  /** The innermost `def` or `lambda` around `node` (in its header or body, not `node` itself); null at module or class level. */
  innermost(node: SyntaxNode): SyntaxNode | null;
}

/**
 * The functions of the scope index's document: answered by the index (the one the engine and the other rules share,
 * read per top-level statement) and remembered per node, as the container facts ask about the same functions often.
 */
export function functionIndex(scopes: ScopeIndex): FunctionIndex {
  const innermostById = new Map<number, SyntaxNode | null>();
  return {
    innermost(node) {
      let found = innermostById.get(node.id);
      if (found === undefined) innermostById.set(node.id, (found = scopes.innermostFunction(node)));
      return found;
    },
  };
}
