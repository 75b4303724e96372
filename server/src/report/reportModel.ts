// The report's data model: a traced SimulationResult reduced to an object graph and a capped step timeline.
import type { ObjectSnapshot, SimulationEvent, SimulationResult } from '../simulator/simulatorTypes';

/** Caps that keep the page small whatever the run: a long loop cannot produce a huge file. */
export interface ReportLimits {
  readonly maxNodes: number;
  readonly maxEdges: number;
  readonly maxPositions: number;
  readonly maxEventsPerPosition: number;
  readonly maxOutputChars: number;
}

export const DEFAULT_REPORT_LIMITS: ReportLimits = { maxNodes: 120, maxEdges: 400, maxPositions: 2000, maxEventsPerPosition: 12, maxOutputChars: 100_000 };

/** An object of the heap, or a name (`global 'a'`, `local 'self'`) that refers to one. */
export type ReportNode =
  | { readonly kind: 'object'; readonly id: string; readonly typeName: string; readonly allocatedAt: number; readonly cycle: number | null }
  | { readonly kind: 'name'; readonly id: string };

export interface ReportEdge {
  readonly from: string;
  readonly to: string;
  /** The reference as the holder names it: `attribute 'next'`, `item 0`, `__self__`; empty from a name. */
  readonly label: string;
  /** A weak reference: holds no count. */
  readonly weak: boolean;
  /** Both ends belong to the same reference cycle. */
  readonly cyclic: boolean;
  /**
   * The slider positions at which the reference appears or goes away, absent before the first: shown at a position
   * when an odd number of these are at or before it (and both ends are alive). From the run's heap timeline; a run
   * without one shows every edge from the start.
   */
  readonly toggles: readonly number[];
}

/** A refcount change at a position: the object node's index and its count after it, or FREED. */
export type RefcountChange = readonly [node: number, refcount: number];
export const FREED = -1;

/** One slider position: every event of one evaluation step, reduced to what the page shows. */
export interface ReportPosition {
  readonly step: number;
  readonly line: number;
  readonly changes: readonly RefcountChange[];
  /** Collections, finalizers, weakref callbacks, allocations and frees of graph objects, in order. */
  readonly events: readonly string[];
  readonly output: readonly (readonly [stream: 'stdout' | 'stderr', text: string])[];
}

export interface ReportModel {
  readonly nodes: readonly ReportNode[];
  readonly edges: readonly ReportEdge[];
  /** Members of each cycle (node ids), indexed by ReportNode.cycle. */
  readonly cycles: readonly (readonly string[])[];
  readonly positions: readonly ReportPosition[];
  /** What the caps left out, as sentences the page shows. */
  readonly omissions: readonly string[];
}

/** `attribute 'next' of Node#1` held by Node#1 → `attribute 'next'`. */
function edgeLabel(label: string, holder: string): string {
  const suffix = ` of ${holder}`;
  return label.endsWith(suffix) ? label.slice(0, -suffix.length) : label;
}

interface GraphParts {
  readonly objects: Map<string, ObjectSnapshot>;
  readonly names: Set<string>;
  readonly edges: Map<string, GraphEdge>;
  readonly cycleKeys: Map<string, string>;
}

type GraphEdge = Omit<ReportEdge, 'toggles' | 'cyclic'>;

/** The references an object's snapshot shows (to it from its holders, from it if it is a weak reference), by key. */
const objectEdgeCache = new WeakMap<ObjectSnapshot, readonly (readonly [key: string, edge: GraphEdge])[]>();

function objectEdges(object: ObjectSnapshot): readonly (readonly [key: string, edge: GraphEdge])[] {
  // An object a line did not change keeps its very snapshot object from line to line: its edges are computed once.
  let edges = objectEdgeCache.get(object);
  if (edges) return edges;
  const list: [string, GraphEdge][] = [];
  const add = (from: string, to: string, label: string, weak: boolean): void => {
    list.push([`${from}\n${to}\n${label}`, { from, to, label, weak }]);
  };
  for (const holder of object.holders) {
    if (holder.holder === undefined) add(holder.label, object.label, '', false);
    else add(holder.holder, object.label, edgeLabel(holder.label, holder.holder), false);
  }
  if (object.weakTarget !== undefined) add(object.label, object.weakTarget, 'weak reference', true);
  edges = list;
  objectEdgeCache.set(object, edges);
  return edges;
}

