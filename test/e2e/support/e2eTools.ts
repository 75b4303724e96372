// Where the end-to-end tests find their tools (code-server, Chromium, Neovim) and the one-line error when one is missing.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** Test artifacts (screenshots, logs, the packed .vsix); gitignored. */
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'e2e');
export const SETUP_COMMAND = 'npm run e2e:setup';

export function codeServerBin(): string {
  return process.env.CODE_SERVER_BIN || path.join(REPO_ROOT, 'e2e', 'code-server', 'node_modules', '.bin', 'code-server');
}

export function chromiumBin(): string {
  return process.env.CHROMIUM || '/usr/bin/chromium';
}

export function neovimBin(): string {
  return process.env.NVIM || findOnPath('nvim') || '/usr/bin/nvim';
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export type E2eTool = 'code-server' | 'chromium' | 'nvim';

function toolPath(tool: E2eTool): string {
  switch (tool) {
    case 'code-server':
      return codeServerBin();
    case 'chromium':
      return chromiumBin();
    case 'nvim':
      return neovimBin();
    default: {
      const unknown: never = tool;
      throw new Error(`unknown tool ${String(unknown)}`);
    }
  }
}

export function isInstalled(tool: E2eTool): boolean {
  return fs.existsSync(toolPath(tool));
}

/**
 * Fails with one line naming the setup command when a tool is missing: `npm test` never skips the editor tests
 * silently on a machine that lacks them.
 */
export function requireTools(...tools: E2eTool[]): void {
  const missing = tools.filter((tool) => !isInstalled(tool)).map((tool) => `${tool} (${toolPath(tool)})`);
  if (missing.length > 0) {
    throw new Error(`end-to-end tools missing: ${missing.join(', ')}; install them with \`${SETUP_COMMAND}\` (apt packages need root: see e2e/setup.sh)`);
  }
}

export function resultsPath(...parts: string[]): string {
  const target = path.join(RESULTS_DIR, ...parts);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  return target;
}
