// Converts tree-sitter's Python tree into the simulator's AST (ast.ts) and resolves every name's scope once.
import type { TreeNode } from '../syntax/syntaxTypes';
import type { BinaryOp, ExceptHandler, Expr, ModuleCode, Span, Stmt, WithItem } from './ast';
import { ScopeBuilder } from './scopes';
import { BINARY_OPS, CompileUnsupported, ExpressionCompiler, firstDocstring, spanOf } from './compileExpressions';
export { CompileUnsupported, spanOf } from './compileExpressions';

export function compileModule(root: TreeNode, source: string): ModuleCode {
  const compiler = new Compiler(new ScopeBuilder());
  const body = compiler.block(root.namedChildren);
  compiler.scopes.finish();
  return { body, lines: source.split(/\r\n|\r|\n/), futureAnnotations: compiler.futureAnnotations };
}

class Compiler extends ExpressionCompiler {
  futureAnnotations = false;

  block(nodes: readonly TreeNode[]): Stmt[] {
    const out: Stmt[] = [];
    for (const node of nodes) {
      if (node.type === 'comment') continue;
      try {
        out.push(this.stmt(node));
      } catch (error) {
        if (!(error instanceof CompileUnsupported)) throw error;
        out.push({ k: 'unsupported', s: spanOf(node), construct: error.construct });
      }
    }
    return out;
  }

  body(node: TreeNode | null): Stmt[] {
    if (!node) return [];
    if (node.type === 'block') return this.block(node.namedChildren);
    return this.block([node]);
  }

  stmt(node: TreeNode): Stmt {
    const s = spanOf(node);
    switch (node.type) {
      case 'expression_statement': {
        const kids = node.namedChildren.filter((c) => c.type !== 'comment');
        if (kids.length === 1) {
          const only = kids[0];
          if (only.type === 'assignment') return this.assignment(only);
          if (only.type === 'augmented_assignment') {
            const opText = only.childForFieldName('operator')?.text ?? '+=';
            const op = opText.slice(0, -1);
            if (!BINARY_OPS.has(op)) throw new CompileUnsupported(`operator ${opText}`, s.line);
            return { k: 'augassign', s, target: this.target(only.childForFieldName('left')!), op: op as BinaryOp, value: this.expr(only.childForFieldName('right')!) };
          }
          return { k: 'expr', s, value: this.expr(only) };
        }
        return { k: 'expr', s, value: { k: 'tuple', s, items: kids.map((c) => this.expr(c)) } };
      }
      case 'return_statement': {
        const kids = node.namedChildren.filter((c) => c.type !== 'comment');
        return { k: 'return', s, value: kids.length ? this.exprOrTuple(kids, s) : undefined };
      }
      case 'pass_statement':
        return { k: 'pass', s };
      case 'break_statement':
        return { k: 'break', s };
      case 'continue_statement':
        return { k: 'continue', s };
      case 'if_statement':
        return this.ifStatement(node);
      case 'while_statement':
        return { k: 'while', s, cond: this.expr(node.childForFieldName('condition')!), body: this.body(node.childForFieldName('body')), orelse: this.elseOf(node.childForFieldName('alternative')) };
      case 'for_statement': {
        if (node.children.some((c) => c.type === 'async')) throw new CompileUnsupported('async for', s.line);
        const target = this.target(node.childForFieldName('left')!);
        return { k: 'for', s, target, iter: this.expr(node.childForFieldName('right')!), body: this.body(node.childForFieldName('body')), orelse: this.elseOf(node.childForFieldName('alternative')) };
      }
      case 'try_statement':
        return this.tryStatement(node);
      case 'with_statement':
        return this.withStatement(node);
      case 'function_definition':
        return this.functionDef(node, []);
      case 'class_definition':
        return this.classDef(node, []);
      case 'decorated_definition': {
        const decorators = node.namedChildren.filter((c) => c.type === 'decorator').map((d) => this.expr(d.namedChildren[0]));
        const def = node.childForFieldName('definition')!;
        if (def.type === 'function_definition') return this.functionDef(def, decorators, s);
        if (def.type === 'class_definition') return this.classDef(def, decorators, s);
        throw new CompileUnsupported(def.type, s.line);
      }
      case 'delete_statement': {
        const kids = node.namedChildren;
        const list = kids.length === 1 && kids[0].type === 'expression_list' ? kids[0].namedChildren : kids;
        return { k: 'del', s, targets: list.map((t) => this.target(t, true)) };
      }
      case 'global_statement':
        for (const id of node.namedChildren) this.scopes.declareGlobal(id.text);
        return { k: 'global', s };
      case 'nonlocal_statement':
        for (const id of node.namedChildren) this.scopes.declareNonlocal(id.text);
        return { k: 'nonlocal', s };
      case 'assert_statement': {
        const kids = node.namedChildren;
        return { k: 'assert', s, test: this.expr(kids[0]), msg: kids[1] ? this.expr(kids[1]) : undefined };
      }
      case 'raise_statement': {
        const cause = node.childForFieldName('cause');
        const exc = node.namedChildren.find((c) => c !== cause && c.type !== 'comment');
        return { k: 'raise', s, exc: exc ? this.expr(exc) : undefined, cause: cause ? this.expr(cause) : undefined };
      }
      case 'import_statement':
        return this.importStatement(node);
      case 'import_from_statement':
        return this.importFrom(node);
      case 'future_import_statement':
        if (node.namedChildren.some((c) => c.text === 'annotations')) this.futureAnnotations = true;
        return { k: 'pass', s };
      default:
        throw new CompileUnsupported(node.type.replace(/_/g, ' '), s.line);
    }
  }