/** The object snapshots the graph is built from: every change of the full trace's timeline, else each line's last. */
function graphObjects(result: SimulationResult): Iterable<ObjectSnapshot> {
  if (!result.heapTimeline) return result.snapshots.flatMap((snapshot) => snapshot.objects);
  return result.heapTimeline.flatMap((change) => change.changed);
}

/** Every object, name and reference any snapshot saw: the union over the run. */
function collectGraph(result: SimulationResult): GraphParts {
  const objects = new Map<string, ObjectSnapshot>();
  const cycleKeys = new Map<string, string>();
  const names = new Set<string>();
  const edges = new Map<string, GraphEdge>();
  for (const object of graphObjects(result)) {
    if (!objects.has(object.label)) objects.set(object.label, object);
    // An empty list is a cycle of one (an object that refers to itself); undefined is no cycle.
    if (object.cycle !== undefined && !cycleKeys.has(object.label)) cycleKeys.set(object.label, [object.label, ...object.cycle].sort().join('\n'));
    for (const holder of object.holders) if (holder.holder === undefined) names.add(holder.label);
    for (const [key, edge] of objectEdges(object)) if (!edges.has(key)) edges.set(key, edge);
  }
  return { objects, names, edges, cycleKeys };
}

/**
 * The last position at or before `step` (0 when none is): a snapshot is the state after its statement, so the store
 * or drop it observed shows at that statement's last event (an `a.next = b` at its incref of `b`).
 */
function positionAtStep(positions: readonly ReportPosition[], step: number): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (positions[middle].step <= step) low = middle + 1;
    else high = middle;
  }
  return Math.max(0, low - 1);
}

/**
 * Where each reference was seen present or absent along the timeline, as toggle positions. A snapshot observes a
 * reference when it visited its holder (it lists every reference a visited object holds) or when the holder is a name
 * (a name the snapshot's frame does not bind is not there now: a function's locals go when it returns). The timeline
 * holds changes, so only references whose presence changed, or whose holder came into view, are looked at again.
 */
function edgeToggles(result: SimulationResult, positions: readonly ReportPosition[], keys: ReadonlySet<string>, edges: ReadonlyMap<string, GraphEdge>, names: ReadonlySet<string>): Map<string, number[]> {
  const toggles = new Map<string, number[]>();
  if (!result.heapTimeline) {
    for (const key of keys) toggles.set(key, [0]);
    return toggles;
  }
  const keysByHolder = new Map<string, string[]>();
  for (const key of keys) {
    const from = edges.get(key)!.from;
    const list = keysByHolder.get(from);
    if (list) list.push(key);
    else keysByHolder.set(from, [key]);
  }
  const shown = new Map<string, boolean>();
  const lastStep = positions[positions.length - 1]?.step ?? -1;
  const current = new Map<string, ObjectSnapshot>();
  const present = new Set<string>();
  for (const change of result.heapTimeline) {
    // Past the timeline's last position (capped, or the run's last statements changed nothing it shows): no slider there.
    if (change.step > lastStep) break;
    const at = positionAtStep(positions, change.step);
    const touched = new Set<string>();
    const leave = (label: string): void => {
      for (const [key] of objectEdges(current.get(label)!)) if (keys.has(key) && present.delete(key)) touched.add(key);
      current.delete(label);
    };
    for (const label of change.gone) leave(label);
    for (const object of change.changed) {
      const seenBefore = current.has(object.label);
      if (seenBefore) leave(object.label);
      current.set(object.label, object);
      for (const [key] of objectEdges(object)) {
        if (!keys.has(key) || present.has(key)) continue;
        present.add(key);
        touched.add(key);
      }
      // A holder come into view: its references that are not there are now seen not to be.
      if (!seenBefore) for (const key of keysByHolder.get(object.label) ?? []) touched.add(key);
    }
    for (const key of touched) {
      const from = edges.get(key)!.from;
      if (!names.has(from) && !current.has(from)) continue;
      const now = present.has(key);
      if ((shown.get(key) ?? false) === now) continue;
      shown.set(key, now);
      let list = toggles.get(key);
      if (!list) toggles.set(key, (list = []));
      // Two observations mapped to one position: the later one is that position's state.
      if (list[list.length - 1] === at) list.pop();
      else list.push(at);
    }
  }
  return toggles;
}

