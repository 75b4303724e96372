// A node's ancestors below a known ancestor, found walking down with a tree cursor: a native `parent` costs the node's depth.
import type { SyntaxNode, SyntaxTreeCursor } from './syntaxTypes';

/** Whether the cursor's node spans `node` (a child on the way down to it). */
function spans(cursor: SyntaxTreeCursor, node: SyntaxNode): boolean {
  return cursor.startIndex <= node.startIndex && node.endIndex <= cursor.endIndex;
}

/**
 * Moves the cursor to its child on the way down to `node`. `gotoFirstChildForIndex` gets there in C, but
 * web-tree-sitter 0.25 reads the index from the wrong slot (it lands on some other child, and its answer is the C
 * child index cast to a boolean): where it landed is checked, and a miss falls back to stepping over the children.
 */
function childToward(cursor: SyntaxTreeCursor, node: SyntaxNode): boolean {
  const depth = cursor.currentDepth;
  cursor.gotoFirstChildForIndex(node.startIndex);
  const moved = cursor.currentDepth > depth;
  if (moved && spans(cursor, node) && cursor.endIndex > node.startIndex) return true;
  if (moved) cursor.gotoParent();
  if (!cursor.gotoFirstChild()) return false;
  while (cursor.endIndex <= node.startIndex) if (!cursor.gotoNextSibling()) return false;
  return spans(cursor, node);
}

/**
 * The nodes from `top` (first) down to the parent of `node` (last), found by one walk down from `top` with a tree
 * cursor: its cost is the depth between them, where climbing `parent` costs depth² (each step walks down from the
 * root in the native binding). Undefined when `node` is not below `top`, or is a zero-width node the walk cannot
 * place (a MISSING token at the end of its parent): callers then climb `parent`.
 */
export function ancestorsWithin(top: SyntaxNode, node: SyntaxNode): SyntaxNode[] | undefined {
  if (node.startIndex < top.startIndex || node.endIndex > top.endIndex || node.startIndex === node.endIndex) return undefined;
  if (node.id === top.id) return [];
  const cursor = top.walk();
  try {
    const chain: SyntaxNode[] = [top];
    for (;;) {
      if (!childToward(cursor, node)) return undefined;
      const current = cursor.currentNode;
      if (current.id === node.id) return chain;
      chain.push(current);
    }
  } finally {
    cursor.delete?.();
  }
}

/** `node`'s ancestors within `top`, outermost first: by the cursor walk, else (a zero-width node) by climbing `parent`. */
export function ancestorsBelow(top: SyntaxNode, node: SyntaxNode): SyntaxNode[] {
  const walked = ancestorsWithin(top, node);
  if (walked) return walked;
  const climbed: SyntaxNode[] = [];
  for (let parent = node.parent; parent; parent = parent.parent) {
    climbed.push(parent);
    if (parent.id === top.id) break;
  }
  return climbed.reverse();
}
