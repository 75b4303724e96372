// Which `def` or `lambda` a node is in: a short parent climb, else the document's scope index; remembered per node.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { ScopeIndex } from './scopeIndex';

/** Blanks and the first character of a name, right after a `def` or `class` keyword (sticky: tried at one offset). */
export const NAME_AFTER_KEYWORD = /[ \t]+[^\s(:]/y;

/** Parent steps one question climbs before it asks the scope index. */
const CLIMB_STEPS = 24;

/** Parent steps all the climbs of one document may take together (each costs the node's depth in the native binding). */
const CLIMB_BUDGET = 4096;

/** The innermost `def` or `lambda` around a node. */
export interface FunctionIndex {
  /** The innermost `def` or `lambda` around `node` (in its header or body, not `node` itself); null at module or class level. */
  innermost(node: SyntaxNode): SyntaxNode | null;
}

/**
 * The functions of the scope index's document, for the container facts. Their questions are few and sparse (a few
 * references per container), and a reference sits a few levels below its function: a short parent climb answers
 * most of them for far less than reading the scopes of a whole statement (a large class: all its methods). Each
 * step costs the node's depth in the native binding, so a climb gives up after CLIMB_STEPS steps, and after
 * CLIMB_BUDGET steps in a document the scope index answers every question (deep nesting cannot make it quadratic);
 * the function around a lambda (what chains of nested lambdas ask) always comes from the index.
 */
export function functionIndex(scopes: ScopeIndex): FunctionIndex {
  const innermostById = new Map<number, SyntaxNode | null>();
  let climbsLeft = CLIMB_BUDGET;
  const climbed = (node: SyntaxNode): SyntaxNode | null | undefined => {
    let child = node;
    for (let steps = 0; steps < CLIMB_STEPS && climbsLeft > 0; steps++, climbsLeft--) {
      const parent = child.parent;
      if (!parent) return null;
      if (parent.type === 'function_definition' || parent.type === 'lambda') return parent;
      child = parent;
    }
    return undefined;
  };
  return {
    innermost(node) {
      let found = innermostById.get(node.id);
      if (found === undefined) {
        // A lambda's own enclosing function is asked of the index: chains of them (10,000 nested lambdas) would make
        // one-step climbs of deep nodes quadratic.
        found = node.type === 'lambda' ? undefined : climbed(node);
        if (found === undefined) found = scopes.innermostFunction(node);
        innermostById.set(node.id, found);
      }
      return found;
    },
  };
}
