// Expression compilation: tree-sitter expressions, targets, parameters and function bodies' scopes into ast.ts nodes.
import type { TreeNode } from '../syntax/syntaxTypes';
import type { Arg, BinaryOp, CompClause, CompareOp, DictEntry, Expr, FStringPart, FunctionCode, Param, Span, Stmt } from './ast';
import { decodeStringBody } from './stringLiterals';
import type { ScopeBuilder } from './scopes';

/** Thrown for a construct outside the subset; caught by `compileModule` and turned into an `unsupported` statement. */
export class CompileUnsupported extends Error {
  constructor(readonly construct: string, readonly line: number) {
    super(`unsupported: ${construct} (line ${line})`);
  }
}

export function spanOf(node: TreeNode): Span {
  return { line: node.startPosition.row + 1, col: node.startPosition.column, endLine: node.endPosition.row + 1, endCol: node.endPosition.column };
}

/** A span with its traceback anchor: from `anchorNode` (or from its start to the end of `node`). */
function anchoredSpan(node: TreeNode, kind: 'binop' | 'subscript' | 'call', anchorNode: TreeNode | null | undefined, toEnd: boolean): Span {
  const s = spanOf(node);
  if (!anchorNode || anchorNode.startPosition.row + 1 !== s.line) return s;
  const end = toEnd ? (s.endLine === s.line ? s.endCol : anchorNode.endPosition.column) : anchorNode.endPosition.column;
  return { ...s, anchor: { kind, start: anchorNode.startPosition.column, end } };
}

export const BINARY_OPS = new Set(['+', '-', '*', '/', '//', '%', '**', '<<', '>>', '&', '|', '^', '@']);

/** Compiles expressions and the scopes of functions, lambdas and comprehensions; statements extend it. */
export class ExpressionCompiler {
  constructor(readonly scopes: ScopeBuilder) {}

  nameTarget(id: string, s: Span): Expr {
    const e: Expr = { k: 'name', s, id, scope: 'unresolved', slot: -1 };
    this.scopes.bind(id, e);
    return e;
  }

  target(node: TreeNode, deleting = false): Expr {
    const s = spanOf(node);
    switch (node.type) {
      case 'identifier':
        return this.nameTarget(node.text, s);
      case 'attribute':
      case 'subscript':
        return this.expr(node);
      case 'pattern_list':
      case 'tuple_pattern':
      case 'expression_list':
      case 'tuple':
        return { k: 'tuple', s, items: node.namedChildren.filter((c) => c.type !== 'comment').map((c) => this.target(c, deleting)) };
      case 'list_pattern':
      case 'list':
        return { k: 'list', s, items: node.namedChildren.filter((c) => c.type !== 'comment').map((c) => this.target(c, deleting)) };
      case 'parenthesized_expression':
        return this.target(node.namedChildren[0], deleting);
      case 'list_splat_pattern':
        return { k: 'starred', s, value: this.target(node.namedChildren[0], deleting) };
      default:
        throw new CompileUnsupported(`assignment to ${node.type.replace(/_/g, ' ')}`, s.line);
    }
  }

  exprOrTuple(nodes: readonly TreeNode[], s: Span): Expr {
    if (nodes.length === 1) return this.expr(nodes[0]);
    return { k: 'tuple', s, items: nodes.map((n) => this.expr(n)) };
  }

  params(node: TreeNode | null): Param[] {
    const out: Param[] = [];
    if (!node) return out;
    let sawStar = false;
    for (const child of node.namedChildren) {
      switch (child.type) {
        case 'identifier':
          out.push({ name: child.text, kind: sawStar ? 'kwonly' : 'plain' });
          break;
        case 'default_parameter':
        case 'typed_default_parameter': {
          const name = child.childForFieldName('name')!;
          out.push({ name: name.text, kind: sawStar ? 'kwonly' : 'plain', defaultValue: this.expr(child.childForFieldName('value')!) });
          break;
        }
        case 'typed_parameter': {
          const inner = child.namedChildren[0];
          if (inner.type === 'list_splat_pattern') {
            sawStar = true;
            out.push({ name: inner.namedChildren[0].text, kind: 'star' });
          } else if (inner.type === 'dictionary_splat_pattern') out.push({ name: inner.namedChildren[0].text, kind: 'dstar' });
          else out.push({ name: inner.text, kind: sawStar ? 'kwonly' : 'plain' });
          break;
        }
        case 'list_splat_pattern':
          sawStar = true;
          out.push({ name: child.namedChildren[0].text, kind: 'star' });
          break;
        case 'keyword_separator':
          sawStar = true;
          break;
        case 'dictionary_splat_pattern':
          out.push({ name: child.namedChildren[0].text, kind: 'dstar' });
          break;
        case 'positional_separator':
        case 'comment':
          break;
        default:
          throw new CompileUnsupported(`parameter ${child.type}`, spanOf(child).line);
      }
    }
    return out;
  }

