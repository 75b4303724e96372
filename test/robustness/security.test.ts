// Backs SECURITY.md: the shipped bundles start no processes and open no sockets outside the allowed places, the report page runs only its own nonce'd script, and the CLI reads nothing outside the workspace.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { renderReportHtml } from '../../server/src/report/reportHtml';
import { makeTree, removeTree, runGclens } from '../cli/cliHarness';
import { CYCLE_PROGRAM, simulateTraced } from '../report/reportPrograms';
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
  // The server's simulation worker thread: the simulator and a parser, nothing else.
  'simulationWorker.js': [],
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

  it('every bundle in dist/ is scanned above (a new bundle must be added to the allowed list)', () => {
    const bundles = fs.readdirSync(path.join(REPO_ROOT, 'dist')).filter((name) => name.endsWith('.js')).sort();
    assert.deepEqual(bundles, Object.keys(ALLOWED).sort());
  });

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

describe('security: the simulation report page', () => {
  const NONCE = 'c2VjdXJpdHktdGVzdC1ub25jZQ';
  /** A program whose text tries to break out of the page: its lines and strings are shown in it. */
  const HOSTILE = `${CYCLE_PROGRAM}\nmarkup = "</script><script src='https://evil.example/x.js'></script><img src=http://evil.example/y.png onerror=alert(1)>"\nprint(markup)\n`;

  /** The page's CSP directives, from its one meta element (attribute value unescaped). */
  function policyOf(html: string): Map<string, string[]> {
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
    assert.equal(metas.length, 1, 'one CSP meta element');
    const policy = metas[0][1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    return new Map(policy.split(';').map((directive) => directive.trim().split(/\s+/)).filter((parts) => parts[0]).map(([name, ...sources]) => [name, sources]));
  }

  for (const [name, source] of [['a cycle program', CYCLE_PROGRAM], ['a program printing markup and URLs', HOSTILE]] as const) {
    it(`${name}: default-src 'none', scripts only by nonce, nothing loaded from anywhere`, async () => {
      const result = await simulateTraced(source, '3.12', 'hostile.py');
      const html = renderReportHtml(result, { fileName: 'hostile.py', targetVersion: '3.12', source, nonce: NONCE });
      const policy = policyOf(html);
      assert.deepEqual(policy.get('default-src'), ["'none'"]);
      assert.deepEqual(policy.get('script-src'), [`'nonce-${NONCE}'`], 'no host, no unsafe-inline, no unsafe-eval');
      assert.deepEqual(policy.get('style-src'), [`'nonce-${NONCE}'`]);
      assert.deepEqual(policy.get('base-uri'), ["'none'"]);
      // Every element that could run code is the nonce'd script; the other script element is inert JSON data.
      const scripts = [...html.matchAll(/<script\b([^>]*)>/gi)].map((match) => match[1].trim());
      assert.deepEqual(scripts, ['type="application/json" id="gclens-report-data"', `nonce="${NONCE}"`]);
      // The program's text reaches the page escaped (markup) or inside the JSON block, where no `<` can end it.
      const data = /<script type="application\/json" id="gclens-report-data">([^<]*)<\/script>/.exec(html);
      assert.ok(data, 'the data block holds no `<`: nothing in it can close the element');
      const markup = html.replace(data[0], '');
      assert.doesNotMatch(markup, /<(img|iframe|object|embed|link|form|base)\b/i, 'no element that loads or submits');
      assert.doesNotMatch(markup, /\s(src|href|action|on[a-z]+)\s*=/i, 'no source, link or inline handler attribute');
      assert.doesNotMatch(markup, /url\((?!#)/i, 'no url() but the SVG markers\' references inside the page');
      // The one http URL is the SVG namespace name (an identifier, never fetched); the program's URLs stay escaped text.
      const urls = [...html.matchAll(/https?:\/\/[^\s"'<>\\]+/g)].map((match) => match[0]);
      const shownUrls = source === HOSTILE ? ['https://evil.example/x.js', 'http://evil.example/y.png'] : [];
      assert.deepEqual(urls.filter((url) => url !== 'http://www.w3.org/2000/svg').filter((url) => !shownUrls.includes(url)), []);
    });
  }
});
