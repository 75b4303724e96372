// Shows a simulation: asks the server (gclens.simulate), puts its report page in a webview and its trace in a read-only document.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';

export const SIMULATE_COMMAND = 'gclens.simulate';
export const TRACE_LANGUAGE = 'gclens-trace';
const VIEW_TYPE = 'gclens.simulationReport';
/** Traces are read-only virtual documents: nothing to save, no prompt when closed. */
export const TRACE_SCHEME = 'gclens-trace';
/** Traces kept for their documents (the oldest is dropped past this). */
const MAX_TRACES = 20;

/** Serves each trace's text by URI; VS Code asks again when a closed trace tab is reopened. */
class TraceDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private serial = 0;

  add(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: TRACE_SCHEME, path: `/${name}.gclens-trace`, query: String(++this.serial) });
    this.texts.set(uri.toString(), text);
    if (this.texts.size > MAX_TRACES) this.texts.delete(this.texts.keys().next().value!);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '# GC Lens: this trace is no longer kept; run the simulation again.\n';
  }
}

const traces = new TraceDocuments();
/** One report panel per simulated target (document URI and range): running it again refreshes that panel. */
const panels = new Map<string, vscode.WebviewPanel>();

/** The server's answer (server/src/lsp/simulateCommand.ts); the client reads only what it shows. */
interface SimulateCommandResponse {
  readonly fileName: string;
  readonly targetVersion: string;
  readonly end: { readonly kind: string };
  readonly traceText: string;
  readonly html: string;
}

export interface SimulationTarget {
  readonly uri: string;
  readonly range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** The panel's page while the server works: static, under the same kind of policy as the report. */
function waitingPage(nonce: string, what: string): string {
  const escaped = what.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'"><style nonce="${nonce}">body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);padding:16px}</style></head><body><p>Simulating ${escaped}…</p></body></html>`;
}

function titleOf(target: SimulationTarget): string {
  const name = vscode.Uri.parse(target.uri).path.split('/').pop() ?? target.uri;
  return target.range ? `GC Lens: ${name} (lines ${target.range.start.line + 1}–${target.range.end.line + (target.range.end.character === 0 ? 0 : 1)})` : `GC Lens: ${name}`;
}

/**
 * Opens the report beside the editor and the trace beside the report. Scripts run (the slider) only under the
 * page's nonce; the webview may load no local files (`localResourceRoots: []`) and is rebuilt when shown again.
 */
export async function showSimulation(client: LanguageClient, target: SimulationTarget, log: (message: string) => void): Promise<void> {
  const title = titleOf(target);
  log(`Simulating ${title.replace(/^GC Lens: /, '')}`);
  const key = `${target.uri} ${JSON.stringify(target.range ?? null)}`;
  let panel = panels.get(key);
  if (panel) panel.reveal(undefined, true);
  else {
    const created = vscode.window.createWebviewPanel(VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [],
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    panels.set(key, created);
    created.onDidDispose(() => panels.delete(key));
    panel = created;
  }
  const nonce = randomBytes(18).toString('base64');
  panel.webview.html = waitingPage(nonce, title.replace(/^GC Lens: /, ''));
  let response: SimulateCommandResponse;
  try {
    response = (await client.sendRequest(ExecuteCommandRequest.type, {
      command: SIMULATE_COMMAND,
      arguments: [{ uri: target.uri, range: target.range, nonce, cspSource: panel.webview.cspSource }],
    })) as SimulateCommandResponse;
  } catch (error) {
    panel.dispose();
    const message = error instanceof Error ? error.message : String(error);
    log(`Simulation failed: ${message}`);
    void vscode.window.showErrorMessage(message.startsWith('GC Lens:') ? message : `GC Lens: simulation failed: ${message}`);
    return;
  }
  panel.webview.html = response.html;
  let trace = await vscode.workspace.openTextDocument(traces.add(title.replace(/^GC Lens: /, ''), response.traceText));
  if (trace.languageId !== TRACE_LANGUAGE) trace = await vscode.languages.setTextDocumentLanguage(trace, TRACE_LANGUAGE);
  const beside = (panel.viewColumn ?? vscode.ViewColumn.Two) + 1;
  await vscode.window.showTextDocument(trace, { viewColumn: beside, preview: true, preserveFocus: true });
  log(`Simulated ${response.fileName} (CPython ${response.targetVersion}, ${response.end.kind}): report ${response.html.length} bytes, trace ${trace.lineCount} lines`);
  if (response.end.kind === 'syntax-error') void vscode.window.showWarningMessage(`GC Lens: ${title.replace(/^GC Lens: /, '')} has a syntax error; the report shows where.`);
}

/** The Python document a command applies to: its URI argument (explorer, editor title), else the active editor's. */
function pythonDocument(uriArgument: unknown): vscode.TextDocument | vscode.Uri | undefined {
  if (uriArgument instanceof vscode.Uri) return uriArgument;
  const document = vscode.window.activeTextEditor?.document;
  return document && document.languageId === 'python' ? document : undefined;
}

export function registerSimulationCommands(clientOf: () => LanguageClient | undefined, log: (message: string) => void): vscode.Disposable[] {
  const run = async (target: SimulationTarget): Promise<void> => {
    const client = clientOf();
    if (!client) return void vscode.window.showErrorMessage('GC Lens: the language server is not running.');
    await showSimulation(client, target, log);
  };
  return [
    vscode.workspace.registerTextDocumentContentProvider(TRACE_SCHEME, traces),
    vscode.commands.registerCommand('gclens.simulateFile', async (uriArgument?: unknown) => {
      const document = pythonDocument(uriArgument);
      if (!document) return void vscode.window.showInformationMessage('GC Lens: open a Python file to simulate.');
      await run({ uri: (document instanceof vscode.Uri ? document : document.uri).toString() });
    }),
    vscode.commands.registerCommand('gclens.simulateSelection', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== 'python') return void vscode.window.showInformationMessage('GC Lens: open a Python file to simulate.');
      if (editor.selection.isEmpty) return void vscode.window.showInformationMessage('GC Lens: select the statements to simulate first.');
      const { start, end } = editor.selection;
      await run({ uri: editor.document.uri.toString(), range: { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } } });
    }),
  ];
}
