// Random-program statements of level 7: low thresholds and automatic collections, gc.disable/enable, DEBUG_SAVEALL.
// No gc.get_count(): its gen-0 figure counts interpreter-internal allocations (the corpus marks thr_get_count partial).
import type { ClassInfo, ProgramContext } from './randomProgramsCalls';

/** The collector settings a level-7 program has changed, so it can put them back before it ends. */
export interface CollectorState {
  enabled: boolean;
  saveAll: boolean;
}

function threshold(context: ProgramContext): string {
  const young = 5 + Math.floor(context.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) * 5);
  return `gc.set_threshold(${young}, ${context.pick([2, 3, 5])}, ${context.pick([2, 3, 5])})`;
}

/** Right after the first gc.collect(): thresholds low enough that the program's own allocations trigger collections. */
export function collectorPrologue(context: ProgramContext): void {
  context.emit(threshold(context));
}

/** A loop allocating an instance per iteration, each in a cycle with itself half of the time. */
function allocationLoop(context: ProgramContext, classes: readonly ClassInfo[]): void {
  const cls = context.pick(classes);
  const index = context.fresh('i');
  const name = context.fresh('t');
  const body = [`for ${index} in range(${5 + Math.floor(context.pick([0, 1, 2, 3, 4]) * 5)}):`, `    ${name} = ${cls.name}(f"${name}-{${index}}")`];
  if (context.chance(0.5)) body.push(`    ${name}.link = ${name}`);
  context.emit(body.join('\n'));
  context.bindNew(name, { kind: 'instance', cls });
}

export function collectorStatement(context: ProgramContext, state: CollectorState, classes: readonly ClassInfo[]): void {
  const choice = context.pick(['loop', 'loop', 'loop', 'collect', 'toggle', 'saveall', 'threshold']);
  if (choice === 'loop') {
    allocationLoop(context, classes);
  } else if (choice === 'collect') {
    context.emit(`print("collect generation", gc.collect(${context.pick([0, 1, 2])}))`);
  } else if (choice === 'toggle') {
    state.enabled = !state.enabled;
    context.emit(state.enabled ? 'gc.enable()' : 'gc.disable()');
    if (context.chance(0.5)) context.emit('print("enabled", gc.isenabled())');
  } else if (choice === 'saveall') {
    if (!state.saveAll) {
      state.saveAll = true;
      context.emit('gc.set_debug(gc.DEBUG_SAVEALL)');
    } else if (context.chance(0.6)) {
      context.emit('print("garbage", len(gc.garbage))');
    } else {
      state.saveAll = false;
      context.emit('gc.set_debug(0)');
    }
  } else {
    context.emit(threshold(context));
  }
}

/** Before the final del: the collector back on, nothing saved, so the final collection frees everything. */
export function collectorEpilogue(context: ProgramContext): void {
  context.emit('gc.set_debug(0)');
  context.emit('gc.garbage.clear()');
  context.emit('gc.enable()');
}
