// The reference cycles a document visibly builds (back references, self-capturing closures, bound methods, self.x = self), shared by GCL101-103 and GCL201.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { CYCLE_STORE_FACTS, type MethodCallSite, type StoreSite } from './attributeFacts';
import { CYCLE_CLASS_MODEL, type ClassFacts, type ClassModel, type MethodFacts } from './classModel';
import { CYCLE_OBJECT_PATHS, extendsPath, firstStep, stepsAfter, type ObjectPath, type ObjectPaths } from './selfAliases';
import { defaultValueAround, freeIdentifiers, isInDefault, nestedDefinition } from './closureCaptures';
import { scopesOf } from './scopeIndex';
import type { DocumentFactKey, SemanticModel } from './semanticModel';

/** A store that closes a cycle, with what it needs to be explained and fixed. */
export type CycleRecord = BackReferenceCycle | ClosureCycle | BoundMethodCycle | SelfReferenceCycle;

interface CycleBase {
  /** The store the finding is reported at (the edge a fix would make weak). */
  readonly edge: StoreSite;
  /** The class whose instances are on the cycle, when the cycle runs through a method's `self`. */
  readonly participant: ClassFacts | undefined;
  /** The edges in order, as the message prints them (`Node.parent → parent`). */
  readonly path: readonly string[];
}

/** A child holds its parent strongly while the parent holds the child (GCL101). */
export interface BackReferenceCycle extends CycleBase {
  readonly kind: 'parent-back-reference';
  /** The parent's edge to the child (a store elsewhere, or the attribute read `node.left` of `node.left.parent = node`). */
  readonly forward: SyntaxNode;
  readonly forwardMessage: string;
}

/** A lambda, nested def or partial that captures an object and is stored on it or on what it owns (GCL102). */
export interface ClosureCycle extends CycleBase {
  readonly kind: 'self-capturing-closure';
  readonly closure: SyntaxNode;
  /** `lambda`, `def name` or `functools.partial`. */
  readonly closureKind: 'lambda' | 'def' | 'partial';
  readonly captured: string;
  /** The identifiers inside the closure that name the captured object (empty for partial). */
  readonly captures: readonly SyntaxNode[];
}

/** A bound method of an object stored on that object or on what it owns (GCL103). */
export interface BoundMethodCycle extends CycleBase {
  readonly kind: 'bound-method-on-self';
  /** The `self.m` expression. */
  readonly bound: SyntaxNode;
  readonly method: MethodFacts;
  /** How the bound method is wrapped before it is stored. */
  readonly wrapper: 'none' | 'partial' | 'function';
}

/** `self.x = self`, `self.items.append(self)`: the object holds itself (found for GCL201; GCL104 reports the shape). */
export interface SelfReferenceCycle extends CycleBase {
  readonly kind: 'self-reference';
}

export interface CycleFacts {
  readonly cycles: readonly CycleRecord[];
}

const WEAK_CALLS: ReadonlySet<string> = new Set([
  'weakref.ref', 'weakref.proxy', 'weakref.WeakMethod', 'weakref.WeakSet', 'weakref.WeakValueDictionary',
  'weakref.WeakKeyDictionary', 'weakref.finalize', '_weakref.ref', '_weakref.proxy', '_weakrefset.WeakSet',
]);

const CONTAINER_CALLS: ReadonlySet<string> = new Set([
  'builtins.list', 'builtins.dict', 'builtins.set', 'collections.deque', 'collections.OrderedDict',
  'collections.defaultdict', 'collections.Counter', 'collections.ChainMap',
]);
const CONTAINER_DISPLAYS: ReadonlySet<string> = new Set([
  'list', 'dictionary', 'set', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension',
]);

/** The qualified name of a call's callee, resolved only when its last name is one of `wanted`'s (resolving walks scopes). */
function calleeName(value: SyntaxNode, semantic: SemanticModel, wanted: ReadonlySet<string>): string | undefined {
  if (value.type !== 'call') return undefined;
  const callee = value.childForFieldName('function');
  if (!callee) return undefined;
  const last = /(\w+)\s*$/.exec(callee.text)?.[1] ?? '';
  if (![...wanted].some((name) => name.endsWith(`.${last}`))) return undefined;
  const qualified = semantic.qualifiedName(callee);
  return qualified !== undefined && wanted.has(qualified) ? qualified : undefined;
}

const PARTIAL: ReadonlySet<string> = new Set(['functools.partial']);

