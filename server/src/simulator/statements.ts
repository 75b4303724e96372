// Statement execution: one `execStmt` switch over the statement kinds, plus class/module annotation recording.
import type { Stmt } from './ast';
import { evalExpr } from './evaluate';
import { Completion, type Interp } from './interp';
import { getAttr } from './objectProtocol';
import type { DictObj, PyObject } from './objects';
import { PyError, RunStopped } from './runtime';
import { buildClass } from './classes';
import { augAssign } from './assignments';
import { execFor, execRaise, execTry, execWith } from './controlFlow';
import { importModule } from './modules/registry';
import { TEMPORARY } from './heap';

/** Executes one statement at the current frame (line, tick, then the statement itself). */
export function execStmt(it: Interp, s: Stmt): Completion {
  const frame = it.frame;
  it.heap.holderHint = TEMPORARY; // a label never outlives the store that set it, even one a Python error cut short
  frame.line = s.s.line;
  frame.span = null;
  it.rt.line = s.s.line;
  it.tick(s.s.line);
  switch (s.k) {
    case 'expr': {
      const v = evalExpr(it, s.value);
      it.heap.decref(v);
      return Completion.Normal;
    }
    case 'assign': {
      const value = evalExpr(it, s.value);
      const targets = s.targets;
      for (let i = 0; i < targets.length - 1; i++) it.assign(targets[i], it.heap.incref(value));
      it.assign(targets[targets.length - 1], value);
      return Completion.Normal;
    }
    case 'annassign':
      if (s.value) it.assign(s.target, evalExpr(it, s.value));
      if (s.target.k === 'name' && frame.namespace && s.annotationText) recordAnnotation(it, frame.namespace, s.target.id, s);
      return Completion.Normal;
    case 'augassign':
      augAssign(it, s);
      return Completion.Normal;
    case 'return':
      it.retval = s.value ? evalExpr(it, s.value) : it.rt.none();
      return Completion.Return;
    case 'pass':
    case 'global':
    case 'nonlocal':
      return Completion.Normal;
    case 'break':
      return Completion.Break;
    case 'continue':
      return Completion.Continue;
    case 'if':
      return it.execBlock(it.truth(s.cond) ? s.body : s.orelse);
    case 'while': {
      while (it.truth(s.cond)) {
        const c = it.execBlock(s.body);
        if (it.collectionPending) it.evalBreaker();
        if (c === Completion.Break) return Completion.Normal;
        if (c === Completion.Return) return c;
        it.frame.line = s.s.line;
      }
      return it.execBlock(s.orelse);
    }
    case 'for':
      return execFor(it, s);
    case 'try':
      return execTry(it, s);
    case 'with':
      return execWith(it, s, 0);
    case 'def': {
      const fn = it.makeFunction(s.code);
      it.assign(s.target, it.decorate(s.decorators, fn));
      return Completion.Normal;
    }
    case 'class': {
      const cls = buildClass(it, s);
      it.assign(s.target, it.decorate(s.decorators, cls));
      return Completion.Normal;
    }
    case 'del':
      for (const t of s.targets) it.deleteTarget(t);
      return Completion.Normal;
    case 'assert': {
      if (it.truth(s.test)) return Completion.Normal;
      const msg = s.msg ? [evalExpr(it, s.msg)] : [];
      throw new PyError(it.rt.newException(it.rt.type('AssertionError'), it.rt.tuple(msg)));
    }
    case 'raise':
      return execRaise(it, s);
    case 'import':
      for (const n of s.names) {
        const mod = importModule(it, n.module, s.s.line);
        it.assign(n.target, mod);
      }
      return Completion.Normal;
    case 'importfrom': {
      const mod = importModule(it, s.module, s.s.line);
      try {
        for (const n of s.names) {
          let value: PyObject;
          try {
            value = getAttr(it, mod, n.name);
          } catch (err) {
            if (!(err instanceof PyError)) throw err;
            it.heap.decref(err.exc);
            it.rt.raise('ImportError', `cannot import name '${n.name}' from '${s.module}'`);
          }
          it.assign(n.target, value);
        }
      } finally {
        it.heap.decref(mod);
      }
      return Completion.Normal;
    }
    case 'unsupported':
      throw new RunStopped({ kind: 'unsupported', construct: s.construct }, s.s.line);
    default: {
      const never: never = s;
      return never;
    }
  }
}

/** Module and class bodies keep `name: annotation` in `__annotations__` (evaluated, or the text under PEP 563). */
function recordAnnotation(it: Interp, namespace: DictObj, name: string, s: Extract<Stmt, { k: 'annassign' }>): void {
  let annotations = namespace.entries.get('s:__annotations__')?.value;
  if (!annotations || annotations.kind !== 'dict') {
    annotations = it.rt.dict();
    it.rt.dictSetStr(namespace, '__annotations__', annotations);
  }
  const value = s.annotation ? evalExpr(it, s.annotation) : it.rt.str(s.annotationText);
  it.rt.dictSetStr(annotations as DictObj, name, value);
}
