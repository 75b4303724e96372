// "Did you mean: ...?" for NameError and AttributeError (3.10+), with CPython's bounded Levenshtein distance.
import type { Interp } from './interp';
import type { InstanceObj, PyObject, TracebackObj } from './objects';

const MOVE_COST = 2;
const CASE_COST = 1;
const MAX_STRING_SIZE = 40;
const MAX_CANDIDATES = 750;

function substitutionCost(a: string, b: string): number {
  if (a === b) return 0;
  if (a.toLowerCase() === b.toLowerCase()) return CASE_COST;
  return MOVE_COST;
}

/** Python/suggestions.c's levenshtein_distance: common prefix/suffix dropped, bounded by `maxCost`. */
function distance(a0: string, b0: string, maxCost: number): number {
  if (a0 === b0) return 0;
  let a = a0;
  let b = b0;
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  a = a.slice(pre);
  b = b.slice(pre);
  let post = 0;
  while (post < a.length && post < b.length && a[a.length - 1 - post] === b[b.length - 1 - post]) post++;
  a = a.slice(0, a.length - post);
  b = b.slice(0, b.length - post);
  if (!a.length || !b.length) return MOVE_COST * (a.length + b.length);
  if (a.length > MAX_STRING_SIZE || b.length > MAX_STRING_SIZE) return maxCost + 1;
  if (b.length < a.length) [a, b] = [b, a];
  if ((b.length - a.length) * MOVE_COST > maxCost) return maxCost + 1;
  const row: number[] = [];
  for (let i = 0; i < a.length; i++) row.push((i + 1) * MOVE_COST);
  let result = 0;
  for (let bi = 0; bi < b.length; bi++) {
    let dist = bi * MOVE_COST;
    result = dist;
    let minimum = Number.MAX_SAFE_INTEGER;
    for (let ai = 0; ai < a.length; ai++) {
      const substitute = dist + substitutionCost(b[bi], a[ai]);
      dist = row[ai];
      const insertDelete = Math.min(result, dist) + MOVE_COST;
      result = Math.min(insertDelete, substitute);
      row[ai] = result;
      if (result < minimum) minimum = result;
    }
    if (minimum > maxCost) return maxCost + 1;
  }
  return result;
}

/** The closest candidate within CPython's distance bound, or null. */
export function closestName(wrong: string, candidates: readonly string[]): string | null {
  if (candidates.length > MAX_CANDIDATES) return null;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === wrong) continue;
    let maxDistance = Math.floor(((candidate.length + wrong.length + 3) * MOVE_COST) / 6);
    if (best !== null) maxDistance = Math.min(maxDistance, bestDistance - 1);
    const d = distance(wrong, candidate, maxDistance);
    if (d > maxDistance) continue;
    if (best === null || d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function namesOf(dict: PyObject | null | undefined): string[] {
  if (!dict || dict.kind !== 'dict') return [];
  return [...dict.entries.values()].map((e) => (e.key.kind === 'str' ? e.key.value : '')).filter((n) => n);
}

/** dir(obj) for the attribute suggestion: instance attributes and everything along the class's MRO. */
function attributeNames(obj: PyObject): string[] {
  const names = new Set<string>();
  if (obj.kind === 'instance') {
    for (const e of obj.attrs?.values() ?? []) if (e.key.kind === 'str') names.add(e.key.value);
    for (const k of obj.slotValues?.keys() ?? []) names.add(k);
  }
  if (obj.kind === 'module') for (const n of namesOf(obj.dict)) names.add(n);
  const cls = obj.kind === 'class' ? obj : obj.cls;
  for (const c of cls.mro) for (const n of namesOf(c.dict)) names.add(n);
  return [...names].sort();
}

/** The text CPython appends to the exception message, or ''. */
export function suggestionFor(it: Interp, exc: InstanceObj): string {
  const state = exc.exc;
  if (it.profile.minor < 10 || !state?.name) return '';
  const rt = it.rt;
  if (rt.isInstanceOf(exc, 'AttributeError') && state.obj) {
    const s = closestName(state.name, attributeNames(state.obj));
    return s ? `. Did you mean: '${s}'?` : '';
  }
  if (!rt.isInstanceOf(exc, 'NameError')) return '';
  let tb: TracebackObj | null = state.traceback;
  while (tb?.next) tb = tb.next;
  const frame = tb?.frame;
  if (!frame) return '';
  const locals = frame.code ? frame.code.varnames.filter((_, i) => frame.locals[i] !== null) : namesOf(frame.namespace);
  if (it.profile.minor >= 12 && frame.code?.varnames[0] === 'self') {
    const self = frame.locals[0]?.kind === 'cell' ? frame.locals[0].ref : frame.locals[0];
    if (self && attributeNames(self).includes(state.name)) return `. Did you mean: 'self.${state.name}'?`;
  }
  const candidates = [...locals, ...namesOf(frame.globals), ...namesOf(it.builtins)];
  const s = closestName(state.name, candidates);
  let text = s ? `. Did you mean: '${s}'?` : '';
  if (it.profile.minor >= 12 && STDLIB_MODULES.has(state.name)) text += s ? ` Or did you forget to import '${state.name}'` : `. Did you forget to import '${state.name}'`;
  return text;
}

const STDLIB_MODULES = new Set(['gc', 'sys', 'weakref', 'functools', 'atexit', 'time', 'os', 'math', 're', 'json', 'collections', 'itertools', 'random', 'types', 'copy', 'tempfile', 'shutil', 'io', 'threading', 'typing', 'abc', 'string', 'datetime', 'pathlib', 'logging', 'inspect', 'operator', 'contextlib', 'dataclasses', 'enum', 'heapq', 'bisect', 'array', 'struct', 'pickle', 'traceback', 'warnings', 'subprocess', 'socket', 'signal', 'queue', 'uuid', 'hashlib', 'base64', 'textwrap', 'pprint', 'decimal', 'fractions', 'statistics', 'glob', 'csv', 'sqlite3', 'unittest', 'argparse']);
