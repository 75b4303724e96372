// The references to a container's name in a document: looked up once per name, shared by every container of that name, and classified into uses.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { methodAround, type ClassIndex, type ClassSketch, type MethodSketch } from './classSketch';
import type { ContainerOwner, ContainerShape, ContainerUse } from './containerFacts';
import { classifyReference, type AliasUse, type ClassifiedUse, type ContainerUseKind, type NameResolver } from './containerUses';
import type { FunctionIndex } from './functionIndex';
import { scopeBindings } from './scopeBindings';
import type { ScopeIndex } from './scopeIndex';
import { IdentifiersNamed, identifiersNamed, mayBind } from './textSearch';

/** Identifiers that name something other than a value being used (parameters, keywords, import parts, def names). */
const NON_REFERENCE_PARENTS = new Set([
  'parameters', 'lambda_parameters', 'default_parameter', 'typed_parameter', 'typed_default_parameter', 'list_splat_pattern',
  'dictionary_splat_pattern', 'function_definition', 'class_definition', 'dotted_name', 'aliased_import', 'import_from_statement',
  'import_statement', 'keyword_pattern',
]);

/** Whether `identifier` (whose parent is `parent`) is a value being used, not a parameter, keyword, import part or def name. */
function isReferenceIdentifier(identifier: SyntaxNode, parent: SyntaxNode | null): boolean {
  if (!parent) return false;
  if (NON_REFERENCE_PARENTS.has(parent.type)) return false;
  if (parent.type === 'keyword_argument' && parent.childForFieldName('name')?.id === identifier.id) return false;
  return true;
}

/** `defaultdict` and `Counter` create a key on a mere `d[k]` that is then changed (`d[k] += 1`, `d[k].append(x)`). */
function createsKeysOnAccess(shape: ContainerShape): boolean {
  return shape.constructor === 'collections.defaultdict' || shape.constructor === 'collections.Counter';
}

/** Lists and deques: `L[i] = v` replaces an item, it never grows them. */
function isSequence(shape: ContainerShape): boolean {
  return shape.family === 'list' || shape.family === 'deque';
}

/** What classifying a reference depends on in a container's shape. */
function shapeFlags(shape: ContainerShape): string {
  return `${createsKeysOnAccess(shape)} ${isSequence(shape)}`;
}

/** The container a reference may denote: where it is defined, who owns it and what it is. */
export interface ReferencedContainer {
  readonly owner: ContainerOwner;
  readonly shape: ContainerShape;
  /** The definition's target (`REGISTRY`, `self._items`): not a use of itself. */
  readonly target: SyntaxNode;
}

/**
 * One hit of a name in the tree, with what every container of that name asks about it read once: its parent, the
 * function it runs in, the receiver of an attribute, and the uses it makes (per way of classifying them).
 */
class ReferenceSite {
  /** The attribute `x.name` when the hit is its attribute part; null for a bare name. */
  readonly attribute: SyntaxNode | null;
  /** A bare name that is a value being used (else a parameter, keyword, import part or def name). */
  readonly bareReference: boolean;
  private functionRead: { value: SyntaxNode | null } | undefined;
  private objectRead: { node: SyntaxNode | null; name: string | undefined } | undefined;
  private classReceiverRead: { value: string | undefined } | undefined;
  private readonly usesByWay = new Map<string, readonly ContainerUse[]>();
  private readonly classifiedByShape = new Map<string, ClassifiedUse | AliasUse | null>();

  constructor(readonly identifier: SyntaxNode, private readonly functions: FunctionIndex) {
    const parent = identifier.parent;
    this.attribute = parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id ? parent : null;
    this.bareReference = this.attribute === null && isReferenceIdentifier(identifier, parent);
  }

  /** The expression that denotes the container: the attribute, or the bare name. */
  get reference(): SyntaxNode {
    return this.attribute ?? this.identifier;
  }

