// `gclens.fixAll`'s work: the safe fixes to convergence as one edit, computed step by step so a `$/cancelRequest` stops it between steps.
import { LSPErrorCodes, ResponseError, type CancellationToken, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { fixAllSteps, type FixAllStage } from '../analysis/applyFixes';
import type { TextEdit } from '../analysis/findingTypes';
import type { AnalysisSettings } from '../analysis/settings';
import type { PythonParser } from '../syntax/syntaxTypes';
import { yieldToEventLoop } from '../workspace/eventLoop';
import { minimalEdit } from './codeActions';
import type { OpenDocument } from './documentStore';

const STAGE_TEXT: Readonly<Record<FixAllStage, string>> = { parsed: 'parsed', analysed: 'analysed', applied: 'fixes applied' };

/**
 * Two turns of the event loop: in the first, the poll phase reads what the client sent, but vscode-jsonrpc decodes it
 * in an immediate queued after ours; only after the second has a `$/cancelRequest` cancelled its token (measured: with
 * one turn a cancellation sent during an analysis was seen a whole step late).
 */
async function turnForIncomingMessages(): Promise<void> {
  await yieldToEventLoop();
  await yieldToEventLoop();
}

export function fixAllCancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'GC Lens: fix-all cancelled');
}

/**
 * The document's safe fixes applied to convergence, as one minimal edit (undefined when nothing changes). After each
 * parse, analysis and application it reports progress and turns the event loop, where a `$/cancelRequest` (or any
 * other message) is read; progress goes to the client's work-done token, if it sent one. A cancelled run throws RequestCancelled at once and its tree is disposed. A huge file's
 * analysis is the longest step (1.3 s for 4,000 findings), so that is how long a cancellation may wait.
 */
export async function cancellableFixAllEdit(document: OpenDocument, parser: PythonParser, settings: AnalysisSettings, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<TextEdit | undefined> {
  const text = document.text;
  const steps = fixAllSteps(text, parser, settings, { safeOnly: true });
  progress.begin('GC Lens: fix all safe findings', undefined, undefined, false);
  try {
    let round = 1;
    for (;;) {
      await turnForIncomingMessages();
      if (token.isCancellationRequested) throw fixAllCancelled();
      const step = steps.next();
      if (step.done) return step.value.text === text ? undefined : minimalEdit(text, step.value.text);
      progress.report(`round ${round}: ${STAGE_TEXT[step.value]}`);
      if (step.value === 'applied') round++;
    }
  } finally {
    // A no-op once done; otherwise runs the generator's `finally` (tree disposal). The value is never read.
    steps.return({ text, applied: [], remaining: [], converged: false });
    progress.done();
  }
}
