// 10,000 levels of every nesting shape through every layer, and the simulator's CPython limits against recorded CPython output.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { fixAll } from '../../server/src/analysis/applyFixes';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import { simulate } from '../../server/src/simulator/simulate';
import type { SimulationEnd, TargetVersion } from '../../server/src/simulator/simulatorTypes';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { loadBothParsers } from './fuzzCampaign';
import { NESTING_SHAPES, nestedSource, type NestingShape } from './fuzzInputs';

const DEPTH = 10_000;

const RECURSION_DURING_COMPILATION = 'RecursionError: maximum recursion depth exceeded during compilation';
const PARSER_STACK_OVERFLOW = 'MemoryError: Parser stack overflowed - Python source too complex to parse';
/**
 * How the simulator (target 3.12) ends on each shape at 10,000 levels, and what CPython 3.12.1 does (pyenv, run as a
 * script; parseLimits.test.ts checks every version's thresholds). Where they differ the gap is named.
 */
const EXPECTED_END: Readonly<Record<NestingShape, { end: (end: SimulationEnd) => boolean; cpython: string }>> = {
  parentheses: { end: (e) => e.kind === 'syntax-error' && e.message === 'SyntaxError: too many nested parentheses', cpython: 'same' },
  brackets: { end: (e) => e.kind === 'syntax-error' && e.message === 'SyntaxError: too many nested parentheses', cpython: 'same' },
  braces: { end: (e) => e.kind === 'syntax-error' && e.message === 'SyntaxError: too many nested parentheses', cpython: 'same' },
  unclosed: { end: (e) => e.kind === 'syntax-error' && e.message === 'SyntaxError: too many nested parentheses', cpython: 'same' },
  comprehensions: { end: (e) => e.kind === 'syntax-error' && e.message === 'SyntaxError: too many nested parentheses', cpython: 'same' },
  blocks: { end: (e) => e.kind === 'syntax-error' && e.line === 101 && e.message === 'IndentationError: too many levels of indentation', cpython: 'same' },
  defs: { end: (e) => e.kind === 'syntax-error' && e.line === 101 && e.message === 'IndentationError: too many levels of indentation', cpython: 'same' },
  'binary-operators': { end: (e) => e.kind === 'syntax-error' && e.message === RECURSION_DURING_COMPILATION, cpython: 'same' },
  'attribute-chain': { end: (e) => e.kind === 'syntax-error' && e.message === RECURSION_DURING_COMPILATION, cpython: 'same' },
  calls: { end: (e) => e.kind === 'syntax-error' && e.message === RECURSION_DURING_COMPILATION, cpython: 'same' },
  subscripts: { end: (e) => e.kind === 'syntax-error' && e.message === RECURSION_DURING_COMPILATION, cpython: 'same' },
  lambdas: { end: (e) => e.kind === 'syntax-error' && e.message === PARSER_STACK_OVERFLOW, cpython: 'same' },
  unary: { end: (e) => e.kind === 'syntax-error' && e.message === PARSER_STACK_OVERFLOW, cpython: 'same' },
  not: { end: (e) => e.kind === 'syntax-error' && e.message === PARSER_STACK_OVERFLOW, cpython: 'same' },
  conditional: { end: (e) => e.kind === 'syntax-error' && e.message === PARSER_STACK_OVERFLOW, cpython: 'same' },
  // CPython's BoolOp is flat: it compiles, and the run fails on the first name.
  boolean: { end: (e) => e.kind === 'exception' && e.exceptionType === 'NameError', cpython: 'same' },
  'strings-concatenated': { end: (e) => e.kind === 'completed', cpython: 'same' },
};

describe(`deep nesting: ${DEPTH.toLocaleString('en-US')} levels through parser, rules, fixes and simulator`, () => {
  let parsers: { native: PythonParser; wasm: PythonParser };
  before(async () => {
    parsers = await loadBothParsers();
  });

  for (const shape of NESTING_SHAPES) {
    it(`${shape}: parses on both backends, every rule and safe fix-all run, the simulator ends as CPython does${EXPECTED_END[shape].cpython === 'same' ? '' : ' (known gap)'}`, () => {
      const text = nestedSource(shape, DEPTH);
      for (const parser of [parsers.native, parsers.wasm]) {
        const tree = parser.parse(text);
        try {
          assert.ok(tree.rootNode.endIndex <= text.length);
          if (parser === parsers.native) assert.ok(Array.isArray(analyze({ text, tree, settings: DEFAULT_SETTINGS })));
        } finally {
          tree.dispose();
        }
      }
      const fixed = fixAll(text, parsers.native, DEFAULT_SETTINGS, { safeOnly: true });
      assert.ok(fixed.converged, 'safe fix-all converges');
      const result = simulate(text, parsers.native, { targetVersion: '3.12', fileName: 'deep.py' });
      assert.ok(EXPECTED_END[shape].end(result.end), `simulator end ${JSON.stringify(result.end)}`);
      assert.ok(result.exitCode === 1 || result.end.kind === 'completed', 'a failed compilation exits with 1');
    });
  }
});

