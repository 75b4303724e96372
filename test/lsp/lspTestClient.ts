// A real JSON-RPC client for protocol tests: starts the built server (node dist/server.js --stdio) and records what it sends.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ApplyWorkspaceEditParams,
  CodeAction,
  Diagnostic,
  InitializeResult,
  LogMessageParams,
  Position,
  PublishDiagnosticsParams,
  Range,
  Registration,
  RegistrationParams,
  ShowMessageParams,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { ensureBuilt, REPO_ROOT } from '../support/ensureBuilt';

export const ROOT = REPO_ROOT;
export const SERVER = path.join(ROOT, 'dist', 'server.js');
export { ensureBuilt };

/** Creates the files of `spec` (relative path → text) under `root`. */
export function writeTree(root: string, spec: Readonly<Record<string, string>>): void {
  for (const [relative, text] of Object.entries(spec)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  }
}

/** A started client on a fresh temporary folder: the workspace holds `files`, `root` is what `dispose` removes. */
export interface WorkspaceSession {
  readonly root: string;
  readonly workspace: string;
  readonly client: LspTestClient;
  /** `file://` URI of a path relative to the workspace folder. */
  uriOf(relative: string): string;
  dispose(): void;
}

/**
 * Builds the server if needed, writes `files` into a new temporary workspace folder (`outside` files go in its
 * parent, e.g. a pyproject.toml above the project) and starts an initialized client on it.
 */
