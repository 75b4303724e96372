// Plain JS copies of error-free syntax trees: one cursor walk, then whole-tree passes read no native (or wasm) node.
import type { SyntaxNode, SyntaxPoint, SyntaxTreeCursor, TreeNode } from './syntaxTypes';
import { firstAfter } from './sortedSearch';

/** The text a tree was parsed from (`parseableText`'s: what both backends' `node.text` slices) and its rows. */
class ParsedText {
  /** Offsets just past each `\n`: tree-sitter's rows (a lone `\r` is already a `\n` in the parsed text). */
  private rowStarts: number[] | undefined;

  constructor(readonly text: string) {}

  /** The row and UTF-16 column of an offset, as both backends report them. */
  pointAt(index: number): SyntaxPoint {
    const starts = (this.rowStarts ??= rowStartsOf(this.text));
    const row = Math.max(0, firstAfter(starts, index) - 1);
    return { row, column: index - starts[row] };
  }
}

function rowStartsOf(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** A node of a copied tree. Only error-free trees are copied: no node is missing or holds an error. */
class CopiedNode implements TreeNode {
  readonly children: CopiedNode[] = [];
  /** The field each child is held in (index by index); undefined while no child has one. */
  childFields: (string | null)[] | undefined;
  private named: CopiedNode[] | undefined;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly parent: CopiedNode | null,
    private readonly parsed: ParsedText,
  ) {}

  get isMissing(): boolean {
    return false;
  }
  get hasError(): boolean {
    return false;
  }
  get text(): string {
    return this.parsed.text.slice(this.startIndex, this.endIndex);
  }
  get startPosition(): SyntaxPoint {
    return this.parsed.pointAt(this.startIndex);
  }
  get endPosition(): SyntaxPoint {
    return this.parsed.pointAt(this.endIndex);
  }
  get childCount(): number {
    return this.children.length;
  }
  get namedChildren(): readonly CopiedNode[] {
    return (this.named ??= this.children.filter((child) => child.isNamed));
  }
  get namedChildCount(): number {
    return this.namedChildren.length;
  }
  child(index: number): CopiedNode | null {
    return this.children[index] ?? null;
  }
  namedChild(index: number): CopiedNode | null {
    return this.namedChildren[index] ?? null;
  }
  childForFieldName(fieldName: string): CopiedNode | null {
    const index = this.childFields?.indexOf(fieldName) ?? -1;
    return index >= 0 ? this.children[index] : null;
  }
  childrenForFieldName(fieldName: string): readonly CopiedNode[] {
    const fields = this.childFields;
    return fields ? this.children.filter((_child, index) => fields[index] === fieldName) : [];
  }
  descendantsOfType(types: string | string[]): CopiedNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const found: CopiedNode[] = [];
    const stack: CopiedNode[] = [this];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (wanted.includes(node.type)) found.push(node);
      for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]);
    }
    return found;
  }
}

/**
 * Type names, named-ness and field names by the grammar's numbers, read from the cursor the first time a number shows
 * up: reading two numbers per node crosses into the parser less than reading a type string, a flag and a field name.
 */
class GrammarNames {
  private readonly types: string[] = [];
  private readonly namedTypes: boolean[] = [];
  private readonly fields: (string | null)[] = [null];
  /** Whether the node of the last `type()` is named. */
  named = false;

  constructor(private readonly cursor: SyntaxTreeCursor) {}

  /** The current node's type (and `named` for it). */
  type(): string {
    const id = this.cursor.nodeTypeId;
    let type = this.types[id];
    if (type === undefined) {
      type = this.types[id] = this.cursor.nodeType;
      this.namedTypes[id] = this.cursor.nodeIsNamed;
    }
    this.named = this.namedTypes[id];
    return type;
  }

  /** The field the current node's parent holds it in, or null. */
  field(): string | null {
    const id = this.cursor.currentFieldId;
    let field = this.fields[id];
    if (field === undefined) field = this.fields[id] = this.cursor.currentFieldName ?? null;
    return field;
  }
}

/**
 * A plain JS copy of the tree under `root` (which must have no error), parsed from `parsedText` (the parser's input:
 * `parseableText` of the document). Reading a copied node costs no crossing into the parser's native or wasm code,
 * so passes that read every node (the simulator's nesting check and compiler) pay one cursor walk instead of a
 * crossing per property read. Walked iteratively: trees can be 10,000 levels deep.
 */
export function copySyntaxTree(root: SyntaxNode, parsedText: string): TreeNode {
  if (root.hasError) throw new Error('copySyntaxTree: only error-free trees are copied');
  const parsed = new ParsedText(parsedText);
  const cursor = root.walk();
  try {
    const grammar = new GrammarNames(cursor);
    const rootType = grammar.type();
    const top = new CopiedNode(rootType, grammar.named, cursor.startIndex, cursor.endIndex, null, parsed);
    if (!cursor.gotoFirstChild()) return top;
    let parent = top;
    for (;;) {
      // The cursor is at the next child of `parent`.
      const type = grammar.type();
      const node = new CopiedNode(type, grammar.named, cursor.startIndex, cursor.endIndex, parent, parsed);
      const field = grammar.field();
      if (field) (parent.childFields ??= new Array<string | null>(parent.children.length).fill(null))[parent.children.length] = field;
      else if (parent.childFields) parent.childFields[parent.children.length] = null;
      parent.children.push(node);
      if (cursor.gotoFirstChild()) {
        parent = node;
        continue;
      }
      // Up to the first ancestor with a next sibling; the copy's root is where the walk ends.
      while (!cursor.gotoNextSibling()) {
        cursor.gotoParent();
        if (parent === top) return top;
        parent = parent.parent!;
      }
    }
  } finally {
    cursor.delete?.();
  }
}
