// The simulator's own syntax tree: tree-sitter's Python tree converted once into plain objects the interpreter walks.

/** Source span of a node (1-based line, 0-based columns) for tracebacks and caret lines. */
export interface Span {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
  /** 3.11+ traceback anchors: the part marked `^` (operator, `[index]`, `(args)`); the rest of the span gets `~`. */
  readonly anchor?: { readonly kind: 'binop' | 'subscript' | 'call'; readonly start: number; readonly end: number };
}

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '<<' | '>>' | '&' | '|' | '^' | '@';
export type CompareOp = '<' | '>' | '<=' | '>=' | '==' | '!=' | 'in' | 'not in' | 'is' | 'is not';

export interface Param {
  readonly name: string;
  readonly kind: 'plain' | 'star' | 'dstar' | 'kwonly';
  readonly defaultValue?: Expr;
}

/** Everything the compiler knows about a function body's names (CPython's symbol table, simplified). */
export interface FunctionCode {
  readonly name: string;
  readonly qualname: string;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  /** For lambdas: the single expression. */
  readonly lambdaBody?: Expr;
  readonly span: Span;
  /** Local slots in CPython's co_varnames order (parameters first), then cell-only names. */
  readonly varnames: readonly string[];
  /** Locals that inner functions capture (live in cells). */
  readonly cellvars: ReadonlySet<string>;
  /** Free variables captured from enclosing functions, in closure order. */
  readonly freevars: readonly string[];
  readonly globals: ReadonlySet<string>;
  readonly isGenerator: boolean;
  readonly isLambda: boolean;
  readonly isComprehension: boolean;
  readonly docstring?: string;
}

export type Expr =
  | { readonly k: 'name'; readonly s: Span; readonly id: string; scope: NameScope; slot: number }
  | { readonly k: 'int'; readonly s: Span; readonly value: number | bigint }
  | { readonly k: 'float'; readonly s: Span; readonly value: number }
  | { readonly k: 'str'; readonly s: Span; readonly value: string }
  | { readonly k: 'bytes'; readonly s: Span; readonly value: string }
  | { readonly k: 'fstring'; readonly s: Span; readonly parts: readonly FStringPart[] }
  | { readonly k: 'const'; readonly s: Span; readonly value: 'None' | 'True' | 'False' | 'Ellipsis' }
  | { readonly k: 'call'; readonly s: Span; readonly func: Expr; readonly args: readonly Arg[] }
  | { readonly k: 'attr'; readonly s: Span; readonly obj: Expr; readonly name: string }
  | { readonly k: 'subscript'; readonly s: Span; readonly obj: Expr; readonly index: Expr }
  | { readonly k: 'slice'; readonly s: Span; readonly lower?: Expr; readonly upper?: Expr; readonly step?: Expr }
  | { readonly k: 'binop'; readonly s: Span; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly k: 'unary'; readonly s: Span; readonly op: '-' | '+' | '~' | 'not'; readonly operand: Expr }
  // Flat, as CPython's BoolOp: `a and b and c` is one node with three values (no nesting to recurse through).
  | { readonly k: 'boolop'; readonly s: Span; readonly op: 'and' | 'or'; readonly values: readonly Expr[] }
  | { readonly k: 'compare'; readonly s: Span; readonly first: Expr; readonly ops: readonly CompareOp[]; readonly rest: readonly Expr[] }
  | { readonly k: 'ifexp'; readonly s: Span; readonly cond: Expr; readonly then: Expr; readonly orelse: Expr }
  | { readonly k: 'lambda'; readonly s: Span; readonly code: FunctionCode }
  | { readonly k: 'tuple' | 'list' | 'set'; readonly s: Span; readonly items: readonly Expr[]; readonly constant?: boolean }
  | { readonly k: 'dict'; readonly s: Span; readonly entries: readonly DictEntry[] }
  | { readonly k: 'starred'; readonly s: Span; readonly value: Expr }
  | { readonly k: 'comp'; readonly s: Span; readonly kind: 'list' | 'set' | 'dict' | 'gen'; readonly code: FunctionCode; readonly elt: Expr; readonly valueElt?: Expr; readonly clauses: readonly CompClause[]; readonly outerIter: Expr }
  | { readonly k: 'yield'; readonly s: Span; readonly value?: Expr; readonly from: boolean }
  | { readonly k: 'walrus'; readonly s: Span; readonly target: Expr; readonly value: Expr };

