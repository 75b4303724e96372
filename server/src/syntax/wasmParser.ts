// The WebAssembly backend: web-tree-sitter with tree-sitter-python's shipped .wasm grammar.
import { parseableText } from './lineBreaks';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParserBackendKind, PythonParser, SyntaxEdit, SyntaxNode, SyntaxQuery, SyntaxTree } from './syntaxTypes';

type WebTreeSitter = typeof import('web-tree-sitter');
type WasmTree = import('web-tree-sitter').Tree;

class WasmSyntaxTree implements SyntaxTree {
  private disposed = false;
  constructor(readonly tree: WasmTree) {}
  get rootNode(): SyntaxNode {
    return this.tree.rootNode as unknown as SyntaxNode;
  }
  edit(edit: SyntaxEdit): void {
    this.tree.edit(edit as unknown as import('web-tree-sitter').Edit);
  }
  changedRanges(newTree: SyntaxTree): { startIndex: number; endIndex: number }[] {
    return this.tree.getChangedRanges((newTree as WasmSyntaxTree).tree).map((r) => ({ startIndex: r.startIndex, endIndex: r.endIndex }));
  }
  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.tree.delete();
    }
  }
}

/** The folder of an installed package (its exports map may hide package.json from require.resolve). */
function findPackageRoot(packageName: string): string | undefined {
  let resolved: string;
  try {
    resolved = require.resolve(packageName);
  } catch {
    return undefined; // not installed beside us: the bundled copy must exist
  }
  for (let dir = path.dirname(resolved); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (path.basename(dir) === packageName && fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return undefined;
}

/** Finds a file shipped beside the bundle (dist/wasm/) or in node_modules when running from source. */
function locateWasm(fileName: string, packageName: string): string {
  const candidates = [
    path.join(__dirname, 'wasm', fileName),
    path.join(__dirname, '..', 'dist', 'wasm', fileName),
  ];
  const packageRoot = findPackageRoot(packageName);
  if (packageRoot) candidates.push(path.join(packageRoot, fileName));
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`GC Lens: cannot find ${fileName} (looked in ${candidates.join(', ')})`);
  return found;
}

export async function loadWasmPythonParser(): Promise<PythonParser> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Parser, Language, Query } = require('web-tree-sitter') as WebTreeSitter;
  const runtimeWasm = locateWasm('tree-sitter.wasm', 'web-tree-sitter');
  await Parser.init({ locateFile: () => runtimeWasm });
  const language = await Language.load(locateWasm('tree-sitter-python.wasm', 'tree-sitter-python'));
  const parser = new Parser();
  parser.setLanguage(language);
  const backend: ParserBackendKind = 'wasm';
  return {
    backend,
    parse(text: string, oldTree?: SyntaxTree): SyntaxTree {
      const tree = parser.parse(parseableText(text), oldTree ? (oldTree as WasmSyntaxTree).tree : null);
      if (!tree) throw new Error('GC Lens: the wasm parser returned no tree');
      return new WasmSyntaxTree(tree);
    },
    query(source: string): SyntaxQuery {
      const query = new Query(language, source);
      return {
        captures(node, range) {
          const options = range ? { startIndex: range.startIndex, endIndex: range.endIndex } : undefined;
          return query.captures(node as unknown as import('web-tree-sitter').Node, options).map((c) => ({
            name: c.name,
            node: c.node as unknown as SyntaxNode,
          }));
        },
      };
    },
  };
}
