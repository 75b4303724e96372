// Subscription: `obj[index]` reads, stores and deletes for sequences, mappings, weak containers and user classes.
import type { Interp } from './interp';
import { lookupSpecial } from './objectProtocol';
import type { PyObject } from './objects';
import { callUnary, hashKey, toArray, weakKeyOf } from './operators';
import { PyError } from './runtime';
import { callObject } from './calls';
import { reprOf } from './reprs';
import { weakContainerSet, weakContainerDelete } from './modules/weakContainers';

function indexValue(it: Interp, index: PyObject): number {
  if (index.kind === 'int') return Number(index.value);
  if (index.kind === 'bool') return index.value ? 1 : 0;
  return it.rt.raise('TypeError', `list indices must be integers or slices, not ${index.cls.name}`);
}

/** Slice bounds normalized like PySlice_AdjustIndices. */
export function sliceBounds(it: Interp, slice: PyObject, length: number): { start: number; stop: number; step: number } {
  if (slice.kind !== 'tuple' || slice.items.length !== 3) return { start: 0, stop: length, step: 1 };
  const [lo, hi, st] = slice.items;
  const step = st.kind === 'none' ? 1 : indexValue(it, st);
  if (step === 0) it.rt.raise('ValueError', 'slice step cannot be zero');
  const clamp = (v: PyObject, dflt: number): number => {
    if (v.kind === 'none') return dflt;
    let n = indexValue(it, v);
    if (n < 0) n += length;
    if (step > 0) return Math.min(Math.max(n, 0), length);
    return Math.min(Math.max(n, -1), length - 1);
  };
  return step > 0 ? { start: clamp(lo, 0), stop: clamp(hi, length), step } : { start: clamp(lo, length - 1), stop: clamp(hi, -1), step };
}

function sliceIndices(b: { start: number; stop: number; step: number }): number[] {
  const out: number[] = [];
  for (let i = b.start; b.step > 0 ? i < b.stop : i > b.stop; i += b.step) out.push(i);
  return out;
}

/** Slices are passed around as ('slice', lower, upper, step) marker tuples built by the evaluator. */
export function isSliceMarker(obj: PyObject): boolean {
  return obj.kind === 'tuple' && obj.cls.name === 'slice';
}

export function getItem(it: Interp, obj: PyObject, index: PyObject): PyObject {
  const heap = it.heap;
  switch (obj.kind) {
    case 'list':
    case 'tuple': {
      if (isSliceMarker(index)) {
        const picked = sliceIndices(sliceBounds(it, index, obj.items.length)).map((i) => heap.incref(obj.items[i]));
        return obj.kind === 'list' ? it.rt.list(picked) : it.rt.tuple(picked);
      }
      let i = indexValue(it, index);
      if (i < 0) i += obj.items.length;
      if (i < 0 || i >= obj.items.length) it.rt.raise('IndexError', `${obj.kind} index out of range`);
      return heap.incref(obj.items[i]);
    }
    case 'str': {
      const chars = [...obj.value];
      if (isSliceMarker(index)) return it.rt.str(sliceIndices(sliceBounds(it, index, chars.length)).map((i) => chars[i]).join(''));
      let i = indexValue(it, index);
      if (i < 0) i += chars.length;
      if (i < 0 || i >= chars.length) it.rt.raise('IndexError', 'string index out of range');
      return it.rt.str(chars[i]);
    }
    case 'dict': {
      const entry = obj.entries.get(hashKey(it, index));
      if (!entry && obj.factory) {
        // defaultdict.__missing__: store and return default_factory()
        const value = callObject(it, obj.factory, [], null);
        it.rt.dictSet(obj, hashKey(it, index), heap.incref(index), heap.incref(value));
        return value;
      }
      if (!entry) {
        const err = it.rt.makeException('KeyError', [heap.incref(index)]);
        throw new PyError(err);
      }
      return heap.incref(entry.value);
    }
    case 'range': {
      const len = Math.max(0, Math.ceil((obj.stop - obj.start) / obj.step));
      let i = indexValue(it, index);
      if (i < 0) i += len;
      if (i < 0 || i >= len) it.rt.raise('IndexError', 'range object index out of range');
      return it.rt.int(obj.start + i * obj.step);
    }
    case 'weakvaluedict':
    case 'weakkeydict': {
      const key = obj.kind === 'weakvaluedict' ? hashKey(it, index) : weakKeyOf(it, index);
      const entry = key === null ? undefined : obj.entries.get(key);
      const value = entry ? (obj.kind === 'weakvaluedict' ? entry.ref.target : entry.value) : null;
      if (!value || !entry?.ref.target) {
        const err = it.rt.makeException('KeyError', [heap.incref(index)]);
        throw new PyError(err);
      }
      return heap.incref(value);
    }
    case 'instance': {
      const m = lookupSpecial(it, obj, '__getitem__');
      if (m) return callUnary(it, m, obj, heap.incref(index));
      break;
    }
    case 'class': {
      if (obj.builtin !== null) return heap.incref(obj); // list[int] and friends: generic aliases are not modelled
      break;
    }
    default:
      break;
  }
  return it.rt.raise('TypeError', `'${obj.cls.name}' object is not subscriptable`);
}