export type NameScope = 'local' | 'cell' | 'free' | 'global' | 'name' | 'unresolved';

export type DictEntry = { readonly key: Expr; readonly value: Expr } | { readonly splat: Expr };

export interface CompClause {
  readonly kind: 'for' | 'if';
  readonly target?: Expr;
  readonly iter?: Expr;
  readonly cond?: Expr;
}

export type FStringPart = { readonly text: string } | { readonly expr: Expr; readonly conversion?: 'r' | 's' | 'a'; readonly spec?: string; readonly selfDoc?: string };

export type Arg =
  | { readonly kind: 'pos'; readonly value: Expr }
  | { readonly kind: 'star'; readonly value: Expr }
  | { readonly kind: 'kw'; readonly name: string; readonly value: Expr }
  | { readonly kind: 'dstar'; readonly value: Expr };

export interface ExceptHandler {
  readonly s: Span;
  readonly type?: Expr;
  readonly name?: Expr;
  readonly body: readonly Stmt[];
}

export interface WithItem {
  readonly value: Expr;
  readonly target?: Expr;
}

export type Stmt =
  | { readonly k: 'expr'; readonly s: Span; readonly value: Expr }
  | { readonly k: 'assign'; readonly s: Span; readonly targets: readonly Expr[]; readonly value: Expr }
  | { readonly k: 'annassign'; readonly s: Span; readonly target: Expr; readonly value?: Expr; readonly annotation?: Expr; readonly annotationText: string }
  | { readonly k: 'augassign'; readonly s: Span; readonly target: Expr; readonly op: BinaryOp; readonly value: Expr }
  | { readonly k: 'return'; readonly s: Span; readonly value?: Expr }
  | { readonly k: 'pass'; readonly s: Span }
  | { readonly k: 'break'; readonly s: Span }
  | { readonly k: 'continue'; readonly s: Span }
  | { readonly k: 'if'; readonly s: Span; readonly cond: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[] }
  | { readonly k: 'while'; readonly s: Span; readonly cond: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[] }
  | { readonly k: 'for'; readonly s: Span; readonly target: Expr; readonly iter: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[] }
  | { readonly k: 'try'; readonly s: Span; readonly body: readonly Stmt[]; readonly handlers: readonly ExceptHandler[]; readonly orelse: readonly Stmt[]; readonly finalbody: readonly Stmt[] }
  | { readonly k: 'with'; readonly s: Span; readonly items: readonly WithItem[]; readonly body: readonly Stmt[] }
  | { readonly k: 'def'; readonly s: Span; readonly code: FunctionCode; readonly decorators: readonly Expr[]; readonly target: Expr }
  | { readonly k: 'class'; readonly s: Span; readonly name: string; readonly qualname: string; readonly bases: readonly Arg[]; readonly body: readonly Stmt[]; readonly decorators: readonly Expr[]; readonly target: Expr; readonly docstring?: string; readonly freevars: readonly string[] }
  | { readonly k: 'del'; readonly s: Span; readonly targets: readonly Expr[] }
  | { readonly k: 'global' | 'nonlocal'; readonly s: Span }
  | { readonly k: 'assert'; readonly s: Span; readonly test: Expr; readonly msg?: Expr }
  | { readonly k: 'raise'; readonly s: Span; readonly exc?: Expr; readonly cause?: Expr }
  | { readonly k: 'import'; readonly s: Span; readonly names: readonly { readonly module: string; readonly target: Expr; readonly bindTop: boolean }[] }
  | { readonly k: 'importfrom'; readonly s: Span; readonly module: string; readonly names: readonly { readonly name: string; readonly target: Expr }[] }
  | { readonly k: 'unsupported'; readonly s: Span; readonly construct: string };

export interface ModuleCode {
  readonly body: readonly Stmt[];
  readonly lines: readonly string[];
  /** `from __future__ import annotations`: annotations are kept as strings, never evaluated. */
  readonly futureAnnotations: boolean;
}
