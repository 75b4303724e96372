// Lays the report's object graph out with dagre (@dagrejs/dagre, MIT): node boxes, edge routes and label spots.
import dagre from '@dagrejs/dagre';
import type { ReportEdge, ReportNode } from './reportModel';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface PlacedNode {
  /** Centre of the box. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  readonly points: readonly Point[];
  /** Where the edge's label sits (its centre), when it has one. */
  readonly label: Point | null;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

/** Monospace-ish text width estimate for sizing boxes (the page uses a 12px system font). */
const CHAR_WIDTH = 7.2;
const OBJECT_HEIGHT = 44;
const NAME_HEIGHT = 26;
const MARGIN = 16;

export function textWidth(text: string): number {
  return Math.ceil(text.length * CHAR_WIDTH);
}

/** The box a node needs: objects show label, type and refcount; names one line. */
export function nodeSize(node: ReportNode): { width: number; height: number } {
  if (node.kind === 'name') return { width: textWidth(node.id) + 20, height: NAME_HEIGHT };
  return { width: Math.max(textWidth(node.id), textWidth(`refcount 9999`)) + 24, height: OBJECT_HEIGHT };
}

/** Left to right: names on the left, what they refer to to the right; dagre breaks cycles for ranking only. */
export function layoutGraph(nodes: readonly ReportNode[], edges: readonly ReportEdge[]): GraphLayout {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 22, ranksep: 70, edgesep: 12, marginx: MARGIN, marginy: MARGIN });
  nodes.forEach((node, i) => graph.setNode(String(i), nodeSize(node)));
  const indexOf = new Map(nodes.map((node, i) => [node.id, String(i)] as const));
  edges.forEach((edge, i) => {
    const label = edge.label ? { width: textWidth(edge.label), height: 14, labelpos: 'c' as const } : {};
    graph.setEdge(indexOf.get(edge.from)!, indexOf.get(edge.to)!, { ...label, minlen: 1, weight: edge.weak ? 0 : 1 }, String(i));
  });
  dagre.layout(graph);
  const placedNodes = nodes.map((_, i) => {
    const placed = graph.node(String(i));
    return { x: placed.x ?? 0, y: placed.y ?? 0, width: placed.width, height: placed.height };
  });
  const placedEdges = edges.map((edge, i) => {
    const placed = graph.edge({ v: indexOf.get(edge.from)!, w: indexOf.get(edge.to)!, name: String(i) });
    const points = (placed.points ?? []).map((p: Point) => ({ x: p.x, y: p.y }));
    return { points, label: edge.label && placed.x !== undefined && placed.y !== undefined ? { x: placed.x, y: placed.y } : null };
  });
  const size = graph.graph();
  return { width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0), nodes: placedNodes, edges: placedEdges };
}
