// Whether a container only grows after import (runtime additions, no way out) and whether it holds callbacks or observers.
import { ancestorsBelow } from '../syntax/ancestry';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { enclosingMethod, type ClassSketch } from './classSketch';
import { CONTAINER_FACTS, type ContainerFact, type ContainerFacts, type ContainerUse } from './containerFacts';
import type { DocumentFactKey, SemanticModel } from './semanticModel';
import type { FunctionIndex } from './functionIndex';
import { IdentifiersNamed, mayBind } from './textSearch';

/** Methods that run when a class is created (normally at import), not per call. */
const CLASS_CREATION_METHODS = new Set(['__init_subclass__', '__set_name__', '__class_getitem__']);
/** Names of listener containers and of the functions that register listeners. */
const LISTENER_CONTAINER = /(listener|observer|callback|handler|subscriber|hook|watcher|receiver|_cbs?)s?$/i;
const LISTENER_FUNCTION = /subscribe|listen|observe|callback|handler|hook|watch|connect|^on_?$|^add_receiver/i;
/** Calls that wrap what they store in a weak reference. */
const WEAK_WRAPPERS = new Set(['weakref.ref', 'weakref.WeakMethod', 'weakref.proxy']);

/** The module-level function or method (a def not nested in another def) that `node` runs in, if any. */
export function outermostFunction(innermost: SyntaxNode | null, functions: FunctionIndex): SyntaxNode | null {
  let outer: SyntaxNode | null = null;
  for (let current = innermost; current; current = functions.innermost(current)) {
    if (current.type === 'function_definition') outer = current;
  }
  return outer;
}

function isInDecorator(node: SyntaxNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'decorator') return true;
    if (current.type.endsWith('statement') || current.type === 'block') return false;
  }
  return false;
}

/** `register(x)` or `Cls.register(x)`: the name is the callee of a call. */
function isImportTimeCall(identifier: SyntaxNode): boolean {
  const callee = identifier.parent?.type === 'attribute' ? identifier.parent : identifier;
  return callee.parent?.type === 'call' && callee.parent.childForFieldName('function')?.id === callee.id;
}

function isMetaclass(sketch: ClassSketch): boolean {
  return sketch.bases.some((base) => base === 'type' || base.endsWith('Meta') || base.endsWith('Metaclass'));
}

/**
 * Whether the code of `definition` (a module-level function or a method) only runs while the module or its classes
 * are being created: it is used, in this file, only as a decorator or called from module or class level, at least
 * once; or it is a class-creation hook (`__init_subclass__`, a metaclass's `__new__`/`__init__`). A function the
 * file never uses is public API: it runs whenever its importers call it.
 */
function runsOnlyAtImport(definition: SyntaxNode, facts: ContainerFacts, root: SyntaxNode, cache: Map<number, boolean>): boolean {
  const cached = cache.get(definition.id);
  if (cached !== undefined) return cached;
  const name = definition.childForFieldName('name');
  let answer = false;
  const method = enclosingMethod(definition.childForFieldName('body') ?? definition, facts.classes);
  if (name && method?.method.node.id === definition.id
    && (CLASS_CREATION_METHODS.has(name.text) || (isMetaclass(method.sketch) && (name.text === '__new__' || name.text === '__init__')))) {
    answer = true;
  } else if (name) {
    // Every reference (but in a function that binds the name itself, `for rule in _rules`: its own local there) is a
    // decorator or a call at import time, and there is one; looked up one by one, up to the first that is not.
    const hits = new IdentifiersNamed(root, facts.text, name.text);
    let referenced = false;
    answer = true;
    for (let index = 0; index < hits.offsets.length && answer; index++) {
      const identifier = hits.nodeAt(index);
      if (!identifier || identifier.id === name.id) continue;
      const inside = facts.functions.innermost(identifier);
      if (inside && mayBind(facts.text, name.text, inside.startIndex, inside.endIndex)) continue;
      referenced = true;
      answer = inside === null && (isInDecorator(identifier) || isImportTimeCall(identifier));
    }
    answer &&= referenced;
  }
  cache.set(definition.id, answer);
  return answer;
}

