// What a refcount hover says: the name or attribute under the cursor, looked up in the simulation's line snapshots.
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { MAX_OBJECTS_PER_SNAPSHOT } from './trace';
import type { LineSnapshot, ObjectSnapshot, SimulationEnd, SimulationResult, TargetVersion } from './simulatorTypes';

/** A hoverable name (`a`) or attribute chain (`a.next`, hovered on `next`) and the statement line whose snapshot answers it. */
export interface HoverTarget {
  /** `['a']`, or `['a', 'next']` for `a.next` hovered on `next`. */
  readonly path: readonly string[];
  /** 1-based line of the statement the snapshot was recorded for. */
  readonly line: number;
  /** UTF-16 offsets of the hovered identifier. */
  readonly start: number;
  readonly end: number;
  /** The innermost function the identifier is in, if any (its name, for "never called" answers). */
  readonly functionName?: string;
}

export type HoverAnswer =
  | {
      readonly kind: 'object';
      readonly expression: string;
      readonly object: ObjectSnapshot;
      readonly line: number;
      readonly executions: number;
      /** The execution the state is from (the last one unless the line ran more than 64 times). */
      readonly snapshotExecution: number;
      /** What `sys.getrefcount(name)` prints (names only; attributes have no such figure in the snapshot). */
      readonly getrefcount?: number;
    }
  | { readonly kind: 'untracked'; readonly expression: string; readonly object: string; readonly line: number; readonly getrefcount?: number; readonly truncated: boolean }
  | { readonly kind: 'unbound'; readonly expression: string; readonly line: number; readonly why: string }
  | { readonly kind: 'not-reached'; readonly line: number; readonly reason: string };

const STATEMENT_PARENTS = new Set(['module', 'block']);
const FUNCTION_KINDS = new Set(['function_definition', 'lambda']);

/** The hover target at an offset: an identifier, as a name or as the last attribute of a chain of names. */
export function hoverTargetAt(root: SyntaxNode, offset: number): HoverTarget | undefined {
  let node: SyntaxNode | null = root.descendantForIndex(offset, offset);
  if (!isHoverableIdentifier(node) && offset > 0) {
    const before = root.descendantForIndex(offset - 1, offset - 1);
    if (isHoverableIdentifier(before)) node = before;
  }
  if (!node || !isHoverableIdentifier(node)) return undefined;
  const path = attributePath(node);
  if (!path) return undefined;
  let statement: SyntaxNode = node;
  while (statement.parent && !STATEMENT_PARENTS.has(statement.parent.type)) statement = statement.parent;
  let line = statement.startPosition.row + 1;
  // A parameter: the state inside the function, after its first statement ran.
  const parameters = ancestorOfType(node, 'parameters');
  const definition = parameters?.parent;
  if (definition?.type === 'function_definition') {
    const first = definition.childForFieldName('body')?.namedChildren.find((child) => child.type !== 'comment');
    if (first) line = first.startPosition.row + 1;
  }
  let functionNode: SyntaxNode | null = node.parent;
  while (functionNode && !FUNCTION_KINDS.has(functionNode.type)) functionNode = functionNode.parent;
  const functionName = functionNode?.type === 'function_definition' ? functionNode.childForFieldName('name')?.text : functionNode ? 'lambda' : undefined;
  return { path, line, start: node.startIndex, end: node.endIndex, functionName };
}

/** An identifier the user wrote: not one tree-sitter inserted to recover from an error (missing, zero width). */
function isHoverableIdentifier(node: SyntaxNode | null): boolean {
  return node !== null && node.type === 'identifier' && node.endIndex > node.startIndex;
}

function ancestorOfType(node: SyntaxNode, type: string): SyntaxNode | undefined {
  for (let current = node.parent; current; current = current.parent) if (current.type === type) return current;
  return undefined;
}

/** `a.b.c` hovered on `c` → ['a', 'b', 'c']; on `a` → ['a']; undefined when the chain has a call or subscript. */
function attributePath(identifier: SyntaxNode): string[] | undefined {
  const parent = identifier.parent;
  if (parent?.type !== 'attribute' || parent.childForFieldName('attribute')?.startIndex !== identifier.startIndex) return [identifier.text];
  const path = [identifier.text];
  let object = parent.childForFieldName('object');
  while (object?.type === 'attribute') {
    const attribute = object.childForFieldName('attribute');
    if (!attribute) return undefined;
    path.unshift(attribute.text);
    object = object.childForFieldName('object');
  }
  if (object?.type !== 'identifier') return undefined;
  path.unshift(object.text);
  return path;
}

/** Answers a hover from a traced simulation that recorded every line's snapshot. */
export function hoverAnswer(result: SimulationResult, target: HoverTarget): HoverAnswer {
  return hoverAnswerFrom(result.snapshots.find((s) => s.line === target.line), result.end, target);
}

