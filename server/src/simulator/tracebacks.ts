// Printing exceptions as CPython does per version: tracebacks (with 3.11+ carets), chains, "Exception ignored" reports.
import type { Span } from './ast';
import type { Interp } from './interp';
import type { InstanceObj, PyObject, TracebackObj } from './objects';
import { exceptionStr, reprOf } from './reprs';
import { PyError } from './runtime';
import { suggestionFor } from './suggestions';

function exceptionTypeName(exc: InstanceObj): string {
  const cls = exc.cls;
  if (cls.builtin !== null || cls.moduleName === '__main__' || cls.moduleName === 'builtins') return cls.qualname;
  return `${cls.moduleName}.${cls.qualname}`;
}

function safeStr(it: Interp, exc: InstanceObj): string {
  try {
    return exceptionStr(it, exc);
  } catch (err) {
    if (err instanceof PyError) {
      it.heap.decref(err.exc);
      return '<exception str() failed>';
    }
    throw err;
  }
}

/**
 * The 3.11+ marker line under a source line, or null when CPython leaves it out (a plain `^` run covering the
 * whole line). Binary operators and subscripts get `~` with `^` under the operator / index; calls too from 3.13.
 */
function caretLine(it: Interp, source: string, span: Span): string | null {
  const indent = source.length - source.trimStart().length;
  const stripped = source.trim();
  const start = span.col;
  const end = span.endLine === span.line ? span.endCol : source.trimEnd().length;
  const anchor = span.anchor && (span.anchor.kind !== 'call' || it.profile.minor >= 13) ? span.anchor : undefined;
  if (!anchor && start <= indent && end >= indent + stripped.length) return null;
  if (end <= start) return null;
  let marks = '';
  for (let c = start; c < end; c++) {
    const inAnchor = anchor && c >= anchor.start && c < anchor.end;
    const isSpace = source[c] === ' ' || source[c] === '\t';
    marks += anchor ? (inAnchor && !(anchor.kind === 'binop' && isSpace) ? '^' : '~') : '^';
  }
  return ' '.repeat(4 + start - indent) + marks;
}

function formatEntry(it: Interp, t: TracebackObj): string {
  let out = `  File "${it.fileName}", line ${t.line}, in ${t.frame.funcName}\n`;
  const source = it.lines[t.line - 1];
  if (source !== undefined && source.trim() !== '') {
    out += `    ${source.trim()}\n`;
    if (it.profile.caretTracebacks && t.span && t.span.line === t.line) {
      const carets = caretLine(it, source, t.span);
      if (carets) out += carets + '\n';
    }
  }
  return out;
}

/** The traceback, with runs of more than three identical entries collapsed as CPython does. */
export function formatTraceback(it: Interp, tb: TracebackObj | null): string {
  let out = 'Traceback (most recent call last):\n';
  let last = '';
  let repeats = 0;
  const flush = (): void => {
    if (repeats > 3) out += `  [Previous line repeated ${repeats - 3} more time${repeats - 3 === 1 ? '' : 's'}]\n`;
  };
  for (let t = tb; t; t = t.next) {
    const entry = formatEntry(it, t);
    if (entry === last) {
      repeats++;
      if (repeats <= 3) out += entry;
      continue;
    }
    flush();
    last = entry;
    repeats = 1;
    out += entry;
  }
  flush();
  return out;
}

function formatOne(it: Interp, exc: InstanceObj, seen: Set<PyObject>): string {
  seen.add(exc);
  let out = '';
  const state = exc.exc;
  if (state) {
    if (state.cause && state.cause.kind === 'instance' && !seen.has(state.cause)) {
      out += formatOne(it, state.cause, seen) + '\nThe above exception was the direct cause of the following exception:\n\n';
    } else if (state.context && !state.suppressContext && state.context.kind === 'instance' && !seen.has(state.context)) {
      out += formatOne(it, state.context, seen) + '\nDuring handling of the above exception, another exception occurred:\n\n';
    }
    if (state.traceback) out += formatTraceback(it, state.traceback);
  }
  const message = safeStr(it, exc) + suggestionFor(it, exc);
  out += message ? `${exceptionTypeName(exc)}: ${message}\n` : `${exceptionTypeName(exc)}\n`;
  return out;
}

export function formatException(it: Interp, exc: InstanceObj): string {
  return formatOne(it, exc, new Set());
}

/** sys.unraisablehook's output for an exception raised in `__del__` or a weakref callback. */
export function reportUnraisable(it: Interp, err: PyError, callable: PyObject, self: PyObject | null): void {
  const style = it.profile.unraisableStyle;
  let header: string;
  if (style === 'bound-method' && self && callable.kind === 'function') {
    header = `Exception ignored in: <bound method ${callable.qualname} of ${reprOf(it, self)}>`;
  } else if (style === 'deallocator' && self) {
    header = `Exception ignored while calling deallocator ${reprOf(it, callable)}:`;
  } else if (style === 'deallocator') {
    header = `Exception ignored while calling weakref callback ${reprOf(it, callable)}:`;
  } else {
    header = `Exception ignored in: ${reprOf(it, callable)}`;
  }
  it.rt.write('stderr', header + '\n' + formatException(it, err.exc));
  it.heap.decref(err.exc);
}
