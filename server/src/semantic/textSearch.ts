// Finding names in a document by text (indexOf) and then their nodes by offset: far cheaper than walking the tree.
import type { SyntaxNode } from '../syntax/syntaxTypes';

/** The identifier node spelling `name` at offset `at`, if the text there is one (not a string, comment or longer name). */
function identifierAt(root: SyntaxNode, at: number, name: string): SyntaxNode | undefined {
  const node = root.descendantForIndex(at, at + name.length);
  return node?.type === 'identifier' && node.startIndex === at && node.endIndex === at + name.length ? node : undefined;
}

/** Identifier nodes spelling one of `names` in `within` (a text search, then the node at each hit: no tree walk), in document order. */
export function identifiersNamed(root: SyntaxNode, text: string, names: Iterable<string>, within?: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (const name of new Set(names)) {
    for (const at of occurrences(text, name, within?.startIndex ?? 0, within?.endIndex ?? text.length)) {
      const node = identifierAt(root, at, name);
      if (node) found.push(node);
    }
  }
  return found.sort((a, b) => a.startIndex - b.startIndex);
}

/**
 * The identifier nodes spelling one name in a document, in document order: the text is searched at once, but the
 * node at a hit is looked up (and remembered) only when asked for, so a reader that stops early, or skips hits by
 * their text, pays only for the hits it reads.
 */
export class IdentifiersNamed {
  /** Where the name occurs as a whole word (in code, strings or comments alike), ascending. */
  readonly offsets: readonly number[];
  private readonly nodes: (SyntaxNode | null)[] = [];

  constructor(private readonly root: SyntaxNode, text: string, readonly name: string) {
    this.offsets = [...occurrences(text, name)];
  }

  /** The identifier node at the `index`-th hit, or undefined when the hit is not one (a string, a comment). */
  nodeAt(index: number): SyntaxNode | undefined {
    let node = this.nodes[index];
    if (node === undefined) this.nodes[index] = node = identifierAt(this.root, this.offsets[index], this.name) ?? null;
    return node ?? undefined;
  }
}

/** Whether a UTF-16 code unit can belong to a name: `[A-Za-z0-9_]` or anything outside ASCII. */
function isWordUnit(code: number): boolean {
  return code >= 0x80 || (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

/** The end of the run of name units (`[A-Za-z0-9_]` or non-ASCII) starting at `at` (`at` itself when there is none). */
export function wordEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length && isWordUnit(text.charCodeAt(end))) end++;
  return end;
}

/** Where `name` occurs in `text` as a whole word, between `start` and `end` (indexOf, not a regex: much faster). */
export function* occurrences(text: string, name: string, start = 0, end = text.length): Generator<number> {
  for (let at = text.indexOf(name, start); at >= 0 && at + name.length <= end; at = text.indexOf(name, at + name.length)) {
    if (at > 0 && isWordUnit(text.charCodeAt(at - 1))) continue;
    if (at + name.length < text.length && isWordUnit(text.charCodeAt(at + name.length))) continue;
    yield at;
  }
}


/**
 * Whether the text between `start` and `end` could bind `name` (a cheap test before computing bindings): an
 * occurrence followed by `=`, an augmented `op=`, `,`, `)` or `:` (a target, a parameter), or preceded by `for`,
 * `as`, `def`, `class`, `import`, `global`, `nonlocal` or `*`, or later on a line with `import`.
 */
export function mayBind(text: string, name: string, start = 0, end = text.length): boolean {
  for (const at of occurrences(text, name, start, end)) {
    if (/^[ \t]*(?:=(?!=)|[,):]|[-+*/%&|^@]=|<<=|>>=|\*\*=|\/\/=)/.test(text.slice(at + name.length, at + name.length + 5))) return true;
    if (/(?:\bfor|\bas|\bdef|\bclass|\bimport|\bglobal|\bnonlocal|\*)[ \t]*$/.test(text.slice(Math.max(0, at - 12), at))) return true;
    // `from m import a, name`: any name later on an import line.
    if (/\bimport\b/.test(text.slice(text.lastIndexOf('\n', at) + 1, at))) return true;
  }
  return false;
}
