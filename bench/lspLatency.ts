// Edit → publishDiagnostics through the real language server (dist/server.js --stdio) driven over JSON-RPC.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import { LineMap } from '../server/src/analysis/textLines';
import { seededRandom } from '../test/support/seededRandom';
import { nowMs, percentile } from './measure';

export interface LspLatency {
  readonly file: string;
  readonly lines: number;
  readonly edits: number;
  /** didOpen → first publishDiagnostics (full parse + analysis + debounce if the server debounces opens). */
  readonly openMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly diagnostics: number;
}

export interface LspRun {
  readonly files: LspLatency[];
  /** What the server was asked for as its debounce (initializationOptions), and whether it is known to honour it. */
  readonly debounceRequestedMs: number;
  readonly serverPeakRssMb: number;
}

interface PublishDiagnosticsParams {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

/** Waits for the next publishDiagnostics for `uri` (with `version` when the server reports versions). */
class DiagnosticsWaiter {
  private pending: { uri: string; version: number; resolve: (params: PublishDiagnosticsParams) => void } | undefined;
  constructor(connection: MessageConnection) {
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const pending = this.pending;
      if (!pending || pending.uri !== params.uri) return;
      if (params.version !== undefined && params.version !== null && params.version < pending.version) return;
      this.pending = undefined;
      pending.resolve(params);
    });
  }
  next(uri: string, version: number, timeoutMs: number): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const pending = {
        uri,
        version,
        resolve: (params: PublishDiagnosticsParams) => {
          clearTimeout(timer);
          resolve(params);
        },
      };
      const timer = setTimeout(() => {
        // A late publication must not resolve a wait that has already failed.
        if (this.pending === pending) this.pending = undefined;
        reject(new Error(`no publishDiagnostics for ${uri} v${version} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = pending;
    });
  }
}

/** `promise`, or a rejection after `timeoutMs` saying what did not answer. */
async function within<T>(timeoutMs: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the built server, opens each file, and sends `edits` one-character incremental didChange
 * notifications one at a time (insert "x", then delete it), timing each until its publishDiagnostics.
 */
export async function measureLspLatency(
  serverScript: string,
  documents: readonly { file: string; absolutePath: string; text: string; lines: number }[],
  edits: number,
  debounceMs = 0,
): Promise<LspRun> {
  const child = spawn(process.execPath, [serverScript, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.resume();
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  const waiter = new DiagnosticsWaiter(connection);
  connection.listen();
  const results: LspLatency[] = [];
  let serverPeakRssMb = Number.NaN;
  try {
    // Inside the try, and bounded (the connection does not fail requests when the server dies): a server that
    // fails to initialise is shut down (or killed) like one that fails later.
    await within(30_000, 'initialize', connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(path.dirname(documents[0]?.absolutePath ?? process.cwd())).href,
      workspaceFolders: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { dynamicRegistration: false } },
      },
      initializationOptions: { diagnosticsDelayMs: debounceMs },
    }));
    await connection.sendNotification('initialized', {});

    for (const document of documents) {
      const uri = pathToFileURL(document.absolutePath).href;
      let version = 1;
      let text = document.text;
      const openStarted = nowMs();
      const opened = waiter.next(uri, version, 60_000);
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
      await opened;
      const openMs = nowMs() - openStarted;
      const random = seededRandom(7);
      const timings: number[] = [];
      let inserted: number | undefined;
      let diagnostics = 0;
      for (let i = 0; i < edits; i++) {
        const start = inserted ?? Math.floor(random() * (text.length + 1));
        const end = inserted === undefined ? start : start + 1;
        const newText = inserted === undefined ? 'x' : '';
        const lines = new LineMap(text);
        const range = { start: lines.positionAt(start), end: lines.positionAt(end) };
        text = text.slice(0, start) + newText + text.slice(end);
        version++;
        const started = nowMs();
        const published = waiter.next(uri, version, 30_000);
        await connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range, text: newText }],
        });
        diagnostics = (await published).diagnostics.length;
        timings.push(nowMs() - started);
        inserted = inserted === undefined ? start : undefined;
      }
      await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      results.push({ file: document.file, lines: document.lines, edits, openMs, p50Ms: percentile(timings, 0.5), p95Ms: percentile(timings, 0.95), diagnostics });
    }
  } finally {
    serverPeakRssMb = readPeakRssMb(child.pid);
    await shutdown(connection, child);
  }
  return { files: results, debounceRequestedMs: debounceMs, serverPeakRssMb };
}

async function shutdown(connection: MessageConnection, child: ReturnType<typeof spawn>): Promise<void> {
  try {
    await Promise.race([connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
    await connection.sendNotification('exit');
  } catch {
    // the server may already be gone
  }
  connection.dispose();
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill();
      resolve();
    }, 3000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function readPeakRssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
