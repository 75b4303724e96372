// Lazy snapshots (what makes a cold hover fast): a run without events that records one line's snapshot, plus replays
// of the others, must give exactly the output, summary and per-line heap snapshots of the full traced run.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { prepareModule, replaySnapshots, runPrepared, simulate } from '../../server/src/simulator/simulate';
import type { SimulateOptions, TargetVersion } from '../../server/src/simulator/simulatorTypes';
import { snapshotExecutionOf } from '../../server/src/simulator/trace';
import { loadPythonParser, parserPreferenceFromEnv } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { readSnippets, requireGcCorpus } from '../support/gcCorpus';

const HOVER_FIXTURES = path.join(__dirname, '..', 'fixtures', 'hover');

/** Step budgets end endless programs alike in every mode; a time budget would end them where each mode's speed does. */
const DETERMINISTIC_BUDGETS = { maxSteps: 50_000, maxMillis: 600_000 } as const;

/** Checks one program: light run + replays against the full traced run; returns how many snapshots were compared. */
function compareLazyWithFull(source: string, parser: PythonParser, given: SimulateOptions, name: string): number {
  const options: SimulateOptions = { ...given, budgets: DETERMINISTIC_BUDGETS };
  const full = simulate(source, parser, { ...options, trace: true });
  const prepared = prepareModule(source, parser, options);
  const firstLine = full.snapshots[Math.floor(full.snapshots.length / 2)]?.line;
  const light = runPrepared(prepared, { ...options, trace: true, events: false, snapshotLines: firstLine === undefined ? [] : [firstLine] });
  assert.deepEqual(light.output, full.output, `${name}: output`);
  assert.deepEqual(light.end, full.end, `${name}: end`);
  assert.deepEqual(light.summary, full.summary, `${name}: summary`);
  assert.equal(light.events.length, 0, `${name}: no events without events`);
  assert.deepEqual(light.lineRuns, full.lineRuns, `${name}: line runs`);
  assert.deepEqual(full.lineRuns?.map((run) => run.line), full.snapshots.map((snapshot) => snapshot.line), `${name}: every line that ran has a snapshot in a full run`);
  assert.deepEqual(light.snapshots, full.snapshots.filter((snapshot) => snapshot.line === firstLine), `${name}: the asked line's snapshot`);
  const lineRuns = light.lineRuns ?? [];
  const replayed = replaySnapshots(prepared, options, lineRuns);
  assert.deepEqual(replayed, full.snapshots, `${name}: replayed snapshots`);
  // One line alone, replayed, is the same snapshot again (a hover on a line the first run did not record).
  const last = lineRuns[lineRuns.length - 1];
  if (last) assert.deepEqual(replaySnapshots(prepared, options, [last]), replayed.filter((snapshot) => snapshot.line === last.line), `${name}: line ${last.line} alone`);
  return full.snapshots.length;
}

describe('lazy snapshots equal the full trace', () => {
  let parser: PythonParser;
  before(async () => {
    parser = (await loadPythonParser(parserPreferenceFromEnv())).parser;
  });

  it('on every hover fixture', () => {
    let compared = 0;
    for (const file of fs.readdirSync(HOVER_FIXTURES).filter((name) => name.endsWith('.py'))) {
      const source = fs.readFileSync(path.join(HOVER_FIXTURES, file), 'utf8');
      for (const targetVersion of ['3.8', '3.12', '3.14'] as const) compared += compareLazyWithFull(source, parser, { targetVersion, fileName: file }, `${file} on ${targetVersion}`);
    }
    assert.ok(compared > 100, `compared ${compared} snapshots`);
  });

  it('on every corpus snippet for three versions', () => {
    const snippets = readSnippets(requireGcCorpus());
    let compared = 0;
    for (const snippet of snippets) {
      for (const targetVersion of ['3.7', '3.11', '3.13'] as TargetVersion[]) compared += compareLazyWithFull(snippet.source, parser, { targetVersion, fileName: snippet.fileName }, `${snippet.name} on ${targetVersion}`);
    }
    assert.ok(compared > 1000, `compared ${compared} snapshots`);
  });

  it('a hot line keeps its power-of-two execution and exact count', () => {
    const source = 'items = []\nfor i in range(100):\n    items.append([i])\n';
    const options: SimulateOptions = { targetVersion: '3.12', fileName: 'hot.py' };
    const light = runPrepared(prepareModule(source, parser, options), { ...options, trace: true, events: false, snapshotLines: [3] });
    assert.deepEqual(light.lineRuns, [{ line: 1, executions: 1 }, { line: 2, executions: 1 }, { line: 3, executions: 100 }]);
    assert.deepEqual([light.snapshots[0].line, light.snapshots[0].executions, light.snapshots[0].snapshotExecution], [3, 100, 64]);
    assert.equal(snapshotExecutionOf(100), 64);
    assert.equal(snapshotExecutionOf(64), 64);
    assert.equal(snapshotExecutionOf(300), 256);
  });

  it('a replay of a program that does not run answers no snapshots', () => {
    const options: SimulateOptions = { targetVersion: '3.12', fileName: 'broken.py' };
    assert.deepEqual(replaySnapshots(prepareModule('def f(:\n', parser, options), options, [{ line: 1, executions: 1 }]), []);
  });
});
