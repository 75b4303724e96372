// Assignment targets: names (locals, cells, globals, class namespaces), attributes, items, unpacking, del.
import type { Expr, Stmt } from './ast';
import { evalExpr, evalSubscriptOf } from './evaluate';
import type { Interp } from './interp';
import { delAttr, getAttr, setAttr } from './objectProtocol';
import type { PyObject } from './objects';
import { delItem, inplaceOp as inplace, iterate, setItem } from './operators';
import { RunStopped } from './runtime';
export function augAssign(it: Interp, s: Extract<Stmt, { k: 'augassign' }>): void {
  const target = s.target;
  if (target.k === 'name') {
    const current = evalExpr(it, target);
    const rhs = evalExpr(it, s.value);
    it.frame.span = s.s;
    const result = applyInplace(it, s.op, current, rhs);
    assign(it, target, result);
    return;
  }
  if (target.k === 'attr') {
    const obj = evalExpr(it, target.obj);
    try {
      it.frame.span = target.s;
      const current = getAttr(it, obj, target.name);
      const rhs = evalExpr(it, s.value);
      const result = applyInplace(it, s.op, current, rhs);
      setAttr(it, obj, target.name, result);
    } finally {
      it.heap.decref(obj);
    }
    return;
  }
  if (target.k === 'subscript') {
    const obj = evalExpr(it, target.obj);
    const index = evalExpr(it, target.index);
    try {
      const current = evalSubscriptOf(it, obj, index, target);
      const rhs = evalExpr(it, s.value);
      const result = applyInplace(it, s.op, current, rhs);
      setItem(it, obj, index, result);
    } finally {
      it.heap.decref(obj);
      it.heap.decref(index);
    }
    return;
  }
  throw new RunStopped({ kind: 'unsupported', construct: 'augmented assignment target' }, s.s.line);
}

/** Stores `value` (an owned reference, consumed) into an assignment target. */
export function assign(it: Interp, target: Expr, value: PyObject): void {
  switch (target.k) {
    case 'name':
      storeName(it, target, value);
      return;
    case 'attr': {
      let obj: PyObject;
      try {
        obj = evalExpr(it, target.obj);
      } catch (err) {
        it.heap.decref(value);
        throw err;
      }
      try {
        it.frame.span = target.s;
        setAttr(it, obj, target.name, value);
      } finally {
        it.heap.decref(obj);
      }
      return;
    }
    case 'subscript': {
      let obj: PyObject | null = null;
      let index: PyObject | null = null;
      try {
        obj = evalExpr(it, target.obj);
        index = evalExpr(it, target.index);
      } catch (err) {
        it.heap.xdecref(obj);
        it.heap.decref(value);
        throw err;
      }
      try {
        it.frame.span = target.s;
        setItem(it, obj, index, value);
      } finally {
        it.heap.decref(obj);
        it.heap.decref(index);
      }
      return;
    }
    case 'tuple':
    case 'list':
      unpack(it, target.items, value, target.s.line);
      return;
    default:
      it.heap.decref(value);
      throw new RunStopped({ kind: 'unsupported', construct: `assignment to ${target.k}` }, target.s.line);
  }
}

export function unpack(it: Interp, targets: readonly Expr[], value: PyObject, _line: number): void {
  const items: PyObject[] = [];
  try {
    iterate(it, value, (item) => {
      items.push(item);
      return true;
    });
  } finally {
    it.heap.decref(value);
  }
  const starIndex = targets.findIndex((t) => t.k === 'starred');
  if (starIndex < 0 && items.length !== targets.length) {
    for (const i of items) it.heap.decref(i);
    if (items.length > targets.length) it.rt.raise('ValueError', `too many values to unpack (expected ${targets.length})`);
    it.rt.raise('ValueError', `not enough values to unpack (expected ${targets.length}, got ${items.length})`);
  }
  if (starIndex >= 0) {
    const after = targets.length - starIndex - 1;
    const starred = items.splice(starIndex, items.length - starIndex - after);
    items.splice(starIndex, 0, it.rt.list(starred));
  }
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    assign(it, t.k === 'starred' ? t.value : t, items[i]);
  }
}

