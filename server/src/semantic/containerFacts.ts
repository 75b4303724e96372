// Document fact: the module-, class- and instance-level containers of a file and every use of each (adds, removals, rebinds, reads, escapes).
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { classAndSubclasses, enclosingMethod, forEachLevelStatement, sketchClasses, type ClassSketch } from './classSketch';
import { classifyReference, type ClassifiedUse } from './containerUses';
import { enclosingScopes, scopeBindings } from './scopeBindings';
import type { DocumentFactKey, SemanticModel } from './semanticModel';

export type ContainerFamily = 'list' | 'dict' | 'set' | 'deque';

export interface ContainerShape {
  readonly family: ContainerFamily;
  /** `weakref.WeakSet`, `WeakValueDictionary`, `WeakKeyDictionary`: entries go when their objects die. */
  readonly weak: boolean;
  /** `deque(maxlen=…)`: old entries fall out. */
  readonly bounded: boolean;
  /** `[]`, `{}`, `set()` … as written when a display, else the constructor's qualified name (`collections.defaultdict`). */
  readonly constructor: string;
  /** A plain empty display or builtin call (`[]`, `{}`, `list()`, `dict()`, `set()`) a weak container can replace. */
  readonly plainEmpty: boolean;
}

export type ContainerOwner =
  | { readonly kind: 'module' }
  | { readonly kind: 'class'; readonly sketch: ClassSketch }
  | { readonly kind: 'instance'; readonly sketch: ClassSketch };

export interface ContainerUse extends ClassifiedUse {
  /** The innermost `def` or `lambda` the use runs in; null when it runs at import time (module or class body). */
  readonly function: SyntaxNode | null;
  /**
   * The receiver is known to be the owner (`self`/`cls` of a method of the class or a subclass, `Owner.x`,
   * `type(self).x`, `self.__class__.x`); always true for module containers. Unowned uses are other objects'
   * attributes of the same name: removals count (a removal path may be there), additions do not.
   */
  readonly owned: boolean;
  /** The local alias the use goes through (`reg` of `reg = REGISTRY`), if any. */
  readonly alias?: string;
}

export interface ContainerFact {
  /** The binding (`REGISTRY`) or attribute (`_listeners`) name. */
  readonly name: string;
  /** How messages name it: `REGISTRY`, `Bus._handlers`. */
  readonly display: string;
  readonly owner: ContainerOwner;
  readonly shape: ContainerShape;
  /** The defining assignment, its target, the container expression and the annotation (if any). */
  readonly assignment: SyntaxNode;
  readonly target: SyntaxNode;
  readonly value: SyntaxNode;
  readonly annotation: SyntaxNode | null;
  /** Every use in the file, in document order (the definition itself excluded). */
  readonly uses: readonly ContainerUse[];
}

export interface ContainerFacts {
  readonly containers: readonly ContainerFact[];
  /** The classes the facts were computed with (a sketch of the class model). */
  readonly classes: ReadonlyMap<string, ClassSketch>;
}

const DISPLAY_FAMILIES: Readonly<Record<string, ContainerFamily>> = {
  list: 'list', list_comprehension: 'list', dictionary: 'dict', dictionary_comprehension: 'dict', set: 'set', set_comprehension: 'set',
};
const CONSTRUCTOR_FAMILIES: Readonly<Record<string, { family: ContainerFamily; weak?: boolean }>> = {
  'builtins.list': { family: 'list' },
  'builtins.dict': { family: 'dict' },
  'builtins.set': { family: 'set' },
  'collections.OrderedDict': { family: 'dict' },
  'collections.defaultdict': { family: 'dict' },
  'collections.Counter': { family: 'dict' },
  'collections.deque': { family: 'deque' },
  'weakref.WeakSet': { family: 'set', weak: true },
  'weakref.WeakValueDictionary': { family: 'dict', weak: true },
  'weakref.WeakKeyDictionary': { family: 'dict', weak: true },
};

function isNoneLiteral(node: SyntaxNode | null | undefined): boolean {
  return node?.type === 'none';
}

