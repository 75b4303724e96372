// The classes of a document (methods and their kinds, self.x stores, class attributes, __slots__, __del__, bases, cleanup), and tree-only method helpers.
import { firstAtOrAfter } from '../syntax/sortedSearch';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { CYCLE_STORE_FACTS, STORE_FACTS, type ClearSite, type StoreFacts, type StoreSite } from './attributeFacts';
import type { DocumentFactKey, SemanticModel } from './semanticModel';

export type MethodKind = 'instance' | 'static' | 'class' | 'property';

export interface MethodFacts {
  readonly name: string;
  readonly definition: SyntaxNode;
  readonly kind: MethodKind;
  /** The first parameter of an instance method or property (`self`), if it has one. */
  readonly selfName: string | undefined;
  readonly owner: ClassFacts;
}

/** `self.<name> = <value>` in a method of the class (directly in its body, not in nested functions). */
export interface SelfStore {
  readonly name: string;
  readonly value: SyntaxNode;
  readonly site: StoreSite;
  readonly method: MethodFacts;
}

export interface SlotsFacts {
  /** The value assigned to `__slots__`. */
  readonly value: SyntaxNode;
  /** The string literals' nodes by slot name, when the value is a literal of strings. */
  readonly names: ReadonlyMap<string, SyntaxNode> | undefined;
  readonly hasWeakref: boolean;
}

export interface ClassFacts {
  readonly name: string;
  readonly definition: SyntaxNode;
  readonly methods: ReadonlyMap<string, MethodFacts>;
  /** `name = value` directly in the class body. */
  readonly classAttributes: ReadonlyMap<string, SyntaxNode>;
  readonly slots: SlotsFacts | undefined;
  /** `__del__` defined in this class itself. */
  readonly finalizer: MethodFacts | undefined;
  /** The first base when it names a class defined at module level in this document. */
  readonly base: ClassFacts | undefined;
  /** The class has bases this document does not define (other than `object`). */
  readonly hasUnseenBases: boolean;
  /** An `enum.Enum` (or `IntEnum`, `Flag`, ...) or a subclass of one: its members live as long as the class. */
  readonly isEnum: boolean;
  readonly selfStores: readonly SelfStore[];
  /** Attributes set to None, deleted or `.clear()`ed on self in a close()-like method, `__exit__` or a `finally`. */
  readonly cleared: ReadonlySet<string>;
}

export interface ClassModel {
  readonly classes: readonly ClassFacts[];
  /** The class whose `class` statement is `definition`. */
  classOf(definition: SyntaxNode): ClassFacts | undefined;
  /** The method a `function_definition` is (directly in a class body), if any. */
  methodOf(definition: SyntaxNode): MethodFacts | undefined;
  /** A method by name on the class or the in-document bases it inherits from. */
  findMethod(owner: ClassFacts, name: string): MethodFacts | undefined;
  /** The class and its in-document bases, nearest first. */
  lineage(owner: ClassFacts): readonly ClassFacts[];
}

/**
 * Words that name a method whose job is to release resources (`close`, `_close`, `close_hook`, `tearDown`,
 * `unlink`, ...): clearing an attribute there breaks a cycle deliberately.
 */
const CLEANUP_WORDS: ReadonlySet<string> = new Set([
  'close', 'aclose', 'exit', 'aexit', 'dispose', 'destroy', 'shutdown', 'cleanup', 'clean', 'release', 'detach',
  'disconnect', 'teardown', 'stop', 'clear', 'reset', 'unregister', 'remove', 'finish', 'unlink', 'free', 'dealloc',
]);

/** Whether a method's name says it cleans up (`__del__` never does: it runs only once the cycle is garbage). */
export function isCleanupMethodName(name: string): boolean {
  return name !== '__del__' && name.toLowerCase().split(/_+/).some((word) => CLEANUP_WORDS.has(word));
}

const ENUM_BASES: ReadonlySet<string> = new Set([
  'enum.Enum', 'enum.IntEnum', 'enum.Flag', 'enum.IntFlag', 'enum.StrEnum', 'enum.ReprEnum',
]);

const PROPERTY_DECORATORS: ReadonlySet<string> = new Set(['builtins.property', 'functools.cached_property']);

/** Bare decorator names that mean a method kind, unless the module rebinds them. */
const BUILTIN_DECORATORS: Readonly<Record<string, MethodKind>> = { staticmethod: 'static', classmethod: 'class', property: 'property' };

