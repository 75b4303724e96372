// The report page as text: strict CSP with the caller's nonce, nothing remote, escaped labels, caps for long runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy, renderReportHtml } from '../../server/src/report/reportHtml';
import { buildReportModel, DEFAULT_REPORT_LIMITS } from '../../server/src/report/reportModel';
import { CYCLE_PROGRAM, simulateTraced } from './reportPrograms';

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
  const edge = (from: string, to: string) => model.edges.find((e) => e.from === from && e.to === to);
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
  assert.deepEqual(model.edges.find((edge) => edge.from === 'Box#1'), { from: 'Box#1', to: 'Box#1', label: "attribute 'me'", weak: false, cyclic: true });
  const html = renderReportHtml(result, { fileName: 'self.py', targetVersion: '3.12', nonce: NONCE });
  assert.match(html, /<g class="edge cycle" data-from="Box#1" data-to="Box#1"><path d="M[\d.]+,[\d.]+ C/, 'a curve, not a dagre route');
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