/** The container a definition's value builds, or undefined when it is not one the facts track. */
export function containerShape(value: SyntaxNode, semantic: SemanticModel): ContainerShape | undefined {
  const display = DISPLAY_FAMILIES[value.type];
  if (display) {
    const empty = value.namedChildren.filter((child) => child.type !== 'comment').length === 0;
    return { family: display, weak: false, bounded: false, constructor: value.type, plainEmpty: empty && !value.type.endsWith('comprehension') };
  }
  if (value.type !== 'call') return undefined;
  const callee = value.childForFieldName('function');
  const qualified = callee ? semantic.qualifiedName(callee.type === 'subscript' ? callee.childForFieldName('value') ?? callee : callee) : undefined;
  const known = qualified ? CONSTRUCTOR_FAMILIES[qualified] : undefined;
  if (!qualified || !known) return undefined;
  const args = value.childForFieldName('arguments')?.namedChildren.filter((child) => child.type !== 'comment') ?? [];
  let bounded = false;
  if (known.family === 'deque') {
    const maxlen = args.find((arg) => arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === 'maxlen');
    const positional = args.filter((arg) => arg.type !== 'keyword_argument');
    const limit = maxlen?.childForFieldName('value') ?? positional[1];
    bounded = limit !== undefined && !isNoneLiteral(limit);
  }
  const plainEmpty = args.length === 0 && (qualified === 'builtins.list' || qualified === 'builtins.dict' || qualified === 'builtins.set');
  return { family: known.family, weak: known.weak ?? false, bounded, constructor: qualified, plainEmpty };
}

/** `defaultdict` and `Counter` create a key on a mere `d[k]` that is then changed (`d[k] += 1`, `d[k].append(x)`). */
function createsKeysOnAccess(shape: ContainerShape): boolean {
  return shape.constructor === 'collections.defaultdict' || shape.constructor === 'collections.Counter';
}

interface Definition {
  readonly name: string;
  readonly owner: ContainerOwner;
  readonly shape: ContainerShape;
  readonly assignment: SyntaxNode;
  readonly target: SyntaxNode;
  readonly value: SyntaxNode;
}

/** `name = <container>` (optionally annotated) as a statement, else undefined. */
function containerAssignment(statement: SyntaxNode, semantic: SemanticModel): { assignment: SyntaxNode; target: SyntaxNode; value: SyntaxNode; shape: ContainerShape } | undefined {
  const assignment = statement.type === 'expression_statement' && statement.namedChildCount === 1 ? statement.namedChild(0) : statement;
  if (assignment?.type !== 'assignment') return undefined;
  const target = assignment.childForFieldName('left');
  const value = assignment.childForFieldName('right');
  if (!target || !value) return undefined;
  const shape = containerShape(value, semantic);
  return shape ? { assignment, target, value, shape } : undefined;
}

function findDefinitions(root: SyntaxNode, classes: ReadonlyMap<string, ClassSketch>, semantic: SemanticModel): Definition[] {
  const definitions: Definition[] = [];
  const seen = new Set<string>();
  const add = (key: string, definition: Definition): void => {
    if (seen.has(key) || definition.name.startsWith('__') && definition.name.endsWith('__')) return;
    seen.add(key);
    definitions.push(definition);
  };
  forEachLevelStatement(root, (statement) => {
    const found = containerAssignment(statement, semantic);
    if (found?.target.type === 'identifier') add(`module ${found.target.text}`, { name: found.target.text, owner: { kind: 'module' }, ...found });
  });
  for (const sketch of classes.values()) {
    const body = sketch.node.childForFieldName('body');
    if (body) {
      forEachLevelStatement(body, (statement) => {
        const found = containerAssignment(statement, semantic);
        if (found?.target.type === 'identifier') add(`class ${sketch.name}.${found.target.text}`, { name: found.target.text, owner: { kind: 'class', sketch }, ...found });
      });
    }
    const init = sketch.methods.get('__init__');
    const receiver = init?.receiver;
    const initBody = init?.node.childForFieldName('body');
    if (!init || !receiver || !initBody) continue;
    for (const assignment of initBody.descendantsOfType('assignment')) {
      if (innermostFunction(assignment)?.id !== init.node.id) continue;
      const found = containerAssignment(assignment, semantic);
      const object = found?.target.type === 'attribute' ? found.target.childForFieldName('object') : null;
      const attribute = found?.target.childForFieldName('attribute');
      if (!found || object?.type !== 'identifier' || object.text !== receiver || !attribute) continue;
      add(`instance ${sketch.name}.${attribute.text}`, { name: attribute.text, owner: { kind: 'instance', sketch }, ...found });
    }
  }
  return definitions;
}

