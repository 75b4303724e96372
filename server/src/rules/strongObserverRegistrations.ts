// GCL303's second half: objects that register their own bound method (or themselves) on a longer-lived registry the file shows.
import { enclosingMethod, forEachLevelStatement, type ClassIndex, type ClassSketch } from '../semantic/classSketch';
import { type ContainerFact, type ContainerFacts, type ContainerUse } from '../semantic/containerFacts';
import { outermostFunction } from '../semantic/containerGrowth';
import { identifiersNamed } from '../semantic/textSearch';
import type { SyntaxNode } from '../syntax/syntaxTypes';

/** A call that hands an object's own bound method (or the object) to a registering function of the file. */
export interface Registration {
  readonly call: SyntaxNode;
  /** `self.on_event` or `self`. */
  readonly argument: SyntaxNode;
  /** The class whose instances get registered. */
  readonly registrant: ClassSketch;
  /** What is registered, as messages say it (`its bound method \`self.on_event\``, `itself`, `a lambda that uses \`self\``). */
  readonly what: string;
  /** The registering call's callee as written (`bus.subscribe`, `register_callback`). */
  readonly callee: string;
  /** How long the registry lives, as messages say it (`the module-level \`bus\` (until exit)`). */
  readonly lifetime: string;
}

function parameterNames(definition: SyntaxNode): string[] {
  return (definition.childForFieldName('parameters')?.namedChildren ?? []).map((parameter) => {
    if (parameter.type === 'identifier') return parameter.text;
    const name = parameter.childForFieldName('name') ?? parameter.namedChild(0);
    return name?.type === 'identifier' ? name.text : '';
  });
}

/** Module-level names bound to an instance of a file class: `bus = Bus()`. */
function moduleInstances(root: SyntaxNode, classes: ClassIndex): Map<string, ClassSketch> {
  const instances = new Map<string, ClassSketch>();
  forEachLevelStatement(root, (statement) => {
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    if (assignment?.type !== 'assignment') return;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    const callee = right?.type === 'call' ? right.childForFieldName('function') : null;
    const sketch = callee?.type === 'identifier' ? classes.get(callee.text) : undefined;
    if (left?.type === 'identifier' && sketch) instances.set(left.text, sketch);
  });
  return instances;
}

/** Which argument of a call of `registering` lands in the container: its parameter index (receiver dropped) and name. */
function storedParameter(registering: SyntaxNode, adds: readonly ContainerUse[], isMethod: boolean): { index: number; name: string } | undefined {
  const names = parameterNames(registering);
  const offset = isMethod ? 1 : 0;
  for (const use of adds) {
    for (const value of use.values) {
      const index = value.type === 'identifier' ? names.indexOf(value.text) : -1;
      if (index >= offset) return { index: index - offset, name: value.text };
    }
  }
  return undefined;
}

/** The argument a call passes for a parameter (by position or keyword). */
function argumentFor(call: SyntaxNode, parameter: { index: number; name: string }): SyntaxNode | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren.filter((arg) => arg.type !== 'comment') ?? [];
  const keyword = args.find((arg) => arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === parameter.name);
  if (keyword) return keyword.childForFieldName('value') ?? undefined;
  const positional = args.filter((arg) => arg.type !== 'keyword_argument');
  return positional[parameter.index];
}

/** Whether `node` mentions the name `receiver` (as an identifier) anywhere inside it. */
function mentions(node: SyntaxNode, receiver: string): boolean {
  return node.descendantsOfType('identifier').some((identifier) => identifier.text === receiver);
}

/**
 * What of the caller's own object the argument hands over, or undefined: `self.m` (a method of the caller's
 * class), `self`, `functools.partial(self.m, …)`, or a lambda that uses `self`; `self` being the receiver of the
 * method the call is in.
 */
