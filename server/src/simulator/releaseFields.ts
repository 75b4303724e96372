// Field release on deallocation: drops every reference a dying object holds, in its tp_dealloc's order.
import type { Heap } from './heap';
import type { InstanceObj, PyObject } from './objects';

/** Drops every reference the object holds, in the order its tp_dealloc does. */
export function releaseFields(heap: Heap, obj: PyObject): void {
  switch (obj.kind) {
    case 'tuple':
    case 'list': {
      const items = obj.items;
      obj.items = [];
      for (let i = items.length - 1; i >= 0; i--) heap.decref(items[i]);
      return;
    }
    case 'dict': {
      const entries = [...obj.entries.values()];
      const factory = obj.factory;
      obj.entries = new Map();
      obj.factory = null;
      heap.xdecref(factory);
      for (const entry of entries) {
        heap.decref(entry.key);
        heap.decref(entry.value);
      }
      return;
    }
    case 'set':
    case 'frozenset': {
      const items = [...obj.entries.values()];
      obj.entries = new Map();
      for (const item of items) heap.decref(item);
      return;
    }
    case 'cell': {
      const ref = obj.ref;
      obj.ref = null;
      heap.xdecref(ref);
      return;
    }
    case 'function': {
      const fields = [obj.globals, obj.module, obj.defaults, obj.kwdefaults, obj.doc, obj.dict, obj.closure];
      obj.defaults = null;
      obj.kwdefaults = null;
      obj.doc = null;
      obj.dict = null;
      obj.closure = null;
      for (const f of fields) heap.xdecref(f);
      return;
    }
    case 'class': {
      const fields = [obj.dict, obj.mroTuple, obj.basesTuple];
      obj.mroTuple = null;
      obj.basesTuple = null;
      for (const f of fields) heap.xdecref(f);
      return;
    }
    case 'instance':
      releaseInstance(heap, obj);
      return;
    case 'method':
      heap.decref(obj.func);
      heap.decref(obj.self);
      return;
    case 'builtin':
      heap.xdecref(obj.self);
      return;
    case 'module':
      heap.decref(obj.dict);
      return;
    case 'frame': {
      const locals = obj.locals.splice(0);
      for (const l of locals) heap.xdecref(l);
      const stack = obj.stack.splice(0);
      for (const s of stack) heap.decref(s);
      obj.back = null; // a borrowed pointer: the caller's frame outlives the call
      heap.xdecref(obj.namespace);
      heap.decref(obj.globals);
      return;
    }
    case 'traceback': {
      const next = obj.next;
      obj.next = null;
      heap.xdecref(next);
      heap.decref(obj.frame);
      return;
    }
    case 'weakref': {
      const target = obj.target;
      if (target?.weakrefs) {
        const i = target.weakrefs.indexOf(obj);
        if (i >= 0) target.weakrefs.splice(i, 1);
      }
      obj.target = null;
      const cb = obj.callback;
      obj.callback = null;
      heap.xdecref(cb);
      if (obj.funcRef) heap.decref(obj.funcRef);
      return;
    }
    case 'weakvaluedict':
    case 'weakkeydict':
    case 'weakset': {
      const entries = [...obj.entries.values()];
      obj.entries.clear();
      for (const e of entries) {
        if (obj.kind === 'weakvaluedict') heap.decref(e.key);
        else if (obj.kind === 'weakkeydict') heap.decref(e.value);
        heap.decref(e.ref);
      }
      return;
    }
    case 'finalize': {
      const fields = [obj.ref, obj.func, obj.args, obj.kwargs];
      obj.ref = null;
      obj.func = null;
      obj.args = null;
      obj.kwargs = null;
      for (const f of fields) heap.xdecref(f);
      return;
    }
    case 'partial':
      heap.decref(obj.func);
      heap.decref(obj.args);
      heap.decref(obj.kwargs);
      heap.xdecref(obj.dict);
      return;
    case 'lru_cache':
      heap.decref(obj.cache);
      heap.decref(obj.func);
      heap.decref(obj.dict);
      return;
    case 'property':
    case 'staticmethod':
    case 'classmethod':
      heap.xdecref(obj.func);
      heap.xdecref(obj.setter);
      heap.xdecref(obj.deleter);
      return;
    case 'iterator': {
      const source = obj.source;
      obj.source = null;
      heap.xdecref(source);
      return;
    }
    case 'generator': {
      const frame = obj.frame;
      obj.frame = null;
      obj.runner = null;
      heap.xdecref(frame);
      return;
    }
    case 'super':
      heap.decref(obj.type);
      heap.decref(obj.self);
      return;
    case 'opaque': {
      const values = [...obj.attrs.values()];
      obj.attrs.clear();
      for (const v of values) heap.decref(v);
      return;
    }
    default:
      return;
  }
}

/** Drops an instance's attributes: its materialized `__dict__`, or else its inline values (dealloc and tp_clear share it). */
export function releaseAttributes(heap: Heap, obj: InstanceObj): void {
  if (obj.dict) {
    const dict = obj.dict;
    obj.dict = null;
    obj.attrs = null;
    dict.owner = null;
    heap.decref(dict);
  } else if (obj.attrs) {
    const entries = [...obj.attrs.values()];
    obj.attrs = null;
    for (const e of entries) {
      heap.decref(e.key);
      heap.decref(e.value);
    }
  }
}

function releaseInstance(heap: Heap, obj: InstanceObj): void {
  if (obj.slotValues) {
    const values = [...obj.slotValues.values()];
    obj.slotValues = null;
    for (const v of values) heap.decref(v);
  }
  releaseAttributes(heap, obj);
  if (obj.exc) {
    const e = obj.exc;
    obj.exc = null;
    heap.decref(e.args);
    heap.xdecref(e.traceback);
    heap.xdecref(e.cause);
    heap.xdecref(e.context);
    heap.xdecref(e.obj);
  }
  heap.decref(obj.cls);
}
