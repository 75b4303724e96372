// CPython's limits on how deeply source may nest, checked before compiling (iteratively): what CPython rejects, the simulator rejects the same way.
import type { TreeNode } from '../syntax/syntaxTypes';
import { followEdge, parserStackModel, STATEMENT_START, stackEdge, type ParserStackModel, type StackPosition } from './parserStack';

/**
 * Limits as measured with the pyenv CPythons 2.7, 3.6–3.13 (`python f.py` on generated sources, bisected; the
 * parser and compiler limits per nesting shape are recorded in test/fixtures/parse-limits/recorded.json):
 * - the tokenizer's MAXINDENT: 100 indentation levels → `IndentationError: too many levels of indentation` (all);
 * - the tokenizer's MAXLEVEL (3.9+): 201 nested brackets → `SyntaxError: too many nested parentheses`;
 * - the parser's own stack (`parserStack.ts`): before 3.9 the LL(1) parser's (`s_push: parser stack overflow` and
 *   a bare `MemoryError`: 93 parentheses, 740 lambdas or 1,480 unary operators deep on 3.6), from 3.9 the PEG
 *   parser's (a bare `MemoryError` to 3.11, `MemoryError: Parser stack overflowed - Python source too complex to
 *   parse` from 3.12: 2,984 lambdas, ~5,968 unary operators, `not`s or conditionals deep). The parser runs before
 *   the compiler: its overflow wins over any compiler limit;
 * - the compiler's CO_MAXBLOCKS: 21 nested loops/try/with in one code object → `SyntaxError: too many statically
 *   nested blocks` (3.6–3.8 without a location; 3.9+ at the 21st statement's line, one caret on 3.9, the line underlined from 3.10);
 * - the compiler's recursion guard: 2,999 nested expressions (binary operators, attribute chains, calls, unary
 *   operators from 3.10, conditionals) → `RecursionError: maximum recursion depth exceeded during compilation`;
 *   9,999 on 3.13 (its limit is 10,000 C frames). On 3.9 a chain of unary operators or `not`s on a constant is
 *   folded away by the AST optimizer before the compiler sees it (it has no recursion guard there).
 * Boolean chains (`a and b and …`) and comparisons are flat in CPython's AST: they never count as nesting.
 */
export const MAX_INDENT_LEVELS = 100;
export const MAX_NESTED_BRACKETS = 200;
export const MAX_STATIC_BLOCKS = 20;
/**
 * AST levels below the module the compiler accepts, the statement included (`x = ` and 2,998 nested binary
 * operators), on 3.6–3.12; `maxExpressionDepth` gives each version's.
 */
export const MAX_EXPRESSION_DEPTH = 2999;

/** The compiler's limit on nested expressions for a version (minor 0 is 2.7, which has no such guard). */
export function maxExpressionDepth(minor: number): number {
  if (minor === 0) return Number.POSITIVE_INFINITY;
  return minor >= 13 ? 9999 : MAX_EXPRESSION_DEPTH;
}

/**
 * Brackets an LL(1) parser takes before its stack overflows, for text whose tree tree-sitter could not build cleanly
 * (`((((` never closed): the innermost holds nothing, so it costs no expression chain of its own.
 */
function oldParserBracketLimit(minor: number): number {
  const model = parserStackModel(minor);
  return Math.floor((model.limit - model.statementBase) / model.costs.paren) + 1;
}

/** What CPython would print and where, for source that nests past one of its limits. */
export interface NestingViolation {
  readonly line: number;
  /** The whole stderr CPython prints (the program never starts; exit status 1). */
  readonly stderr: string;
  /** One line for the run's end: `IndentationError: too many levels of indentation`. */
  readonly message: string;
}

function lineText(source: string, line: number): string {
  return source.split(/\r\n|\r|\n/)[line - 1] ?? '';
}

/** `  File "f", line N` + the stripped line + an optional caret line, then the message. */
function located(fileName: string, source: string, line: number, message: string, caret: ((stripped: string, indent: number) => string) | undefined): string {
  const text = lineText(source, line);
  const stripped = text.trim();
  const indent = text.length - text.trimStart().length;
  const caretLine = caret ? `    ${caret(stripped, indent)}\n` : '';
  return `  File "${fileName}", line ${line}\n    ${stripped}\n${caretLine}${message}\n`;
}

/**
 * The tokenizer's view (indentation and bracket levels), on the text so it also covers what tree-sitter cannot parse
 * (it gives up on indentation past ~500 levels). Strings, comments and continuation lines are skipped as the tokenizer does.
 */
