// The one answer to "which function, lambda, class or comprehension holds this node", for rules and facts alike.
import { NestedRanges } from '../syntax/nestedRanges';
import { firstAfter, firstAtOrAfter } from '../syntax/sortedSearch';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { NAME_AFTER_KEYWORD } from './functionIndex';
import { occurrences } from './textSearch';
import type { DocumentFactKey, SemanticModel } from './semanticModel';

/** Definitions: their bodies are scopes whose names code inside sees. */
/** Comprehensions: scopes of their own, looked through by every question but `inNestedScope`. */
const COMPREHENSION_KINDS = ['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'];
const DEFINITIONS: ReadonlySet<string> = new Set(['function_definition', 'class_definition', 'lambda']);

/** The node kinds of the scopes the index reads: an engine that collects them anyway can hand them over. */
export const SCOPE_DEFINITION_KINDS: readonly string[] = [...DEFINITIONS];

/** Parent steps a question climbs before it asks the ranges (each step costs the node's depth in the native binding). */
const SHORT_CLIMB = 6;

/** Parent steps all short climbs of one document may take together. */
const CLIMB_BUDGET = 4096;

/** Keyword hits in a statement up to which its definitions are looked up one by one rather than walked for. */
const MOST_LOOKUPS = 64;

/** A definition holding a node, and whether the node is inside its body (else in its header). */
interface HoldingDefinition {
  readonly definition: SyntaxNode;
  readonly inBody: boolean;
}

/** The ranges of one top-level statement, read on first use. */
interface StatementScopes {
  readonly statement: SyntaxNode;
  readonly definitions: NestedRanges;
}

/** The keywords that open a definition, the node type each opens, and whether a name follows. */
const DEFINITION_KEYWORDS: readonly { keyword: string; type: string; named: boolean }[] = [
  { keyword: 'def', type: 'function_definition', named: true },
  { keyword: 'class', type: 'class_definition', named: true },
  { keyword: 'lambda', type: 'lambda', named: false },
];

/**
 * The scopes of a document as nested ranges, found by C walks over the tree: every question about enclosing scopes
 * is a binary search plus a climb over scopes only, never over `parent` (which costs a native node's depth).
 * "Holds" is the tree's ancestor relation: a node's own range does not hold it. A function's header (name,
 * parameters, defaults, return annotation) is in the function's node range but not in its body; a definition's body
 * is looked up only when a question passes through it. The definitions are read per top-level statement, on the
 * first question about a node inside it (most questions are about a few statements), by a text search for their
 * keywords and one node lookup per hit (a walk of a large class, even in C, costs more); comprehensions only for
 * `inNestedScope`, by a walk of the scope asked about.
 */
export class ScopeIndex {
  private statements: readonly SyntaxNode[] | undefined;
  private starts: number[] = [];
  private readonly byStatement = new Map<number, StatementScopes>();
  private readonly bodies = new Map<number, { start: number; end: number } | null>();
  private readonly comprehensions = new Map<number, NestedRanges | null>();
  private documentText: string | undefined;
  private climbsLeft = CLIMB_BUDGET;
  /** Where each of `everyDefinition` starts (read on first use). */
  private definitionStarts: number[] | undefined;

  /**
   * Nothing is walked until the first question. `text` is the document's (else read from the tree when needed).
   * `everyDefinition`: every function, class and lambda of the tree, in document order, when the caller has
   * collected them (the engine's one capture pass does): a statement's definitions are then a slice of them, with
   * no search or walk of its own.
   */
  constructor(private readonly root: SyntaxNode, text?: string, private readonly everyDefinition?: readonly SyntaxNode[]) {
    this.documentText = text;
  }

  /** The document text, offsets as in the tree. */
  private get text(): string {
    // The module node may start after leading blank lines: pad so that offsets index the text directly.
    return (this.documentText ??= ' '.repeat(this.root.startIndex) + this.root.text);
  }

