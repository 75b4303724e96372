// What a rule is: metadata the engine, docs, LSP and SARIF read, plus one pure check per node kind.
import type { FindingDraft, Lifetime, Severity } from '../analysis/findingTypes';
import type { AnalysisSettings } from '../analysis/settings';
import type { SemanticModel } from '../semantic/semanticModel';
import type { SyntaxNode } from '../syntax/syntaxTypes';

/** Whether the rule offers a fix: on every finding, on some, or never. */
export type FixAvailability = 'always' | 'sometimes' | 'none';

export type RuleLocality = 'function' | 'statement' | 'module';

/** The rule's documentation, under the fixed headings every rule page uses (Markdown per section). */
export interface RuleDoc {
  readonly whatItDoes: string;
  readonly whyIsThisBad: string;
  readonly example: string;
  readonly useInstead: string;
  readonly fixSafety: string;
  readonly knownProblems: string;
}

/** The doc block's sections in page order, with the heading each one is published under. */
export const RULE_DOC_SECTIONS: readonly (readonly [keyof RuleDoc, string])[] = [
  ['whatItDoes', 'What it does'],
  ['whyIsThisBad', 'Why is this bad?'],
  ['example', 'Example'],
  ['useInstead', 'Use instead'],
  ['fixSafety', 'Fix safety'],
  ['knownProblems', 'Known problems'],
];

/** What a document's text must satisfy for a rule to have anything to find in it. */
export type TextTrigger = RegExp | ((text: string) => boolean);

/** Whether `text` satisfies the trigger. */
export function triggerMatches(trigger: TextTrigger, text: string): boolean {
  return trigger instanceof RegExp ? trigger.test(text) : trigger(text);
}

export interface RuleMeta {
  /** Permanent code, e.g. "GCL001". */
  readonly code: string;
  /** Kebab-case name that reads as "allow <name>", e.g. "mutable-default-argument". */
  readonly name: string;
  /** One sentence, for rule lists and SARIF shortDescription. */
  readonly summary: string;
  readonly lifetime: Lifetime;
  readonly defaultSeverity: Severity;
  readonly fix: FixAvailability;
  /** Tree-sitter node types the check wants; the engine collects them in one query and dispatches. */
  readonly nodeKinds: readonly string[];
  /**
   * What an edit makes the rule re-check. `function`: every finding (range, related locations, fix edits) comes
   * from one function (header, body and nested code, and the text of the lines it stands on) plus the bindings
   * of the scopes around it, so an edit inside the body of a function that is not itself nested in a function
   * (a module-level function, or a method) re-checks that function only. `statement`: from one top-level statement's
   * subtree plus the semantic model. `module` (the default): the rule relates statements to each other and
   * re-runs on the whole tree.
   */
  readonly locality?: RuleLocality;
  /**
   * A document whose text does not match can hold no finding of this rule (e.g. GCL202 needs `weakref` or `atexit`
   * spelled somewhere): the engine then neither runs the rule nor collects its node kinds for it, so common kinds
   * such as `call` never reach JavaScript in most files. A RegExp must not use the `g` or `y` flag (a stateless
   * test); a predicate must be a pure function of the text (incremental analysis re-tests it after every edit, so
   * it should cost no more than a pass over the text, and what it computes may be cached for the check by text).
   */
  readonly textTrigger?: TextTrigger;
  readonly doc: RuleDoc;
}

/** What a check sees besides its node: the document, the shared semantic model, settings, and a sink. */
export interface RuleContext {
  readonly text: string;
  readonly semantic: SemanticModel;
  readonly settings: AnalysisSettings;
  report(draft: FindingDraft): void;
}

export interface Rule extends RuleMeta {
  /** Called once per node of a kind in `nodeKinds`, in document order. Must not throw on odd trees. */
  check(node: SyntaxNode, context: RuleContext): void;
}
