// Renders the simulation report: one self-contained HTML page (inline SVG graph, slider script, strict CSP).
import type { SimulationResult, TargetVersion } from '../simulator/simulatorTypes';
import { describeEnd } from './describeEnd';
import { layoutGraph, type GraphLayout, type PlacedEdge, type PlacedNode } from './graphLayout';
import { buildReportModel, DEFAULT_REPORT_LIMITS, type ReportEdge, type ReportLimits, type ReportModel, type ReportNode } from './reportModel';
import { REPORT_SCRIPT } from './reportScript';
import { REPORT_STYLE } from './reportStyle';

export interface ReportOptions {
  readonly fileName: string;
  readonly targetVersion: TargetVersion;
  /** The simulated source, to show each step's line. */
  readonly source?: string;
  /** The CSP nonce for the page's one style and one script: the caller makes a fresh random one per page. */
  readonly nonce: string;
  /** A webview's `cspSource`, allowed for styles and images (nothing is loaded from it today). */
  readonly cspSource?: string;
  readonly limits?: ReportLimits;
}

const MAX_SOURCE_LINE = 200;
const MAX_CYCLES_LISTED = 5;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside a <script> element: no `<` (so no `</script>`), no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const round = (n: number): string => String(Math.round(n * 10) / 10);

function edgePath(placed: PlacedEdge): string {
  return placed.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ');
}

function edgeClass(edge: ReportEdge): string {
  return edge.weak ? 'weak' : edge.cyclic ? 'cycle' : 'plain';
}

function renderNode(node: ReportNode, index: number, layout: GraphLayout): string {
  const placed = layout.nodes[index];
  const x = round(placed.x - placed.width / 2);
  const y = round(placed.y - placed.height / 2);
  const box = `<rect x="${x}" y="${y}" width="${placed.width}" height="${placed.height}" rx="${node.kind === 'name' ? 13 : 5}"/>`;
  if (node.kind === 'name') {
    return `<g class="node name" data-node="${escapeHtml(node.id)}">${box}<text x="${round(placed.x)}" y="${round(placed.y + 4)}" text-anchor="middle">${escapeHtml(node.id)}</text></g>`;
  }
  const classes = ['node', 'object', node.cycle === null ? '' : 'cycle', 'unborn'].filter(Boolean).join(' ');
  const title = `${node.id}: ${node.typeName}, allocated at line ${node.allocatedAt}${node.cycle === null ? '' : ', in a reference cycle'}`;
  return (
    `<g class="${classes}" data-node="${escapeHtml(node.id)}" data-node-index="${index}"${node.cycle === null ? '' : ` data-cycle="${node.cycle}"`}>` +
    `<title>${escapeHtml(title)}</title>${box}` +
    `<text class="node-label" x="${round(placed.x)}" y="${round(placed.y - 5)}" text-anchor="middle">${escapeHtml(node.id)}</text>` +
    `<text class="node-rc" x="${round(placed.x)}" y="${round(placed.y + 12)}" text-anchor="middle">not yet allocated</text></g>`
  );
}

/** A reference from an object to itself: a loop over the box's top-right corner, its label beside it. */
function selfLoop(node: PlacedNode): { path: string; label: string } {
  const right = node.x + node.width / 2;
  const top = node.y - node.height / 2;
  return {
    path: `M${round(right - 16)},${round(top)} C${round(right - 12)},${round(top - 30)} ${round(right + 30)},${round(top - 10)} ${round(right)},${round(top + 12)}`,
    label: `x="${round(right + 14)}" y="${round(top - 12)}" text-anchor="start"`,
  };
}

function renderEdge(edge: ReportEdge, index: number, layout: GraphLayout, nodeIndex: ReadonlyMap<string, number>): string {
  const placed = layout.edges[index];
  const kind = edgeClass(edge);
  const loop = edge.from === edge.to ? selfLoop(layout.nodes[nodeIndex.get(edge.from)!]) : null;
  const labelAt = loop ? loop.label : placed.label ? `x="${round(placed.label.x)}" y="${round(placed.label.y + 4)}" text-anchor="middle"` : null;
  const label = labelAt && edge.label ? `<text ${labelAt}>${escapeHtml(edge.label)}</text>` : '';
  return (
    `<g class="edge ${kind === 'plain' ? '' : kind}" data-edge-index="${index}" data-from="${escapeHtml(edge.from)}" data-to="${escapeHtml(edge.to)}">` +
    `<path d="${loop ? loop.path : edgePath(placed)}" marker-end="url(#arrow-${kind})"/>${label}</g>`
  );
}

function renderGraph(model: ReportModel): string {
  if (model.nodes.length === 0) return '<p class="empty">No objects to show: the simulation recorded no heap snapshots.</p>';
  const layout = layoutGraph(model.nodes, model.edges);
  const nodeIndex = new Map(model.nodes.map((node, i) => [node.id, i] as const));
  const marker = (kind: string): string =>
    `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrowhead ${kind}" d="M0,0 L10,5 L0,10 z"/></marker>`;
  // Self-loops are drawn over the boxes' top-right corners, outside dagre's box: room for them and their labels.
  const loops = model.edges.some((edge) => edge.from === edge.to);
  const top = loops ? 30 : 0;
  const width = layout.width + (loops ? 140 : 0);
  const height = layout.height + top;
  return (
    `<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 ${-top} ${width} ${height}" role="img" aria-label="Object graph">` +
    `<defs>${['plain', 'cycle', 'weak'].map(marker).join('')}</defs>` +
    `<g class="edges">${model.edges.map((edge, i) => renderEdge(edge, i, layout, nodeIndex)).join('')}</g>` +
    `<g class="nodes">${model.nodes.map((node, i) => renderNode(node, i, layout)).join('')}</g></svg>`
  );
}

