// The interpreter against CPython on programs beyond the GC corpus: classes, generators, closures, exceptions,
// tracebacks with carets and chaining, "Did you mean" suggestions, weakref/functools/atexit/collections. The expected
// streams in programs/expected.json were recorded from pyenv's CPython 3.6.15, 3.10.13, 3.12.1 and 3.13.0 (addresses
// as 0xADDR, file names bare); a program whose first gc.collect() counts interpreter start-up garbage is recorded
// only where that is zero.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { simulate } from '../../../server/src/simulator/simulate';
import type { TargetVersion } from '../../../server/src/simulator/simulatorTypes';
import { loadPythonParser, parserPreferenceFromEnv } from '../../../server/src/syntax/loadParser';
import type { PythonParser } from '../../../server/src/syntax/syntaxTypes';

interface Recorded {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number;
}

const dir = path.join(__dirname, 'programs');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, Recorded>;

let parser: PythonParser;
before(async () => {
  parser = (await loadPythonParser(parserPreferenceFromEnv() ?? 'native')).parser;
});

const normalize = (text: string): string => text.replace(/0x[0-9a-f]+/g, '0xADDR');

describe('interpreter output matches recorded CPython runs', () => {
  for (const [key, recorded] of Object.entries(expected)) {
    const [file, version] = key.split('@');
    it(`${file} on ${version}`, () => {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      const result = simulate(source, parser, { targetVersion: version as TargetVersion, fileName: file });
      const stream = (name: 'stdout' | 'stderr'): string => normalize(result.output.filter((c) => c.stream === name).map((c) => c.text).join(''));
      assert.equal(stream('stdout'), recorded.stdout);
      assert.equal(stream('stderr'), recorded.stderr);
      assert.equal(result.exitCode, recorded.exit);
    });
  }

  it('covers both target profiles for every program', () => {
    const programs = fs.readdirSync(dir).filter((f) => f.endsWith('.py'));
    assert.ok(programs.length >= 6);
    for (const program of programs) for (const version of ['3.10', '3.12']) assert.ok(expected[`${program}@${version}`], `${program}@${version} not recorded`);
  });
});
