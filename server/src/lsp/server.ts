// The language server: capabilities, document sync, settings, code actions, commands and the workspace scan.
import * as path from 'node:path';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
  type CodeActionParams,
  type CodeLensParams,
  type Connection,
  type DidChangeConfigurationParams,
  type DidChangeTextDocumentParams,
  type DidChangeWatchedFilesParams,
  type DidCloseTextDocumentParams,
  type DidOpenTextDocumentParams,
  type ExecuteCommandParams,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressReporter,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import type { ConfigProblem } from '../analysis/config';
import { loadPythonParser, parserPreferenceFromEnv, type ParserPreference } from '../syntax/loadParser';
import type { PythonParser } from '../syntax/syntaxTypes';
import { codeActionsFor, FIX_ALL_KIND, wantsFixAll, workspaceEditFor } from './codeActions';
import { cancellableFixAllEdit } from './fixAllCommand';
import { DocumentAnalyzer } from './documentAnalyzer';
import { DocumentStore } from './documentStore';
import { errorDetail, errorMessage } from './errorText';
import { provideHover, simulationFileName } from './hover';
import { filePathOf, SettingsService } from './settingsService';
import { readSimulateArgs, runSimulateCommand, SIMULATE_COMMAND, type SimulatedSource } from './simulateCommand';
import { simulationLenses } from './simulationLenses';
import { readSourceSync } from '../workspace/sourceFile';
import { SimulationService, SimulationUnavailable } from './simulationService';
import { WorkspaceScanner } from './workspaceScan';

export const FIX_ALL_COMMAND = 'gclens.fixAll';
/** Test-only request that throws, registered when GCLENS_TEST_HOOKS=1: proves a failing handler is contained. */
export const DEBUG_THROW_REQUEST = 'gclens/_debugThrow';
/** Test-only request (GCLENS_TEST_HOOKS=1): an open document's text and version as the server holds them (sync checks). */
export const DEBUG_DOCUMENT_REQUEST = 'gclens/_debugDocument';
const DEFAULT_DIAGNOSTICS_DELAY_MS = 150;
const SCAN_DELAY_MS = 200;

/** What a client may pass in `initializationOptions`. */
interface InitializationOptions {
  readonly parser?: ParserPreference;
  readonly diagnosticsDelayMs?: number;
  /** The `gclens` settings section, for clients that cannot answer `workspace/configuration`. */
  readonly settings?: unknown;
}

function readInitializationOptions(raw: unknown): InitializationOptions {
  if (raw === null || typeof raw !== 'object') return {};
  const options = raw as Record<string, unknown>;
  const parser = options.parser === 'auto' || options.parser === 'native' || options.parser === 'wasm' ? options.parser : undefined;
  const delay = typeof options.diagnosticsDelayMs === 'number' && options.diagnosticsDelayMs >= 0 ? options.diagnosticsDelayMs : undefined;
  return { parser, diagnosticsDelayMs: delay, settings: options.settings };
}

/** Runs a handler; a throw is logged and becomes an error response instead of taking the server down. */
function guarded<P extends unknown[], R>(connection: Connection, name: string, handler: (...args: P) => R | Promise<R>): (...args: P) => Promise<R> {
  return async (...args: P): Promise<R> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      connection.console.error(`GC Lens: ${name} failed: ${errorDetail(error)}`);
      throw new ResponseError(ErrorCodes.InternalError, `GC Lens: ${name} failed: ${errorMessage(error)}`);
    }
  };
}

/** Notification variant: nothing to answer, so the failure is only logged. */
function guardedNotification<P extends unknown[]>(connection: Connection, name: string, handler: (...args: P) => void | Promise<void>): (...args: P) => void {
  return (...args: P): void => {
    guarded(connection, name, handler)(...args).catch(() => undefined);
  };
}

/**
 * Loads the parser the user asked for. `auto` falls back to wasm on its own (logged); an explicit `native` that
 * fails also falls back, so the server still works, but the user is told which setting could not be honoured.
 */
async function loadParserFor(connection: Connection, options: InitializationOptions): Promise<PythonParser> {
  const fromEnv = parserPreferenceFromEnv();
  const [preference, settingName]: [ParserPreference, string] = options.parser && options.parser !== 'auto'
    ? [options.parser, '`gclens.parser`']
    : [fromEnv ?? options.parser ?? 'auto', fromEnv ? 'GCLENS_PARSER' : '`gclens.parser`'];
  let parser: PythonParser;
  if (preference === 'native') {
    try {
      parser = (await loadPythonParser('native')).parser;
    } catch (error) {
      const message = `GC Lens: ${settingName} asks for the native parser, which failed to load (${errorMessage(error)}); using the WebAssembly parser instead.`;
      connection.console.warn(message);
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
      parser = (await loadPythonParser('wasm')).parser;
    }
  } else {
    const loaded = await loadPythonParser(preference);
    if (loaded.fallbackReason) connection.console.warn(`GC Lens: native tree-sitter unavailable (${loaded.fallbackReason}); using the WebAssembly parser`);
    parser = loaded.parser;
  }
  connection.console.info(`GC Lens: parser backend ${parser.backend}`);
  return parser;
}

