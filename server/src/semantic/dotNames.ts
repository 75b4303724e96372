// Every `.name` of a text, found once per text with indexOf: the store-shaped places several text scans look for.

/**
 * The `.name`s of a text (blanks allowed after the dot), in text order, packed four numbers each: where the dot
 * is, where the name starts and ends, and the first character after the name that is not a space or tab (may be
 * the text's length). Packed, because a large module has tens of thousands of them and the scans read each once.
 */
export class DotNames {
  constructor(readonly count: number, private readonly packed: Int32Array) {}
  dot(index: number): number {
    return this.packed[index * 4];
  }
  nameStart(index: number): number {
    return this.packed[index * 4 + 1];
  }
  nameEnd(index: number): number {
    return this.packed[index * 4 + 2];
  }
  after(index: number): number {
    return this.packed[index * 4 + 3];
  }
}

let lastText: string | undefined;
let lastNames = new DotNames(0, new Int32Array(0));

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isNamePart(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57);
}

/**
 * Each `.` followed (after blanks) by an ASCII name, as `\.[ \t]*[A-Za-z_]\w*` reads them, with what follows. Kept
 * for the last text: the rough scan of GCL104 and the cycle candidates read the same document.
 */
export function dotNames(text: string): DotNames {
  if (text === lastText) return lastNames;
  let packed = new Int32Array(1024);
  let count = 0;
  for (let dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', dot + 1)) {
    let start = dot + 1;
    while (isBlank(text.charCodeAt(start))) start++;
    if (!isNameStart(text.charCodeAt(start))) continue;
    let end = start + 1;
    while (isNamePart(text.charCodeAt(end))) end++;
    let after = end;
    while (isBlank(text.charCodeAt(after))) after++;
    if ((count + 1) * 4 > packed.length) {
      const grown = new Int32Array(packed.length * 2);
      grown.set(packed);
      packed = grown;
    }
    const at = count * 4;
    packed[at] = dot;
    packed[at + 1] = start;
    packed[at + 2] = end;
    packed[at + 3] = after;
    count++;
  }
  lastText = text;
  lastNames = new DotNames(count, packed);
  return lastNames;
}

/** The name of the `index`th `.name`. */
export function dotName(text: string, names: DotNames, index: number): string {
  return text.slice(names.nameStart(index), names.nameEnd(index));
}

/** Whether `=` stands at `at` and is not the start of `==`. */
export function isAssignAt(text: string, at: number): boolean {
  return text.charCodeAt(at) === 61 && text.charCodeAt(at + 1) !== 61;
}
