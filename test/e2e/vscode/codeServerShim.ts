// Takes the command line @vscode/test-electron gives VS Code and runs the same extension tests in code-server's Node extension host, driven by headless Chromium; exits with the suite's exit code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { launchChromium, startCodeServer, type CodeServerProfile } from '../support/codeServer';

/** The parts of VS Code's command line the tests use; the rest (--no-sandbox, --skip-welcome, ...) has no code-server meaning. */
export interface ShimArguments {
  readonly extensionDevelopmentPaths: string[];
  readonly extensionTestsPath: string;
  readonly folder: string | undefined;
  readonly userDataDir: string | undefined;
  readonly extensionsDir: string | undefined;
}

export function parseShimArguments(argv: readonly string[]): ShimArguments {
  const values = (name: string): string[] => {
    const found: string[] = [];
    argv.forEach((arg, index) => {
      if (arg.startsWith(`--${name}=`)) found.push(arg.slice(name.length + 3));
      else if (arg === `--${name}` && index + 1 < argv.length) found.push(argv[index + 1]);
    });
    return found;
  };
  const testsPath = values('extensionTestsPath')[0];
  if (!testsPath) throw new Error('no --extensionTestsPath given');
  const valued = new Set(['--extensionTestsPath', '--extensionDevelopmentPath', '--user-data-dir', '--extensions-dir']);
  const positional = argv.filter((arg, index) => !arg.startsWith('-') && !valued.has(argv[index - 1] ?? ''));
  return {
    extensionDevelopmentPaths: values('extensionDevelopmentPath'),
    extensionTestsPath: testsPath,
    folder: positional[0],
    userDataDir: values('user-data-dir')[0],
    extensionsDir: values('extensions-dir')[0],
  };
}

/** The workbench's console lines that are only noise around the test output. */
const NOISE = /^(Resolv|Creating a socket|Updating additional|\[Service Worker\]|ChatSession|Started local extension host|Extension host|Ignoring fetching additional builtin extensions|Creation of workbench contribution)/;

export async function runShim(argv: readonly string[]): Promise<number> {
  const args = parseShimArguments(argv);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-shim-'));
  const profile: CodeServerProfile = {
    userDataDir: args.userDataDir ?? path.join(scratch, 'user-data'),
    extensionsDir: args.extensionsDir ?? path.join(scratch, 'extensions'),
  };
  const folder = args.folder ?? path.join(scratch, 'workspace');
  fs.mkdirSync(folder, { recursive: true });
  const timeoutMs = Number(process.env.GCLENS_E2E_SHIM_TIMEOUT_MS || 300_000);
  const server = await startCodeServer(profile);
  const browser = await launchChromium().catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  try {
    const page = await browser.newPage();
    let finish: (code: number) => void = () => undefined;
    const finished = new Promise<number>((resolve) => (finish = resolve));
    // The hooks the web workbench calls in automation: the extension host's console, and the tests' end.
    await page.exposeFunction('codeAutomationLog', (type: string, parts: unknown[] | undefined) => {
      // Mocha's reporter logs printf-style (`%s%s`, ...): format as Node's console would.
      const line = format(...(parts ?? []));
      if (type === 'info' && NOISE.test(line)) return;
      console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    page.on('pageerror', (error) => console.error(`workbench page error: ${error.message}`));
    const payload: [string, string][] = [
      ...args.extensionDevelopmentPaths.map((devPath): [string, string] => ['extensionDevelopmentPath', server.remoteUri(devPath)]),
      ['extensionTestsPath', server.remoteUri(args.extensionTestsPath)],
    ];
    await page.goto(server.workbenchUrl(folder, payload));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(124), timeoutMs)));
    const code = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    if (code === 124) console.error(`code-server shim: the tests did not finish within ${timeoutMs} ms`);
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    if (process.env.GCLENS_E2E_VERBOSE === '1') console.error(server.output());
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

