// Differential test: seeded random programs from the simulator's subset, CPython 3.8-3.13 (those installed) vs the simulator;
// the (level, version) pairs in differential-levels.tsv must agree on every program.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPythonParser, parserPreferenceFromEnv } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { DIFF_UPDATE_COMMAND, differentialSettings, generatePrograms, installedVersions, RATCHET_FILE } from './differentialPython';
import { agreementByLevel, compareVersion, firstDifference, formatAgreement, formatFailure, levelKey, readRatchet, type ProgramOutcome } from './differentialRun';

const settings = differentialSettings();
const programs = generatePrograms(settings.programs, settings.seed);
const installed = installedVersions();
let parser: PythonParser;
let outcomes: ProgramOutcome[] = [];

before(async () => {
  parser = (await loadPythonParser(parserPreferenceFromEnv())).parser;
  outcomes = installed.flatMap(({ version, python }) => compareVersion(python, version, programs, parser));
  console.log(`\n${formatAgreement(agreementByLevel(outcomes), settings.seed)}\n`);
});

describe('simulator vs CPython on random programs', () => {
  it('compared every program under every installed CPython 3.8-3.13', () => {
    assert.ok(installed.length > 0, 'no pyenv CPython 3.8-3.13 installed (set PYENV_ROOT)');
    assert.equal(outcomes.length, installed.length * programs.length);
  });

  it(`agrees on every program at the (level, version) pairs of ${RATCHET_FILE.split('/').pop()}`, () => {
    const required = readRatchet();
    const rows = agreementByLevel(outcomes);
    const newlyComplete = rows.filter((row) => row.agreed === row.total && !required.has(levelKey(row.level, row.version)));
    if (newlyComplete.length > 0) {
      console.log(`Now agreeing on every program, not yet required: ${newlyComplete.map((row) => `level ${row.level} @ ${row.version}`).join(', ')}; require them with \`${DIFF_UPDATE_COMMAND}\``);
    }
    const pending = rows.filter((row) => row.agreed < row.total && !required.has(levelKey(row.level, row.version)));
    if (pending.length > 0) {
      console.log('Disagreements at levels not required yet (first program of each; `npm run differential` prints it in full):');
      for (const row of pending) {
        const first = row.failures[0];
        console.log(`  level ${row.level} @ ${row.version}: ${row.agreed}/${row.total}; seed ${first.program.seed}: ${firstDifference(first.expected, first.actual)}`);
      }
    }
    const broken = rows.filter((row) => required.has(levelKey(row.level, row.version)) && row.agreed < row.total);
    const report = broken.map((row) => `level ${row.level} @ ${row.version}: ${row.agreed}/${row.total}\n${row.failures.slice(0, 2).map(formatFailure).join('\n')}`);
    assert.deepEqual(report, [], 'disagreements where the ratchet requires full agreement (seed and program above)');
  });
});
