// format(value, spec): Python's format-spec mini-language for str, int and float (f-strings, str.format, format()).
import type { Interp } from './interp';
import type { PyObject } from './objects';
import { floatRepr } from './repr';
import { strOf } from './reprs';

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

/** Formats `v` with `spec`; when `consume` is set, `v` is a temporary this call releases. */
export function formatValue(it: Interp, v: PyObject, spec: string, consume: boolean): string {
  try {
    return formatSpec(it, v, spec);
  } finally {
    if (consume) it.heap.decref(v);
  }
}

function formatSpec(it: Interp, v: PyObject, spec: string): string {
  if (spec === '') return strOf(it, v);
  const m = SPEC.exec(spec);
  if (!m) return it.rt.raise('ValueError', `Invalid format specifier '${spec}' for object of type '${v.cls.name}'`);
  const [, fillChar, alignChar, sign, alternate, zero, widthText, grouping, precText, typeChar] = m;
  const isNumber = v.kind === 'int' || v.kind === 'float' || v.kind === 'bool';
  let body: string;
  const precision = precText === undefined ? undefined : Number(precText);
  if (isNumber) {
    const num = v.kind === 'bool' ? (v.value ? 1 : 0) : v.value;
    const n = typeof num === 'bigint' ? num : num;
    const type = typeChar ?? (v.kind === 'float' ? '' : 'd');
    const neg = typeof n === 'bigint' ? n < 0n : n < 0 || Object.is(n, -0);
    const abs = typeof n === 'bigint' ? (n < 0n ? -n : n) : Math.abs(n);
    switch (type) {
      case 'd':
      case 'n':
        body = typeof abs === 'bigint' ? abs.toString() : String(Math.trunc(abs));
        break;
      case 'f':
      case 'F':
        body = Number(abs).toFixed(precision ?? 6);
        break;
      case 'e':
      case 'E': {
        const t = Number(abs).toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
        body = type === 'E' ? t.toUpperCase() : t;
        break;
      }
      case '%':
        body = (Number(abs) * 100).toFixed(precision ?? 6) + '%';
        break;
      case 'x':
        body = BigInt(Math.trunc(Number(abs))).toString(16);
        break;
      case 'X':
        body = BigInt(Math.trunc(Number(abs))).toString(16).toUpperCase();
        break;
      case 'b':
        body = BigInt(Math.trunc(Number(abs))).toString(2);
        break;
      case 'o':
        body = BigInt(Math.trunc(Number(abs))).toString(8);
        break;
      case 'g':
      case 'G':
        body = String(Number(Number(abs).toPrecision(precision || 6)));
        break;
      default:
        body = precision !== undefined ? String(Number(Number(abs).toPrecision(precision))) : v.kind === 'float' ? floatRepr(Number(abs)) : String(abs);
    }
    if (alternate && (type === 'x' || type === 'X' || type === 'b' || type === 'o')) body = `0${type}${body}`;
    if (grouping) {
      const [intPart, frac] = body.split('.');
      body = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) + (frac !== undefined ? '.' + frac : '');
    }
    const signText = neg ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
    const width = widthText ? Number(widthText) : 0;
    if (zero && !alignChar) return signText + body.padStart(width - signText.length, '0');
    body = signText + body;
    return pad(body, width, fillChar ?? ' ', alignChar ?? '>');
  }
  body = strOf(it, v);
  if (precision !== undefined) body = body.slice(0, precision);
  return pad(body, widthText ? Number(widthText) : 0, fillChar ?? ' ', alignChar ?? '<');
}

function pad(s: string, width: number, fill: string, align: string): string {
  if (s.length >= width) return s;
  const total = width - s.length;
  if (align === '<') return s + fill.repeat(total);
  if (align === '>' || align === '=') return fill.repeat(total) + s;
  const left = Math.floor(total / 2);
  return fill.repeat(left) + s + fill.repeat(total - left);
}
