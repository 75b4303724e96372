// Issue 5's done-when check: at every corpus `print(…, sys.getrefcount(name))`, the hover's refcount equals what
// CPython printed minus its own argument (3.14: locals are borrowed), its getrefcount line equals it, and it lists
// one labelled holder per reference.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { hoverAnswer, hoverTargetAt } from '../../server/src/simulator/hover';
import { simulate } from '../../server/src/simulator/simulate';
import { loadPythonParser, parserPreferenceFromEnv } from '../../server/src/syntax/loadParser';
import type { PythonParser, SyntaxNode } from '../../server/src/syntax/syntaxTypes';
import { columnTarget, CORPUS_COLUMNS, readExitCodes, readRecorded, readSnippets, requireGcCorpus, type CorpusColumn, type Snippet } from '../support/gcCorpus';

/** One `print([label,] sys.getrefcount(name))` statement: what its output line starts with and where `name` is. */
interface RefcountPrint {
  readonly line: number;
  readonly prefix: string | undefined;
  readonly name: string;
  readonly offset: number;
}

type Outcome =
  | { readonly kind: 'agrees' }
  | { readonly kind: 'disagrees'; readonly detail: string }
  | { readonly kind: 'unobservable'; readonly why: string };

function stringContent(node: SyntaxNode): string | undefined {
  if (node.type !== 'string' || node.namedChildren.some((child) => child.type === 'interpolation')) return undefined;
  return node.namedChildren.filter((child) => child.type === 'string_content').map((child) => child.text).join('');
}

function refcountPrints(root: SyntaxNode): RefcountPrint[] {
  const found: RefcountPrint[] = [];
  for (const call of root.descendantsOfType('call')) {
    if (call.childForFieldName('function')?.text !== 'print') continue;
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    const last = args[args.length - 1];
    if (!last || last.type !== 'call' || last.childForFieldName('function')?.text !== 'sys.getrefcount') continue;
    const inner = last.childForFieldName('arguments')?.namedChildren ?? [];
    if (inner.length !== 1 || inner[0].type !== 'identifier') continue;
    let prefix: string | undefined;
    if (args.length === 2) {
      prefix = stringContent(args[0]);
      if (prefix === undefined) continue;
    } else if (args.length !== 1) continue;
    found.push({ line: call.startPosition.row + 1, prefix, name: inner[0].text, offset: inner[0].startIndex });
  }
  return found;
}

/** Pairs each print with the next output line of its shape, in order; the printed number, or undefined. */
function printedValues(prints: readonly RefcountPrint[], output: string): (number | undefined)[] {
  const lines = output.split('\n');
  let at = 0;
  return prints.map((print) => {
    const pattern = print.prefix === undefined ? /^(-?\d+)$/ : new RegExp(`^${print.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (-?\\d+)$`);
    for (let i = at; i < lines.length; i++) {
      const match = pattern.exec(lines[i]);
      if (match) {
        at = i + 1;
        return Number(match[1]);
      }
    }
    return undefined;
  });
}

function compare(snippet: Snippet, column: CorpusColumn, parser: PythonParser, root: SyntaxNode, prints: readonly RefcountPrint[], recorded: string): Outcome[] {
  const target = columnTarget(column);
  const result = simulate(snippet.source, parser, { targetVersion: target, fileName: snippet.fileName, trace: true });
  const printed = printedValues(prints, recorded);
  return prints.map((print, i): Outcome => {
    const value = printed[i];
    if (value === undefined) return { kind: 'unobservable', why: 'no output line of its shape (the statement did not print, or printed differently)' };
    const hoverTarget = hoverTargetAt(root, print.offset);
    if (!hoverTarget) return { kind: 'disagrees', detail: 'no hover target at the name' };
    const answer = hoverAnswer(result, hoverTarget);
    const where = `${snippet.name}:${print.line} on ${column}`;
    if (answer.kind === 'not-reached' || answer.kind === 'unbound') return { kind: 'disagrees', detail: `${where}: hover says ${answer.kind}` };
    if (answer.kind === 'object' && answer.executions !== 1) return { kind: 'unobservable', why: 'the line ran more than once (the hover shows the last run)' };
    if (answer.getrefcount !== value) return { kind: 'disagrees', detail: `${where}: hover says sys.getrefcount(${print.name}) prints ${answer.getrefcount}, CPython printed ${value}` };
    if (answer.kind === 'object') {
      // CPython counts the call's argument, except 3.14 reading a local (borrowed).
      const borrowed = target === '3.14' && hoverTarget.functionName !== undefined;
      const expected = borrowed ? value : value - 1;
      if (answer.object.refcount !== expected) return { kind: 'disagrees', detail: `${where}: hover refcount ${answer.object.refcount}, CPython ${value}${borrowed ? '' : ' - 1'}` };
      // Every reference has its labelled holder in the hover.
      const holders = answer.object.holders.map((h) => h.label);
      if (holders.length !== answer.object.refcount) return { kind: 'disagrees', detail: `${where}: refcount ${answer.object.refcount} but ${holders.length} holders (${holders.join(', ')})` };
    }
    return { kind: 'agrees' };
  });
}

describe('hover refcounts against CPython sys.getrefcount in the corpus', () => {
  const corpus = requireGcCorpus();
  const snippets = readSnippets(corpus);
  let parser: PythonParser;
  before(async () => {
    parser = (await loadPythonParser(parserPreferenceFromEnv())).parser;
  });

  it('agrees at every observable print of sys.getrefcount(name), on every version column', () => {
    const counts = { agrees: 0, disagrees: 0, unobservable: 0, columnsWithoutRecording: 0 };
    const disagreements: string[] = [];
    const unobservable = new Map<string, number>();
    let snippetsWithPrints = 0;
    for (const snippet of snippets) {
      const tree = parser.parse(snippet.source);
      try {
        const prints = refcountPrints(tree.rootNode);
        if (prints.length === 0) continue;
        snippetsWithPrints++;
        for (const column of CORPUS_COLUMNS) {
          const recorded = readRecorded(corpus, column, snippet.name, readExitCodes(corpus, column));
          if (!recorded) {
            counts.columnsWithoutRecording++;
            continue;
          }
          for (const outcome of compare(snippet, column, parser, tree.rootNode, prints, recorded.output)) {
            counts[outcome.kind]++;
            if (outcome.kind === 'disagrees') disagreements.push(outcome.detail);
            if (outcome.kind === 'unobservable') unobservable.set(`${snippet.name}: ${outcome.why}`, (unobservable.get(`${snippet.name}: ${outcome.why}`) ?? 0) + 1);
          }
        }
      } finally {
        tree.dispose();
      }
    }
    console.log(`hover vs CPython sys.getrefcount: ${snippetsWithPrints} snippets print it, ${CORPUS_COLUMNS.length} columns; ` +
      `${counts.agrees} points agree, ${counts.disagrees} disagree, ${counts.unobservable} not observable, ${counts.columnsWithoutRecording} snippet columns without a recording`);
    for (const [why, n] of unobservable) console.log(`  not observable ×${n}: ${why}`);
    assert.ok(snippetsWithPrints >= 5, 'the corpus has snippets printing sys.getrefcount(name)');
    assert.ok(counts.agrees >= 100, `enough compared points (${counts.agrees})`);
    assert.deepEqual(disagreements, []);
  });
});
