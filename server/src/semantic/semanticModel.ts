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
}
