// Command-line parsing for `gclens simulate`: its options, their validation and its help text.
import { parseArgs } from 'node:util';
import { parseTargetVersion } from '../analysis/config';
import { TARGET_VERSIONS, type TargetVersion } from '../simulator/simulatorTypes';

/** What `gclens simulate` does: print the output and a GC summary, the output only, JSON, or write the HTML report. */
export type SimulateOutputMode = 'summary' | 'raw' | 'json' | 'html';

export interface SimulateCliOptions {
  /** The file as typed: tracebacks show it as CPython would (`python FILE`). */
  readonly file: string;
  readonly mode: SimulateOutputMode;
  readonly targetVersion?: TargetVersion;
  /** With --json: include the event trace and per-line heap snapshots in the output. */
  readonly trace: boolean;
  /** With --html: where the report page goes. */
  readonly htmlPath?: string;
}

export const SIMULATE_HELP = `Usage: gclens simulate FILE [--target-version X.Y] [--raw | --json [--trace] | --html OUT.html]

Runs FILE in GC Lens's simulator of CPython's reference counting and cyclic garbage collector (no Python is
executed) and prints what the program prints, then a summary: collections, cyclic garbage, objects left at
exit, and how the run ended (finished, uncaught exception, unsupported construct or budget hit, with its line).

Options:
  --target-version X.Y     CPython version to reproduce (${TARGET_VERSIONS.join(', ')}); default: [tool.gclens]
                           target-version or requires-python of the nearest pyproject.toml, else 3.12
  --raw                    print exactly what the program prints (stdout to stdout, stderr to stderr) and
                           exit with its exit status: nothing else
  --json                   print the simulation result as JSON (output chunks, exit code, end, summary)
  --trace                  with --json, also record the event trace and per-line heap snapshots
  --html OUT.html          write the simulation report to OUT.html: one self-contained page (object graph
                           with cycles highlighted and weak references dashed, a step slider with refcounts
                           and events, the program's output) that loads nothing from the network
  -h, --help               print this help

Exit status: the program's own (0, 1 for an uncaught exception, sys.exit's code) without --json or --html; 0
with --json (the status is in the JSON) or when --html wrote the report; 2 usage error, unreadable or binary
FILE, unwritable OUT.html, or configuration error.
`;

/** "3.12", "py312", "3.12.1", "2.7" → a version the simulator reproduces, else undefined. */
export function parseSimulatorTarget(value: string): TargetVersion | undefined {
  const trimmed = value.trim();
  const exact = TARGET_VERSIONS.find((version) => version === trimmed || trimmed.startsWith(`${version}.`));
  if (exact) return exact;
  const parsed = parseTargetVersion(trimmed);
  return parsed ? TARGET_VERSIONS.find((version) => version === `${parsed.major}.${parsed.minor}`) : undefined;
}

/** Parses the arguments after `simulate`; throws an Error whose message is the usage error. */
export function parseSimulateArgs(args: readonly string[]): { kind: 'help' } | { kind: 'simulate'; options: SimulateCliOptions } {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      'target-version': { type: 'string' },
      raw: { type: 'boolean' },
      json: { type: 'boolean' },
      trace: { type: 'boolean' },
      html: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { kind: 'help' };
  if (positionals.length === 0) throw new Error('simulate: missing FILE');
  if (positionals.length > 1) throw new Error(`simulate: one FILE at a time (got ${positionals.length}: ${positionals.join(' ')})`);
  if (values.raw && values.json) throw new Error('simulate: --raw and --json exclude each other');
  if (values.trace && !values.json) throw new Error('simulate: --trace goes with --json');
  const htmlPath = values.html;
  if (htmlPath !== undefined && (values.raw || values.json)) throw new Error(`simulate: --html excludes ${values.raw ? '--raw' : '--json'}`);
  if (htmlPath === '') throw new Error('simulate: --html needs a file name (--html OUT.html)');
  let targetVersion: TargetVersion | undefined;
  const requested = values['target-version'];
  if (requested !== undefined) {
    targetVersion = parseSimulatorTarget(requested);
    if (!targetVersion) throw new Error(`--target-version: expected one of ${TARGET_VERSIONS.join(', ')} (got "${requested}")`);
  }
  const mode: SimulateOutputMode = values.raw ? 'raw' : values.json ? 'json' : htmlPath !== undefined ? 'html' : 'summary';
  return { kind: 'simulate', options: { file: positionals[0], mode, targetVersion, trace: values.trace === true, htmlPath } };
}
