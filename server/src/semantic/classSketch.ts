// The little the container facts need about the file's classes (name, bases, methods and their receivers, __slots__); to fold into the class model.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { occurrences, wordEnd } from './textSearch';

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
  /** `methods.get(name)`, found without reading the other methods while `methods` has not been read. */
  method(name: string): MethodSketch | undefined;
  /** Whether a method's name passes `test` (as `methods.keys()` would say), found the same way. */
  hasMethod(test: (name: string) => boolean): boolean;
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

/** Whether the text just before `at` is the `def` keyword and the blanks (or line continuations) after it. */
function followsDef(text: string, at: number): boolean {
  let before = at;
  while (before > 0 && ' \t\\\r\n'.includes(text[before - 1])) before--;
  return before < at && text.startsWith('def', before - 3) && !/[\w\u0080-\uffff]/.test(text[before - 4] ?? '');
}

/** A class of the file; its methods and `__slots__` are read on first use (most classes are never asked). */
class LazyClassSketch implements ClassSketch {
  private methodsRead: Map<string, MethodSketch> | undefined;
  private readonly methodsNamed = new Map<string, MethodSketch | null>();
  private slotsRead: { value: string[] | undefined } | undefined;

  constructor(
    readonly node: SyntaxNode,
    readonly name: string,
    readonly bases: readonly string[],
    private readonly body: SyntaxNode,
    private readonly text: string,
  ) {}

  get methods(): ReadonlyMap<string, MethodSketch> {
    if (!this.methodsRead) {
      const methods = new Map<string, MethodSketch>();
      forEachLevelStatement(this.body, (statement) => {
        const unwrapped = unwrapDefinition(statement);
        if (unwrapped?.definition.type !== 'function_definition') return;
        const method = methodSketch(unwrapped.definition, unwrapped.decorators);
        if (method && !methods.has(method.name)) methods.set(method.name, method);
      });
      this.methodsRead = methods;
    }
    return this.methodsRead;
  }

  /**
   * The first method named `name`, as `methods` has it: each `def name` in the body's text, in document order, until
   * one is a statement of the class body (through `if`/`try`/`with`/loop blocks, as `forEachLevelStatement` reads
   * them), without sketching the other methods.
   */
  method(name: string): MethodSketch | undefined {
    if (this.methodsRead || name === '') return this.methodsRead?.get(name);
    let found = this.methodsNamed.get(name);
    if (found === undefined) {
      found = null;
      for (const at of occurrences(this.text, name, this.body.startIndex, this.body.endIndex)) {
        if (!followsDef(this.text, at)) continue;
        const definition = this.body.descendantForIndex(at, at + name.length)?.parent;
        if (definition?.type !== 'function_definition' || definition.childForFieldName('name')?.startIndex !== at) continue;
        const statement = definition.parent?.type === 'decorated_definition' ? definition.parent : definition;
        if (!this.isLevelStatement(statement)) continue;
        found = methodSketch(definition, statement === definition ? [] : statement.namedChildren.filter((child) => child.type === 'decorator')) ?? null;
        break;
      }
      this.methodsNamed.set(name, found);
    }
    return found ?? undefined;
  }

  hasMethod(test: (name: string) => boolean): boolean {
    if (this.methodsRead) return [...this.methodsRead.keys()].some(test);
    // Every method's name follows a `def` in the body's text: the names that pass are looked up as methods.
    for (const at of occurrences(this.text, 'def', this.body.startIndex, this.body.endIndex)) {
      let nameStart = at + 'def'.length;
      while (nameStart < this.body.endIndex && ' \t\\\r\n'.includes(this.text[nameStart])) nameStart++;
      const name = this.text.slice(nameStart, wordEnd(this.text, nameStart));
      if (name !== '' && test(name) && this.method(name)) return true;
    }
    return false;
  }

  /** Whether `statement` runs at the class body's level: its parents up to the body are all blocks `forEachLevelStatement` enters. */
  private isLevelStatement(statement: SyntaxNode): boolean {
    for (let parent = statement.parent; parent; parent = parent.parent) {
      if (parent.id === this.body.id) return true;
      if (!BLOCK_STATEMENTS.has(parent.type)) return false;
    }
    return false;
  }

  get slots(): readonly string[] | undefined {
    this.slotsRead ??= { value: literalSlots(this.body) };
    return this.slotsRead.value;
  }
}

function classSketch(definition: SyntaxNode, text: string): ClassSketch | undefined {
  const name = definition.childForFieldName('name')?.text;
  const body = definition.childForFieldName('body');
  if (!name || !body) return undefined;
  const bases = (definition.childForFieldName('superclasses')?.namedChildren ?? [])
    .filter((base) => base.type !== 'keyword_argument')
    .map((base) => base.text);
  return new LazyClassSketch(definition, name, bases, body, text);
}

/** Whether a class statement runs at module level or in a class body (not inside a function). */
function isLevelClass(definition: SyntaxNode): boolean {
  for (let current = definition.parent; current; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'lambda') return false;
  }
  return true;
}

