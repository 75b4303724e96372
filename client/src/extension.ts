// The VS Code extension: starts the bundled GC Lens language server over IPC and wires its commands; no analysis here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { registerSimulationCommands, showSimulation, SIMULATE_COMMAND, type SimulationTarget } from './simulationView';

const OUTPUT_CHANNEL_NAME = 'GC Lens';
const FIX_ALL_COMMAND = 'gclens.fixAll';

let client: LanguageClient | undefined;

function isSimulationTarget(value: unknown): value is SimulationTarget {
  return value !== null && typeof value === 'object' && typeof (value as { uri?: unknown }).uri === 'string';
}

function createClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const configuration = vscode.workspace.getConfiguration('gclens');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    outputChannel,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // No `synchronize`: the server registers for `gclens` configuration changes and for pyproject.toml and
    // Python file events itself (dynamic registration); watching here as well would deliver every event twice.
    initializationOptions: { parser: configuration.get<string>('parser', 'auto') },
    middleware: {
      // Run from the command palette, "Fix All" gets no arguments: give it the active Python document.
      executeCommand: (command, args, next) => {
        if (command === FIX_ALL_COMMAND && args.length === 0) {
          const document = vscode.window.activeTextEditor?.document;
          if (!document || document.languageId !== 'python') {
            void vscode.window.showInformationMessage('GC Lens: open a Python file to fix.');
            return undefined;
          }
          return next(command, [document.uri.toString()]);
        }
        // A "Simulate" code lens names the server's command: show its answer instead of dropping it.
        if (command === SIMULATE_COMMAND && client && isSimulationTarget(args[0])) return showSimulation(client, args[0], (message) => outputChannel.info(message));
        return next(command, args);
      },
    },
    // No errorHandler given: the library's default one restarts the server after a crash (at most
    // maxRestartCount times in three minutes, then it tells the user).
    connectionOptions: { maxRestartCount: 4 },
  };
  return new LanguageClient('gclens', 'GC Lens', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const outputChannel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(outputChannel);
  client = createClient(context, outputChannel);

  context.subscriptions.push(
    vscode.commands.registerCommand('gclens.showOutput', () => outputChannel.show(true)),
    ...registerSimulationCommands(() => client, (message) => outputChannel.info(message)),
    vscode.commands.registerCommand('gclens.restartServer', async () => {
      if (!client) return;
      outputChannel.info('Restarting the GC Lens language server');
      await client.restart();
    }),
    // The backend is chosen when the server starts, so switching it means a restart.
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('gclens.parser') || !client) return;
      await client.stop();
      client = createClient(context, outputChannel);
      await client.start();
    }),
    { dispose: () => void client?.stop() },
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}
