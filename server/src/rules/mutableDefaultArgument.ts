// GCL001 mutable-default-argument: a default value evaluated once at `def` time and shared by every call.
import type { SemanticModel } from '../semantic/semanticModel';
import type { SyntaxNode } from '../syntax/syntaxTypes';
import { noneSentinelFix } from './mutableDefaultArgumentFix';
import type { Rule, RuleContext } from './ruleTypes';

/** Qualified names of callables that return a new mutable object. */
export const MUTABLE_CONSTRUCTORS: ReadonlySet<string> = new Set([
  'builtins.list', 'builtins.dict', 'builtins.set', 'builtins.bytearray', 'builtins.sorted',
  'builtins.dict.fromkeys',
  'collections.deque', 'collections.OrderedDict', 'collections.OrderedDict.fromkeys', 'collections.defaultdict',
  'collections.Counter', 'collections.ChainMap', 'collections.UserDict', 'collections.UserList',
  'array.array',
  'queue.Queue', 'queue.LifoQueue', 'queue.PriorityQueue', 'queue.SimpleQueue',
  'weakref.WeakSet', 'weakref.WeakKeyDictionary', 'weakref.WeakValueDictionary',
  'io.StringIO', 'io.BytesIO',
  'types.SimpleNamespace',
]);

/** Literal and comprehension node kinds that build a new mutable container. */
const MUTABLE_DISPLAYS = new Set([
  'list', 'dictionary', 'set', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension',
]);

function calledName(call: SyntaxNode): SyntaxNode | null {
  const callee = call.childForFieldName('function');
  // `defaultdict[str, list]()` calls the subscripted class.
  if (callee?.type === 'subscript' || callee?.type === 'generic_type') return callee.childForFieldName('value') ?? callee.namedChild(0);
  return callee;
}

function isMutableConstructorCall(call: SyntaxNode, semantic: SemanticModel, immutableCalls: readonly string[]): boolean {
  const callee = calledName(call);
  if (!callee) return false;
  const qualified = semantic.qualifiedName(callee);
  if (!qualified) return false;
  const written = callee.text.replace(/\s+/g, '');
  if (immutableCalls.includes(qualified) || immutableCalls.includes(written)) return false;
  return MUTABLE_CONSTRUCTORS.has(qualified);
}

/**
 * Whether evaluating `value` once yields a mutable object a call can change: a mutable display or constructor,
 * or a tuple, parenthesis, conditional or boolean operator that can evaluate to one.
 */
export function isMutableDefault(value: SyntaxNode, semantic: SemanticModel, immutableCalls: readonly string[]): boolean {
  // An explicit stack, left operand first (the order the checks ran in when this recursed): a default can nest
  // 10,000 parentheses deep, which ran the JS stack out.
  const pending: SyntaxNode[] = [value];
  const visit = (...nodes: (SyntaxNode | null)[]): void => {
    for (let index = nodes.length - 1; index >= 0; index--) {
      const node = nodes[index];
      if (node) pending.push(node);
    }
  };
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (MUTABLE_DISPLAYS.has(node.type)) return true;
    switch (node.type) {
      case 'call':
        if (isMutableConstructorCall(node, semantic, immutableCalls)) return true;
        break;
      case 'parenthesized_expression':
        visit(node.namedChild(0));
        break;
      case 'tuple':
        // `(*[1, 2],)` unpacks the list into the tuple: only real elements count.
        visit(...node.namedChildren.filter((element) => element.type !== 'list_splat'));
        break;
      case 'conditional_expression':
        visit(node.namedChild(0), node.namedChild(2));
        break;
      case 'boolean_operator':
        visit(node.childForFieldName('left'), node.childForFieldName('right'));
        break;
      default:
        break;
    }
  }
  return false;
}

/** The node's text with the comments inside it left out (found by the parser's C walk, not a recursion). */
function textWithoutComments(node: SyntaxNode): string {
  if (node.type === 'comment') return '';
  if (!node.text.includes('#')) return node.text;
  let result = '';
  let at = node.startIndex;
  for (const comment of node.descendantsOfType('comment')) {
    result += node.text.slice(at - node.startIndex, comment.startIndex - node.startIndex);
    at = comment.endIndex;
  }
  return result + node.text.slice(at - node.startIndex);
}

/** The default as the message shows it: one line without comments, at most 40 characters. */
function describeDefault(value: SyntaxNode): string {
  const flat = textWithoutComments(value).replace(/\s+/g, ' ');
  return flat.length <= 40 ? flat : `${flat.slice(0, 37)}...`;
}

const PARAMETER_LISTS: Readonly<Record<string, string>> = { function_definition: 'parameters', lambda: 'lambda_parameters' };

/**
 * Checks the defaults of a `def` or `lambda`. Dispatched on the owner and walking down to its parameters: a native
 * node's `parent` walks down from the root (it costs the node's depth), so going up from each parameter was
 * quadratic in a deeply nested file (10,000 nested defs: 12 s).
 */
