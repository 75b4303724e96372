// workspace/projectSettings: pyproject.toml lookup (stop folders, per-directory cache), reading, and a file-free core.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigResolver, findPyproject, PyprojectLocator, readPyproject } from '../../server/src/workspace/projectSettings';

describe('pyproject.toml lookup', () => {
  let root: string;
  const at = (...parts: string[]): string => path.join(root, ...parts);
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-project-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('findPyproject walks up to the nearest pyproject.toml, not above the stop directory', () => {
    const nested = at('walk', 'project', 'src', 'pkg');
    fs.mkdirSync(nested, { recursive: true });
    fs.writeFileSync(at('walk', 'pyproject.toml'), '[tool.gclens]\n');
    assert.equal(findPyproject(nested), at('walk', 'pyproject.toml'));
    assert.equal(findPyproject(nested, at('walk', 'project')), undefined);
    fs.writeFileSync(at('walk', 'project', 'pyproject.toml'), '[tool.gclens]\nselect = ["GCL001"]\n');
    const found = findPyproject(nested) as string;
    assert.equal(found, at('walk', 'project', 'pyproject.toml'));
    assert.deepEqual(readPyproject(found).settings.select, ['GCL001']);
  });

  it('readPyproject turns an unreadable file into a problem', () => {
    assert.match(readPyproject(at('missing', 'pyproject.toml')).problems[0].message, /cannot read/);
  });

  it('a locator remembers each directory’s answer, its parents’ included', () => {
    fs.mkdirSync(at('cache', 'x', 'y'), { recursive: true });
    fs.mkdirSync(at('cache', 'x', 'z'), { recursive: true });
    const locator = new PyprojectLocator([at('cache')]);
    assert.equal(locator.find(at('cache', 'x', 'y')), undefined);
    fs.writeFileSync(at('cache', 'x', 'pyproject.toml'), '[tool.gclens]\n');
    assert.equal(locator.find(at('cache', 'x', 'z')), undefined, 'z is new, but x was already answered while looking up from y');
    assert.equal(new PyprojectLocator([at('cache')]).find(at('cache', 'x', 'z')), at('cache', 'x', 'pyproject.toml'));
  });

  it('a resolver with stop folders stops at the innermost one holding the directory', () => {
    fs.mkdirSync(at('folders', 'inner', 'pkg'), { recursive: true });
    fs.mkdirSync(at('folders', 'other'), { recursive: true });
    fs.writeFileSync(at('folders', 'pyproject.toml'), '[tool.gclens]\nignore = ["GCL001"]\n');
    const stopped = new ConfigResolver({}, undefined, [at('folders'), at('folders', 'inner')]);
    assert.equal(stopped.scopeFor(at('folders', 'inner', 'pkg')).configFile, undefined);
    assert.deepEqual(stopped.settingsTable[stopped.scopeFor(at('folders', 'inner', 'pkg')).settingsIndex].ignore, []);
    const outer = stopped.scopeFor(at('folders', 'other'));
    assert.equal(outer.configFile, at('folders', 'pyproject.toml'));
    assert.deepEqual(outer.fileSettings.ignore, ['GCL001']);
    const unbounded = new ConfigResolver({}, undefined);
    assert.equal(unbounded.scopeFor(at('folders', 'inner', 'pkg')).configFile, at('folders', 'pyproject.toml'), 'the CLI walks up');
  });
});

it('the analysis core reads no files: pyproject.toml is read in workspace/', () => {
  const core = path.resolve(__dirname, '..', '..', 'server', 'src');
  const readers: string[] = [];
  for (const folder of ['analysis', 'semantic', 'rules']) {
    for (const name of fs.readdirSync(path.join(core, folder), { recursive: true, encoding: 'utf8' })) {
      if (!name.endsWith('.ts')) continue;
      const text = fs.readFileSync(path.join(core, folder, name), 'utf8');
      if (/from 'node:fs'|require\('(node:)?fs'\)|from 'fs'/.test(text)) readers.push(`${folder}/${name}`);
    }
  }
  assert.deepEqual(readers, []);
});
