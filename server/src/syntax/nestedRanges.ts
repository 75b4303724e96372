// Which of a set of nodes hold a given node, answered from their ranges: a native node's `parent` walks down from the root.
import type { SyntaxNode } from './syntaxTypes';

/**
 * One node's range, or its body's (a function's inside, without its name, parameters and defaults). Two ranges
 * of the same tree are disjoint or nested, so each has one `outer` range, the innermost one around it.
 */
export interface HoldingRange {
  readonly node: SyntaxNode;
  readonly part: 'node' | 'body';
  readonly start: number;
  readonly end: number;
  readonly outer: HoldingRange | undefined;
}

interface RangeEntry {
  node: SyntaxNode;
  part: 'node' | 'body';
  start: number;
  end: number;
  outer: HoldingRange | undefined;
}

/**
 * Whether `range` holds a node spanning [start, end]. A node range spanning exactly the same text is that node
 * itself or a node around it (`expression_statement` over a lone `lambda`): the kinds given to `NestedRanges` start
 * with a keyword, so none of their descendants spans all of them. A body spanning exactly the same text is the body
 * or a descendant of it (a block holding one statement), whose parent (the node) is always larger.
 */
function holds(range: HoldingRange, start: number, end: number): boolean {
  if (range.start > start || end > range.end) return false;
  return range.part === 'body' || range.start !== start || range.end !== end;
}

/**
 * The nodes of some kinds in a tree (or subtree), with their bodies when asked, as nested ranges. `innermost` finds
 * the innermost range holding a node with a binary search instead of climbing `parent` (whose cost is the node's
 * depth in the native binding, so a climb costs depth², and 10,000 nested brackets take minutes). Give only kinds
 * that start with a keyword (`def`, `lambda`, `finally`...): see `holds`.
 */
export class NestedRanges {
  /** Where each stretch of text starts, and the innermost range holding that stretch (undefined: none). */
  private readonly starts: number[] = [];
  private readonly innermostAt: (HoldingRange | undefined)[] = [];

  /** `nodes` in any order; `bodyOf` returns the body to record inside a node (or null for none). */
  constructor(nodes: readonly SyntaxNode[], bodyOf: (node: SyntaxNode) => SyntaxNode | null = () => null) {
    const entries: RangeEntry[] = [];
    for (const node of nodes) {
      entries.push({ node, part: 'node', start: node.startIndex, end: node.endIndex, outer: undefined });
      const body = bodyOf(node);
      if (body) entries.push({ node, part: 'body', start: body.startIndex, end: body.endIndex, outer: undefined });
    }
    // Outer before inner: by start, then the longer first, then a node before its own body (a body spanning a nested
    // node exactly, `lambda: lambda: x`, holds that node: the body comes first there, as the longer of different nodes).
    entries.sort((a, b) => a.start - b.start || b.end - a.end || (a.node.id === b.node.id ? (a.part === 'node' ? -1 : 1) : a.part === 'body' ? -1 : 1));
    const open: RangeEntry[] = [];
    const mark = (at: number, range: HoldingRange | undefined): void => {
      if (this.starts.length > 0 && this.starts[this.starts.length - 1] === at) this.innermostAt[this.innermostAt.length - 1] = range;
      else {
        this.starts.push(at);
        this.innermostAt.push(range);
      }
    };
    const closeUntil = (at: number): void => {
      while (open.length > 0 && open[open.length - 1].end <= at) {
        const closed = open.pop() as RangeEntry;
        mark(closed.end, open[open.length - 1]);
      }
    };
    for (const entry of entries) {
      closeUntil(entry.start);
      // Ranges of one tree nest; anything else (never seen) is treated as closing the open ones it overlaps.
      while (open.length > 0 && open[open.length - 1].end < entry.end) mark(open.pop()!.end, open[open.length - 1]);
      entry.outer = open[open.length - 1];
      open.push(entry);
      mark(entry.start, entry);
    }
    closeUntil(Infinity);
  }

  /** The innermost range holding `node` (not counting `node`'s own range), or undefined. */
  innermost(node: SyntaxNode): HoldingRange | undefined {
    return this.innermostSpanning(node.startIndex, node.endIndex);
  }

  /** The innermost range holding a node that spans [start, end]. */
  innermostSpanning(start: number, end: number): HoldingRange | undefined {
    let low = 0;
    let high = this.starts.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.starts[middle] <= start) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    let range = found >= 0 ? this.innermostAt[found] : undefined;
    // Only ranges that start where the node does can fail to hold it (they lie inside it): a short climb.
    while (range && !holds(range, start, end)) range = range.outer;
    return range;
  }

  /** The ranges holding `node`, innermost first. */
  *holding(node: SyntaxNode): Generator<HoldingRange> {
    for (let range = this.innermost(node); range; range = range.outer) yield range;
  }
}