export async function startWorkspaceSession(
  files: Readonly<Record<string, string>>,
  options: Omit<TestClientOptions, 'workspaceFolder'> = {},
  outside: Readonly<Record<string, string>> = {},
): Promise<WorkspaceSession> {
  ensureBuilt();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-ws-'));
  const workspace = path.join(root, 'ws');
  writeTree(root, outside);
  fs.mkdirSync(workspace);
  writeTree(workspace, files);
  const client = new LspTestClient({ ...options, workspaceFolder: workspace });
  await client.initialize();
  return {
    root,
    workspace,
    client,
    uriOf: (relative) => pathToFileURL(path.join(workspace, relative)).href,
    dispose: () => {
      client.kill();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface ProgressEvent {
  readonly token: string | number;
  readonly value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number };
}

export interface TestClientOptions {
  /** The `gclens` section answered to workspace/configuration (mutable via `settings`). */
  readonly settings?: Record<string, unknown>;
  readonly workspaceFolder?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly initializationOptions?: Record<string, unknown>;
  /** How the client talks to the server: stdio (other editors) or Node IPC (what VS Code's client uses). */
  readonly transport?: 'stdio' | 'ipc';
  /** The server bundle to run (default dist/server.js). */
  readonly serverPath?: string;
}

type Waiter = { predicate: () => boolean; resolve: () => void };

export class LspTestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly publishCount = new Map<string, number>();
  readonly shownMessages: ShowMessageParams[] = [];
  readonly logMessages: LogMessageParams[] = [];
  readonly progress: ProgressEvent[] = [];
  readonly createdProgressTokens: (string | number)[] = [];
  readonly configurationRequests: unknown[] = [];
  readonly answeredConfigurationRequests: unknown[] = [];
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  readonly registrations: Registration[] = [];
  settings: Record<string, unknown>;
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  private readonly waiters: Waiter[] = [];
  private stderr = '';
  exitCode: number | null | undefined;

  constructor(private readonly options: TestClientOptions = {}) {
    this.settings = options.settings ?? {};
    const ipc = options.transport === 'ipc';
    this.child = spawn(process.execPath, [options.serverPath ?? SERVER, ipc ? '--node-ipc' : '--stdio'], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ipc ? ['pipe', 'pipe', 'pipe', 'ipc'] : ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.on('exit', (code) => {
      this.exitCode = code;
      this.wake();
    });
    this.connection = ipc
      ? createMessageConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child))
      : createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      this.publishCount.set(params.uri, (this.publishCount.get(params.uri) ?? 0) + 1);
      this.wake();
    });
    this.connection.onNotification('window/showMessage', (params: ShowMessageParams) => {
      this.shownMessages.push(params);
      this.wake();
    });
    this.connection.onNotification('window/logMessage', (params: LogMessageParams) => {
      this.logMessages.push(params);
      this.wake();
    });
    this.connection.onNotification('$/progress', (params: ProgressEvent) => {
      this.progress.push(params);
      this.wake();
    });
    this.connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      this.createdProgressTokens.push(params.token);
      return null;
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) => {
      this.configurationRequests.push(params);
      // Counted once the answer is queued for sending: what a waiter sends next reaches the server after it.
      setImmediate(() => {
        this.answeredConfigurationRequests.push(params);
        this.wake();
      });
      return params.items.map((item) => (item.section === 'gclens' ? this.settings : null));
    });
    this.connection.onRequest('client/registerCapability', (params: RegistrationParams) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    this.connection.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams) => {
      this.appliedEdits.push(params);
      return { applied: true };
    });
    this.connection.listen();
  }

  async initialize(): Promise<InitializeResult> {
    const folder = this.options.workspaceFolder;
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: folder ? pathToFileURL(folder).href : null,
      workspaceFolders: folder ? [{ uri: pathToFileURL(folder).href, name: path.basename(folder) }] : null,
      initializationOptions: { diagnosticsDelayMs: 20, ...this.options.initializationOptions },
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          applyEdit: true,
          workspaceEdit: { documentChanges: false },
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
        window: { workDoneProgress: true, showMessage: {} },
        textDocument: {
          synchronization: { didSave: false },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves once `predicate` holds, re-checked after every message; rejects with context after `timeoutMs`. */
  waitFor(description: string, predicate: () => boolean, timeoutMs = 15000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`timed out waiting for ${description}; server stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      const waiter: Waiter = { predicate, resolve: () => { clearTimeout(timer); resolve(); } };
      this.waiters.push(waiter);
    });
  }

  /** Waits for diagnostics of `uri` published for `version` (or, for closed files, any new publication). */
  async diagnosticsFor(uri: string, version?: number): Promise<Diagnostic[]> {
    await this.waitFor(`diagnostics for ${uri} v${version}`, () => {
      const published = this.diagnostics.get(uri);
      return published !== undefined && (version === undefined || published.version === version);
    });
    return this.diagnostics.get(uri)!.diagnostics;
  }

  /** Waits until the next publication for `uri` after this call satisfies `predicate`. */
  async nextDiagnostics(uri: string, predicate: (diagnostics: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    const seen = this.publishCount.get(uri) ?? 0;
    await this.waitFor(`new diagnostics for ${uri}`, () => (this.publishCount.get(uri) ?? 0) > seen && predicate(this.diagnostics.get(uri)!.diagnostics));
    return this.diagnostics.get(uri)!.diagnostics;
  }

  async open(uri: string, text: string, version = 1): Promise<Diagnostic[]> {
    this.diagnostics.delete(uri);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
    return this.diagnosticsFor(uri, version);
  }

  async codeActions(uri: string, range: Diagnostic['range'], diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
  }

  async shutdown(): Promise<void> {
    if (this.exitCode !== undefined) return;
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
      await this.waitFor('server exit', () => this.exitCode !== undefined, 5000);
    } finally {
      this.kill();
    }
  }

  kill(): void {
    this.connection.dispose();
    if (this.exitCode === undefined) this.child.kill();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

/** The offset of an LSP position in `text` (lines end at \r\n, \n or \r, as LSP says). */
export function offsetOf(text: string, position: Position): number {
  let lineStart = 0;
  for (let line = 0; line < position.line; line++) {
    const match = /\r\n|\r|\n/g;
    match.lastIndex = lineStart;
    const found = match.exec(text);
    if (!found) return text.length;
    lineStart = found.index + found[0].length;
  }
  return Math.min(lineStart + position.character, text.length);
}

/** Applies LSP text edits (all against `text`, not overlapping) and returns the result. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offsetOf(text, edit.range.start)) + edit.newText + result.slice(offsetOf(text, edit.range.end));
  return result;
}

/** The edits a workspace edit makes to one document (from `changes`). */
export function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  return edit?.changes?.[uri] ?? [];
}

/** A diagnostic's message as plain text (LSP 3.18 also allows markup). */
export function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** The text a range covers. */
export function textOf(text: string, range: Range): string {
  return text.slice(offsetOf(text, range.start), offsetOf(text, range.end));
}