function decoratorKind(decorator: SyntaxNode, semantic: SemanticModel, rebound: (name: string) => boolean): MethodKind | undefined {
  const written = decorator.namedChild(0);
  if (!written) return undefined;
  const expression = decoratorTarget(written);
  if (expression.type === 'identifier') {
    const builtin = BUILTIN_DECORATORS[expression.text];
    if (builtin) return rebound(expression.text) ? undefined : builtin;
  }
  // `@name.setter` / `.getter` / `.deleter` of a property defined above.
  const attribute = expression.type === 'attribute' ? expression.childForFieldName('attribute')?.text : undefined;
  if (attribute === 'setter' || attribute === 'getter' || attribute === 'deleter') return 'property';
  // Only names that can be one of the kinds are resolved (resolving costs a scope walk): the kinds' own names, and
  // names the module binds or imports (`from functools import cached_property as cp`).
  const rootName = /^[A-Za-z_]\w*/.exec(expression.text)?.[0] ?? '';
  if (!/(?:staticmethod|classmethod|property)$/.test(expression.text) && !rebound(rootName)) return undefined;
  const qualified = semantic.qualifiedName(expression);
  if (qualified === 'builtins.staticmethod') return 'static';
  if (qualified === 'builtins.classmethod') return 'class';
  if (qualified && PROPERTY_DECORATORS.has(qualified)) return 'property';
  return undefined;
}

function firstParameterName(definition: SyntaxNode): string | undefined {
  const first = definition.childForFieldName('parameters')?.namedChildren.find((child) => child.type !== 'comment');
  if (!first) return undefined;
  if (first.type === 'identifier') return first.text;
  if (first.type === 'typed_parameter' || first.type === 'default_parameter' || first.type === 'typed_default_parameter') {
    const name = first.childForFieldName('name') ?? first.namedChild(0);
    return name?.type === 'identifier' ? name.text : undefined;
  }
  return undefined;
}

/** The string value of a plain string literal (no f-string, no concatenation), else undefined. */
export function stringLiteralValue(node: SyntaxNode): string | undefined {
  if (node.type !== 'string') return undefined;
  if (node.namedChildren.some((child) => child.type === 'interpolation')) return undefined;
  const content = node.namedChildren.find((child) => child.type === 'string_content');
  return content ? content.text : '';
}

function slotsOf(value: SyntaxNode): SlotsFacts {
  const elements = value.type === 'string' ? [value]
    : value.type === 'tuple' || value.type === 'list' || value.type === 'set' || value.type === 'parenthesized_expression'
      ? value.namedChildren.filter((child) => child.type !== 'comment')
      : undefined;
  const names = new Map<string, SyntaxNode>();
  let literal = elements !== undefined;
  for (const element of elements ?? []) {
    const name = stringLiteralValue(element);
    if (name === undefined) literal = false;
    else names.set(name, element);
  }
  return { value, names: literal ? names : undefined, hasWeakref: names.has('__weakref__') || !literal };
}

interface ClassBody {
  methods: Map<string, { definition: SyntaxNode; kind: MethodKind }>;
  classAttributes: Map<string, SyntaxNode>;
}

function readClassBody(definition: SyntaxNode, semantic: SemanticModel, rebound: (name: string) => boolean): ClassBody {
  const methods = new Map<string, { definition: SyntaxNode; kind: MethodKind }>();
  const classAttributes = new Map<string, SyntaxNode>();
  for (const statement of definition.childForFieldName('body')?.namedChildren ?? []) {
    let function_: SyntaxNode | null = null;
    let kind: MethodKind = 'instance';
    if (statement.type === 'function_definition') function_ = statement;
    else if (statement.type === 'decorated_definition') {
      const inner = statement.childForFieldName('definition');
      if (inner?.type === 'function_definition') function_ = inner;
      for (const decorator of statement.namedChildren.filter((child) => child.type === 'decorator')) {
        kind = decoratorKind(decorator, semantic, rebound) ?? kind;
      }
    } else if (statement.type === 'expression_statement') {
      const assignment = statement.namedChild(0);
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
      const right = assignment?.childForFieldName('right');
      if (left?.type === 'identifier' && right) classAttributes.set(left.text, right);
    }
    const name = function_?.childForFieldName('name')?.text;
    if (function_ && name) {
      // Implicit class methods of the data model.
      if (name === '__init_subclass__' || name === '__class_getitem__') kind = 'class';
      else if (name === '__new__') kind = 'static';
      const previous = methods.get(name);
      // `@x.setter def x` keeps the property kind of the getter.
      methods.set(name, { definition: function_, kind: previous?.kind === 'property' ? 'property' : kind });
    }
  }
  return { methods, classAttributes };
}

