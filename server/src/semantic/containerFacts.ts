// Document fact: the module-, class- and instance-level containers of a file and every use of each (adds, removals, rebinds, reads, escapes).
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { ClassIndex, type ClassSketch } from './classSketch';
import { ContainerUseCollector, ReferenceSites } from './containerReferences';
import { builtinsOnly, type ClassifiedUse, type NameResolver } from './containerUses';
import { scopesOf, type ScopeIndex } from './scopeIndex';
import { functionIndex as functionsOf, type FunctionIndex } from './functionIndex';
import { definitionLines, levelOf, placeLines, type DefinitionLine, type PlacedLine } from './containerDefinitionLines';
import { mayAddOrAlias, mayBeWayOut, namesThatMayGrow } from './containerUseText';
import { mayBind } from './textSearch';
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
  /** Every container of the file, with its uses (computed on first use). */
  readonly containers: readonly ContainerFact[];
  /**
   * The containers that may only grow: those whose names the text uses in an addition-shaped way or assigns whole to
   * something (a cheap text filter run first) and that something adds to through their owner (an owned `add` use),
   * minus those with a removal, rebinding or escape anywhere in the file (each dropped at the first such use, the rest
   * of its references never classified). Every container that its owner adds to with no way out is here, with the
   * same facts as in `containers` (as distinct objects). Rules about leaks through growth read these and skip the
   * rest of the file's containers.
   */
  readonly growable: readonly ContainerFact[];
  /** Which function or lambda a node is in (the document's scope index, by range: cheaper than climbing parents). */
  readonly functions: FunctionIndex;
  /** The document's text (read from the tree once: the native binding assembles it from chunks on every ask). */
  readonly text: string;
  /** The classes the facts were computed with (a sketch of the class model). */
  readonly classes: ClassIndex;
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
export function containerShape(value: SyntaxNode, resolve: NameResolver): ContainerShape | undefined {
  const display = DISPLAY_FAMILIES[value.type];
  if (display) {
    const empty = value.namedChildren.filter((child) => child.type !== 'comment').length === 0;
    return { family: display, weak: false, bounded: false, constructor: value.type, plainEmpty: empty && !value.type.endsWith('comprehension') };
  }
  if (value.type !== 'call') return undefined;
  const callee = value.childForFieldName('function');
  const qualified = callee ? resolve(callee.type === 'subscript' ? callee.childForFieldName('value') ?? callee : callee) : undefined;
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

/**
 * The model's `qualifiedName`, except that a bare name the text never binds anywhere (no `name =`, parameter,
 * `def`/`class`/`import`/`for`/`as` of it) is the builtin at once: the model would walk the module's statements.
 */
function cheapBuiltins(text: string, semantic: SemanticModel): NameResolver {
  const bound = new Map<string, boolean>();
  return (expression) => {
    if (expression.type !== 'identifier') return semantic.qualifiedName(expression);
    const name = expression.text;
    let binds = bound.get(name);
    if (binds === undefined) bound.set(name, (binds = mayBind(text, name)));
    return binds ? semantic.qualifiedName(expression) : `builtins.${name}`;
  };
}

interface Definition {
  readonly name: string;
  readonly owner: ContainerOwner;
  readonly shape: ContainerShape;
  readonly assignment: SyntaxNode;
  readonly target: SyntaxNode;
  readonly value: SyntaxNode;
}

function findDefinitions(placed: readonly PlacedLine[], classes: () => ClassIndex, resolve: NameResolver, only?: ReadonlySet<string>): Definition[] {
  const definitions: Definition[] = [];
  const seen = new Set<string>();
  for (const { receiver, name, assignment, target, value, level } of placed) {
    if (only && !only.has(name)) continue;
    let owner: ContainerOwner | undefined;
    let key: string;
    if (receiver) {
      // `self.name = …` directly in `__init__` (through blocks) of a class of the file.
      const classNode = levelOf(level.parent?.type === 'decorated_definition' ? level.parent : level);
      const sketch = classNode?.type === 'class_definition' ? classes().of(classNode) : undefined;
      if (!sketch || sketch.method('__init__')?.receiver !== receiver) continue;
      owner = { kind: 'instance', sketch };
      key = `instance ${sketch.name}.${name}`;
    } else if (level.type === 'module') {
      owner = { kind: 'module' };
      key = `module ${name}`;
    } else {
      const sketch = classes().of(level);
      // In an Enum, a class-level assignment makes a member, not a container.
      if (!sketch || sketch.bases.some((base) => /(?:^|\.)(?:Enum|IntEnum|StrEnum|Flag|IntFlag)$/.test(base))) continue;
      owner = { kind: 'class', sketch };
      key = `class ${sketch.name}.${name}`;
    }
    if (seen.has(key)) continue;
    const shape = containerShape(value, resolve);
    if (!shape) continue;
    seen.add(key);
    definitions.push({ name, owner, shape, assignment, target, value });
  }
  return definitions;
}

/** A use through which entries can leave the container or it can be replaced or handed on. */
function isWayOut(use: ContainerUse): boolean {
  return use.kind === 'remove' || use.kind === 'rebind' || use.kind === 'escape';
}

/**
 * Classifies every reference to `definition` into `uses`, in document order of the references. With `onlyGrowing`,
 * returns false (the uses then partial) as soon as a reference gives a way out, or when no reference adds to the
 * container through its owner: such a container can never be reported as growing. The references that may be a way
 * out (by their text) are classified first, then those that may add until one does, so most containers are dropped
 * before their other references are even looked up (each site remembers its uses for the pass in document order).
 */
function usesOf(definition: Definition, sites: ReferenceSites, text: string, collector: ContainerUseCollector, uses: ContainerUse[], onlyGrowing: boolean): boolean {
  const { offsets, name } = sites;
  if (onlyGrowing) {
    // A reference that may be a way out is checked in full only when its place in the tree says so.
    for (let index = 0; index < offsets.length; index++) {
      if (!mayBeWayOut(text, offsets[index], name)) continue;
      const site = sites.siteAt(index);
      const kind = site ? collector.kindAt(definition, site) : undefined;
      if (site && kind !== undefined && kind !== 'add' && kind !== 'read' && collector.usesAt(definition, site).some(isWayOut)) return false;
    }
    let adds = false;
    for (let index = 0; index < offsets.length && !adds; index++) {
      if (!mayAddOrAlias(text, offsets[index], name)) continue;
      const site = sites.siteAt(index);
      const kind = site ? collector.kindAt(definition, site) : undefined;
      if (!site || (kind !== 'add' && kind !== 'alias')) continue;
      const found = collector.usesAt(definition, site);
      if (found.some(isWayOut)) return false;
      adds = found.some((use) => use.kind === 'add' && use.owned);
    }
    if (!adds) return false;
  }
  for (let index = 0; index < offsets.length; index++) {
    const site = sites.siteAt(index);
    if (!site) continue;
    const found = collector.usesAt(definition, site);
    uses.push(...found);
    if (onlyGrowing && found.some(isWayOut)) return false;
  }
  return true;
}

function factOf(definition: Definition, uses: ContainerUse[]): ContainerFact {
  return {
    name: definition.name,
    display: definition.owner.kind === 'module' ? definition.name : `${definition.owner.sketch.name}.${definition.name}`,
    owner: definition.owner,
    shape: definition.shape,
    assignment: definition.assignment,
    target: definition.target,
    value: definition.value,
    annotation: definition.assignment.childForFieldName('type'),
    uses: uses.sort((a, b) => a.node.startIndex - b.node.startIndex),
  };
}

/**
 * The facts of the containers defined in `placed` (only those named in `only`, when given). With `onlyGrowing`, a
 * container is dropped at its first removal, rebinding or escape, or when nothing adds to it through its owner, and
 * its remaining references are never classified.
 */
function collectFacts(
  root: SyntaxNode,
  text: string,
  placed: readonly PlacedLine[],
  classes: () => ClassIndex,
  functions: FunctionIndex,
  resolve: NameResolver,
  scopes: ScopeIndex,
  only?: ReadonlySet<string>,
  onlyGrowing = false,
): ContainerFact[] {
  const definitions = findDefinitions(placed, classes, resolve, only);
  if (definitions.length === 0) return [];
  const collector = new ContainerUseCollector(root, text, classes(), functions, builtinsOnly(resolve, text), scopes);
  const sitesByName = new Map<string, ReferenceSites>();
  const facts: ContainerFact[] = [];
  for (const definition of definitions) {
    let sites = sitesByName.get(definition.name);
    if (!sites) sitesByName.set(definition.name, (sites = new ReferenceSites(root, text, definition.name, functions)));
    const uses: ContainerUse[] = [];
    if (usesOf(definition, sites, text, collector, uses, onlyGrowing)) facts.push(factOf(definition, uses));
  }
  return facts;
}

function computeContainerFacts(root: SyntaxNode, semantic: SemanticModel): ContainerFacts {
  let classIndex: ClassIndex | undefined;
  let resolveName: NameResolver | undefined;
  const resolver = (): NameResolver => (resolveName ??= cheapBuiltins(source(), semantic));
  let functionsByRange: FunctionIndex | undefined;
  const functionIndex = (): FunctionIndex => (functionsByRange ??= functionsOf(scopesOf(semantic)));
  let all: ContainerFact[] | undefined;
  let growable: ContainerFact[] | undefined;
  let text: string | undefined;
  const classes = (): ClassIndex => (classIndex ??= new ClassIndex(root, source()));
  let lines: DefinitionLine[] | undefined;
  let placed: PlacedLine[] | undefined;
  const source = (): string => (text ??= root.text);
  const candidateLines = (): DefinitionLine[] => (lines ??= definitionLines(source()));
  const placedLines = (): PlacedLine[] => (placed ??= placeLines(root, candidateLines()));
  return {
    get containers() {
      return (all ??= collectFacts(root, source(), placedLines(), classes, functionIndex(), resolver(), scopesOf(semantic)));
    },
    get growable() {
      if (!growable) {
        // The text filter first: only the lines of names that may grow are placed in the tree.
        const grow = namesThatMayGrow(source(), new Set(candidateLines().map((line) => line.name)));
        const growing = grow.size === 0 ? [] : placeLines(root, candidateLines().filter((line) => grow.has(line.name)));
        growable = growing.length === 0 ? [] : collectFacts(root, source(), growing, classes, functionIndex(), resolver(), scopesOf(semantic), grow, true);
      }
      return growable;
    },
    get classes() {
      return classes();
    },
    get text() {
      return source();
    },
    get functions() {
      return functionIndex();
    },
  };
}

/** The containers of a document and their uses: computed once per analysis, shared by every rule that asks. */
export const CONTAINER_FACTS: DocumentFactKey<ContainerFacts> = { name: 'containers', compute: computeContainerFacts };
