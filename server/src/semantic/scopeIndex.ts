// The one answer to "which function, lambda, class or comprehension holds this node", for rules and facts alike.
import { NestedRanges, type HoldingRange } from '../syntax/nestedRanges';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { DocumentFactKey, SemanticModel } from './semanticModel';

/** Nodes whose insides are another scope. A function's, lambda's or class's body is recorded as its own range. */
const SCOPE_NODE_KINDS = [
  'function_definition', 'class_definition', 'lambda',
  'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression',
];
const WITH_BODY: ReadonlySet<string> = new Set(['function_definition', 'class_definition', 'lambda']);

/** Parent steps `owningScope` climbs before it asks the ranges (each step costs the node's depth in the native binding). */
const SHORT_CLIMB = 6;

/**
 * The scopes of a document as nested ranges, found by C walks over the tree: every question about enclosing scopes
 * is a binary search plus a climb over scopes only, never over `parent` (which costs a native node's depth).
 * "Holds" is the tree's ancestor relation: a node's own range does not hold it. A function's header (name,
 * parameters, defaults, return annotation) is in the function's node range but not in its body. The ranges are
 * read per top-level statement, on the first question about a node inside it: most questions are about a few
 * statements (an import's scope, a default's names), and a top-level statement itself needs none.
 */
export class ScopeIndex {
  private statements: readonly SyntaxNode[] | undefined;
  private starts: number[] = [];
  private readonly byStatement = new Map<number, NestedRanges>();

  /** Nothing is walked until the first question. */
  constructor(private readonly root: SyntaxNode) {}

  /** The nested ranges of the top-level statement holding `node` (undefined: `node` is one, or lies in none). */
  private rangesAround(node: SyntaxNode): NestedRanges | undefined {
    if (!this.statements) {
      this.statements = this.root.namedChildren;
      this.starts = this.statements.map((statement) => statement.startIndex);
    }
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.starts[middle] <= node.startIndex) low = middle + 1;
      else high = middle;
    }
    const statement = this.statements[low - 1];
    if (!statement || statement.endIndex < node.endIndex || statement.id === node.id) return undefined;
    let ranges = this.byStatement.get(low - 1);
    if (!ranges) {
      const scopes = statement.descendantsOfType(SCOPE_NODE_KINDS).filter((scope) => scope.isNamed);
      ranges = new NestedRanges(scopes, (scope) => (WITH_BODY.has(scope.type) ? scope.childForFieldName('body') : null));
      this.byStatement.set(low - 1, ranges);
    }
    return ranges;
  }

  /** The innermost scope range (a scope's node or its body) holding `node`. */
  innermost(node: SyntaxNode): HoldingRange | undefined {
    return this.rangesAround(node)?.innermost(node);
  }

  /** The scope ranges holding `node`, innermost first. */
  *holding(node: SyntaxNode): Generator<HoldingRange> {
    for (let range = this.innermost(node); range; range = range.outer) yield range;
  }

  /** The innermost range of a function, lambda or class holding `node` (comprehensions are looked through). */
  private innermostDefinitionRange(node: SyntaxNode): HoldingRange | undefined {
    for (const range of this.holding(node)) if (WITH_BODY.has(range.node.type)) return range;
    return undefined;
  }

  /** The innermost function, lambda or class holding `node` (in its header or its body), or null. */
  innermostDefinition(node: SyntaxNode): SyntaxNode | null {
    return this.innermostDefinitionRange(node)?.node ?? null;
  }

  /**
   * The function whose body holds `node`, through comprehensions: null at module level, in a class body, inside a
   * lambda, and in a function's header (its defaults run where the `def` does).
   */
  enclosingFunction(node: SyntaxNode): SyntaxNode | null {
    const range = this.innermostDefinitionRange(node);
    return range?.part === 'body' && range.node.type === 'function_definition' ? range.node : null;
  }

  /**
   * The scope a statement binds its names in: the nearest function, lambda or class whose body holds it; null for
   * the module. Statements nest only as deep as blocks do, and most imports (what asks this most) sit at module level
   * or right in a function: a short climb answers them without reading the statement's scopes.
   */
  owningScope(node: SyntaxNode): SyntaxNode | null {
    let child = node;
    let parent = node.parent;
    for (let steps = 0; parent && steps < SHORT_CLIMB; child = parent, parent = parent.parent, steps++) {
      if (WITH_BODY.has(parent.type) && parent.childForFieldName('body')?.id === child.id) return parent;
    }
    if (!parent) return null;
    for (const range of this.holding(node)) if (range.part === 'body') return range.node;
    return null;
  }

  /**
   * The non-module scopes whose bindings an expression sees, innermost first. A function's defaults and
   * decorators are evaluated in the enclosing scope, so a scope counts only when the expression is inside its
   * body; a class body is visible only to code directly in it, not to functions nested in it. Lazy: name lookups
   * stop at the first scope that binds the name.
   */
  *enclosingScopes(node: SyntaxNode): Generator<SyntaxNode> {
    let insideFunction = false;
    for (const range of this.holding(node)) {
      if (range.part !== 'body') continue;
      if (range.node.type === 'class_definition') {
        if (!insideFunction) yield range.node;
      } else {
        yield range.node;
        insideFunction = true;
      }
    }
  }

  /**
   * Whether a scope other than `scope` lies between `node` and `scope` (`scope`: a function, lambda, the module, or
   * any node holding `node`, such as a block: then the question is whether a scope inside that block holds it).
   */
  inNestedScope(node: SyntaxNode, scope: SyntaxNode): boolean {
    const inner = this.innermost(node)?.node;
    return inner !== undefined && inner.id !== scope.id && scope.startIndex <= inner.startIndex && inner.endIndex <= scope.endIndex;
  }
}

/** The document's scope index, built on first use and shared by every rule and fact of one analysis. */
export const SCOPE_INDEX: DocumentFactKey<ScopeIndex> = {
  name: 'scope index',
  compute: (root) => new ScopeIndex(root),
};

/** The scope index of the model's document. */
export function scopesOf(semantic: SemanticModel): ScopeIndex {
  return semantic.fact(SCOPE_INDEX);
}
