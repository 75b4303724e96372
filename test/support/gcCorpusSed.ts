// The `sed -E` substitutions the GC corpus's normalization uses (`s/RE/REPLACEMENT/FLAGS`), run in JS RegExp.

/** One parsed `s` command, ready to run on a line. */
export interface SedSubstitution {
  /** The expression as written, for messages. */
  readonly source: string;
  readonly pattern: RegExp;
  readonly replacement: readonly ReplacementPart[];
  readonly global: boolean;
}

type ReplacementPart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'group'; readonly index: number };

/** POSIX bracket classes an ERE may use, as JS class contents. */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: 'A-Za-z0-9', alpha: 'A-Za-z', blank: ' \\t', digit: '0-9', lower: 'a-z', punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v', upper: 'A-Z', xdigit: '0-9A-Fa-f',
};

/** Splits `s#a#b#g` into its three parts at unescaped delimiters (an escaped delimiter stays `\d`). */
function splitCommand(expr: string): { pattern: string; replacement: string; flags: string; delimiter: string } {
  if (expr[0] !== 's' || expr.length < 4) throw new Error(`unsupported sed command (only s/…/…/ is): ${expr}`);
  const delimiter = expr[1];
  if (delimiter === '\\' || delimiter === '\n') throw new Error(`bad sed delimiter in ${expr}`);
  const parts: string[] = [];
  let current = '';
  for (let i = 2; i < expr.length; i++) {
    const char = expr[i];
    if (char === '\\' && i + 1 < expr.length) {
      current += char + expr[i + 1];
      i++;
    } else if (char === delimiter && parts.length < 2) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (parts.length !== 2) throw new Error(`unterminated sed s command: ${expr}`);
  return { pattern: parts[0], replacement: parts[1], flags: current, delimiter };
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/;

/** Translates a POSIX extended regular expression (the subset GNU `sed -E` shares with JS) to JS source. */
function ereToJs(ere: string, delimiter: string, expr: string): string {
  let out = '';
  for (let i = 0; i < ere.length; i++) {
    const char = ere[i];
    if (char === '\\') {
      const next = ere[i + 1];
      if (next === undefined) throw new Error(`trailing backslash in ${expr}`);
      i++;
      if (next === delimiter) out += REGEX_SPECIAL.test(next) ? `\\${next}` : next;
      else if (next === '<' || next === '>' || next === '`' || next === "'") throw new Error(`unsupported GNU sed anchor \\${next} in ${expr}`);
      else if (/[1-9]/.test(next)) throw new Error(`back-references in patterns are not supported: ${expr}`);
      else out += `\\${next}`;
    } else if (char === '[') {
      // A bracket expression: `]` first is literal, POSIX classes become ranges, backslash is literal in POSIX.
      let j = i + 1;
      let body = '';
      if (ere[j] === '^') {
        body += '^';
        j++;
      }
      if (ere[j] === ']') {
        body += '\\]';
        j++;
      }
      while (j < ere.length && ere[j] !== ']') {
        const posix = /^\[:([a-z]+):\]/.exec(ere.slice(j));
        if (posix) {
          const range = POSIX_CLASSES[posix[1]];
          if (range === undefined) throw new Error(`unknown POSIX class [:${posix[1]}:] in ${expr}`);
          body += range;
          j += posix[0].length;
        } else {
          body += ere[j] === '\\' ? '\\\\' : ere[j];
          j++;
        }
      }
      if (j >= ere.length) throw new Error(`unterminated bracket expression in ${expr}`);
      out += `[${body}]`;
      i = j;
    } else if (char === '/') {
      out += '\\/';
    } else {
      out += char;
    }
  }
  return out;
}

function parseReplacement(text: string, delimiter: string): ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal) parts.push({ kind: 'text', text: literal });
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '&') {
      flush();
      parts.push({ kind: 'group', index: 0 });
    } else if (char === '\\' && i + 1 < text.length) {
      const next = text[++i];
      if (/[0-9]/.test(next)) {
        flush();
        parts.push({ kind: 'group', index: Number(next) });
      } else if (next === 'n') literal += '\n';
      else if (next === 't') literal += '\t';
      else literal += next === delimiter ? delimiter : next;
    } else {
      literal += char;
    }
  }
  flush();
  return parts;
}

/** Parses one `sed -E` substitution; throws on anything outside the supported subset (so nothing is silently misread). */
export function parseSedSubstitution(expr: string): SedSubstitution {
  const { pattern, replacement, flags, delimiter } = splitCommand(expr);
  let global = false;
  let ignoreCase = false;
  for (const flag of flags) {
    if (flag === 'g') global = true;
    else if (flag === 'I' || flag === 'i') ignoreCase = true;
    else throw new Error(`unsupported sed flag "${flag}" in ${expr}`);
  }
  const source = ereToJs(pattern, delimiter, expr);
  const regex = new RegExp(source, `${global ? 'g' : ''}${ignoreCase ? 'i' : ''}`);
  const groups = new RegExp(`${source}|`).exec('')?.length ?? 1;
  const parts = parseReplacement(replacement, delimiter);
  for (const part of parts) {
    if (part.kind === 'group' && part.index >= groups) throw new Error(`invalid reference \\${part.index} on s command's RHS: ${expr}`);
  }
  return { source: expr, pattern: regex, replacement: parts, global };
}

function substituteLine(line: string, substitution: SedSubstitution): string {
  return line.replace(substitution.pattern, (...match: unknown[]) => {
    const groups = match.slice(0, match.findIndex((value) => typeof value === 'number')) as (string | undefined)[];
    return substitution.replacement.map((part) => (part.kind === 'text' ? part.text : groups[part.index] ?? '')).join('');
  });
}

/** Runs the substitutions on each line of `text`, as `sed -E -e … -e …` would (a final line without newline stays so). */
export function applySed(text: string, substitutions: readonly SedSubstitution[]): string {
  if (substitutions.length === 0 || text === '') return text;
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  const edited = lines.map((line) => substitutions.reduce((current, substitution) => substituteLine(current, substitution), line));
  return edited.join('\n') + (endsWithNewline ? '\n' : '');
}
