// The workspace scan: analyses Python files that are not open, with work-done progress, one file per event-loop turn.
import { pathToFileURL } from 'node:url';
import { FileChangeType, type Connection, type FileEvent, type PublishDiagnosticsParams, type WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { analyze } from '../analysis/analyze';
import type { AnalysisSettings } from '../analysis/settings';
import { yieldToEventLoop } from '../workspace/eventLoop';
import { NativeMemoryGuard } from '../workspace/nativeMemory';
import { collectFilesAsync } from '../workspace/pythonFiles';
import { readSource } from '../workspace/sourceFile';
import type { PythonParser } from '../syntax/syntaxTypes';
import { toDiagnostic } from './diagnostics';
import type { DocumentStore } from './documentStore';
import { errorDetail } from './errorText';
import { LineIndex } from './lineIndex';
import { filePathOf, projectResolver, type SettingsService } from './settingsService';

interface ScanRun {
  cancelled: boolean;
}

export class WorkspaceScanner {
  private readonly memory = new NativeMemoryGuard();
  private run: ScanRun | undefined;
  /** URIs this scanner published diagnostics for (cleared when the scan is turned off). */
  private readonly published = new Set<string>();
  /**
   * The files the last completed listing found, open ones included: the scan's coverage. A file outside it
   * (gitignored, excluded, in node_modules, outside every folder) is never analysed from disk.
   */
  private listed = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly store: DocumentStore,
    private readonly settings: SettingsService,
    private readonly parser: PythonParser,
  ) {}

  get scanning(): boolean {
    return this.run !== undefined;
  }

  /** Scans every folder; a scan already running is cancelled first. Resolves when this scan ends. */
  async scan(folders: readonly string[]): Promise<void> {
    this.cancel();
    const run: ScanRun = { cancelled: false };
    this.run = run;
    let progress: WorkDoneProgressServerReporter | undefined;
    try {
      progress = await this.connection.window.createWorkDoneProgress();
      progress.begin('GC Lens: scanning workspace', 0, 'Listing Python files…', true);
      const work: { file: string; settings: AnalysisSettings }[] = [];
      const { token } = progress;
      const stopped = (): boolean => run.cancelled || token.isCancellationRequested;
      for (const folder of folders) {
        const editor = await this.settings.editorLayer(pathToFileURL(folder).href);
        const resolver = projectResolver(editor.analysis, folders);
        const walk = await collectFilesAsync([folder], folder, resolver, stopped);
        if (!walk) return;
        for (const task of walk.tasks) work.push({ file: task.absolutePath, settings: resolver.settingsTable[task.settingsIndex] });
        for (const problem of resolver.problems) this.connection.console.warn(`GC Lens: ${problem.source}: ${problem.message}`);
      }
      if (stopped()) return;
      this.listed = new Set(work.map((task) => task.file));
      for (let index = 0; index < work.length; index++) {
        if (stopped()) break;
        const { file, settings } = work[index];
        progress.report(Math.floor((index * 100) / work.length), `${index + 1}/${work.length} ${file}`);
        const diagnostics = await this.analyseFile(file, settings);
        if (diagnostics && !run.cancelled) await this.publishScanned(diagnostics);
        await yieldToEventLoop(); // lets edits and requests through, and lets the binding free dropped trees
        this.memory.afterDocument();
      }
    } catch (error) {
      this.connection.console.error(`GC Lens: workspace scan failed: ${errorDetail(error)}`);
    } finally {
      progress?.done();
      if (this.run === run) this.run = undefined;
    }
  }

  cancel(): void {
    if (this.run) this.run.cancelled = true;
    this.run = undefined;
  }

  /** A file's editor closed: analysed again from disk when the scan covers it (see `listed`). */
  async fileClosed(uri: string): Promise<void> {
    const file = filePathOf(uri);
    if (file !== undefined && this.listed.has(file)) await this.rescan(uri);
  }

  /** Re-analyses one closed file from disk with the settings of its location. */
  private async rescan(uri: string): Promise<void> {
    const file = filePathOf(uri);
    if (!file) return;
    const settings = await this.settings.settingsFor(uri);
    const diagnostics = settings.enable ? await this.analyseFile(file, settings.analysis) : undefined;
    if (diagnostics) await this.publishScanned(diagnostics);
  }

  /**
   * Follows Python files changed on disk (a checkout, a formatter, another editor): a changed file the scan
   * published is analysed again, a deleted one loses its diagnostics. Returns whether a file was created, which
   * asks for a new scan (only the walk knows whether .gitignore or `exclude` skip it).
   */
  async filesChanged(changes: readonly FileEvent[]): Promise<boolean> {
    let created = false;
    for (const change of changes) {
      if (change.type === FileChangeType.Created) created = true;
      else if (!this.published.has(change.uri) || this.store.has(change.uri)) continue;
      else if (change.type === FileChangeType.Changed) await this.rescan(change.uri);
      else {
        this.published.delete(change.uri);
        this.listed.delete(filePathOf(change.uri) ?? '');
        await this.connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
      }
    }
    return created;
  }

  /** Turns the scan off: stops it and clears what it published for files that are not open. */
  async clear(): Promise<void> {
    this.cancel();
    const uris = [...this.published].filter((uri) => !this.store.has(uri));
    this.published.clear();
    this.listed.clear();
    await Promise.all(uris.map((uri) => this.connection.sendDiagnostics({ uri, diagnostics: [] })));
  }

  /** Diagnostics for one file read from disk; undefined when it is open in the editor or cannot be read. */
  private async analyseFile(file: string, settings: AnalysisSettings): Promise<PublishDiagnosticsParams | undefined> {
    const uri = pathToFileURL(file).href;
    if (this.isOpen(file)) return undefined;
    const source = await readSource(file);
    if (source.kind === 'skipped' || this.isOpen(file)) return undefined; // binary, huge, non-UTF-8 or unreadable
    const text = source.text;
    const tree = this.parser.parse(text);
    try {
      const lines = new LineIndex(text);
      return { uri, diagnostics: analyze({ text, tree, settings }).map((finding) => toDiagnostic(finding, uri, lines)) };
    } finally {
      tree.dispose(); // dropped at once: a scan must not hold every file's tree
    }
  }

  private async publishScanned(params: PublishDiagnosticsParams): Promise<void> {
    this.published.add(params.uri);
    await this.connection.sendDiagnostics(params);
  }

  private isOpen(file: string): boolean {
    return this.store.all().some((document) => filePathOf(document.uri) === file);
  }
}
