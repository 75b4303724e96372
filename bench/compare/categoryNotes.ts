// What each disagreement category means, who is right, and why: the prose of bench/compare-mutable-defaults.md.
import type { CategoryId } from './threeWay';

export type Verdict = 'GCL001 right' | 'by design' | 'GCL001 wrong' | 'to review';

export interface CategoryNote {
  readonly title: string;
  readonly verdict: Verdict;
  readonly explanation: string;
}

export const CATEGORY_NOTES: Readonly<Record<CategoryId, CategoryNote>> = {
  'pylint-infers-existing-object': {
    title: 'Pylint only: a name or attribute that infers to an existing list/dict/set',
    verdict: 'by design',
    explanation: [
      'Pylint runs astroid inference on every default and flags it when the first value inferred is a builtin',
      '`list`, `dict` or `set`, whatever the expression is: `def shutdown(handlerList=_handlerList)` with',
      '`_handlerList = []` at module level, `_b=BACKSLASH`, `mapping=_sentinel_dict`, `l = self.bindedfuncs`.',
      'The `def` does not create that object: it binds one that already exists and is already as long-lived as',
      'the module or the object it came from. In the standard library these are deliberate: the "bind a global',
      'as a fast local" idiom (`json.decoder`, `logging.shutdown`, `multiprocessing.util`), sentinels',
      '(`string._sentinel_dict`, `tkinter._noarg_`), closures that capture a loop or enclosing variable by',
      'default (`pydoc`, `test_urllib`, `tkinter`). The `None`-sentinel fix would break every one of them (it',
      'would replace the shared object by a fresh one). Ruff\'s B006 and GCL001 flag only values the default',
      'expression itself creates (DESIGN §3: displays, comprehensions, known constructor calls), so both are',
      'silent here, as intended.',
    ].join('\n'),
  },
  'pylint-cannot-parse': {
    title: 'Pylint silent: it cannot parse the file (newer syntax than its Python)',
    verdict: 'GCL001 right',
    explanation: [
      'Debian\'s pylint runs on Debian\'s Python 3.11; astroid parses with that interpreter\'s `ast`, so files',
      'using 3.12+ syntax (PEP 701 f-strings such as nested quotes, PEP 695 `type`/`class C[T]`) fail with',
      'E0001 and nothing in them is checked. Ruff and tree-sitter parse them.',
    ].join('\n'),
  },
  'pylint-crashed': {
    title: 'Pylint silent: astroid could not build the module',
    verdict: 'GCL001 right',
    explanation: [
      'Pylint reported F0002 (astroid-error) or printed nothing for the file, so it checked nothing in it.',
      'In parallel mode (`--jobs 2`) such a failure loses the whole batch\'s output; the comparison re-runs',
      'a lost batch serially so only the failing file itself is missing.',
    ].join('\n'),
  },
  'lambda-default': {
    title: 'GCL001 only: a lambda\'s default',
    verdict: 'GCL001 right',
    explanation: [
      'A lambda\'s defaults are evaluated once and shared exactly like a `def`\'s (`lambda x, l=[]: …`).',
      'Pylint checks W0102 only in `visit_functiondef`, and Ruff\'s B006 only on function definitions, so',
      'neither looks at lambdas; GCL001 does, as the issue asks (no fix is offered: a lambda has no body',
      'to put the `is None` check in).',
    ].join('\n'),
  },
  'constructor-beyond-ruff': {
    title: 'GCL001 (and perhaps Pylint), not Ruff: a mutable constructor Ruff does not know',
    verdict: 'GCL001 right',
    explanation: [
      'Each of these calls creates a new mutable object that every call of the function then shares:',
      '`bytearray()`, `sorted(...)` (a new list), `array.array(...)`, `queue.Queue()`, `io.StringIO()`,',
      '`io.BytesIO()`, `types.SimpleNamespace()`, `dict.fromkeys(...)`. Ruff 0.17\'s B006 knows the builtin',
      '`list`/`dict`/`set`, the `collections` types and the `weakref` containers, not these. Pylint flags',
      'what astroid infers to be a builtin `list`/`dict`/`set` or a `collections` type, so it catches',
      '`dict.fromkeys(...)` but not the others. GCL001 resolves the call through imports and aliases and',
      'checks it against its list of mutable constructors.',
    ].join('\n'),
  },
  'constructor-beyond-pylint': {
    title: 'GCL001 and Ruff, not Pylint: a mutable constructor Pylint does not know',
    verdict: 'GCL001 right',
    explanation: [
      'Pylint\'s W0102 only knows the builtin `list`, `dict` and `set` and the `collections` types (by the',
      'qualified name astroid infers); `weakref.WeakSet()` and `weakref.WeakValueDictionary()` are mutable',
      'containers too, and Ruff and GCL001 both flag them.',
    ].join('\n'),
  },
  'pylint-misses-comprehension': {
    title: 'GCL001 and Ruff, not Pylint: a comprehension',
    verdict: 'GCL001 right',
    explanation: [
      'A list, dict or set comprehension as a default builds one container when the `def` runs, exactly like',
      'a display. astroid does not infer a comprehension to a `list`/`dict`/`set` instance, so W0102 never',
      'fires on one; Ruff and GCL001 treat comprehensions like displays.',
    ].join('\n'),
  },
  'mutable-inside-expression': {
    title: 'GCL001, not Ruff: a mutable value inside a tuple, conditional or boolean expression',
    verdict: 'GCL001 right',
    explanation: [
      'A tuple is immutable but its elements are shared: `a=([],)` hands every call the same list, and',
      '`a=[] if flag else None` does whenever `flag` was true at `def` time. Ruff looks at the default\'s',
      'outermost expression only. Pylint infers the value, so it follows `None or []` and `([])` (both',
      'evaluate to the list) but not a list inside a tuple, and for a conditional it reports only the branch',
      'it infers the condition picks (in the probe `MODULE_LIST` is an empty list, so it infers `None`).',
    ].join('\n'),
  },
  'suppressed-by-comment': {
    title: 'A suppression comment on the line',
    verdict: 'by design',
    explanation: 'One tool honours a suppression comment (`# noqa: B006`, `# pylint: disable=…`, `# gclens: ignore[…]`) the others do not read.',
  },
  'ruff-only': {
    title: 'Ruff only',
    verdict: 'to review',
    explanation: 'Ruff flags a default neither GCL001 nor Pylint flags.',
  },
  'pylint-only-call': {
    title: 'Pylint only: a call of a rebound builtin name',
    verdict: 'GCL001 right',
    explanation: [
      'The module rebinds `list` (a function returning a tuple) and `dict` (`dict = frozenset`), yet Pylint',
      'reports `list()` and `dict()` as `builtins.list` / `builtins.dict`: its inference falls back to the',
      'builtin. Neither call creates a mutable object; GCL001 resolves names through the module\'s own',
      'bindings (a rebound builtin is not the builtin) and stays silent, as does Ruff.',
    ].join('\n'),
  },
  'pylint-only-other': {
    title: 'Pylint only, not a name or attribute',
    verdict: 'to review',
    explanation: 'Pylint flags a default that is not a plain name or attribute and that neither GCL001 nor Ruff flags.',
  },
  'gclens-misses': {
    title: 'GCL001 silent where another tool flags a created object',
    verdict: 'GCL001 wrong',
    explanation: 'Ruff (and possibly Pylint) flag a default the expression creates; GCL001 should too.',
  },
  other: {
    title: 'Other',
    verdict: 'to review',
    explanation: 'A disagreement no rule above explains.',
  },
};