/**
 * The file's classes (at module level or nested in classes, not inside functions), sketched on demand: by their
 * statement, or by name through a text search for `class NAME` (the first such class wins). No tree walk.
 */
export class ClassIndex {
  private readonly byNode = new Map<number, ClassSketch | null>();
  private readonly byName = new Map<string, ClassSketch | null>();
  private headers: Map<string, number[]> | undefined;

  constructor(private readonly root: SyntaxNode, private readonly text: string) {}

  /** The sketch of a class statement, undefined for a class defined inside a function. */
  of(definition: SyntaxNode): ClassSketch | undefined {
    let sketch = this.byNode.get(definition.id);
    if (sketch === undefined) {
      sketch = (isLevelClass(definition) ? classSketch(definition, this.text) : undefined) ?? null;
      this.byNode.set(definition.id, sketch);
    }
    return sketch ?? undefined;
  }

  /**
   * Where each name follows a `class` keyword that opens its line (`class NAME`), in document order: read once from
   * the `class` keywords of the text (far fewer than the occurrences of a name such as `self`).
   */
  private classHeaders(): Map<string, number[]> {
    if (!this.headers) {
      this.headers = new Map();
      for (const at of occurrences(this.text, 'class')) {
        const lineStart = this.text.lastIndexOf('\n', at - 1) + 1;
        if (!/^[ \t]*$/.test(this.text.slice(lineStart, at))) continue;
        let nameStart = at + 'class'.length;
        while (this.text[nameStart] === ' ' || this.text[nameStart] === '\t') nameStart++;
        const nameEnd = wordEnd(this.text, nameStart);
        if (nameStart === at + 'class'.length || nameEnd === nameStart) continue;
        const name = this.text.slice(nameStart, nameEnd);
        const offsets = this.headers.get(name);
        if (offsets) offsets.push(nameStart);
        else this.headers.set(name, [nameStart]);
      }
    }
    return this.headers;
  }

  /** The first class of the file with this name. */
  get(name: string): ClassSketch | undefined {
    let sketch = this.byName.get(name);
    if (sketch === undefined) {
      sketch = null;
      for (const at of this.classHeaders().get(name) ?? []) {
        const definition = this.root.descendantForIndex(at, at + name.length)?.parent;
        if (definition?.type !== 'class_definition' || definition.childForFieldName('name')?.startIndex !== at) continue;
        sketch = this.of(definition) ?? null;
        if (sketch) break;
      }
      this.byName.set(name, sketch);
    }
    return sketch ?? undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Whether `sketch` is the class named `ancestor` or derives from it through classes of the file. */
  derivesFrom(sketch: ClassSketch, ancestor: string): boolean {
    const seen = new Set<string>();
    for (const pending = [sketch]; pending.length > 0;) {
      const current = pending.pop() as ClassSketch;
      if (current.name === ancestor) return true;
      if (seen.has(current.name)) continue;
      seen.add(current.name);
      for (const base of current.bases) {
        const found = this.get(base);
        if (found) pending.push(found);
      }
    }
    return false;
  }
}

/** A method of a class of the file and its sketch. */
export interface SketchedMethod {
  readonly sketch: ClassSketch;
  readonly method: MethodSketch;
}

/** `definition` as a method: a def directly in a class body of the file (the first of its name there), else undefined. */
function asMethod(definition: SyntaxNode, classes: ClassIndex): SketchedMethod | undefined {
  if (definition.type !== 'function_definition') return undefined;
  const statement = definition.parent?.type === 'decorated_definition' ? definition.parent : definition;
  const owner = statement.parent?.type === 'block' ? statement.parent.parent : null;
  if (owner?.type !== 'class_definition') return undefined;
  const sketch = classes.of(owner);
  const method = sketch?.method(definition.childForFieldName('name')?.text ?? '');
  return sketch && method?.node.id === definition.id ? { sketch, method } : undefined;
}

/** The method (a def directly in a class body of the file) that `node` is in, through nested functions and lambdas. */
export function enclosingMethod(node: SyntaxNode, classes: ClassIndex): SketchedMethod | undefined {
  for (let current = node.parent; current; current = current.parent) {
    const method = asMethod(current, classes);
    if (method) return method;
  }
  return undefined;
}

/**
 * The method that `node` is in, as `enclosingMethod(node)` answers, when `innermost` is the innermost function or
 * lambda around `node` (or null): found by stepping out function by function (`functions.innermost`) instead of
 * climbing every parent from `node` (a reference can sit 10,000 brackets or lambdas deep, and each native `parent`
 * costs the node's depth).
 */
export function methodAround(
  innermost: SyntaxNode | null,
  classes: ClassIndex,
  functions: { innermost(node: SyntaxNode): SyntaxNode | null },
): SketchedMethod | undefined {
  for (let current = innermost; current; current = functions.innermost(current)) {
    const method = asMethod(current, classes);
    if (method) return method;
  }
  return undefined;
}

/** Whether instances of the class can be weakly referenced: no `__slots__`, or `__slots__` naming `__weakref__`. */
export function instancesAreWeakReferenceable(sketch: ClassSketch): boolean {
  return sketch.slots === undefined || sketch.slots.includes('__weakref__');
}
