// GCL104's rough text scan: the possible cycle edges a function's text can hold, so most functions skip the precise pass.
import { dotName, dotNames, isAssignAt } from '../semantic/dotNames';
import { parseableText } from '../syntax/lineBreaks';

/** A statement's text split the cheap way: the object it stores into, and the text of what it stores. */
export interface RoughEdge {
  readonly owner: string;
  readonly stored: string;
  /** Unpacking targets (`a.x, b.y = ...`): only the precise pass can tell the edges apart. */
  readonly complex: boolean;
}

const ROUGH_ASSIGNMENT = /^([A-Za-z_]\w*)\s*(?:\.\s*[A-Za-z_]\w*|\[[^\n]*?\])\s*(,|=(?!=))([\s\S]*)$/;
const ROUGH_CALL = /^([A-Za-z_]\w*)\s*\.\s*(?:append|add|appendleft|insert|setdefault|extend)\s*\(([\s\S]*)$/;

/** The rough edges of a statement's text; a chained assignment (`a.x = b.y = v`) gives one per stored-into target. */
export function roughEdges(text: string, into: RoughEdge[]): boolean {
  const assignment = ROUGH_ASSIGNMENT.exec(text);
  if (assignment) {
    const rest = assignment[3];
    into.push({ owner: assignment[1], stored: rest, complex: assignment[2] === ',' });
    roughEdges(rest.trimStart(), into);
    return true;
  }
  const call = ROUGH_CALL.exec(text);
  if (call) into.push({ owner: call[1], stored: call[2], complex: false });
  return call !== null;
}

/**
 * Line-level shapes of the same statements, anywhere a statement can start (line start, after `:` or `;`). Each
 * match runs to the end of its line, so a line holds at most one: the leftmost.
 */
const LINE_ASSIGNMENT = /(?:^|[;:])[ \t]*([A-Za-z_]\w*)[ \t]*(?:\.[ \t]*[A-Za-z_]\w*|\[[^\n]*?\])[ \t]*(,|=(?!=))([^\n]*)/m;
const LINE_CALL = /(?:^|[;:])[ \t]*([A-Za-z_]\w*)[ \t]*\.[ \t]*(?:append|add|appendleft|insert|setdefault|extend)[ \t]*\(([^\n]*)/m;
/** The container methods a call shape names. */
const CONTAINER_ADDS: ReadonlySet<string> = new Set(['append', 'add', 'appendleft', 'insert', 'setdefault', 'extend']);

/**
 * Where each assignment shape's mark stands, ascending: `.name` or `]`, then blanks and `,` or `=` (not `==`).
 * Every match of the line shape contains one, and they are far rarer than the places a statement can start. Read
 * from the text's `.name`s and `]`s (indexOf) rather than an expression that tries every offset.
 */
function assignmentMarks(text: string): number[] {
  const dots: number[] = [];
  const names = dotNames(text);
  for (let index = 0; index < names.count; index++) {
    const after = names.after(index);
    if (text.charCodeAt(after) === 44 /* , */ || isAssignAt(text, after)) dots.push(names.dot(index));
  }
  const brackets: number[] = [];
  for (let at = text.indexOf(']'); at >= 0; at = text.indexOf(']', at + 1)) {
    let after = at + 1;
    while (text.charCodeAt(after) === 32 || text.charCodeAt(after) === 9) after++;
    if (text.charCodeAt(after) === 44 || isAssignAt(text, after)) brackets.push(at);
  }
  return mergeAscending(dots, brackets);
}

/** Two ascending lists as one. */
function mergeAscending(first: readonly number[], second: readonly number[]): number[] {
  if (second.length === 0) return [...first];
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < first.length || j < second.length) {
    if (j >= second.length || (i < first.length && first[i] < second[j])) merged.push(first[i++]);
    else merged.push(second[j++]);
  }
  return merged;
}

/** Where each call shape's mark stands: `.append(` and the other container adds (blanks allowed), ascending. */
function callMarks(text: string): number[] {
  const names = dotNames(text);
  const marks: number[] = [];
  for (let index = 0; index < names.count; index++) {
    if (text.charCodeAt(names.after(index)) === 40 /* ( */ && CONTAINER_ADDS.has(dotName(text, names, index))) marks.push(names.dot(index));
  }
  return marks;
}

/**
 * The matches of `line` (a line shape) in `text`, as a global multiline search would find them: for each line
 * holding one of `marks` (ascending), the leftmost match in it (offsets into `text`).
 */
function lineMatches(text: string, marks: readonly number[], line: RegExp): { index: number; groups: RegExpExecArray }[] {
  const found: { index: number; groups: RegExpExecArray }[] = [];
  let lineEnd = -1;
  for (const mark of marks) {
    if (mark < lineEnd) continue;
    const start = text.lastIndexOf('\n', mark) + 1;
    const newline = text.indexOf('\n', mark);
    lineEnd = newline < 0 ? text.length : newline;
    const match = line.exec(text.slice(start, lineEnd));
    if (match) found.push({ index: start + match.index, groups: match });
  }
  return found;
}

type LineShapes = { assignments: ReturnType<typeof lineMatches>; calls: ReturnType<typeof lineMatches> };

/** Every match of the two line shapes, assignments and container calls, in text order (lines as Python ends them). */
export function lineShapeMatches(documentText: string): LineShapes {
  return shapesOf(parseableText(documentText));
}

/** `lineShapeMatches` of a text whose lone `\r`s are already line feeds. */
function shapesOf(text: string): LineShapes {
  return { assignments: lineMatches(text, assignmentMarks(text), LINE_ASSIGNMENT), calls: lineMatches(text, callMarks(text), LINE_CALL) };
}

/** Bracket depth of a piece of text (strings not told apart: a rough measure). */
function bracketDepth(piece: string): number {
  let depth = 0;
  for (const ch of piece) {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
  }
  return depth;
}

/** The longest statement continuation followed: past it the edge is marked complex (the precise pass runs). */
const MAX_CONTINUATION = 4000;

/**
 * The text a statement stores, from `from` (after its `=` or `(`) to where its brackets close (following lines
 * included; `depth` brackets are open at `from`), or undefined when it runs on too long or ends in a backslash.
 */
function storedText(text: string, from: number, depth: number): string | undefined {
  let open = depth;
  let at = from;
  for (;;) {
    const lineEnd = text.indexOf('\n', at);
    const end = lineEnd < 0 ? text.length : lineEnd;
    const line = text.slice(at, end);
    open += bracketDepth(line);
    if (line.trimEnd().endsWith('\\')) return undefined;
    if (open <= 0 || lineEnd < 0) return text.slice(from, end);
    if (end - from > MAX_CONTINUATION) return undefined;
    at = end + 1;
  }
}

/** One more target of a chained assignment at the start of the rest of a line: `b.y =` (owner `b`) or `tmp =`. */
const CHAIN_LINK = /^\s*(?:([A-Za-z_]\w*)\s*(?:\.\s*[A-Za-z_]\w*|\[[^\n]*?\])|[A-Za-z_]\w*)\s*=(?!=)/;
/** A value that is one plain name (a comment may follow). */
const PLAIN_NAME_VALUE = /^\s*[A-Za-z_]\w*\s*(#.*)?$/;
/** A value that opens a list, tuple, set or dict display (or parentheses around a name). */
const DISPLAY_START = /^\s*[[({]/;

/** Owners of the targets before `=` in `a.x, b[k] = ...`: each may get any name the right side holds. */
const TARGET_OWNER = /([A-Za-z_]\w*)\s*(?:\.\s*[A-Za-z_]\w*|\[)/g;

/** A rough edge and where its match starts in the document. */
export interface PlacedRoughEdge extends RoughEdge {
  readonly at: number;
}

/**
 * Rough edges read from the document's text line by line, without touching the tree, in text order: every
 * statement the precise pass could use matches here too, and one that goes on past its line is marked complex (so
 * the pass runs). Computed once per text; each function takes the ones inside it.
 */
export function documentRoughEdges(documentText: string): readonly PlacedRoughEdge[] {
  if (documentText === roughText) return roughEdgesCache;
  // Lines end where Python ends them (a lone \r too); the same length, so offsets are the document's.
  const text = parseableText(documentText);
  const edges: PlacedRoughEdge[] = [];
  const { assignments, calls } = shapesOf(text);
  for (const { index, groups: match } of assignments) {
    const valueStart = index + match[0].length - match[3].length;
    if (match[2] === '=') {
      // `a.x = b.y = v`: every stored-into target of the chain is an owner; `v` is what they all get.
      const owners = [match[1]];
      let rest = match[3];
      let offset = valueStart;
      for (let link = CHAIN_LINK.exec(rest); link; link = CHAIN_LINK.exec(rest)) {
        if (link[1] !== undefined) owners.push(link[1]);
        offset += link[0].length;
        rest = rest.slice(link[0].length);
      }
      // The precise pass takes edges only from a plain name or a display: other values (calls, attributes,
      // literals, operators) store no object this function names.
      let stored: string | undefined;
      // `x.a = y; z.b = x`: the next statement on the line is matched on its own.
      const statementRest = rest.split(';')[0];
      if (PLAIN_NAME_VALUE.test(statementRest)) stored = statementRest;
      else if (DISPLAY_START.test(rest)) stored = storedText(text, offset, 0);
      else if (!statementRest.trimEnd().endsWith('\\') && statementRest.trim() !== '') continue;
      for (const owner of owners) edges.push({ at: index, owner, stored: stored ?? '', complex: stored === undefined });
      continue;
    }
    // `a.x, b.y = b, a`: the targets run to the first `=` on the line, the stored text from there.
    // Without an `=` after it on the line it is no assignment (`{'k': self.a, ...}`, `f"{x.a}, ..."`).
    const equals = /[^=!<>]=(?!=)/.exec(match[3]);
    if (!equals) continue;
    const stored = storedText(text, valueStart + equals.index + 2, 0);
    const targets = `${match[1]}.x, ${match[3].slice(0, equals.index + 1)}`;
    for (const owner of targets.matchAll(TARGET_OWNER)) edges.push({ at: index, owner: owner[1], stored: stored ?? '', complex: stored === undefined });
  }
  for (const { index, groups: match } of calls) {
    const stored = storedText(text, index + match[0].length - match[2].length, 1);
    edges.push({ at: index, owner: match[1], stored: stored ?? '', complex: stored === undefined });
  }
  edges.sort((x, y) => x.at - y.at);
  roughText = documentText;
  roughEdgesCache = edges;
  return edges;
}

let roughText: string | undefined;
let roughEdgesCache: readonly PlacedRoughEdge[] = [];

/** The rough edges whose match starts in [start, end). */
export function roughEdgesIn(edges: readonly PlacedRoughEdge[], start: number, end: number): PlacedRoughEdge[] {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (edges[mid].at < start) low = mid + 1;
    else high = mid;
  }
  const inside: PlacedRoughEdge[] = [];
  for (let i = low; i < edges.length && edges[i].at < end; i++) inside.push(edges[i]);
  return inside;
}

/** A name standing for the object itself, not something reached from it (`self.other`, `d[k]`, `f(x)` store other objects). */
const MENTIONED = /(?<![\w.])([A-Za-z_]\w*)\b(?!\s*[.([])/g;

/**
 * Whether the rough edges (owner → every owner its stored text mentions) can contain a cycle: a superset of the
 * precise edges, so a function without one cannot have a finding and skips the precise pass.
 */
export function roughCyclePossible(edges: readonly RoughEdge[]): boolean {
  if (edges.length === 0) return false;
  if (edges.some((edge) => edge.complex)) return true;
  const ownerSet = new Set(edges.map((edge) => edge.owner));
  const owners = [...ownerSet];
  const mentions = new Map<string, Set<string>>();
  for (const edge of edges) {
    const targets = mentions.get(edge.owner) ?? new Set<string>();
    mentions.set(edge.owner, targets);
    for (const match of edge.stored.matchAll(MENTIONED)) if (ownerSet.has(match[1])) targets.add(match[1]);
  }
  // Depth-first search for a back edge over the few owners.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (owner: string): boolean => {
    state.set(owner, 'open');
    for (const next of mentions.get(owner) ?? []) {
      if (state.get(next) === 'open' || (!state.has(next) && visit(next))) return true;
    }
    state.set(owner, 'done');
    return false;
  };
  return owners.some((owner) => !state.has(owner) && visit(owner));
}
