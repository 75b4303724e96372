// The corpus reader and its normalization: manifest and headers agree, every oracle-sed line is read as GNU sed reads it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  CORPUS_COLUMNS, normalizeOutput, oracleSedExpressions, readExitCodes, readManifest, readRecorded, readSnippets, readTsv, readVersions, requireGcCorpus,
} from '../support/gcCorpus';
import { applySed, parseSedSubstitution } from '../support/gcCorpusSed';
import { findPyenvPython, runSnippetLive } from '../support/gcCorpusPython';

const root = requireGcCorpus();
const snippets = readSnippets(root);

/** GNU `sed -E` with run_oracle.sh's arguments for output recorded in `dir`: the reference the JS version must equal. */
function gnuSedNormalize(raw: string, dir: string, source: string): string {
  const args = ['-E', '-e', `s#${dir}/##g`, '-e', 's#/snip/##g', '-e', 's#File "[^"]*/lib/python[0-9.]+/#File "<stdlib>/#g', '-e', 's#0x[0-9a-fA-F]+#0xADDR#g'];
  for (const expr of oracleSedExpressions(source)) args.push('-e', expr);
  const run = spawnSync('sed', args, { input: raw, encoding: 'utf8' });
  if (run.error || run.status !== 0) throw new Error(`sed failed: ${run.error?.message ?? run.stderr}`);
  return run.stdout;
}

describe('the GC corpus as the conformance test reads it', () => {
  it('has a manifest row, a snippet file and a recorded output per column for every snippet', () => {
    assert.ok(snippets.length >= 90, `only ${snippets.length} snippets in ${root}`);
    const files = fs.readdirSync(path.join(root, 'snippets')).filter((name) => name.endsWith('.py')).sort();
    assert.deepEqual(snippets.map((snippet) => snippet.fileName).sort(), files);
    const versions = readVersions(root);
    for (const column of CORPUS_COLUMNS) {
      assert.match(versions.get(column) ?? '', /^CPython 3\.\d+\.\d+/, `versions.tsv names the interpreter of ${column}`);
      const codes = readExitCodes(root, column);
      for (const snippet of snippets) assert.ok(readRecorded(root, column, snippet.name, codes), `${column}/${snippet.name}.out and its exit code`);
    }
  });

  it('agrees with the headers (oracle_sed) and with simulator_notes.tsv (partial / no)', () => {
    for (const snippet of snippets) {
      assert.equal(snippet.oracleSed, snippet.oracleSeds.length > 0, `${snippet.name}: oracle_sed column vs header`);
      assert.equal(snippet.py27, /^# oracle: py27$/m.test(snippet.source), `${snippet.name}: py27 column vs header`);
    }
    const notes = readTsv(path.join(root, 'simulator_notes.tsv'));
    const manifest = new Map(readManifest(root).map((row) => [row.name, row]));
    for (const note of notes) assert.equal(manifest.get(note.name)?.simulatorTarget, note.simulator_target, note.name);
    const counts = { yes: 0, partial: 0, no: 0 };
    for (const row of manifest.values()) counts[row.simulatorTarget]++;
    assert.ok(counts.yes > 60 && counts.partial > 0 && counts.no > 0, JSON.stringify(counts));
  });

  it('parses every oracle-sed line and applies each to the kind of line it was written for', () => {
    const withSed = snippets.filter((snippet) => snippet.oracleSeds.length > 0);
    assert.ok(withSed.length >= 3);
    const samples: Record<string, [string, string]> = {
      seed000_d_get_objects_delta: ['Object count after:  31337\nNet increase:        5\n', 'Object count after: <N>\nNet increase:        5\n'],
      seed001_b_id_identity: ['140234567890\nTrue\n1234\n', '<id>\nTrue\n1234\n'],
      seed004_c_thresholds_counts: ['Counts: (512, 3, 0)\nThreshold: (700, 10, 10)\n', 'Counts: (<gen0>, <gen1>, <gen2>)\nThreshold: (700, 10, 10)\n'],
    };
    for (const snippet of withSed) {
      const sample = samples[snippet.name];
      assert.ok(sample, `a sample line for ${snippet.name}'s oracle-sed`);
      assert.equal(applySed(sample[0], snippet.oracleSeds), sample[1], snippet.name);
    }
  });

  it('applies the always-on normalization as run_oracle.sh does', () => {
    const plain = { oracleSeds: [] };
    const raw = [
      'Traceback (most recent call last):',
      '  File "/tmp/x/snippets/a.py", line 3, in <module>',
      '  File "/root/.pyenv/versions/3.12.1/lib/python3.12/weakref.py", line 9, in f',
      '  File "/snip/a.py", line 4, in <module>',
      '<__main__.Node object at 0x7f3a2b1c0d90> <cell at 0xDEADbeef: list object at 0x1>',
      'no newline at the end',
    ].join('\n');
    assert.equal(normalizeOutput(raw, plain, ['/tmp/x/snippets']), [
      'Traceback (most recent call last):',
      '  File "a.py", line 3, in <module>',
      '  File "<stdlib>/weakref.py", line 9, in f',
      '  File "a.py", line 4, in <module>',
      '<__main__.Node object at 0xADDR> <cell at 0xADDR: list object at 0xADDR>',
      'no newline at the end',
    ].join('\n'));
    // Applied once only: the placeholder itself reads as a hex number.
    assert.equal(normalizeOutput('0xADDR\n', plain), '0xADDRR\n');
  });

  it('refuses sed it does not implement instead of misreading it', () => {
    for (const expr of ['y/abc/xyz/', 's/a/b/p', 's/\\<word\\>/x/', 's/(a)\\1/x/', 's/a/\\2/', 's/[[:nope:]]/x/', 's/a/b']) {
      assert.throws(() => parseSedSubstitution(expr), Error, expr);
    }
    const posix = parseSedSubstitution('s/[[:digit:]]+ ([[:alpha:]]+)/<\\1> & \\&/g');
    assert.equal(applySed('12 ab, 3 c\n', [posix]), '<ab> 12 ab &, <c> 3 c &\n');
  });

  const python = ['3.13', '3.12', '3.11', '3.10', '3.9', '3.8'].map((version) => ({ version, binary: findPyenvPython(version) })).find((entry) => entry.binary);
  it(`normalizes live CPython output exactly as GNU sed -E does and as recorded (${python ? `CPython ${python.version}` : 'no pyenv CPython 3.8-3.13 installed: live part not run'})`, (t) => {
    if (!python?.binary) {
      t.diagnostic('no pyenv CPython 3.8-3.13 installed: the live normalization comparison did not run');
      return;
    }
    const chosen = snippets.filter((snippet) => snippet.oracleSeds.length > 0 || ['fin_del_exception', 'seed003_05_disable_then_referents', 'wr_basic_ref', 'seed002_i_full_snippet'].includes(snippet.name));
    const column = python.version as (typeof CORPUS_COLUMNS)[number];
    const codes = readExitCodes(root, column);
    for (const snippet of chosen) {
      const live = runSnippetLive(python.binary, snippet);
      assert.equal(live.output, gnuSedNormalize(live.raw, live.dir, snippet.source), `${snippet.name}: JS normalization vs GNU sed`);
      const recorded = readRecorded(root, column, snippet.name, codes);
      assert.deepEqual({ output: live.output, exitCode: live.exitCode }, recorded, `${snippet.name}: live CPython ${python.version} vs recorded`);
    }
  });
});