/** A merged edge is shown while any of its references is: the union of its members' toggles. */
function unionToggles(members: readonly (readonly number[])[]): number[] {
  const changes: [position: number, delta: number][] = [];
  for (const toggles of members) toggles.forEach((position, i) => changes.push([position, i % 2 === 0 ? 1 : -1]));
  changes.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  let visible = 0;
  for (let i = 0; i < changes.length; ) {
    const position = changes[i][0];
    const before = visible > 0;
    for (; i < changes.length && changes[i][0] === position; i++) visible += changes[i][1];
    if (before !== visible > 0) out.push(position);
  }
  return out;
}

function describeEvent(event: SimulationEvent): string | null {
  switch (event.kind) {
    case 'allocate':
      return `${event.object} allocated`;
    case 'free':
      return `${event.object} freed`;
    case 'collection-start':
      return `collection of generation ${event.generation} starts (counts ${event.counts.join(', ')})`;
    case 'collection-end':
      return `collection of generation ${event.generation} ends: ${event.collected} collected, ${event.uncollectable} uncollectable${event.uncollectable > 0 ? ' (kept in gc.garbage)' : ''}`;
    case 'finalizer':
      return `finalizer (__del__) of ${event.object} runs`;
    case 'weakref-callback':
      return `weakref callback of ${event.object} runs`;
    case 'unsupported':
      return `unsupported construct: ${event.construct}`;
    case 'incref':
    case 'decref':
    case 'output':
      return null;
    default: {
      const unexpected: never = event;
      return `event ${JSON.stringify(unexpected)}`;
    }
  }
}

/** Which events show at a position: those about graph objects, and every collection, finalizer and callback. */
function isShown(event: SimulationEvent, index: ReadonlyMap<string, number>): boolean {
  if (event.kind === 'allocate' || event.kind === 'free') return index.has(event.object);
  return event.kind !== 'incref' && event.kind !== 'decref' && event.kind !== 'output';
}

interface PositionBuilder {
  step: number;
  line: number;
  changes: Map<number, number>;
  events: string[];
  hiddenEvents: number;
  output: [stream: 'stdout' | 'stderr', text: string][];
}

function buildPositions(result: SimulationResult, index: ReadonlyMap<string, number>, limits: ReportLimits, omissions: string[]): ReportPosition[] {
  const positions: PositionBuilder[] = [];
  let current: PositionBuilder | null = null;
  let outputChars = 0;
  let outputCut = false;
  let positionsCut = false;
  for (const event of result.events) {
    if (event.line <= 0) continue;
    const relevant =
      event.kind === 'output' || isShown(event, index) || ((event.kind === 'incref' || event.kind === 'decref') && index.has(event.object));
    if (!relevant) continue;
    if (!current || current.step !== event.step) {
      if (positions.length >= limits.maxPositions) {
        positionsCut = true;
        break;
      }
      current = { step: event.step, line: event.line, changes: new Map(), events: [], hiddenEvents: 0, output: [] };
      positions.push(current);
    }
    switch (event.kind) {
      case 'incref':
      case 'decref':
        current.changes.set(index.get(event.object)!, event.refcount);
        break;
      case 'output': {
        if (outputChars >= limits.maxOutputChars) {
          outputCut = true;
          break;
        }
        const text = event.text.slice(0, limits.maxOutputChars - outputChars);
        outputChars += text.length;
        const last = current.output[current.output.length - 1];
        if (last && last[0] === event.stream) last[1] += text;
        else current.output.push([event.stream, text]);
        break;
      }
      default: {
        if (event.kind === 'allocate') current.changes.set(index.get(event.object)!, 1);
        if (event.kind === 'free') current.changes.set(index.get(event.object)!, FREED);
        const text = describeEvent(event);
        if (text === null) break;
        if (current.events.length < limits.maxEventsPerPosition) current.events.push(text);
        else current.hiddenEvents++;
      }
    }
  }
  if (positionsCut) omissions.push(`The timeline shows the first ${limits.maxPositions} steps that changed the graph; the run went on past step ${positions[positions.length - 1]?.step ?? 0}.`);
  if (outputCut) omissions.push(`The output shows its first ${limits.maxOutputChars.toLocaleString('en-US')} characters.`);
  return positions.map((p) => ({
    step: p.step,
    line: p.line,
    changes: [...p.changes],
    events: p.hiddenEvents > 0 ? [...p.events, `… ${p.hiddenEvents} more events`] : p.events,
    output: p.output,
  }));
}

