// Tokenizes a real simulation trace with the `gclens-trace` TextMate grammar and checks each token's scope.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type * as textmate from 'vscode-textmate';
import { formatTraceText } from '../../server/src/report/traceText';
import { CYCLE_PROGRAM, simulateTraced } from '../report/reportPrograms';
import { loadGrammar, scopesAt, SYNTAXES } from './textmateHarness';

const GRAMMAR = path.join(SYNTAXES, 'gclens-trace.tmLanguage.json');
let grammar: textmate.IGrammar;
let lines: string[];

before(async () => {
  grammar = await loadGrammar('source.gclens-trace', { 'source.gclens-trace': GRAMMAR });
  const result = await simulateTraced(CYCLE_PROGRAM);
  lines = formatTraceText(result, { fileName: 'cycle.py', targetVersion: '3.12' }).split('\n');
});

function lineWith(pattern: RegExp): string {
  const line = lines.find((l) => pattern.test(l));
  assert.ok(line, `a trace line matching ${pattern}`);
  return line;
}

/** The scope of the token at `fragment` that ends with `.gclens-trace` (the grammar's own), or the full list. */
function scopeOf(line: string, fragment: string, from = 0): string {
  const scopes = scopesAt(grammar, line, fragment, from);
  return scopes[scopes.length - 1];
}

test('the header is a comment', () => {
  assert.equal(scopeOf(lines[0], 'GC Lens trace'), 'comment.line.number-sign.gclens-trace');
  assert.equal(scopeOf(lines[1], 'run:'), 'comment.line.number-sign.gclens-trace');
});

test('an incref line: step, line, event, object, new refcount and holder each have their scope', () => {
  const line = lineWith(/incref +Node#1 +→ 2 +\([^)]+\)$/);
  const holder = /\(([^)]+)\)$/.exec(line)![1];
  assert.equal(scopeOf(line, 'step'), 'keyword.other.step.gclens-trace');
  assert.equal(scopeOf(line, line.match(/\d+/)![0]), 'constant.numeric.step.gclens-trace');
  assert.equal(scopeOf(line, 'line'), 'keyword.other.line.gclens-trace');
  assert.equal(scopeOf(line, 'incref'), 'markup.inserted.incref.gclens-trace');
  assert.equal(scopeOf(line, 'Node'), 'entity.name.type.object.gclens-trace');
  assert.equal(scopeOf(line, '#'), 'punctuation.separator.ordinal.gclens-trace');
  assert.equal(scopeOf(line, '→'), 'keyword.operator.arrow.gclens-trace');
  assert.equal(scopeOf(line, '2', line.indexOf('→')), 'constant.numeric.refcount.gclens-trace');
  assert.equal(scopeOf(line, holder), 'variable.other.holder.gclens-trace');
  assert.equal(scopeOf(line, '('), 'punctuation.definition.holder.begin.gclens-trace');
});

test('decref, allocate and free are told apart', () => {
  assert.equal(scopeOf(lineWith(/decref +Node#/), 'decref'), 'markup.deleted.decref.gclens-trace');
  assert.equal(scopeOf(lineWith(/allocate +Node#1$/), 'allocate'), 'storage.type.allocate.gclens-trace');
  const free = lineWith(/free +Node#1$/);
  assert.equal(scopeOf(free, 'free'), 'keyword.control.free.gclens-trace');
  assert.equal(scopeOf(free, 'Node#1'), 'entity.name.type.object.gclens-trace');
});

test('collections show generation, counts and how many they collected', () => {
  const start = lineWith(/collect +generation 2 +counts/);
  assert.equal(scopeOf(start, 'collect'), 'keyword.control.collection.gclens-trace');
  assert.equal(scopeOf(start, 'generation'), 'keyword.other.field.gclens-trace');
  assert.equal(scopeOf(start, ' 2', start.indexOf('generation')), 'constant.numeric.gclens-trace');
  const end = lineWith(/collected generation 2 +collected 2 +uncollectable 0$/);
  assert.equal(scopeOf(end, 'collected'), 'keyword.control.collection.gclens-trace');
  assert.equal(scopeOf(end, 'uncollectable'), 'keyword.other.field.gclens-trace');
});

test('finalizers, weakref callbacks and program output', () => {
  assert.equal(scopeOf(lineWith(/finalizer +Node#1$/), 'finalizer'), 'entity.name.function.finalizer.gclens-trace');
  const callback = lineWith(/callback +ReferenceType#1$/);
  assert.equal(scopeOf(callback, 'callback'), 'support.function.weakref-callback.gclens-trace');
  assert.equal(scopeOf(callback, 'ReferenceType'), 'entity.name.type.object.gclens-trace');
  const output = lineWith(/stdout +"collected 2"$/);
  assert.equal(scopeOf(output, 'stdout'), 'keyword.other.stdout.gclens-trace');
  assert.equal(scopeOf(output, 'collected 2'), 'string.quoted.double.output.gclens-trace');
  assert.equal(scopeOf(output, '"'), 'punctuation.definition.string.begin.gclens-trace');
});

test('an escape in output and an unsupported construct', () => {
  const line = 'step 3     line 2    stdout    "tab\\there"';
  assert.equal(scopeOf(line, '\\t'), 'constant.character.escape.gclens-trace');
  assert.equal(scopeOf(line, 'tab'), 'string.quoted.double.output.gclens-trace');
  const unsupported = 'step 9     line 4    unsupported "yield from"';
  assert.equal(scopeOf(unsupported, 'unsupported'), 'invalid.illegal.unsupported.gclens-trace');
  assert.equal(scopeOf(unsupported, 'yield'), 'string.quoted.double.output.gclens-trace');
});

test('words of an event name inside output or holders are not events', () => {
  const line = 'step 3     line 2    stdout    "free incref"';
  assert.equal(scopeOf(line, 'free'), 'string.quoted.double.output.gclens-trace');
  const holder = lineWith(/decref .*\(field of /);
  assert.equal(scopeOf(holder, 'field of'), 'variable.other.holder.gclens-trace');
});

test('the grammar file is registered as the gclens-trace language in package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(SYNTAXES, '..', 'package.json'), 'utf8')) as {
    contributes: { languages: { id: string; extensions?: string[] }[]; grammars: { language?: string; scopeName: string; path: string }[] };
  };
  assert.ok(pkg.contributes.languages.some((language) => language.id === 'gclens-trace'));
  const entry = pkg.contributes.grammars.find((g) => g.language === 'gclens-trace');
  assert.deepEqual(entry && { scopeName: entry.scopeName, path: entry.path }, { scopeName: 'source.gclens-trace', path: './syntaxes/gclens-trace.tmLanguage.json' });
});
