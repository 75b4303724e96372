// 10,000 levels of nesting where the rules look: inside functions that store a frame or a traceback, in defaults, annotations and cycles.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import type { ParserBackendKind, PythonParser } from '../../server/src/syntax/syntaxTypes';
import { loadBothParsers } from './fuzzCampaign';

const DEPTH = 10_000;

/** An expression nesting `value` DEPTH levels deep, one per shape (brackets, operators, chains, lambdas...). */
const DEEP_EXPRESSIONS: Readonly<Record<string, (value: string) => string>> = (() => {
  const nest = (open: string, inner: string, close: string): string => `${open.repeat(DEPTH)}${inner}${close.repeat(DEPTH)}`;
  const joined = (separator: string, item: string): string => Array.from({ length: DEPTH + 1 }, () => item).join(separator);
  return {
    parentheses: (v) => nest('(', v, ')'),
    lists: (v) => nest('[', v, ']'),
    dicts: (v) => nest('{1: ', v, '}'),
    tuples: (v) => nest('(', v, ',)'),
    calls: (v) => nest('g(', v, ')'),
    comprehensions: (v) => nest('[a for a in ', v, ']'),
    'binary-operators': (v) => joined(' + ', v),
    'union-operators': (v) => joined(' | ', v),
    boolean: (v) => joined(' and ', v),
    conditional: (v) => `${'a if b else '.repeat(DEPTH)}${v}`,
    lambdas: (v) => `${'lambda: '.repeat(DEPTH)}${v}`,
    attributes: (v) => `${v}${'.b'.repeat(DEPTH)}`,
    subscripts: (v) => `${v}${'[0]'.repeat(DEPTH)}`,
    not: (v) => `${'not '.repeat(DEPTH)}${v}`,
    unary: (v) => `${'-'.repeat(DEPTH)}${v}`,
    awaits: (v) => `${'await '.repeat(DEPTH)}${v}`,
    strings: () => '"a" '.repeat(DEPTH),
  };
})();

type Expected = Readonly<Record<string, number>>;

interface DeepInput {
  readonly name: string;
  readonly text: string;
  /** Findings per rule code, with every rule enabled. */
  readonly expected: Expected;
  /** What is missing today, when the expected findings are not all the code deserves. */
  readonly gap?: string;
}

/** Displays that hold the value they nest (a store of them stores it too). */
const HOLDING_DISPLAYS = new Set(['parentheses', 'lists', 'dicts', 'tuples']);
const MUTABLE_DISPLAYS = new Set(['lists', 'dicts', 'comprehensions']);