function isWeakValue(value: SyntaxNode, semantic: SemanticModel): boolean {
  return calleeName(value, semantic, WEAK_CALLS) !== undefined;
}

function isContainerValue(value: SyntaxNode, semantic: SemanticModel): boolean {
  return CONTAINER_DISPLAYS.has(value.type) || calleeName(value, semantic, CONTAINER_CALLS) !== undefined;
}


type AttributeNature = 'strong' | 'container' | 'weak' | 'computed' | 'cleared' | 'unknown';

/** What `self.<name>` holds, from the class's own stores: a strong reference, a container, a weak one, ... */
function attributeNature(owner: ClassFacts, name: string, classes: ClassModel, semantic: SemanticModel): AttributeNature {
  const lineage = classes.lineage(owner);
  // A method, a property, or `name = property(...)` in the class body: the attribute is computed, not stored.
  // Properties (and `name = property(...)`) intercept reads and writes; a plain method is shadowed by the instance's own attribute.
  if (classes.findMethod(owner, name)?.kind === 'property' || lineage.some((current) => /property\s*\(/.test(current.classAttributes.get(name)?.text ?? ''))) return 'computed';
  if (lineage.some((current) => current.cleared.has(name))) return 'cleared';
  const stores = lineage.flatMap((current) => current.selfStores.filter((store) => store.name === name));
  if (stores.some((store) => isWeakValue(store.value, semantic))) return 'weak';
  if (stores.length === 0) return 'unknown';
  return stores.some((store) => isContainerValue(store.value, semantic)) ? 'container' : 'strong';
}

const BARE_SELF = /^@self#\d+$/;

/** A store with the paths of its holder and (when it is a name or attribute chain) of its value. */
interface Located {
  readonly site: StoreSite;
  readonly holder: ObjectPath;
  readonly value: ObjectPath | undefined;
}

/** The object that actually holds the reference: the holder of an attribute store, the container's owner otherwise. */
function owningObject(located: Located): ObjectPath {
  if (located.site.kind === 'attribute') return located.holder;
  return located.holder.replace(/(\.[A-Za-z_]\w*|\[\])$/, '');
}

interface Detector {
  readonly semantic: SemanticModel;
  readonly paths: ObjectPaths;
  readonly classes: ClassModel;
  readonly located: readonly Located[];
  readonly byScope: ReadonlyMap<number, readonly Located[]>;
  readonly cycles: CycleRecord[];
  readonly reported: Set<number>;
}

function nature(detector: Detector, owner: ClassFacts, name: string): AttributeNature {
  return attributeNature(owner, name, detector.classes, detector.semantic);
}

/**
 * Whether the store puts its value into `root` or into something `root` strongly owns: `self.cb = …`,
 * `self.button.on_click = …`, `self.handlers.append(…)` (where the class makes `self.handlers` a container).
 * Attributes cleared in close()/__exit__/finally, weak ones and properties do not count.
 */
function storesInto(located: Located, root: ObjectPath, detector: Detector, throughLocals = true): boolean {
  const { holder, site } = located;
  if (holder !== root && !extendsPath(root, holder)) return throughLocals && heldThroughLocal(located, root, detector);
  const owner = detector.paths.selfClassOf(holder);
  if (!owner) return true;
  if (BARE_SELF.test(holder)) {
    const slot = site.kind === 'attribute' ? nature(detector, owner, site.slot) : 'strong';
    return slot === 'strong' || slot === 'container' || slot === 'unknown';
  }
  const first = nature(detector, owner, firstStep(holder) ?? '');
  if (site.kind === 'call' && stepsAfter(holder.replace(/[.[].*$/, ''), holder).length === 1) return first === 'container';
  return first === 'strong' || first === 'container';
}

/**
 * `parser = make(); self.parser = parser; parser.handler = …`: the holder is a local that the same function also
 * stores on `root` (directly, on a strong attribute), so `root` owns it.
 */
function heldThroughLocal(located: Located, root: ObjectPath, detector: Detector): boolean {
  const local = located.holder.replace(/[.[].*$/, '');
  if (local.startsWith('@self') || !located.site.scope) return false;
  return (detector.byScope.get(located.site.scope.id) ?? []).some((link) =>
    link !== located && link.site.kind === 'attribute' && link.value === local && link.holder === root && storesInto(link, root, detector));
}

function record(detector: Detector, cycle: CycleRecord): void {
  if (detector.reported.has(cycle.edge.statement.id)) return;
  detector.reported.add(cycle.edge.statement.id);
  // The partner store of a two-store cycle is the same cycle: it is not reported again from its side.
  if (cycle.kind === 'parent-back-reference') detector.reported.add(cycle.forward.id);
  detector.cycles.push(cycle);
}

/** The text of an object for messages: the class name for a bare `self`, else its source. */
function label(expression: SyntaxNode, path: ObjectPath | undefined, paths: ObjectPaths): string {
  const owner = path !== undefined ? paths.selfClassOf(path) : undefined;
  if (owner && path !== undefined && /^@self#\d+(\.[A-Za-z_]\w*)*$/.test(path)) return `\`${owner.name}${path.replace(/^@self#\d+/, '')}\``;
  return `\`${expression.text.replace(/\s+/g, ' ')}\``;
}

/** `Node.parent` → `parent` for an attribute store; `parent.children` → `Node` for a container. */
function edgeText(located: Located, valueText: string, paths: ObjectPaths): string {
  const { site } = located;
  if (site.via) {
    const [method, ...attributes] = site.via.split('.');
    if (site.kind === 'attribute') attributes.push(site.slot);
    return `\`${label(site.holder, paths.pathOf(site.holder, site.scope), paths).slice(1, -1)}${attributes.map((name) => `.${name}`).join('')}\` → ${valueText} (kept by \`${method}()\`)`;
  }
  const holder = label(site.holder, located.holder, paths);
  return site.kind === 'attribute' ? `${holder.slice(0, -1)}.${site.slot}\` → ${valueText}` : `${holder} → ${valueText}`;
}

function valueLabel(located: Located, paths: ObjectPaths): string {
  return label(located.site.value, located.value, paths);
}

/** The one strong store of `self.<first step of path>` in the class, for reporting a back edge where it is made. */
function selfAttributeStore(path: ObjectPath, detector: Detector): Located | undefined {
  const owner = detector.paths.selfClassOf(path);
  const attribute = firstStep(path);
  if (!owner || attribute === undefined) return undefined;
  const stores = detector.classes.lineage(owner).flatMap((current) => current.selfStores.filter((store) => store.name === attribute && store.value.type !== 'none'));
  if (stores.length !== 1) return undefined;
  return detector.located.find((located) => located.site === stores[0].site);
}

/** `node.left.parent = node`, `self.parent.children.append(self)`: the holder is reached from the value itself. */
function backReferenceThroughPath(located: Located, value: ObjectPath, detector: Detector): void {
  const { paths } = detector;
  const owner = owningObject(located);
  if (!storesInto(located, value, detector)) return;
  const steps = stepsAfter(value, owner).map((step) => (step === '[]' ? '[]' : `.${step}`)).join('');
  if (BARE_SELF.test(value)) {
    // The back edge is `self.<first step>`: report it where the class assigns it.
    const back = selfAttributeStore(owner, detector);
    if (!back || back.site.statement.id === located.site.statement.id || back.value === undefined) return;
    record(detector, {
      kind: 'parent-back-reference', edge: back.site, participant: paths.selfClassOf(value),
      path: [edgeText(back, valueLabel(back, paths), paths), edgeText(located, valueLabel(located, paths), paths)],
      forward: located.site.statement, forwardMessage: `\`${located.site.holder.text}\` holds \`${located.site.value.text}\` here`,
    });
    return;
  }
  record(detector, {
    kind: 'parent-back-reference', edge: located.site, participant: undefined,
    path: [edgeText(located, valueLabel(located, paths), paths), `\`${located.site.value.text}\` → \`${located.site.holder.text}\`${located.site.holder.text.startsWith(located.site.value.text) ? '' : ` (\`${located.site.value.text}${steps}\`)`}`],
    forward: located.site.holder, forwardMessage: `\`${located.site.value.text}\` holds this object through \`${steps}\``,
  });
}

/** `self.parent = parent` + `parent.children.append(self)`; `child.parent = self` + `self.children.append(child)`. */
function backReferenceWithPartner(located: Located, value: ObjectPath, detector: Detector): void {
  const { site, holder } = located;
  const { paths } = detector;
  if (site.kind !== 'attribute' || !site.scope) return;
  const holderClass = BARE_SELF.test(holder) ? paths.selfClassOf(holder) : undefined;
  if (holderClass && nature(detector, holderClass, site.slot) !== 'strong') return;
  if (!holderClass && !storesInto(located, holder.replace(/[.[].*$/, ''), detector)) return; // `self.x.a = …` needs a strong `self.x`
  for (const other of detector.byScope.get(site.scope.id) ?? []) {
    // Chains of plain locals (`c.f = d; d.f = e; e.f = c`) are GCL104's: only `self` owns what it stores in passing.
    if (other === located || other.value !== holder || !storesInto(other, value, detector, BARE_SELF.test(value))) continue;
    const selfInvolved = BARE_SELF.test(value) || BARE_SELF.test(holder);
    if (!selfInvolved && other.site.kind === 'attribute' && other.holder === value) continue; // `a.next = b; b.prev = a` is GCL104's
    record(detector, {
      kind: 'parent-back-reference', edge: site, participant: paths.selfClassOf(holder) ?? paths.selfClassOf(value),
      path: [edgeText(located, valueLabel(located, paths), paths), edgeText(other, valueLabel(other, paths), paths)],
      forward: other.site.statement, forwardMessage: `\`${other.site.holder.text}\` holds \`${other.site.value.text}\` here`,
    });
    return;
  }
}

function backReferencesAndSelfReferences(detector: Detector): void {
  for (const located of detector.located) {
    const { value } = located;
    if (value === undefined) continue;
    const owner = owningObject(located);
    if (owner === value) {
      if (storesInto(located, value, detector)) {
        record(detector, { kind: 'self-reference', edge: located.site, participant: detector.paths.selfClassOf(value), path: [edgeText(located, valueLabel(located, detector.paths), detector.paths)] });
      }
    } else if (extendsPath(value, owner)) {
      backReferenceThroughPath(located, value, detector);
    } else {
      backReferenceWithPartner(located, value, detector);
    }
  }
}

interface ClosureValue {
  readonly closure: SyntaxNode;
  readonly closureKind: 'lambda' | 'def' | 'partial';
  /** Expressions whose objects the closure keeps, grouped by the identifier they are. */
  readonly captures: readonly SyntaxNode[];
}

function closureOf(site: StoreSite, semantic: SemanticModel): ClosureValue | undefined {
  const { value, scope } = site;
  if (value.type === 'lambda') return { closure: value, closureKind: 'lambda', captures: freeIdentifiers(value) };
  if (value.type === 'identifier' && scope) {
    // A name bound only by `def`s (`setUpClass = classmethod(setUpClass)` stores something else).
    const body = scope.childForFieldName('body');
    const bindings = (semantic.fact(CYCLE_STORE_FACTS).bindingOffsets.get(value.text) ?? []).filter((offset) => offset >= (body?.startIndex ?? 0) && offset < (body?.endIndex ?? 0));
    if (bindings.some((offset) => semantic.root.descendantForIndex(offset)?.parent?.type !== 'function_definition')) return undefined;
    const definition = nestedDefinition(scope, value.text, semantic, site.statement.startIndex);
    return definition ? { closure: definition, closureKind: 'def', captures: freeIdentifiers(definition) } : undefined;
  }
  if (calleeName(value, semantic, PARTIAL)) {
    const args = value.childForFieldName('arguments')?.namedChildren ?? [];
    const kept = args.slice(1).map((arg) => (arg.type === 'keyword_argument' ? arg.childForFieldName('value') : arg))
      .filter((arg): arg is SyntaxNode => arg?.type === 'identifier');
    return { closure: value, closureKind: 'partial', captures: kept };
  }
  return undefined;
}

/** Whether a capture keeps the captured object itself: a cell or a default that is the name, or a default bound method of it. */
function keepsWhole(capture: SyntaxNode, closure: SyntaxNode, captured: ObjectPath, detector: Detector): boolean {
  const defaultValue = closure.type === 'call' ? undefined : defaultValueAround(capture, closure);
  if (!defaultValue || defaultValue.id === capture.id) return true;
  const owner = BARE_SELF.test(captured) ? detector.paths.selfClassOf(captured) : undefined;
  const method = owner ? detector.classes.findMethod(owner, defaultValue.childForFieldName('attribute')?.text ?? '') : undefined;
  return method?.kind === 'instance';
}

function closures(detector: Detector): void {
  const { paths } = detector;
  for (const located of detector.located) {
    const { site } = located;
    if (site.value.type !== 'lambda' && site.value.type !== 'identifier' && site.value.type !== 'call') continue;
    const closure = closureOf(site, detector.semantic);
    if (!closure) continue;
    const byName = new Map<string, SyntaxNode[]>();
    for (const capture of closure.captures) byName.set(capture.text, [...(byName.get(capture.text) ?? []), capture]);
    for (const [name, captures] of byName) {
      const captured = paths.pathOf(captures[0], site.scope);
      if (captured === undefined || !storesInto(located, captured, detector)) continue;
      if (!captures.some((capture) => keepsWhole(capture, closure.closure, captured, detector))) continue;
      const what = closure.closureKind === 'def' ? `nested function \`${site.value.text}\`` : closure.closureKind === 'partial' ? '`functools.partial`' : 'lambda';
      const kept = captures.find((capture) => keepsWhole(capture, closure.closure, captured, detector)) as SyntaxNode;
      const keptText = kept.parent?.type === 'attribute' && isInDefault(kept, closure.closure) ? kept.parent.text : name;
      const hold = closure.closureKind === 'partial' ? `its argument \`${name}\``
        : isInDefault(kept, closure.closure) ? `its default \`${keptText}\`` : `its cell \`${name}\``;
      record(detector, {
        kind: 'self-capturing-closure', edge: site, participant: paths.selfClassOf(captured),
        path: [edgeText(located, what, paths), `${hold} → ${label(captures[0], captured, paths)}`],
        closure: closure.closure, closureKind: closure.closureKind, captured: name,
        captures: closure.closureKind === 'partial' ? [] : captures,
      });
      break;
    }
  }
}

/** Module-level functions that keep their first argument: `return arg`, or return a closure that uses it. */
function keepsArgument(name: string, semantic: SemanticModel, cache: Map<string, boolean>): boolean {
  const known = cache.get(name);
  if (known !== undefined) return known;
  let keeps = false;
  const definitions = !semantic.fact(CYCLE_STORE_FACTS).moduleFunctions.has(name) ? [] : semantic.root.namedChildren
    .map((statement) => (statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement))
    .filter((statement): statement is SyntaxNode => statement?.type === 'function_definition' && statement.childForFieldName('name')?.text === name);
  const definition = definitions.length === 1 ? definitions[0] : undefined;
  const parameter = definition?.childForFieldName('parameters')?.namedChildren[0];
  if (definition && parameter?.type === 'identifier') {
    const returns = definition.descendantsOfType('return_statement').filter((statement) => scopesOf(semantic).innermostDefinition(statement)?.id === definition.id);
    const returned = returns.map((statement) => statement.namedChild(0)).filter((value): value is SyntaxNode => value !== null);
    keeps = returned.some((value) => {
      if (value.type === 'identifier' && value.text === parameter.text) return true;
      const closure = value.type === 'lambda' ? value : value.type === 'identifier' ? nestedDefinition(definition, value.text, semantic) : undefined;
      return closure !== undefined && freeIdentifiers(closure).some((identifier) => identifier.text === parameter.text);
    });
  }
  cache.set(name, keeps);
  return keeps;
}

function boundMethodOf(value: SyntaxNode, detector: Detector, keepers: Map<string, boolean>): { bound: SyntaxNode; wrapper: BoundMethodCycle['wrapper'] } | undefined {
  if (value.type === 'attribute') return { bound: value, wrapper: 'none' };
  if (value.type !== 'call') return undefined;
  const first = value.childForFieldName('arguments')?.namedChildren[0];
  if (first?.type !== 'attribute') return undefined;
  if (calleeName(value, detector.semantic, PARTIAL)) return { bound: first, wrapper: 'partial' };
  const callee = value.childForFieldName('function');
  if (callee?.type === 'identifier' && keepsArgument(callee.text, detector.semantic, keepers)) return { bound: first, wrapper: 'function' };
  return undefined;
}

function boundMethods(detector: Detector): void {
  const { paths, classes } = detector;
  const keepers = new Map<string, boolean>();
  for (const located of detector.located) {
    const { site } = located;
    if (site.value.type !== 'attribute' && site.value.type !== 'call') continue;
    const found = boundMethodOf(site.value, detector, keepers);
    const object = found?.bound.childForFieldName('object');
    const name = found?.bound.childForFieldName('attribute')?.text;
    const objectPath = object ? paths.pathOf(object, site.scope) : undefined;
    if (!found || !name || objectPath === undefined || !BARE_SELF.test(objectPath)) continue;
    const owner = paths.selfClassOf(objectPath);
    const method = owner ? classes.findMethod(owner, name) : undefined;
    if (!owner || !method || method.kind !== 'instance' || owner.isEnum || !storesInto(located, objectPath, detector)) continue;
    const what = found.wrapper === 'none' ? `bound method \`${found.bound.text}\`` : `a wrapper of bound method \`${found.bound.text}\``;
    record(detector, {
      kind: 'bound-method-on-self', edge: site, participant: owner,
      path: [edgeText(located, what, paths), `its \`__self__\` → \`${owner.name}\``],
      bound: found.bound, method, wrapper: found.wrapper,
    });
  }
}

/** The parameter names of a function after its first (`self`), in order. */
function parametersAfterSelf(definition: SyntaxNode): string[] {
  return (definition.childForFieldName('parameters')?.namedChildren ?? []).slice(1).map((parameter) =>
    (parameter.type === 'identifier' ? parameter : parameter.childForFieldName('name') ?? parameter.namedChild(0))?.text ?? '');
}

/**
 * `button.on_click(f)` where `on_click` is the one method of that name in the file and keeps its parameter on
 * `self` (`self.handlers.append(fn)`, `self.cb = fn`): the call stores `f` into `button.handlers` / `button.cb`.
 */
function storesThroughCalls(calls: readonly MethodCallSite[], stores: readonly StoreSite[], paths: ObjectPaths, classes: ClassModel, semantic: SemanticModel): StoreSite[] {
  const definitionOffsets = semantic.fact(CYCLE_STORE_FACTS).nestedDefOffsets;
  /** The methods of the file with that name, found through the `def` index (only their classes are read). */
  const methodsNamed = (name: string): MethodFacts[] => (definitionOffsets.get(name) ?? []).flatMap((offset) => {
    const definition = semantic.root.descendantForIndex(offset)?.parent;
    const method = definition?.type === 'function_definition' ? classes.methodOf(definition) : undefined;
    return method ? [method] : [];
  });
  const synthesized: StoreSite[] = [];
  for (const call of calls) {
    if (call.args.length === 0) continue;
    const candidates = methodsNamed(call.method);
    const method = candidates.length === 1 && candidates[0].kind === 'instance' ? candidates[0] : undefined;
    if (!method || !call.scope) continue;
    const parameters = parametersAfterSelf(method.definition);
    for (const inner of stores) {
      if (inner.scope?.id !== method.definition.id || inner.value.type !== 'identifier') continue;
      const index = parameters.indexOf(inner.value.text);
      const holder = paths.pathOf(inner.holder, inner.scope);
      const argument = call.args[index];
      if (index < 0 || !argument || holder === undefined || !/^@self#\d+(\.[A-Za-z_]\w*)*$/.test(holder)) continue;
      synthesized.push({ ...inner, statement: call.call, target: call.call, holder: call.receiver, value: argument, scope: call.scope, via: `${method.name}${holder.replace(/^@self#\d+/, '')}` });
    }
  }
  return synthesized;
}

export function computeCycleFacts(_root: SyntaxNode, semantic: SemanticModel): CycleFacts {
  const facts = semantic.fact(CYCLE_STORE_FACTS);
  if (facts.stores.length === 0) return { cycles: [] };
  const paths = semantic.fact(CYCLE_OBJECT_PATHS);
  const classes = semantic.fact(CYCLE_CLASS_MODEL);
  const located: Located[] = [];
  const byScope = new Map<number, Located[]>();
  for (const site of [...facts.stores, ...storesThroughCalls(facts.calls, facts.stores, paths, classes, semantic)]) {
    if (!site.scope) continue; // module and class level: names there are globals, not cells of a frame
    const receiver = paths.pathOf(site.holder, site.scope);
    // A call's store lands in the receiver's attribute the method names (`button` + `.handlers`).
    const holder = receiver === undefined || !site.via ? receiver : receiver + site.via.replace(/^[^.]*/, '');
    if (holder === undefined) continue;
    const entry = { site, holder, value: paths.pathOf(site.value, site.scope) };
    located.push(entry);
    const inScope = byScope.get(site.scope.id);
    if (inScope) inScope.push(entry);
    else byScope.set(site.scope.id, [entry]);
  }
  const detector: Detector = { semantic, paths, classes, located, byScope, cycles: [], reported: new Set() };
  boundMethods(detector);
  closures(detector);
  backReferencesAndSelfReferences(detector);
  detector.cycles.sort((a, b) => a.edge.statement.startIndex - b.edge.statement.startIndex);
  return { cycles: detector.cycles };
}

export const CYCLE_FACTS: DocumentFactKey<CycleFacts> = { name: 'reference cycles', compute: computeCycleFacts };
