// The little the container facts need about the file's classes (name, bases, methods and their receivers, __slots__); to fold into the class model.
import type { SyntaxNode } from '../syntax/syntaxTypes';

export type MethodKind = 'instance' | 'class' | 'static';

export interface MethodSketch {
  readonly node: SyntaxNode;
  readonly name: string;
  readonly kind: MethodKind;
  /** The first parameter (`self`, `cls`), undefined for static methods and methods without parameters. */
  readonly receiver: string | undefined;
  readonly decorators: readonly SyntaxNode[];
}

export interface ClassSketch {
  readonly node: SyntaxNode;
  readonly name: string;
  /** Base expressions as written (`Base`, `abc.ABC`, `metaclass=Meta` excluded). */
  readonly bases: readonly string[];
  readonly methods: ReadonlyMap<string, MethodSketch>;
  /** The names in a literal `__slots__`, or undefined when the class has none (or one the file cannot read). */
  readonly slots: readonly string[] | undefined;
}

/** Statements whose blocks still run at the level of their enclosing module or class body. */
const BLOCK_STATEMENTS = new Set([
  'if_statement', 'elif_clause', 'else_clause', 'try_statement', 'except_clause', 'except_group_clause', 'finally_clause',
  'with_statement', 'for_statement', 'while_statement', 'block',
]);

/**
 * Calls `visit` for every statement that runs directly at `scope`'s level (the module, or a class body): into
 * `if`/`try`/`with`/loop blocks, never into functions or classes.
 */
export function forEachLevelStatement(body: SyntaxNode, visit: (statement: SyntaxNode) => void): void {
  for (const statement of body.namedChildren) {
    visit(statement);
    if (BLOCK_STATEMENTS.has(statement.type)) forEachLevelStatement(statement, visit);
  }
}

/** The function or class a (possibly decorated) definition statement defines, with its decorators. */
export function unwrapDefinition(statement: SyntaxNode): { definition: SyntaxNode; decorators: SyntaxNode[] } | undefined {
  if (statement.type === 'function_definition' || statement.type === 'class_definition') return { definition: statement, decorators: [] };
  if (statement.type !== 'decorated_definition') return undefined;
  const definition = statement.childForFieldName('definition');
  if (!definition) return undefined;
  return { definition, decorators: statement.namedChildren.filter((child) => child.type === 'decorator') };
}

function decoratorName(decorator: SyntaxNode): string {
  const expression = decorator.namedChild(0);
  const callee = expression?.type === 'call' ? expression.childForFieldName('function') : expression;
  return callee?.text ?? '';
}

function firstParameterName(definition: SyntaxNode): string | undefined {
  const first = definition.childForFieldName('parameters')?.namedChild(0);
  if (!first) return undefined;
  if (first.type === 'identifier') return first.text;
  if (first.type === 'typed_parameter' || first.type === 'default_parameter' || first.type === 'typed_default_parameter') {
    const name = first.childForFieldName('name') ?? first.namedChild(0);
    return name?.type === 'identifier' ? name.text : undefined;
  }
  return undefined;
}

const IMPLICIT_CLASS_METHODS = new Set(['__new__', '__init_subclass__', '__class_getitem__']);

function methodSketch(definition: SyntaxNode, decorators: readonly SyntaxNode[]): MethodSketch | undefined {
  const name = definition.childForFieldName('name')?.text;
  if (!name) return undefined;
  const names = decorators.map(decoratorName);
  const kind: MethodKind = names.some((n) => n === 'staticmethod' || n.endsWith('.staticmethod'))
    ? 'static'
    : names.some((n) => n === 'classmethod' || n.endsWith('.classmethod')) || IMPLICIT_CLASS_METHODS.has(name) ? 'class' : 'instance';
  // `__new__` is a static method whose first parameter is the class: it still names the class.
  return { node: definition, name, kind, receiver: kind === 'static' ? undefined : firstParameterName(definition), decorators };
}

function literalSlots(body: SyntaxNode): string[] | undefined {
  let slots: string[] | undefined;
  forEachLevelStatement(body, (statement) => {
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== '__slots__') return;
    const value = assignment.childForFieldName('right');
    if (!value) return;
    const items = value.type === 'string' ? [value] : value.namedChildren;
    slots = items.filter((item) => item.type === 'string').map((item) => item.text.replace(/^[rRbBuU]*['"]+|['"]+$/g, ''));
  });
  return slots;
}

function classSketch(definition: SyntaxNode): ClassSketch | undefined {
  const name = definition.childForFieldName('name')?.text;
  const body = definition.childForFieldName('body');
  if (!name || !body) return undefined;
  const bases = (definition.childForFieldName('superclasses')?.namedChildren ?? [])
    .filter((base) => base.type !== 'keyword_argument')
    .map((base) => base.text);
  const methods = new Map<string, MethodSketch>();
  forEachLevelStatement(body, (statement) => {
    const unwrapped = unwrapDefinition(statement);
    if (unwrapped?.definition.type !== 'function_definition') return;
    const method = methodSketch(unwrapped.definition, unwrapped.decorators);
    if (method && !methods.has(method.name)) methods.set(method.name, method);
  });
  return { node: definition, name, bases, methods, slots: literalSlots(body) };
}

/** Classes defined at module level or nested in such classes (not inside functions), by name; the first wins. */
export function sketchClasses(root: SyntaxNode): Map<string, ClassSketch> {
  const classes = new Map<string, ClassSketch>();
  const visitBody = (body: SyntaxNode): void => {
    forEachLevelStatement(body, (statement) => {
      const unwrapped = unwrapDefinition(statement);
      if (unwrapped?.definition.type !== 'class_definition') return;
      const sketch = classSketch(unwrapped.definition);
      if (!sketch) return;
      if (!classes.has(sketch.name)) classes.set(sketch.name, sketch);
      const inner = unwrapped.definition.childForFieldName('body');
      if (inner) visitBody(inner);
    });
  };
  visitBody(root);
  return classes;
}

/** `name` and the classes of the file that derive from it, directly or not. */
export function classAndSubclasses(classes: ReadonlyMap<string, ClassSketch>, name: string): Set<string> {
  const family = new Set([name]);
  for (let grew = true; grew;) {
    grew = false;
    for (const sketch of classes.values()) {
      if (family.has(sketch.name)) continue;
      if (sketch.bases.some((base) => family.has(base))) {
        family.add(sketch.name);
        grew = true;
      }
    }
  }
  return family;
}

/** The method (a def directly in a class body of the file) that `node` is in, through nested functions and lambdas. */
export function enclosingMethod(node: SyntaxNode, classes: ReadonlyMap<string, ClassSketch>): { sketch: ClassSketch; method: MethodSketch } | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type !== 'function_definition') continue;
    const statement = current.parent?.type === 'decorated_definition' ? current.parent : current;
    const owner = statement.parent?.type === 'block' ? statement.parent.parent : null;
    if (owner?.type !== 'class_definition') continue;
    const sketch = classes.get(owner.childForFieldName('name')?.text ?? '');
    if (sketch?.node.id !== owner.id) continue;
    const method = sketch.methods.get(current.childForFieldName('name')?.text ?? '');
    if (method?.node.id === current.id) return { sketch, method };
  }
  return undefined;
}

/** Whether instances of the class can be weakly referenced: no `__slots__`, or `__slots__` naming `__weakref__`. */
export function instancesAreWeakReferenceable(sketch: ClassSketch): boolean {
  return sketch.slots === undefined || sketch.slots.includes('__weakref__');
}