/** Sources and what CPython printed for them, recorded with the pyenv CPythons run as `python FILE` (file name replaced). */
const RECORDED: readonly { name: string; source: string; versions: readonly TargetVersion[]; stderr: string }[] = (() => {
  const indent = `${Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}if 1:`).join('\n')}\n${' '.repeat(100)}pass\n`;
  const loops = `print(1)\n${Array.from({ length: 22 }, (_, i) => `${' '.repeat(i)}for x in []:`).join('\n')}\n${' '.repeat(22)}pass\n`;
  const parens = `x = ${'('.repeat(250)}1${')'.repeat(250)}\n`;
  const parenCaret = `    x = ${'('.repeat(250)}1${')'.repeat(250)}\n${' '.repeat(4 + 4 + 200)}^\n`;
  const binops = `x = 1\ny = ${Array.from({ length: 3100 }, () => 'x').join(' + ')}\n`;
  return [
    { name: 'indentation, old tokenizer', source: indent, versions: ['3.6', '3.8'], stderr: '  File "f.py", line 101\n    pass\n       ^\nIndentationError: too many levels of indentation\n' },
    { name: 'indentation', source: indent, versions: ['3.9', '3.12', '3.13'], stderr: '  File "f.py", line 101\n    pass\nIndentationError: too many levels of indentation\n' },
    { name: 'static blocks, no location', source: loops, versions: ['3.6', '3.8'], stderr: 'SyntaxError: too many statically nested blocks\n' },
    { name: 'static blocks, one caret', source: loops, versions: ['3.9'], stderr: '  File "f.py", line 22\n    for x in []:\n    ^\nSyntaxError: too many statically nested blocks\n' },
    { name: 'static blocks, underlined', source: loops, versions: ['3.10', '3.12'], stderr: '  File "f.py", line 22\n    for x in []:\n    ^^^^^^^^^^^^\nSyntaxError: too many statically nested blocks\n' },
    { name: 'brackets, LL(1) parser stack', source: parens, versions: ['3.6', '3.8'], stderr: 's_push: parser stack overflow\nMemoryError\n' },
    { name: 'brackets, tokenizer level', source: parens, versions: ['3.9', '3.12'], stderr: `  File "f.py", line 1\n${parenCaret}SyntaxError: too many nested parentheses\n` },
    { name: 'expression depth', source: binops, versions: ['3.6', '3.11', '3.12'], stderr: `${RECURSION_DURING_COMPILATION}\n` },
  ];
})();

describe('deep nesting: the simulator rejects what CPython rejects, with its words', () => {
  let parser: PythonParser;
  before(async () => {
    parser = (await loadBothParsers()).native;
  });

  for (const recorded of RECORDED) {
    it(`${recorded.name} (${recorded.versions.join(', ')})`, () => {
      for (const targetVersion of recorded.versions) {
        const result = simulate(recorded.source, parser, { targetVersion, fileName: 'f.py' });
        assert.equal(result.output.map((chunk) => chunk.text).join(''), recorded.stderr, `CPython ${targetVersion}`);
        assert.equal(result.exitCode, 1);
        assert.equal(result.output.every((chunk) => chunk.stream === 'stderr'), true);
      }
    });
  }

  it('99 levels of indentation, 20 nested loops and 200 brackets are still accepted', () => {
    const indent = `${Array.from({ length: 99 }, (_, i) => `${' '.repeat(i)}if 1:`).join('\n')}\n${' '.repeat(99)}print('deep')\n`;
    const loops = `${Array.from({ length: 20 }, (_, i) => `${' '.repeat(i)}for x in [1]:`).join('\n')}\n${' '.repeat(20)}print('loops')\n`;
    const parens = `print(${'('.repeat(199)}1${')'.repeat(199)})\n`;
    for (const [source, printed] of [[indent, 'deep\n'], [loops, 'loops\n'], [parens, '1\n']]) {
      const result = simulate(source, parser, { targetVersion: '3.12', fileName: 'f.py' });
      assert.equal(result.output.map((chunk) => chunk.text).join(''), printed);
    }
  });
});
