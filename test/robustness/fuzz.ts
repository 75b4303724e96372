// `npm run fuzz [--seconds N] [--seed S] [--target parser|rules|fixes|simulator|server|hover|cli]`: long robustness campaigns.
import { loadBothParsers, runCampaign, summaryLine, type CampaignResult } from './fuzzCampaign';
import { FUZZ_TARGETS, type FuzzTarget } from './fuzzTargets';

interface FuzzOptions {
  readonly seconds: number;
  readonly seed: number;
  readonly targets: readonly FuzzTarget[];
}

function parseOptions(args: readonly string[]): FuzzOptions {
  let seconds = 60;
  let seed = Date.now() % 2 ** 31;
  let targets: FuzzTarget[] = [...FUZZ_TARGETS];
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    if (args[i] === '--seconds' && Number(value) > 0) seconds = Number(value);
    else if (args[i] === '--seed' && Number.isInteger(Number(value))) seed = Number(value);
    else if (args[i] === '--target' && (FUZZ_TARGETS as readonly string[]).includes(value)) targets = [value as FuzzTarget];
    else throw new Error(`usage: npm run fuzz -- [--seconds N] [--seed S] [--target ${FUZZ_TARGETS.join('|')}] (bad argument ${args[i]})`);
    i++;
  }
  return { seconds, seed, targets };
}

async function main(): Promise<void> {
  process.env.GCLENS_STRICT_RULES = '1';
  const options = parseOptions(process.argv.slice(2));
  const parsers = await loadBothParsers();
  const results: CampaignResult[] = [];
  console.log(`fuzz: seed ${options.seed}, ${options.seconds} s per target, targets ${options.targets.join(', ')}`);
  for (const target of options.targets) {
    const result = await runCampaign(target, options.seed, { kind: 'seconds', seconds: options.seconds }, parsers);
    results.push(result);
    console.log(`${target}: ${result.inputs.toLocaleString('en-US')} inputs${result.failure ? `, FAILED (replay: npm run fuzz -- --target ${target} --seed ${options.seed})\n${result.failure}` : ', ok'}`);
  }
  console.log(summaryLine(results));
  process.exitCode = results.some((r) => r.failure) ? 1 : 0;
}

void main();
