// Facts about a document computed once and shared by every rule (today: import aliases and module bindings).
import { IMPORT_STATEMENT_KINDS } from '../syntax/pythonShapes';
import type { SyntaxNode } from '../syntax/syntaxTypes';

/** Node kinds the semantic model needs from the engine's single capture pass. */
// `from __future__ import annotations` changes how fixes write annotations, so it counts as an import too.
export const SEMANTIC_NODE_KINDS: readonly string[] = IMPORT_STATEMENT_KINDS;

export interface SemanticModel {
  /**
   * The fully qualified name an expression refers to, through imports and aliases, or undefined if it
   * is not a name/attribute chain rooted in an import or a builtin. `c.defaultdict` after
   * `import collections as c` → "collections.defaultdict"; `list` → "builtins.list" unless rebound.
   */
  qualifiedName(expression: SyntaxNode): string | undefined;
  /** Features turned on by `from __future__ import ...` (e.g. "annotations"). */
  readonly futureFeatures: ReadonlySet<string>;
  /** The module the model describes (the root of the current tree). */
  readonly root: SyntaxNode;
  /**
   * A fact about the whole document (a class model, container uses, cleanups), computed on first use from the
   * module's root and then shared by every rule of this analysis. Rules that read whole-document facts relate
   * statements to each other, so they use locality `module` unless the fact they read is local to one function.
   */
  fact<T>(key: DocumentFactKey<T>): T;
}

/** How to compute one document fact; the key object itself identifies the fact (one `const` per fact). */
export interface DocumentFactKey<T> {
  readonly name: string;
  compute(root: SyntaxNode, model: SemanticModel): T;
}

/** One fact the caller already has, with its key. */
export type KnownFact = readonly [DocumentFactKey<unknown>, unknown];

/** A `fact` implementation: each key computed once, on first use, against the model `self()` returns (or `known`). */
export function memoizedFacts(self: () => SemanticModel, known: readonly KnownFact[] = []): <T>(key: DocumentFactKey<T>) => T {
  const facts = new Map<DocumentFactKey<unknown>, unknown>(known);
  return <T>(key: DocumentFactKey<T>): T => {
    if (facts.has(key)) return facts.get(key) as T;
    const model = self();
    const value = key.compute(model.root, model);
    facts.set(key, value);
    return value;
  };
}