  /** The innermost function or lambda the reference runs in. */
  get function(): SyntaxNode | null {
    this.functionRead ??= { value: this.functions.innermost(this.reference) };
    return this.functionRead.value;
  }

  /** The attribute's object (`self` of `self.name`) and its name when it is a bare name. */
  private get object(): { node: SyntaxNode | null; name: string | undefined } {
    if (!this.objectRead) {
      const node = this.attribute?.childForFieldName('object') ?? null;
      this.objectRead = { node, name: node?.type === 'identifier' ? node.text : undefined };
    }
    return this.objectRead;
  }

  /** Whether the attribute has an object at all. */
  get hasObject(): boolean {
    return this.object.node !== null;
  }

  /** The object's name (`Owner` of `Owner.name`), if it is a bare name. */
  get objectName(): string | undefined {
    return this.object.name;
  }

  /**
   * The name of the receiver the attribute is read through, for a class-level container: the object itself, or
   * `x` of `type(x).name` and of `x.__class__.name`; undefined when that is not a bare name.
   */
  get classReceiver(): string | undefined {
    if (!this.classReceiverRead) {
      const object = this.object.node;
      let receiver: SyntaxNode | null = object;
      if (object?.type === 'call' && object.childForFieldName('function')?.text === 'type') {
        receiver = object.childForFieldName('arguments')?.namedChild(0) ?? null;
      } else if (object?.type === 'attribute' && object.childForFieldName('attribute')?.text === '__class__') {
        receiver = object.childForFieldName('object');
      }
      this.classReceiverRead = { value: receiver === object ? this.object.name : receiver?.type === 'identifier' ? receiver.text : undefined };
    }
    return this.classReceiverRead.value;
  }

  /** What the reference does by its place in the tree, for one shape (`key`: its flags), computed once. */
  classifiedFor(key: string, classify: () => ClassifiedUse | AliasUse | null): ClassifiedUse | AliasUse | null {
    let classified = this.classifiedByShape.get(key);
    if (classified === undefined) this.classifiedByShape.set(key, (classified = classify()));
    return classified;
  }

  /** The uses classified one way (`key`: ownership and shape flags), computed once. */
  usesFor(key: string, classify: () => ContainerUse[]): readonly ContainerUse[] {
    let uses = this.usesByWay.get(key);
    if (!uses) this.usesByWay.set(key, (uses = classify()));
    return uses;
  }
}

/** The hits of one name, their sites read as they are asked for (most readers stop at a way out). */
export class ReferenceSites {
  private readonly hits: IdentifiersNamed;
  private readonly sites: (ReferenceSite | null)[] = [];

  constructor(root: SyntaxNode, text: string, readonly name: string, private readonly functions: FunctionIndex) {
    this.hits = new IdentifiersNamed(root, text, name);
  }

  /** Where the name occurs as a whole word, ascending. */
  get offsets(): readonly number[] {
    return this.hits.offsets;
  }

  /** The site of the `index`-th hit, undefined when the hit is not an identifier (a string, a comment). */
  siteAt(index: number): ReferenceSite | undefined {
    let site = this.sites[index];
    if (site === undefined) {
      const identifier = this.hits.nodeAt(index);
      this.sites[index] = site = identifier ? new ReferenceSite(identifier, this.functions) : null;
    }
    return site ?? undefined;
  }
}

/** Classifies references to containers, with the per-function and per-scope answers cached across containers. */
export class ContainerUseCollector {
  private readonly bindings = new Map<number, Set<string>>();
  private readonly globals = new Map<number, Set<string>>();
  private readonly methods = new Map<number, { sketch: ClassSketch; method: MethodSketch } | null>();
  private readonly scopeChains = new Map<number, SyntaxNode[]>();

  constructor(
    private readonly root: SyntaxNode,
    private readonly text: string,
    private readonly classes: ClassIndex,
    private readonly functions: FunctionIndex,
    private readonly resolve: NameResolver,
    private readonly scopes: ScopeIndex,
  ) {}

