// What the text right around a container's name allows its uses to be, read before any tree work: growth, an alias, a way out.
import { occurrences } from './textSearch';

const ADD_METHODS = 'append|add|extend|insert|setdefault|update|appendleft|extendleft|__setitem__';
/** Right after a name: an addition-shaped use (sticky, tried at the name's end). */
const GROWTH_AFTER = new RegExp(String.raw`[ \t]*(?:\.[ \t]*(?:${ADD_METHODS})[ \t]*\(|\[[^\]\n]*\][ \t]*(?:=(?!=)|[+|]=|\.[ \t]*(?:${ADD_METHODS})[ \t]*\()|\|=|\+=)`, 'y');
/** `[A-Za-z0-9_]`: what `\\w` matches. */
function isWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

/** Whether `=` (not `==`, `!=`, `<=`, `>=`) and blanks come right before offset `end` on its line. */
function assignmentEndsAt(text: string, end: number): boolean {
  let equals = end;
  while (equals > 0 && (text[equals - 1] === ' ' || text[equals - 1] === '\t')) equals--;
  if (text[equals - 1] !== '=' || equals < 2) return false;
  const before = text[equals - 2];
  return before !== '=' && before !== '!' && before !== '<' && before !== '>' && before !== '\n';
}

/**
 * Whether the name at `at` is assigned whole to something (`reg = REGISTRY`, `x = self._items`): what the regex
 * `[^=!<>]=[ \t]*(?:[A-Za-z_]\w*\.)?$` finds on the line before it, read backwards from the name without a slice.
 */
function assignedWhole(text: string, at: number): boolean {
  if (text[at - 1] === '.') {
    let objectStart = at - 1;
    while (objectStart > 0 && isWordCode(text.charCodeAt(objectStart - 1))) objectStart--;
    const first = text.charCodeAt(objectStart);
    if (objectStart < at - 1 && !(first >= 48 && first <= 57) && assignmentEndsAt(text, objectStart)) return true;
  }
  return assignmentEndsAt(text, at);
}

/**
 * Which of `names` the text uses in an addition-shaped way (`n.append(`, `n[k] =`, `n[k].append(`, `n |=`, `n +=`,
 * attributes too) or assigns whole to something (`reg = REGISTRY`: an alias may add). A cheap text filter that
 * never drops a name the facts would see grow, bar a subscript with nested brackets.
 */
export function namesThatMayGrow(text: string, names: ReadonlySet<string>): Set<string> {
  const grow = new Set<string>();
  for (const name of names) {
    for (const at of occurrences(text, name)) {
      GROWTH_AFTER.lastIndex = at + name.length;
      if (GROWTH_AFTER.test(text) || assignedWhole(text, at)) {
        grow.add(name);
        break;
      }
    }
  }
  return grow;
}

/** Right after a name: a use that cannot give a way out by its text (an add or read method called on it, an index). */
const PLAIN_USE_AFTER = new RegExp(String.raw`[ \t]*(?:\.[ \t]*(?:${ADD_METHODS}|get|keys|values|items|copy|count|index)[ \t]*\(|\[[^\]:\n]*\])`, 'y');

/** Whether the text around the hit at `at` may be a way out: anything but a plain add, read or index not under `del`. */
export function mayBeWayOut(text: string, at: number, name: string): boolean {
  PLAIN_USE_AFTER.lastIndex = at + name.length;
  if (!PLAIN_USE_AFTER.test(text)) return true;
  return text.slice(text.lastIndexOf('\n', at - 1) + 1, at).includes('del');
}

const BLANK = new Set([' ', '\t', '\f', '\\', '\n', '\r']);
const OPENING = new Set(['(', '[', '{']);
const CLOSING = new Set([')', ']', '}']);

/** The offset of the first token after `at`: blanks, line breaks, backslash continuations and comments skipped. */
function nextTokenAt(text: string, at: number): number {
  let next = at;
  while (next < text.length) {
    if (BLANK.has(text[next])) next++;
    else if (text[next] === '#') {
      while (next < text.length && text[next] !== '\n' && text[next] !== '\r') next++;
    } else break;
  }
  return next;
}

/**
 * Whether an `=` may come before the hit at `at` in its statement: on its logical line (backslash continuations and
 * brackets closed before the hit followed back). A hit inside an open bracket answers yes (not worth telling).
 */
function assignedBefore(text: string, at: number): boolean {
  let depth = 0;
  for (let before = at - 1; before >= 0; before--) {
    const character = text[before];
    if (character === '=') return true;
    if (CLOSING.has(character)) depth++;
    else if (OPENING.has(character) && --depth < 0) return true;
    else if (depth === 0 && (character === '\n' || character === '\r')) {
      let end = before - 1;
      if (character === '\n' && text[end] === '\r') end--;
      if (text[end] !== '\\') return false;
      before = end;
    }
  }
  return false;
}

/**
 * Whether the hit of `name` at `at` may add to its container or alias it: the next token is `.` (a method), `[` (an
 * item), `+=` or `|=`, or an `=` comes before it in its statement (`reg = REGISTRY`). Every addition and alias the
 * classification finds passes (a superset, read from the text alone).
 */
export function mayAddOrAlias(text: string, at: number, name: string): boolean {
  const next = nextTokenAt(text, at + name.length);
  const token = text[next];
  if (token === '.' || token === '[' || ((token === '+' || token === '|') && text[next + 1] === '=')) return true;
  return assignedBefore(text, at);
}
