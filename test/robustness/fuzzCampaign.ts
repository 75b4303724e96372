// Runs seeded fast-check campaigns per target (a fixed slice in `npm test`, long ones in `npm run fuzz`) and counts inputs.
import fc from 'fast-check';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { checkCliFile, cliInput } from './fuzzCli';
import { anyInput, lineMutatedSeed, seedTexts, type SeedText } from './fuzzInputs';
import { editSequence, hoverDocument, ServerFuzzSession } from './fuzzServer';
import { checkFixes, checkParser, checkRules, checkSimulator, FUZZ_TARGETS, type FuzzTarget } from './fuzzTargets';

/** How long a target runs: a number of inputs (the CI slice) or seconds (a campaign). */
export type CampaignLength = { readonly kind: 'runs'; readonly runs: number } | { readonly kind: 'seconds'; readonly seconds: number };

export interface CampaignResult {
  readonly target: FuzzTarget;
  readonly seed: number;
  readonly inputs: number;
  /** The counterexample and fast-check's report (seed, path, shrunk input), when a property failed. */
  readonly failure?: string;
}

export interface Parsers {
  readonly native: PythonParser;
  readonly wasm: PythonParser;
}

export async function loadBothParsers(): Promise<Parsers> {
  return { native: (await loadPythonParser('native')).parser, wasm: (await loadPythonParser('wasm')).parser };
}

function parametersFor(seed: number, length: CampaignLength): fc.Parameters<unknown> {
  return length.kind === 'runs'
    ? { seed, numRuns: length.runs, endOnFailure: false }
    : { seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: length.seconds * 1000, markInterruptAsFailure: false };
}

async function runProperty<T>(target: FuzzTarget, seed: number, length: CampaignLength, arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void> | void): Promise<CampaignResult> {
  let inputs = 0;
  const property = fc.asyncProperty(arbitrary, async (value) => {
    inputs++;
    await check(value);
  });
  try {
    await fc.assert(property, parametersFor(seed, length) as fc.Parameters<[T]>);
    return { target, seed, inputs };
  } catch (error) {
    return { target, seed, inputs, failure: describeFailure(error) };
  }
}

/** fast-check's report (seed, path, counterexample) followed by what the property threw, each cut to a readable size. */
function describeFailure(error: unknown): string {
  const cut = (text: string, limit: number): string => (text.length <= limit ? text : `${text.slice(0, limit)} … (${text.length - limit} more characters)`);
  if (!(error instanceof Error)) return cut(String(error), 4000);
  const cause = error.cause instanceof Error ? `\nCause: ${cut(error.cause.stack ?? error.cause.message, 4000)}` : '';
  return `${cut(error.message, 2500)}${cause}`;
}

/** One server for a whole campaign, shut down however it ends. */
async function withServer(parsers: Parsers, run: (session: ServerFuzzSession) => Promise<CampaignResult>): Promise<CampaignResult> {
  const session = await ServerFuzzSession.start(parsers.native);
  try {
    return await run(session);
  } finally {
    await session.dispose();
  }
}

/** Runs one target's campaign. The server, hover and CLI targets start processes: they take far fewer inputs per second. */
export async function runCampaign(target: FuzzTarget, seed: number, length: CampaignLength, parsers: Parsers): Promise<CampaignResult> {
  const seeds = seedTexts();
  const both = [parsers.native, parsers.wasm];
  switch (target) {
    case 'parser':
      return runProperty(target, seed, length, anyInput(seeds), (input: SeedText) => checkParser(input.text, both));
    case 'rules':
      return runProperty(target, seed, length, fc.tuple(anyInput(seeds), fc.boolean()), ([input, wasm]) => {
        checkRules(input.text, wasm ? parsers.wasm : parsers.native);
      });
    case 'fixes':
      return runProperty(target, seed, length, fc.oneof(lineMutatedSeed(seeds), anyInput(seeds)), (input) => {
        checkFixes(input.text, parsers.native);
      });
    case 'simulator':
      return runProperty(target, seed, length, fc.tuple(fc.oneof(lineMutatedSeed(seeds), anyInput(seeds)), fc.nat()), ([input, version]) => {
        checkSimulator(input.text, parsers.native, version);
      });
    case 'server':
      return withServer(parsers, (session) => runProperty(target, seed, length, editSequence(seeds), (sequence) => session.check(sequence)));
    case 'hover':
      return withServer(parsers, (session) => runProperty(target, seed, length, hoverDocument(seeds), (input) => session.checkHovers(input)));
    case 'cli':
      return runProperty(target, seed, length, cliInput(seeds), (input) => checkCliFile(input));
    default: {
      const unexpected: never = target;
      throw new Error(`unknown fuzz target ${String(unexpected)}`);
    }
  }
}

/** `robustness: parser 2,400 · rules 2,400 · … — 0 failures`: the line both runners print. */
export function summaryLine(results: readonly CampaignResult[]): string {
  const unit = (target: FuzzTarget): string => (target === 'server' ? ' sequences' : target === 'hover' ? ' documents' : target === 'cli' ? ' files' : '');
  const counts = FUZZ_TARGETS.filter((target) => results.some((r) => r.target === target))
    .map((target) => `${target} ${results.filter((r) => r.target === target).reduce((sum, r) => sum + r.inputs, 0).toLocaleString('en-US')}${unit(target)}`);
  const failures = results.filter((r) => r.failure).length;
  return `robustness: ${counts.join(' · ')} — ${failures} failure${failures === 1 ? '' : 's'}`;
}