  /** The uses `site` makes of `container` (none when it is another object's attribute, a local, or no reference). */
  usesAt(container: ReferencedContainer, site: ReferenceSite): readonly ContainerUse[] {
    const { owner, shape } = container;
    if (!this.mayRefer(container, site)) return [];
    const flags = shapeFlags(shape);
    const classified = (): ClassifiedUse | AliasUse | null => this.classifiedAt(site, shape, flags);
    if (site.attribute) {
      const ownership = this.ownership(owner as Exclude<ContainerOwner, { kind: 'module' }>, site);
      if (ownership === 'foreign') return [];
      const owned = ownership === 'owned';
      return site.usesFor(`${owned} ${flags}`, () => this.collected(site.attribute as SyntaxNode, site.function, owned, shape, classified()));
    }
    if (!this.refersToModule(site.identifier, site.function)) return [];
    return site.usesFor(`true ${flags}`, () => this.collected(site.identifier, site.function, true, shape, classified()));
  }

  /**
   * What `site` would do to `container` by its place in the tree alone (`alias`: it is assigned to a local name,
   * whose uses count too), before asking whether it reaches the container at all (its function, its receiver, the
   * scopes around it: the costly part); undefined when it cannot refer to the container (another object's attribute).
   */
  kindAt(container: ReferencedContainer, site: ReferenceSite): ContainerUseKind | 'alias' | undefined {
    if (!this.mayRefer(container, site)) return undefined;
    return this.classifiedAt(site, container.shape, shapeFlags(container.shape))?.kind;
  }

  /** The structural part of whether `site` refers to `container`: an attribute for an owned one, a bare reference for a module one, not the definition. */
  private mayRefer({ owner, target }: ReferencedContainer, site: ReferenceSite): boolean {
    if (site.attribute) return owner.kind !== 'module' && target.id !== site.attribute.id;
    return owner.kind === 'module' && target.id !== site.identifier.id && site.bareReference;
  }

  private classifiedAt(site: ReferenceSite, shape: ContainerShape, flags: string): ClassifiedUse | AliasUse | null {
    return site.classifiedFor(flags, () => classifyReference(site.reference, this.resolve, createsKeysOnAccess(shape), isSequence(shape)));
  }

  private collected(reference: SyntaxNode, function_: SyntaxNode | null, owned: boolean, shape: ContainerShape, classified: ClassifiedUse | AliasUse | null): ContainerUse[] {
    const uses: ContainerUse[] = [];
    this.collect(reference, function_, owned, shape, uses, undefined, classified);
    return uses;
  }

  /** The method (of a class of the file) that the function `fn` is, or is nested in; cached per function. */
  private methodOf(fn: SyntaxNode | null): { sketch: ClassSketch; method: MethodSketch } | undefined {
    if (!fn) return undefined;
    let found = this.methods.get(fn.id);
    if (found === undefined) {
      // From inside `fn` (its body); a function without one is looked at from its own start, outside it.
      found = methodAround(fn.childForFieldName('body') ? fn : this.functions.innermost(fn), this.classes, this.functions) ?? null;
      this.methods.set(fn.id, found);
    }
    return found ?? undefined;
  }

  /** `fn` and the functions around it, innermost first: the scopes code in `fn` sees (class bodies are not). */
  private scopesOf(fn: SyntaxNode): SyntaxNode[] {
    let chain = this.scopeChains.get(fn.id);
    if (!chain) {
      chain = [fn];
      for (let outer = this.functions.innermost(fn); outer; outer = this.functions.innermost(outer)) chain.push(outer);
      this.scopeChains.set(fn.id, chain);
    }
    return chain;
  }

  /**
   * Whether a bare name at `identifier` (in function `fn`, null at module or class level) means the module-level
   * binding: no enclosing scope binds it, or the one that does declares it `global`.
   */
  private refersToModule(identifier: SyntaxNode, fn: SyntaxNode | null): boolean {
    const name = identifier.text;
    for (const scope of fn ? this.scopesOf(fn) : this.scopes.enclosingScopes(identifier)) {
      if (!this.mayBind(scope, name)) continue;
      if (scope.type !== 'class_definition' && this.globalsOf(scope).has(name)) return true;
      if (this.bindingsOf(scope).has(name)) return false;
    }
    return true;
  }

