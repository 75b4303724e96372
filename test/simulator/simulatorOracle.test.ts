// The simulator against CPython outputs recorded in test/fixtures/simulator-oracle/expected.json (pyenv's 2.7, 3.6-3.13;
// re-record with scripts/recordSimulatorOracle.ts): compound statements without a body (IndentationError per version)
// and how deep recursion through a class's `__init__` gets (CPython also counts the C-level calls of the class call).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ORACLE_DIR, type OracleRecording } from '../../scripts/recordSimulatorOracle';
import { SimulationService } from '../../server/src/lsp/simulationService';
import { simulate } from '../../server/src/simulator/simulate';
import type { SimulationResult, TargetVersion } from '../../server/src/simulator/simulatorTypes';
import { loadPythonParser, parserPreferenceFromEnv } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { ensureBuilt, REPO_ROOT } from '../support/ensureBuilt';

const recording = JSON.parse(fs.readFileSync(path.join(ORACLE_DIR, 'expected.json'), 'utf8')) as OracleRecording;

/**
 * Where the simulator is known to differ, asserted as it is today: 3.13 lets a class call through `__init__` recurse
 * a few levels deeper than two units per level (502 of 1000; 335 with a function between), which is not modelled.
 */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  '3.13 init_recursion.py': 'RecursionError at 499 maximum recursion depth exceeded\n',
  '3.13 mixed_recursion.py': 'RecursionError at 333 maximum recursion depth exceeded\n',
};

interface Printed {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

function printed(result: SimulationResult): Printed {
  const text = (stream: 'stdout' | 'stderr'): string => result.output.filter((chunk) => chunk.stream === stream).map((chunk) => chunk.text).join('');
  return { stdout: text('stdout'), stderr: text('stderr'), exitCode: result.exitCode };
}

function run(parser: PythonParser, version: string, program: string): Printed {
  return printed(simulate(fs.readFileSync(path.join(ORACLE_DIR, program), 'utf8'), parser, { targetVersion: version as TargetVersion, fileName: program }));
}

describe('simulator against recorded CPython outputs', () => {
  let parser: PythonParser;
  // A thousand Python frames need more JS stack than a test's main thread has: recursion runs in the editor's worker.
  let service: SimulationService;
  before(async () => {
    parser = (await loadPythonParser(parserPreferenceFromEnv())).parser;
    ensureBuilt();
    service = new SimulationService({ workerPath: path.join(REPO_ROOT, 'dist', 'simulationWorker.js'), parser: 'wasm', log: () => undefined });
  });
  after(() => service.dispose());

  it('refuses a compound statement without a body as each CPython does (message, line, caret, exit status)', () => {
    let compared = 0;
    for (const [version, { programs }] of Object.entries(recording)) {
      for (const [program, expected] of Object.entries(programs)) {
        if (!program.startsWith('empty_')) continue;
        assert.deepEqual(run(parser, version, program), expected, `${program} on ${version}`);
        compared++;
      }
    }
    assert.equal(compared, 7 * 9);
  });

  it('an empty body is a syntax error the hover and the report can name', () => {
    const result = simulate('def f():\n', parser, { targetVersion: '3.12', fileName: 'm.py', trace: true });
    assert.deepEqual(result.end, { kind: 'syntax-error', line: 1, message: 'expected an indented block after function definition on line 1' });
    assert.deepEqual([result.snapshots.length, result.events.length, result.summary.steps], [0, 0, 0], 'nothing ran');
  });

  it('recursion through __init__ stops where each CPython 3.6-3.13 stops (2.7 has no RecursionError)', async () => {
    let compared = 0;
    for (const [version, { programs }] of Object.entries(recording)) {
      if (version === '2.7') continue;
      for (const [program, expected] of Object.entries(programs)) {
        if (!program.endsWith('_recursion.py')) continue;
        const known = KNOWN_DIFFERENCES[`${version} ${program}`];
        const text = fs.readFileSync(path.join(ORACLE_DIR, program), 'utf8');
        const uri = `file:///oracle/${version}/${program}`;
        const actual = printed(await service.simulateDocument({ uri, version: 1, text, targetVersion: version as TargetVersion, fileName: program, trace: true }, undefined, 'summary'));
        if (known !== undefined) {
          assert.notEqual(expected.stdout, known, `${version} ${program}: CPython differs from the simulator`);
          assert.deepEqual(actual, { ...expected, stdout: known }, `${version} ${program}: the known difference`);
        } else assert.deepEqual(actual, expected, `${version} ${program}`);
        compared++;
      }
    }
    assert.equal(compared, 4 * 8);
  });
});
