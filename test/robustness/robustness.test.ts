// The CI slice of the robustness campaigns: fixed seeds, a few hundred inputs per layer, one summary line.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadBothParsers, runCampaign, summaryLine, type CampaignResult, type Parsers } from './fuzzCampaign';
import type { FuzzTarget } from './fuzzTargets';

/** Inputs per target in `npm test` (chosen to keep these suites near 60 s on the 2-core machine). */
const SLICE: Readonly<Record<FuzzTarget, number>> = { parser: 400, rules: 400, fixes: 150, simulator: 300, server: 25, hover: 40, cli: 10 };
const SEED = 20261122;

describe('robustness: seeded campaigns through every layer', () => {
  let parsers: Parsers;
  const results: CampaignResult[] = [];
  before(async () => {
    parsers = await loadBothParsers();
  });
  after(() => console.log(summaryLine(results)));

  for (const target of Object.keys(SLICE) as FuzzTarget[]) {
    it(`${target}: ${SLICE[target]} generated inputs, seed ${SEED}`, async () => {
      const result = await runCampaign(target, SEED, { kind: 'runs', runs: SLICE[target] }, parsers);
      results.push(result);
      assert.equal(result.failure, undefined, `replay with: npm run fuzz -- --target ${target} --seed ${SEED}\n${result.failure}`);
      assert.equal(result.inputs, SLICE[target], 'every generated input ran');
    });
  }
});
