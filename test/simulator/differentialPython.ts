// The CPython side of the differential test: the programs to compare, the installed versions, one batch process per version.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TargetVersion } from '../../server/src/simulator/simulatorTypes';
import { findPyenvPython, runPythonFile } from '../support/gcCorpusPython';
import { generateProgram, OWN_PROCESS_LEVELS, PROGRAM_LEVELS, type GeneratedProgram } from '../support/randomPrograms';

export const DIFF_VERSIONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'] as const satisfies readonly TargetVersion[];
export type DiffVersion = (typeof DIFF_VERSIONS)[number];
export const RATCHET_FILE = path.join(__dirname, 'differential-levels.tsv');
export const DIFF_UPDATE_COMMAND = 'npm run differential -- --update';
export const PROGRAM_FILE_NAME = 'prog.py';

const DEFAULT_PROGRAMS = 240;
const DEFAULT_SEED = 20261122;

/** How many programs per version (GCLENS_DIFF_PROGRAMS), spread evenly over the levels, and the first seed (GCLENS_DIFF_SEED). */
export function differentialSettings(env: NodeJS.ProcessEnv = process.env): { programs: number; seed: number } {
  const programs = Number(env.GCLENS_DIFF_PROGRAMS);
  const seed = Number(env.GCLENS_DIFF_SEED);
  return {
    programs: Number.isInteger(programs) && programs > 0 ? programs : DEFAULT_PROGRAMS,
    seed: Number.isInteger(seed) ? seed : DEFAULT_SEED,
  };
}

/** Seeds of one level are `seed + level × LEVEL_SEED_STRIDE + k`: adding a level leaves the other levels' programs as they were. */
export const LEVEL_SEED_STRIDE = 1_000_000;

/** `count` programs, the levels taking turns (program i has level `i mod levels + 1`), each level its own seed run. */
export function generatePrograms(count: number, seed: number): GeneratedProgram[] {
  return Array.from({ length: count }, (_, index) => {
    const { level } = PROGRAM_LEVELS[index % PROGRAM_LEVELS.length];
    return generateProgram(seed + level * LEVEL_SEED_STRIDE + Math.floor(index / PROGRAM_LEVELS.length), level);
  });
}

/**
 * Runs every program in one CPython process: each in a fresh `__main__`-like namespace, compiled as prog.py; between
 * programs the namespace is cleared, the collector's settings restored (debug flags, gc.garbage, thresholds, enabled)
 * and gc.collect() run; a record separator line marks each program's start.
 */
const BATCH_RUNNER = `import builtins, gc, json, sys
with open("programs.json", encoding="utf-8") as fh:
    programs = json.load(fh)
thresholds = gc.get_threshold()
for index, source in enumerate(programs):
    sys.stdout.write("\\x1e%d\\n" % index)
    sys.stdout.flush()
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    try:
        exec(compile(source, "${PROGRAM_FILE_NAME}", "exec"), namespace)
    except SystemExit as stop:
        sys.stdout.write("<SystemExit %r>\\n" % (stop.code,))
    except BaseException as error:
        sys.stdout.write("<uncaught %s: %s>\\n" % (type(error).__name__, error))
    sys.stdout.flush()
    namespace.clear()
    del namespace
    gc.set_debug(0)
    del gc.garbage[:]
    gc.set_threshold(*thresholds)
    gc.enable()
    gc.collect()
sys.stdout.write("\\x1e\\n")
`;

/** Each program's raw output (stdout and stderr interleaved) under `python`, in order. */
export function runProgramsInCPython(python: string, programs: readonly GeneratedProgram[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-differential-'));
  try {
    fs.writeFileSync(path.join(dir, 'programs.json'), JSON.stringify(programs.map((program) => program.source)));
    fs.writeFileSync(path.join(dir, 'runner.py'), BATCH_RUNNER);
    const run = runPythonFile(python, dir, 'runner.py', 600_000);
    const parts = run.raw.split('\x1e');
    if (run.exitCode !== 0 || parts.length !== programs.length + 2 || parts[parts.length - 1] !== '\n') {
      throw new Error(`the batch runner failed under ${python} (exit ${run.exitCode}):\n${run.raw.slice(-2000)}`);
    }
    return parts.slice(1, -1).map((part, index) => {
      const header = `${index}\n`;
      if (!part.startsWith(header)) throw new Error(`program ${index}'s output is out of order under ${python}`);
      return part.slice(header.length);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Each program's raw output under `python`: one batch process for most, a process each for OWN_PROCESS_LEVELS. */
export function runProgramsUnderCPython(python: string, programs: readonly GeneratedProgram[]): string[] {
  const batched = programs.filter((program) => !OWN_PROCESS_LEVELS.has(program.level));
  const outputs = runProgramsInCPython(python, batched);
  let next = 0;
  return programs.map((program) => (OWN_PROCESS_LEVELS.has(program.level) ? runProgramAsScript(python, program) : outputs[next++]));
}

/** One program run as a script (`python -s prog.py`), the mode the batch runner stands in for. */
export function runProgramAsScript(python: string, program: GeneratedProgram): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-differential-'));
  try {
    fs.writeFileSync(path.join(dir, PROGRAM_FILE_NAME), program.source);
    const run = runPythonFile(python, dir, PROGRAM_FILE_NAME);
    return run.exitCode === 0 ? run.raw : `${run.raw}<exit ${run.exitCode}>\n`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The installed CPythons among the differential versions. */
export function installedVersions(): { version: DiffVersion; python: string }[] {
  return DIFF_VERSIONS.flatMap((version) => {
    const python = findPyenvPython(version);
    return python ? [{ version, python }] : [];
  });
}
