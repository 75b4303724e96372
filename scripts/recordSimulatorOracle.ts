// Records what pyenv's CPythons print for test/fixtures/simulator-oracle/*.py into its expected.json (run by hand:
// `node --import tsx scripts/recordSimulatorOracle.ts`); the simulator's tests compare against the recording.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findPyenvPython, oracleEnvironment } from '../test/support/gcCorpusPython';

export const ORACLE_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'simulator-oracle');
export const ORACLE_VERSIONS = ['2.7', '3.6', '3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13'] as const;

/** Per version, per program: the interpreter's patch version, stdout, stderr (absolute paths made relative), exit code. */
export type OracleRecording = Record<string, { readonly python: string; readonly programs: Record<string, { readonly stdout: string; readonly stderr: string; readonly exitCode: number }> }>;

function record(): OracleRecording {
  const programs = fs.readdirSync(ORACLE_DIR).filter((name) => name.endsWith('.py')).sort();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-oracle-home-'));
  const recording: OracleRecording = {};
  try {
    for (const version of ORACLE_VERSIONS) {
      const python = findPyenvPython(version);
      if (!python) throw new Error(`CPython ${version} is not installed under $PYENV_ROOT/versions`);
      const outputs: OracleRecording[string]['programs'] = {};
      for (const program of programs) {
        // Run as `python NAME.py` from the fixture directory; 3.9+ print the script's absolute path, made relative again.
        const run = spawnSync(python, [program], { cwd: ORACLE_DIR, env: oracleEnvironment(home), encoding: 'utf8', timeout: 60_000 });
        const relative = (text: string): string => text.split(`${ORACLE_DIR}${path.sep}`).join('');
        outputs[program] = { stdout: relative(run.stdout), stderr: relative(run.stderr), exitCode: run.status ?? -1 };
      }
      recording[version] = { python: path.basename(path.dirname(path.dirname(python))), programs: outputs };
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
  return recording;
}

if (require.main === module) {
  fs.writeFileSync(path.join(ORACLE_DIR, 'expected.json'), `${JSON.stringify(record(), null, 1)}\n`);
}
