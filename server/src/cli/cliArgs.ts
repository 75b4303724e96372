// Command-line parsing for `gclens`: commands, `check` options and their validation, help texts.
import { parseArgs } from 'node:util';
import { parseTargetVersion } from '../analysis/config';
import { MAX_TARGET_MINOR, MIN_TARGET_MINOR, type PythonVersion } from '../analysis/settings';
import { RULE_CATALOGUE } from '../rules/registry';
import type { FixMode } from './checkTypes';
import { parseSimulateArgs, SIMULATE_HELP, type SimulateCliOptions } from './simulateArgs';

export const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface CheckOptions {
  readonly paths: readonly string[];
  readonly format: OutputFormat;
  readonly select?: string[];
  readonly ignore?: string[];
  readonly targetVersion?: PythonVersion;
  readonly fixMode: FixMode;
  readonly progress: boolean;
  /** Say on stderr how the run went (files, workers, parser backend). */
  readonly verbose: boolean;
  readonly configFile?: string;
  readonly outputFile?: string;
}

export type CliCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'check'; readonly options: CheckOptions }
  | { readonly kind: 'simulate'; readonly options: SimulateCliOptions }
  | { readonly kind: 'usage-error'; readonly message: string; readonly usage: string };

export const MAIN_HELP = `GC Lens: finds reference cycles and memory leaks in Python source.

Usage:
  gclens check [PATH...] [options]   check files and directories (default: the current directory)
  gclens simulate FILE [options]     run FILE in the GC simulator: its output and a GC summary, or --html a report
  gclens --version                   print the version
  gclens --help                      print this help; \`gclens check --help\`, \`gclens simulate --help\`

Exit status of check: 0 no findings, 1 findings, 2 usage or configuration error.
`;

export const CHECK_HELP = `Usage: gclens check [PATH...] [options]

Checks the Python files (*.py, *.pyi) under each PATH (default: the current directory). Directories are
walked honouring .gitignore files and \`exclude\` from [tool.gclens]; files named explicitly are always
checked. Settings come from [tool.gclens] in the nearest pyproject.toml; these flags override them.

Options:
  --format FORMAT          text (default), json, sarif or github (workflow annotations)
  --select CODES           only these rule codes or prefixes (comma-separated, repeatable; ALL = every
                           rule); replaces the config's select and ignore lists
  --ignore CODES           skip these rule codes or prefixes
  --target-version X.Y     Python version to analyse for (3.${MIN_TARGET_MINOR} to 3.${MAX_TARGET_MINOR})
  --fix                    apply safe fixes and write the files back
  --unsafe-fixes           with --fix, also apply unsafe fixes (they can change behaviour)
  --config FILE            read settings from this pyproject.toml instead of looking for one
  -o, --output FILE        write the report to FILE instead of standard output
  --no-progress            never show the progress line (it shows only on a terminal)
  -v, --verbose            say how the run went on stderr (files, worker threads, parser backend)
  -h, --help               print this help

Positions are 1-based lines and columns; columns count UTF-16 code units. Exit status: 0 no findings,
1 findings (after --fix: findings left), 2 usage or configuration error.
Environment: GCLENS_PARSER=native|wasm|auto chooses the tree-sitter backend (default auto: native, else wasm);
gclens simulate always parses with wasm.
`;

class UsageError extends Error {}

/** Rule codes or prefixes, comma-separated and repeatable, each matching at least one rule. */
function ruleSelectors(values: readonly string[] | undefined, flag: string): string[] | undefined {
  if (values === undefined) return undefined;
  const selectors = values.flatMap((value) => value.split(',')).map((value) => value.trim().toUpperCase()).filter(Boolean);
  return selectors.map((selector) => {
    const prefix = selector === 'ALL' ? 'GCL' : selector;
    if (!/^GCL\d{0,3}$/.test(prefix) || !RULE_CATALOGUE.some((rule) => rule.code.startsWith(prefix))) {
      const known = RULE_CATALOGUE.map((rule) => rule.code).join(', ') || 'none';
      throw new UsageError(`${flag}: unknown rule selector "${selector}" (rules: ${known})`);
    }
    return prefix;
  });
}

function parseCheck(args: readonly string[]): CliCommand {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      select: { type: 'string', multiple: true },
      ignore: { type: 'string', multiple: true },
      'target-version': { type: 'string' },
      fix: { type: 'boolean' },
      'unsafe-fixes': { type: 'boolean' },
      config: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'no-progress': { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { kind: 'help', text: CHECK_HELP };
  const format = values.format ?? 'text';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: unknown format "${format}" (expected ${OUTPUT_FORMATS.join(', ')})`);
  }
  let targetVersion: PythonVersion | undefined;
  if (values['target-version'] !== undefined) {
    targetVersion = parseTargetVersion(values['target-version']);
    if (!targetVersion) {
      throw new UsageError(`--target-version: expected a Python version from 3.${MIN_TARGET_MINOR} to 3.${MAX_TARGET_MINOR} such as 3.12 (got "${values['target-version']}")`);
    }
  }
  const fixMode: FixMode = values.fix ? (values['unsafe-fixes'] ? 'unsafe' : 'safe') : 'none';
  return {
    kind: 'check',
    options: {
      paths: positionals.length > 0 ? positionals : ['.'],
      format: format as OutputFormat,
      select: ruleSelectors(values.select, '--select'),
      ignore: ruleSelectors(values.ignore, '--ignore'),
      targetVersion,
      fixMode,
      progress: !values['no-progress'],
      verbose: values.verbose === true,
      configFile: values.config,
      outputFile: values.output,
    },
  };
}

/** Parses `gclens …` arguments (without the node and script paths). Never throws. */
export function parseCommandLine(args: readonly string[]): CliCommand {
  const [command, ...rest] = args;
  try {
    if (command === undefined) return { kind: 'usage-error', message: 'missing command', usage: MAIN_HELP };
    if (command === '--version' || command === '-V' || command === 'version') return { kind: 'version' };
    if (command === '--help' || command === '-h' || command === 'help') return { kind: 'help', text: MAIN_HELP };
    if (command === 'check') return parseCheck(rest);
    if (command === 'simulate') {
      const parsed = parseSimulateArgs(rest);
      return parsed.kind === 'help' ? { kind: 'help', text: SIMULATE_HELP } : parsed;
    }
    return { kind: 'usage-error', message: `unknown command "${command}"`, usage: MAIN_HELP };
  } catch (error) {
    // parseArgs names the offending option in its message ("Unknown option '--frob'").
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'usage-error', message, usage: `Run \`gclens ${command === 'simulate' ? 'simulate' : 'check'} --help\` for the options.\n` };
  }
}