function ownCallable(argument: SyntaxNode, call: SyntaxNode, classes: ClassIndex, resolve: (node: SyntaxNode) => string | undefined): { sketch: ClassSketch; what: string } | undefined {
  const method = enclosingMethod(call, classes);
  const receiver = method?.method.receiver;
  if (!method || !receiver || method.method.kind !== 'instance') return undefined;
  if (argument.type === 'identifier') return argument.text === receiver ? { sketch: method.sketch, what: 'itself' } : undefined;
  if (argument.type === 'attribute') {
    const object = argument.childForFieldName('object');
    const attribute = argument.childForFieldName('attribute')?.text ?? '';
    const own = object?.type === 'identifier' && object.text === receiver && method.sketch.methods.has(attribute);
    return own ? { sketch: method.sketch, what: `its bound method \`${argument.text}\`` } : undefined;
  }
  if (argument.type === 'lambda') {
    const body = argument.childForFieldName('body');
    return body && mentions(body, receiver) ? { sketch: method.sketch, what: `a lambda that uses \`${receiver}\`` } : undefined;
  }
  if (argument.type === 'call') {
    const callee = argument.childForFieldName('function');
    const first = argument.childForFieldName('arguments')?.namedChild(0);
    if (!callee || !first || resolve(callee) !== 'functools.partial') return undefined;
    const inner = ownCallable(first, call, classes, resolve);
    return inner ? { sketch: inner.sketch, what: `\`functools.partial\` of ${inner.what === 'itself' ? `\`${receiver}\`` : inner.what.replace('its bound method ', '')}` } : undefined;
  }
  return undefined;
}

/**
 * Calls of the functions that fill `fact` (a listener container nothing removes from) that pass the caller's own
 * bound method, the caller itself, a `functools.partial` of either or a lambda using it, on a registry that outlives it: a module-level instance (`bus.subscribe(…)`
 * after `bus = Bus()`), the class itself, or a module-level function.
 */
export function selfRegistrations(
  fact: ContainerFact,
  adds: readonly ContainerUse[],
  facts: ContainerFacts,
  root: SyntaxNode,
  resolve: (node: SyntaxNode) => string | undefined,
): Registration[] {
  const registrations: Registration[] = [];
  const instances = moduleInstances(root, facts.classes);
  const registeringFunctions = new Set(adds.map((use) => outermostFunction(use.function, facts.functions)).filter((f): f is SyntaxNode => f !== null));
  for (const registering of registeringFunctions) {
    const nameNode = registering.childForFieldName('name');
    if (!nameNode) continue;
    const owner = enclosingMethod(registering.childForFieldName('body') ?? registering, facts.classes);
    const isMethod = owner?.method.node.id === registering.id && owner.method.kind !== 'static';
    const parameter = storedParameter(registering, adds.filter((use) => outermostFunction(use.function, facts.functions)?.id === registering.id), isMethod);
    if (!parameter) continue;
    for (const identifier of identifiersNamed(root, facts.text, [nameNode.text])) {
      if (identifier.id === nameNode.id) continue;
      const callee = identifier.parent?.type === 'attribute' ? identifier.parent : identifier;
      const call = callee.parent;
      if (call?.type !== 'call' || call.childForFieldName('function')?.id !== callee.id || !facts.functions.innermost(call)) continue;
      let lifetime: string | undefined;
      if (callee.type === 'identifier') {
        lifetime = owner ? undefined : 'the module (until exit)'; // a module-level function fills a module-level container
      } else if (owner) {
        const object = callee.childForFieldName('object');
        const instance = object?.type === 'identifier' ? instances.get(object.text) : undefined;
        // A class-level container is reached through the class; an instance container only through a module-level instance.
        if (instance?.name === owner.sketch.name) lifetime = `the module-level \`${object?.text ?? ''}\` (until exit)`;
        else if (object?.text === owner.sketch.name && fact.owner.kind !== 'instance') lifetime = `the class \`${owner.sketch.name}\` (until exit)`;
      }
      const argument = lifetime ? argumentFor(call, parameter) : undefined;
      const own = argument ? ownCallable(argument, call, facts.classes, resolve) : undefined;
      if (!lifetime || !argument || !own || own.sketch.name === owner?.sketch.name) continue;
      registrations.push({ call, argument, registrant: own.sketch, what: own.what, callee: callee.text, lifetime });
    }
  }
  return registrations;
}
