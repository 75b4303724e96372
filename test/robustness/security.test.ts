// Backs SECURITY.md: the shipped bundles start no processes and open no sockets outside the allowed places, and the CLI reads nothing outside the workspace.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { makeTree, removeTree, runGclens } from '../cli/cliHarness';
import { ensureBuilt, REPO_ROOT } from '../support/ensureBuilt';

/** Modules that start processes or reach the network, and the bundles allowed to load them (and why). */
const GUARDED_MODULES = ['child_process', 'net', 'http', 'https', 'http2', 'dgram', 'tls', 'dns'] as const;
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  // vscode-languageclient starts the bundled server (IPC/stdio) and vscode-languageserver's node entry resolves
  // global module folders and creates pipe/socket transports for clients that ask for them: local IPC only.
  'client.js': ['child_process', 'net'],
  'server.js': ['child_process', 'net'],
  'cli.js': [],
  'checkWorker.js': [],
};

describe('security: what the shipped bundles can do', () => {
  before(() => ensureBuilt());

  for (const [bundle, allowed] of Object.entries(ALLOWED)) {
    it(`${bundle} loads only ${allowed.length ? allowed.join(', ') : 'none'} of ${GUARDED_MODULES.join(', ')}, and never eval or new Function`, () => {
      const text = fs.readFileSync(path.join(REPO_ROOT, 'dist', bundle), 'utf8');
      const loaded = GUARDED_MODULES.filter((name) => new RegExp(`require\\("(node:)?${name}"\\)`).test(text));
      assert.deepEqual(loaded, [...allowed]);
      assert.doesNotMatch(text, /\bnew Function\(|[^.\w]eval\(/, 'no code is built from strings');
    });
  }

  it('package.json declares that everything works in an untrusted workspace (nothing runs an interpreter)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { capabilities?: { untrustedWorkspaces?: { supported?: unknown } } };
    assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, true);
  });
});

describe('security: the CLI reads nothing outside the workspace', () => {
  it('a symlinked file and a symlinked directory pointing outside are not read', () => {
    const root = makeTree({
      'outside/secret.py': 'def leak(x=[]):\n    return x\n',
      'outside/dir/also.py': 'def leak2(y={}):\n    return y\n',
      'ws/inside.py': 'def f(z=[]):\n    return z\n',
      'ws/pyproject.toml': '[tool.gclens]\n',
    });
    try {
      fs.symlinkSync(path.join(root, 'outside', 'secret.py'), path.join(root, 'ws', 'linked.py'));
      fs.symlinkSync(path.join(root, 'outside', 'dir'), path.join(root, 'ws', 'linkeddir'));
      fs.symlinkSync(path.join(root, 'ws', 'inside.py'), path.join(root, 'ws', 'alias.py'));
      const run = runGclens(['check', '.', '--format', 'json'], path.join(root, 'ws'));
      const paths = (JSON.parse(run.stdout) as { path: string }[]).map((finding) => finding.path).sort();
      assert.deepEqual(paths, ['alias.py', 'inside.py'], 'a link that stays inside is checked; links that leave are not');
    } finally {
      removeTree(root);
    }
  });
});
