// `npm run eval:rules [-- --corpus DIR] [--rules GCL001,…] [--sample N] [--runs N]`: findings per rule over CPython 3.13's stdlib, and their cost.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../server/src/analysis/analyze';
import type { Finding } from '../server/src/analysis/findingTypes';
import { DEFAULT_SETTINGS } from '../server/src/analysis/settings';
import { findRule, RULES } from '../server/src/rules/registry';
import type { Rule } from '../server/src/rules/ruleTypes';
import { loadPythonParser } from '../server/src/syntax/loadParser';
import type { PythonParser } from '../server/src/syntax/syntaxTypes';
import { yieldToEventLoop } from '../server/src/workspace/eventLoop';
import { NativeMemoryGuard } from '../server/src/workspace/nativeMemory';
import { countLines, listCorpus, readCorpusText, type CorpusFile } from './corpus';

export interface EvalOptions {
  readonly corpus: string;
  /** The rules evaluated (and timed together); default: every registered rule. */
  readonly rules: readonly Rule[];
  /** Findings printed per rule, for reading. */
  readonly sample: number;
  /** Timed passes of each side (GCL001 alone, the evaluated rules), interleaved after one warm-up pass of each. */
  readonly runs: number;
}

/** `$PYENV_ROOT/versions/3.13.*` → its `lib/python3.13`, the corpus the figures are about; else undefined. */
export function stdlib313(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const versions = path.join(env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv'), 'versions');
  let names: string[];
  try {
    names = fs.readdirSync(versions).filter((name) => /^3\.13(\.\d+)?$/.test(name)).sort().reverse();
  } catch {
    return undefined;
  }
  return names.map((name) => path.join(versions, name, 'lib', 'python3.13')).find((lib) => fs.existsSync(lib));
}

/** Parses the arguments; throws an Error with the message to print (exit 2) on bad input or a missing corpus. */
export function parseEvalArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): EvalOptions {
  let corpus: string | undefined;
  let codes: string[] | undefined;
  let sample = 0;
  let runs = 3;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--corpus') corpus = value();
    else if (arg === '--rules') codes = value().split(',').map((code) => code.trim().toUpperCase()).filter(Boolean);
    else if (arg === '--sample') sample = Number(value());
    else if (arg === '--runs') runs = Number(value());
    else throw new Error(`unknown option ${arg} (use --corpus DIR, --rules GCL001,GCL302, --sample N, --runs N)`);
  }
  if (!Number.isInteger(sample) || sample < 0) throw new Error('--sample needs a whole number of findings per rule');
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a whole number of timed passes, at least 1');
  const rules = codes === undefined ? [...RULES] : codes.map((code) => {
    const rule = findRule(code);
    if (!rule) throw new Error(`unknown rule ${code} (registered: ${RULES.map((r) => r.code).join(', ')})`);
    return rule;
  });
  if (rules.length === 0) throw new Error('--rules names no rule');
  const resolved = corpus ?? stdlib313(env);
  if (!resolved) throw new Error('no corpus: pyenv has no CPython 3.13 (looked for $PYENV_ROOT/versions/3.13*/lib/python3.13); pass --corpus DIR');
  if (!fs.existsSync(resolved)) throw new Error(`corpus ${resolved} does not exist`);
  return { corpus: path.resolve(resolved), rules, sample, runs };
}

/** One finding with where it is, for counting and reading. */
export interface LocatedFinding {
  readonly file: string;
  readonly line: number;
  readonly source: string;
  readonly finding: Finding;
}

export interface EvalFigures {
  readonly corpus: string;
  readonly backend: string;
  readonly files: number;
  readonly skipped: number;
  readonly lines: number;
  readonly rules: readonly Rule[];
  readonly findings: readonly LocatedFinding[];
  /**
   * CPU of the process (ms) over parse + analysis of the whole corpus, one figure per timed pass, for the evaluated
   * rules and for GCL001 alone (the passes alternate: GCL001, rules, GCL001, rules...).
   */
  readonly cpuMs: { readonly selected: readonly number[]; readonly gcl001: readonly number[] };
  /** The 1-minute load average when the timed passes began and when they ended (the machine may be shared). */
  readonly load: { readonly before: number; readonly after: number };
}

interface CorpusText {
  readonly file: CorpusFile;
  readonly text: string;
}

interface RawFinding {
  readonly at: CorpusText;
  readonly finding: Finding;
}

/**
 * One pass of parse + analysis over the corpus with `rules` (trees disposed, memory guarded as gclens check does);
 * returns the CPU it took (ms) and, when `keep` is given, collects the findings there.
 */
