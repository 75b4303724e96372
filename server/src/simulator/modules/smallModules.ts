// Small modules: atexit (handlers run at exit, newest first), time (sleep is a no-op), tempfile/shutil/os stand-ins.
import type { Interp } from '../interp';
import { newBoundMethod } from '../objectProtocol';
import type { ModuleBuilder } from './registry';

const TYPING_NAMES = [
  'Any', 'Optional', 'Union', 'Callable', 'Iterable', 'Iterator', 'Generator', 'Sequence', 'Mapping', 'MutableMapping', 'MutableSequence',
  'ClassVar', 'Final', 'Literal', 'Protocol', 'Generic', 'NoReturn', 'Awaitable', 'Coroutine', 'AbstractSet', 'Hashable', 'Sized',
  'List', 'Dict', 'Set', 'FrozenSet', 'Tuple', 'Type', 'Self', 'TypeAlias', 'Annotated', 'NamedTuple', 'TypedDict', 'DefaultDict',
];

export function buildSmallModules(it: Interp, name: string, m: ModuleBuilder): void {
  const rt = it.rt;
  const heap = it.heap;
  switch (name) {
    case 'atexit':
      m.fn('register', (args, kwargs) => {
        const [func, ...rest] = args;
        if (!func) rt.raise('TypeError', 'register() takes at least 1 argument (0 given)');
        const kw = kwargs && kwargs.size ? new Map([...kwargs].map(([k, v]) => [k, heap.incref(v)])) : null;
        it.atexit.push({ func: heap.incref(func), args: rest.map((a) => heap.incref(a)), kwargs: kw });
        return heap.incref(func);
      });
      m.fn('unregister', (args) => {
        for (let i = it.atexit.length - 1; i >= 0; i--) {
          const e = it.atexit[i];
          if (e.func === args[0]) {
            it.atexit.splice(i, 1);
            heap.decref(e.func);
            for (const a of e.args) heap.decref(a);
          }
        }
        return rt.none();
      });
      return;
    case 'time': {
      let clock = 1_700_000_000;
      m.fn('sleep', () => rt.none());
      m.fn('time', () => rt.float((clock += 0.001)));
      m.fn('perf_counter', () => rt.float((clock += 0.001) - 1_700_000_000));
      m.fn('monotonic', () => rt.float((clock += 0.001) - 1_700_000_000));
      m.fn('process_time', () => rt.float((clock += 0.001) - 1_700_000_000));
      return;
    }
    case 'tempfile': {
      let n = 0;
      m.fn('mkdtemp', () => rt.str(`/tmp/tmp${(++n).toString(36).padStart(8, 'x')}`));
      m.fn('gettempdir', () => rt.str('/tmp'));
      return;
    }
    case 'shutil':
      m.fn('rmtree', () => rt.none());
      return;
    case 'os':
      m.fn('getpid', () => rt.int(4242));
      m.value('sep', rt.str('/'));
      return;
    case 'types':
      m.fn('MethodType', (args) => newBoundMethod(it, args[0], args[1]));
      return;
    case 'typing': {
      // Annotations are not evaluated by the simulator; the names only have to exist (generic aliases subscript to themselves).
      const aliases: Record<string, string> = { List: 'list', Dict: 'dict', Set: 'set', FrozenSet: 'frozenset', Tuple: 'tuple', Type: 'type' };
      for (const name of TYPING_NAMES) m.value(name, heap.incref(rt.type(aliases[name] ?? 'object')));
      m.value('TYPE_CHECKING', rt.bool(false));
      m.fn('TypeVar', (args) => heap.incref(args[0] ?? rt.None));
      m.fn('cast', (args) => heap.incref(args[1] ?? rt.None));
      for (const name of ['overload', 'final', 'runtime_checkable', 'no_type_check']) m.fn(name, (args) => heap.incref(args[0] ?? rt.None));
      return;
    }
    case 'abc':
      m.value('ABC', heap.incref(rt.type('object')));
      m.value('ABCMeta', heap.incref(rt.type('type')));
      m.fn('abstractmethod', (args) => heap.incref(args[0] ?? rt.None));
      return;
    default:
      return;
  }
}
