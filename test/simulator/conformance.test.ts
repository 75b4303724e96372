// Conformance: every `yes`/`partial` corpus snippet simulated per version and compared with CPython's recording;
// a baseline ratchet holds what matches, live pyenv CPythons confirm the recordings, and `gclens simulate --raw` is checked.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { simulate } from '../../server/src/simulator/simulate';
import { loadPythonParser, parserPreferenceFromEnv } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { runGclens } from '../cli/cliHarness';
import { ensureBuilt } from '../support/ensureBuilt';
import { columnTarget, CORPUS_COLUMNS, normalizeOutput, readExitCodes, readRecorded, readSnippets, requireGcCorpus, type Snippet } from '../support/gcCorpus';
import { findPyenvPython, runSnippetLive } from '../support/gcCorpusPython';
import {
  BASELINE_FILE, checkRatchet, describeMismatch, formatReport, readBaseline, runConformance, simulatedOutput, UPDATE_COMMAND, type ConformanceRun,
} from './conformanceRun';

const root = requireGcCorpus();
const snippets = readSnippets(root);
let parser: PythonParser;
let run: ConformanceRun;

before(async () => {
  parser = (await loadPythonParser(parserPreferenceFromEnv())).parser;
  run = runConformance(root, parser);
  console.log(`\n${formatReport(run)}\n`);
});

describe('GC simulator conformance with the recorded CPython outputs', () => {
  it('simulates every yes and partial snippet for every recorded column', () => {
    const simulated = snippets.filter((snippet) => snippet.simulatorTarget !== 'no');
    assert.equal(run.results.length, simulated.length * CORPUS_COLUMNS.length);
    for (const column of CORPUS_COLUMNS) {
      assert.equal(run.results.filter((result) => result.column === column).length, simulated.length, column);
    }
  });

  it(`still matches every (snippet, column) pair listed in ${path.basename(BASELINE_FILE)}`, () => {
    const verdict = checkRatchet(run, readBaseline());
    if (verdict.newlyPassing.length > 0) {
      console.log(`Newly passing pairs not in the baseline yet (${verdict.newlyPassing.length}); add them with \`${UPDATE_COMMAND}\`:`);
      console.log(verdict.newlyPassing.map((result) => `  ${result.name} @ ${result.column}`).join('\n'));
    }
    assert.deepEqual(verdict.unknown, [], 'baseline pairs the run did not produce (renamed or dropped snippets): regenerate the baseline');
    const regressed = verdict.regressed.map((result) => `${result.name} @ ${result.column}: ${describeMismatch(result)}`);
    assert.deepEqual(regressed, [], `pairs that matched before and no longer do (fix them, or if intended: ${UPDATE_COMMAND})`);
  });

  it('is deterministic: simulating a snippet again gives the output the run compared', () => {
    const codes = readExitCodes(root, '3.12');
    for (const snippet of snippets.filter((entry) => entry.simulatorTarget === 'yes').slice(0, 12)) {
      const options = { targetVersion: columnTarget('3.12'), fileName: snippet.fileName };
      const first = simulatedOutput(simulate(snippet.source, parser, options), snippet);
      assert.equal(simulatedOutput(simulate(snippet.source, parser, options), snippet), first, snippet.name);
      const result = run.results.find((entry) => entry.name === snippet.name && entry.column === '3.12');
      assert.ok(result, snippet.name);
      const outputMatched = result.matches || result.mismatch?.line === 0;
      assert.equal(first === readRecorded(root, '3.12', snippet.name, codes)?.output, outputMatched, snippet.name);
    }
  });

  it('gives the same result from the native and the WebAssembly parser (every simulated snippet, 3.12)', async () => {
    const native = (await loadPythonParser('native')).parser;
    const wasm = (await loadPythonParser('wasm')).parser;
    for (const snippet of snippets.filter((entry) => entry.simulatorTarget !== 'no')) {
      const options = { targetVersion: columnTarget('3.12'), fileName: snippet.fileName };
      const [fromNative, fromWasm] = [native, wasm].map((backend) => {
        const { output, exitCode, end, summary } = simulate(snippet.source, backend, options);
        return { output, exitCode, end, summary };
      });
      assert.deepEqual(fromWasm, fromNative, snippet.name);
    }
  });
});

/** A few snippets per version, rotating with the version so the whole corpus is covered across versions. */
function liveSample(index: number, count: number): Snippet[] {
  const ordered = snippets.filter((snippet) => snippet.simulatorTarget !== 'no' && !snippet.name.startsWith('thr_auto'));
  return Array.from({ length: count }, (_, k) => ordered[(index * count + k * 7) % ordered.length]);
}

describe('the recordings agree with the CPythons on this machine (a small live sample per installed version)', () => {
  const natives = CORPUS_COLUMNS.filter((column) => column !== '3.14-pyodide');
  natives.forEach((column, index) => {
    const python = findPyenvPython(column);
    const title = python ? `CPython ${column} (${python}) reproduces its column` : `CPython ${column} is not installed here: its live comparison is not run (the simulated comparison above still is)`;
    it(title, () => {
      if (!python) {
        console.log(`live check: CPython ${column} absent under $PYENV_ROOT/versions; skipped for this version only`);
        return;
      }
      const codes = readExitCodes(root, column);
      for (const snippet of liveSample(index, 3)) {
        const live = runSnippetLive(python, snippet);
        assert.deepEqual({ output: live.output, exitCode: live.exitCode }, readRecorded(root, column, snippet.name, codes), `${snippet.name} under ${python}`);
      }
    });
  });
  it('3.14-pyodide is a recorded reference only (CPython 3.14 on WebAssembly), never run live', () => {
    assert.ok(readExitCodes(root, '3.14-pyodide').size > 0);
  });
});

describe('gclens simulate --raw is what the comparison measures', () => {
  let dir = '';
  before(() => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-conformance-'));
  });

  it('prints the simulated stdout and stderr (tracebacks name the script as CPython 3.12 does) and exits with its status', () => {
    const chosen = snippets.filter((snippet) => ['rc_alias_del', 'fin_del_exception', 'seed003_05_disable_then_referents', 'wr_callback_order'].includes(snippet.name));
    assert.equal(chosen.length, 4);
    const codes = readExitCodes(root, '3.12');
    try {
      for (const snippet of chosen) {
        fs.writeFileSync(path.join(dir, snippet.fileName), snippet.source);
        const cli = runGclens(['simulate', '--raw', '--target-version', '3.12', snippet.fileName], dir);
        const result = simulate(snippet.source, parser, { targetVersion: '3.12', fileName: snippet.fileName });
        const text = (stream: 'stdout' | 'stderr'): string => normalizeOutput(result.output.filter((chunk) => chunk.stream === stream).map((chunk) => chunk.text).join(''), snippet);
        const cliRun = { status: cli.status, stdout: normalizeOutput(cli.stdout, snippet, [dir]), stderr: normalizeOutput(cli.stderr, snippet, [dir]) };
        assert.deepEqual(cliRun, { status: result.exitCode, stdout: text('stdout'), stderr: text('stderr') }, snippet.name);
        const recorded = readRecorded(root, '3.12', snippet.name, codes);
        const matched = run.results.find((entry) => entry.name === snippet.name && entry.column === '3.12')?.matches;
        // With one stream only, the CLI's output is the recording itself once normalized.
        if (matched && (cliRun.stdout === '' || cliRun.stderr === '')) assert.equal(cliRun.stdout + cliRun.stderr, recorded?.output, snippet.name);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
