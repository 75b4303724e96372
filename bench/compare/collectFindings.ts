// Collects mutable-default findings from GC Lens (GCL001), Ruff (B006) and Pylint (W0102) onto the same default sites.
import { analyze } from '../../server/src/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import { pointAt } from '../../server/src/syntax/incrementalDocument';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { readCorpusText, type CorpusFile } from '../corpus';
import { yieldToEventLoop } from '../../server/src/workspace/eventLoop';
import { createRuffB006Checker } from '../ruffB006';
import { defaultSites, siteContaining, siteKey, type DefaultSite } from './defaultSites';
import type { PylintMessage } from './pylintW0102';

export type Tool = 'gclens' | 'ruff' | 'pylint';

/** One flagged default, keyed by file:line:column of the default value. */
export interface ToolFinding {
  readonly tool: Tool;
  readonly relative: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface FileFacts {
  readonly lines: readonly string[];
  /** Default sites by `line:column`. */
  readonly sites: ReadonlyMap<string, DefaultSite>;
  readonly sitesByOwnerLine: ReadonlyMap<number, DefaultSite[]>;
}

export interface Collected {
  readonly findings: ToolFinding[];
  readonly facts: Map<string, FileFacts>;
  readonly ruffVersion: string;
}

/** Runs GCL001 and Ruff B006 on every file in-process and records each file's default sites. */
export async function collectGclensAndRuff(files: readonly CorpusFile[], parser: PythonParser): Promise<Collected> {
  const ruff = createRuffB006Checker();
  const settings = { ...DEFAULT_SETTINGS, select: ['GCL001'] };
  const findings: ToolFinding[] = [];
  const facts = new Map<string, FileFacts>();
  for (const file of files) {
    const text = readCorpusText(file);
    if (text === undefined) continue; // a file GC Lens does not read (binary, not UTF-8): no sites, no findings
    const tree = parser.parse(text);
    const sites = new Map<string, DefaultSite>();
    const sitesByOwnerLine = new Map<number, DefaultSite[]>();
    for (const site of defaultSites(parser, tree.rootNode)) {
      sites.set(`${site.line}:${site.column}`, site);
      const list = sitesByOwnerLine.get(site.ownerLine) ?? [];
      list.push(site);
      sitesByOwnerLine.set(site.ownerLine, list);
    }
    facts.set(file.relative, { lines: text.split('\n'), sites, sitesByOwnerLine });
    for (const finding of analyze({ text, tree, settings })) {
      if (finding.code !== 'GCL001') continue;
      // In tree-sitter's coordinates (rows end at \n only), the ones the default sites are keyed by.
      const { row, column } = pointAt(text, finding.range.start);
      findings.push({ tool: 'gclens', relative: file.relative, line: row + 1, column, message: finding.message });
    }
    for (const finding of ruff.check(text)) {
      const site = siteContaining(sites.values(), finding.line, finding.column - 1);
      findings.push({ tool: 'ruff', relative: file.relative, line: site?.line ?? finding.line, column: site?.column ?? finding.column - 1, message: 'B006' });
    }
    await yieldToEventLoop();
  }
  return { findings, facts, ruffVersion: ruff.version };
}

/** A default's text as astroid's `as_string()` might print it: no comments, whitespace, quote style or trailing commas. */
export function comparableText(text: string): string {
  return text
    .replace(/#[^\n]*/g, '')
    .replace(/\s+/g, '')
    .replace(/"/g, "'")
    .replace(/,([)\]}])/g, '$1');
}

/**
 * Whether a W0102 message can be about `site`. Pylint prints `[]`, `{}` or `set()` for a display, `list() (builtins.list)`
 * for a call it inferred, and `NAME (builtins.list)` (or `NAME ([])`) for another expression it inferred.
 */
export function pylintMessageFits(message: string, site: DefaultSite): boolean {
  const shown = /^Dangerous default value (.*) as argument$/s.exec(message)?.[1] ?? message;
  if (shown === '[]') return site.valueKind === 'list';
  if (shown === '{}') return site.valueKind === 'dictionary';
  if (shown === 'set()') return site.valueKind === 'set';
  if (/^builtins\.(list|dict|set)$/.test(shown)) return ['list', 'dictionary', 'set'].includes(site.valueKind);
  const inferred = /^(.*) \((builtins\.\w+|\[\]|\{\}|set\(\))\)$/s.exec(shown);
  const expression = inferred ? inferred[1] : shown;
  if (/^\w+\(\)$/.test(expression) && site.valueKind === 'call') return true; // Pylint names the inferred class, not the callee
  return comparableText(site.valueText) === comparableText(expression);
}

/**
 * Pylint reports W0102 on the `def` line; this maps each message to the default it is about, matching the text
 * Pylint prints against the defaults of the def on that line (in order when several match). Also returns the
 * files Pylint could not check: syntax errors (it runs on an older Python than the corpus), astroid errors.
 */
export function normalisePylint(messages: readonly PylintMessage[], facts: ReadonlyMap<string, FileFacts>): { findings: ToolFinding[]; unparsable: Map<string, string> } {
  const findings: ToolFinding[] = [];
  const unparsable = new Map<string, string>();
  const used = new Set<string>();
  for (const message of messages) {
    if (message.symbol !== 'dangerous-default-value') {
      unparsable.set(message.relative, `${message.symbol}: ${message.message}`);
      continue;
    }
    const candidates = facts.get(message.relative)?.sitesByOwnerLine.get(message.line) ?? [];
    const free = candidates.filter((site) => !used.has(siteKey(message.relative, site.line, site.column)));
    const site = free.find((candidate) => pylintMessageFits(message.message, candidate)) ?? (free.length === 1 ? free[0] : undefined);
    if (site) used.add(siteKey(message.relative, site.line, site.column));
    findings.push({ tool: 'pylint', relative: message.relative, line: site?.line ?? message.line, column: site?.column ?? message.column, message: message.message });
  }
  return { findings, unparsable };
}
