// One in-process benchmark phase, run in its own child process so its peak memory is its own; prints JSON.
import * as fs from 'node:fs';
import { countLines, readCorpusText, type CorpusFile } from './corpus';
import { measureInProcess, type Cost } from './measure';
import { yieldToEventLoop } from '../server/src/workspace/eventLoop';
import { NativeMemoryGuard } from '../server/src/workspace/nativeMemory';
import { analyze } from '../server/src/analysis/analyze';
import { DEFAULT_SETTINGS } from '../server/src/analysis/settings';
import { loadPythonParser } from '../server/src/syntax/loadParser';
import type { ParserBackendKind, PythonParser, SyntaxNode } from '../server/src/syntax/syntaxTypes';
import { createRuffB006Checker } from './ruffB006';

export type PhaseName = 'parse' | 'walk' | 'analyze' | 'ruff-b006';

export interface PhaseResult {
  readonly phase: PhaseName;
  readonly backend: ParserBackendKind | 'ruff';
  readonly files: number;
  readonly lines: number;
  /** Nodes visited (walk), findings reported (analyze, ruff-b006); 0 for parse. */
  readonly count: number;
  /** One entry per measured pass over the corpus. */
  readonly passes: Cost[];
}

/** The cursor API both bindings share (tree-sitter's TreeCursor and web-tree-sitter's). */
interface TreeCursorLike {
  readonly nodeType: string;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/** Visits every node once with a cursor, reading its type (one native/wasm crossing per step): the JS-walk cost. */
export function walkEveryNode(root: SyntaxNode): { nodes: number; typeChars: number } {
  const cursor = (root as unknown as { walk(): TreeCursorLike }).walk();
  let nodes = 0;
  let typeChars = 0;
  for (;;) {
    nodes++;
    typeChars += cursor.nodeType.length;
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return { nodes, typeChars };
    }
  }
}

type PerFile = (text: string, parser: PythonParser | undefined) => number;

async function passOverCorpus(files: readonly CorpusFile[], parser: PythonParser | undefined, perFile: PerFile): Promise<{ cost: Cost; count: number }> {
  const { cost, result } = await measureInProcess(async () => {
    let count = 0;
    const memory = new NativeMemoryGuard(); // as gclens check and the workspace scan do
    for (const file of files) {
      const text = readCorpusText(file);
      if (text !== undefined) count += perFile(text, parser);
      // The native binding frees a tree only when its JS wrapper is collected: let the loop turn between files.
      await yieldToEventLoop();
      memory.afterDocument();
    }
    return count;
  });
  return { cost, count: result };
}

function parseOnly(text: string, parser: PythonParser | undefined): number {
  parser?.parse(text).dispose();
  return 0;
}

function parseAndWalk(text: string, parser: PythonParser | undefined): number {
  if (!parser) return 0;
  const tree = parser.parse(text);
  const visited = walkEveryNode(tree.rootNode).nodes;
  tree.dispose();
  return visited;
}

function parseAndAnalyze(text: string, parser: PythonParser | undefined): number {
  if (!parser) return 0;
  const tree = parser.parse(text);
  const findings = analyze({ text, tree, settings: DEFAULT_SETTINGS }).length;
  tree.dispose();
  return findings;
}

export async function runPhase(phase: PhaseName, backend: ParserBackendKind, files: readonly CorpusFile[], passes: number): Promise<PhaseResult> {
  const lines = files.reduce((sum, file) => sum + countLines(readCorpusText(file) ?? ''), 0);
  let perFile: PerFile;
  let parser: PythonParser | undefined;
  switch (phase) {
    case 'parse':
      perFile = parseOnly;
      break;
    case 'walk':
      perFile = parseAndWalk;
      break;
    case 'analyze':
      perFile = parseAndAnalyze;
      break;
    case 'ruff-b006': {
      const checker = createRuffB006Checker();
      perFile = (text) => checker.check(text).length;
      break;
    }
    default: {
      const unknown: never = phase;
      throw new Error(`unknown phase ${String(unknown)}`);
    }
  }
  if (phase !== 'ruff-b006') parser = (await loadPythonParser(backend)).parser;
  // One unmeasured warm-up pass: JIT, the query compilation cache, Ruff's wasm instance, the OS page cache.
  await passOverCorpus(files, parser, perFile);
  const measured: Cost[] = [];
  let count = 0;
  for (let i = 0; i < passes; i++) {
    const pass = await passOverCorpus(files, parser, perFile);
    measured.push(pass.cost);
    count = pass.count;
  }
  return { phase, backend: phase === 'ruff-b006' ? 'ruff' : backend, files: files.length, lines, count, passes: measured };
}

async function main(): Promise<void> {
  const [phase, backend, listFile, passes] = process.argv.slice(2);
  const files = JSON.parse(fs.readFileSync(listFile, 'utf8')) as CorpusFile[];
  const result = await runPhase(phase as PhaseName, backend as ParserBackendKind, files, Number(passes) || 1);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  });
}
