// How deep CPython's parser stack grows for a tree (LL(1) parser to 3.8, PEG parser from 3.9), per version, to predict its overflow.
import type { TreeNode } from '../syntax/syntaxTypes';

/**
 * The ways an expression nests inside another that cost parser stack. Binary operators, comparisons, attribute
 * chains and the callee of a call are loops in both parsers (no cost); everything else re-enters the grammar.
 */
export type StackEdge = 'paren' | 'list' | 'set' | 'iterable' | 'call' | 'subscript' | 'unary' | 'not' | 'else' | 'lambda' | 'block';

/** One parser's stack: its size, what reaching the first atom of a statement costs, and each edge's cost. */
export interface ParserStackModel {
  /** MAXSTACK: a path that needs more entries overflows. */
  readonly limit: number;
  /** Entries from the module down to the first atom of a top-level statement. */
  readonly statementBase: number;
  readonly costs: Readonly<Record<StackEdge, number>>;
  /** Added once to a path that goes through any bracket (the PEG parser's atoms inside brackets start shallower). */
  readonly bracketAdjust: number;
  /** Added once to a chain of unary operators or `not`s (3.12's PEG grammar has one more rule on that path). */
  readonly unaryChainStart: number;
  /** What CPython prints when the stack overflows (the whole stderr; nothing else, no location). */
  readonly stderr: string;
}

/**
 * The models, fitted to test/fixtures/parse-limits/recorded.json (bisected with the pyenv CPythons on each nesting
 * shape; exact there) and to the grammar for the rest. LL(1) (2.7, 3.6–3.8): MAXSTACK 1500 (1700 from 3.8); a
 * statement reaches its first atom 21 entries deep (20 in 2.7: no `atom_expr`); a bracket re-enters the whole
 * `test → … → atom` chain (15 rules, 14 in 2.7) through `testlist_comp` (+ `namedexpr_test` in 3.8), a
 * comprehension's iterable through `comp_for` (+ `sync_comp_for` from 3.7; 2.7's `list_for`, `testlist_safe`,
 * `old_test`); a unary operator, `not` or a conditional's `else` part costs one rule, a lambda two. PEG (3.9+):
 * MAXSTACK 6000, one level per rule call; bracket costs measured with `not` chains inside 100 brackets on 3.9 and 3.12
 * (approximate for other mixes). Block nesting costs are estimates (100 indentation levels bound them).
 */
const LL1_BASE_COSTS = { unary: 1, not: 1, else: 1, lambda: 2, block: 4 } as const;
const OLD_PARSER_STDERR = 's_push: parser stack overflow\nMemoryError\n';

export function parserStackModel(minor: number): ParserStackModel {
  if (minor === 0) {
    // 2.7 (the simulator's profile numbers it minor 0).
    return { limit: 1500, statementBase: 20, costs: { ...LL1_BASE_COSTS, paren: 15, list: 15, set: 15, iterable: 17, call: 16, subscript: 16 }, bracketAdjust: 0, unaryChainStart: 0, stderr: OLD_PARSER_STDERR };
  }
  if (minor <= 8) {
    const limit = minor === 8 ? 1700 : 1500;
    const viaNamedExpr = minor === 8 ? 1 : 0;
    const iterable = minor >= 7 ? 17 : 16;
    return {
      limit,
      statementBase: 21,
      costs: { ...LL1_BASE_COSTS, paren: 16 + viaNamedExpr, list: 16 + viaNamedExpr, set: 16, iterable, call: 17, subscript: 17 },
      bracketAdjust: 0,
      unaryChainStart: 0,
      stderr: OLD_PARSER_STDERR,
    };
  }
  return {
    limit: 6000,
    statementBase: 33,
    costs: { unary: 1, not: 1, else: 1, lambda: 2, block: 5, paren: 28, list: 29, set: 29, iterable: 29, call: 24, subscript: 24 },
    bracketAdjust: -18,
    unaryChainStart: minor >= 12 ? 1 : 0,
    stderr: minor >= 12 ? 'MemoryError: Parser stack overflowed - Python source too complex to parse\n' : 'MemoryError\n',
  };
}

const PAREN_PARENTS: ReadonlySet<string> = new Set(['parenthesized_expression', 'tuple', 'generator_expression']);
const LIST_PARENTS: ReadonlySet<string> = new Set(['list', 'list_comprehension']);
const SET_PARENTS: ReadonlySet<string> = new Set(['set', 'set_comprehension', 'dictionary', 'dictionary_comprehension']);

/** The edge from `parent` to its `index`th named child, or undefined when it costs nothing. */
export function stackEdge(parent: TreeNode, child: TreeNode, index: number): StackEdge | undefined {
  const type = parent.type;
  if (child.type === 'block') return 'block';
  if (child.type === 'for_in_clause' && (PAREN_PARENTS.has(type) || LIST_PARENTS.has(type) || SET_PARENTS.has(type))) return 'iterable';
  if (PAREN_PARENTS.has(type)) return 'paren';
  if (LIST_PARENTS.has(type)) return 'list';
  if (SET_PARENTS.has(type)) return 'set';
  switch (type) {
    case 'unary_operator': return 'unary';
    case 'not_operator': return 'not';
    case 'conditional_expression': return index === 2 ? 'else' : undefined;
    case 'lambda': return child.type === 'lambda_parameters' ? undefined : 'lambda';
    case 'call': return index > 0 ? 'call' : undefined;
    case 'subscript': return index > 0 ? 'subscript' : undefined;
    default: return undefined;
  }
}

/** Where a path through the tree stands on the parser stack. */
export interface StackPosition {
  readonly entries: number;
  readonly throughBracket: boolean;
  readonly inUnaryChain: boolean;
}

export const STATEMENT_START: Omit<StackPosition, 'entries'> = { throughBracket: false, inUnaryChain: false };

/** The position after following `edge` (undefined: a free edge) from `from`. */
export function followEdge(model: ParserStackModel, from: StackPosition, edge: StackEdge | undefined): StackPosition {
  if (edge === undefined) return from.inUnaryChain ? { ...from, inUnaryChain: false } : from;
  const unary = edge === 'unary' || edge === 'not';
  const bracket = edge === 'paren' || edge === 'list' || edge === 'set' || edge === 'iterable' || edge === 'call' || edge === 'subscript';
  const chainStart = unary && !from.inUnaryChain ? model.unaryChainStart : 0;
  const adjust = bracket && !from.throughBracket ? model.bracketAdjust : 0;
  return { entries: from.entries + model.costs[edge] + chainStart + adjust, throughBracket: from.throughBracket || bracket, inUnaryChain: unary };
}