function workspaceFolderPaths(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  return uris.map(filePathOf).filter((folder): folder is string => folder !== undefined);
}

/** The running server's parts, created once `initialize` has loaded the parser. */
interface ServerState {
  readonly parser: PythonParser;
  readonly store: DocumentStore;
  readonly settings: SettingsService;
  readonly analyzer: DocumentAnalyzer;
  readonly scanner: WorkspaceScanner;
  readonly simulation: SimulationService;
  readonly capabilities: ClientCapabilities;
  folders: string[];
}

export function startServer(connection: Connection): void {
  let state: ServerState | undefined;
  const shownProblems = new Set<string>();
  const reportProblem = (problem: ConfigProblem): void => {
    const what = problem.message.includes(problem.key) ? problem.message : `${problem.key}: ${problem.message}`;
    const text = `GC Lens: ${what} (in ${problem.source}); using the default instead.`;
    if (shownProblems.has(text)) return;
    shownProblems.add(text);
    connection.console.warn(text);
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: text });
  };
  const ready = (): ServerState => {
    if (!state) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'GC Lens: the server is not initialized');
    return state;
  };

  connection.onInitialize(guarded(connection, 'initialize', async (params: InitializeParams): Promise<InitializeResult> => {
    const initOptions = readInitializationOptions(params.initializationOptions);
    const parser = await loadParserFor(connection, initOptions);
    const store = new DocumentStore();
    const folders = workspaceFolderPaths(params);
    const canPull = params.capabilities.workspace?.configuration === true;
    const settings = new SettingsService(
      {
        fetchEditorSection: (scopeUri) => connection.workspace.getConfiguration({ scopeUri, section: 'gclens' }),
        workspaceFolders: () => state?.folders ?? folders,
        reportProblem,
      },
      canPull,
      initOptions.settings,
    );
    // The worker always parses with WebAssembly: a stale simulation is stopped by terminating its worker, and
    // terminating a worker that loaded native tree-sitter aborts the whole server process ("terminate called after
    // throwing an instance of 'Napi::Error'", found by the hover fuzz target). One parse per simulation is cheap.
    const simulation = new SimulationService({ parser: 'wasm', log: (message) => connection.console.error(message) });
    // Hovers must answer within 50 ms even on a freshly opened file: the worker loads its parser and warms the
    // simulator's JIT now, while the editor is still starting, rather than on the first hover.
    simulation.warmUp();
    const analyzer = new DocumentAnalyzer(connection, store, settings, initOptions.diagnosticsDelayMs ?? DEFAULT_DIAGNOSTICS_DELAY_MS, simulation);
    const scanner = new WorkspaceScanner(connection, store, settings, parser);
    state = { parser, store, settings, analyzer, scanner, simulation, capabilities: params.capabilities, folders };
    return {
      capabilities: {
        positionEncoding: 'utf-16',
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        executeCommandProvider: { commands: [FIX_ALL_COMMAND, SIMULATE_COMMAND] },
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'gclens', version: process.env.GCLENS_VERSION ?? '0.1.0' },
    };
  }));

  connection.onInitialized(guardedNotification(connection, 'initialized', async () => {
    const { capabilities, scanner } = ready();
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: 'gclens' });
    }
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/pyproject.toml' }, { globPattern: '**/*.{py,pyi}' }],
      });
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(guardedNotification(connection, 'workspace folders change', async (event: WorkspaceFoldersChangeEvent) => {
        const current = ready();
        const removed = new Set(event.removed.map((folder) => filePathOf(folder.uri)));
        const added = event.added.map((folder) => filePathOf(folder.uri)).filter((folder): folder is string => folder !== undefined);
        current.folders = [...current.folders.filter((folder) => !removed.has(folder)), ...added];
        await settingsChanged();
      }));
    }
    if (!scanner.scanning) updateWorkspaceScan();
  }));

  let scanTimer: NodeJS.Timeout | undefined;
  /**
   * Starts, restarts or stops the workspace scan to match the `gclens.workspaceScan` setting, shortly after
   * the last request: settings changes come in bursts, and each restart would throw the work done away.
   */
  function updateWorkspaceScan(): void {
    clearTimeout(scanTimer);
    scanTimer = setTimeout(guardedNotification(connection, 'workspace scan', async () => {
      const { settings, scanner, folders } = ready();
      const editor = await settings.editorLayer(undefined);
      if (editor.enable && editor.workspaceScan && folders.length > 0) void scanner.scan(folders);
      else await scanner.clear();
    }), SCAN_DELAY_MS);
  }

  async function settingsChanged(pushedSection?: unknown): Promise<void> {
    const { settings, analyzer } = ready();
    shownProblems.clear();
    settings.invalidate(pushedSection);
    await analyzer.reanalyseAll();
    updateWorkspaceScan();
    // The lenses follow gclens.simulation.codeLens: ask the client to pull them again.
    if (ready().capabilities.workspace?.codeLens?.refreshSupport) await connection.sendRequest(CodeLensRefreshRequest.type);
  }

  connection.onDidChangeConfiguration(guardedNotification(connection, 'configuration change', async (params: DidChangeConfigurationParams) => {
    const pushed: unknown = params.settings;
    const section = pushed !== null && typeof pushed === 'object' ? (pushed as Record<string, unknown>).gclens : undefined;
    await settingsChanged(section);
  }));

  connection.onDidChangeWatchedFiles(guardedNotification(connection, 'watched files change', async (params: DidChangeWatchedFilesParams) => {
    if (params.changes.some((change) => path.posix.basename(change.uri) === 'pyproject.toml')) await settingsChanged();
    const python = params.changes.filter((change) => /\.pyi?$/.test(change.uri));
    if (python.length > 0 && (await ready().scanner.filesChanged(python))) updateWorkspaceScan();
  }));

  connection.onDidOpenTextDocument(guardedNotification(connection, 'didOpen', async (params: DidOpenTextDocumentParams) => {
    const { store, parser, analyzer, simulation } = ready();
    const { uri, languageId, version, text } = params.textDocument;
    simulation.prepareAhead(text, simulationFileName(uri)); // the worker compiles while this thread parses and asks for settings
    store.open(uri, languageId, version, text, parser);
    await analyzer.publish(uri);
  }));

  connection.onDidChangeTextDocument(guardedNotification(connection, 'didChange', (params: DidChangeTextDocumentParams) => {
    const { store, analyzer } = ready();
    const document = store.get(params.textDocument.uri);
    if (!document) return;
    document.applyChanges(params.contentChanges, params.textDocument.version);
    ready().simulation.forget(document.uri); // a stale simulation is stopped, never served
    analyzer.schedule(document.uri);
  }));

  connection.onDidCloseTextDocument(guardedNotification(connection, 'didClose', async (params: DidCloseTextDocumentParams) => {
    const { store, analyzer, scanner, settings } = ready();
    const { uri } = params.textDocument;
    store.close(uri);
    ready().simulation.forget(uri);
    await analyzer.forget(uri);
    if ((await settings.settingsFor(uri)).workspaceScan) await scanner.fileClosed(uri);
  }));

  connection.onCodeAction(guarded(connection, 'codeAction', async (params: CodeActionParams, token: CancellationToken, workDone: WorkDoneProgressReporter) => {
    const { store, analyzer, parser, capabilities } = ready();
    const document = store.get(params.textDocument.uri);
    if (!document) return [];
    const { findings, settings } = await analyzer.currentFindings(document);
    if (!settings.enable || document.syntax.isDisposed) return [];
    // The fix-all source action (on save) is computed as the command's is: cancellable between steps.
    const version = document.version;
    const fixAll = wantsFixAll(params.context.only, findings) ? { edit: await cancellableFixAllEdit(document, parser, settings.analysis, token, workDone) } : undefined;
    if (fixAll && (store.get(document.uri)?.version !== version || document.syntax.isDisposed)) throw new ResponseError(LSPErrorCodes.ContentModified, `GC Lens: ${document.uri} changed while its fixes were computed`);
    return codeActionsFor({
      fixAll,
      document,
      findings,
      range: document.lines.textRangeOf(params.range),
      contextDiagnostics: params.context.diagnostics,
      only: params.context.only,
      parser,
      settings: settings.analysis,
      versionedEdits: capabilities.workspace?.workspaceEdit?.documentChanges === true,
    });
  }));

  connection.onHover(guarded(connection, 'hover', async (params: HoverParams, token: CancellationToken) => {
    const { store, settings, simulation } = ready();
    const document = store.get(params.textDocument.uri);
    if (!document) return null;
    return provideHover(document, params.position, await settings.settingsFor(document.uri), simulation, token);
  }));

  /** An open document's text, else a file: URI's file on disk; with the target version its settings give. */
  async function simulatedSource(uri: string): Promise<SimulatedSource> {
    const { store, settings } = ready();
    const document = store.get(uri);
    const documentSettings = await settings.settingsFor(uri);
    const targetVersion = documentSettings.analysis.targetVersion;
    const filePath = filePathOf(uri);
    if (document) return { text: document.text, version: document.version, fileName: simulationFileName(uri), targetVersion, maxSteps: documentSettings.simulationMaxSteps };
    if (!filePath) throw new ResponseError(ErrorCodes.InvalidParams, `GC Lens: ${uri} is not open and not a file`);
    const read = readSourceSync(filePath);
    if (read.kind === 'skipped') throw new ResponseError(ErrorCodes.InvalidParams, `GC Lens: cannot simulate ${filePath}: ${read.message}`);
    return { text: read.text, version: 0, fileName: simulationFileName(uri), targetVersion, maxSteps: documentSettings.simulationMaxSteps };
  }

  connection.onCodeLens(guarded(connection, 'codeLens', async (params: CodeLensParams) => {
    const { store, settings } = ready();
    const document = store.get(params.textDocument.uri);
    if (!document || document.syntax.isDisposed) return [];
    const documentSettings = await settings.settingsFor(document.uri);
    if (!documentSettings.enable || !documentSettings.simulationCodeLens) return [];
    return simulationLenses(document.uri, document.syntax.tree.rootNode);
  }));

  connection.onExecuteCommand(guarded(connection, 'executeCommand', async (params: ExecuteCommandParams, token: CancellationToken, workDone: WorkDoneProgressReporter) => {
    if (params.command === SIMULATE_COMMAND) {
      const args = readSimulateArgs(params.arguments);
      try {
        return await runSimulateCommand(args, await simulatedSource(args.uri), (request, requestToken) => ready().simulation.simulateDocument(request, requestToken), token);
      } catch (error) {
        // A run the client cancelled, or one a newer text of the document stopped, is an answer, not a failure to log.
        if (error instanceof SimulationUnavailable && error.reason === 'cancelled') throw new ResponseError(LSPErrorCodes.RequestCancelled, error.message);
        if (error instanceof SimulationUnavailable && error.reason === 'superseded') throw new ResponseError(LSPErrorCodes.ContentModified, error.message);
        throw error;
      }
    }
    if (params.command !== FIX_ALL_COMMAND) throw new ResponseError(ErrorCodes.InvalidParams, `GC Lens: unknown command ${params.command}`);
    const { store, parser, settings, capabilities } = ready();
    const argument: unknown = params.arguments?.[0];
    const uri = typeof argument === 'string' ? argument
      : argument !== null && typeof argument === 'object' && typeof (argument as { uri?: unknown }).uri === 'string' ? (argument as { uri: string }).uri
        : undefined;
    if (uri === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `GC Lens: ${FIX_ALL_COMMAND} needs a document URI argument`);
    const document = store.get(uri);
    if (!document) throw new ResponseError(ErrorCodes.InvalidParams, `GC Lens: ${uri} is not open`);
    const documentSettings = await settings.settingsFor(uri);
    const version = document.version; // the store updates its document in place
    // Computed step by step (parse, analyse, apply per round), turning the event loop between steps: a cancelled
    // fix-all answers RequestCancelled and edits nothing; one whose document changed meanwhile, ContentModified.
    // `workDone` reports to the client's work-done token, if it sent one (the library takes it out of `params`).
    const edit = documentSettings.enable ? await cancellableFixAllEdit(document, parser, documentSettings.analysis, token, workDone) : undefined;
    if (store.get(uri)?.version !== version) throw new ResponseError(LSPErrorCodes.ContentModified, `GC Lens: ${uri} changed during fix-all`);
    if (!edit) return { applied: false };
    const versioned = capabilities.workspace?.workspaceEdit?.documentChanges === true;
    const result = await connection.workspace.applyEdit({ label: 'GC Lens: fix all safe findings', edit: workspaceEditFor(document, [edit], versioned) });
    return { applied: result.applied };
  }));

  if (process.env.GCLENS_TEST_HOOKS === '1') {
    connection.onRequest(DEBUG_THROW_REQUEST, guarded(connection, DEBUG_THROW_REQUEST, (params: unknown) => {
      throw new Error(`debug failure requested with ${JSON.stringify(params)}`);
    }));
    connection.onRequest(DEBUG_DOCUMENT_REQUEST, guarded(connection, DEBUG_DOCUMENT_REQUEST, (params: { uri?: unknown }) => {
      const document = typeof params?.uri === 'string' ? ready().store.get(params.uri) : undefined;
      return document ? { text: document.text, version: document.version } : null;
    }));
  }

  connection.onShutdown(() => {
    clearTimeout(scanTimer);
    if (!state) return;
    state.scanner.cancel();
    state.analyzer.dispose();
    state.simulation.dispose();
    for (const document of state.store.all()) state.store.close(document.uri);
  });

  connection.listen();
}
