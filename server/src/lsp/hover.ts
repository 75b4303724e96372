// Refcount hovers: the identifier under the cursor answered from the document's simulation (run in the worker).
import { MarkupKind, type CancellationToken, type Hover, type Position } from 'vscode-languageserver/node';
import { simulatorTarget } from '../analysis/simulationFindings';
import { hoverAnswerFrom, hoverTargetAt, hoverText } from '../simulator/hover';
import type { OpenDocument } from './documentStore';
import { filePathOf, type DocumentSettings } from './settingsService';
import { SimulationUnavailable, type SimulateDocumentRequest, type SimulationService } from './simulationService';

/**
 * The file name tracebacks and `__file__` show: the file's absolute path, as CPython shows it when the editor runs
 * the file (`python /abs/path/m.py`; from 3.9 also for a relative path); `untitled.py` for a document without a file.
 * The hover, GCL901/902 and the simulate command all ask with this name, so one run serves them all.
 */
export function simulationFileName(uri: string): string {
  return filePathOf(uri) ?? 'untitled.py';
}

export function simulationRequestFor(document: OpenDocument, settings: DocumentSettings): SimulateDocumentRequest {
  return {
    uri: document.uri,
    version: document.version,
    text: document.text,
    targetVersion: simulatorTarget(settings.analysis.targetVersion),
    fileName: simulationFileName(document.uri),
    trace: true,
    ...(settings.simulationMaxSteps ? { budgets: { maxSteps: settings.simulationMaxSteps } } : {}),
  };
}

/**
 * The hover at a position, or null where there is nothing to say (not an identifier, cancelled, or the document
 * changed while the simulation ran: a stale answer is never served).
 */
export async function provideHover(document: OpenDocument, position: Position, settings: DocumentSettings, service: SimulationService, token: CancellationToken): Promise<Hover | null> {
  if (!settings.enable || !settings.simulationHover || document.syntax.isDisposed) return null;
  const target = hoverTargetAt(document.syntax.tree.rootNode, document.lines.offsetAt(position));
  if (!target) return null;
  const request = simulationRequestFor(document, settings);
  const range = document.lines.rangeOf({ start: target.start, end: target.end });
  let text: string;
  try {
    const { result, snapshot } = await service.lineSnapshot(request, target.line, token);
    if (document.version !== request.version || token.isCancellationRequested) return null;
    text = hoverText(hoverAnswerFrom(snapshot, result.end, target), result.end, request.targetVersion);
  } catch (error) {
    if (!(error instanceof SimulationUnavailable) || error.reason !== 'crashed') return null;
    text = `simulation failed: ${error.message}`;
  }
  return { contents: { kind: MarkupKind.PlainText, value: text }, range };
}
