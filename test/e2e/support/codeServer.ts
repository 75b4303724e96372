// Runs code-server (VS Code 1.100.3 with a Node extension host) for the tests: temp profile, loopback, no auth, own process group.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { chromiumBin, codeServerBin } from './e2eTools';
import { startProcessGroup, type ProcessGroup } from './processGroup';

/** What a clean profile needs so that nothing but the test's own editors and panels appear. */
const QUIET_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'editor.hover.delay': 150,
};

export interface CodeServerProfile {
  readonly userDataDir: string;
  readonly extensionsDir: string;
}

/** Writes the quiet user settings (plus `extra`) and code-server's own config file into the profile. */
export function prepareProfile(profile: CodeServerProfile, extra: Record<string, unknown> = {}): string {
  fs.mkdirSync(path.join(profile.userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(profile.extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(profile.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_USER_SETTINGS, ...extra }, null, 2));
  // Without --config code-server writes ~/.config/code-server/config.yaml with a random password.
  const config = path.join(profile.userDataDir, 'code-server.yaml');
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  return config;
}

function codeServerArgs(profile: CodeServerProfile, config: string): string[] {
  return ['--config', config, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** Installs a .vsix into the profile's extensions folder (the way a user installs one). */
export function installVsix(vsix: string, profile: CodeServerProfile): void {
  const config = prepareProfile(profile);
  const result = spawnSync(codeServerBin(), [...codeServerArgs(profile, config), '--install-extension', vsix], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${result.status ?? result.error?.message}):\n${result.stdout}${result.stderr}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  /** The workbench URL for a folder, with an optional launch payload (extension development and test paths). */
  workbenchUrl(folder: string, payload?: readonly (readonly [string, string])[]): string;
  /** `vscode-remote://` form of a server-side path, as the payload wants it. */
  remoteUri(file: string): string;
  /** What code-server wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function startCodeServer(profile: CodeServerProfile, options: { env?: NodeJS.ProcessEnv; userSettings?: Record<string, unknown> } = {}): Promise<RunningCodeServer> {
  const config = prepareProfile(profile, options.userSettings);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const group: ProcessGroup = startProcessGroup(codeServerBin(), [
    ...codeServerArgs(profile, config),
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
  ], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // No gallery: the workbench would otherwise query open-vsx.org.
    env: { ...process.env, ...options.env, EXTENSIONS_GALLERY: '{}' },
  });
  let output = '';
  group.child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  group.child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let leaderExit: string | undefined;
  void group.exited.then((exit) => (leaderExit = `code-server exited (${exit.code ?? exit.signal})`));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (leaderExit) throw new Error(`${leaderExit} before it answered:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await group.stop();
      throw new Error(`code-server did not answer /healthz within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const remoteUri = (file: string): string => `vscode-remote://127.0.0.1:${port}${path.resolve(file)}`;
  return {
    url,
    port,
    remoteUri,
    workbenchUrl(folder, payload) {
      const query = [`folder=${encodeURIComponent(path.resolve(folder))}`];
      if (payload && payload.length > 0) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
      return `${url}/?${query.join('&')}`;
    },
    output: () => output,
    stop: () => group.stop(),
  };
}

/** Headless Debian Chromium driven by playwright-core (no browser download). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumBin(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
