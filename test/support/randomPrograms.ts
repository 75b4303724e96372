// Seeded random Python programs from the GC simulator's subset, in levels of growing complexity, for differential tests.
import { seededRandom } from './seededRandom';

/**
 * Each level adds features to the ones below it. Programs never raise, never trigger an automatic collection
 * (few allocations after a first gc.collect()), and drop every object they made before they end, so what
 * they print does not depend on how an interpreter tears a module down.
 */
export const PROGRAM_LEVELS = [
  { level: 1, name: 'refcounting', features: 'classes with and without __del__, instances, aliases, attributes, lists, dicts, del, rebinding' },
  { level: 2, name: 'cycles', features: '+ self, pair and container cycles, gc.collect() with its return value printed' },
  { level: 3, name: 'weakrefs', features: '+ weakref.ref with printing callbacks, weakref.finalize, __slots__ classes' },
  { level: 4, name: 'introspection', features: '+ sys.getrefcount at module level, reprs of instances and containers, gc.is_tracked' },
  { level: 5, name: 'functions', features: '+ closures holding instances in cells, bound methods stored on self, a mutable default, cycles made in a function, exceptions raised in a function and caught' },
] as const;
export type ProgramLevel = (typeof PROGRAM_LEVELS)[number]['level'];

export interface GeneratedProgram {
  readonly seed: number;
  readonly level: ProgramLevel;
  readonly source: string;
}

type ClassKind = 'plain' | 'finalized' | 'slots';

interface ClassInfo {
  readonly name: string;
  readonly kind: ClassKind;
}

/** What a module-level name is bound to, as far as the generator must know to emit only valid statements. */
type Binding = { readonly object: number } & (
  | { readonly kind: 'instance'; readonly cls: ClassInfo }
  | { readonly kind: 'list'; length: number }
  | { readonly kind: 'dict' }
  | { readonly kind: 'weakref' }
  | { readonly kind: 'finalizer' }
  | { readonly kind: 'callable' }
);

/** Upper bound of statements in a program's body: keeps allocations far below the 700-object gen-0 threshold. */
const MAX_BODY_STATEMENTS = 40;

class ProgramBuilder {
  private readonly random: () => number;
  private readonly lines: string[] = [];
  private readonly names = new Map<string, Binding>();
  private readonly classes: ClassInfo[] = [];
  private counter = 0;
  private objects = 0;
  private step = 0;

