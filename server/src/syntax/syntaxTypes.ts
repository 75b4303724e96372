// The parser-independent view of tree-sitter that the rest of GC Lens codes against (native or wasm behind it).

/** A point in the source: zero-based row and column as tree-sitter reports them. */
export interface SyntaxPoint {
  readonly row: number;
  readonly column: number;
}

/**
 * The read-only part of a node that whole-tree passes use (the simulator's checks and compiler): both backends' nodes
 * and `copySyntaxTree`'s plain JS copies have it, so a pass written against it runs on either.
 */
export interface TreeNode {
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: SyntaxPoint;
  readonly endPosition: SyntaxPoint;
  readonly parent: TreeNode | null;
  readonly childCount: number;
  readonly namedChildCount: number;
  readonly children: readonly TreeNode[];
  readonly namedChildren: readonly TreeNode[];
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly hasError: boolean;
  child(index: number): TreeNode | null;
  namedChild(index: number): TreeNode | null;
  childForFieldName(fieldName: string): TreeNode | null;
  childrenForFieldName(fieldName: string): readonly (TreeNode | null)[];
  /** This node and its descendants of the given types, in document order (anonymous tokens of that spelling too). */
  descendantsOfType(types: string | string[]): TreeNode[];
}

/**
 * The subset of a tree-sitter node that GC Lens uses (`TreeNode`'s, with parser nodes around it). Both `tree-sitter` (native) and `web-tree-sitter`
 * (wasm) nodes satisfy it structurally. Offsets (`startIndex`/`endIndex`) are UTF-16 code units into the
 * document text: the one coordinate system of the analysis core.
 */
export interface SyntaxNode extends TreeNode {
  readonly id: number;
  readonly parent: SyntaxNode | null;
  readonly children: readonly SyntaxNode[];
  readonly namedChildren: readonly SyntaxNode[];
  readonly nextSibling: SyntaxNode | null;
  readonly previousSibling: SyntaxNode | null;
  readonly nextNamedSibling: SyntaxNode | null;
  readonly previousNamedSibling: SyntaxNode | null;
  child(index: number): SyntaxNode | null;
  namedChild(index: number): SyntaxNode | null;
  childForFieldName(fieldName: string): SyntaxNode | null;
  childrenForFieldName(fieldName: string): readonly (SyntaxNode | null)[];
  /** The smallest node spanning [start, end] (default: just `start`); null only where wasm has none. */
  descendantForIndex(start: number, end?: number): SyntaxNode | null;
  /**
   * This node and its descendants of the given types, in document order, found by the parser's C code.
   * Anonymous tokens whose type has the same spelling (the `lambda` keyword) are included: filter `isNamed`.
   */
  descendantsOfType(types: string | string[], startPosition?: SyntaxPoint, endPosition?: SyntaxPoint): SyntaxNode[];
  /** A cursor at this node: walking down with it costs one step per level (`parent` costs the node's depth). */
  walk(): SyntaxTreeCursor;
}

/** The subset of a tree-sitter tree cursor GC Lens uses (both backends' cursors satisfy it). */
export interface SyntaxTreeCursor {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly currentNode: SyntaxNode;
  /** Levels below the node the cursor was created at. */
  readonly currentDepth: number;
  gotoParent(): boolean;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  /**
   * Moves to the first child that extends beyond `index`. What it returns differs by backend and is wrong on wasm
   * (web-tree-sitter 0.25 casts the child index to a boolean): read the cursor's position instead.
   */
  gotoFirstChildForIndex(index: number): unknown;
  /** The current node's type, whether it is named, and the field its parent holds it in (null or undefined: none). */
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly currentFieldName: string | null | undefined;
  /** The grammar's numbers for the current node's type and field (0: no field): one crossing, no string made. */
  readonly nodeTypeId: number;
  readonly currentFieldId: number;
  /** Frees the cursor (wasm memory); absent on the native backend, whose cursors the JS GC frees. */
  delete?(): void;
}

/** A capture from a query: which capture name matched which node. */
export interface SyntaxCapture {
  readonly name: string;
  readonly node: SyntaxNode;
}

/** A compiled tree-sitter query (pattern matching runs in the parser's C code, not in JS). */
export interface SyntaxQuery {
  captures(node: SyntaxNode, range?: { startIndex: number; endIndex: number }): SyntaxCapture[];
}

/** An edit in the coordinates tree-sitter's `Tree.edit` expects. */
export interface SyntaxEdit {
  readonly startIndex: number;
  readonly oldEndIndex: number;
  readonly newEndIndex: number;
  readonly startPosition: SyntaxPoint;
  readonly oldEndPosition: SyntaxPoint;
  readonly newEndPosition: SyntaxPoint;
}

/** A parsed document. `dispose` releases it at once (wasm memory; native trees are dropped for the JS GC). */
export interface SyntaxTree {
  readonly rootNode: SyntaxNode;
  edit(edit: SyntaxEdit): void;
  /** Ranges whose syntax changed between this (old, edited) tree and `newTree`. */
  changedRanges(newTree: SyntaxTree): { startIndex: number; endIndex: number }[];
  dispose(): void;
}

export type ParserBackendKind = 'native' | 'wasm';

/** A Python parser on one backend. Parsing never throws on bad input: errors become ERROR/MISSING nodes. */
export interface PythonParser {
  readonly backend: ParserBackendKind;
  parse(text: string, oldTree?: SyntaxTree): SyntaxTree;
  /** Compiles a query over the Python grammar; throws on an invalid query (a programming error). */
  query(source: string): SyntaxQuery;
}
