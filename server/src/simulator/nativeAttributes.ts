// Attributes of builtin object kinds: bound native methods and the special attributes (`__defaults__`, `__self__`, ...).
import type { Interp } from './interp';
import type { FunctionCode } from './ast';
import type { NativeFn, PyObject } from './objects';
import { nativeMethod } from './nativeMethods';
import { getAttr } from './objectProtocol';

/** A new reference to the attribute, or null when the kind has no such attribute. */
export function nativeAttribute(it: Interp, obj: PyObject, name: string): PyObject | null {
  const rt = it.rt;
  const heap = it.heap;
  const ref = (v: PyObject | null | undefined): PyObject => (v ? heap.incref(v) : rt.none());
  switch (obj.kind) {
    case 'function':
      switch (name) {
        case '__name__': return rt.str(obj.name);
        case '__qualname__': return rt.str(obj.qualname);
        case '__defaults__': return ref(obj.defaults);
        case '__kwdefaults__': return ref(obj.kwdefaults);
        case '__closure__': return ref(obj.closure);
        case '__globals__': return ref(obj.globals);
        case '__module__': return ref(obj.module);
        case '__doc__': return ref(obj.doc);
        case '__code__': return codeObject(it, obj.code, obj.name);
        case '__dict__':
          obj.dict ??= rt.dict();
          return ref(obj.dict);
        default: break;
      }
      break;
    case 'method':
      switch (name) {
        case '__self__': return ref(obj.self);
        case '__func__': return ref(obj.func);
        case '__name__':
        case '__qualname__':
        case '__doc__':
        case '__module__':
        case '__defaults__':
          return nativeAttribute(it, obj.func, name) ?? rt.none();
        default: {
          const inner = obj.func.kind === 'lru_cache' ? nativeAttribute(it, obj.func, name) : null;
          if (inner) return inner;
        }
      }
      break;
    case 'builtin':
      if (name === '__name__' || name === '__qualname__') return rt.str(obj.name);
      if (name === '__self__') return ref(obj.self);
      break;
    case 'cell':
      if (name === 'cell_contents') {
        if (!obj.ref) rt.raise('ValueError', 'Cell is empty');
        return ref(obj.ref);
      }
      break;
    case 'instance':
      if (obj.exc) {
        switch (name) {
          case 'args': return ref(obj.exc.args);
          case '__traceback__': return ref(obj.exc.traceback);
          case '__context__': return ref(obj.exc.context);
          case '__cause__': return ref(obj.exc.cause);
          case '__suppress_context__': return rt.bool(obj.exc.suppressContext);
          case 'value':
            if (rt.isInstanceOf(obj, 'StopIteration')) return ref(obj.exc.args.items[0]);
            break;
          case 'code':
            if (rt.isInstanceOf(obj, 'SystemExit')) return ref(obj.exc.args.items[0]);
            break;
          default: break;
        }
      }
      break;
    case 'traceback':
      switch (name) {
        case 'tb_frame': return ref(obj.frame);
        case 'tb_next': return ref(obj.next);
        case 'tb_lineno': return rt.int(obj.line);
        default: break;
      }
      break;
    case 'frame':
      switch (name) {
        case 'f_back': return ref(obj.back);
        case 'f_lineno': return rt.int(obj.line);
        case 'f_code': return codeObject(it, obj.code, obj.funcName);
        case 'f_locals': return frameLocals(it, obj);
        case 'f_globals': return ref(obj.globals);
        default: break;
      }
      break;
    case 'weakref':
      if (name === '__callback__') return ref(obj.callback);
      if (obj.flavor === 'proxy' && obj.target) {
        return getAttr(it, obj.target, name);
      }
      if (obj.flavor === 'proxy') rt.raise('ReferenceError', 'weakly-referenced object no longer exists');
      break;
    case 'finalize':
      if (name === 'alive') return rt.bool(obj.ref !== null && obj.ref.target !== null);
      if (name === 'atexit') return rt.bool(obj.atexit);
      break;
    case 'generator':
      if (name === '__name__') return rt.str(obj.name);
      if (name === '__qualname__') return rt.str(obj.qualname);
      if (name === 'gi_frame') return ref(obj.state === 'closed' ? null : obj.frame);
      if (name === 'gi_running') return rt.bool(obj.state === 'running');
      break;
    case 'lru_cache':
      if (name === '__wrapped__') return ref(obj.func);
      if (name === '__dict__') return ref(obj.dict);
      break;
    case 'partial':
      if (name === 'func') return ref(obj.func);
      if (name === 'args') return ref(obj.args);
      if (name === 'keywords') return ref(obj.kwargs);
      break;
    case 'property':
    case 'staticmethod':
    case 'classmethod':
      if (name === 'fget' || name === '__func__') return ref(obj.func);
      if (name === 'fset') return ref(obj.setter);
      if (name === 'fdel') return ref(obj.deleter);
      break;
    case 'opaque': {
      const v = obj.attrs.get(name);
      if (v) return heap.incref(v);
      break;
    }
    case 'class':
      break;
    default:
      break;
  }
  if (name === '__class__') return heap.incref(obj.cls);
  const method: NativeFn | null = nativeMethod(it, obj, name);
  if (method) return rt.builtin(name, method, obj, obj.cls.name);
  return null;
}

/** A code object stand-in (co_name, co_filename, co_firstlineno, co_varnames), one per function body. */
function codeObject(it: Interp, code: FunctionCode | null, name: string): PyObject {
  const key: object = code ?? it.lines;
  const codeObjects = it.codeObjects;
  let obj = codeObjects.get(key);
  if (!obj) {
    const rt = it.rt;
    const line = code ? code.span.line : 1;
    const attrs = new Map<string, PyObject>([
      ['co_name', rt.str(name)],
      ['co_filename', rt.str(it.fileName)],
      ['co_firstlineno', rt.int(line)],
      ['co_varnames', rt.tuple((code?.varnames ?? []).map((v) => rt.str(v)))],
      ['co_argcount', rt.int(code ? code.params.filter((p) => p.kind === 'plain').length : 0)],
    ]);
    obj = it.heap.makeStatic(it.heap.init(rt.type('code'), false, { kind: 'opaque', attrs, repr: `<code object ${name} at %ADDR%, file "${it.fileName}", line ${line}>` }));
    codeObjects.set(key, obj);
  }
  return it.heap.incref(obj);
}

function frameLocals(it: Interp, frame: PyObject & { kind: 'frame' }): PyObject {
  if (frame.namespace) return it.heap.incref(frame.namespace);
  const d = it.rt.dict();
  const code = frame.code;
  if (code) {
    code.varnames.forEach((name, i) => {
      let v = frame.locals[i];
      if (v?.kind === 'cell') v = v.ref;
      if (v) it.rt.dictSetStr(d, name, it.heap.incref(v));
    });
  }
  return d;
}
