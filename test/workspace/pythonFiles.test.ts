// workspace/pythonFiles: the async walk (language server) lists what the sync one (CLI) does, and can be cancelled.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigResolver } from '../../server/src/workspace/projectSettings';
import { collectFiles, collectFilesAsync } from '../../server/src/workspace/pythonFiles';

describe('the file walk', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-walk-'));
    const files: Record<string, string> = {
      'a.py': '', 'b.pyi': '', 'notes.txt': '', '.gitignore': 'build/\n*.gen.py\n',
      'pkg/c.py': '', 'pkg/d.gen.py': '', 'pkg/sub/e.py': '', 'build/f.py': '', 'node_modules/g.py': '',
      'proj/pyproject.toml': '[tool.gclens]\nexclude = ["skip/"]\n', 'proj/h.py': '', 'proj/skip/i.py': '',
    };
    for (const [relative, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      fs.writeFileSync(path.join(root, relative), text);
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('async and sync walks list the same files with the same settings', async () => {
    const sync = collectFiles([root], root, new ConfigResolver({}, undefined, [root]));
    const asyncWalk = await collectFilesAsync([root], root, new ConfigResolver({}, undefined, [root]));
    assert.deepEqual(sync.tasks.map((task) => task.displayPath), ['a.py', 'b.pyi', 'pkg/c.py', 'pkg/sub/e.py', 'proj/h.py'].map((p) => p.split('/').join(path.sep)));
    assert.deepEqual(asyncWalk, sync);
  });

  it('the async walk stops when cancelled between directories', async () => {
    let steps = 0;
    assert.equal(await collectFilesAsync([root], root, new ConfigResolver({}), () => ++steps > 1), undefined);
    assert.equal(steps, 2, 'it stopped at the second directory');
  });
});