  /** Compiles defaults in the enclosing scope, then the body in a new function scope. */
  functionCode(name: string, params: Param[], s: Span, compileBody: () => { body: Stmt[]; lambdaBody?: Expr }, isLambda: boolean, isComprehension = false): FunctionCode {
    const qualname = this.scopes.qualnameFor(name);
    const scope = this.scopes.enterFunction(name, qualname, isComprehension);
    for (const p of params) scope.addParam(p.name);
    const { body, lambdaBody } = compileBody();
    this.scopes.leave();
    const docstring = firstDocstring(body);
    const code: FunctionCode = {
      name,
      qualname,
      params,
      body,
      lambdaBody,
      span: s,
      varnames: scope.varnames,
      cellvars: scope.cellvars,
      freevars: scope.freevars,
      globals: scope.globals,
      isGenerator: scope.isGenerator,
      isLambda,
      isComprehension,
      docstring,
    };
    return code;
  }

  args(node: TreeNode | null): Arg[] {
    const out: Arg[] = [];
    if (!node) return out;
    if (node.type === 'generator_expression') return [{ kind: 'pos', value: this.expr(node) }];
    for (const child of node.namedChildren) {
      switch (child.type) {
        case 'comment':
          break;
        case 'keyword_argument':
          out.push({ kind: 'kw', name: child.childForFieldName('name')!.text, value: this.expr(child.childForFieldName('value')!) });
          break;
        case 'list_splat':
          out.push({ kind: 'star', value: this.expr(child.namedChildren[0]) });
          break;
        case 'dictionary_splat':
          out.push({ kind: 'dstar', value: this.expr(child.namedChildren[0]) });
          break;
        default:
          out.push({ kind: 'pos', value: this.expr(child) });
      }
    }
    return out;
  }

