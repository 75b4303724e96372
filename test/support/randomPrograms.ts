// Seeded random Python programs from the GC simulator's subset, in levels of growing complexity, for differential tests.
import { seededRandom } from './seededRandom';
import { collectorEpilogue, collectorPrologue, collectorStatement, type CollectorState } from './randomProgramsCollector';
import { callsStatement, defineCallHelpers, type Binding, type ClassInfo, type ClassKind, type ProgramContext, type UnboundBinding } from './randomProgramsCalls';

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
  { level: 6, name: 'protocols', features: '+ context managers (one swallowing an exception), generators closed by refcount or by the collector, WeakValueDictionary, WeakKeyDictionary, WeakSet' },
  { level: 7, name: 'collector', features: '+ low thresholds and automatic collections in allocation loops, gc.collect(generation), gc.disable/enable, DEBUG_SAVEALL and gc.garbage' },
] as const;

/**
 * Levels whose programs need a process of their own: when an automatic collection runs depends on the interpreter's
 * free lists (a tuple taken from one is not counted as an allocation), which programs run before in the same process change.
 */
export const OWN_PROCESS_LEVELS: ReadonlySet<number> = new Set([7]);
export type ProgramLevel = (typeof PROGRAM_LEVELS)[number]['level'];

export interface GeneratedProgram {
  readonly seed: number;
  readonly level: ProgramLevel;
  readonly source: string;
}

/** Upper bound of statements in a program's body: keeps allocations far below the 700-object gen-0 threshold. */
const MAX_BODY_STATEMENTS = 40;

class ProgramBuilder implements ProgramContext {
  private readonly random: () => number;
  private readonly lines: string[] = [];
  private readonly names = new Map<string, Binding>();
  private readonly classes: ClassInfo[] = [];
  private counter = 0;
  private objects = 0;
  private step = 0;
  private readonly collector: CollectorState = { enabled: true, saveAll: false };

  constructor(readonly seed: number, readonly level: ProgramLevel) {
    this.random = seededRandom(seed);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  /** A new object's number: objects only refer to older ones below level 2, so level 1 makes no cycles. */
  private newObject(): number {
    return this.objects++;
  }

  bindNew(name: string, binding: UnboundBinding): void {
    this.names.set(name, { ...binding, object: this.newObject() } as Binding);
  }

  binding(name: string): Binding | undefined {
    return this.names.get(name);
  }

  classNamed(name: string): ClassInfo {
    const found = this.classes.find((cls) => cls.name === name);
    if (!found) throw new Error(`no class ${name}`);
    return found;
  }

  /** Whether storing `value`'s object in `holder`'s keeps level 1 acyclic (always true from level 2). */
  private mayStore(holder: string, value: string): boolean {
    return this.level >= 2 || this.names.get(value)!.object < this.names.get(holder)!.object;
  }

  namesOf(kind: Binding['kind']): string[] {
    return [...this.names].filter(([, binding]) => binding.kind === kind).map(([name]) => name);
  }

  instances(filter: (cls: ClassInfo) => boolean = () => true): string[] {
    return [...this.names].filter(([, binding]) => binding.kind === 'instance' && filter(binding.cls)).map(([name]) => name);
  }

  /** Names whose objects can be stored anywhere: instances, lists, dicts. */
  values(): string[] {
    return [...this.names].filter(([, binding]) => binding.kind === 'instance' || binding.kind === 'list' || binding.kind === 'dict').map(([name]) => name);
  }

  emit(line: string): void {
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
    if (this.level >= 5) options.push(() => callsStatement(this), () => callsStatement(this), () => callsStatement(this));
    if (this.level >= 7) options.push(...Array.from({ length: 4 }, () => () => collectorStatement(this, this.collector, this.classes)));
    this.pick(options)();
    if (this.chance(0.3)) this.emit(`print("step", ${this.step++})`);
  }

  build(): string {
    this.emit('import gc');
    if (this.level >= 4) this.emit('import sys');
    if (this.level >= 3) this.emit('import weakref');
    this.emit('');
    this.emit('gc.collect()');
    if (this.level >= 7) collectorPrologue(this);
    this.emit('');
    this.defineClasses();
    if (this.level >= 5) defineCallHelpers(this);
    const statements = 8 + Math.floor(this.random() * (MAX_BODY_STATEMENTS - 8));
    for (let i = 0; i < statements; i++) this.statement();
    // Drop everything the program made, so nothing is left for interpreter teardown to finalize.
    if (this.level >= 7) collectorEpilogue(this);
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
