// The simulation trace as text, one event per line, in the `gclens-trace` language the TextMate grammar colours.
import type { SimulationEvent, SimulationResult, TargetVersion } from '../simulator/simulatorTypes';
import { describeEnd } from './describeEnd';

/** A long run's trace stops after this many event lines (the document says how many it left out). */
export const MAX_TRACE_LINES = 50_000;

export interface TraceTextOptions {
  readonly fileName: string;
  readonly targetVersion: TargetVersion;
  readonly maxLines?: number;
}

const pad = (text: string, width: number): string => (text.length >= width ? `${text} ` : text.padEnd(width));

/** `step 12     line 3    ` — the fixed-width prefix every event line starts with. */
function prefix(event: SimulationEvent): string {
  return `${pad(`step ${event.step}`, 11)}${pad(`line ${event.line}`, 10)}`;
}

/** One event as one or more lines (program output: one line per printed line). */
export function formatEvent(event: SimulationEvent): string[] {
  const head = prefix(event);
  switch (event.kind) {
    case 'allocate':
      return [`${head}allocate  ${event.object}`];
    case 'incref':
    case 'decref':
      return [`${head}${pad(event.kind, 10)}${event.object}  → ${event.refcount}  (${event.holder})`];
    case 'free':
      return [`${head}free      ${event.object}`];
    case 'collection-start':
      return [`${head}collect   generation ${event.generation}  counts ${event.counts.join(' ')}`];
    case 'collection-end':
      return [`${head}collected generation ${event.generation}  collected ${event.collected}  uncollectable ${event.uncollectable}`];
    case 'finalizer':
      return [`${head}finalizer ${event.object}`];
    case 'weakref-callback':
      return [`${head}callback  ${event.object}`];
    case 'unsupported':
      return [`${head}unsupported ${JSON.stringify(event.construct)}`];
    case 'output': {
      const lines = event.text.endsWith('\n') ? event.text.slice(0, -1).split('\n') : event.text.split('\n');
      return lines.map((text) => `${head}${pad(event.stream, 10)}${JSON.stringify(text)}`);
    }
    default: {
      const unexpected: never = event;
      return [`${head}event     ${JSON.stringify(unexpected)}`];
    }
  }
}

/**
 * The whole trace: a commented header (file, version, how the run ended, summary), then the events in order.
 * Events of the interpreter's own start-up (line 0: builtins, the module objects) are left out and counted.
 */
export function formatTraceText(result: SimulationResult, options: TraceTextOptions): string {
  const maxLines = options.maxLines ?? MAX_TRACE_LINES;
  const events = result.events.filter((event) => event.line > 0);
  const startup = result.events.length - events.length;
  const summary = result.summary;
  const lines = [
    `# GC Lens trace: ${options.fileName}, simulated CPython ${options.targetVersion}`,
    `# run: ${describeEnd(result.end)}; exit status ${result.exitCode}`,
    `# steps ${summary.steps}  objects allocated ${summary.objectsAllocated}  collections ${summary.collections}`,
    `# cyclic garbage: ${summary.cyclicGarbage.join(', ') || 'none'}`,
    `# left at exit: ${summary.leakedAtExit.join(', ') || 'none'}`,
  ];
  if (startup > 0) lines.push(`# ${startup} events of the interpreter's start-up (line 0) not shown`);
  if (events.length === 0) lines.push('# no events recorded (the trace needs a traced run)');
  let shown = 0;
  let index = 0;
  for (; index < events.length && shown < maxLines; index++) {
    const formatted = formatEvent(events[index]);
    lines.push(...formatted);
    shown += formatted.length;
  }
  if (index < events.length) lines.push(`# … ${events.length - index} more events not shown (the trace stops after ${maxLines} lines)`);
  const end = result.end;
  if (end.kind === 'unsupported' || end.kind === 'budget' || end.kind === 'syntax-error') lines.push(`# stopped: ${describeEnd(end)}`);
  return `${lines.join('\n')}\n`;
}