/** The holder label of a name in the current frame: `global 'x'`, `local 'x'`, `class body name 'x'`. */
export function nameHolder(it: Interp, target: Extract<Expr, { k: 'name' }>): string {
  const frame = it.frame;
  if (target.scope === 'global' || (target.scope === 'name' && (!frame.namespace || frame.namespace === frame.globals))) return `global '${target.id}'`;
  return target.scope === 'name' ? `class body name '${target.id}'` : `local '${target.id}'`;
}

export function storeName(it: Interp, target: Extract<Expr, { k: 'name' }>, value: PyObject): void {
  it.heap.withHolder(undefined, () => nameHolder(it, target), () => storeNameUnlabelled(it, target, value));
}

function storeNameUnlabelled(it: Interp, target: Extract<Expr, { k: 'name' }>, value: PyObject): void {
  const frame = it.frame;
  switch (target.scope) {
    case 'local': {
      const old = frame.locals[target.slot];
      frame.locals[target.slot] = value;
      it.heap.xdecref(old);
      return;
    }
    case 'cell':
    case 'free': {
      const cell = frame.locals[target.slot];
      if (cell && cell.kind === 'cell') {
        const old = cell.ref;
        cell.ref = value;
        it.heap.xdecref(old);
        return;
      }
      break;
    }
    case 'name':
      if (frame.namespace) {
        it.rt.dictSetStr(frame.namespace, target.id, value);
        return;
      }
      break;
    default:
      break;
  }
  it.rt.dictSetStr(frame.namespace ?? frame.globals, target.id, value);
}

/** `del name`: the frame's slot, the cell or the namespace entry. */
function deleteName(it: Interp, target: Extract<Expr, { k: 'name' }>): void {
  const frame = it.frame;
  if (target.scope === 'local') {
    const old = frame.locals[target.slot];
    if (!old) it.unboundLocal(target.id);
    frame.locals[target.slot] = null;
    it.heap.decref(old);
    return;
  }
  if (target.scope === 'cell' || target.scope === 'free') {
    const cell = frame.locals[target.slot];
    if (cell?.kind === 'cell' && cell.ref) {
      const old = cell.ref;
      cell.ref = null;
      it.heap.decref(old);
      return;
    }
    it.unboundLocal(target.id);
  }
  const ns = target.scope === 'name' && frame.namespace ? frame.namespace : target.scope === 'global' ? frame.globals : (frame.namespace ?? frame.globals);
  if (!it.rt.dictDelete(ns, 's:' + target.id)) it.rt.raiseNameError(target.id);
}

export function deleteTarget(it: Interp, target: Expr): void {
  const frame = it.frame;
  frame.span = target.s;
  switch (target.k) {
    case 'name':
      it.heap.withHolder(undefined, () => nameHolder(it, target), () => deleteName(it, target));
      return;
    case 'attr': {
      const obj = evalExpr(it, target.obj);
      try {
        frame.span = target.s;
        delAttr(it, obj, target.name);
      } finally {
        it.heap.decref(obj);
      }
      return;
    }
    case 'subscript': {
      const obj = evalExpr(it, target.obj);
      let index: PyObject | null = null;
      try {
        index = evalExpr(it, target.index);
        frame.span = target.s;
        delItem(it, obj, index);
      } finally {
        it.heap.decref(obj);
        it.heap.xdecref(index);
      }
      return;
    }
    case 'tuple':
    case 'list':
      for (const t of target.items) deleteTarget(it, t);
      return;
    default:
      throw new RunStopped({ kind: 'unsupported', construct: `del of ${target.k}` }, target.s.line);
  }
}

/** An augmented assignment's operation on two owned operands (both released). */
function applyInplace(it: Interp, op: Parameters<typeof inplace>[1], left: PyObject, right: PyObject): PyObject {
  try {
    return inplace(it, op, left, right);
  } finally {
    it.heap.decref(left);
    it.heap.decref(right);
  }
}
