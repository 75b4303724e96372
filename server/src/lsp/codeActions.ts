// Code actions: each finding's fixes as quick fixes, "ignore on this line", and the safe-only source.fixAll.gclens.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import { fixAll, fixEdits } from '../analysis/applyFixes';
import type { Finding, TextEdit, TextRange } from '../analysis/findingTypes';
import type { AnalysisSettings } from '../analysis/settings';
import { suppressionEdit } from '../analysis/suppression';
import type { Rule } from '../rules/ruleTypes';
import type { PythonParser } from '../syntax/syntaxTypes';
import { diagnosticMatches, toDiagnostic } from './diagnostics';
import type { OpenDocument } from './documentStore';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.gclens`;

export interface CodeActionRequest {
  readonly document: OpenDocument;
  readonly findings: readonly Finding[];
  readonly range: TextRange;
  readonly contextDiagnostics: readonly Diagnostic[];
  /** The kinds the client asked for; undefined means any. */
  readonly only: readonly string[] | undefined;
  readonly parser: PythonParser;
  readonly settings: AnalysisSettings;
  /** Whether the client takes versioned `documentChanges` (otherwise plain `changes`). */
  readonly versionedEdits: boolean;
  /** The rules fix-all runs; defaults to the registry. */
  readonly rules?: readonly Rule[];
  /**
   * The fix-all edit when the caller computed it already (the server does, cancellably: `fixAllCommand.ts`);
   * otherwise it is computed here, synchronously, when the source action is asked for.
   */
  readonly fixAll?: { readonly edit: TextEdit | undefined };
}

/** Whether the request asks for the fix-all source action and a finding has a safe fix for it to apply. */
export function wantsFixAll(only: readonly string[] | undefined, findings: readonly Finding[]): boolean {
  return kindExplicitlyRequested(FIX_ALL_KIND, only) && findings.some((finding) => finding.fixes.some((fix) => fix.applicability === 'safe'));
}

/** Whether `only` names `kind` or one of its parents (`only` entries are prefixes in the dotted kind hierarchy). */
function kindNamed(kind: string, only: readonly string[]): boolean {
  return only.some((wanted) => kind === wanted || kind.startsWith(`${wanted}.`));
}

/** Whether `kind` was asked for; no `only` means any kind. */
function kindRequested(kind: string, only: readonly string[] | undefined): boolean {
  return only === undefined || only.length === 0 || kindNamed(kind, only);
}

/**
 * Whether `kind` was asked for by name (`source`, `source.fixAll`, ...). Expensive source actions wait for
 * this: clients send requests without `only` on every cursor move, and fix-all re-parses up to ten times.
 */
export function kindExplicitlyRequested(kind: string, only: readonly string[] | undefined): boolean {
  return only !== undefined && kindNamed(kind, only);
}

function touches(finding: Finding, range: TextRange): boolean {
  return finding.range.start <= range.end && range.start <= finding.range.end;
}

export function workspaceEditFor(document: OpenDocument, edits: readonly TextEdit[], versioned: boolean): WorkspaceEdit {
  const lspEdits: LspTextEdit[] = edits.map((edit) => ({ range: document.lines.rangeOf(edit.range), newText: edit.newText }));
  if (versioned) {
    return { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: lspEdits }] };
  }
  return { changes: { [document.uri]: lspEdits } };
}

/** The smallest single edit turning `before` into `after` (common prefix and suffix kept). */
export function minimalEdit(before: string, after: string): TextEdit {
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) suffix++;
  return { range: { start: prefix, end: before.length - suffix }, newText: after.slice(prefix, after.length - suffix) };
}

/** The safe fixes of the whole document applied to convergence, as one edit; undefined when nothing changes. */
export function fixAllEdit(document: OpenDocument, parser: PythonParser, settings: AnalysisSettings, rules?: readonly Rule[]): TextEdit | undefined {
  const result = fixAll(document.text, parser, settings, { safeOnly: true, rules });
  return result.text === document.text ? undefined : minimalEdit(document.text, result.text);
}

export function codeActionsFor(request: CodeActionRequest): CodeAction[] {
  const { document, only, versionedEdits } = request;
  const actions: CodeAction[] = [];
  const ignoreTitles = new Set<string>();
  if (kindRequested(CodeActionKind.QuickFix, only)) {
    for (const finding of request.findings) {
      if (!touches(finding, request.range)) continue;
      const diagnostic = request.contextDiagnostics.find((candidate) => diagnosticMatches(candidate, finding))
        ?? toDiagnostic(finding, document.uri, document.lines);
      for (const fix of finding.fixes) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.applicability === 'safe',
          edit: workspaceEditFor(document, fixEdits(document.text, document.syntax.tree, fix), versionedEdits),
        });
      }
      const ignore = suppressionEdit(document.text, document.syntax.tree.rootNode, finding);
      const ignoreKey = `${finding.code}@${ignore.range.start}`;
      if (ignoreTitles.has(ignoreKey)) continue; // two findings of one rule on a line share one action
      ignoreTitles.add(ignoreKey);
      actions.push({
        title: `Ignore ${finding.code} on this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: workspaceEditFor(document, [ignore], versionedEdits),
      });
    }
  }
  if (wantsFixAll(only, request.findings)) {
    const edit = request.fixAll ? request.fixAll.edit : fixAllEdit(document, request.parser, request.settings, request.rules);
    if (edit) {
      actions.push({ title: 'GC Lens: fix all safe findings', kind: FIX_ALL_KIND, edit: workspaceEditFor(document, [edit], versionedEdits) });
    }
  }
  return actions;
}
