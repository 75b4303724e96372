// The differential test's programs and CPython side: deterministic levels of features, clean runs under every installed
// CPython 3.8-3.13, and a batch process that prints what separate script runs print.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeOutput } from '../support/gcCorpus';
import { generateProgram, OWN_PROCESS_LEVELS, PROGRAM_LEVELS } from '../support/randomPrograms';
import { differentialSettings, DIFF_VERSIONS, generatePrograms, installedVersions, LEVEL_SEED_STRIDE, runProgramAsScript, runProgramsUnderCPython } from './differentialPython';

const settings = differentialSettings();
const programs = generatePrograms(settings.programs, settings.seed);
const installed = installedVersions();

describe('the random program generator', () => {
  it('is deterministic per seed and adds features level by level', () => {
    assert.equal(generateProgram(7, 3).source, generateProgram(7, 3).source);
    assert.notEqual(generateProgram(7, 3).source, generateProgram(8, 3).source);
    const byLevel = PROGRAM_LEVELS.map(({ level }) => Array.from({ length: 40 }, (_, index) => generateProgram(index, level).source).join('\n'));
    const has = (level: number, pattern: RegExp): boolean => pattern.test(byLevel[level - 1]);
    assert.ok(has(1, /def __del__/) && has(1, /^del /m) && has(1, /\.append\(/) && !has(1, /gc\.collect\(\)\)/));
    assert.ok(has(2, /print\("collect", gc\.collect\(\)\)/) && has(2, /\.link = c\d+\n/) && !has(2, /weakref/));
    assert.ok(has(3, /weakref\.ref\(\w+, lambda ref/) && has(3, /weakref\.finalize\(/) && has(3, /__slots__/) && !has(3, /getrefcount/));
    assert.ok(has(4, /sys\.getrefcount\(/) && has(4, /^print\([a-z]\d+\)$/m) && has(4, /gc\.is_tracked\(/) && !has(4, /def bind/));
    assert.ok(has(5, /^h\d+ = bind\(\w+\)$/m) && has(5, /^(\w+)\.cb = \1\.method$/m) && has(5, /= make_pair\(/) && has(5, /^ {4}fail\(/m) && has(5, /remember\(\w+\)/) && !has(5, /Scope/));
    assert.ok(has(6, /^with Scope\("s\d+"\) as s\d+:$/m) && has(6, /^with Scope\("s\d+"\):\n {4}fail\(/m) && has(6, /^(\w+)\.gen = g\d+$/m) && has(6, /next\(g\d+\)/));
    assert.ok(['WeakValueDictionary', 'WeakKeyDictionary', 'WeakSet'].every((kind) => has(6, new RegExp(`= weakref\\.${kind}\\(\\)`))));
    assert.ok(has(7, /^gc\.set_threshold\(\d+, \d, \d\)$/m) && has(7, /^for i\d+ in range\(\d+\):\n {4}t\d+ = \w+\(f"t\d+-\{i\d+\}"\)$/m) && has(7, /^gc\.disable\(\)$/m));
    assert.ok(has(7, /gc\.set_debug\(gc\.DEBUG_SAVEALL\)/) && has(7, /len\(gc\.garbage\)/) && !has(7, /gc\.get_count\(\)/) && has(7, /gc\.collect\([012]\)/) && !has(6, /set_threshold/));
  });

  it('spreads the programs evenly over the levels, each level with its own run of seeds', () => {
    assert.equal(programs.length, settings.programs);
    const first = programs.slice(0, PROGRAM_LEVELS.length + 1).map((program) => [program.level, program.seed - settings.seed - program.level * LEVEL_SEED_STRIDE]);
    assert.deepEqual(first, [...PROGRAM_LEVELS.map(({ level }) => [level, 0]), [1, 1]]);
    for (const { level } of PROGRAM_LEVELS) {
      const count = programs.filter((program) => program.level === level).length;
      assert.ok(Math.abs(count - settings.programs / PROGRAM_LEVELS.length) < 1, `level ${level}: ${count} programs`);
    }
  });
});

describe('the generated programs under CPython', () => {
  it('has CPython 3.12 and 3.13 to compare with', () => {
    const versions = installed.map((entry) => entry.version);
    const absent = DIFF_VERSIONS.filter((version) => !versions.includes(version));
    if (absent.length > 0) console.log(`differential: CPython ${absent.join(', ')} not installed under $PYENV_ROOT/versions; those versions are not compared`);
    assert.ok(versions.includes('3.12') && versions.includes('3.13'), `pyenv CPython 3.12 and 3.13 are needed (found: ${versions.join(', ') || 'none'}; set PYENV_ROOT)`);
  });

  for (const { version, python } of installed) {
    it(`CPython ${version} runs every program without an exception, and prints in one batch what script runs print`, () => {
      const outputs = runProgramsUnderCPython(python, programs);
      const crashed = outputs.flatMap((output, index) => (/^<(uncaught|SystemExit)/m.test(output) ? [`seed ${programs[index].seed}: ${output.split('\n').find((line) => line.startsWith('<'))}`] : []));
      assert.deepEqual(crashed, []);
      for (const { level } of PROGRAM_LEVELS.filter((entry) => !OWN_PROCESS_LEVELS.has(entry.level))) {
        const index = programs.findIndex((program) => program.level === level);
        const plain = { oracleSeds: [] };
        const [batched, script] = [outputs[index], runProgramAsScript(python, programs[index])].map((text) => normalizeOutput(text, plain));
        assert.equal(batched, script, `seed ${programs[index].seed} (level ${level})`);
      }
    });
  }
});