  /**
   * The functions, classes and lambdas of `statement`, found by their keywords in its text and one node lookup per
   * hit; with many hits, by one walk instead (a lookup costs the depth, and thousands of nested lambdas are deep).
   */
  private definitionsIn(statement: SyntaxNode): readonly SyntaxNode[] {
    if (this.everyDefinition) return this.collectedIn(this.everyDefinition, statement);
    const text = this.text;
    const hits = DEFINITION_KEYWORDS.map((entry) => ({ ...entry, offsets: [...occurrences(text, entry.keyword, statement.startIndex, statement.endIndex)] }));
    if (hits.reduce((sum, hit) => sum + hit.offsets.length, 0) > MOST_LOOKUPS) {
      return statement.descendantsOfType(DEFINITION_KEYWORDS.map((entry) => entry.type)).filter((node) => node.isNamed);
    }
    const found: SyntaxNode[] = [];
    for (const { keyword, type, named, offsets } of hits) {
      for (const at of offsets) {
        // The smallest node spanning the keyword and what follows it (the name's first character; `lambda`'s next
        // character) is the definition itself: no climb to the keyword's parent.
        let end = at + keyword.length + 1;
        if (named) {
          NAME_AFTER_KEYWORD.lastIndex = at + keyword.length;
          const name = NAME_AFTER_KEYWORD.exec(text);
          if (!name) continue;
          end = at + keyword.length + name[0].length;
        }
        const node = statement.descendantForIndex(at, Math.min(end, statement.endIndex));
        // `async def` starts at `async`.
        if (node?.type === type && node.isNamed && (node.startIndex === at || (named && /^async\s+$/.test(text.slice(node.startIndex, at))))) found.push(node);
      }
    }
    return found;
  }

  /** Every class of the document in document order, when the caller collected the definitions; else undefined. */
  collectedClasses(): readonly SyntaxNode[] | undefined {
    return this.everyDefinition?.filter((definition) => definition.type === 'class_definition');
  }

  /** The collected definitions that start inside `statement` (document order is start order): a binary search. */
  private collectedIn(collected: readonly SyntaxNode[], statement: SyntaxNode): readonly SyntaxNode[] {
    const starts = (this.definitionStarts ??= collected.map((definition) => definition.startIndex));
    const first = firstAtOrAfter(starts, statement.startIndex);
    return collected.slice(first, firstAtOrAfter(starts, statement.endIndex, first));
  }

  /** The scopes of the top-level statement holding `node` (undefined: `node` is one, or lies in none). */
  private scopesAround(node: SyntaxNode): StatementScopes | undefined {
    if (!this.statements) {
      this.statements = this.root.namedChildren;
      this.starts = this.statements.map((statement) => statement.startIndex);
    }
    const low = firstAfter(this.starts, node.startIndex);
    const statement = this.statements[low - 1];
    if (!statement || statement.endIndex < node.endIndex || statement.id === node.id) return undefined;
    let scopes = this.byStatement.get(low - 1);
    if (!scopes) {
      scopes = { statement, definitions: new NestedRanges(this.definitionsIn(statement)) };
      this.byStatement.set(low - 1, scopes);
    }
    return scopes;
  }

  /** Whether `node` lies in `definition`'s body (its body field, looked up once per definition). */
  private inBody(definition: SyntaxNode, node: SyntaxNode): boolean {
    let body = this.bodies.get(definition.id);
    if (body === undefined) {
      const found = definition.childForFieldName('body');
      this.bodies.set(definition.id, (body = found ? { start: found.startIndex, end: found.endIndex } : null));
    }
    return body !== null && body.start <= node.startIndex && node.endIndex <= body.end;
  }

  /** The functions, lambdas and classes holding `node`, innermost first (comprehensions are looked through). */
  private *definitionsHolding(node: SyntaxNode): Generator<HoldingDefinition> {
    for (let range = this.scopesAround(node)?.definitions.innermost(node); range; range = range.outer) {
      yield { definition: range.node, inBody: this.inBody(range.node, node) };
    }
  }

  /** The innermost function, lambda or class holding `node` (in its header or its body), or null. */
  innermostDefinition(node: SyntaxNode): SyntaxNode | null {
    const climbed = this.climb(node, (definition) => definition);
    return climbed ? climbed.found : this.scopesAround(node)?.definitions.innermost(node)?.node ?? null;
  }

  /** The innermost function or lambda holding `node` (in its header or its body; classes are looked through), or null. */
  innermostFunction(node: SyntaxNode): SyntaxNode | null {
    for (let range = this.scopesAround(node)?.definitions.innermost(node); range; range = range.outer) {
      if (range.node.type !== 'class_definition') return range.node;
    }
    return null;
  }