  constructor(readonly seed: number, readonly level: ProgramLevel) {
    this.random = seededRandom(seed);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private chance(probability: number): boolean {
    return this.random() < probability;
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  /** A new object's number: objects only refer to older ones below level 2, so level 1 makes no cycles. */
  private newObject(): number {
    return this.objects++;
  }

  /** Whether storing `value`'s object in `holder`'s keeps level 1 acyclic (always true from level 2). */
  private mayStore(holder: string, value: string): boolean {
    return this.level >= 2 || this.names.get(value)!.object < this.names.get(holder)!.object;
  }

  private namesOf(kind: Binding['kind']): string[] {
    return [...this.names].filter(([, binding]) => binding.kind === kind).map(([name]) => name);
  }

  private instances(filter: (cls: ClassInfo) => boolean = () => true): string[] {
    return [...this.names].filter(([, binding]) => binding.kind === 'instance' && filter(binding.cls)).map(([name]) => name);
  }

  /** Names whose objects can be stored anywhere: instances, lists, dicts. */
  private values(): string[] {
    return [...this.names].filter(([, binding]) => binding.kind === 'instance' || binding.kind === 'list' || binding.kind === 'dict').map(([name]) => name);
  }

  private emit(line: string): void {
    this.lines.push(line);
  }

  private defineClasses(): void {
    const kinds: ClassKind[] = ['plain', 'finalized', 'finalized'];
    if (this.level >= 3) kinds.push('slots');
    kinds.forEach((kind, index) => {
      const name = `${kind === 'plain' ? 'Plain' : kind === 'slots' ? 'Slotted' : 'Node'}${index}`;
      this.classes.push({ name, kind });
      this.emit(`class ${name}:`);
      if (kind === 'slots') this.emit('    __slots__ = ("name", "link", "__weakref__")');
      this.emit('    def __init__(self, name):');
      this.emit('        self.name = name');
      if (kind === 'slots') this.emit('        self.link = None');
      if (kind !== 'plain') {
        this.emit('    def __del__(self):');
        this.emit(`        print("del ${name}", self.name)`);
      }
      if (this.level >= 5) {
        this.emit('    def method(self):');
        this.emit('        return self.name');
      }
      this.emit('');
    });
  }

  /** Level 5's module functions: a closure over an instance, a cycle made inside a call, a raise, a mutable default. */
  private defineFunctions(): void {
    this.emit(
      [
        'def bind(obj):', '    def handler():', '        return obj.name', '    obj.handler = handler', '    return handler', '',
        'def make_pair(tag):', '    first = Node1(tag + "-first")', '    second = Node2(tag + "-second")', '    first.link = second',
        '    second.link = first', '    return first', '',
        'def fail(obj, message):', '    holder = [obj]', '    raise ValueError(message)', '',
        'def remember(obj, seen=[]):', '    seen.append(obj)', '    return len(seen)', '',
      ].join('\n'),
    );
  }

  private functionStatement(): void {
    const open = this.instances((cls) => cls.kind !== 'slots');
    const choice = this.pick(['closure', 'method', 'pair', 'raise', 'remember']);
    if (choice === 'closure' && open.length > 0) {
      const target = this.pick(open);
      if (this.chance(0.5)) {
        this.emit(`bind(${target})`);
        return;
      }
      const name = this.fresh('h');
      this.emit(`${name} = bind(${target})`);
      this.names.set(name, { kind: 'callable', object: this.newObject() });
      if (this.chance(0.5)) this.emit(`print("handler", ${name}())`);
    } else if (choice === 'method' && open.length > 0) {
      const target = this.pick(open);
      this.emit(`${target}.cb = ${target}.method`);
      if (this.chance(0.5)) this.emit(`print("method", ${target}.cb())`);
    } else if (choice === 'pair') {
      const name = this.fresh('p');
      this.emit(`${name} = make_pair("${name}")`);
      this.names.set(name, { kind: 'instance', cls: this.classes[1], object: this.newObject() });
    } else if (choice === 'raise' && this.values().length > 0) {
      const message = this.fresh('m');
      this.emit(['try:', `    fail(${this.pick(this.values())}, "${message}")`, 'except ValueError as error:', '    print("caught", error)'].join('\n'));
    } else if (this.values().length > 0) {
      this.emit(`print("remember", remember(${this.pick(this.values())}))`);
    }
  }

  private newInstance(target?: string): void {
    const cls = this.pick(this.classes);
    const name = target ?? this.fresh('o');
    this.emit(`${name} = ${cls.name}("${name}")`);
    this.names.set(name, { kind: 'instance', cls, object: this.newObject() });
  }

  private alias(): void {
    const source = this.pick(this.values());
    const name = this.fresh(source[0]);
    this.emit(`${name} = ${source}`);
    // The same binding object: an alias and its source see the same list length.
    this.names.set(name, this.names.get(source)!);
  }

  private link(): void {
    const holder = this.pick(this.instances());
    const candidates = this.values().filter((name) => this.mayStore(holder, name));
    const value = this.pick(candidates.length > 0 ? candidates : ['None']);
    const binding = this.names.get(holder);
    const slots = binding?.kind === 'instance' && binding.cls.kind === 'slots';
    const attribute = slots ? 'link' : this.pick(['link', 'other', 'peer']);
    this.emit(`${holder}.${attribute} = ${value}`);
  }

  private newContainer(): void {
    const stored = this.values();
    const count = Math.min(stored.length, Math.floor(this.random() * 3));
    const items = Array.from({ length: count }, () => this.pick(stored));
    const object = this.newObject();
    if (this.chance(0.5)) {
      const name = this.fresh('l');
      this.emit(`${name} = [${items.join(', ')}]`);
      this.names.set(name, { kind: 'list', length: items.length, object });
    } else {
      const name = this.fresh('d');
      this.emit(`${name} = {${items.map((item, index) => `"k${index}": ${item}`).join(', ')}}`);
      this.names.set(name, { kind: 'dict', object });
    }
  }

  private storeInContainer(): void {
    const container = this.pick([...this.namesOf('list'), ...this.namesOf('dict')]);
    const candidates = this.values().filter((name) => this.mayStore(container, name));
    if (candidates.length === 0) return;
    const value = this.pick(candidates);
    const binding = this.names.get(container)!;
    if (binding.kind === 'list') {
      this.emit(`${container}.append(${value})`);
      binding.length++;
    } else {
      this.emit(`${container}["${this.fresh('k')}"] = ${value}`);
    }
  }

  private removeFromContainer(): void {
    const containers = [...this.namesOf('list'), ...this.namesOf('dict')];
    const container = this.pick(containers);
    const binding = this.names.get(container)!;
    if (binding.kind === 'list' && binding.length > 0 && this.chance(0.6)) {
      this.emit(this.chance(0.5) ? `del ${container}[0]` : `${container}.pop()`);
      binding.length--;
    } else {
      this.emit(`${container}.clear()`);
      if (binding.kind === 'list') binding.length = 0;
    }
  }

  private drop(): void {
    const name = this.pick([...this.names.keys()]);
    if (this.chance(0.7)) this.emit(`del ${name}`);
    else this.emit(`${name} = None`);
    this.names.delete(name);
  }

  private cycle(): void {
    const shape = this.pick(['self', 'pair', 'list', 'dict']);
    const a = this.fresh('c');
    const cls = this.pick(this.classes.filter((entry) => entry.kind !== 'slots'));
    this.emit(`${a} = ${cls.name}("${a}")`);
    this.names.set(a, { kind: 'instance', cls, object: this.newObject() });
    if (shape === 'self') {
      this.emit(`${a}.link = ${a}`);
    } else if (shape === 'pair') {
      const b = this.fresh('c');
      const other = this.pick(this.classes);
      this.emit(`${b} = ${other.name}("${b}")`);
      this.emit(`${a}.link = ${b}`);
      this.emit(`${b}.link = ${a}`);
      this.names.set(b, { kind: 'instance', cls: other, object: this.newObject() });
    } else if (shape === 'list') {
      const l = this.fresh('l');
      this.emit(`${l} = [${a}]`);
      this.emit(`${a}.items = ${l}`);
      this.names.set(l, { kind: 'list', length: 1, object: this.newObject() });
    } else {
      const d = this.fresh('d');
      this.emit(`${d} = {"owner": ${a}}`);
      this.emit(`${a}.registry = ${d}`);
      this.names.set(d, { kind: 'dict', object: this.newObject() });
    }
  }

  private collect(): void {
    this.emit(`print("collect", gc.collect())`);
  }

  private weakref(): void {
    const targets = this.instances();
    const target = this.pick(targets);
    const name = this.fresh('w');
    const callback = this.chance(0.7) ? `, lambda ref: print("callback ${name}")` : '';
    this.emit(`${name} = weakref.ref(${target}${callback})`);
    this.names.set(name, { kind: 'weakref', object: this.newObject() });
  }

  private checkWeakref(): void {
    const name = this.pick(this.namesOf('weakref'));
    this.emit(`print("${name} alive", ${name}() is not None)`);
  }

  private finalizer(): void {
    const target = this.pick(this.instances());
    const name = this.fresh('f');
    if (this.chance(0.5)) {
      this.emit(`${name} = weakref.finalize(${target}, print, "finalize ${name}")`);
      this.names.set(name, { kind: 'finalizer', object: this.newObject() });
    } else {
      this.emit(`weakref.finalize(${target}, print, "finalize ${name}")`);
    }
  }

  private introspect(): void {
    const choice = this.pick(['refcount', 'repr', 'repr', 'tracked']);
    const value = this.pick(this.values());
    if (choice === 'refcount') this.emit(`print("refcount ${value}", sys.getrefcount(${value}))`);
    else if (choice === 'repr') this.emit(`print(${value})`);
    else this.emit(`print("tracked ${value}", gc.is_tracked(${value}))`);
  }

  /** One statement of the body, chosen among those valid for the names bound so far. */
  private statement(): void {
    const options: (() => void)[] = [() => this.newInstance()];
    const hasValues = this.values().length > 0;
    if (this.names.size > 0) options.push(() => this.drop(), () => this.drop());
    if (hasValues) options.push(() => this.alias(), () => this.newContainer());
    if (this.instances().length > 0) options.push(() => this.link(), () => this.newInstance(this.pick(this.instances())));
    if (this.namesOf('list').length + this.namesOf('dict').length > 0) options.push(() => this.storeInContainer(), () => this.removeFromContainer());
    if (this.level >= 2) options.push(() => this.cycle(), () => this.collect());
    if (this.level >= 3 && this.instances().length > 0) options.push(() => this.weakref(), () => this.finalizer());
    if (this.level >= 3 && this.namesOf('weakref').length > 0) options.push(() => this.checkWeakref());
    if (this.level >= 4 && hasValues) options.push(() => this.introspect(), () => this.introspect());
    if (this.level >= 5) options.push(() => this.functionStatement(), () => this.functionStatement(), () => this.functionStatement());
    this.pick(options)();
    if (this.chance(0.3)) this.emit(`print("step", ${this.step++})`);
  }

  build(): string {
    this.emit('import gc');
    if (this.level >= 4) this.emit('import sys');
    if (this.level >= 3) this.emit('import weakref');
    this.emit('');
    this.emit('gc.collect()');
    this.emit('');
    this.defineClasses();
    if (this.level >= 5) this.defineFunctions();
    const statements = 8 + Math.floor(this.random() * (MAX_BODY_STATEMENTS - 8));
    for (let i = 0; i < statements; i++) this.statement();
    // Drop everything the program made, so nothing is left for interpreter teardown to finalize.
    const left = [...this.names.keys()];
    if (left.length > 0) this.emit(`del ${left.join(', ')}`);
    // remember's default list still holds what it was given.
    if (this.level >= 5) this.emit('del remember');
    this.emit(this.level >= 2 ? 'print("final collect", gc.collect())' : 'gc.collect()');
    this.emit('print("end")');
    return `${this.lines.join('\n')}\n`;
  }
}

export function generateProgram(seed: number, level: ProgramLevel): GeneratedProgram {
  return { seed, level, source: new ProgramBuilder(seed, level).build() };
}