/** `obj[index] = value`; `value` is consumed. */
export function setItem(it: Interp, obj: PyObject, index: PyObject, value: PyObject): void {
  // Only a list's or a dict's own store is labelled: `__setitem__` runs Python code whose references are its own.
  if (obj.kind !== 'list' && obj.kind !== 'dict') return setItemUnlabelled(it, obj, index, value);
  it.heap.withHolder(obj, () => `item of ${it.heap.label(obj)}`, () => setItemUnlabelled(it, obj, index, value));
}

function setItemUnlabelled(it: Interp, obj: PyObject, index: PyObject, value: PyObject): void {
  const heap = it.heap;
  switch (obj.kind) {
    case 'list': {
      if (isSliceMarker(index)) {
        const b = sliceBounds(it, index, obj.items.length);
        const items = toArray(it, value);
        heap.decrefTemporary(value);
        if (b.step !== 1) it.rt.raise('ValueError', 'extended slice assignment is not supported');
        const removed = obj.items.splice(b.start, Math.max(0, b.stop - b.start), ...items);
        for (const r of removed.reverse()) heap.decref(r);
        return;
      }
      let i = indexValue(it, index);
      if (i < 0) i += obj.items.length;
      if (i < 0 || i >= obj.items.length) {
        heap.decrefTemporary(value);
        it.rt.raise('IndexError', 'list assignment index out of range');
      }
      const old = obj.items[i];
      obj.items[i] = value;
      heap.decref(old);
      return;
    }
    case 'dict': {
      let key;
      try {
        key = hashKey(it, index);
      } catch (err) {
        heap.decrefTemporary(value);
        throw err;
      }
      it.rt.dictSet(obj, key, heap.incref(index), value);
      return;
    }
    case 'weakvaluedict':
    case 'weakkeydict':
      weakContainerSet(it, obj, index, value);
      return;
    case 'instance': {
      const m = lookupSpecial(it, obj, '__setitem__');
      if (m) {
        heap.decref(callUnary(it, m, obj, heap.incref(index), value));
        return;
      }
      break;
    }
    default:
      break;
  }
  heap.decref(value);
  it.rt.raise('TypeError', `'${obj.cls.name}' object does not support item assignment`);
}

export function delItem(it: Interp, obj: PyObject, index: PyObject): void {
  const heap = it.heap;
  switch (obj.kind) {
    case 'list': {
      if (isSliceMarker(index)) {
        const b = sliceBounds(it, index, obj.items.length);
        const idx = sliceIndices(b).sort((x, y) => y - x);
        // list_ass_slice drops the removed items last first
        const removed: PyObject[] = [];
        for (const i of idx) removed.push(...obj.items.splice(i, 1));
        for (const r of removed) heap.decref(r);
        return;
      }
      let i = indexValue(it, index);
      if (i < 0) i += obj.items.length;
      if (i < 0 || i >= obj.items.length) it.rt.raise('IndexError', 'list assignment index out of range');
      const [old] = obj.items.splice(i, 1);
      heap.decref(old);
      return;
    }
    case 'dict':
      if (!it.rt.dictDelete(obj, hashKey(it, index))) {
        const err = it.rt.makeException('KeyError', [heap.incref(index)]);
        throw new PyError(err);
      }
      return;
    case 'weakvaluedict':
    case 'weakkeydict':
      if (!weakContainerDelete(it, obj, index)) it.rt.raise('KeyError', reprOf(it, index));
      return;
    case 'instance': {
      const m = lookupSpecial(it, obj, '__delitem__');
      if (m) {
        heap.decref(callUnary(it, m, obj, heap.incref(index)));
        return;
      }
      break;
    }
    default:
      break;
  }
  it.rt.raise('TypeError', `'${obj.cls.name}' object doesn't support item deletion`);
}
