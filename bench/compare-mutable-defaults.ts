// `npm run compare:b006`: GCL001 against Ruff's B006 and Pylint's W0102 on a corpus, with every disagreement explained.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPythonParser } from '../server/src/syntax/loadParser';
import { collectGclensAndRuff, normalisePylint, type Tool } from './compare/collectFindings';
import { runPylintW0102 } from './compare/pylintW0102';
import { disagreements, mergeFindings, overlaps } from './compare/threeWay';
import { formatComparisonMarkdown, formatComparisonText, formatProbeMatrix, type ComparisonFigures } from './compare/writeAnalysis';
import { defaultCorpusRoot, listCorpus } from './corpus';

const ROOT = path.resolve(__dirname, '..');
const PROBES = path.join(__dirname, 'compare', 'probes');

interface CompareOptions {
  readonly corpus: string;
  readonly out: string | undefined;
}

function parseArgs(argv: readonly string[]): CompareOptions {
  let corpus: string | undefined;
  let out: string | undefined = path.join(ROOT, 'bench', 'compare-mutable-defaults.md');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--corpus' && argv[i + 1] !== undefined) corpus = argv[++i];
    else if (arg === '--out' && argv[i + 1] !== undefined) out = argv[++i];
    else if (arg === '--no-write') out = undefined;
    else throw new Error(`unknown option ${arg} (use --corpus PATH, --out FILE, --no-write)`);
  }
  const resolved = corpus ?? defaultCorpusRoot();
  if (!resolved) throw new Error('no corpus: pass --corpus PATH (no pyenv CPython 3 found)');
  return { corpus: path.resolve(resolved), out };
}

export async function compareMutableDefaults(corpus: string): Promise<ComparisonFigures> {
  const files = listCorpus(corpus);
  const { parser } = await loadPythonParser('native');
  process.stderr.write(`compare: GCL001 and Ruff B006 over ${files.length} files\n`);
  const collected = await collectGclensAndRuff(files, parser);
  const pylint = runPylintW0102(corpus, files, path.join(ROOT, 'bench', '.cache'), (line) => process.stderr.write(`compare: ${line}\n`));
  if (!pylint) throw new Error('pylint is not installed (apt-get install -y pylint)');
  const normalised = normalisePylint(pylint.messages, collected.facts);
  const sites = mergeFindings(collected, normalised.findings);
  const count = (tool: Tool): number => sites.filter((site) => site.tools.has(tool)).length;
  return {
    corpus,
    files: files.length,
    versions: { gclens: 'GC Lens (this checkout)', ruff: `Ruff ${collected.ruffVersion} (@astral-sh/ruff-wasm-nodejs)`, pylint: pylint.version },
    counts: { gclens: count('gclens'), ruff: count('ruff'), pylint: count('pylint') },
    overlaps: overlaps(sites),
    sites,
    disagreements: disagreements(sites, normalised.unparsable),
    pylintTrouble: normalised.unparsable,
    pylintSeconds: pylint.seconds,
    everyDefault: [...collected.facts].flatMap(([relative, facts]) =>
      [...facts.sites.values()].map((site) => ({ relative, line: site.line, column: site.column, parameter: site.parameterName, valueText: site.valueText }))),
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const figures = await compareMutableDefaults(options.corpus);
  console.log(formatComparisonText(figures));
  const probes = await compareMutableDefaults(PROBES);
  console.log(`\nProbe files (${PROBES}):\n${formatComparisonText(probes)}`);
  if (options.out) {
    const probeSection = [
      '## Probes: what each tool covers beyond the standard library',
      '',
      'The standard library has few mutable defaults of unusual shapes, so `bench/compare/probes/` holds one `def` per',
      'shape (constructors, aliases, nesting, parameter kinds, immutable look-alikes, a module that rebinds `list`).',
      'Every default in those files, and which tool flags it:',
      '',
      formatProbeMatrix(probes),
      '',
    ].join('\n');
    fs.writeFileSync(options.out, `${formatComparisonMarkdown(figures, 'npm run compare:b006')}\n${probeSection}`);
    console.log(`\nwrote ${path.relative(process.cwd(), options.out)}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`compare: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
