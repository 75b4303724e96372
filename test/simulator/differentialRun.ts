// Differential runs: random subset programs under the pyenv CPythons (one process per version) and the simulator.
// `npm run differential [-- --update] [--level N] [--list]` prints agreement per level and version (--update rewrites
// the ratchet file, --level runs one level, --list names every disagreeing program).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { describeEnd as describeSimulationEnd } from '../../server/src/report/describeEnd';
import { simulate } from '../../server/src/simulator/simulate';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { normalizeOutput } from '../support/gcCorpus';
import { PROGRAM_LEVELS, type GeneratedProgram, type ProgramLevel } from '../support/randomPrograms';
import {
  DIFF_UPDATE_COMMAND, DIFF_VERSIONS, differentialSettings, generatePrograms, installedVersions, PROGRAM_FILE_NAME, RATCHET_FILE, runProgramsUnderCPython,
  type DiffVersion,
} from './differentialPython';

export interface ProgramOutcome {
  readonly program: GeneratedProgram;
  readonly version: DiffVersion;
  readonly expected: string;
  readonly actual: string;
  readonly agrees: boolean;
}

/** What the simulator prints for a program, in the batch runner's terms (a run that did not complete says how it ended). */
export function simulateProgram(program: GeneratedProgram, version: DiffVersion, parser: PythonParser): string {
  try {
    const result = simulate(program.source, parser, { targetVersion: version, fileName: PROGRAM_FILE_NAME, budgets: { maxMillis: 10 * 60_000 } });
    const text = result.output.map((chunk) => chunk.text).join('');
    return result.end.kind === 'completed' && result.exitCode === 0 ? text : `${text}<simulation: ${describeSimulationEnd(result.end)}; exit ${result.exitCode}>\n`;
  } catch (error) {
    return `<simulate threw: ${error instanceof Error ? error.message : String(error)}>\n`;
  }
}

export function compareVersion(python: string, version: DiffVersion, programs: readonly GeneratedProgram[], parser: PythonParser): ProgramOutcome[] {
  const outputs = runProgramsUnderCPython(python, programs);
  const none = { oracleSeds: [] };
  return programs.map((program, index) => {
    const expected = normalizeOutput(outputs[index], none);
    const actual = normalizeOutput(simulateProgram(program, version, parser), none);
    return { program, version, expected, actual, agrees: expected === actual };
  });
}

// ---- ratchet: the (level, version) pairs that must agree on every program -------------------------------------

export type LevelVersionKey = `${number}\t${string}`;

export function levelKey(level: ProgramLevel, version: DiffVersion): LevelVersionKey {
  return `${level}\t${version}`;
}

export function readRatchet(file = RATCHET_FILE): Set<LevelVersionKey> {
  const keys = new Set<LevelVersionKey>();
  if (!fs.existsSync(file)) return keys;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('level\t')) continue;
    const [level, version] = line.split('\t');
    keys.add(`${Number(level)}\t${version}`);
  }
  return keys;
}

export interface LevelAgreement {
  readonly level: ProgramLevel;
  readonly version: DiffVersion;
  readonly agreed: number;
  readonly total: number;
  readonly failures: readonly ProgramOutcome[];
}

export function agreementByLevel(outcomes: readonly ProgramOutcome[]): LevelAgreement[] {
  const rows: LevelAgreement[] = [];
  for (const version of DIFF_VERSIONS) {
    for (const { level } of PROGRAM_LEVELS) {
      const mine = outcomes.filter((outcome) => outcome.version === version && outcome.program.level === level);
      if (mine.length === 0) continue;
      const failures = mine.filter((outcome) => !outcome.agrees);
      rows.push({ level, version, agreed: mine.length - failures.length, total: mine.length, failures });
    }
  }
  return rows;
}

