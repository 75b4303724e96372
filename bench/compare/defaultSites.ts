// Every parameter default in a Python file, found with one tree-sitter query: the common ground the three tools are mapped onto.
import type { PythonParser, SyntaxNode, SyntaxQuery } from '../../server/src/syntax/syntaxTypes';

/**
 * A parameter default: where its value starts (1-based line, 0-based UTF-16 column), what it is and what holds it.
 * Plain data (no nodes), so a whole corpus's sites do not keep its syntax trees alive.
 */
export interface DefaultSite {
  readonly line: number;
  readonly column: number;
  /** Where the value ends (1-based line, 0-based column, exclusive). */
  readonly endLine: number;
  readonly endColumn: number;
  readonly valueText: string;
  /** The value's node type: list, call, tuple, identifier, … */
  readonly valueKind: string;
  /** For a call, the called expression's text (`collections.deque`, `defaultdict[str, int]` → `defaultdict`). */
  readonly callee?: string;
  readonly owner: 'def' | 'lambda' | 'other';
  /** 1-based line of the `def` keyword (Pylint reports there), or of the lambda. */
  readonly ownerLine: number;
  readonly parameterName: string;
}

export const siteKey = (relative: string, line: number, column: number): string => `${relative}:${line}:${column}`;

const queries = new WeakMap<PythonParser, SyntaxQuery>();

function defaultsQuery(parser: PythonParser): SyntaxQuery {
  let query = queries.get(parser);
  if (!query) {
    query = parser.query('[(default_parameter value: (_) @value) (typed_default_parameter value: (_) @value)]');
    queries.set(parser, query);
  }
  return query;
}

/** The line of the `def` keyword of a function_definition (after `async`, decorators are outside the node). */
function defKeywordLine(functionNode: SyntaxNode): number {
  const keyword = functionNode.children.find((child) => child.type === 'def');
  return (keyword ?? functionNode).startPosition.row + 1;
}

function calleeText(value: SyntaxNode): string | undefined {
  if (value.type !== 'call') return undefined;
  const callee = value.childForFieldName('function');
  if (callee?.type === 'subscript' || callee?.type === 'generic_type') return (callee.childForFieldName('value') ?? callee.namedChild(0))?.text;
  return callee?.text;
}

export function defaultSites(parser: PythonParser, root: SyntaxNode): DefaultSite[] {
  return defaultsQuery(parser)
    .captures(root)
    .map(({ node: value }) => {
      const parameter = value.parent;
      const list = parameter?.parent ?? null;
      const holder = list?.parent ?? null;
      const owner = holder?.type === 'function_definition' ? 'def' : holder?.type === 'lambda' ? 'lambda' : 'other';
      return {
        line: value.startPosition.row + 1,
        column: value.startPosition.column,
        endLine: value.endPosition.row + 1,
        endColumn: value.endPosition.column,
        valueText: value.text,
        valueKind: value.type,
        callee: calleeText(value),
        owner,
        ownerLine: holder ? (owner === 'def' ? defKeywordLine(holder) : holder.startPosition.row + 1) : value.startPosition.row + 1,
        parameterName: parameter?.childForFieldName('name')?.text ?? '?',
      };
    });
}

/** The innermost default whose value contains the position (Ruff points inside parentheses: `([])` → at `[`). */
export function siteContaining(sites: Iterable<DefaultSite>, line: number, column: number): DefaultSite | undefined {
  const after = (l1: number, c1: number, l2: number, c2: number): boolean => l1 > l2 || (l1 === l2 && c1 >= c2);
  let best: DefaultSite | undefined;
  for (const site of sites) {
    if (!after(line, column, site.line, site.column) || after(line, column, site.endLine, site.endColumn)) continue;
    if (!best || after(site.line, site.column, best.line, best.column)) best = site;
  }
  return best;
}
