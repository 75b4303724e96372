// Which `def` or `lambda` a node is in, from the functions' ranges: `parent` climbs cost a walk from the root each.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { occurrences } from './textSearch';

/** Blanks and the first character of a name, right after a `def` or `class` keyword (sticky: tried at one offset). */
export const NAME_AFTER_KEYWORD = /[ \t]+[^\s(:]/y;

/**
 * The functions and lambdas of a tree by range, found on first use by a text search for `def NAME` and `lambda`
 * and one node lookup per hit (a full walk, even in C, costs more on the large files that need this).
 */
export class FunctionIndex {
  private nodes: SyntaxNode[] = [];
  private starts: number[] = [];
  private ends: number[] = [];
  private read = false;
  private readonly innermostById = new Map<number, SyntaxNode | null>();

  constructor(private readonly root: SyntaxNode, private readonly text: string) {}

  private load(): void {
    if (this.read) return;
    this.read = true;
    const found: { node: SyntaxNode; start: number; end: number }[] = [];
    for (const at of occurrences(this.text, 'def')) {
      const lineStart = this.text.lastIndexOf('\n', at - 1) + 1;
      if (!/^[ \t]*(?:async[ \t]+)?$/.test(this.text.slice(lineStart, at))) continue;
      // The smallest node spanning `def` and the first character of the name is the definition itself (no climb to
      // the parent, which the native binding answers by walking down from the root).
      NAME_AFTER_KEYWORD.lastIndex = at + 3;
      const name = NAME_AFTER_KEYWORD.exec(this.text);
      const definition = name ? this.root.descendantForIndex(at, at + 3 + name[0].length) : this.root.descendantForIndex(at, at + 3)?.parent;
      // `async def` starts at `async`.
      const start = definition?.type === 'function_definition' ? definition.startIndex : -1;
      if (definition && start >= lineStart && start <= at) found.push({ node: definition, start, end: definition.endIndex });
    }
    for (const at of occurrences(this.text, 'lambda')) {
      const keyword = this.root.descendantForIndex(at, at + 'lambda'.length);
      const lambda = keyword?.type === 'lambda' && keyword.isNamed ? keyword : keyword?.parent;
      if (lambda?.type === 'lambda' && lambda.startIndex === at) found.push({ node: lambda, start: at, end: lambda.endIndex });
    }
    found.sort((a, b) => a.start - b.start);
    this.nodes = found.map((f) => f.node);
    this.starts = found.map((f) => f.start);
    this.ends = found.map((f) => f.end);
  }

  /** The innermost `def` or `lambda` around `node` (not `node` itself); null at module or class level. */
  innermost(node: SyntaxNode): SyntaxNode | null {
    let found = this.innermostById.get(node.id);
    if (found !== undefined) return found;
    this.load();
    const start = node.startIndex;
    const end = node.endIndex;
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.starts[middle] <= start) low = middle + 1;
      else high = middle;
    }
    found = null;
    for (let i = low - 1; i >= 0; i--) {
      // `async def` starts at `async`: the node itself is skipped by its range, not its id (one lookup less).
      if (end <= this.ends[i] && !(this.starts[i] === start && this.ends[i] === end)) {
        found = this.nodes[i];
        break;
      }
    }
    this.innermostById.set(node.id, found);
    return found;
  }
}
