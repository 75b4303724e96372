// The report page's stylesheet: VS Code's theme colours when shown in a webview, plain light colours in a browser.

export const REPORT_STYLE = `
:root {
  --fg: var(--vscode-editor-foreground, #1f2328);
  --bg: var(--vscode-editor-background, #ffffff);
  --muted: var(--vscode-descriptionForeground, #656d76);
  --border: var(--vscode-panel-border, #d0d7de);
  --node-bg: var(--vscode-editorWidget-background, #f6f8fa);
  --accent: var(--vscode-focusBorder, #0969da);
  --cycle: var(--vscode-charts-red, #cf222e);
  --weak: var(--vscode-charts-purple, #8250df);
  --stderr: var(--vscode-errorForeground, #cf222e);
  --font: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  --mono: var(--vscode-editor-font-family, ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace);
}
* { box-sizing: border-box; }
body { margin: 0; padding: 12px 16px 24px; color: var(--fg); background: var(--bg); font: 13px/1.45 var(--font); }
h1 { font-size: 17px; margin: 0 0 2px; }
h2 { font-size: 13px; margin: 14px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.run { margin: 0; color: var(--muted); overflow-wrap: anywhere; }
.summary { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; padding: 0; margin: 6px 0 0; }
.summary b { font-weight: 600; }
.timeline { position: sticky; top: 0; z-index: 1; background: var(--bg); padding: 8px 0; border-bottom: 1px solid var(--border); display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; align-items: center; }
.timeline input { width: 100%; }
#step-label { grid-column: 1 / -1; font-family: var(--mono); }
#source-line { grid-column: 1 / -1; margin: 0; font-family: var(--mono); color: var(--muted); white-space: pre; overflow: hidden; text-overflow: ellipsis; min-height: 1.4em; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 300px; gap: 16px; }
@media (max-width: 760px) { .layout { grid-template-columns: 1fr; } }
.graph-pane { overflow: auto; border: 1px solid var(--border); border-radius: 6px; margin-top: 10px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; list-style: none; padding: 6px 10px; margin: 0; border-bottom: 1px solid var(--border); color: var(--muted); font-size: 12px; }
.legend .swatch { display: inline-block; width: 22px; height: 0; vertical-align: middle; margin-right: 5px; border-top: 2px solid var(--muted); }
.legend .swatch.cycle { border-top-color: var(--cycle); }
.legend .swatch.weak { border-top: 2px dashed var(--weak); }
svg.graph { display: block; font: 12px var(--font); }
.node rect { fill: var(--node-bg); stroke: var(--muted); stroke-width: 1.2; }
.node text { fill: var(--fg); }
.node .node-type, .node .node-rc { fill: var(--muted); font-size: 11px; }
.node.name rect { fill: var(--bg); stroke-dasharray: 2 2; }
.node.name text { fill: var(--muted); font-family: var(--mono); font-size: 11px; }
.node.cycle rect { stroke: var(--cycle); stroke-width: 2.4; }
.node.alive .node-rc { fill: var(--fg); font-weight: 600; }
.node.changed rect { stroke-width: 3.2; }
.node.changed .node-rc { fill: var(--accent); }
.node.unborn { opacity: .35; }
.node.freed { opacity: .45; }
.node.freed rect { stroke-dasharray: 4 3; }
.edge path { fill: none; stroke: var(--muted); stroke-width: 1.3; }
.edge text { fill: var(--muted); font-size: 11px; paint-order: stroke; stroke: var(--bg); stroke-width: 4px; stroke-linejoin: round; }
.edge.cycle path { stroke: var(--cycle); stroke-width: 2.2; }
.edge.cycle text { fill: var(--cycle); }
.edge.weak path { stroke: var(--weak); stroke-dasharray: 6 4; }
.edge.weak text { fill: var(--weak); }
.edge.absent { display: none; }
.arrowhead { fill: var(--muted); }
.arrowhead.cycle { fill: var(--cycle); }
.arrowhead.weak { fill: var(--weak); }
.empty { padding: 24px; color: var(--muted); }
aside ul { margin: 0; padding-left: 18px; }
aside li.quiet { color: var(--muted); list-style: none; margin-left: -18px; }
table { border-collapse: collapse; width: 100%; font-family: var(--mono); font-size: 12px; }
td { padding: 1px 6px; border-bottom: 1px solid var(--border); }
td.count { text-align: right; }
tr.unborn, tr.freed { color: var(--muted); }
tr.changed td { font-weight: 700; }
.refcounts { max-height: 320px; overflow: auto; }
pre#output { margin: 0; padding: 6px 8px; max-height: 260px; overflow: auto; border: 1px solid var(--border); border-radius: 4px; font-family: var(--mono); font-size: 12px; white-space: pre-wrap; }
pre#output .stderr { color: var(--stderr); }
pre#output .quiet { color: var(--muted); font-style: italic; }
pre#output .new { background: color-mix(in srgb, var(--accent) 18%, transparent); }
.omissions { color: var(--muted); font-size: 12px; }
`;
