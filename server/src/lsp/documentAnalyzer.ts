// Analyses open documents and publishes their diagnostics: at once on open, debounced after edits, cleared on close.
import type { Connection } from 'vscode-languageserver/node';
import { analyzeDocument, type AnalysisInput, type AnalysisSnapshot } from '../analysis/analyze';
import { analyzeAfterEdit } from '../analysis/analyzeEdit';
import type { Finding } from '../analysis/findingTypes';
import { simulationFindings, simulationFindingsWanted, simulatorTarget } from '../analysis/simulationFindings';
import { toDiagnostic } from './diagnostics';
import type { DocumentStore, OpenDocument } from './documentStore';
import { errorDetail } from './errorText';
import { simulationRequestFor } from './hover';
import type { DocumentSettings, SettingsService } from './settingsService';
import { SimulationUnavailable, type SimulationService } from './simulationService';

export interface CurrentFindings {
  readonly findings: readonly Finding[];
  readonly settings: DocumentSettings;
}

interface CachedResult extends CurrentFindings {
  readonly version: number;
  readonly settingsGeneration: number;
}

export class DocumentAnalyzer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly results = new Map<string, CachedResult>();
  /** The last analysis of each open document, which the next one after an edit starts from. */
  private readonly snapshots = new Map<string, AnalysisSnapshot>();
  private settingsGeneration = 0;
  /** GCL901/902 findings of the simulation of one version (and settings generation) of each document. */
  private readonly simulated = new Map<string, { readonly version: number; readonly settingsGeneration: number; readonly findings: readonly Finding[] }>();

  constructor(
    private readonly connection: Connection,
    private readonly store: DocumentStore,
    private readonly settings: SettingsService,
    private readonly delayMs: number,
    private readonly simulation?: SimulationService,
  ) {}

  /** Analyses the document after `delayMs` of quiet (each new call restarts the wait). */
  schedule(uri: string, delayMs = this.delayMs): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      void this.publish(uri);
    }, delayMs));
  }

  /** Analyses the document now and publishes its diagnostics (errors are logged, never thrown). */
  async publish(uri: string): Promise<void> {
    try {
      const document = this.store.get(uri);
      if (!document) return;
      // A hover that came with the document (its settings resolve with ours) starts its simulation before the
      // analysis takes the thread: the worker runs meanwhile.
      await this.settings.settingsFor(uri);
      await new Promise((resolve) => setImmediate(resolve));
      const { findings, settings } = await this.currentFindings(document);
      if (!this.store.has(uri) || this.store.get(uri) !== document) return; // closed or reopened meanwhile
      await this.send(document, findings);
      const target = simulatorTarget(settings.analysis.targetVersion);
      if (!settings.enable || document.syntax.isDisposed) {
        if (!settings.enable) this.simulation?.noteSettings(target, false);
        return;
      }
      const findingsWanted = !this.simulatedFor(document) && simulationFindingsWanted(document.syntax.tree.rootNode, settings.analysis, 'editor');
      this.simulation?.noteSettings(target, findingsWanted || settings.simulationHover);
      if (findingsWanted) void this.simulateAndPublish(document, settings);
      else if (settings.simulationHover) this.presimulate(document, settings);
    } catch (error) {
      this.connection.console.error(`GC Lens: analysing ${uri} failed: ${errorDetail(error)}`);
    }
  }

  private async send(document: OpenDocument, findings: readonly Finding[]): Promise<void> {
    await this.connection.sendDiagnostics({
      uri: document.uri,
      version: document.version,
      diagnostics: findings.map((finding) => toDiagnostic(finding, document.uri, document.lines)),
    });
  }

  /** GCL901/902 of this version and settings, once its simulation answered. */
  private simulatedFor(document: OpenDocument): readonly Finding[] | undefined {
    const entry = this.simulated.get(document.uri);
    return entry && entry.version === document.version && entry.settingsGeneration === this.settingsGeneration ? entry.findings : undefined;
  }

  /**
   * Starts the simulation hovers will read as soon as the text settles (this runs after the debounced analysis), so
   * a hover usually finds it done: the worker answers from its cache per version.
   */
  private presimulate(document: OpenDocument, settings: DocumentSettings): void {
    this.simulation?.simulateDocument(simulationRequestFor(document, settings), undefined, 'summary').catch(() => undefined);
  }

  /** Simulates the document in the worker, then publishes its diagnostics again with GCL901/902 (same version only). */
  private async simulateAndPublish(document: OpenDocument, settings: DocumentSettings): Promise<void> {
    if (!this.simulation) return;
    const request = simulationRequestFor(document, settings);
    const generation = this.settingsGeneration;
    try {
      const result = await this.simulation.simulateDocument(request, undefined, 'summary');
      if (this.store.get(document.uri) !== document || document.version !== request.version || generation !== this.settingsGeneration || document.syntax.isDisposed) return;
      const findings = simulationFindings(result, document.text, document.syntax.tree.rootNode, settings.analysis);
      this.simulated.set(document.uri, { version: request.version, settingsGeneration: generation, findings });
      await this.send(document, (await this.currentFindings(document)).findings);
    } catch (error) {
      if (error instanceof SimulationUnavailable && error.reason !== 'crashed') return; // superseded by an edit: the next publish simulates again
      this.connection.console.error(`GC Lens: simulating ${document.uri} for GCL901/902 failed: ${errorDetail(error)}`);
    }
  }

  /** Findings for the document's current text and settings, reusing the last result when still valid. */
  async currentFindings(document: OpenDocument): Promise<CurrentFindings> {
    const generation = this.settingsGeneration;
    const settings = await this.settings.settingsFor(document.uri);
    const cached = this.results.get(document.uri);
    let result: CachedResult;
    if (cached && cached.version === document.version && cached.settingsGeneration === generation && !document.syntax.isDisposed) {
      result = cached;
    } else {
      const findings = settings.enable && !document.syntax.isDisposed ? this.analyse(document, settings) : this.skipAnalysis(document);
      result = { findings, settings, version: document.version, settingsGeneration: generation };
      if (this.store.get(document.uri) === document) this.results.set(document.uri, result);
    }
    const simulated = settings.enable ? this.simulatedFor(document) : undefined;
    return simulated && simulated.length > 0 ? { findings: [...result.findings, ...simulated], settings } : result;
  }

  /** Re-checks only what the edits since the last analysis touched when the engine can, else the whole document. */
  private analyse(document: OpenDocument, settings: DocumentSettings): readonly Finding[] {
    const change = document.syntax.takeChanges();
    const previous = this.snapshots.get(document.uri);
    const input: AnalysisInput = { text: document.text, tree: document.syntax.tree, settings: settings.analysis };
    let snapshot: AnalysisSnapshot;
    if (previous && change === undefined && previous.text === document.text && previous.settings === settings.analysis) snapshot = previous;
    else if (previous && change !== undefined && change !== 'replaced') snapshot = analyzeAfterEdit(previous, input, change.edit, change.changedRanges);
    else snapshot = analyzeDocument(input);
    this.snapshots.set(document.uri, snapshot);
    return snapshot.findings;
  }

  /**
   * Disabled (or closed meanwhile): nothing is analysed, but the document's accumulated changes are taken and
   * the snapshot dropped, or both would grow with every edit; the next enabled analysis starts fresh.
   */
  private skipAnalysis(document: OpenDocument): readonly Finding[] {
    document.syntax.takeChanges();
    this.snapshots.delete(document.uri);
    return [];
  }

  /** Forgets a closed document: pending analysis cancelled, its diagnostics cleared. */
  async forget(uri: string): Promise<void> {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.results.delete(uri);
    this.snapshots.delete(uri);
    this.simulated.delete(uri);
    await this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Stops every pending debounced analysis (server shutdown). */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Settings changed: every open document is analysed again with fresh settings. */
  async reanalyseAll(): Promise<void> {
    this.settingsGeneration++;
    this.results.clear();
    await Promise.all(this.store.all().map((document) => this.publish(document.uri)));
  }
}