  /**
   * Whether the text of `scope` could bind `name` (a cheap test before computing its bindings): an occurrence
   * followed by `=`, `,`, `)` or `:` (a target, a parameter) or preceded by `for`, `as`, `def`, `class`, `global`.
   */
  private mayBind(scope: SyntaxNode, name: string): boolean {
    return mayBind(this.text, name, scope.startIndex, scope.endIndex);
  }

  private bindingsOf(scope: SyntaxNode): Set<string> {
    let names = this.bindings.get(scope.id);
    if (!names) this.bindings.set(scope.id, (names = scopeBindings(scope)));
    return names;
  }

  private globalsOf(scope: SyntaxNode): Set<string> {
    let names = this.globals.get(scope.id);
    if (!names) {
      names = new Set();
      for (const statement of scope.descendantsOfType('global_statement')) {
        if (this.functions.innermost(statement)?.id !== scope.id) continue;
        for (const name of statement.namedChildren) names.add(name.text);
      }
      this.globals.set(scope.id, names);
    }
    return names;
  }

  /**
   * Whether the attribute at `site` (`X.name`) reaches the container through its owner (`owned`), through an
   * object that may be it (`unknown`), or through the `self` of a method of an unrelated class of the file
   * (`foreign`: a different object, whose uses say nothing about this container).
   */
  private ownership(owner: Exclude<ContainerOwner, { kind: 'module' }>, site: ReferenceSite): 'owned' | 'unknown' | 'foreign' {
    if (!site.hasObject) return 'unknown';
    const ownerName = owner.sketch.name;
    const objectName = site.objectName;
    if (owner.kind === 'class' && objectName !== undefined) {
      const named = objectName === ownerName ? owner.sketch : this.classes.get(objectName);
      if (named && this.classes.derivesFrom(named, ownerName)) return 'owned';
    }
    const receiver = owner.kind === 'class' ? site.classReceiver : objectName;
    if (receiver === undefined) return 'unknown';
    const method = this.methodOf(site.function);
    if (!method || method.method.receiver !== receiver) return 'unknown';
    if (this.classes.derivesFrom(method.sketch, ownerName)) return 'owned';
    return this.classes.derivesFrom(owner.sketch, method.sketch.name) ? 'unknown' : 'foreign';
  }

  /** Classifies `reference` and, for an alias in a function (`reg = REGISTRY`), the alias's uses there too. */
  private collect(
    reference: SyntaxNode,
    function_: SyntaxNode | null,
    owned: boolean,
    shape: ContainerShape,
    uses: ContainerUse[],
    alias?: string,
    known?: ClassifiedUse | AliasUse | null,
  ): void {
    const classified = known !== undefined ? known : classifyReference(reference, this.resolve, createsKeysOnAccess(shape), isSequence(shape));
    if (!classified) return;
    if (classified.kind !== 'alias') {
      uses.push({ ...classified, function: function_, owned, ...(alias ? { alias } : {}) });
      return;
    }
    const assignment = classified.name.parent ?? reference;
    if (!function_ || alias) {
      // A module-level alias (another global) or an alias of an alias: followed no further, treated as handed on.
      uses.push({ kind: 'escape', node: assignment, detail: 'alias', values: [], keys: [], function: function_, owned });
      return;
    }
    for (const identifier of identifiersNamed(this.root, this.text, [classified.name.text], function_)) {
      if (identifier.id === classified.name.id || identifier.startIndex < assignment.endIndex) continue;
      const parent = identifier.parent;
      if (!isReferenceIdentifier(identifier, parent)) continue;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) continue;
      this.collect(identifier, this.functions.innermost(identifier), owned, shape, uses, classified.name.text);
    }
  }
}
