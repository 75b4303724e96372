// Random-program statements of levels 5 and 6: functions, closures, exceptions, context managers, generators, weak containers.

export type ClassKind = 'plain' | 'finalized' | 'slots';

export interface ClassInfo {
  readonly name: string;
  readonly kind: ClassKind;
}

export type WeakContainerKind = 'WeakValueDictionary' | 'WeakKeyDictionary' | 'WeakSet';

/** What a module-level name is bound to, as far as the generator must know to emit only valid statements. */
export type UnboundBinding =
  | { readonly kind: 'instance'; readonly cls: ClassInfo }
  | { readonly kind: 'list'; length: number }
  | { readonly kind: 'dict' }
  | { readonly kind: 'weakref' }
  | { readonly kind: 'finalizer' }
  | { readonly kind: 'callable' }
  | { readonly kind: 'weak-container'; readonly container: WeakContainerKind }
  /** `nexts`: how many values were taken (at most the two it yields, so it never raises StopIteration). */
  | { readonly kind: 'generator'; nexts: number };

/** A binding and the number of the object it names (aliases share it). */
export type Binding = UnboundBinding & { readonly object: number };

/** What the statement emitters need from the program being built. */
export interface ProgramContext {
  readonly level: number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  fresh(prefix: string): string;
  emit(line: string): void;
  values(): string[];
  instances(filter?: (cls: ClassInfo) => boolean): string[];
  namesOf(kind: Binding['kind']): string[];
  binding(name: string): Binding | undefined;
  bindNew(name: string, binding: UnboundBinding): void;
  classNamed(name: string): ClassInfo;
}

/** The context manager class of level 6: finalized, and with the `name` and `method` every instance has there. */
const SCOPE: ClassInfo = { name: 'Scope', kind: 'finalized' };

/** Module functions (level 5), and from level 6 the context manager class and a generator with a `finally`. */
export function defineCallHelpers(context: ProgramContext): void {
  const lines = [
    'def bind(obj):', '    def handler():', '        return obj.name', '    obj.handler = handler', '    return handler', '',
    'def make_pair(tag):', '    first = Node1(tag + "-first")', '    second = Node2(tag + "-second")', '    first.link = second',
    '    second.link = first', '    return first', '',
    'def fail(obj, message):', '    holder = [obj]', '    raise ValueError(message)', '',
    'def remember(obj, seen=[]):', '    seen.append(obj)', '    return len(seen)', '',
  ];
  if (context.level >= 6) {
    lines.push(
      'class Scope:', '    def __init__(self, name):', '        self.name = name', '    def __enter__(self):', '        print("enter", self.name)',
      '        return self', '    def __exit__(self, kind, value, traceback):', '        print("exit", self.name, kind is not None)',
      '        return True', '    def __del__(self):', '        print("del Scope", self.name)', '    def method(self):', '        return self.name', '',
      'def produce(obj):', '    try:', '        yield obj.name', '        yield "second"', '    finally:', '        print("generator finally", obj.name)', '',
    );
  }
  context.emit(lines.join('\n'));
}

function functionStatement(context: ProgramContext): void {
  const open = context.instances((cls) => cls.kind !== 'slots');
  const values = context.values();
  const choice = context.pick(['closure', 'method', 'pair', 'raise', 'remember']);
  if (choice === 'closure' && open.length > 0) {
    const target = context.pick(open);
    if (context.chance(0.5)) {
      context.emit(`bind(${target})`);
      return;
    }
    const name = context.fresh('h');
    context.emit(`${name} = bind(${target})`);
    context.bindNew(name, { kind: 'callable' });
    if (context.chance(0.5)) context.emit(`print("handler", ${name}())`);
  } else if (choice === 'method' && open.length > 0) {
    const target = context.pick(open);
    context.emit(`${target}.cb = ${target}.method`);
    if (context.chance(0.5)) context.emit(`print("method", ${target}.cb())`);
  } else if (choice === 'pair') {
    const name = context.fresh('p');
    context.emit(`${name} = make_pair("${name}")`);
    context.bindNew(name, { kind: 'instance', cls: context.classNamed('Node1') });
  } else if (choice === 'raise' && values.length > 0) {
    const message = context.fresh('m');
    context.emit(['try:', `    fail(${context.pick(values)}, "${message}")`, 'except ValueError as error:', '    print("caught", error)'].join('\n'));
  } else if (values.length > 0) {
    context.emit(`print("remember", remember(${context.pick(values)}))`);
  }
}