  expr(node: TreeNode): Expr {
    const s = spanOf(node);
    switch (node.type) {
      case 'identifier': {
        const e: Expr = { k: 'name', s, id: node.text, scope: 'unresolved', slot: -1 };
        this.scopes.use(node.text, e);
        return e;
      }
      case 'integer': {
        const text = node.text.replace(/_/g, '').toLowerCase();
        if (text.endsWith('j')) throw new CompileUnsupported('complex number', s.line);
        const big = /^0[0-7]+$/.test(text) ? BigInt('0o' + text.slice(1)) : BigInt(text);
        const value = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
        return { k: 'int', s, value };
      }
      case 'float': {
        const text = node.text.replace(/_/g, '');
        if (/j$/i.test(text)) throw new CompileUnsupported('complex number', s.line);
        return { k: 'float', s, value: Number(text) };
      }
      case 'true':
        return { k: 'const', s, value: 'True' };
      case 'false':
        return { k: 'const', s, value: 'False' };
      case 'none':
        return { k: 'const', s, value: 'None' };
      case 'ellipsis':
        return { k: 'const', s, value: 'Ellipsis' };
      case 'string':
        return this.string([node], s);
      case 'concatenated_string':
        return this.string(node.namedChildren.filter((c) => c.type === 'string'), s);
      case 'parenthesized_expression': {
        const inner = node.namedChildren.filter((c) => c.type !== 'comment');
        return this.expr(inner[0]);
      }
      case 'call': {
        const func = this.expr(node.childForFieldName('function')!);
        const argsNode = node.childForFieldName('arguments');
        return { k: 'call', s: anchoredSpan(node, 'call', argsNode, true), func, args: this.args(argsNode) };
      }
      case 'attribute':
        return { k: 'attr', s, obj: this.expr(node.childForFieldName('object')!), name: node.childForFieldName('attribute')!.text };
      case 'subscript': {
        const subs = node.childrenForFieldName('subscript').filter((c): c is TreeNode => c !== null);
        const obj = this.expr(node.childForFieldName('value')!);
        const index = subs.length === 1 ? this.expr(subs[0]) : ({ k: 'tuple', s, items: subs.map((c) => this.expr(c)) } as Expr);
        return { k: 'subscript', s: anchoredSpan(node, 'subscript', node.children.find((c) => c.type === '['), true), obj, index };
      }
      case 'slice':
        return this.slice(node);
      case 'binary_operator': {
        const op = node.childForFieldName('operator')!.text;
        if (!BINARY_OPS.has(op)) throw new CompileUnsupported(`operator ${op}`, s.line);
        return { k: 'binop', s: anchoredSpan(node, 'binop', node.childForFieldName('operator'), false), op: op as BinaryOp, left: this.expr(node.childForFieldName('left')!), right: this.expr(node.childForFieldName('right')!) };
      }
      case 'unary_operator': {
        const op = node.childForFieldName('operator')!.text as '-' | '+' | '~';
        return { k: 'unary', s, op, operand: this.expr(node.childForFieldName('argument')!) };
      }
      case 'not_operator':
        return { k: 'unary', s, op: 'not', operand: this.expr(node.childForFieldName('argument')!) };
      case 'boolean_operator': {
        const op = node.childForFieldName('operator')!.text as 'and' | 'or';
        // tree-sitter nests `a and b and c` to the left; walk down that chain with a loop, not recursion.
        const rights: TreeNode[] = [];
        let leftmost = node;
        while (leftmost.type === 'boolean_operator' && leftmost.childForFieldName('operator')?.text === op) {
          rights.push(leftmost.childForFieldName('right')!);
          leftmost = leftmost.childForFieldName('left')!;
        }
        return { k: 'boolop', s, op, values: [leftmost, ...rights.reverse()].map((operand) => this.expr(operand)) };
      }
      case 'comparison_operator':
        return this.comparison(node);
      case 'conditional_expression': {
        const [then, cond, orelse] = node.namedChildren.filter((c) => c.type !== 'comment');
        return { k: 'ifexp', s, cond: this.expr(cond), then: this.expr(then), orelse: this.expr(orelse) };
      }
      case 'lambda': {
        const params = this.params(node.childForFieldName('parameters'));
        const bodyNode = node.childForFieldName('body')!;
        const code = this.functionCode('<lambda>', params, s, () => ({ body: [], lambdaBody: this.expr(bodyNode) }), true);
        return { k: 'lambda', s, code };
      }
      case 'tuple':
      case 'expression_list':
      case 'pattern_list': {
        const items = node.namedChildren.filter((c) => c.type !== 'comment').map((c) => this.expr(c));
        return { k: 'tuple', s, items, constant: items.every(isConstantExpr) };
      }
      case 'list':
        return { k: 'list', s, items: node.namedChildren.filter((c) => c.type !== 'comment').map((c) => this.expr(c)) };
      case 'set':
        return { k: 'set', s, items: node.namedChildren.filter((c) => c.type !== 'comment').map((c) => this.expr(c)) };
      case 'dictionary': {
        const entries: DictEntry[] = [];
        for (const child of node.namedChildren) {
          if (child.type === 'pair') entries.push({ key: this.expr(child.childForFieldName('key')!), value: this.expr(child.childForFieldName('value')!) });
          else if (child.type === 'dictionary_splat') entries.push({ splat: this.expr(child.namedChildren[0]) });
        }
        return { k: 'dict', s, entries };
      }
      case 'list_splat':
        return { k: 'starred', s, value: this.expr(node.namedChildren[0]) };
      case 'list_comprehension':
        return this.comprehension(node, 'list');
      case 'set_comprehension':
        return this.comprehension(node, 'set');
      case 'dictionary_comprehension':
        return this.comprehension(node, 'dict');
      case 'generator_expression':
        return this.comprehension(node, 'gen');
      case 'yield': {
        this.scopes.markGenerator(s.line);
        const isFrom = node.children.some((c) => c.type === 'from');
        const value = node.namedChildren.find((c) => c.type !== 'comment');
        return { k: 'yield', s, value: value ? this.expr(value) : undefined, from: isFrom };
      }
      case 'named_expression': {
        const target = this.nameTarget(node.childForFieldName('name')!.text, spanOf(node.childForFieldName('name')!));
        return { k: 'walrus', s, target, value: this.expr(node.childForFieldName('value')!) };
      }
      case 'keyword_argument':
        throw new CompileUnsupported('keyword argument outside a call', s.line);
      default:
        throw new CompileUnsupported(node.type.replace(/_/g, ' '), s.line);
    }
  }

  slice(node: TreeNode): Expr {
    const s = spanOf(node);
    const parts: (Expr | undefined)[] = [undefined, undefined, undefined];
    let index = 0;
    for (const child of node.children) {
      if (child.type === ':') index++;
      else if (child.isNamed && child.type !== 'comment') parts[index] = this.expr(child);
    }
    return { k: 'slice', s, lower: parts[0], upper: parts[1], step: parts[2] };
  }

  comparison(node: TreeNode): Expr {
    const s = spanOf(node);
    const operands: Expr[] = [];
    const ops: CompareOp[] = [];
    for (const child of node.children) {
      if (child.type === 'comment') continue;
      if (child.isNamed && child.type !== 'not in' && child.type !== 'is not') operands.push(this.expr(child));
      else ops.push(child.type.replace(/\s+/g, ' ') as CompareOp);
    }
    return { k: 'compare', s, first: operands[0], ops, rest: operands.slice(1) };
  }

