// A text-only pre-check: can this document build a cycle the cycle rules look for? Most documents cannot, and skip the model.

const STORE_PATTERNS: readonly RegExp[] = [
  /\.[ \t]*[A-Za-z_]\w*[ \t]*(?::[^=\n]*)?=(?!=)/g, // a.b = v
  /\][ \t]*=(?!=)/g, // a[k] = v
  /\.[ \t]*(?:append|add|insert|appendleft|setdefault)[ \t]*\(/g, // a.append(v)
];
const ALIAS_LINE = /^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*([A-Za-z_][\w.]*)[ \t]*(?:#.*)?$/gm;
const DEF_NAME = /^([ \t]*)(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)/gm;
const HOLDER_BEFORE = /([A-Za-z_][\w.]*(?:\[[^\]\n]*\][\w.]*)*)[ \t]*$/;
const PATH_VALUE = /^[ \t]*([A-Za-z_][\w.]*)[ \t]*(?:[)\],;#\r]|$)/;
const CALL_OF_BOUND = /^[ \t]*([A-Za-z_][\w.]*)[ \t]*\([ \t]*[A-Za-z_]\w*\.([A-Za-z_]\w*)/;

interface TextStore {
  readonly holder: string;
  readonly value: string;
}

/** `a.b[k].c` → `a.b[].c`: item keys do not matter to which object a path names. */
function normalizePath(text: string): string {
  return text.replace(/\[[^\]]*\]/g, '[]').replace(/\s+/g, '');
}

function extendsText(outer: string, inner: string): boolean {
  return inner.length > outer.length && inner.startsWith(outer) && (inner[outer.length] === '.' || inner[outer.length] === '[');
}

/** Each spelling a path may stand for once simple aliases (`p = self.parent`) are expanded (a few at most). */
function expansions(path: string, aliases: ReadonlyMap<string, readonly string[]>, depth = 0): string[] {
  const root = /^[A-Za-z_]\w*/.exec(path)?.[0];
  const targets = root ? aliases.get(root) : undefined;
  if (!root || !targets || depth > 3) return [path];
  return [path, ...targets.slice(0, 3).flatMap((target) => (target.startsWith(root) ? [] : expansions(target + path.slice(root.length), aliases, depth + 1)))];
}

function rootOf(path: string): string {
  return /^[A-Za-z_]\w*/.exec(path)?.[0] ?? '';
}

/** Whether two paths may start at the same object, aliases expanded. */
function sameRoot(first: string, second: string, aliases: ReadonlyMap<string, readonly string[]>): boolean {
  const roots = new Set(expansions(first, aliases).map(rootOf));
  return expansions(second, aliases).some((path) => roots.has(rootOf(path)));
}

/**
 * Whether the document may hold a cycle of the kinds GCL101–GCL103 (and the self-references GCL201 uses) find: a
 * stored lambda, partial, nested function or bound method of a function defined here, or stores whose holder and
 * value paths could close a loop. Over-approximates (strings and comments count); never misses what the model finds.
 */
export function mayBuildCycles(source: string): boolean {
  // Each function name with the deepest indentation it is defined at.
  const definitions = new Map<string, number>();
  DEF_NAME.lastIndex = 0;
  for (let match = DEF_NAME.exec(source); match; match = DEF_NAME.exec(source)) {
    definitions.set(match[2], Math.max(definitions.get(match[2]) ?? 0, match[1].length));
  }
  const aliases = new Map<string, string[]>();
  ALIAS_LINE.lastIndex = 0;
  for (let match = ALIAS_LINE.exec(source); match; match = ALIAS_LINE.exec(source)) {
    const list = aliases.get(match[1]) ?? [];
    if (!list.includes(match[2])) list.push(match[2]);
    aliases.set(match[1], list);
  }
  const stores: TextStore[] = [];
  for (const pattern of STORE_PATTERNS) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
      const lineStart = source.lastIndexOf('\n', match.index) + 1;
      const holderMatch = HOLDER_BEFORE.exec(source.slice(lineStart, match.index + (match[0].startsWith(']') ? 1 : 0)));
      let rest = source.slice(match.index + match[0].length, source.indexOf('\n', match.index) >>> 0);
      if (/insert|setdefault/.test(match[0])) rest = rest.slice(rest.indexOf(',') + 1);
      if (/^[ \t]*lambda\b/.test(rest) || /^[ \t]*[\w.]*partial[ \t]*\(/.test(rest)) return true;
      const call = CALL_OF_BOUND.exec(rest);
      if (call && definitions.has(call[1]) && definitions.has(call[2])) return true;
      const value = PATH_VALUE.exec(rest)?.[1];
      if (!value) continue;
      // A bound method of a method defined here, or a nested function stored by name.
      const last = /\.([A-Za-z_]\w*)$/.exec(value)?.[1];
      if (!holderMatch || /^(?:None|True|False)$/.test(value)) continue;
      const holder = normalizePath(holderMatch[1]);
      const indent = /^[ \t]*/.exec(source.slice(lineStart, lineStart + 200))?.[0].length ?? 0;
      if (last && definitions.has(last) && sameRoot(holder, value, aliases)) return true;
      if ((definitions.get(value) ?? -1) >= indent) return true;
      stores.push({ holder, value: normalizePath(value) });
    }
  }
  const byValue = new Map<string, string[]>();
  const expanded = stores.map((store) => ({ holders: expansions(store.holder, aliases), values: expansions(store.value, aliases) }));
  for (const { holders, values } of expanded) {
    for (const value of values) byValue.set(value, [...(byValue.get(value) ?? []), ...holders]);
  }
  for (const { holders, values } of expanded) {
    for (const holder of holders) {
      for (const value of values) {
        if (holder === value || extendsText(value, holder)) return true;
        for (const partner of byValue.get(holder) ?? []) if (partner === value || extendsText(value, partner)) return true;
      }
    }
  }
  return false;
}
