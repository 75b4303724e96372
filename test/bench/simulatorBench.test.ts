// Smoke test of `npm run bench:simulator` at a tiny size: every figure is printed, the workloads agree with CPython, hovers answer.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SimulatorBenchFigures } from '../../bench/simulatorBench';
import { REPO_ROOT } from '../support/ensureBuilt';
import { findPyenvPython } from '../support/gcCorpusPython';

let dir = '';
let run: ReturnType<typeof spawnSync>;
let figures: SimulatorBenchFigures;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-simbench-test-'));
  const jsonOut = path.join(dir, 'figures.json');
  run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/simulatorBench.ts', '--size', '150', '--runs', '1', '--json', jsonOut], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (run.status === 0) figures = JSON.parse(fs.readFileSync(jsonOut, 'utf8')) as SimulatorBenchFigures;
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm run bench:simulator at a tiny size', () => {
  it('prints steps per second and one row per allocation-heavy workload with its goal', () => {
    assert.equal(run.status, 0, String(run.stderr));
    const stdout = String(run.stdout);
    assert.match(stdout, /^GC simulator benchmark \(size 150, median of 1 run, target 3\.12\)/);
    assert.match(stdout, /\nsimple loop: [\d,]+ steps in [\d,.]+ ms CPU = [\d,]+ steps\/s \(goal ≥ 1,000,000 steps\/s: (meets|misses)\)\n/);
    for (const name of ['lists', 'instances', 'cycles', 'dicts']) assert.match(stdout, new RegExp(`\\n${name} +[\\d,.]+ +`), name);
    assert.match(stdout, /goal ≤ 30×/);
    assert.match(stdout, /\nrefcount hover on a 1000-line module \(\d+ hovers over stdio, goal < 50 ms, load average [\d.]+\):\n {2}cold \(open \+ simulation of [\d,]+ steps \+ the line's snapshot \+ answer, 9 new documents\): p50 [\d.]+ ms, p95 [\d.]+ ms \((meets|misses)\)\n/);
    assert.match(stdout, /\n {2}cold after the editor's 300 ms hover delay \(the request's own latency, 9 new documents\): p50 [\d.]+ ms, p95 [\d.]+ ms \((meets|misses)\)\n {2}first hover right after the server started \(worker start and warm-up included\): [\d.]+ ms\n/);
    assert.match(stdout, /\n {2}warm \(other lines: each line's snapshot replayed once\): p50 [\d.]+ ms, p95 [\d.]+ ms \((meets|misses)\)\n {2}repeated \(snapshots kept\): p50 [\d.]+ ms, p95 [\d.]+ ms \((meets|misses)\)\n/);
    const phases = 'parse [\\d.]+, tree copy [\\d.]+, checks [\\d.]+, compile [\\d.]+, run [\\d.]+ = [\\d.]+';
    assert.match(stdout, new RegExp(`\\n {2}in-process, a cold hover's work in the worker per new document \\(WebAssembly parser, CPU ms, median of the last 10 of 16 after the warm-up\\): ${phases}; the first: ${phases}\\n`));
  });

  it('hovers through the server answer from the simulation of the generated module', () => {
    const hover = figures.hover;
    assert.ok(hover, 'the hover figures are in the JSON');
    assert.equal(hover.lines, 1000);
    assert.ok(hover.hovers > 100 && hover.steps > 1000, JSON.stringify(hover));
    assert.ok(hover.coldSamples === 9 && hover.coldP50Ms > 0 && hover.afterDelayP50Ms > 0 && hover.repeatP50Ms > 0, JSON.stringify(hover));
    assert.equal(hover.firstHover, "Node0#5 refcount 1 holders: local 'a'");
    for (const times of [hover.phases.first, hover.phases.warm]) {
      assert.ok(times.parse > 0 && times.copy > 0 && times.compile > 0 && times.run > 0, JSON.stringify(hover.phases));
    }
  });

  it('runs every workload to the end, with the output CPython 3.12 gives when it is installed', () => {
    assert.ok(figures.loop.steps > 1500, `the simple loop counts its steps: ${figures.loop.steps}`);
    assert.equal(figures.loop.incomplete, undefined);
    assert.equal(figures.loop.output, `${(1500 * 1499) / 2}\n`);
    assert.deepEqual(figures.workloads.map((workload) => workload.name), ['lists', 'instances', 'cycles', 'dicts']);
    const python = findPyenvPython('3.12');
    for (const workload of figures.workloads) {
      assert.equal(workload.simulator.incomplete, undefined, workload.name);
      assert.ok(workload.simulator.medianMs > 0 && workload.simulator.steps > 0, workload.name);
      if (python) {
        assert.equal(workload.simulator.output, workload.cpythonOutput, `${workload.name}: same printed output as CPython`);
        assert.ok(workload.ratio !== undefined && workload.ratio > 0, workload.name);
      } else {
        assert.equal(workload.ratio, undefined);
      }
    }
  });
});