/** The innermost `def` or `lambda` around `node` (not counting `node` itself); null at module or class level. */
export function innermostFunction(node: SyntaxNode): SyntaxNode | null {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'lambda') return current;
  }
  return null;
}

/** Identifiers that name something other than a value being used (parameters, keywords, import parts, def names). */
const NON_REFERENCE_PARENTS = new Set([
  'parameters', 'lambda_parameters', 'default_parameter', 'typed_parameter', 'typed_default_parameter', 'list_splat_pattern',
  'dictionary_splat_pattern', 'function_definition', 'class_definition', 'dotted_name', 'aliased_import', 'import_from_statement',
  'import_statement', 'keyword_pattern',
]);

function isReferenceIdentifier(identifier: SyntaxNode): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (NON_REFERENCE_PARENTS.has(parent.type)) return false;
  if (parent.type === 'keyword_argument' && parent.childForFieldName('name')?.id === identifier.id) return false;
  return true;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Identifier nodes spelling one of `names` in `within` (a text search, then the node at each hit: no tree walk). */
export function identifiersNamed(root: SyntaxNode, text: string, names: Iterable<string>, within?: SyntaxNode): SyntaxNode[] {
  const list = [...new Set(names)];
  if (list.length === 0) return [];
  const pattern = new RegExp(`(?<![\\w\\u0080-\\uffff])(?:${list.map(escapeRegExp).join('|')})(?![\\w\\u0080-\\uffff])`, 'g');
  const start = within?.startIndex ?? 0;
  const end = within?.endIndex ?? text.length;
  pattern.lastIndex = start;
  const found: SyntaxNode[] = [];
  for (let match = pattern.exec(text); match && match.index < end; match = pattern.exec(text)) {
    const node = root.descendantForIndex(match.index, match.index + match[0].length);
    if (node?.type === 'identifier' && node.startIndex === match.index && node.endIndex === match.index + match[0].length) found.push(node);
  }
  return found;
}

class ContainerUseCollector {
  private readonly bindings = new Map<number, Set<string>>();
  private readonly globals = new Map<number, Set<string>>();
  private readonly families = new Map<string, Set<string>>();

  constructor(
    private readonly root: SyntaxNode,
    private readonly text: string,
    private readonly classes: ReadonlyMap<string, ClassSketch>,
    private readonly semantic: SemanticModel,
  ) {}

