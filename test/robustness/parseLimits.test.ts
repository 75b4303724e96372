// The simulator's parser and compiler nesting limits against CPython's, recorded per version and shape (test/fixtures/parse-limits).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { nestingViolation } from '../../server/src/simulator/nestingLimits';
import { simulate } from '../../server/src/simulator/simulate';
import { TARGET_VERSIONS, type TargetVersion } from '../../server/src/simulator/simulatorTypes';
import { versionProfile } from '../../server/src/simulator/versionProfile';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { loadBothParsers } from './fuzzCampaign';
import { nestedSource } from './fuzzInputs';
import { MAX_RECORDED_DEPTH, type ParseLimitsRecording } from './recordParseLimits';

const RECORDING: ParseLimitsRecording = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'parse-limits', 'recorded.json'), 'utf8'));

/** Messages of a nesting limit; any other band is an ordinary syntax error (an unclosed bracket). */
const NESTING_LIMIT = /^(MemoryError|RecursionError: maximum recursion depth exceeded during compilation|SyntaxError: too many nested parentheses)/;

function targetOf(version: string): TargetVersion {
  const target = TARGET_VERSIONS.find((candidate) => version.startsWith(`${candidate}.`));
  assert.ok(target, `a simulator target for CPython ${version}`);
  return target;
}

describe('nesting limits: the simulator stops where each recorded CPython stops, with its words', () => {
  let parser: PythonParser;
  before(async () => {
    parser = (await loadBothParsers()).native;
  });

  it('the recording covers 2.7 and every 3.6–3.13 CPython, each shape once', () => {
    const versions = new Set(RECORDING.recorded.map((entry) => entry.version.split('.').slice(0, 2).join('.')));
    assert.deepEqual([...versions], ['2.7', '3.6', '3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13']);
    assert.match(RECORDING.command, /python f\.py/);
  });

  /** What the model says at `depth`: undefined when the source compiles. */
  const violationAt = (shape: Parameters<typeof nestedSource>[0], depth: number, target: TargetVersion): string | undefined => {
    const source = nestedSource(shape, depth);
    const tree = parser.parse(source);
    try {
      return nestingViolation(tree.rootNode, source, 'f.py', versionProfile(target).minor, !tree.rootNode.hasError)?.message;
    } finally {
      tree.dispose();
    }
  };

  it('3.9 folds a unary or `not` chain only when it ends on a constant (CPython 3.9.18: 3,500 levels on a name fail to compile)', () => {
    const recursion = 'RecursionError: maximum recursion depth exceeded during compilation';
    for (const operator of ['- ', 'not ']) {
      const onName = `x = ${operator.repeat(3500)}a\n`;
      const onConstant = `x = ${operator.repeat(3500)}1\n`;
      for (const [source, expected] of [[onName, recursion], [onConstant, undefined]] as const) {
        const tree = parser.parse(source);
        try {
          assert.equal(nestingViolation(tree.rootNode, source, 'f.py', 9, true)?.message, expected, `${operator.trim()} on ${source.at(-2)}`);
        } finally {
          tree.dispose();
        }
      }
    }
  });

  for (const entry of RECORDING.recorded) {
    const target = targetOf(entry.version);
    const limits = entry.bands.filter((band) => NESTING_LIMIT.test(band.message));
    const summary = limits.map((band) => `${band.message.split(':')[0]} from ${band.fromDepth}`).join(', ') || `none to ${MAX_RECORDED_DEPTH}`;
    it(`${entry.version} ${entry.shape}: ${summary}`, () => {
      if (entry.deepestAccepted > 0) assert.equal(violationAt(entry.shape, entry.deepestAccepted, target), undefined, `depth ${entry.deepestAccepted} compiles`);
      for (const band of entry.bands) {
        const result = simulate(nestedSource(entry.shape, band.fromDepth), parser, { targetVersion: target, fileName: 'f.py' });
        assert.equal(result.end.kind, 'syntax-error', `depth ${band.fromDepth}: ${JSON.stringify(result.end)}`);
        assert.equal(result.exitCode, 1);
        if (!NESTING_LIMIT.test(band.message)) continue; // CPython's words for an unclosed bracket are not modelled
        assert.equal(result.end.message, band.message, `depth ${band.fromDepth}`);
        assert.equal(result.output.map((chunk) => chunk.text).join(''), band.stderr, `depth ${band.fromDepth}: the whole stderr`);
        // The band holds up to the next one (or the deepest depth recorded).
        const next = entry.bands[entry.bands.indexOf(band) + 1]?.fromDepth ?? MAX_RECORDED_DEPTH + 1;
        assert.equal(violationAt(entry.shape, next - 1, target), band.message, `depth ${next - 1}`);
      }
      if (entry.bands.length === 0) assert.equal(violationAt(entry.shape, MAX_RECORDED_DEPTH, target), undefined);
    });
  }
});