  elseOf(node: TreeNode | null): Stmt[] {
    if (!node) return [];
    return this.body(node.childForFieldName('body') ?? node.namedChildren.find((c) => c.type === 'block') ?? null);
  }

  ifStatement(node: TreeNode): Stmt {
    const s = spanOf(node);
    const cond = this.expr(node.childForFieldName('condition')!);
    const body = this.body(node.childForFieldName('consequence'));
    const alternatives = node.childrenForFieldName('alternative').filter((c): c is TreeNode => c !== null);
    let orelse: Stmt[] = [];
    for (let i = alternatives.length - 1; i >= 0; i--) {
      const alt = alternatives[i];
      if (alt.type === 'else_clause') orelse = this.elseOf(alt);
      else {
        orelse = [{ k: 'if', s: spanOf(alt), cond: this.expr(alt.childForFieldName('condition')!), body: this.body(alt.childForFieldName('consequence')), orelse }];
      }
    }
    return { k: 'if', s, cond, body, orelse };
  }

  tryStatement(node: TreeNode): Stmt {
    const s = spanOf(node);
    const handlers: ExceptHandler[] = [];
    let orelse: Stmt[] = [];
    let finalbody: Stmt[] = [];
    for (const child of node.namedChildren) {
      if (child.type === 'except_clause') {
        if (child.children.some((c) => c.type === 'except*')) throw new CompileUnsupported('except*', s.line);
        const blockNode = child.namedChildren.find((c) => c.type === 'block') ?? null;
        const valueNode = child.namedChildren.find((c) => c.type !== 'block' && c.type !== 'comment');
        let type: Expr | undefined;
        let name: Expr | undefined;
        if (valueNode?.type === 'as_pattern') {
          type = this.expr(valueNode.namedChildren[0]);
          const alias = valueNode.childForFieldName('alias');
          name = this.target(alias?.namedChildren[0] ?? alias!);
        } else if (valueNode) {
          type = this.expr(valueNode);
        }
        handlers.push({ s: spanOf(child), type, name, body: this.body(blockNode) });
      } else if (child.type === 'else_clause') orelse = this.elseOf(child);
      else if (child.type === 'finally_clause') finalbody = this.body(child.namedChildren.find((c) => c.type === 'block') ?? null);
    }
    return { k: 'try', s, body: this.body(node.childForFieldName('body')), handlers, orelse, finalbody };
  }

  withStatement(node: TreeNode): Stmt {
    const s = spanOf(node);
    if (node.children.some((c) => c.type === 'async')) throw new CompileUnsupported('async with', s.line);
    const clause = node.namedChildren.find((c) => c.type === 'with_clause');
    const items: WithItem[] = [];
    for (const item of clause?.namedChildren ?? []) {
      if (item.type !== 'with_item') continue;
      const value = item.childForFieldName('value')!;
      if (value.type === 'as_pattern') {
        const alias = value.childForFieldName('alias');
        items.push({ value: this.expr(value.namedChildren[0]), target: this.target(alias?.namedChildren[0] ?? alias!) });
      } else items.push({ value: this.expr(value) });
    }
    return { k: 'with', s, items, body: this.body(node.childForFieldName('body')) };
  }

