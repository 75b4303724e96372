// The simulated `sys` module: getrefcount (per-version stack references), stdout/stderr, exc_info, exit, _getframe.
import { raiseSystemExit } from '../builtinFunctions';
import type { Interp } from '../interp';
import type { OpaqueObj, PyObject } from '../objects';
import type { ModuleBuilder } from './registry';
import type { VersionProfile } from '../versionProfile';

function makeStream(it: Interp, stream: 'stdout' | 'stderr'): OpaqueObj {
  const rt = it.rt;
  const attrs = new Map<string, PyObject>();
  const obj = it.heap.register<OpaqueObj>(it.heap.init(rt.type('TextIOWrapper'), { kind: 'opaque', attrs, repr: `<_io.TextIOWrapper name='<${stream}>' mode='w' encoding='utf-8'>` }));
  attrs.set('write', rt.builtin('write', (args) => {
    const s = args[0];
    if (s?.kind !== 'str') return rt.raise('TypeError', `write() argument must be str, not ${s ? s.cls.name : 'None'}`);
    rt.write(stream, s.value);
    return rt.int(s.value.length);
  }));
  attrs.set('flush', rt.builtin('flush', () => rt.none()));
  attrs.set('name', rt.str(`<${stream}>`));
  return obj;
}

/**
 * What `sys.getrefcount(x)` prints for an object holding `resting` references besides the call's argument: the
 * argument adds one, except that 3.14 loads a local name with a borrowed reference (LOAD_FAST_BORROW); an
 * immortal object (3.12+) prints its fixed refcount.
 */
export function getrefcountPrints(profile: VersionProfile, obj: PyObject, resting: number, argumentIsLocalName: boolean): number {
  if (obj.immortal && profile.immortals) return obj.rc;
  return profile.borrowedLocals && argumentIsLocalName && !obj.immortal ? resting : resting + 1;
}

export function buildSysModule(it: Interp, m: ModuleBuilder): void {
  const rt = it.rt;
  const heap = it.heap;
  const profile = it.profile;
  it.sysModule = m.module;
  it.stdoutObj = makeStream(it, 'stdout');
  it.stderrObj = makeStream(it, 'stderr');
  m.value('stdout', heap.incref(it.stdoutObj));
  m.value('stderr', heap.incref(it.stderrObj));
  m.value('__stdout__', heap.incref(it.stdoutObj));
  m.value('__stderr__', heap.incref(it.stderrObj));
  m.fn('getrefcount', (args) => {
    const obj = args[0];
    if (!obj) rt.raise('TypeError', 'getrefcount() takes exactly one argument (0 given)');
    const site = it.callSite;
    const argExpr = site && site.k === 'call' && site.args.length === 1 && site.args[0].kind === 'pos' ? site.args[0].value : null;
    const localName = argExpr?.k === 'name' && (argExpr.scope === 'local' || argExpr.scope === 'cell');
    // The evaluated argument holds one reference of obj.rc; what the object has without it is one less.
    const resting = obj.immortal && profile.immortals ? obj.rc : obj.rc - 1;
    return rt.int(getrefcountPrints(profile, obj, resting, localName));
  });
  m.fn('exc_info', () => {
    const exc = it.handling[it.handling.length - 1];
    if (!exc) return rt.tuple([rt.none(), rt.none(), rt.none()]);
    return rt.tuple([heap.incref(exc.cls), heap.incref(exc), exc.exc?.traceback ? heap.incref(exc.exc.traceback) : rt.none()]);
  });
  if (profile.minor >= 11) {
    m.fn('exception', () => {
      const exc = it.handling[it.handling.length - 1];
      return exc ? heap.incref(exc) : rt.none();
    });
  }
  m.fn('exit', (args) => raiseSystemExit(it, args[0]));
  m.fn('_getframe', (args) => {
    let depth = args[0]?.kind === 'int' ? Number(args[0].value) : 0;
    let frame = it.frame;
    while (depth-- > 0 && frame.back) frame = frame.back;
    it.materializeFrame(frame);
    return heap.incref(frame);
  });
  m.fn('getrecursionlimit', () => rt.int(1000));
  m.fn('setrecursionlimit', () => rt.none());
  m.fn('intern', (args) => heap.incref(args[0]));
  const [major, minor] = profile.version.split('.').map(Number);
  const micro = { 6: 15, 7: 16, 8: 18, 9: 18, 10: 13, 11: 7, 12: 1, 13: 0, 14: 2 }[minor] ?? 0;
  m.value('version_info', rt.tuple([rt.int(major), rt.int(minor), rt.int(micro), rt.str('final'), rt.int(0)]));
  m.value('version', rt.str(`${major}.${minor}.${micro}`));
  m.value('platform', rt.str('linux'));
  m.value('maxsize', rt.int(2n ** 63n - 1n));
  m.value('argv', rt.list([rt.str(it.fileName)]));
  m.value('byteorder', rt.str('little'));
  m.value('modules', rt.dict());
}