  /** Whether a bare name at `identifier` means the module-level binding (no local binding hides it, or `global`). */
  refersToModule(identifier: SyntaxNode): boolean {
    const name = identifier.text;
    for (const scope of enclosingScopes(identifier)) {
      if (scope.type !== 'class_definition' && this.globalsOf(scope).has(name)) return true;
      if (this.bindingsOf(scope).has(name)) return false;
    }
    return true;
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
        if (innermostFunction(statement)?.id !== scope.id) continue;
        for (const name of statement.namedChildren) names.add(name.text);
      }
      this.globals.set(scope.id, names);
    }
    return names;
  }

  private familyOf(sketch: ClassSketch): Set<string> {
    let family = this.families.get(sketch.name);
    if (!family) this.families.set(sketch.name, (family = classAndSubclasses(this.classes, sketch.name)));
    return family;
  }

  /** The owner's classes in the file above it (its bases, their bases): their methods' `self` may be an owner too. */
  private ancestorsOf(sketch: ClassSketch): Set<string> {
    const ancestors = new Set<string>();
    for (let pending = [...sketch.bases]; pending.length > 0;) {
      const name = pending.pop() ?? '';
      const base = this.classes.get(name);
      if (!base || ancestors.has(name)) continue;
      ancestors.add(name);
      pending.push(...base.bases);
    }
    return ancestors;
  }

  /**
   * Whether `attribute` (`X.name`) reaches the container through its owner (`owned`), through an object that
   * may be it (`unknown`), or through the `self` of a method of an unrelated class of the file (`foreign`: a
   * different object, whose uses say nothing about this container).
   */
  ownership(owner: Exclude<ContainerOwner, { kind: 'module' }>, attribute: SyntaxNode): 'owned' | 'unknown' | 'foreign' {
    const object = attribute.childForFieldName('object');
    if (!object) return 'unknown';
    const family = this.familyOf(owner.sketch);
    if (owner.kind === 'class' && object.type === 'identifier' && family.has(object.text)) return 'owned';
    let receiver: SyntaxNode | null = object;
    if (owner.kind === 'class' && object.type === 'call' && object.childForFieldName('function')?.text === 'type') {
      receiver = object.childForFieldName('arguments')?.namedChild(0) ?? null;
    } else if (owner.kind === 'class' && object.type === 'attribute' && object.childForFieldName('attribute')?.text === '__class__') {
      receiver = object.childForFieldName('object');
    }
    if (receiver?.type !== 'identifier') return 'unknown';
    const method = enclosingMethod(attribute, this.classes);
    if (!method || method.method.receiver !== receiver.text) return 'unknown';
    if (family.has(method.sketch.name)) return 'owned';
    return this.ancestorsOf(owner.sketch).has(method.sketch.name) ? 'unknown' : 'foreign';
  }

  /** Classifies `reference` and, for an alias in a function (`reg = REGISTRY`), the alias's uses there too. */
  collect(reference: SyntaxNode, owned: boolean, shape: ContainerShape, uses: ContainerUse[], alias?: string): void {
    const classified = classifyReference(reference, this.semantic, createsKeysOnAccess(shape));
    if (!classified) return;
    const function_ = innermostFunction(reference);
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
      if (identifier.id === classified.name.id || identifier.startIndex < assignment.endIndex || !isReferenceIdentifier(identifier)) continue;
      if (identifier.parent?.type === 'attribute' && identifier.parent.childForFieldName('attribute')?.id === identifier.id) continue;
      this.collect(identifier, owned, shape, uses, classified.name.text);
    }
  }
}

function computeContainerFacts(root: SyntaxNode, semantic: SemanticModel): ContainerFacts {
  const classes = sketchClasses(root);
  const definitions = findDefinitions(root, classes, semantic);
  if (definitions.length === 0) return { containers: [], classes };
  const text = root.text;
  const collector = new ContainerUseCollector(root, text, classes, semantic);
  const usesByDefinition = new Map<Definition, ContainerUse[]>(definitions.map((definition) => [definition, []]));
  const moduleByName = new Map(definitions.filter((d) => d.owner.kind === 'module').map((d) => [d.name, d]));
  const attributeNames = new Set(definitions.filter((d) => d.owner.kind !== 'module').map((d) => d.name));
  for (const identifier of identifiersNamed(root, text, definitions.map((d) => d.name))) {
    const parent = identifier.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) {
      if (!attributeNames.has(identifier.text)) continue;
      for (const definition of definitions) {
        if (definition.owner.kind === 'module' || definition.name !== identifier.text || definition.target.id === parent.id) continue;
        const ownership = collector.ownership(definition.owner, parent);
        if (ownership !== 'foreign') collector.collect(parent, ownership === 'owned', definition.shape, usesByDefinition.get(definition) ?? []);
      }
      continue;
    }
    const definition = moduleByName.get(identifier.text);
    if (!definition || definition.target.id === identifier.id || !isReferenceIdentifier(identifier) || !collector.refersToModule(identifier)) continue;
    collector.collect(identifier, true, definition.shape, usesByDefinition.get(definition) ?? []);
  }
  const containers = definitions.map((definition): ContainerFact => ({
    name: definition.name,
    display: definition.owner.kind === 'module' ? definition.name : `${definition.owner.sketch.name}.${definition.name}`,
    owner: definition.owner,
    shape: definition.shape,
    assignment: definition.assignment,
    target: definition.target,
    value: definition.value,
    annotation: definition.assignment.childForFieldName('type'),
    uses: (usesByDefinition.get(definition) ?? []).sort((a, b) => a.node.startIndex - b.node.startIndex),
  }));
  return { containers, classes };
}

/** The containers of a document and their uses: computed once per analysis, shared by every rule that asks. */
export const CONTAINER_FACTS: DocumentFactKey<ContainerFacts> = { name: 'containers', compute: computeContainerFacts };
