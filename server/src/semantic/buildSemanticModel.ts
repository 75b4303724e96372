// Builds the semantic model from the import statements the engine captured and the scopes' bindings.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { scopeBindings } from './scopeBindings';
import { SCOPE_INDEX, ScopeIndex } from './scopeIndex';
import { memoizedFacts, type SemanticModel } from './semanticModel';
import { occurrences } from './textSearch';

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

const IMPORT_KINDS = ['import_statement', 'import_from_statement'];

/** Whether `text` between `start` and `end` spells the keyword `import` (every import statement does). */
function mayHoldImport(text: string, start: number, end: number): boolean {
  const at = text.indexOf('import', start);
  return at >= 0 && at < end;
}

/** Aliases of the module-level imports only: an import inside a function or class binds in that scope. */
export function moduleImportAliases(imports: readonly SyntaxNode[], scopes: ScopeIndex): Map<string, string> {
  return importAliases(imports.filter((node) => node.type !== 'future_import_statement' && scopes.owningScope(node) === null));
}

/** Features named by `from __future__ import ...` at the top of the module (e.g. "annotations"). */
export function futureFeaturesOf(root: SyntaxNode): Set<string> {
  const features = new Set<string>();
  for (const statement of root.namedChildren) {
    if (statement.type !== 'future_import_statement') continue;
    for (const name of statement.childrenForFieldName('name')) {
      const feature = name?.type === 'aliased_import' ? name.childForFieldName('name') : name;
      if (feature) features.add(feature.text);
    }
  }
  return features;
}

/** Whether a `.` follows `at` (blanks allowed): the name before it is an attribute's object. */
function attributeObjectAt(text: string, at: number): boolean {
  let index = at;
  while (text.charCodeAt(index) === 32 || text.charCodeAt(index) === 9) index++;
  return text.charCodeAt(index) === 46;
}

/** Whether `@` (blanks allowed) stands right before the name at `at`: a decorator. */
function decoratorAt(text: string, at: number): boolean {
  let index = at - 1;
  while (text.charCodeAt(index) === 32 || text.charCodeAt(index) === 9) index--;
  return text.charCodeAt(index) === 64;
}

/** What a caller of `semanticModelFromAliases` may already know about the document. */
export interface KnownFacts {
  readonly moduleBindings?: ReadonlySet<string>;
  readonly text?: string;
  readonly scopes?: ScopeIndex;
}

export function buildSemanticModel(root: SyntaxNode, importStatements: readonly SyntaxNode[]): SemanticModel {
  const scopes = new ScopeIndex(root);
  return semanticModelFromAliases(root, moduleImportAliases(importStatements, scopes), { scopes });
}

/**
 * The model over `root` with the module's import aliases already known (kept across edits that touch no
 * import) and, when the caller has them, the names the module binds, the document's text (a scope whose text
 * does not spell `import` is then not searched for local imports) and the scope index it already built.
 */
export function semanticModelFromAliases(root: SyntaxNode, aliases: ReadonlyMap<string, string>, known: KnownFacts = {}): SemanticModel {
  const text = known.text;
  const scopes = known.scopes ?? new ScopeIndex(root, text);
  let moduleBindings: ReadonlySet<string> | undefined = known.moduleBindings; // else computed on first use
  let futureFeatures: ReadonlySet<string> | undefined;
  const bindingsByScope = new Map<number, Set<string>>();
  const importsByScope = new Map<number, Map<string, string>>();
  const bindingsOf = (scope: SyntaxNode): Set<string> => {
    let names = bindingsByScope.get(scope.id);
    if (!names) bindingsByScope.set(scope.id, (names = scopeBindings(scope)));
    return names;
  };
  const importsOf = (scope: SyntaxNode): Map<string, string> => {
    let imports = importsByScope.get(scope.id);
    if (!imports) {
      const spelled = text === undefined || mayHoldImport(text, scope.startIndex, scope.endIndex);
      const own = !spelled ? [] : scope.descendantsOfType(IMPORT_KINDS).filter((node) => node.isNamed && scopes.owningScope(node)?.id === scope.id);
      importsByScope.set(scope.id, (imports = importAliases(own)));
    }
    return imports;
  };
  /**
   * Whether the scope's text leaves room for a binding of `name`: not when every occurrence is an attribute's
   * object (`name.x`) or a decorator (`@name`), the usual shape of a module name asked about (`weakref.ref`), which
   * then needs no walk of the scope for its bindings.
   */
  const mayBindIn = (scope: SyntaxNode, name: string): boolean => {
    if (text === undefined) return true;
    for (const at of occurrences(text, name, scope.startIndex, scope.endIndex)) {
      if (!attributeObjectAt(text, at + name.length) && !decoratorAt(text, at)) return true;
    }
    return false;
  };
  /** How an enclosing scope binds `name`: through an import (its qualified name), otherwise (hidden), or not. */
  const localMeaning = (name: string, at: SyntaxNode): { qualified: string | undefined } | undefined => {
    for (const scope of scopes.enclosingScopes(at)) {
      // Bound there by something else too: which binding wins depends on the order the code runs in.
      if (mayBindIn(scope, name) && bindingsOf(scope).has(name)) return { qualified: undefined };
      const imported = importsOf(scope).get(name);
      if (imported) return { qualified: imported };
    }
    return undefined;
  };
  const nameMeaning = (identifier: SyntaxNode): string | undefined => {
    // A local binding (parameter, assignment, nested def, local import) hides module imports and builtins.
    const local = localMeaning(identifier.text, identifier);
    if (local) return local.qualified;
    const imported = aliases.get(identifier.text);
    if (imported) return imported;
    moduleBindings ??= scopeBindings(root);
    return moduleBindings.has(identifier.text) ? undefined : `builtins.${identifier.text}`;
  };
  const qualifiedName = (expression: SyntaxNode): string | undefined => {
    // Down an attribute chain (`a.b.c` → `a`) with a loop: a chain may be thousands of attributes long.
    const attributes: string[] = [];
    let current: SyntaxNode | null = expression;
    while (current?.type === 'attribute') {
      const attribute = current.childForFieldName('attribute');
      if (!attribute) return undefined;
      attributes.push(attribute.text);
      current = current.childForFieldName('object');
    }
    const base = current?.type === 'identifier' ? nameMeaning(current) : undefined;
    return base === undefined ? undefined : [base, ...attributes.reverse()].join('.');
  };
  const model: SemanticModel = {
    qualifiedName,
    get futureFeatures(): ReadonlySet<string> {
      return (futureFeatures ??= futureFeaturesOf(root));
    },
    root,
    fact: memoizedFacts(() => model, [[SCOPE_INDEX, scopes]]),
  };
  return model;
}
