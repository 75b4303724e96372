// Builds the semantic model from the import statements the engine captured and the module's bindings.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { SemanticModel } from './semanticModel';

/** Names bound at module level by something other than an import, which shadow builtins of that name. */
function moduleLevelBindings(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const bindTarget = (target: SyntaxNode | null): void => {
    if (!target) return;
    if (target.type === 'identifier') names.add(target.text);
    else if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern')
      target.namedChildren.forEach(bindTarget);
  };
  for (const statement of root.namedChildren) {
    const inner = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (!inner) continue;
    if (inner.type === 'function_definition' || inner.type === 'class_definition') {
      const name = inner.childForFieldName('name');
      if (name) names.add(name.text);
    } else if (inner.type === 'expression_statement') {
      for (const expression of inner.namedChildren) {
        if (expression.type === 'assignment' || expression.type === 'augmented_assignment')
          bindTarget(expression.childForFieldName('left'));
      }
    }
  }
  return names;
}

/** Local name → qualified name, from `import a.b as c`, `import a`, `from a import b as c`. */
function importAliases(imports: readonly SyntaxNode[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const statement of imports) {
    if (statement.type === 'import_statement') {
      for (const item of statement.childrenForFieldName('name')) {
        if (!item) continue;
        if (item.type === 'aliased_import') {
          const dotted = item.childForFieldName('name');
          const alias = item.childForFieldName('alias');
          if (dotted && alias) aliases.set(alias.text, dotted.text.replace(/\s+/g, ''));
        } else if (item.type === 'dotted_name') {
          // `import a.b` binds `a`; attribute chains from it spell the rest.
          const first = item.namedChild(0);
          if (first) aliases.set(first.text, first.text);
        }
      }
    } else if (statement.type === 'import_from_statement') {
      const moduleNode = statement.childForFieldName('module_name');
      if (!moduleNode || moduleNode.type === 'relative_import') continue;
      const moduleName = moduleNode.text.replace(/\s+/g, '');
      for (const item of statement.childrenForFieldName('name')) {
        if (!item) continue;
        if (item.type === 'aliased_import') {
          const name = item.childForFieldName('name');
          const alias = item.childForFieldName('alias');
          if (name && alias) aliases.set(alias.text, `${moduleName}.${name.text}`);
        } else if (item.type === 'dotted_name') {
          aliases.set(item.text, `${moduleName}.${item.text}`);
        }
      }
    }
  }
  return aliases;
}

export function buildSemanticModel(root: SyntaxNode, importStatements: readonly SyntaxNode[]): SemanticModel {
  const aliases = importAliases(importStatements);
  const shadowed = moduleLevelBindings(root);
  const qualifiedName = (expression: SyntaxNode): string | undefined => {
    if (expression.type === 'identifier') {
      const imported = aliases.get(expression.text);
      if (imported) return imported;
      return shadowed.has(expression.text) ? undefined : `builtins.${expression.text}`;
    }
    if (expression.type === 'attribute') {
      const object = expression.childForFieldName('object');
      const attribute = expression.childForFieldName('attribute');
      if (!object || !attribute) return undefined;
      const base = object.type === 'identifier' ? aliases.get(object.text) : qualifiedName(object);
      return base ? `${base}.${attribute.text}` : undefined;
    }
    return undefined;
  };
  return { qualifiedName };
}
