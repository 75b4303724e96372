// workspace/sourceFile: both readers refuse what is not a small regular UTF-8 file, read by the open handle and never past the limit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_FILE_BYTES, readSource, readSourceSync, type ReadResult } from '../../server/src/workspace/sourceFile';

const READERS: readonly [string, (file: string) => Promise<ReadResult>][] = [
  ['readSource', readSource],
  ['readSourceSync', async (file) => readSourceSync(file)],
];

describe('reading Python source files', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-source-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [name, read] of READERS) {
    it(`${name}: exactly the limit is read, one byte more is too large (checked on the open file)`, async () => {
      const atLimit = path.join(dir, 'at-limit.py');
      fs.writeFileSync(atLimit, Buffer.alloc(MAX_FILE_BYTES, 0x61));
      const text = await read(atLimit);
      assert.equal(text.kind === 'text' ? text.text.length : text.message, MAX_FILE_BYTES);
      fs.appendFileSync(atLimit, 'b');
      const over = await read(atLimit);
      assert.equal(over.kind === 'skipped' ? over.reason : over.kind, 'too-large');
    });

    it(`${name}: a file whose stat says 0 bytes is read to its end (files in /proc)`, async () => {
      const result = await read('/proc/self/status');
      assert.equal(result.kind, 'text');
      assert.match(result.kind === 'text' ? result.text : '', /^Name:/);
    });

    it(`${name}: a FIFO (a path replaced by one mid-scan) is refused at once, never waited on`, async () => {
      const fifo = path.join(dir, `${name}.py`);
      const made = spawnSync('mkfifo', [fifo]);
      assert.equal(made.status, 0, `mkfifo: ${made.stderr}`);
      const result = await read(fifo);
      assert.deepEqual(result.kind === 'skipped' ? [result.reason, result.message] : result.kind, ['unreadable', 'not a regular file']);
    });

    it(`${name}: directories, missing files, binary and non-UTF-8 bytes are refused with their reasons`, async () => {
      fs.writeFileSync(path.join(dir, 'binary.py'), Buffer.from([0x64, 0x00, 0xff]));
      fs.writeFileSync(path.join(dir, 'latin1.py'), Buffer.from([0x61, 0xe9, 0x0a]));
      const reasons = await Promise.all([dir, path.join(dir, 'missing.py'), path.join(dir, 'binary.py'), path.join(dir, 'latin1.py')].map(read));
      assert.deepEqual(reasons.map((result) => (result.kind === 'skipped' ? result.reason : result.kind)), ['unreadable', 'unreadable', 'binary', 'not-utf8']);
    });
  }
});
