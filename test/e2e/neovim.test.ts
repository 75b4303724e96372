// End to end in Neovim 0.7 (headless): a second real LSP client starts the server over stdio and checks diagnostics, hover, fix-all and an applied code action, on both parser backends.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt } from '../support/ensureBuilt';
import { neovimBin, REPO_ROOT, requireTools, resultsPath } from './support/e2eTools';
import { startProcessGroup } from './support/processGroup';

const EXAMPLE = 'shopping_cart.py';
const CLIENT_CONFIG = path.join(__dirname, 'neovim', 'gclens-client.lua');
const RUN_TIMEOUT_MS = 90_000;

interface CliFinding {
  readonly code: string;
  readonly message: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

/** The report's lines that start with `tag`, without the tag. */
function tagged(report: string[], tag: string): string[] {
  return report.filter((line) => line.startsWith(`${tag} `)).map((line) => line.slice(tag.length + 1));
}

async function runNeovim(workspace: string, backend: 'native' | 'wasm'): Promise<{ code: number | null; report: string[] }> {
  const reportFile = path.join(workspace, `report-${backend}.txt`);
  const xdg = path.join(workspace, `xdg-${backend}`);
  const group = startProcessGroup(neovimBin(), ['--headless', '-n', '-i', 'NONE', '-u', CLIENT_CONFIG, EXAMPLE], {
    cwd: workspace,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      GCLENS_SERVER: path.join(REPO_ROOT, 'dist', 'server.js'),
      GCLENS_NVIM_REPORT: reportFile,
      GCLENS_PARSER: backend,
      // Neovim writes lsp.log and shada under these; keep them out of the user's home.
      XDG_CACHE_HOME: path.join(xdg, 'cache'),
      XDG_DATA_HOME: path.join(xdg, 'data'),
      XDG_STATE_HOME: path.join(xdg, 'state'),
      XDG_CONFIG_HOME: path.join(xdg, 'config'),
    },
  });
  let stderr = '';
  group.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([group.exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), RUN_TIMEOUT_MS)))]);
  clearTimeout(timer);
  await group.stop();
  assert.notEqual(outcome, 'timeout', `nvim did not finish within ${RUN_TIMEOUT_MS} ms; stderr: ${stderr}`);
  const report = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8').trimEnd().split('\n') : [`(no report) ${stderr}`];
  fs.copyFileSync(reportFile, resultsPath(`neovim-report-${backend}.txt`));
  return { code: outcome === 'timeout' ? null : outcome.code, report };
}

describe('GC Lens in Neovim 0.7 (headless, stdio)', () => {
  let workspace: string;
  let cliFindings: CliFinding[];
  before(() => {
    requireTools('nvim');
    ensureBuilt();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-e2e-nvim-'));
    fs.copyFileSync(path.join(REPO_ROOT, 'examples', EXAMPLE), path.join(workspace, EXAMPLE));
    const check = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'gclens.js'), 'check', '--format', 'json', EXAMPLE], { cwd: workspace, encoding: 'utf8' });
    assert.equal(check.status, 1, check.stderr);
    cliFindings = JSON.parse(check.stdout) as CliFinding[];
  });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  for (const backend of ['native', 'wasm'] as const) {
    it(`diagnostics match the CLI, the refcount hover answers, the quick fix applies (${backend} parser)`, async () => {
      const { code, report } = await runNeovim(workspace, backend);
      assert.equal(code, 0, report.join('\n'));
      assert.deepEqual(tagged(report, 'FAIL'), []);
      assert.ok(tagged(report, 'LOG').includes(`GC Lens: parser backend ${backend}`), report.join('\n'));

      const diagnostics = tagged(report, 'DIAG');
      const expected = cliFindings.map((finding) => `${finding.location.start.line}:${finding.location.start.column} ${finding.code} gclens sev=2`).sort();
      assert.deepEqual(diagnostics.map((line) => line.split(' ').slice(0, 4).join(' ')).sort(), expected);
      for (const finding of cliFindings) assert.ok(diagnostics.some((line) => line.includes(finding.message)), finding.message);

      // The refcount hover, from the server's simulation of the module: the `def` ran, the body never did.
      assert.deepEqual(tagged(report, 'HOVER_PROVIDER'), ['true']);
      assert.deepEqual(tagged(report, 'HOVER_ERROR'), []);
      assert.deepEqual(tagged(report, 'HOVER'), [
        "add_item: add_item#1 refcount 1 holders: global 'add_item'",
        'cart: not reached: add_item never ran this line in the simulation',
      ]);

      assert.deepEqual(tagged(report, 'FIXALL'), ['applied=false'], 'fix-all applies no unsafe fix');
      assert.deepEqual(tagged(report, 'SIMULATE'), [`end=completed trace=# GC Lens trace: ${path.join(workspace, EXAMPLE)}, simulated CPython 3.12`]);
      assert.deepEqual(tagged(report, 'ACTION'), [
        'Default `cart` to None and create the value in the body kind=quickfix',
        'Ignore GCL001 on this line kind=quickfix',
      ]);
      assert.deepEqual(tagged(report, 'LINE'), ['def add_item(item, cart=None):']);
      // The fix inserted two lines (`if cart is None:` and its body) above the other findings.
      const shifted = cliFindings.filter((finding) => !finding.message.includes('for `cart`'))
        .map((finding) => `${finding.location.start.line + 2}:${finding.location.start.column} ${finding.code}`).sort();
      assert.deepEqual(tagged(report, 'AFTER').map((line) => line.split(' ').slice(0, 2).join(' ')).sort(), shifted);
    });
  }
});