/**
 * The add sits under `if not C:` (a one-time lazy fill), under a test of its size or contents (`if len(C) < 100:`,
 * `if C[2] != x:`: bounded or done once), or after `if C: return …` in its function.
 */
function isLazyFill(use: ContainerUse, fact: ContainerFact, text: string): boolean {
  if (!use.function) return false;
  const name = (use.alias ?? fact.name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A text test on the function's source first: most functions have no `if` about the container at all.
  const source = text.slice(use.function.startIndex, use.node.startIndex);
  if (!source.includes(use.alias ?? fact.name) || !/\bif\b/.test(source)) return false;
  if (!new RegExp(`\\bif\\s+(?:not\\s+(?:len\\()?|len\\()?(?:[\\w.()]*\\.)?${name}\\b`).test(source)) return false;
  const empty = new RegExp(`^not\\s+(?:[\\w.()]*\\.)?${name}$|^(?:[\\w.()]*\\.)?${name}\\s+is\\s+None$|\\blen\\((?:[\\w.()]*\\.)?${name}\\)|^(?:[\\w.()]*\\.)?${name}\\[`);
  const filled = new RegExp(`^(?:[\\w.()]*\\.)?${name}$`);
  // The blocks between the use and its function, walked down from the function (climbing costs depth² natively).
  for (const current of ancestorsBelow(use.function, use.node)) {
    if (current.id !== use.function.id && current.type === 'if_statement' && empty.test(current.childForFieldName('condition')?.text ?? '')) return true;
  }
  const body = use.function.childForFieldName('body');
  for (const statement of body?.namedChildren ?? []) {
    if (statement.startIndex >= use.node.startIndex) break;
    if (statement.type === 'if_statement' && filled.test(statement.childForFieldName('condition')?.text ?? '')
      && statement.childForFieldName('consequence')?.namedChildren.some((s) => s.type === 'return_statement')) {
      return true;
    }
  }
  return false;
}

export interface Growth {
  /** Owned additions that run after import: in functions other code calls at run time. */
  readonly runtimeAdds: readonly ContainerUse[];
  /** The first removal, rebinding or escape anywhere in the file (through any receiver), if any. */
  readonly wayOut: ContainerUse | undefined;
}

/** Facts about one document's containers' growth, with the per-function answers cached across containers. */
export class GrowthAnalysis {
  private readonly importOnly = new Map<number, boolean>();
  private readonly growth = new Map<ContainerFact, Growth>();

  constructor(private readonly facts: ContainerFacts, private readonly root: SyntaxNode) {}

  of(fact: ContainerFact): Growth {
    let growth = this.growth.get(fact);
    if (!growth) {
      const runtimeAdds = fact.uses.filter((use) => {
        if (use.kind !== 'add' || !use.owned || !use.function) return false;
        const outer = outermostFunction(use.function, this.facts.functions);
        if (outer && runsOnlyAtImport(outer, this.facts, this.root, this.importOnly)) return false;
        return !isLazyFill(use, fact, this.facts.text);
      });
      const wayOut = fact.uses.find((use) => use.kind === 'remove' || use.kind === 'rebind' || use.kind === 'escape');
      this.growth.set(fact, (growth = { runtimeAdds, wayOut }));
    }
    return growth;
  }
}

/** The name of the function an add runs in, as messages show it (`register()`, `Bus.subscribe()`). */
export function adderName(use: ContainerUse, facts: ContainerFacts): string {
  const { classes } = facts;
  const outer = outermostFunction(use.function, facts.functions);
  const name = outer?.childForFieldName('name')?.text ?? 'a lambda';
  const method = outer ? enclosingMethod(outer.childForFieldName('body') ?? outer, classes) : undefined;
  return method ? `${method.sketch.name}.${name}()` : `${name}()`;
}

/** Whether every value the additions store is wrapped in a weak reference (`weakref.ref(x)`, `WeakMethod(m)`). */
export function storesOnlyWeakReferences(adds: readonly ContainerUse[], qualifiedName: (node: SyntaxNode) => string | undefined): boolean {
  return adds.length > 0 && adds.every((use) => use.values.length > 0 && use.values.every((value) => {
    const callee = value.type === 'call' ? value.childForFieldName('function') : null;
    const name = callee ? qualifiedName(callee) : undefined;
    return name !== undefined && WEAK_WRAPPERS.has(name);
  }));
}

export type ListenerEvidence = 'elements-called' | 'container-name' | 'registering-function' | undefined;

/**
 * Why the container is a listener registry (callbacks or observers), or undefined: its elements are called when
 * iterated, or its name or the name of a function adding to it says so (`_listeners`, `subscribe`, `add_handler`).
 */
export function listenerEvidence(fact: ContainerFact, adds: readonly ContainerUse[], functions: FunctionIndex): ListenerEvidence {
  if (fact.uses.some((use) => use.elements === 'called')) return 'elements-called';
  if (LISTENER_CONTAINER.test(fact.name)) return 'container-name';
  if (adds.some((use) => LISTENER_FUNCTION.test(outermostFunction(use.function, functions)?.childForFieldName('name')?.text ?? ''))) return 'registering-function';
  return undefined;
}

/** The document's containers' growth, shared by GCL302 and GCL303. */
export const CONTAINER_GROWTH: DocumentFactKey<GrowthAnalysis> = {
  name: 'container-growth',
  compute: (root, semantic) => new GrowthAnalysis(semantic.fact(CONTAINER_FACTS), root),
};

/** Methods whose presence says the class offers a way out for its listeners. */
const WAY_OUT_METHOD = /^_*(remove|unsubscribe|unregister|disconnect|detach|off|discard|clear|reset|del|drop|unbind|unwatch|unlisten)/i;

/** Names of the parameters of `node`'s enclosing functions (a value from one of them was handed in from outside). */
function parametersAround(innermost: SyntaxNode | null, functions: FunctionIndex): Set<string> {
  const names = new Set<string>();
  for (let current = innermost; current; current = functions.innermost(current)) {
    for (const parameter of current.childForFieldName('parameters')?.namedChildren ?? []) {
      const name = parameter.type === 'identifier' ? parameter : parameter.childForFieldName('name') ?? parameter.namedChild(0);
      if (name?.type === 'identifier') names.add(name.text);
    }
  }
  return names;
}

/** Additions that store a value the registering function was given (a parameter), not one it made itself. */
function registeredFromOutside(adds: readonly ContainerUse[], functions: FunctionIndex): ContainerUse[] {
  return adds.filter((use) => {
    const parameters = parametersAround(use.function, functions);
    return use.values.some((value) => value.type === 'identifier' && parameters.has(value.text));
  });
}

function classOffersWayOut(fact: ContainerFact): boolean {
  if (fact.owner.kind === 'module') return false;
  return fact.owner.sketch.hasMethod((name) => WAY_OUT_METHOD.test(name));
}

/** A listener registry with no way out, and the additions that register listeners into it. */
export interface ListenerRegistry {
  readonly fact: ContainerFact;
  readonly adds: readonly ContainerUse[];
}

function listenerRegistries(_root: SyntaxNode, semantic: SemanticModel): ListenerRegistry[] {
  const facts = semantic.fact(CONTAINER_FACTS);
  const growth = semantic.fact(CONTAINER_GROWTH);
  const found: ListenerRegistry[] = [];
  for (const fact of facts.growable) {
    if (fact.shape.weak || fact.shape.bounded) continue;
    const { runtimeAdds, wayOut } = growth.of(fact);
    if (wayOut || runtimeAdds.length === 0 || classOffersWayOut(fact)) continue;
    if (storesOnlyWeakReferences(runtimeAdds, (node) => semantic.qualifiedName(node))) continue;
    if (listenerEvidence(fact, runtimeAdds, facts.functions) === undefined) continue;
    const adds = registeredFromOutside(runtimeAdds, facts.functions);
    if (adds.length > 0) found.push({ fact, adds });
  }
  return found;
}

/** The listener registries GCL303 reports (and GCL302 therefore leaves alone): one leak, one finding. */
export const LISTENER_REGISTRIES: DocumentFactKey<readonly ListenerRegistry[]> = { name: 'listener-registries', compute: listenerRegistries };
