// CPython's symbol table, simplified: which names are local, cell, free or global in each scope, and their slots.
import type { Expr } from './ast';

type NameExpr = Extract<Expr, { k: 'name' }>;

class Scope {
  readonly params: string[] = [];
  readonly bound = new Set<string>();
  readonly order: string[] = [];
  private readonly seen = new Set<string>();
  readonly nodes: NameExpr[] = [];
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  readonly children: Scope[] = [];
  isGenerator = false;
  readonly varnames: string[] = [];
  readonly cellvars = new Set<string>();
  readonly freevars: string[] = [];

  constructor(
    readonly kind: 'module' | 'class' | 'function',
    readonly name: string,
    readonly qualname: string,
    readonly parent: Scope | undefined,
    readonly isComprehension = false,
  ) {}

  note(id: string): void {
    if (!this.seen.has(id)) {
      this.seen.add(id);
      this.order.push(id);
    }
  }

  addParam(id: string): void {
    this.params.push(id);
    this.bound.add(id);
    this.note(id);
  }

  isLocal(id: string): boolean {
    return this.kind === 'function' && this.bound.has(id) && !this.globals.has(id) && !this.nonlocals.has(id);
  }

  addFree(id: string): void {
    if (!this.freevars.includes(id)) this.freevars.push(id);
  }
}

/** Builds scopes while the compiler walks the tree, then resolves every name node in `finish`. */
export class ScopeBuilder {
  private readonly module = new Scope('module', '<module>', '', undefined);
  private current: Scope = this.module;

  qualnameFor(name: string): string {
    const scope = this.current;
    if (scope.kind === 'module') return name;
    if (scope.kind === 'class') return `${scope.qualname}.${name}`;
    return `${scope.qualname}.<locals>.${name}`;
  }

  enterFunction(name: string, qualname: string, isComprehension: boolean): { addParam(id: string): void; readonly varnames: string[]; readonly cellvars: Set<string>; readonly freevars: string[]; readonly globals: Set<string>; readonly isGenerator: boolean } {
    const scope = new Scope('function', name, qualname, this.current, isComprehension);
    this.current.children.push(scope);
    this.current = scope;
    return scope;
  }

  /** Returns the class scope's free variables (filled in by `finish`): its body frame holds their cells. */
  enterClass(name: string, qualname: string): readonly string[] {
    const scope = new Scope('class', name, qualname, this.current);
    this.current.children.push(scope);
    this.current = scope;
    return scope.freevars;
  }

  leave(): void {
    if (this.current.parent) this.current = this.current.parent;
  }

  bind(id: string, node: NameExpr): void {
    this.current.bound.add(id);
    this.current.note(id);
    this.current.nodes.push(node);
  }

  use(id: string, node: NameExpr): void {
    this.current.note(id);
    this.current.nodes.push(node);
  }

  declareGlobal(id: string): void {
    this.current.globals.add(id);
  }

  declareNonlocal(id: string): void {
    this.current.nonlocals.add(id);
  }

  markGenerator(_line: number): void {
    this.current.isGenerator = true;
  }

  finish(): void {
    this.computeLocals(this.module);
    this.resolve(this.module);
    this.assignSlots(this.module);
  }

  private computeLocals(scope: Scope): void {
    if (scope.kind === 'function') {
      const locals = scope.order.filter((id) => scope.isLocal(id));
      const params = scope.params.filter((p) => scope.isLocal(p));
      scope.varnames.push(...params, ...locals.filter((id) => !params.includes(id)));
    }
    for (const child of scope.children) this.computeLocals(child);
  }

  /** The function scope that defines `id` for a reference made in `from` (skipping class scopes), marking free variables on the way. */
  private resolveFree(from: Scope, id: string): boolean {
    const chain: Scope[] = [];
    let scope = from.parent;
    while (scope && scope.kind !== 'module') {
      if (scope.kind === 'function') {
        if (scope.isLocal(id)) {
          scope.cellvars.add(id);
          from.addFree(id);
          for (const mid of chain) mid.addFree(id);
          return true;
        }
        if (scope.globals.has(id)) return false;
        chain.push(scope);
      } else {
        // Class bodies pass free variables through to the methods inside them.
        chain.push(scope);
      }
      scope = scope.parent;
    }
    return false;
  }

  private resolve(scope: Scope): void {
    // Children first: they mark this scope's cell variables.
    for (const child of scope.children) this.resolve(child);
    for (const node of scope.nodes) {
      const id = node.id;
      if (scope.kind === 'module') {
        node.scope = 'global';
        continue;
      }
      if (scope.globals.has(id)) {
        node.scope = 'global';
        continue;
      }
      if (scope.kind === 'function' && scope.isLocal(id)) continue; // slot assigned below
      if (this.resolveFree(scope, id)) {
        node.scope = 'free';
        continue;
      }
      node.scope = scope.kind === 'class' ? 'name' : 'global';
    }
  }

  /** Second pass: slots need every scope's free variables, which inner scopes add while resolving. */
  private assignSlots(scope: Scope): void {
    for (const node of scope.nodes) {
      if (scope.kind === 'class' && node.scope === 'free') node.slot = scope.freevars.indexOf(node.id);
      if (scope.kind !== 'function') continue;
      if (node.scope === 'unresolved') {
        node.scope = scope.cellvars.has(node.id) ? 'cell' : 'local';
        node.slot = scope.varnames.indexOf(node.id);
      } else if (node.scope === 'free') {
        node.slot = scope.varnames.length + scope.freevars.indexOf(node.id);
      }
    }
    for (const child of scope.children) this.assignSlots(child);
  }
}