interface MergedEdge {
  readonly edge: GraphEdge;
  /** Keys of the references it stands for. */
  readonly keys: readonly string[];
}

/** References between the same two objects become one edge: `item 0, item 1, … (1000 references)`. */
function mergeParallel(edges: readonly [key: string, edge: GraphEdge][]): MergedEdge[] {
  const groups = new Map<string, [string, GraphEdge][]>();
  for (const entry of edges) {
    const key = `${entry[1].from}\n${entry[1].to}\n${entry[1].weak}`;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return [...groups.values()].map((group) => {
    const keys = group.map(([key]) => key);
    if (group.length === 1) return { edge: group[0][1], keys };
    const labels = group.map(([, edge]) => edge.label).filter(Boolean);
    const label = labels.length <= 2 ? labels.join(', ') : `${labels[0]}, ${labels[1]}, … (${group.length} references)`;
    return { edge: { ...group[0][1], label }, keys };
  });
}

/** Reduces a traced run to the report's model: graph (union of the snapshots, each edge with when it exists) and timeline (from the events). */
export function buildReportModel(result: SimulationResult, limits: ReportLimits = DEFAULT_REPORT_LIMITS): ReportModel {
  const omissions: string[] = [];
  const graph = collectGraph(result);
  const keptObjects = [...graph.objects.values()].slice(0, limits.maxNodes);
  if (graph.objects.size > keptObjects.length) omissions.push(`The graph shows the first ${keptObjects.length} of ${graph.objects.size} objects the run's snapshots saw.`);
  const kept = new Set(keptObjects.map((object) => object.label));
  const cycleIndex = new Map<string, number>();
  const cycles: string[][] = [];
  for (const object of keptObjects) {
    const key = graph.cycleKeys.get(object.label);
    if (key !== undefined && !cycleIndex.has(key)) {
      cycleIndex.set(key, cycles.length);
      cycles.push(key.split('\n').filter((member) => kept.has(member)));
    }
  }
  const cycleOf = (label: string): number | null => {
    const key = graph.cycleKeys.get(label);
    return key === undefined ? null : (cycleIndex.get(key) ?? null);
  };
  const shown = [...graph.edges].filter(([, edge]) => kept.has(edge.to) && (kept.has(edge.from) || graph.names.has(edge.from)));
  const merged = mergeParallel(shown);
  const keptEdges = merged.slice(0, limits.maxEdges);
  if (merged.length > keptEdges.length) omissions.push(`The graph shows the first ${keptEdges.length} of ${merged.length} references.`);
  const usedNames = new Set(keptEdges.filter(({ edge }) => graph.names.has(edge.from)).map(({ edge }) => edge.from));
  const nodes: ReportNode[] = [
    ...keptObjects.map((object): ReportNode => ({ kind: 'object', id: object.label, typeName: object.typeName, allocatedAt: object.allocatedAt, cycle: cycleOf(object.label) })),
    ...[...usedNames].map((name): ReportNode => ({ kind: 'name', id: name })),
  ];
  const index = new Map(nodes.map((node, i) => [node.id, i] as const).filter(([, i]) => nodes[i].kind === 'object'));
  const positions = buildPositions(result, index, limits, omissions);
  if (result.events.length === 0) omissions.push('The run recorded no events (a syntax error, or a run without trace).');
  const toggles = edgeToggles(result, positions, new Set(keptEdges.flatMap(({ keys }) => keys)), graph.edges, graph.names);
  const edges = keptEdges.map(({ edge, keys }): ReportEdge => {
    const from = cycleOf(edge.from);
    return { ...edge, cyclic: !edge.weak && from !== null && from === cycleOf(edge.to), toggles: unionToggles(keys.map((key) => toggles.get(key) ?? [])) };
  });
  return { nodes, edges, cycles, positions, omissions };
}
