// Builds the semantic model from the import statements the engine captured and the scopes' bindings.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { enclosingScopes, scopeBindings } from './scopeBindings';
import type { SemanticModel } from './semanticModel';

/** Local name → qualified name, from `import a.b as c`, `import a`, `from a import b as c`. */
export function importAliases(imports: readonly SyntaxNode[]): Map<string, string> {
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
  return semanticModelFromAliases(root, importAliases(importStatements));
}

/** The model over `root` with import aliases already known (kept across edits that touch no import). */
export function semanticModelFromAliases(root: SyntaxNode, aliases: ReadonlyMap<string, string>): SemanticModel {
  let moduleBindings: Set<string> | undefined; // computed on first use: most documents never ask
  const bindingsByScope = new Map<number, Set<string>>();
  const boundLocally = (name: string, at: SyntaxNode): boolean => {
    for (const scope of enclosingScopes(at)) {
      let names = bindingsByScope.get(scope.id);
      if (!names) bindingsByScope.set(scope.id, (names = scopeBindings(scope)));
      if (names.has(name)) return true;
    }
    return false;
  };
  const qualifiedName = (expression: SyntaxNode): string | undefined => {
    if (expression.type === 'identifier') {
      // A local binding (parameter, assignment, nested def) hides both imports and builtins.
      if (boundLocally(expression.text, expression)) return undefined;
      const imported = aliases.get(expression.text);
      if (imported) return imported;
      moduleBindings ??= scopeBindings(root);
      return moduleBindings.has(expression.text) ? undefined : `builtins.${expression.text}`;
    }
    if (expression.type === 'attribute') {
      const object = expression.childForFieldName('object');
      const attribute = expression.childForFieldName('attribute');
      if (!object || !attribute) return undefined;
      const base = qualifiedName(object);
      return base ? `${base}.${attribute.text}` : undefined;
    }
    return undefined;
  };
  return { qualifiedName };
}