function withStatement(context: ProgramContext): void {
  const name = context.fresh('s');
  const values = context.values();
  if (values.length > 0 && context.chance(0.4)) {
    // The exception (its traceback holding fail's frame and `holder`) lives until __exit__ swallows it.
    context.emit([`with Scope("${name}"):`, `    fail(${context.pick(values)}, "${context.fresh('m')}")`, `print("after ${name}")`].join('\n'));
    return;
  }
  const held = values.length > 0 ? `    ${name}.held = ${context.pick(values)}\n` : '';
  context.emit(`with Scope("${name}") as ${name}:\n${held}    print("inside ${name}")`);
  context.bindNew(name, { kind: 'instance', cls: SCOPE });
}

function generatorStatement(context: ProgramContext): void {
  const started = context.namesOf('generator').filter((name) => {
    const binding = context.binding(name);
    return binding?.kind === 'generator' && binding.nexts < 2;
  });
  if (started.length > 0 && context.chance(0.5)) {
    const name = context.pick(started);
    const binding = context.binding(name);
    if (binding?.kind === 'generator') binding.nexts++;
    context.emit(`print("next", next(${name}))`);
    return;
  }
  const open = context.instances((cls) => cls.kind !== 'slots');
  const targets = context.instances();
  if (targets.length === 0) return;
  const target = context.pick(targets);
  const name = context.fresh('g');
  context.emit(`${name} = produce(${target})`);
  const binding: UnboundBinding = { kind: 'generator', nexts: 0 };
  if (context.chance(0.7)) {
    context.emit(`print("next", next(${name}))`);
    binding.nexts = 1;
  }
  context.bindNew(name, binding);
  // A generator suspended in its try, held by the instance its frame holds: a cycle with a finalizer.
  if (open.includes(target) && context.chance(0.4)) context.emit(`${target}.gen = ${name}`);
}

function weakContainerStatement(context: ProgramContext): void {
  const containers = context.namesOf('weak-container');
  const targets = context.instances();
  if (containers.length === 0 || targets.length === 0 || context.chance(0.25)) {
    const container = context.pick<WeakContainerKind>(['WeakValueDictionary', 'WeakKeyDictionary', 'WeakSet']);
    const name = context.fresh(container === 'WeakSet' ? 'ws' : container === 'WeakKeyDictionary' ? 'wk' : 'wv');
    context.emit(`${name} = weakref.${container}()`);
    context.bindNew(name, { kind: 'weak-container', container });
    return;
  }
  const name = context.pick(containers);
  const binding = context.binding(name);
  if (binding?.kind !== 'weak-container') return;
  if (context.chance(0.3)) {
    // Only sizes and sorted string keys: a WeakSet's or WeakKeyDictionary's order follows object addresses.
    context.emit(binding.container === 'WeakValueDictionary' ? `print("${name}", len(${name}), sorted(${name}.keys()))` : `print("${name}", len(${name}))`);
    return;
  }
  const target = context.pick(targets);
  if (binding.container === 'WeakValueDictionary') context.emit(`${name}["${context.fresh('k')}"] = ${target}`);
  else if (binding.container === 'WeakKeyDictionary') context.emit(`${name}[${target}] = "${context.fresh('v')}"`);
  else context.emit(`${name}.add(${target})`);
}

/** One statement of levels 5 and up. */
export function callsStatement(context: ProgramContext): void {
  if (context.level < 6) {
    functionStatement(context);
    return;
  }
  context.pick([functionStatement, withStatement, generatorStatement, weakContainerStatement])(context);
}