/** Answers a hover from the snapshot of the target's line (undefined: the line never ran) and how the run ended. */
export function hoverAnswerFrom(snapshot: LineSnapshot | undefined, end: SimulationEnd, target: HoverTarget): HoverAnswer {
  if (!snapshot) return { kind: 'not-reached', line: target.line, reason: notReachedReason(end, target) };
  const expression = target.path.join('.');
  const [name, ...attributes] = target.path;
  const bound = snapshot.names[name];
  if (bound === undefined) {
    const why = target.functionName === undefined || Object.keys(snapshot.names).length === 0
      ? `not bound after line ${snapshot.line}`
      : `not a local of ${target.functionName} after line ${snapshot.line} (globals show on module-level lines)`;
    return { kind: 'unbound', expression, line: snapshot.line, why };
  }
  let current = bound;
  for (const attribute of attributes) {
    const holderLabel = `attribute '${attribute}' of ${current}`;
    // The holder is the instance, or its `__dict__` object where that is one (before 3.11, or materialized).
    const next = snapshot.objects.find((o) => o.holders.some((h) => h.label === holderLabel));
    if (!next) {
      const why = snapshot.truncated
        ? `not in the snapshot of line ${snapshot.line} (it keeps the first ${MAX_OBJECTS_PER_SNAPSHOT} objects found from the frame's names)`
        : `no object the simulation follows (not set, or an untracked value such as an int) after line ${snapshot.line}`;
      return { kind: 'unbound', expression, line: snapshot.line, why };
    }
    current = next.label;
  }
  const getrefcount = attributes.length === 0 ? snapshot.getrefcount?.[name] : undefined;
  const object = snapshot.objects.find((o) => o.label === current);
  if (!object) return { kind: 'untracked', expression, object: current, line: snapshot.line, getrefcount, truncated: snapshot.truncated === true };
  return { kind: 'object', expression, object, line: snapshot.line, executions: snapshot.executions, snapshotExecution: snapshot.snapshotExecution ?? snapshot.executions, getrefcount };
}

const BUDGET_NAMES: Readonly<Record<string, string>> = { maxSteps: 'step budget', maxObjects: 'object budget', maxMillis: 'time budget' };

function stopReason(end: SimulationEnd): string | undefined {
  switch (end.kind) {
    case 'completed':
      return undefined;
    case 'exception':
      return `the simulation stopped at line ${end.line}: uncaught ${end.exceptionType}`;
    case 'exit':
      return `the simulation stopped at line ${end.line}: sys.exit`;
    case 'syntax-error':
      return `not simulated: syntax error at line ${end.line}`;
    case 'unsupported':
      return `the simulation stopped at line ${end.line}: unsupported ${end.construct}`;
    case 'budget':
      return `the simulation stopped at line ${end.line}: ${BUDGET_NAMES[end.budget] ?? end.budget} exhausted`;
    default: {
      const never: never = end;
      return never;
    }
  }
}

function notReachedReason(end: SimulationEnd, target: HoverTarget): string {
  const stopped = stopReason(end);
  if (end.kind === 'syntax-error') return stopped!;
  if (stopped && end.kind !== 'completed' && end.line <= target.line) return stopped;
  if (target.functionName !== undefined) return `${target.functionName} never ran this line in the simulation${stopped ? ` (${stopped})` : ''}`;
  return `this line did not run in the simulation${stopped ? ` (${stopped})` : ''}`;
}

/** The hover's first line, the one annotated fixtures match exactly. */
export function hoverSummary(answer: HoverAnswer): string {
  switch (answer.kind) {
    case 'object': {
      const holders = answer.object.holders.map((h) => h.label).join(', ');
      return `${answer.object.label} refcount ${answer.object.refcount} holders: ${holders || 'none'}`;
    }
    case 'untracked':
      return answer.truncated && !/^(NoneType|bool|int|str)#/.test(answer.object)
        ? `${answer.object}: not in this line's snapshot (it keeps the first ${MAX_OBJECTS_PER_SNAPSHOT} objects found from the frame's names)`
        : `${answer.object}: a shared interpreter object (None, a bool, a small int...), not followed`;
    case 'unbound':
      return `${answer.expression}: ${answer.why}`;
    case 'not-reached':
      return `not reached: ${answer.reason}`;
    default: {
      const never: never = answer;
      return never;
    }
  }
}

/** The whole hover text (plain text: labels such as `<lambda>` must not be read as markup). */
export function hoverText(answer: HoverAnswer, end: SimulationEnd, targetVersion: TargetVersion): string {
  const lines = [hoverSummary(answer)];
  if (answer.kind === 'object') {
    const { object } = answer;
    const ran = answer.executions === 1 ? 'ran once'
      : answer.snapshotExecution === answer.executions ? `state after the last of ${answer.executions} executions`
        : `state after execution ${answer.snapshotExecution} of ${answer.executions}: past 64 the trace keeps powers of two`;
    const gc = object.tracked ? `tracked, generation ${object.generation ?? '-'}` : 'not tracked by the GC';
    lines.push(`${answer.expression} after line ${answer.line} (${ran}); ${gc}; allocated at line ${object.allocatedAt}`);
    if (object.cycle && object.cycle.length > 0) lines.push(`in a cycle with ${object.cycle.join(', ')}`);
    else if (object.holders.some((h) => h.holder === object.label)) lines.push('in a cycle with itself');
  }
  if ((answer.kind === 'object' || answer.kind === 'untracked') && answer.getrefcount !== undefined) {
    lines.push(`sys.getrefcount(${answer.expression}) prints ${answer.getrefcount} on Python ${targetVersion}`);
  }
  const stopped = answer.kind !== 'not-reached' ? stopReason(end) : undefined;
  if (stopped) lines.push(stopped);
  return lines.join('\n');
}
