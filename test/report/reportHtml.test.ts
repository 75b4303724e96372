// The report page as text: strict CSP with the caller's nonce, nothing remote, escaped labels, caps for long runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy, renderReportHtml } from '../../server/src/report/reportHtml';
import { buildReportModel, DEFAULT_REPORT_LIMITS } from '../../server/src/report/reportModel';
import type { ReportEdge } from '../../server/src/report/reportModel';
import { CYCLE_PROGRAM, simulateTraced } from './reportPrograms';

function withoutToggles(edge: ReportEdge | undefined): Omit<ReportEdge, 'toggles'> | undefined {
  if (!edge) return undefined;
  const { toggles: _toggles, ...rest } = edge;
  return rest;
}

const NONCE = 'bm9uY2UtZm9yLXRlc3Rz';

/** The page's embedded model, parsed back. */
function embeddedData(html: string): { nodes: { id: string; kind: string }[]; positions: unknown[]; source: Record<string, string> } {
  const match = /<script type="application\/json" id="gclens-report-data">([^<]*)<\/script>/.exec(html);
  assert.ok(match, 'the page embeds its data');
  return JSON.parse(match[1]) as ReturnType<typeof embeddedData>;
}

test('one page: strict CSP with the nonce on its one style and one script, no remote resource', async () => {
  const result = await simulateTraced(CYCLE_PROGRAM);
  const html = renderReportHtml(result, { fileName: 'cycle.py', targetVersion: '3.12', source: CYCLE_PROGRAM, nonce: NONCE, cspSource: 'https://webview.example' });
  assert.ok(html.includes(`content="${contentSecurityPolicy(NONCE, 'https://webview.example').replace(/'/g, '&#39;')}"`));
  assert.match(contentSecurityPolicy(NONCE), /^default-src 'none'; img-src data:; style-src 'nonce-bm9uY2UtZm9yLXRlc3Rz'; script-src 'nonce-bm9uY2UtZm9yLXRlc3Rz';/);
  assert.equal(html.match(/<style nonce="bm9uY2UtZm9yLXRlc3Rz">/g)?.length, 1);
  assert.equal(html.match(/<script nonce="bm9uY2UtZm9yLXRlc3Rz">/g)?.length, 1);
  assert.equal(html.match(/<script/g)?.length, 2, 'the script and the JSON data block, nothing else');
  assert.equal(html.match(/<style/g)?.length, 1);
  assert.ok(!/\sstyle="/.test(html), 'no inline style attributes (the CSP would block them)');
  const withoutCsp = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  const urls = [...withoutCsp.matchAll(/(?:https?:)?\/\/[\w.-]+\.[a-z]{2,}[^\s"')]*/g)].map((m) => m[0]);
  assert.deepEqual([...new Set(urls)], ['http://www.w3.org/2000/svg'], 'only the SVG namespace, which is not fetched');
  const data = embeddedData(html);
  assert.deepEqual(data.nodes.filter((n) => n.kind === 'object').map((n) => n.id).sort(), ['<lambda>#1', 'Node#1', 'Node#2', 'ReferenceType#1', 'class Node#1', 'module#2', 'module#3']);
  assert.equal(data.source['16'], 'print("collected", gc.collect())');
  assert.ok(html.includes('data-node="&lt;lambda&gt;#1"'), 'labels are escaped in the SVG');
  assert.ok(!html.includes('<lambda>'), 'no raw label anywhere (the JSON escapes < too)');
});

test('the model: the cycle, the holders as edge labels, the weak reference, the callback held strongly', async () => {
  const model = buildReportModel(await simulateTraced(CYCLE_PROGRAM));
  assert.deepEqual(model.cycles, [['Node#1', 'Node#2']]);
  // When each edge exists (its toggles) has a test of its own below.
  const edge = (from: string, to: string) => withoutToggles(model.edges.find((e) => e.from === from && e.to === to));
  assert.deepEqual(edge('Node#1', 'Node#2'), { from: 'Node#1', to: 'Node#2', label: "attribute 'next'", weak: false, cyclic: true });
  assert.deepEqual(edge('ReferenceType#1', 'Node#1'), { from: 'ReferenceType#1', to: 'Node#1', label: 'weak reference', weak: true, cyclic: false });
  assert.deepEqual(edge('ReferenceType#1', '<lambda>#1'), { from: 'ReferenceType#1', to: '<lambda>#1', label: '__callback__', weak: false, cyclic: false });
  assert.deepEqual(edge("global 'a'", 'Node#1'), { from: "global 'a'", to: 'Node#1', label: '', weak: false, cyclic: false });
  assert.deepEqual(model.omissions, []);
  const steps = model.positions.map((p) => p.step);
  assert.deepEqual(steps, [...new Set(steps)].sort((a, b) => a - b), 'one position per step, in order');
});

test('a long loop is capped: bounded page, and the page says what it left out', async () => {
  const source = 'class Box:\n    pass\nboxes = []\nfor i in range(5000):\n    b = Box()\n    b.me = b\n    boxes.append(b)\n    print(i)\n';
  const result = await simulateTraced(source, '3.12', 'loop.py');
  assert.ok(result.events.length > 50_000, `a long trace (${result.events.length} events)`);
  const html = renderReportHtml(result, { fileName: 'loop.py', targetVersion: '3.12', source, nonce: NONCE });
  assert.ok(html.length < 2_000_000, `page of ${html.length} bytes`);
  const data = embeddedData(html);
  assert.equal(data.nodes.filter((n) => n.kind === 'object').length, DEFAULT_REPORT_LIMITS.maxNodes);
  assert.match(html, /The graph shows the first 120 of \d+ objects/);
  assert.ok(data.positions.length <= DEFAULT_REPORT_LIMITS.maxPositions);
  const small = renderReportHtml(result, { fileName: 'loop.py', targetVersion: '3.12', nonce: NONCE, limits: { maxNodes: 5, maxEdges: 400, maxPositions: 50, maxEventsPerPosition: 2, maxOutputChars: 10 } });
  assert.match(small, /The timeline shows the first 50 steps that changed the graph/);
  assert.match(small, /The output shows its first 10 characters\./);
});

test('a run without snapshots or events still renders, and says why the graph is empty', async () => {
  const result = await simulateTraced('def broken(:\n', '3.12', 'bad.py');
  const html = renderReportHtml(result, { fileName: 'bad.py', targetVersion: '3.12', nonce: NONCE });
  assert.match(html, /syntax error at line 1/);
  assert.match(html, /No objects to show/);
  assert.match(html, /The run recorded no events/);
  assert.deepEqual(embeddedData(html).positions, []);
});

test('an object that refers to itself is a cycle of one, drawn as a loop over its box', async () => {
  const source = 'class Box:\n    pass\nb = Box()\nb.me = b\n';
  const result = await simulateTraced(source, '3.12', 'self.py');
  const model = buildReportModel(result);
  assert.deepEqual(model.cycles, [['Box#1']]);
  assert.deepEqual(withoutToggles(model.edges.find((edge) => edge.from === 'Box#1')), { from: 'Box#1', to: 'Box#1', label: "attribute 'me'", weak: false, cyclic: true });
  const html = renderReportHtml(result, { fileName: 'self.py', targetVersion: '3.12', nonce: NONCE });
  assert.match(html, /<g class="edge cycle" data-edge-index="\d+" data-from="Box#1" data-to="Box#1"><path d="M[\d.]+,[\d.]+ C/, 'a curve, not a dagre route');
  assert.match(html, /viewBox="0 -30 /, 'room above the top box for its loop');
  assert.match(html, /1 reference cycle: Box#1</);
});

test('many references between the same two objects are one edge, so the layout stays small', async () => {
  const source = 'class Box:\n    pass\nb = Box()\nxs = [b] * 500\n';
  const model = buildReportModel(await simulateTraced(source, '3.12', 'many.py'));
  const between = model.edges.filter((edge) => edge.to === 'Box#1' && edge.from.startsWith('list#'));
  assert.deepEqual(between.map((edge) => edge.label), ['item 0, item 1, … (500 references)']);
  const capped = buildReportModel(await simulateTraced(source, '3.12', 'many.py'), { ...DEFAULT_REPORT_LIMITS, maxEdges: 2 });
  assert.equal(capped.edges.length, 2);
  assert.match(capped.omissions.join(' '), /The graph shows the first 2 of \d+ references\./);
});

test('each edge says when it exists: references appear when stored and go when dropped, from the heap timeline', async () => {
  const result = await simulateTraced(CYCLE_PROGRAM);
  assert.ok(result.heapTimeline && result.heapTimeline.length >= result.snapshots.length, 'a full trace keeps every snapshot in order');
  const model = buildReportModel(result);
  const edge = (from: string, to: string): { toggles: readonly number[] } => model.edges.find((e) => e.from === from && e.to === to)!;
  const lineAt = (position: number): number => model.positions[position].line;
  // `a.next = b` (line 12) and `b.next = a` (line 13) store the cycle's references: absent before, present from there.
  assert.deepEqual(edge('Node#1', 'Node#2').toggles.map(lineAt), [12]);
  assert.deepEqual(edge('Node#2', 'Node#1').toggles.map(lineAt), [13]);
  // `a = Node("a")` binds the name after __init__'s last event (line 6; a binding has no event, so no position of its
  // own); `del a, b` (line 15) drops the names: the global edges go away there.
  assert.deepEqual(edge("global 'a'", 'Node#1').toggles.map(lineAt), [6, 15]);
  // The weak reference is there from line 14 until the collection clears it (seen from Node#1's __del__, line 8).
  assert.deepEqual(edge('ReferenceType#1', 'Node#1').toggles.map(lineAt), [14, 8]);
  const html = renderReportHtml(result, { fileName: 'cycle.py', targetVersion: '3.12', source: CYCLE_PROGRAM, nonce: 'dGVzdC1ub25jZQ' });
  assert.match(html, /<g class="edge cycle" data-edge-index="\d+" data-from="Node#1" data-to="Node#2">/);
  assert.match(html, /"edges":\[\{"from":"global 'gc'","to":"module#2","toggles":\[0\]\}/);
});

test('a run without a heap timeline (a result from before it existed) shows every edge from the first position', async () => {
  const { heapTimeline: _dropped, ...result } = await simulateTraced(CYCLE_PROGRAM);
  const model = buildReportModel(result);
  assert.ok(model.edges.length > 5);
  assert.ok(model.edges.every((edge) => edge.toggles.length === 1 && edge.toggles[0] === 0));
});

test('a file with lone \\r line ends shows each step\'s own line, as the \\n file does', async () => {
  const crProgram = CYCLE_PROGRAM.replace(/\n/g, '\r');
  const html = renderReportHtml(await simulateTraced(crProgram), { fileName: 'cycle.py', targetVersion: '3.12', source: crProgram, nonce: NONCE });
  const lf = embeddedData(renderReportHtml(await simulateTraced(CYCLE_PROGRAM), { fileName: 'cycle.py', targetVersion: '3.12', source: CYCLE_PROGRAM, nonce: NONCE }));
  assert.equal(embeddedData(html).source['16'], 'print("collected", gc.collect())');
  assert.deepEqual(embeddedData(html).source, lf.source);
});
