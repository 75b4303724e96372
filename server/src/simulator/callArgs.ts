// Binds call arguments to a function's parameters (positional, defaults, *args, keywords, **kwargs) with CPython's errors.
import type { Interp } from './interp';
import type { FrameObj, FunctionObj, PyObject } from './objects';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function quoteList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/**
 * Fills `frame.locals` from the arguments. From 3.11 the frame takes over the caller's references (the array is
 * emptied); before, it takes its own and the caller drops its copies after the call.
 */
export function bindArguments(it: Interp, fn: FunctionObj, frame: FrameObj, args: PyObject[], kwargs: Map<string, PyObject> | null): void {
  const heap = it.heap;
  const code = fn.code;
  const params = code.params;
  const steal = it.profile.argsMovedIntoFrame;
  const take = (v: PyObject): PyObject => heap.incref(v);
  const fname = it.profile.minor >= 10 ? code.qualname : code.name;
  const locals = frame.locals;
  let nPositional = 0;
  let starSlot = -1;
  let dstarSlot = -1;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p.kind === 'plain') nPositional++;
    else if (p.kind === 'star') starSlot = i;
    else if (p.kind === 'dstar') dstarSlot = i;
  }
  const given = args.length;
  const n = Math.min(given, nPositional);
  for (let i = 0; i < n; i++) locals[i] = take(args[i]);
  if (given > nPositional) {
    if (starSlot < 0) {
      const dflt = fn.defaults ? fn.defaults.items.length : 0;
      const takes = dflt ? `from ${nPositional - dflt} to ${nPositional}` : String(nPositional);
      const kwonlyGiven = kwargs ? [...kwargs.keys()].filter((k) => params.some((p) => p.kind === 'kwonly' && p.name === k)).length : 0;
      const givenText = kwonlyGiven
        ? `${given} positional argument${given === 1 ? '' : 's'} (and ${kwonlyGiven} keyword-only argument${kwonlyGiven === 1 ? '' : 's'}) were given`
        : `${given} ${given === 1 ? 'was' : 'were'} given`;
      it.rt.raise('TypeError', `${fname}() takes ${takes} positional argument${nPositional === 1 && !dflt ? '' : 's'} but ${givenText}`);
    }
    locals[starSlot] = it.rt.tuple(args.slice(nPositional).map(take));
  } else if (starSlot >= 0) {
    locals[starSlot] = it.rt.tuple([]);
  }
  let extra: ReturnType<typeof it.rt.dict> | null = null;
  if (dstarSlot >= 0) {
    extra = it.rt.dict();
    locals[dstarSlot] = extra;
  }
  if (kwargs) {
    for (const [name, value] of kwargs) {
      const index = params.findIndex((p) => p.name === name && (p.kind === 'plain' || p.kind === 'kwonly'));
      if (index >= 0) {
        if (locals[index]) it.rt.raise('TypeError', `${fname}() got multiple values for argument '${name}'`);
        locals[index] = take(value);
      } else if (extra) {
        it.rt.dictSetStr(extra, name, take(value));
      } else {
        it.rt.raise('TypeError', `${fname}() got an unexpected keyword argument '${name}'`);
      }
    }
  }
  const defaults = fn.defaults ? fn.defaults.items : [];
  const firstDefault = nPositional - defaults.length;
  const missing: string[] = [];
  const missingKw: string[] = [];
  for (let i = 0; i < params.length; i++) {
    if (locals[i]) continue;
    const p = params[i];
    if (p.kind === 'plain') {
      if (i >= firstDefault && defaults.length) locals[i] = heap.incref(defaults[i - firstDefault]);
      else missing.push(p.name);
    } else if (p.kind === 'kwonly') {
      const d = fn.kwdefaults?.entries.get('s:' + p.name);
      if (d) locals[i] = heap.incref(d.value);
      else missingKw.push(p.name);
    }
  }
  if (steal) {
    // The caller's references move into the frame: drop the copies the frame took above.
    for (const a of args) heap.decref(a);
    args.length = 0;
    if (kwargs) {
      for (const v of kwargs.values()) heap.decref(v);
      kwargs.clear();
    }
  }
  if (missing.length) it.rt.raise('TypeError', `${fname}() missing ${plural(missing.length, 'required positional argument')}: ${quoteList(missing)}`);
  if (missingKw.length) it.rt.raise('TypeError', `${fname}() missing ${plural(missingKw.length, 'required keyword-only argument')}: ${quoteList(missingKw)}`);
}
