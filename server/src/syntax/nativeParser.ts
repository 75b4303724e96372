// The native tree-sitter backend (N-API module compiled for this platform).
import { parseableText } from './lineBreaks';
import type { ParserBackendKind, PythonParser, SyntaxEdit, SyntaxNode, SyntaxQuery, SyntaxTree } from './syntaxTypes';

type NativeParserModule = typeof import('tree-sitter');
type NativeTree = import('tree-sitter').Tree;

class NativeSyntaxTree implements SyntaxTree {
  constructor(readonly tree: NativeTree) {}
  get rootNode(): SyntaxNode {
    return this.tree.rootNode as unknown as SyntaxNode;
  }
  edit(edit: SyntaxEdit): void {
    this.tree.edit(edit);
  }
  changedRanges(newTree: SyntaxTree): { startIndex: number; endIndex: number }[] {
    return this.tree.getChangedRanges((newTree as NativeSyntaxTree).tree).map((r) => ({ startIndex: r.startIndex, endIndex: r.endIndex }));
  }
  dispose(): void {
    // The binding frees the tree when the JS object is collected; nothing to release eagerly.
  }
}

/** How the binding reads a node's text (`node.text` calls the tree's `getText`). */
interface TextSource {
  getText: (node: { readonly startIndex: number; readonly endIndex: number }) => string;
}

/** Large strings go through the read callback in chunks: the binding's direct string path is bounded. */
const CHUNK = 64 * 1024;

export function loadNativePythonParser(): PythonParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const TreeSitter = require('tree-sitter') as NativeParserModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const language = require('tree-sitter-python') as import('tree-sitter').Language;
  const parser = new TreeSitter();
  parser.setLanguage(language);
  const backend: ParserBackendKind = 'native';
  return {
    backend,
    parse(text: string, oldTree?: SyntaxTree): SyntaxTree {
      const parseable = parseableText(text);
      const input = (index: number): string => parseable.slice(index, index + CHUNK);
      const old = oldTree ? (oldTree as NativeSyntaxTree).tree : undefined;
      const tree = parser.parse(input, old, { bufferSize: CHUNK });
      // A node's text is a slice of the parsed string: the binding would call `input` and join its chunks per node.
      (tree as unknown as TextSource).getText = (node) => parseable.slice(node.startIndex, node.endIndex);
      return new NativeSyntaxTree(tree);
    },
    query(source: string): SyntaxQuery {
      const query = new TreeSitter.Query(language, source);
      return {
        captures(node, range) {
          const options = range ? { startIndex: range.startIndex, endIndex: range.endIndex } : undefined;
          return query.captures(node as unknown as import('tree-sitter').SyntaxNode, options).map((c) => ({
            name: c.name,
            node: c.node as unknown as SyntaxNode,
          }));
        },
      };
    },
  };
}
