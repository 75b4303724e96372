// Smoke test of `npm run bench`: on a tiny corpus every row gets figures and each engine sees the same findings.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BenchFigures } from '../../bench/report';
import { ensureBuilt, REPO_ROOT } from '../support/ensureBuilt';

const FILES: Record<string, string> = {
  'shop.py': [
    'import collections as c',
    '',
    'def add(item, basket=[]):',
    '    basket.append(item)',
    '    return basket',
    '',
    'def tally(words, counts=c.defaultdict(int)):',
    '    for word in words:',
    '        counts[word] += 1',
    '    return counts',
    '',
  ].join('\n'),
  'pkg/clean.py': 'def f(x=None, y=(1, 2), z="s"):\n    return x, y, z\n',
  'pkg/big.py': Array.from({ length: 300 }, (_, i) => `def f${i}(a, b=${i}):\n    return a + b\n`).join(''),
};

let corpus = '';
let jsonOut = '';
let run: ReturnType<typeof spawnSync>;

before(() => {
  corpus = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-bench-'));
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(corpus, name)), { recursive: true });
    fs.writeFileSync(path.join(corpus, name), text);
  }
  jsonOut = path.join(corpus, 'figures.json');
  ensureBuilt();
  run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/bench.ts', '--corpus', corpus, '--quick', '--edits', '6', '--json', jsonOut], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 240_000,
  });
});

after(() => fs.rmSync(corpus, { recursive: true, force: true }));

describe('npm run bench on a tiny corpus', () => {
  it('exits 0 and prints the table with its goals', () => {
    assert.equal(run.status, 0, String(run.stderr));
    const stdout = String(run.stdout);
    assert.match(stdout, /3 files, 612 lines/);
    assert.match(stdout, /\(a\) read \+ parse, native/);
    assert.match(stdout, /goal: ≤ Ruff-wasm whole-process B006 wall/);
    assert.match(stdout, /goal: p95 ≤ 20 ms/);
  });

  it('measures every row and finds the same two defaults in every engine', () => {
    const figures = JSON.parse(fs.readFileSync(jsonOut, 'utf8')) as BenchFigures;
    assert.equal(figures.files, 3);
    for (const row of figures.rows) {
      assert.ok(row.cost, `${row.label}: ${row.missing ?? 'no cost'}`);
      assert.ok(row.cost.wallMs > 0 && row.cost.cpuMs > 0 && row.cost.peakRssMb > 0, `${row.label} has real figures`);
    }
    const note = (label: string): string | undefined => figures.rows.find((row) => row.label.startsWith(label))?.note;
    assert.equal(note('(c) parse + engine, native'), '2 findings');
    assert.equal(note('(c) parse + engine, wasm'), '2 findings');
    // Ruff needs the import it can see: `c.defaultdict` through `import collections as c` is B006 for Ruff too.
    assert.equal(note('Ruff-wasm B006, in-process'), '2 findings');
    assert.match(note('(b) parse + JS walk, native') ?? '', /^[\d,]+ nodes$/);
    assert.equal(note('(b) parse + JS walk, native'), note('(b) parse + JS walk, wasm'));
  });

  it('times edits in-process and through the real server on the largest file', () => {
    const figures = JSON.parse(fs.readFileSync(jsonOut, 'utf8')) as BenchFigures;
    assert.deepEqual(figures.editLatency.map((entry) => [entry.model, entry.file, entry.edits]), [['typing', 'pkg/big.py', 6], ['random-offset', 'pkg/big.py', 6]]);
    assert.ok(figures.editLatency[0].findingsP95Ms >= figures.editLatency[0].reparseP50Ms);
    assert.ok(figures.lsp, figures.lspMissing);
    assert.equal(figures.lsp.files[0].file, 'pkg/big.py');
    assert.equal(figures.lsp.files[0].diagnostics, 0);
    assert.ok(figures.lsp.files[0].p95Ms > 0);
  });
});