function checkDefaults(owner: SyntaxNode, context: RuleContext): void {
  const list = owner.childForFieldName('parameters');
  if (!list || list.type !== PARAMETER_LISTS[owner.type]) return; // an error-recovered tree: not a parameter list we understand
  for (const parameter of list.namedChildren) {
    if (parameter.type === 'default_parameter' || parameter.type === 'typed_default_parameter') checkDefaultParameter(parameter, owner, context);
  }
}

function checkDefaultParameter(parameter: SyntaxNode, owner: SyntaxNode, context: RuleContext): void {
  const value = parameter.childForFieldName('value');
  const nameNode = parameter.childForFieldName('name');
  if (!value || !nameNode || !isMutableDefault(value, context.semantic, context.settings.immutableCalls)) return;
  const isDef = owner.type === 'function_definition';
  const functionName = isDef ? owner.childForFieldName('name') : null;
  const callee = functionName ? `\`${functionName.text}\`` : 'the lambda';
  const fix = isDef
    ? noneSentinelFix({
      text: context.text,
      parameter,
      functionNode: owner,
      targetVersion: context.settings.targetVersion,
      semantic: context.semantic,
    })
    : undefined;
  context.report({
    range: { start: value.startIndex, end: value.endIndex },
    message: `Mutable default \`${describeDefault(value)}\` for \`${nameNode.text}\` is created once and shared by every call of ${callee}; it lives as long as the function`,
    related: functionName
      ? [{ range: { start: functionName.startIndex, end: functionName.endIndex }, message: `defaults of \`${functionName.text}\` are evaluated once, when its \`def\` runs` }]
      : [],
    fixes: fix ? [fix] : [],
  });
}

export const mutableDefaultArgument: Rule = {
  code: 'GCL001',
  name: 'mutable-default-argument',
  summary: 'A mutable default value is created once and shared by every call of the function.',
  lifetime: 'shared-state',
  defaultSeverity: 'warning',
  fix: 'sometimes',
  nodeKinds: ['function_definition', 'lambda'],
  locality: 'function',
  check: checkDefaults,
  doc: {
    whatItDoes: [
      'Flags parameters of `def`, `async def` and `lambda` whose default is a mutable object: a list, dict or set',
      'display or comprehension, or a call of a known mutable constructor (`list()`, `dict()`, `set()`, `bytearray()`,',
      '`collections.deque/OrderedDict/defaultdict/Counter/ChainMap/UserDict/UserList`, `array.array`, `queue.Queue`',
      'and friends, weak containers, `io.StringIO/BytesIO`, `types.SimpleNamespace`, `dict.fromkeys`, `sorted`).',
      'Calls are resolved through imports and aliases (`import collections as c; c.defaultdict(list)`); a builtin',
      'name rebound in the module or an enclosing scope is not the builtin. Tuples, parentheses, conditional',
      'expressions and `or`/`and` count when one of their parts is mutable.',
    ].join('\n'),
    whyIsThisBad: [
      'Python evaluates a default once, when the `def` statement runs, and stores the object on the function',
      '(`__defaults__` / `__kwdefaults__`). Every call that omits the argument gets that same object, so a change one',
      'call makes is seen by every later call, and whatever the object accumulates stays alive as long as the',
      'function does: usually until the program exits. It is shared state that looks like a fresh local value.',
    ].join('\n'),
    example: [
      '```python',
      'def add(item, items=[]):',
      '    items.append(item)',
      '    return items',
      '',
      'add(1)  # [1]',
      'add(2)  # [1, 2]: the same list again',
      '```',
    ].join('\n'),
    useInstead: [
      '```python',
      'def add(item, items=None):',
      '    if items is None:',
      '        items = []',
      '    items.append(item)',
      '    return items',
      '```',
    ].join('\n'),
    fixSafety: [
      'The fix is **unsafe**: it changes the default to `None`, creates the original value at the top of the body',
      '(after the docstring) and widens the annotation (`T | None` for target 3.10+ or with',
      '`from __future__ import annotations`, else `Optional[T]` with its import). A caller that passes `None`',
      'explicitly now gets a fresh object instead of `None`, and code that relied on the sharing (a deliberate',
      'cache) changes behaviour. It is offered as a quick fix, never applied by `source.fixAll.gclens`.',
      'Lambdas get no fix (a lambda has no body to put the check in), nor do one-line bodies that start with a',
      'docstring or functions with syntax errors.',
    ].join('\n'),
    knownProblems: [
      'Only calls the rule can resolve are flagged: a call of a user class that returns a mutable object, or of a',
      'function such as `copy.copy([])`, is not. Generator expressions are not flagged: a shared generator is',
      'exhausted after the first call, which is a bug, but not a shared container. A deliberate cache via a',
      'mutable default is flagged; suppress it with `# gclens: ignore[GCL001]` (or `# noqa: B006`). Results of',
      'calls listed in `gclens.immutableCalls` (qualified names such as `mylib.FrozenList`) are never flagged.',
    ].join('\n'),
  },
};