function deepInputs(): DeepInput[] {
  const inputs: DeepInput[] = [];
  for (const [shape, deep] of Object.entries(DEEP_EXPRESSIONS)) {
    inputs.push({
      name: `a frame stored in a function that also computes 10,000 ${shape}`,
      text: `import sys\ndef f():\n    frame = sys._getframe()\n    x = ${deep('frame')}\n`,
      expected: { GCL305: 1 },
    });
    inputs.push({
      name: `a caught exception stored on self beside 10,000 ${shape} over it`,
      text: `class C:\n    def f(self):\n        try:\n            pass\n        except Exception as e:\n            self.error = e\n            y = ${deep('e')}\n`,
      // `y = [[...e...]]` keeps the exception too; a call or operator result does not.
      expected: { GCL304: HOLDING_DISPLAYS.has(shape) ? 2 : 1 },
    });
    inputs.push({
      name: `10,000 ${shape} in a parameter default beside a mutable one`,
      text: `def f(a=${deep('x')}, b=[]):\n    pass\n`,
      expected: { GCL001: MUTABLE_DISPLAYS.has(shape) ? 2 : 1 },
    });
    inputs.push({
      name: `a parent/child cycle and closures over 10,000 ${shape} of self`,
      text: `class Node:\n    def __init__(self, parent):\n        self.parent = parent\n        parent.children.append(self)\n        self.cb = lambda: ${deep('self')}\n        self.x = ${deep('self')}\n`,
      expected: {
        GCL101: 1,
        ...(shape === 'strings' ? {} : { GCL102: shape === 'lambdas' ? 2 : 1 }),
        ...(HOLDING_DISPLAYS.has(shape) ? { GCL104: 1 } : {}),
      },
    });
  }
  for (const shape of ['lists', 'calls', 'lambdas'] as const) {
    inputs.push({
      name: `a module and a class registry added to inside 10,000 ${shape}`,
      text: `REG = []\nclass K:\n    items = []\n    def f(self, x):\n        y = ${DEEP_EXPRESSIONS[shape]('self.items.append(x) or REG.append(x)')}\n`,
      expected: { GCL302: 2 },
    });
  }
  const alternatives = Array.from({ length: DEPTH }, () => 'int').join(' | ');
  inputs.push({ name: 'def f(a: int | …10,000 alternatives… | str = [])', text: `def f(a: ${alternatives} | str = []):\n    pass\n`, expected: { GCL001: 1 } });
  inputs.push({ name: 'a default calling a 10,000-attribute chain', text: `import collections\ndef f(a=collections${'.b'.repeat(DEPTH)}(), b=[]):\n    pass\n`, expected: { GCL001: 1 } });
  inputs.push({ name: 'a store through a 10,000-attribute chain in a cyclic class', text: `class Node:\n    def __init__(self, parent):\n        self.parent = parent\n        parent.children.append(self)\n        self${'.b'.repeat(DEPTH)} = self\n`, expected: { GCL101: 1 } });
  inputs.push({
    name: 'a finalizer watching a 10,000-attribute chain of self with a bound method of self',
    text: `import weakref\nclass C:\n    def __init__(self):\n        weakref.finalize(self${'.b'.repeat(DEPTH)}, self.close)\n    def close(self):\n        pass\n`,
    expected: { GCL202: 1 },
  });
  const ifs = (levels: number): string => Array.from({ length: levels }, (_, i) => `${' '.repeat(i + 1)}if a:`).join('\n');
  inputs.push({
    name: 'a frame stored under 10,000 nested blocks',
    text: `import sys\ndef f():\n${ifs(DEPTH)}\n${' '.repeat(DEPTH + 1)}frame = sys._getframe()\n`,
    expected: {},
    gap: "tree-sitter-python's indentation scanner keeps about 500 levels: deeper blocks are an ERROR tree, where the store is not seen",
  });
  inputs.push({ name: 'a frame stored under 500 nested blocks', text: `import sys\ndef f():\n${ifs(500)}\n${' '.repeat(501)}frame = sys._getframe()\n`, expected: { GCL305: 1 } });
  const handlers = Array.from({ length: 250 }, (_, i) => {
    // Each handler's body holds the store, then the next `try` (valid Python: 500 nested blocks, 251 indentation levels).
    const at = ' '.repeat(i + 1);
    return `${at}try:\n${at} pass\n${at}except E as e${i}:\n${at} self.e${i} = e${i}`;
  }).join('\n');
  inputs.push({ name: '250 handlers nested in each other (500 blocks), each storing its exception', text: `def f(self):\n${handlers}\n`, expected: { GCL304: 250 } });
  const defs = Array.from({ length: 500 }, (_, i) => `${' '.repeat(i + 1)}def f${i}(self, a=[]):`).join('\n');
  inputs.push({ name: '500 nested defs with mutable defaults and a closure over self', text: `class C:\n${defs}\n${' '.repeat(501)}self.cb = lambda: self\n`, expected: { GCL001: 500, GCL102: 1 } });
  return inputs;
}

function countByCode(codes: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

describe(`deep nesting through every rule: ${DEPTH.toLocaleString('en-US')} levels where the rules look (timings are printed, not asserted)`, () => {
  let parsers: Readonly<Record<ParserBackendKind, PythonParser>>;
  before(async () => {
    parsers = await loadBothParsers();
  });

  for (const input of deepInputs()) {
    it(`${input.name}${input.gap ? ' (known gap)' : ''}`, (t) => {
      const figures: string[] = [];
      for (const backend of ['native', 'wasm'] as const) {
        const tree = parsers[backend].parse(input.text);
        try {
          assert.equal(tree.rootNode.hasError, input.gap !== undefined, `${backend}: the input parses cleanly unless it shows a gap`);
          const started = performance.now();
          const findings = analyze({ text: input.text, tree, settings: DEFAULT_SETTINGS });
          figures.push(`${backend} ${(performance.now() - started).toFixed(0)} ms`);
          assert.deepEqual(countByCode(findings.map((finding) => finding.code)), input.expected, `${backend}${input.gap ? `: ${input.gap}` : ''}`);
        } finally {
          tree.dispose();
        }
      }
      t.diagnostic(`analysis with every rule: ${figures.join(', ')}`);
    });
  }
});
