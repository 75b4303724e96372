// CPython's reprs of builtin objects (addresses are fake but unique per object) and float formatting.
import type { PyObject } from './objects';

const ADDRESS_BASE = 0x7f3a5c000000;

/** The fake address of an object: stable, unique, 16-byte aligned like CPython's. */
export function addressOf(obj: PyObject): number {
  return ADDRESS_BASE + obj.serial * 0x40;
}

export function hexAddress(obj: PyObject): string {
  return '0x' + addressOf(obj).toString(16);
}

/** Python's repr of a float (shortest round-trip digits, Python's exponent rules). */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const exp = x.toExponential(); // shortest digits: "1.5e+20"
  const [mantissa, expText] = exp.split('e');
  const e = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let out: string;
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    out = m + 'e' + (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
  } else if (e < 0) {
    out = '0.' + '0'.repeat(-e - 1) + digits;
  } else if (digits.length > e + 1) {
    out = digits.slice(0, e + 1) + '.' + digits.slice(e + 1);
  } else {
    out = digits + '0'.repeat(e + 1 - digits.length) + '.0';
  }
  return (negative ? '-' : '') + out;
}

/** Python's repr of a str: single quotes unless the text has them and no double quotes. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

export function bytesRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = 'b' + quote;
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code >= 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}
