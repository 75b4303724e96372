// Weak-reference fixes shared by the cycle rules: WeakMethod with call sites, weakref.ref back edges, weak captures, __slots__.
import type { Fix, ImportRequest, TextEdit } from '../analysis/findingTypes';
import { lineBreakForFix, lineStartAt } from '../analysis/textLines';
import { DEFAULT_PARAMETER_KINDS } from '../semantic/closureCaptures';
import { CYCLE_CLASS_MODEL, type ClassFacts } from '../semantic/classModel';
import type { BackReferenceCycle, BoundMethodCycle, ClosureCycle } from '../semantic/cycleFacts';
import { scopesOf } from '../semantic/scopeIndex';
import { CYCLE_OBJECT_PATHS } from '../semantic/selfAliases';
import type { SemanticModel } from '../semantic/semanticModel';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { insertionPointAfter } from '../syntax/pythonShapes';

const WEAKREF_IMPORT: readonly ImportRequest[] = [{ kind: 'module', module: 'weakref' }];

/** The whitespace before `node` on its line, or undefined when code precedes it there. */
function indentationOf(text: string, node: SyntaxNode): string | undefined {
  const prefix = text.slice(lineStartAt(text, node.startIndex), node.startIndex);
  return /^[ \t]*$/.test(prefix) ? prefix : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The edit that lets instances of `owner` be weakly referenced, `[]` when they already can, or undefined when
 * that cannot be known or written: `__slots__` without `'__weakref__'` in a class whose every base also has
 * slots gets it added (a base without `__slots__` already gives instances a `__weakref__`).
 */
export function weakrefSlotEdits(owner: ClassFacts | undefined, model: SemanticModel): TextEdit[] | undefined {
  if (!owner) return [];
  const lineage = model.fact(CYCLE_CLASS_MODEL).lineage(owner);
  if (lineage.some((current) => !current.slots || current.slots.hasWeakref)) return [];
  if (lineage.some((current) => current.hasUnseenBases)) return undefined; // a base we cannot see may have one already
  const slots = owner.slots;
  if (!slots?.names) return undefined;
  const value = slots.value;
  const elements = [...slots.names.values()];
  const quote = elements[0]?.text.startsWith('"') ? '"' : "'";
  const weak = `${quote}__weakref__${quote}`;
  if (value.type === 'string') return [{ range: { start: value.startIndex, end: value.endIndex }, newText: `(${value.text}, ${weak})` }];
  const last = value.namedChildren.filter((child) => child.type !== 'comment').pop();
  if (!last) {
    const close = value.endIndex - 1;
    return [{ range: { start: close, end: close }, newText: value.type === 'tuple' || value.type === 'parenthesized_expression' ? `${weak},` : weak }];
  }
  const trailingComma = last.nextSibling?.type === ',';
  const at = trailingComma ? (last.nextSibling as SyntaxNode).endIndex : last.endIndex;
  return [{ range: { start: at, end: at }, newText: trailingComma ? ` ${weak},` : `, ${weak}` }];
}

/**
 * GCL103: `self.cb = weakref.WeakMethod(self.m)` and every `self.cb(...)` in the document → `self.cb()(...)`.
 * Offered only when every other use of `.cb` in the document is such a call on the same class's `self`.
 */
export function weakMethodFix(cycle: BoundMethodCycle, model: SemanticModel): Fix | undefined {
  const { edge, participant } = cycle;
  if (cycle.wrapper !== 'none' || edge.kind !== 'attribute' || edge.via || edge.holder.type !== 'identifier' || !participant) return undefined;
  const paths = model.fact(CYCLE_OBJECT_PATHS);
  const classes = model.fact(CYCLE_CLASS_MODEL);
  const slotEdits = weakrefSlotEdits(participant, model);
  if (!slotEdits) return undefined;
  const edits: TextEdit[] = [{ range: { start: edge.value.startIndex, end: edge.value.endIndex }, newText: `weakref.WeakMethod(${edge.value.text})` }, ...slotEdits];
  const root = model.root;
  const uses = new RegExp(`\\.[ \\t]*${escapeRegExp(edge.slot)}\\b`, 'g');
  for (let match = uses.exec(root.text); match; match = uses.exec(root.text)) {
    const offset = root.startIndex + match.index + match[0].length - edge.slot.length;
    const name = root.descendantForIndex(offset);
    const attribute = name?.parent;
    if (attribute?.type !== 'attribute' || attribute.childForFieldName('attribute')?.id !== name?.id) continue;
    if (attribute.id === edge.target.id) continue;
    const object = attribute.childForFieldName('object');
    const call = attribute.parent;
    const isCall = call?.type === 'call' && call.childForFieldName('function')?.id === attribute.id;
    const objectPath = object ? paths.pathOf(object, scopesOf(model).enclosingFunction(attribute)) : undefined;
    const objectClass = objectPath !== undefined && /^@self#\d+$/.test(objectPath) ? paths.selfClassOf(objectPath) : undefined;
    // `self.<name>` of an unrelated class of this file is another attribute.
    if (objectClass && !classes.lineage(objectClass).includes(participant) && !classes.lineage(participant).includes(objectClass)) continue;
    if (!isCall || objectClass !== participant) return undefined;
    edits.push({ range: { start: attribute.endIndex, end: attribute.endIndex }, newText: '()' });
  }
  return { title: `Store \`weakref.WeakMethod(${edge.value.text})\` and call it through \`self.${edge.slot}()\``, applicability: 'unsafe', edits, imports: WEAKREF_IMPORT };
}

/** The method statement (with its decorators) a function definition is. */
function statementOf(definition: SyntaxNode): SyntaxNode {
  return definition.parent?.type === 'decorated_definition' ? definition.parent : definition;
}

/**
 * GCL101 where the child stores its parent on `self`: keep `self._<name>` as a `weakref.ref` behind a property
 * and setter named like the attribute, so every read and write of `obj.<name>` keeps working unchanged.
 */
function weakPropertyFix(cycle: BackReferenceCycle, text: string, model: SemanticModel): Fix | undefined {
  const { edge, participant } = cycle;
  const classes = model.fact(CYCLE_CLASS_MODEL);
  const method = edge.scope ? classes.methodOf(edge.scope) : undefined;
  if (!participant || !method || method.owner !== participant) return undefined;
  const name = edge.slot;
  const hidden = `_${name}`;
  const lineage = classes.lineage(participant);
  if (lineage.some((current) => current.classAttributes.has(name) || current.classAttributes.has(hidden) || current.methods.has(hidden))) return undefined;
  if (new RegExp(`\\b${escapeRegExp(hidden)}\\b`).test(participant.definition.text)) return undefined;
  const statement = statementOf(method.definition);
  const indent = indentationOf(text, statement);
  const firstBodyStatement = method.definition.childForFieldName('body')?.namedChildren[0];
  const bodyIndent = firstBodyStatement ? indentationOf(text, firstBodyStatement) : undefined;
  if (indent === undefined || bodyIndent === undefined || !bodyIndent.startsWith(indent) || bodyIndent === indent) return undefined;
  const edits: TextEdit[] = [];
  const slots = participant.slots;
  if (slots) {
    const slotEdits = weakrefSlotEdits(participant, model);
    const slotNode = slots.names?.get(name);
    if (!slots.names || !slotEdits) return undefined;
    if (slotNode) {
      const quote = slotNode.text.startsWith('"') ? '"' : "'";
      edits.push({ range: { start: slotNode.startIndex, end: slotNode.endIndex }, newText: `${quote}${hidden}${quote}` });
    }
    edits.push(...slotEdits);
  }
  const after = insertionPointAfter(text, statement);
  const nl = lineBreakForFix(text, after);
  const inner = bodyIndent;
  const property = [
    '', '',
    `${indent}@property`,
    `${indent}def ${name}(self):`,
    `${inner}ref = self.${hidden}`,
    `${inner}return None if ref is None else ref()`,
    '',
    `${indent}@${name}.setter`,
    `${indent}def ${name}(self, value):`,
    `${inner}self.${hidden} = None if value is None else weakref.ref(value)`,
  ].join(nl);
  edits.push({ range: { start: after, end: after }, newText: property });
  return {
    title: `Hold \`${name}\` through a \`weakref.ref\` behind a \`${name}\` property`,
    applicability: 'unsafe',
    edits,
    imports: WEAKREF_IMPORT,
  };
}

/** GCL101 elsewhere (`child.parent = self`, `node.left.parent = node`): store a `weakref.proxy` instead. */
function weakProxyFix(cycle: BackReferenceCycle, model: SemanticModel): Fix | undefined {
  const { edge } = cycle;
  if (edge.kind !== 'attribute') return undefined;
  const paths = model.fact(CYCLE_OBJECT_PATHS);
  const valuePath = paths.pathOf(edge.value, edge.scope);
  const slotEdits = weakrefSlotEdits(valuePath !== undefined && /^@self#\d+$/.test(valuePath) ? paths.selfClassOf(valuePath) : undefined, model);
  if (!slotEdits) return undefined;
  return {
    title: `Store \`weakref.proxy(${edge.value.text})\``,
    applicability: 'unsafe',
    edits: [{ range: { start: edge.value.startIndex, end: edge.value.endIndex }, newText: `weakref.proxy(${edge.value.text})` }, ...slotEdits],
    imports: WEAKREF_IMPORT,
  };
}

export function backReferenceFix(cycle: BackReferenceCycle, text: string, model: SemanticModel): Fix | undefined {
  if (cycle.edge.kind !== 'attribute' || cycle.edge.via) return undefined;
  const holderPath = model.fact(CYCLE_OBJECT_PATHS).pathOf(cycle.edge.holder, cycle.edge.scope);
  const onSelf = cycle.edge.holder.type === 'identifier' && holderPath !== undefined && /^@self#\d+$/.test(holderPath);
  return onSelf ? weakPropertyFix(cycle, text, model) : weakProxyFix(cycle, model);
}

/** Whether one of `nodes` is part of a parameter default of `closure` (a default keeps its value, not a cell). */
function anyInsideDefault(nodes: readonly SyntaxNode[], closure: SyntaxNode): boolean {
  // By ranges, not by climbing `parent` (each costs the node's depth): see defaultValueAround.
  const defaults = closure.descendantsOfType(DEFAULT_PARAMETER_KINDS);
  return nodes.some((node) => defaults.some((parameter) => parameter.startIndex <= node.startIndex && node.endIndex <= parameter.endIndex));
}

/**
 * GCL102 for a lambda or nested def: `weak_self = weakref.ref(self)` on the line before, and every capture of
 * `self` inside the closure read as `weak_self()`.
 */
export function weakCaptureFix(cycle: ClosureCycle, text: string, model: SemanticModel): Fix | undefined {
  const { edge, closure, captured, captures } = cycle;
  if (cycle.closureKind === 'partial' || captures.length === 0 || !edge.scope) return undefined;
  if (anyInsideDefault(captures, closure)) return undefined;
  const anchor = cycle.closureKind === 'def' ? statementOf(closure) : edge.statement.parent;
  if (!anchor || (cycle.closureKind === 'lambda' && anchor.type !== 'expression_statement')) return undefined;
  const indent = indentationOf(text, anchor);
  const weakName = captured.startsWith('_') ? `weak${captured}` : `weak_${captured}`;
  if (indent === undefined || new RegExp(`\\b${escapeRegExp(weakName)}\\b`).test(edge.scope.text)) return undefined;
  const paths = model.fact(CYCLE_OBJECT_PATHS);
  const capturedPath = paths.pathOf(captures[0], edge.scope);
  const slotEdits = weakrefSlotEdits(capturedPath !== undefined && /^@self#\d+$/.test(capturedPath) ? paths.selfClassOf(capturedPath) : undefined, model);
  if (!slotEdits) return undefined;
  const nl = lineBreakForFix(text, anchor.startIndex);
  const lineStart = lineStartAt(text, anchor.startIndex);
  return {
    title: `Capture \`weakref.ref(${captured})\` instead of \`${captured}\``,
    applicability: 'unsafe',
    edits: [
      { range: { start: lineStart, end: lineStart }, newText: `${indent}${weakName} = weakref.ref(${captured})${nl}` },
      ...captures.map((capture) => ({ range: { start: capture.startIndex, end: capture.endIndex }, newText: `${weakName}()` })),
      ...slotEdits,
    ],
    imports: WEAKREF_IMPORT,
  };
}