function scanText(source: string, fileName: string, minor: number, treeIsClean: boolean): NestingViolation | undefined {
  // Before 3.9 brackets are limited by the parser's stack: on a clean tree `scanTree` models it exactly.
  const bracketLimit = minor >= 9 ? MAX_NESTED_BRACKETS : treeIsClean ? Number.POSITIVE_INFINITY : oldParserBracketLimit(minor);
  const indents: number[] = [0];
  let line = 1;
  let depth = 0;
  let atLineStart = true;
  let i = 0;
  const n = source.length;
  while (i < n) {
    if (atLineStart) {
      atLineStart = false;
      let column = 0;
      while (i < n && (source[i] === ' ' || source[i] === '\t' || source[i] === '\f')) {
        column = source[i] === '\t' ? (Math.floor(column / 8) + 1) * 8 : source[i] === '\f' ? 0 : column + 1;
        i++;
      }
      const blank = i >= n || source[i] === '#' || source[i] === '\n' || source[i] === '\r' || source[i] === '\\';
      if (!blank && depth === 0) {
        if (column > indents[indents.length - 1]) {
          if (indents.length >= MAX_INDENT_LEVELS) {
            const message = 'IndentationError: too many levels of indentation';
            const caret = minor >= 9 ? undefined : (stripped: string) => `${' '.repeat(Math.max(0, stripped.length - 1))}^`;
            return { line, message, stderr: located(fileName, source, line, message, caret) };
          }
          indents.push(column);
        } else {
          while (indents.length > 1 && column < indents[indents.length - 1]) indents.pop();
        }
      }
      continue;
    }
    const ch = source[i];
    if (ch === '\n' || ch === '\r') {
      i += ch === '\r' && source[i + 1] === '\n' ? 2 : 1;
      line++;
      atLineStart = depth === 0;
    } else if (ch === '#') {
      while (i < n && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (ch === '\\') {
      // A continuation joins the next line to this logical line; any other backslash is just skipped.
      i++;
      if (source[i] === '\r' || source[i] === '\n') {
        i += source[i] === '\r' && source[i + 1] === '\n' ? 2 : 1;
        line++;
      }
    } else if (ch === '"' || ch === "'") {
      const triple = source.startsWith(ch.repeat(3), i);
      const quote = triple ? ch.repeat(3) : ch;
      i += quote.length;
      while (i < n && !source.startsWith(quote, i)) {
        if (source[i] === '\\') i++;
        else if (source[i] === '\n' || source[i] === '\r') {
          if (!triple) break; // an unterminated string: the parser reports it
          if (source[i] === '\r' && source[i + 1] === '\n') i++;
          line++;
        }
        i++;
      }
      if (source.startsWith(quote, i)) i += quote.length;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
      if (depth > bracketLimit) {
        if (minor < 9) return { line, message: 'MemoryError', stderr: parserStackModel(minor).stderr };
        const message = 'SyntaxError: too many nested parentheses';
        const column = i - Math.max(source.lastIndexOf('\n', i - 1), source.lastIndexOf('\r', i - 1)) - 1;
        return { line, message, stderr: located(fileName, source, line, message, (_stripped, indent) => `${' '.repeat(Math.max(0, column - indent))}^`) };
      }
      i++;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
      i++;
    } else i++;
  }
  return undefined;
}

/** Statements that push a frame block in CPython's compiler (the CO_MAXBLOCKS count). */
const BLOCK_STATEMENTS: ReadonlySet<string> = new Set(['for_statement', 'while_statement', 'try_statement', 'with_statement']);
/** Nodes that start a new code object: their body's block count starts again at zero. */
const CODE_OBJECTS: ReadonlySet<string> = new Set(['function_definition', 'class_definition', 'lambda']);
/** Tree-sitter wrappers with no AST node of their own in CPython: they do not deepen the compiler's recursion. */
const NOT_AST_LEVELS: ReadonlySet<string> = new Set([
  'module', 'block', 'expression_statement', 'parenthesized_expression', 'argument_list', 'keyword_argument', 'comment',
  'identifier', 'integer', 'float', 'string', 'string_content', 'string_start', 'string_end', 'true', 'false', 'none',
]);

interface Pending {
  readonly node: TreeNode;
  /** AST levels below the module: what the compiler's recursion guard counts. */
  readonly depth: number;
  readonly blocks: number;
  readonly stack: StackPosition;
  /**
   * 3.9: whether the unary/`not` chain this node is in ends on a constant (the AST optimizer folds it before compiling);
   * undefined outside a chain. Decided once at the chain's top, so a 10,000-level chain is followed once.
   */
  readonly folded: boolean | undefined;
}

/** Whether `node` continues its parent's flat chain (`a and b and c`: one BoolOp in CPython). */
function continuesFlatChain(node: TreeNode, parent: TreeNode | null): boolean {
  if (!parent || node.type !== 'boolean_operator' || parent.type !== 'boolean_operator') return false;
  return node.child(1)?.type === parent.child(1)?.type;
}

const UNARY_CHAIN: ReadonlySet<string> = new Set(['unary_operator', 'not_operator']);
const CONSTANTS: ReadonlySet<string> = new Set(['integer', 'float', 'string', 'true', 'false', 'none', 'concatenated_string']);

/** Whether a chain of unary operators and `not`s starting at `node` ends on a constant (followed iteratively). */
function foldsToConstant(node: TreeNode): boolean {
  let current: TreeNode | null = node;
  while (current && UNARY_CHAIN.has(current.type)) current = current.namedChildren[current.namedChildren.length - 1] ?? null;
  return current !== null && CONSTANTS.has(current.type);
}

/** Nodes that are not an atom of their own on the parser's path (an empty argument list costs nothing). */
function startsAtom(node: TreeNode): boolean {
  return node.type !== 'argument_list' && node.type !== 'block' && node.type !== 'module';
}

function compileRecursion(line: number): NestingViolation {
  const message = 'RecursionError: maximum recursion depth exceeded during compilation';
  return { line, message, stderr: `${message}\n` };
}

function parserOverflow(line: number, model: ParserStackModel): NestingViolation {
  const message = model.stderr.trimEnd().split('\n').pop() ?? 'MemoryError';
  return { line, message, stderr: model.stderr };
}

function staticBlocks(source: string, fileName: string, minor: number, line: number): NestingViolation {
  const message = 'SyntaxError: too many statically nested blocks';
  if (minor < 9) return { line, message, stderr: `${message}\n` };
  const caret = (stripped: string): string => (minor >= 10 ? '^'.repeat(Math.max(1, stripped.length)) : '^');
  return { line, message, stderr: located(fileName, source, line, message, caret) };
}

/**
 * The parser's and the compiler's view, on an error-free tree, walked with an explicit stack: the parser stack each
 * path needs, statically nested blocks and expression depth. The parser runs first: its overflow anywhere wins over
 * the compiler's first complaint.
 */
function scanTree(root: TreeNode, source: string, fileName: string, minor: number): NestingViolation | undefined {
  const model = parserStackModel(minor);
  const maxDepth = maxExpressionDepth(minor);
  let compilerViolation: NestingViolation | undefined;
  const stack: Pending[] = [{ node: root, depth: 0, blocks: 0, stack: { ...STATEMENT_START, entries: model.statementBase }, folded: undefined }];
  while (stack.length > 0) {
    const { node, depth, blocks, stack: position, folded } = stack.pop()!;
    const line = node.startPosition.row + 1;
    if (position.entries > model.limit && startsAtom(node)) return parserOverflow(line, model);
    let childBlocks = CODE_OBJECTS.has(node.type) ? 0 : blocks;
    if (BLOCK_STATEMENTS.has(node.type)) childBlocks++;
    // Once the compiler has complained, only the parser's overflow can still come first.
    if (!compilerViolation && depth > maxDepth) compilerViolation = compileRecursion(line);
    else if (!compilerViolation && childBlocks > MAX_STATIC_BLOCKS) compilerViolation = staticBlocks(source, fileName, minor, line);
    const inChain = minor === 9 && UNARY_CHAIN.has(node.type);
    const chainFolded = inChain ? folded ?? foldsToConstant(node) : undefined;
    const children = node.namedChildren;
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index];
      const childInChain = chainFolded !== undefined && UNARY_CHAIN.has(child.type);
      const deeper = NOT_AST_LEVELS.has(child.type) || continuesFlatChain(child, node) || (childInChain && chainFolded) ? 0 : 1;
      const childStack = node.type === 'module' ? position : followEdge(model, position, stackEdge(node, child, index));
      stack.push({ node: child, depth: depth + deeper, blocks: childBlocks, stack: childStack, folded: childInChain ? chainFolded : undefined });
    }
  }
  return compilerViolation;
}

/** The first nesting limit `source` breaks, checked on the text (tokenizer) and then on the tree (compiler), or undefined. */
export function nestingViolation(root: TreeNode, source: string, fileName: string, minor: number, treeIsClean: boolean): NestingViolation | undefined {
  return scanText(source, fileName, minor, treeIsClean) ?? (treeIsClean ? scanTree(root, source, fileName, minor) : undefined);
}