  comprehension(node: TreeNode, kind: 'list' | 'set' | 'dict' | 'gen'): Expr {
    const s = spanOf(node);
    const clauseNodes = node.namedChildren.filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
    const first = clauseNodes[0];
    if (!first || first.type !== 'for_in_clause') throw new CompileUnsupported('comprehension', s.line);
    if (first.children.some((c) => c.type === 'async')) throw new CompileUnsupported('async comprehension', s.line);
    // The outermost iterable is evaluated in the enclosing scope.
    const outerIter = this.expr(first.childForFieldName('right')!);
    const name = kind === 'list' ? '<listcomp>' : kind === 'set' ? '<setcomp>' : kind === 'dict' ? '<dictcomp>' : '<genexpr>';
    let elt!: Expr;
    let valueElt: Expr | undefined;
    const clauses: CompClause[] = [];
    const code = this.functionCode(name, [{ name: '.0', kind: 'plain' }], s, () => {
      for (const clause of clauseNodes) {
        if (clause.type === 'for_in_clause') {
          const target = this.target(clause.childForFieldName('left')!);
          const iter = clause === first ? undefined : this.expr(clause.childForFieldName('right')!);
          clauses.push({ kind: 'for', target, iter });
        } else clauses.push({ kind: 'if', cond: this.expr(clause.namedChildren[0]) });
      }
      const body = node.childForFieldName('body')!;
      if (kind === 'dict') {
        elt = this.expr(body.childForFieldName('key')!);
        valueElt = this.expr(body.childForFieldName('value')!);
      } else elt = this.expr(body);
      if (kind === 'gen') this.scopes.markGenerator(s.line);
      return { body: [] };
    }, false, true);
    return { k: 'comp', s, kind, code, elt, valueElt, clauses, outerIter };
  }

  string(nodes: readonly TreeNode[], s: Span): Expr {
    const parts: FStringPart[] = [];
    let isBytes = false;
    let isF = false;
    for (const node of nodes) {
      const start = node.children[0];
      const prefix = (start?.type === 'string_start' ? start.text : '').replace(/['"]/g, '').toLowerCase();
      const raw = prefix.includes('r');
      if (prefix.includes('b')) isBytes = true;
      if (prefix.includes('f')) {
        isF = true;
        for (const child of node.children) {
          if (child.type === 'string_content') parts.push({ text: decodeStringBody(child.text, raw).replace(/\{\{/g, '{').replace(/\}\}/g, '}') });
          else if (child.type === 'escape_sequence') parts.push({ text: decodeStringBody(child.text, raw) });
          else if (child.type === 'interpolation') parts.push(this.interpolation(child));
        }
      } else {
        const end = node.children[node.childCount - 1];
        const body = node.text.slice(start.text.length, end?.type === 'string_end' ? node.text.length - end.text.length : node.text.length);
        parts.push({ text: decodeStringBody(body, raw) });
      }
    }
    if (isBytes) return { k: 'bytes', s, value: parts.map((p) => ('text' in p ? p.text : '')).join('') };
    if (!isF) return { k: 'str', s, value: parts.map((p) => ('text' in p ? p.text : '')).join('') };
    return { k: 'fstring', s, parts };
  }

  interpolation(node: TreeNode): FStringPart {
    const exprNode = node.childForFieldName('expression')!;
    const conv = node.childForFieldName('type_conversion')?.text.slice(1) as 'r' | 's' | 'a' | undefined;
    const specNode = node.childForFieldName('format_specifier');
    const selfDoc = node.children.some((c) => c.type === '=') ? node.text.slice(1, node.text.indexOf('=', exprNode.endIndex - node.startIndex) + 1) : undefined;
    let spec: string | undefined;
    if (specNode) {
      if (specNode.namedChildren.some((c) => c.type === 'interpolation')) throw new CompileUnsupported('nested f-string format spec', spanOf(node).line);
      spec = specNode.text.replace(/^:/, '');
    }
    const expr = exprNode.type === 'expression_list' ? this.exprOrTuple(exprNode.namedChildren, spanOf(exprNode)) : this.expr(exprNode);
    return { expr, conversion: conv ?? (selfDoc && !spec ? 'r' : undefined), spec, selfDoc };
  }
}


export function isConstantExpr(e: Expr): boolean {
  return e.k === 'int' || e.k === 'float' || e.k === 'str' || e.k === 'bytes' || e.k === 'const' || (e.k === 'tuple' && e.constant === true);
}

export function firstDocstring(body: readonly Stmt[]): string | undefined {
  const first = body[0];
  if (first?.k === 'expr' && first.value.k === 'str') return first.value.value;
  return undefined;
}