  /**
   * A short parent climb from `node`: `visit` sees each definition on the way (and whether the way came through its
   * body) until it answers. Most questions are about statements or expressions a few levels below their definition,
   * where this beats reading the statement's definitions; but each step costs the node's depth in the native
   * binding, so a climb gives up after SHORT_CLIMB steps, and after CLIMB_BUDGET steps in a document every question
   * goes to the ranges (thousands of deep nodes cannot make it quadratic). Undefined: gave up.
   */
  private climb(node: SyntaxNode, visit: (definition: SyntaxNode, inBody: boolean) => SyntaxNode | null | undefined): { found: SyntaxNode | null } | undefined {
    let child = node;
    for (let steps = 0; steps < SHORT_CLIMB && this.climbsLeft > 0; steps++) {
      this.climbsLeft--;
      const parent = child.parent;
      if (!parent) return { found: null };
      if (DEFINITIONS.has(parent.type)) {
        const found = visit(parent, parent.childForFieldName('body')?.id === child.id);
        if (found !== undefined) return { found };
      }
      child = parent;
    }
    return undefined;
  }

  /**
   * The function whose body holds `node`, through comprehensions: null at module level, in a class body, inside a
   * lambda, and in a function's header (its defaults run where the `def` does).
   */
  enclosingFunction(node: SyntaxNode): SyntaxNode | null {
    const climbed = this.climb(node, (definition, inBody) => (definition.type === 'function_definition' && inBody ? definition : null));
    if (climbed) return climbed.found;
    const innermost = this.scopesAround(node)?.definitions.innermost(node)?.node ?? null;
    return innermost?.type === 'function_definition' && this.inBody(innermost, node) ? innermost : null;
  }

  /**
   * The scope a statement binds its names in: the nearest function, lambda or class whose body holds it; null for
   * the module. Statements nest only as deep as blocks do, and most imports (what asks this most) sit at module level
   * or right in a function: a short climb answers them without reading the statement's scopes.
   */
  owningScope(node: SyntaxNode): SyntaxNode | null {
    const climbed = this.climb(node, (definition, inBody) => (inBody ? definition : undefined));
    if (climbed) return climbed.found;
    for (const holding of this.definitionsHolding(node)) if (holding.inBody) return holding.definition;
    return null;
  }

  /**
   * The non-module scopes whose bindings an expression sees, innermost first. A function's defaults and
   * decorators are evaluated in the enclosing scope, so a scope counts only when the expression is inside its
   * body; a class body is visible only to code directly in it, not to functions nested in it. Lazy: name lookups
   * stop at the first scope that binds the name.
   */
  *enclosingScopes(node: SyntaxNode): Generator<SyntaxNode> {
    let insideFunction = false;
    for (const { definition, inBody } of this.definitionsHolding(node)) {
      if (!inBody) continue;
      if (definition.type === 'class_definition') {
        if (!insideFunction) yield definition;
      } else {
        yield definition;
        insideFunction = true;
      }
    }
  }

  /**
   * Whether a scope other than `scope` lies between `node` and `scope` (`scope`: a function, lambda, the module, or
   * any node holding `node`, such as a block: then the question is whether a scope inside that block holds it).
   */
  inNestedScope(node: SyntaxNode, scope: SyntaxNode): boolean {
    const around = this.scopesAround(node);
    if (!around) return false;
    const inside = (inner: SyntaxNode | undefined): boolean =>
      inner !== undefined && inner.id !== scope.id && scope.startIndex <= inner.startIndex && inner.endIndex <= scope.endIndex;
    if (inside(around.definitions.innermost(node)?.node)) return true;
    // Else only a comprehension inside `scope` can be between them: the comprehensions of `scope` (or, for the module,
    // of the statement) are read once, and not at all when its text spells no `for`.
    const region = scope.type === 'module' ? around.statement : scope;
    let comprehensions = this.comprehensions.get(region.id);
    if (comprehensions === undefined) {
      const spelled = !occurrences(this.text, 'for', region.startIndex, region.endIndex).next().done;
      comprehensions = spelled ? new NestedRanges(region.descendantsOfType(COMPREHENSION_KINDS)) : null;
      this.comprehensions.set(region.id, comprehensions);
    }
    return inside(comprehensions?.innermost(node)?.node);
  }
}

/** The document's scope index, built on first use and shared by every rule and fact of one analysis. */
export const SCOPE_INDEX: DocumentFactKey<ScopeIndex> = {
  name: 'scope index',
  compute: (root) => new ScopeIndex(root),
};

/** The scope index of the model's document. */
export function scopesOf(semantic: SemanticModel): ScopeIndex {
  return semantic.fact(SCOPE_INDEX);
}
