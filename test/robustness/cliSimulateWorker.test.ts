// `gclens simulate`'s worker thread stopped mid-run (its watchdog, Ctrl-C): the process ends cleanly, never by a native abort.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GCLENS_BIN, runGclens } from '../cli/cliHarness';
import { ensureBuilt } from '../support/ensureBuilt';

/** What a process prints when a worker that loaded native tree-sitter is terminated inside it. */
const NATIVE_ABORT = /terminate called|Napi::Error|Aborted|FATAL/;

/** A module that takes seconds to parse and compile: 100k lines (the run is stopped long before it ends). */
const BIG_MODULE = 'x = [1, 2, 3]\n'.repeat(100_000);

describe('gclens simulate: stopping the simulation worker mid-run', () => {
  let dir: string;
  before(() => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-stop-'));
    fs.writeFileSync(path.join(dir, 'big.py'), BIG_MODULE);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the watchdog terminates a run still parsing or compiling: one clear error, exit status 2, even with GCLENS_PARSER=native', () => {
    // Before the worker parsed with WebAssembly whatever GCLENS_PARSER said, terminating it inside native
    // tree-sitter aborted the process (status 134, 'terminate called after throwing an instance of Napi::Error').
    for (const parser of ['native', 'auto', 'wasm']) {
      const run = runGclens(['simulate', 'big.py'], dir, { GCLENS_SIMULATE_WATCHDOG_MS: '400', GCLENS_PARSER: parser });
      assert.equal(run.status, 2, `GCLENS_PARSER=${parser}: ${run.stderr}`);
      assert.equal(run.stderr, 'gclens: error: big.py: the simulation did not end within 0.4 s (parsing and compiling are outside the wall-time budget); it was stopped\n');
      assert.equal(run.stdout, '');
    }
  });

  it('Ctrl-C (SIGINT) mid-run ends the process by the signal, without a native abort', async () => {
    const child = spawn(process.execPath, [GCLENS_BIN, 'simulate', 'big.py'], { cwd: dir, env: { ...process.env, GCLENS_PARSER: 'native' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The run takes seconds; the signal is sent once the CLI has started it (its first output is at the end).
    await new Promise((resolve) => setTimeout(resolve, 700));
    child.kill('SIGINT');
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])));
    assert.equal(signal, 'SIGINT', `ended with code ${code}, signal ${signal}: ${stderr}`);
    assert.doesNotMatch(stderr, NATIVE_ABORT);
  });

  it('a normal run still answers once its worker is done (the worker is terminated after its result)', () => {
    // CPython 3.12.1 prints 1 (the instance; its attributes live inline, not in a dict).
    fs.writeFileSync(path.join(dir, 'small.py'), 'import gc\nclass Node:\n    pass\na = Node()\na.me = a\ndel a\nprint(gc.collect())\n');
    for (const parser of ['native', 'wasm']) {
      const run = runGclens(['simulate', '--raw', 'small.py'], dir, { GCLENS_PARSER: parser });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, '1\n');
      assert.doesNotMatch(run.stderr, NATIVE_ABORT);
    }
  });
});