async function pass(texts: readonly CorpusText[], parser: PythonParser, rules: readonly Rule[], keep?: RawFinding[]): Promise<number> {
  const memory = new NativeMemoryGuard();
  const before = process.cpuUsage();
  for (const at of texts) {
    const tree = parser.parse(at.text);
    try {
      const findings = analyze({ text: at.text, tree, settings: DEFAULT_SETTINGS, rules });
      if (keep) for (const finding of findings) keep.push({ at, finding });
    } finally {
      tree.dispose();
    }
    // Yielding and the guard's collections are part of every real scan; the CPU they take is counted in both passes.
    await yieldToEventLoop();
    memory.afterDocument();
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function locate({ at, finding }: RawFinding): LocatedFinding {
  const line = at.text.slice(0, finding.range.start).split('\n').length;
  const start = at.text.lastIndexOf('\n', finding.range.start - 1) + 1;
  const end = at.text.indexOf('\n', finding.range.start);
  return { file: at.file.relative, line, source: at.text.slice(start, end < 0 ? undefined : end).trim(), finding };
}

export async function runEvaluation(options: EvalOptions, log: (line: string) => void = () => undefined): Promise<EvalFigures> {
  const listed = listCorpus(options.corpus);
  const texts: CorpusText[] = [];
  let lines = 0;
  for (const file of listed) {
    const text = readCorpusText(file);
    if (text === undefined) continue;
    texts.push({ file, text });
    lines += countLines(text);
  }
  const { parser } = await loadPythonParser();
  const gcl001 = findRule('GCL001');
  if (!gcl001) throw new Error('GCL001 is not registered');
  log(`${texts.length} files, ${lines} lines; warming up both sides`);
  // Both sides warm (JIT, caches) before any timed pass, then alternating passes: a load change on a shared machine
  // hits both sides alike, and the medians drop the odd pass.
  const raw: RawFinding[] = [];
  await pass(texts, parser, [gcl001]);
  await pass(texts, parser, options.rules, raw);
  const baseline: number[] = [];
  const selected: number[] = [];
  const loadBefore = os.loadavg()[0];
  for (let run = 1; run <= options.runs; run++) {
    baseline.push(await pass(texts, parser, [gcl001]));
    selected.push(await pass(texts, parser, options.rules));
    log(`run ${run}/${options.runs}: GCL001 alone ${(baseline[run - 1] / 1000).toFixed(2)} s, ${options.rules.length} rule(s) ${(selected[run - 1] / 1000).toFixed(2)} s`);
  }
  const findings = raw.map(locate);
  return {
    corpus: options.corpus,
    backend: parser.backend,
    files: texts.length,
    skipped: listed.length - texts.length,
    lines,
    rules: options.rules,
    findings,
    cpuMs: { selected, gcl001: baseline },
    load: { before: loadBefore, after: os.loadavg()[0] },
  };
}

/** The median of some figures (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `count` findings spread evenly over the list (first, …, last), so a sample spans the corpus. */
export function spreadSample<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const picked: T[] = [];
  for (let i = 0; i < count; i++) picked.push(items[Math.floor((i * items.length) / count)]);
  return picked;
}

export function formatEvaluation(figures: EvalFigures, sample: number): string {
  const out: string[] = [];
  out.push(`corpus: ${figures.corpus}`);
  out.push(`files: ${figures.files} (${figures.skipped} skipped: binary, not UTF-8 or too large), lines: ${figures.lines}`);
  out.push('');
  out.push(`${'rule'.padEnd(8)}${'name'.padEnd(32)}${'findings'.padStart(10)}${'per 10k lines'.padStart(15)}`);
  for (const rule of figures.rules) {
    const count = figures.findings.filter((f) => f.finding.code === rule.code).length;
    const rate = figures.lines > 0 ? (count * 10000) / figures.lines : 0;
    out.push(`${rule.code.padEnd(8)}${rule.name.padEnd(32)}${String(count).padStart(10)}${rate.toFixed(2).padStart(15)}`);
  }
  out.push(`${'total'.padEnd(40)}${String(figures.findings.length).padStart(10)}`);
  out.push('');
  const selected = median(figures.cpuMs.selected);
  const gcl001 = median(figures.cpuMs.gcl001);
  const ratio = gcl001 > 0 ? selected / gcl001 : 0;
  const seconds = (values: readonly number[]): string => values.map((ms) => (ms / 1000).toFixed(2)).join(', ');
  out.push(`CPU, in-process, parse + analysis (${figures.backend} parser), median of ${figures.cpuMs.selected.length} interleaved pass(es): ${figures.rules.length} rule(s) ${(selected / 1000).toFixed(3)} s, GCL001 only ${(gcl001 / 1000).toFixed(3)} s, ratio ${ratio.toFixed(2)}x (budget 1.5x)`);
  out.push(`  passes: rules ${seconds(figures.cpuMs.selected)} s; GCL001 ${seconds(figures.cpuMs.gcl001)} s; load average ${figures.load.before.toFixed(2)} → ${figures.load.after.toFixed(2)}`);
  if (sample > 0) {
    for (const rule of figures.rules) {
      const ofRule = figures.findings.filter((f) => f.finding.code === rule.code);
      if (ofRule.length === 0) continue;
      out.push('');
      out.push(`== ${rule.code} ${rule.name}: ${Math.min(sample, ofRule.length)} of ${ofRule.length}`);
      for (const located of spreadSample(ofRule, sample)) {
        out.push(`${located.file}:${located.line}: ${located.finding.message}`);
        out.push(`    ${located.source}`);
      }
    }
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  let options: EvalOptions;
  try {
    options = parseEvalArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`eval:rules: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  const figures = await runEvaluation(options, (line) => process.stderr.write(`eval:rules: ${line}\n`));
  console.log(formatEvaluation(figures, options.sample));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  });
}