/** Sites in the order of their start offsets (ties in their original order), with those offsets. */
interface SortedSites<T> {
  readonly sites: readonly T[];
  readonly starts: readonly number[];
}

function sortedSites<T>(sites: readonly T[], startOf: (site: T) => number): SortedSites<T> {
  const entries = sites.map((site, index) => ({ site, index, start: startOf(site) }));
  entries.sort((a, b) => a.start - b.start || a.index - b.index);
  return { sites: entries.map((entry) => entry.site), starts: entries.map((entry) => entry.start) };
}

/** The sites starting in [start, end), in start order. */
function sitesIn<T>(sorted: SortedSites<T>, start: number, end: number): readonly T[] {
  const first = firstAtOrAfter(sorted.starts, start);
  return sorted.sites.slice(first, firstAtOrAfter(sorted.starts, end, first));
}

/** Whether `node` sits in a `finally` clause of the function `scope` (not of a nested function). */
function inFinally(node: SyntaxNode, scope: SyntaxNode): boolean {
  for (let parent = node.parent; parent && parent.id !== scope.id; parent = parent.parent) {
    if (parent.type === 'finally_clause') return true;
  }
  return false;
}

function isNone(node: SyntaxNode): boolean {
  return node.type === 'none';
}

/** The class model over the stores `storeFacts` names (every store, or only those of possible cycles). */
export function computeClassModel(root: SyntaxNode, semantic: SemanticModel, storeFacts: DocumentFactKey<StoreFacts> = STORE_FACTS): ClassModel {
  const facts = semantic.fact(storeFacts);
  const byNode = new Map<number, ClassFacts>();
  const methodsByNode = new Map<number, MethodFacts>();
  const moduleClasses = new Map<string, SyntaxNode>();
  for (const definition of facts.classes) {
    if (definition.parent?.id === root.id || definition.parent?.parent?.id === root.id) {
      const name = definition.childForFieldName('name')?.text;
      if (name) moduleClasses.set(name, definition);
    }
  }
  const selfHolder = (holder: SyntaxNode, scope: SyntaxNode | null): MethodFacts | undefined => {
    if (!scope || holder.type !== 'identifier') return undefined;
    const method = methodsByNode.get(scope.id);
    return method?.selfName === holder.text ? method : undefined;
  };
  // Clearing in `__del__` breaks nothing: `__del__` runs only once the cycle is already garbage.
  const isCleanupPlace = (node: SyntaxNode, method: MethodFacts): boolean =>
    method.name !== '__del__' && (isCleanupMethodName(method.name) || inFinally(node, method.definition));
  /** The method whose `self` a chain (`self.a.b`, `self.a[k]`) starts at, and the chain's first attribute. */
  const selfChain = (expression: SyntaxNode, scope: SyntaxNode | null): { method: MethodFacts; first: string } | undefined => {
    let node = expression;
    let first: string | undefined;
    while (node.type === 'attribute' || node.type === 'subscript') {
      if (node.type === 'attribute') first = node.childForFieldName('attribute')?.text;
      const inner = node.childForFieldName(node.type === 'attribute' ? 'object' : 'value');
      if (!inner) return undefined;
      node = inner;
    }
    const method = selfHolder(node, scope);
    return method && first !== undefined ? { method, first } : undefined;
  };
  // The stores by where their statements start, and the clears by where their targets do: each class takes its
  // range by binary search (a scan per class crossed into the parser for every store of the file).
  let storesByStart: SortedSites<StoreSite> | undefined;
  let clearsByStart: SortedSites<ClearSite> | undefined;
  /** Gives the class its `self.x` stores and the attributes its cleanup code clears. */
  const attachStores = (owner: ClassFacts, selfStores: SelfStore[], cleared: Set<string>): void => {
    const { startIndex, endIndex } = owner.definition;
    storesByStart ??= sortedSites(facts.stores, (site) => site.statement.startIndex);
    clearsByStart ??= sortedSites(facts.clears, (clear) => clear.target.startIndex);
    for (const site of sitesIn(storesByStart, startIndex, endIndex)) {
      if (site.kind !== 'attribute') continue;
      const method = selfHolder(site.holder, site.scope);
      if (method?.owner === owner) selfStores.push({ name: site.slot, value: site.value, site, method });
      // `self.x = None`, and `self.x.y = None` (which unlinks what `self.x` holds), in cleanup code.
      const chain = isNone(site.value) ? selfChain(site.target, site.scope) : undefined;
      if (chain?.method.owner === owner && isCleanupPlace(site.statement, chain.method)) cleared.add(chain.first);
    }
    for (const clear of sitesIn(clearsByStart, startIndex, endIndex)) {
      // `del self.x`, `self.x.clear()`, `del self.x[:]`, `del self.master.children[name]`
      const chain = selfChain(clear.target, clear.scope);
      if (chain?.method.owner === owner && isCleanupPlace(clear.target, chain.method)) cleared.add(chain.first);
    }
  };
  const building = new Set<number>();
  const rebound = (name: string): boolean => (facts.bindingOffsets.get(name)?.length ?? 0) > 0;
  const build = (definition: SyntaxNode): ClassFacts => {
    const known = byNode.get(definition.id);
    if (known) return known;
    building.add(definition.id);
    const body = readClassBody(definition, semantic, rebound);
    const superclasses = definition.childForFieldName('superclasses')?.namedChildren.filter((node) => node.type !== 'keyword_argument' && node.type !== 'comment') ?? [];
    const first = superclasses[0];
    const baseDefinition = first?.type === 'identifier' ? moduleClasses.get(first.text) : undefined;
    const base = baseDefinition && !building.has(baseDefinition.id) ? build(baseDefinition) : undefined;
    const unseen = superclasses.filter((node) => node.text !== 'object' && !(node.type === 'identifier' && moduleClasses.has(node.text)));
    const isEnum = (base?.isEnum ?? false) || superclasses.some((node) => /(?:Enum|Flag)$/.test(node.text) && ENUM_BASES.has(semantic.qualifiedName(node) ?? ''));
    const slotsValue = body.classAttributes.get('__slots__');
    const methods = new Map<string, MethodFacts>();
    const selfStores: SelfStore[] = [];
    const cleared = new Set<string>();
    const owner: ClassFacts = {
      name: definition.childForFieldName('name')?.text ?? '?',
      definition,
      methods,
      classAttributes: body.classAttributes,
      slots: slotsValue ? slotsOf(slotsValue) : undefined,
      get finalizer() {
        return methods.get('__del__');
      },
      base,
      hasUnseenBases: unseen.length > 0,
      isEnum,
      selfStores,
      cleared,
    };
    for (const [name, method] of body.methods) {
      let selfName: string | null | undefined = null; // read on first use: most methods are never asked
      const facts_: MethodFacts = {
        name, definition: method.definition, kind: method.kind, owner,
        get selfName() {
          if (selfName === null) selfName = method.kind === 'instance' || method.kind === 'property' ? firstParameterName(method.definition) : undefined;
          return selfName;
        },
      };
      methods.set(name, facts_);
      methodsByNode.set(method.definition.id, facts_);
    }
    byNode.set(definition.id, owner);
    attachStores(owner, selfStores, cleared);
    building.delete(definition.id);
    return owner;
  };
  /** The class a function is a method of (built on first use), if it sits directly in a class body. */
  const classAround = (definition: SyntaxNode): SyntaxNode | undefined => {
    const statement = definition.parent?.type === 'decorated_definition' ? definition.parent : definition;
    const owner = statement.parent?.type === 'block' ? statement.parent.parent : null;
    return owner?.type === 'class_definition' ? owner : undefined;
  };
  let all: ClassFacts[] | undefined;
  const lineage = (owner: ClassFacts): ClassFacts[] => {
    const chain: ClassFacts[] = [];
    for (let current: ClassFacts | undefined = owner; current && !chain.includes(current); current = current.base) chain.push(current);
    return chain;
  };
  return {
    get classes() {
      return (all ??= facts.classes.map(build));
    },
    classOf: (definition) => (definition.type === 'class_definition' ? build(definition) : undefined),
    methodOf(definition) {
      const known = methodsByNode.get(definition.id);
      if (known) return known;
      const owner = classAround(definition);
      if (owner) build(owner);
      return methodsByNode.get(definition.id);
    },
    findMethod(owner, name) {
      for (const current of lineage(owner)) {
        const method = current.methods.get(name);
        if (method) return method;
      }
      return undefined;
    },
    lineage,
  };
}

export const CLASS_MODEL: DocumentFactKey<ClassModel> = { name: 'class model', compute: (root, semantic) => computeClassModel(root, semantic) };

/** The class model the cycle rules read: self stores and cleanups only of the statements that may build a cycle. */
export const CYCLE_CLASS_MODEL: DocumentFactKey<ClassModel> = {
  name: 'class model (cycle candidates)',
  compute: (root, semantic) => computeClassModel(root, semantic, CYCLE_STORE_FACTS),
};

// Method helpers read from the tree alone, without building the model: for rules whose findings stay inside one
// function (their locality must not depend on other methods), and for the model's own decorator reading.

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
