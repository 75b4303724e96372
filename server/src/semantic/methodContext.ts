// The little class information lifecycle rules need about a method (its class, decorators, static-ness, Enum base),
// computed locally from the tree; named so the class model can absorb these helpers later.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import type { SemanticModel } from './semanticModel';

/** The class whose body defines `definition` directly (decorated or not), or null for a non-method. */
export function enclosingClassOfMethod(definition: SyntaxNode): SyntaxNode | null {
  const statement = definition.parent?.type === 'decorated_definition' ? definition.parent : definition;
  const block = statement.parent;
  const owner = block?.type === 'block' ? block.parent : null;
  return owner?.type === 'class_definition' && owner.childForFieldName('body')?.id === block?.id ? owner : null;
}

/** The decorator expressions of a `def` or `class`, outermost first (`@a.b(c)` → the call `a.b(c)`). */
export function decoratorExpressions(definition: SyntaxNode): SyntaxNode[] {
  if (definition.parent?.type !== 'decorated_definition') return [];
  return definition.parent.namedChildren.filter((child) => child.type === 'decorator').flatMap((decorator) => decorator.namedChildren.slice(0, 1));
}

/** What a decorator names: the callee for `@d(...)`, the expression itself for `@d`. */
export function decoratorTarget(expression: SyntaxNode): SyntaxNode {
  return expression.type === 'call' ? (expression.childForFieldName('function') ?? expression) : expression;
}

/** Methods Python makes static or class methods without a decorator. */
const IMPLICIT_CLASS_LEVEL = new Set(['__new__', '__init_subclass__', '__class_getitem__']);

/** Whether a method receives no instance: `@staticmethod`, `@classmethod` (through aliases) or an implicit one. */
export function isStaticOrClassMethod(definition: SyntaxNode, semantic: SemanticModel): boolean {
  if (IMPLICIT_CLASS_LEVEL.has(definition.childForFieldName('name')?.text ?? '')) return true;
  return decoratorExpressions(definition).some((expression) => {
    const qualified = semantic.qualifiedName(decoratorTarget(expression));
    return qualified === 'builtins.staticmethod' || qualified === 'builtins.classmethod' || qualified === 'abc.abstractclassmethod'
      || qualified === 'abc.abstractstaticmethod';
  });
}

/** The `def` named `name` directly in a class body (the last one wins, as when the body runs). */
export function methodNamed(classNode: SyntaxNode, name: string): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  for (const statement of classNode.childForFieldName('body')?.namedChildren ?? []) {
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type === 'function_definition' && definition.childForFieldName('name')?.text === name) found = definition;
  }
  return found;
}

const ENUM_BASES = new Set(['enum.Enum', 'enum.IntEnum', 'enum.StrEnum', 'enum.Flag', 'enum.IntFlag', 'enum.ReprEnum']);

/** The base class expressions of a class (keyword arguments such as `metaclass=` left out). */
export function classBases(classNode: SyntaxNode): SyntaxNode[] {
  const superclasses = classNode.childForFieldName('superclasses');
  return (superclasses?.namedChildren ?? []).filter((base) => base.type === 'identifier' || base.type === 'attribute');
}

/**
 * Whether a class is an Enum: a base resolves to `enum.Enum` and friends, or is a class of this module's top level
 * that is one (followed a few levels). Its members live as long as the class, so caching on them retains nothing new.
 */
export function isEnumClass(classNode: SyntaxNode, semantic: SemanticModel, depth = 0): boolean {
  if (depth > 4) return false;
  for (const base of classBases(classNode)) {
    const qualified = semantic.qualifiedName(base);
    if (qualified && ENUM_BASES.has(qualified)) return true;
    if (base.type !== 'identifier') continue;
    const local = semantic.root.namedChildren.find((statement) => {
      const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      return definition?.type === 'class_definition' && definition.childForFieldName('name')?.text === base.text;
    });
    const definition = local?.type === 'decorated_definition' ? local.childForFieldName('definition') : local;
    if (definition && definition.id !== classNode.id && isEnumClass(definition, semantic, depth + 1)) return true;
  }
  return false;
}