function summaryItems(result: SimulationResult): string {
  const s = result.summary;
  const list = (labels: readonly string[]): string => (labels.length === 0 ? 'none' : escapeHtml(labels.slice(0, 12).join(', ') + (labels.length > 12 ? `, … ${labels.length - 12} more` : '')));
  return [
    `<li><b>steps</b> ${s.steps.toLocaleString('en-US')}</li>`,
    `<li><b>objects allocated</b> ${s.objectsAllocated.toLocaleString('en-US')}</li>`,
    `<li><b>collections</b> ${s.collections}</li>`,
    `<li><b>cyclic garbage</b> ${list(s.cyclicGarbage)}</li>`,
    `<li><b>left at exit</b> ${list(s.leakedAtExit)}</li>`,
  ].join('');
}

/** The source lines the timeline's positions point at, so the page can show each step's code. */
function sourceLines(model: ReportModel, source: string | undefined): Record<string, string> {
  if (source === undefined) return {};
  const lines = source.split(/\r\n|\r|\n/);
  const out: Record<string, string> = {};
  for (const position of model.positions) {
    const text = lines[position.line - 1];
    if (text !== undefined) out[String(position.line)] = text.length > MAX_SOURCE_LINE ? `${text.slice(0, MAX_SOURCE_LINE)}…` : text;
  }
  return out;
}

export function contentSecurityPolicy(nonce: string, cspSource?: string): string {
  const extra = cspSource ? ` ${cspSource}` : '';
  return `default-src 'none'; img-src data:${extra}; style-src 'nonce-${nonce}'${extra}; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`;
}

/** The whole report page for a traced run (an untraced one renders with an empty graph and timeline). */
export function renderReportHtml(result: SimulationResult, options: ReportOptions): string {
  const nonce = options.nonce;
  const model = buildReportModel(result, options.limits ?? DEFAULT_REPORT_LIMITS);
  const data = {
    nodes: model.nodes.map((node) => ({ id: node.id, kind: node.kind })),
    edges: model.edges.map((edge) => ({ from: edge.from, to: edge.to, toggles: edge.toggles })),
    positions: model.positions,
    source: sourceLines(model, options.source),
  };
  const last = Math.max(0, model.positions.length - 1);
  // A long absolute path would crowd the heading: the name there, the full path on the line below.
  const shortName = options.fileName.split(/[\\/]/).pop() || options.fileName;
  const title = `GC Lens simulation: ${shortName}`;
  const listed = model.cycles.slice(0, MAX_CYCLES_LISTED).map((c) => c.join(' ⇄ ')).join('; ');
  const more = model.cycles.length > MAX_CYCLES_LISTED ? `; … ${model.cycles.length - MAX_CYCLES_LISTED} more` : '';
  const cycles = model.cycles.length === 0 ? 'no reference cycles' : `${model.cycles.length} reference cycle${model.cycles.length === 1 ? '' : 's'}: ${listed}${more}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(nonce, options.cspSource))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${escapeHtml(nonce)}">${REPORT_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="run">${shortName === options.fileName ? '' : `${escapeHtml(options.fileName)}<br>`}Simulated CPython ${escapeHtml(options.targetVersion)} · ${escapeHtml(describeEnd(result.end))} · exit status ${result.exitCode}</p>
<ul class="summary">${summaryItems(result)}</ul>
</header>
<section class="timeline" aria-label="Timeline">
<label for="step-slider">Step</label>
<input type="range" id="step-slider" min="0" max="${last}" value="${last}" step="1">
<output id="step-label" for="step-slider"></output>
<pre id="source-line"></pre>
</section>
<div class="layout">
<section class="graph-pane" aria-label="Object graph">
<ul class="legend"><li><span class="swatch"></span>reference</li><li><span class="swatch cycle"></span>reference cycle</li><li><span class="swatch weak"></span>weak reference</li><li>${escapeHtml(cycles)}</li></ul>
${renderGraph(model)}
</section>
<aside>
<h2>At this step</h2>
<ul id="step-events"></ul>
<h2>Refcounts</h2>
<div class="refcounts"><table><tbody id="refcount-rows"></tbody></table></div>
<h2>Output</h2>
<pre id="output"></pre>
</aside>
</div>
<footer>
<h2>About this report</h2>
<p class="omissions">The graph is every object and reference the run's per-line snapshots saw; the slider replays refcounts from the event trace, one position per evaluation step that changed the graph.${model.omissions.map((o) => ` ${escapeHtml(o)}`).join('')}</p>
</footer>
<script type="application/json" id="gclens-report-data">${scriptJson(data)}</script>
<script nonce="${escapeHtml(nonce)}">${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