  importStatement(node: TreeNode): Stmt {
    const s = spanOf(node);
    const names: { module: string; target: Expr; bindTop: boolean }[] = [];
    for (const child of node.namedChildren) {
      if (child.type === 'dotted_name') {
        const module = child.text;
        const top = module.split('.')[0];
        names.push({ module, target: this.nameTarget(top, spanOf(child)), bindTop: true });
      } else if (child.type === 'aliased_import') {
        const module = child.childForFieldName('name')!.text;
        const alias = child.childForFieldName('alias')!;
        names.push({ module, target: this.nameTarget(alias.text, spanOf(alias)), bindTop: false });
      }
    }
    return { k: 'import', s, names };
  }

  importFrom(node: TreeNode): Stmt {
    const s = spanOf(node);
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode || moduleNode.type === 'relative_import') throw new CompileUnsupported('relative import', s.line);
    const names: { name: string; target: Expr }[] = [];
    for (const child of node.childrenForFieldName('name')) {
      if (!child) continue;
      if (child.type === 'aliased_import') {
        const alias = child.childForFieldName('alias')!;
        names.push({ name: child.childForFieldName('name')!.text, target: this.nameTarget(alias.text, spanOf(alias)) });
      } else names.push({ name: child.text, target: this.nameTarget(child.text, spanOf(child)) });
    }
    if (node.children.some((c) => c.type === 'wildcard_import')) throw new CompileUnsupported('from ... import *', s.line);
    return { k: 'importfrom', s, module: moduleNode.text, names };
  }

  assignment(node: TreeNode): Stmt {
    const s = spanOf(node);
    const typeNode = node.childForFieldName('type');
    if (typeNode) {
      const annotationNode = typeNode.namedChildren[0] ?? typeNode;
      const right = node.childForFieldName('right');
      return {
        k: 'annassign',
        s,
        target: this.target(node.childForFieldName('left')!),
        value: right ? this.expr(right) : undefined,
        annotation: this.futureAnnotations ? undefined : this.annotationExpr(annotationNode),
        annotationText: annotationNode.text,
      };
    }
    const targets: Expr[] = [];
    let current: TreeNode = node;
    while (current.type === 'assignment') {
      const right = current.childForFieldName('right');
      const left = current.childForFieldName('left')!;
      if (!right) {
        return { k: 'annassign', s, target: this.target(left), annotationText: '' };
      }
      targets.push(this.target(left));
      current = right;
    }
    if (current.type === 'augmented_assignment') throw new CompileUnsupported('chained augmented assignment', s.line);
    const value = this.expr(current);
    return { k: 'assign', s, targets, value };
  }

  /** An annotation as an expression; tree-sitter's type-only shapes (generic_type ...) are kept as text instead. */
  private annotationExpr(node: TreeNode): Expr | undefined {
    try {
      return this.expr(node);
    } catch (error) {
      if (error instanceof CompileUnsupported) return undefined;
      throw error;
    }
  }

  functionDef(node: TreeNode, decorators: Expr[], outer?: Span): Stmt {
    const s = outer ?? spanOf(node);
    if (node.children.some((c) => c.type === 'async')) throw new CompileUnsupported('async def', s.line);
    const nameNode = node.childForFieldName('name')!;
    const params = this.params(node.childForFieldName('parameters'));
    const target = this.nameTarget(nameNode.text, spanOf(nameNode));
    const bodyNode = node.childForFieldName('body');
    const code = this.functionCode(nameNode.text, params, spanOf(node), () => ({ body: this.body(bodyNode) }), false);
    return { k: 'def', s, code, decorators, target };
  }

  classDef(node: TreeNode, decorators: Expr[], outer?: Span): Stmt {
    const s = outer ?? spanOf(node);
    const nameNode = node.childForFieldName('name')!;
    const bases = this.args(node.childForFieldName('superclasses'));
    const target = this.nameTarget(nameNode.text, spanOf(nameNode));
    const qualname = this.scopes.qualnameFor(nameNode.text);
    const freevars = this.scopes.enterClass(nameNode.text, qualname);
    const body = this.body(node.childForFieldName('body'));
    this.scopes.leave();
    return { k: 'class', s, name: nameNode.text, qualname, bases, body, decorators, target, docstring: firstDocstring(body), freevars };
  }

}
