// Which names a scope (module, function, lambda or class body) binds.
import type { SyntaxNode } from '../syntax/syntaxTypes';

/** Statements whose bodies belong to the enclosing scope (Python has no block scope). */
const COMPOUND_WITH_BLOCKS = new Set([
  'if_statement', 'elif_clause', 'else_clause', 'for_statement', 'while_statement', 'try_statement',
  'except_clause', 'except_group_clause', 'finally_clause', 'with_statement', 'match_statement', 'case_clause', 'block',
]);

/** Nodes that open a new scope: their insides bind nothing in the enclosing one (only their own name). */
const SCOPE_NODES = new Set([
  'function_definition', 'class_definition', 'lambda',
  'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression',
]);

/** Adds every identifier an assignment-like target binds (`a`, `a, b`, `[a, *b]`; not `a.b` or `a[0]`). */
function addTargetNames(target: SyntaxNode | null, names: Set<string>): void {
  if (!target) return;
  switch (target.type) {
    case 'identifier':
      names.add(target.text);
      return;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'list_splat_pattern':
    case 'parenthesized_expression':
      for (const child of target.namedChildren) addTargetNames(child, names);
      return;
    default:
      return;
  }
}

/** Names a function's or lambda's parameters bind. */
function addParameterNames(parameters: SyntaxNode | null, names: Set<string>): void {
  if (!parameters) return;
  for (const parameter of parameters.namedChildren) {
    const name = parameter.childForFieldName('name');
    if (name?.type === 'identifier') names.add(name.text);
    else if (parameter.type === 'identifier') names.add(parameter.text);
    else {
      // typed_parameter, *args, **kwargs: the identifier is the first named child.
      const first = parameter.namedChild(0);
      if (first?.type === 'identifier') names.add(first.text);
    }
  }
}

/**
 * Adds the names `node` binds in the scope it belongs to, without entering nested scopes. Imports are
 * left out on purpose: the semantic model resolves them through its alias table.
 */
function addBindings(node: SyntaxNode, names: Set<string>): void {
  switch (node.type) {
    case 'function_definition':
    case 'class_definition': {
      const name = node.childForFieldName('name');
      if (name) names.add(name.text);
      return;
    }
    case 'decorated_definition': {
      const definition = node.childForFieldName('definition');
      if (definition) addBindings(definition, names);
      return;
    }
    case 'assignment':
    case 'augmented_assignment':
      addTargetNames(node.childForFieldName('left'), names);
      for (const child of node.namedChildren) if (child.type === 'assignment') addBindings(child, names);
      return;
    case 'named_expression':
      addTargetNames(node.childForFieldName('name'), names);
      return;
    case 'for_statement':
      addTargetNames(node.childForFieldName('left'), names);
      break;
    case 'as_pattern': {
      const alias = node.childForFieldName('alias');
      if (alias) for (const child of alias.type === 'as_pattern_target' ? alias.namedChildren : [alias]) addTargetNames(child, names);
      break;
    }
    case 'except_clause':
      for (const child of node.namedChildren) if (child.type === 'as_pattern') addBindings(child, names);
      break;
    default:
      break;
  }
  if (SCOPE_NODES.has(node.type)) return;
  for (const child of node.namedChildren) {
    if (child.type === 'import_statement' || child.type === 'import_from_statement') continue;
    if (COMPOUND_WITH_BLOCKS.has(child.type) || child.type === 'expression_statement' || child.type === 'with_clause'
      || child.type === 'with_item' || child.type === 'as_pattern' || child.type === 'assignment'
      || child.type === 'augmented_assignment' || child.type === 'named_expression' || child.type === 'decorated_definition'
      || child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'except_clause'
      || child.type === 'parenthesized_expression') {
      addBindings(child, names);
    }
  }
}

/** Names bound directly in a scope node's body (plus parameters for functions and lambdas). */
export function scopeBindings(scope: SyntaxNode): Set<string> {
  const names = new Set<string>();
  if (scope.type === 'module') {
    for (const statement of scope.namedChildren) {
      if (statement.type !== 'import_statement' && statement.type !== 'import_from_statement') addBindings(statement, names);
    }
    return names;
  }
  if (scope.type === 'function_definition' || scope.type === 'lambda') addParameterNames(scope.childForFieldName('parameters'), names);
  const body = scope.childForFieldName('body');
  if (body && scope.type !== 'lambda') addBindings(body, names);
  return names;
}
