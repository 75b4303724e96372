// The built CLI on hostile files: `gclens check` and `gclens simulate` answer with a clear message and the right exit code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { ensureBuilt } from '../support/ensureBuilt';
import { GCLENS_BIN } from '../cli/cliHarness';
import { anyInput, randomBytesText, type SeedText } from './fuzzInputs';

/** A file as bytes, with what the CLI must say about it. */
export interface CliFile {
  readonly name: string;
  readonly bytes: Buffer;
  /** The reason the CLI refuses it (`binary`, `not valid UTF-8`), or undefined for text it reads. */
  readonly refused?: RegExp;
}

export function cliInput(seeds: readonly SeedText[]): fc.Arbitrary<CliFile> {
  return fc.oneof(
    { weight: 3, arbitrary: anyInput(seeds).map((input): CliFile => ({ name: input.name, bytes: Buffer.from(input.text.replace(/\0/g, ''), 'utf8') })) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes): CliFile => {
        const withNul = Buffer.concat([Buffer.from(bytes), Buffer.from([0])]);
        return { name: 'binary bytes', bytes: withNul, refused: /binary file/ };
      }),
    },
    {
      weight: 1,
      arbitrary: randomBytesText.map((text): CliFile => ({ name: 'invalid UTF-8', bytes: Buffer.concat([Buffer.from(text.replace(/\0/g, ''), 'utf8'), Buffer.from([0xff, 0xfe])]), refused: /not valid UTF-8/ })),
    },
  );
}

function run(args: readonly string[], cwd: string): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [GCLENS_BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Runs check (JSON) and simulate on the file; both must end by themselves, without an internal error. */
export function checkCliFile(file: CliFile): void {
  ensureBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-fuzz-cli-'));
  try {
    fs.writeFileSync(path.join(dir, 'input.py'), file.bytes);
    const check = run(['check', 'input.py', '--format', 'json'], dir);
    assert.equal(check.signal, null, `check ended by itself (${file.name})`);
    assert.ok(check.status === 0 || check.status === 1, `check exits 0 or 1, got ${check.status}: ${check.stderr.slice(0, 400)}`);
    assert.doesNotMatch(check.stderr, /internal error|at .*\.js:\d+/, 'no internal error or stack trace');
    assert.ok(Array.isArray(JSON.parse(check.stdout)), 'check prints a JSON array');
    if (file.refused) assert.match(check.stderr, file.refused, 'check says why it skipped the file');
    const simulated = run(['simulate', 'input.py'], dir);
    assert.equal(simulated.signal, null, `simulate ended by itself (${file.name})`);
    assert.doesNotMatch(simulated.stderr, /internal (simulator )?error|at .*\.js:\d+/, 'no internal error or stack trace');
    if (file.refused) {
      assert.equal(simulated.status, 2, 'simulate refuses the file with exit 2');
      assert.match(simulated.stderr, file.refused, 'simulate says why');
    } else {
      assert.ok(simulated.status !== null && simulated.status >= 0 && simulated.status <= 255, 'an exit status');
      assert.match(simulated.stdout, /── GC summary \(simulated CPython 3\.12\) ──/, 'the summary follows the program\'s output');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
