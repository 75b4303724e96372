// `npm run record:parse-limits`: bisects each pyenv CPython's nesting limits per shape and writes test/fixtures/parse-limits/recorded.json.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nestedSource, type NestingShape } from './fuzzInputs';

/** The shapes whose limit is the parser's or the compiler's (indentation and static blocks are fixed constants, tested elsewhere). */
export const RECORDED_SHAPES = [
  'parentheses', 'brackets', 'braces', 'comprehensions', 'unclosed', 'lambdas', 'unary', 'not', 'conditional',
  'binary-operators', 'attribute-chain', 'calls', 'subscripts',
] as const satisfies readonly NestingShape[];
export type RecordedShape = (typeof RECORDED_SHAPES)[number];

/** The largest depth the bisection tries: past it every version has long failed on every shape. */
export const MAX_RECORDED_DEPTH = 12_000;

/** One message band: from `fromDepth` (the first depth that fails this way) CPython prints `stderr` (file name `f.py`, as 3.6–3.8 show it). */
export interface RecordedBand {
  readonly fromDepth: number;
  /** The last line of stderr: what the simulator's end message must say. */
  readonly message: string;
  /** The whole stderr at `fromDepth`. */
  readonly stderr: string;
}

export interface RecordedLimits {
  readonly version: string;
  readonly shape: RecordedShape;
  /** The deepest nesting that compiles. */
  readonly deepestAccepted: number;
  /** Failure messages by depth, ascending; the last band holds up to MAX_RECORDED_DEPTH. */
  readonly bands: readonly RecordedBand[];
}

export interface ParseLimitsRecording {
  readonly command: string;
  readonly note: string;
  readonly recorded: readonly RecordedLimits[];
}

interface Outcome {
  readonly compiled: boolean;
  readonly message: string;
  readonly stderr: string;
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines[lines.length - 1] ?? '';
}

function runAt(python: string, dir: string, shape: RecordedShape, depth: number): Outcome {
  fs.writeFileSync(path.join(dir, 'f.py'), nestedSource(shape, depth));
  const run = spawnSync(python, ['f.py'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  // From 3.9 tracebacks show the script joined to the working directory: recorded as plain `f.py`.
  const stderr = (run.stderr ?? '').split(`${dir}${path.sep}`).join('');
  // The shapes name undefined variables: a NameError (or TypeError calling an int) means the module compiled and ran.
  const compiled = run.status === 0 || /^(NameError|TypeError|IndexError|AttributeError)\b/m.test(lastLine(stderr));
  return { compiled, message: compiled ? '' : lastLine(stderr), stderr };
}

/** The first depth in (low, high] where `differs` holds, given it is false at `low` and true at `high`. */
function bisect(low: number, high: number, differs: (depth: number) => boolean): number {
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (differs(middle)) high = middle;
    else low = middle;
  }
  return high;
}

function recordShape(python: string, version: string, dir: string, shape: RecordedShape): RecordedLimits {
  const cache = new Map<number, Outcome>();
  const at = (depth: number): Outcome => {
    let outcome = cache.get(depth);
    if (!outcome) {
      outcome = runAt(python, dir, shape, depth);
      cache.set(depth, outcome);
    }
    return outcome;
  };
  const top = at(MAX_RECORDED_DEPTH);
  if (top.compiled) return { version, shape, deepestAccepted: MAX_RECORDED_DEPTH, bands: [] };
  const firstFailure = bisect(0, MAX_RECORDED_DEPTH, (depth) => !at(depth).compiled);
  const bands: RecordedBand[] = [];
  let from = firstFailure;
  // Each band ends where the message changes (checked against the top, then bisected band by band).
  while (from <= MAX_RECORDED_DEPTH) {
    const band = at(from);
    bands.push({ fromDepth: from, message: band.message, stderr: band.stderr });
    if (at(MAX_RECORDED_DEPTH).message === band.message) break;
    from = bisect(from, MAX_RECORDED_DEPTH, (depth) => at(depth).message !== band.message);
  }
  return { version, shape, deepestAccepted: firstFailure - 1, bands };
}

function pyenvPythons(): { version: string; python: string }[] {
  const root = process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  return fs.readdirSync(path.join(root, 'versions'))
    .map((version) => ({ version, python: path.join(root, 'versions', version, 'bin', 'python') }))
    .filter(({ python }) => fs.existsSync(python))
    .sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-parse-limits-'));
  const recorded: RecordedLimits[] = [];
  try {
    for (const { version, python } of pyenvPythons()) {
      for (const shape of RECORDED_SHAPES) {
        const limits = recordShape(python, version, dir, shape);
        console.log(`${version} ${shape}: accepts ${limits.deepestAccepted}; ${limits.bands.map((band) => `from ${band.fromDepth}: ${band.message}`).join('; ')}`);
        recorded.push(limits);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const recording: ParseLimitsRecording = {
    command: '$PYENV_ROOT/versions/<version>/bin/python f.py (f.py = nestedSource(shape, depth) from test/robustness/fuzzInputs.ts), bisected by npm run record:parse-limits',
    note: 'A depth compiles when the run exits 0 or ends in NameError/TypeError (the shapes use undefined names). Each band is where the failure message changes.',
    recorded,
  };
  const out = path.join(__dirname, '..', 'fixtures', 'parse-limits', 'recorded.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(recording, null, 1)}\n`);
  console.log(`wrote ${out}`);
}

if (require.main === module) main();
