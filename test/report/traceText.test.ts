// The trace text: one readable line per event of a real traced simulation, a header, and a cap for long runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatEvent, formatTraceText } from '../../server/src/report/traceText';
import { CYCLE_PROGRAM, simulateTraced } from './reportPrograms';

test('a cycle run: allocations, refcounts with holders, the collection, finalizers, the callback and output, in order', async () => {
  const result = await simulateTraced(CYCLE_PROGRAM);
  const lines = formatTraceText(result, { fileName: 'cycle.py', targetVersion: '3.12' }).split('\n');
  assert.equal(lines[0], '# GC Lens trace: cycle.py, simulated CPython 3.12');
  assert.equal(lines[1], '# run: ran to the end; exit status 0');
  assert.equal(lines[3], '# cyclic garbage: Node#1, Node#2');
  assert.ok(lines.every((line) => line === '' || line.startsWith('#') || /^step \d+ +line \d+ +\S/.test(line)), 'every event line opens with step and line');
  const index = (pattern: RegExp): number => {
    const at = lines.findIndex((line) => pattern.test(line));
    assert.ok(at >= 0, `a line matching ${pattern}`);
    return at;
  };
  const order = [
    /^step \d+ +line 10 +allocate +Node#1$/,
    /^step \d+ +line 13 +incref +Node#1 +→ 2 +\(/,
    /^step \d+ +line 16 +collect +generation 2 +counts \d+ 0 0$/,
    /^step \d+ +line 16 +callback +ReferenceType#1$/,
    /^step \d+ +line 14 +stdout +"callback"$/,
    /^step \d+ +line 16 +finalizer +Node#1$/,
    /^step \d+ +line 8 +stdout +"del a"$/,
    /^step \d+ +line 16 +free +Node#1$/,
    /^step \d+ +line 16 +collected generation 2 +collected 2 +uncollectable 0$/,
    /^step \d+ +line 16 +stdout +"collected 2"$/,
  ].map(index);
  assert.deepEqual(order, [...order].sort((a, b) => a - b), 'events appear in the order they happened');
  assert.ok(!lines.some((line) => /^step \d+ +line 0 /.test(line)), 'start-up events are left out');
  assert.match(lines.find((line) => /start-up/.test(line)) ?? '', /^# \d+ events of the interpreter's start-up \(line 0\) not shown$/);
});

test('a long run is capped and says how much it left out; an unsupported construct is named', async () => {
  const result = await simulateTraced('xs = []\nfor i in range(300):\n    xs.append([i])\nasync def f():\n    pass\n');
  const text = formatTraceText(result, { fileName: 'loop.py', targetVersion: '3.13', maxLines: 100 });
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.filter((line) => line.startsWith('step ')).length, 100);
  assert.match(lines[lines.length - 2], /^# … \d+ more events not shown \(the trace stops after 100 lines\)$/);
  assert.match(lines[lines.length - 1], /^# stopped: stopped at line 4: unsupported construct `async def/);
});

test('multi-line output becomes one line per printed line, JSON-escaped', () => {
  assert.deepEqual(formatEvent({ kind: 'output', step: 3, line: 2, stream: 'stderr', text: 'a\tb\n"c"\n' }), [
    'step 3     line 2    stderr    "a\\tb"',
    'step 3     line 2    stderr    "\\"c\\""',
  ]);
  assert.deepEqual(formatEvent({ kind: 'unsupported', step: 1234567890, line: 12345678, construct: 'yield from' }), ['step 1234567890 line 12345678 unsupported "yield from"']);
});

test('holder labels name the store, deletion or deallocation that takes or drops each reference, and never stick to what comes next', async () => {
  const source = [
    'class Node:',
    '    def __del__(self):',
    '        print("del")',
    'a = Node()',
    'b = Node()',
    'a.next, t = b, [1]',
    'del t',
    'b.items = [a]',
    'b.items[0] = Node()',
    'b.items = None',
    '',
  ].join('\n');
  const result = await simulateTraced(source, '3.12', 'labels.py');
  const counted = (line: number): string[] =>
    [...result.events].flatMap((event) => ((event.kind === 'incref' || event.kind === 'decref') && event.line === line ? [`${event.kind} ${event.object} ${event.holder}`] : []));
  // Loading `a` to store into it is the evaluation's; it was labelled with the attribute stored just before.
  assert.deepEqual(counted(6).slice(-2), ['incref Node#1 temporary', 'decref Node#1 temporary']);
  assert.deepEqual(counted(7), ["decref list#1 global 't'"], 'del t drops the name\'s reference');
  assert.deepEqual(counted(8), ['incref Node#1 temporary', 'incref Node#2 temporary', 'decref Node#2 temporary']);
  // The item store drops the replaced item; the list loaded to store into is a temporary again.
  assert.deepEqual(counted(9).slice(-2), ['decref Node#1 item of list#2', 'decref list#2 temporary']);
  // Dropping the list frees it and its item, whose __del__ runs: the method call's references are not the list's.
  const line10 = counted(10);
  assert.deepEqual(line10.slice(0, 4), ['incref Node#2 temporary', "decref list#2 attribute 'items' of Node#2", 'decref Node#3 field of list#2', 'incref Node.__del__#1 temporary']);
  // At exit, module teardown releases the globals by name.
  assert.ok(line10.includes("decref Node#1 global 'a'") && line10.includes("decref Node#2 global 'b'"), line10.join(' | '));
});