/** Rewrites the ratchet from a run; pairs of versions this run did not have (not installed here) are kept. */
export function writeRatchet(rows: readonly LevelAgreement[], file = RATCHET_FILE): number {
  const ran = new Set<string>(rows.map((row) => row.version));
  const kept = [...readRatchet(file)].filter((key) => !ran.has(key.split('\t')[1]));
  const passing = [...kept, ...rows.filter((row) => row.agreed === row.total).map((row) => levelKey(row.level, row.version))].sort();
  const header = `# (program level, CPython version) pairs where the simulator must agree with CPython on every generated program.\n# Regenerate from a fresh run: ${DIFF_UPDATE_COMMAND}\nlevel\tversion\n`;
  fs.writeFileSync(file, header + passing.map((line) => `${line}\n`).join(''));
  return passing.length;
}

export function formatAgreement(rows: readonly LevelAgreement[], seed: number): string {
  const versions = DIFF_VERSIONS.filter((version) => rows.some((row) => row.version === version));
  const lines = [`Differential agreement, simulator vs CPython (programs per cell; first seed ${seed}):`, ''];
  lines.push(`${'level'.padEnd(22)}${versions.map((version) => version.padEnd(10)).join('')}`);
  for (const { level, name } of PROGRAM_LEVELS) {
    const cells = versions.map((version) => {
      const row = rows.find((entry) => entry.level === level && entry.version === version);
      return (row ? `${row.agreed}/${row.total}` : '-').padEnd(10);
    });
    lines.push(`${`${level} ${name}`.padEnd(22)}${cells.join('')}`);
  }
  return lines.join('\n');
}

export function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const got = actual.split('\n');
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) return `line ${i + 1}: CPython ${JSON.stringify(want[i] ?? '(nothing)')}, simulator ${JSON.stringify(got[i] ?? '(nothing)')}`;
  }
  return 'identical';
}

/** A failing program in full, reproducible from its seed and level. */
export function formatFailure(outcome: ProgramOutcome): string {
  const { program } = outcome;
  return [
    `--- seed ${program.seed}, level ${program.level}, CPython ${outcome.version}: ${firstDifference(outcome.expected, outcome.actual)}`,
    `    (regenerate: generateProgram(${program.seed}, ${program.level}) in test/support/randomPrograms.ts)`,
    program.source.trimEnd(),
    '--- CPython printed:',
    outcome.expected.trimEnd(),
    '--- the simulator printed:',
    outcome.actual.trimEnd(),
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...argv], strict: true, options: { update: { type: 'boolean' }, level: { type: 'string' }, list: { type: 'boolean' } } });
  const level = values.level === undefined ? undefined : Number(values.level);
  if (level !== undefined && !PROGRAM_LEVELS.some((entry) => entry.level === level)) throw new Error(`--level: expected one of ${PROGRAM_LEVELS.map((entry) => entry.level).join(', ')}`);
  if (level !== undefined && values.update) throw new Error('--update rewrites the ratchet from a run of every level: leave out --level');
  const { loadPythonParser, parserPreferenceFromEnv } = await import('../../server/src/syntax/loadParser');
  const { parser } = await loadPythonParser(parserPreferenceFromEnv());
  const settings = differentialSettings();
  const programs = generatePrograms(settings.programs, settings.seed).filter((program) => level === undefined || program.level === level);
  const outcomes = installedVersions().flatMap(({ version, python }) => compareVersion(python, version, programs, parser));
  const rows = agreementByLevel(outcomes);
  process.stdout.write(`${formatAgreement(rows, settings.seed)}\n`);
  const failures = outcomes.filter((outcome) => !outcome.agrees);
  if (values.list) {
    process.stdout.write(`\nDisagreements (${failures.length}):\n`);
    for (const outcome of failures) process.stdout.write(`  ${outcome.version} seed ${outcome.program.seed} level ${outcome.program.level}: ${firstDifference(outcome.expected, outcome.actual)}\n`);
  }
  if (failures.length > 0) process.stdout.write(`\nFirst disagreement:\n${formatFailure(failures[0])}\n`);
  if (values.update) {
    process.stdout.write(`\nWrote ${writeRatchet(rows)} fully agreeing (level, version) pairs to ${path.relative(process.cwd(), RATCHET_FILE)}.\n`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code), (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  });
}
