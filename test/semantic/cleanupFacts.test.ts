// Cleanup facts on real trees: what a statement clears, cleanups after a node, attributes cleared in close().
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { attributesClearedOnClose, cleanupAfter, clearedByStatement } from '../../server/src/semantic/cleanupFacts';
import { ScopeIndex } from '../../server/src/semantic/scopeIndex';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { PythonParser, SyntaxNode } from '../../server/src/syntax/syntaxTypes';

const parsers: PythonParser[] = [];
before(async () => {
  parsers.push((await loadPythonParser('native')).parser, (await loadPythonParser('wasm')).parser);
});

/** Runs `body` with the tree of `source` (and its scope index) on each backend. */
function withTree(source: string, body: (root: SyntaxNode, scopes: ScopeIndex) => void): void {
  assert.equal(parsers.length, 2, 'both backends load');
  for (const parser of parsers) {
    const tree = parser.parse(source);
    try {
      body(tree.rootNode, new ScopeIndex(tree.rootNode));
    } finally {
      tree.dispose();
    }
  }
}

/** The first node of `type` whose text is `text`. */
function find(root: SyntaxNode, type: string, text: string): SyntaxNode {
  const node = root.descendantsOfType(type).find((candidate) => candidate.text === text);
  assert.ok(node, `a ${type} \`${text}\``);
  return node;
}

describe('clearedByStatement', () => {
  const cases: [string, string[]][] = [
    ['del frame', ['frame']],
    ['del a, self.b, d[k]', ['a', 'self.b', 'd[k]']],
    ['del (a)', ['a']],
    ['frame = None', ['frame']],
    ['a = self.tb = None', ['a', 'self.tb']],
    ['errors.clear()', ['errors']],
    ['self.errors.clear()', ['self.errors']],
    ['traceback.clear_frames(tb)', ['tb']],
    ['frame = other', []],
    ['errors.clear(1)', []],
    ['print(frame)', []],
    ['a, b = None, None', []],
  ];
  for (const [source, expected] of cases) {
    test(source, () => withTree(`${source}\n`, (root) => assert.deepEqual(clearedByStatement(root.namedChildren[0]), expected)));
  }
});

describe('cleanupAfter', () => {
  const source = [
    'def f():',
    '    frame = get()',
    '    try:',
    '        use(frame)',
    '        tb = get_tb()',
    '    finally:',
    '        if frame is not None:',
    '            del frame',
    '    info = get_info()',
    '    use(info)',
    '    info = None',
    '    kept = get_kept()',
    '    def later():',
    '        del kept',
    '    try:',
    '        x = 1',
    '    except E as e:',
    '        err = e',
    '    finally:',
    '        err = None',
    '    if cond:',
    '        loose = get_loose()',
    '    del loose',
    '    inner_only = 1',
    '    if cond:',
    '        del inner_only',
    '    info2 = get_info()',
    '    try:',
    '        use(info2)',
    '    finally:',
    '        del info2',
    '',
  ].join('\n');

  test('a finally clause of a try around the node, anywhere in it', () => withTree(source, (root, scopes) => {
    const use = find(root, 'call', 'use(frame)');
    const scope = scopes.enclosingFunction(use);
    assert.ok(scope);
    assert.equal(cleanupAfter(use, 'frame', scope, scopes)?.kind, 'finally');
    assert.equal(cleanupAfter(use, 'tb', scope, scopes), undefined, 'tb is never cleared');
  }));

  test('a later statement of the same or an enclosing block', () => withTree(source, (root, scopes) => {
    const info = find(root, 'assignment', 'info = get_info()');
    const scope = scopes.enclosingFunction(info) as SyntaxNode;
    assert.equal(cleanupAfter(info, 'info', scope, scopes)?.kind, 'later-statement');
    const loose = find(root, 'assignment', 'loose = get_loose()');
    assert.equal(cleanupAfter(loose, 'loose', scope, scopes)?.kind, 'later-statement');
    const info2 = find(root, 'assignment', 'info2 = get_info()');
    assert.equal(cleanupAfter(info2, 'info2', scope, scopes)?.kind, 'later-statement', 'a later try whose finally deletes it');
  }));

  test('a later compound statement counts even when conditional; a nested function or an earlier statement does not', () => withTree(source, (root, scopes) => {
    const kept = find(root, 'assignment', 'kept = get_kept()');
    const scope = scopes.enclosingFunction(kept) as SyntaxNode;
    assert.equal(cleanupAfter(kept, 'kept', scope, scopes), undefined);
    const inner = find(root, 'assignment', 'inner_only = 1');
    assert.equal(cleanupAfter(inner, 'inner_only', scope, scopes)?.kind, 'later-statement');
    assert.equal(cleanupAfter(kept, 'info', scope, scopes), undefined, 'info = None stands before kept');
  }));

  test('an except clause is covered by the finally of its try; setting None counts', () => withTree(source, (root, scopes) => {
    const err = find(root, 'assignment', 'err = e');
    assert.equal(cleanupAfter(err, 'err', scopes.enclosingFunction(err) as SyntaxNode, scopes)?.kind, 'finally');
  }));

  test('deleting an attribute clears what hangs below it', () => withTree('def g(self):\n    self.tb = t\n    del self.tb\n', (root, scopes) => {
    const store = find(root, 'assignment', 'self.tb = t');
    assert.equal(cleanupAfter(store, 'self.tb.x', scopes.enclosingFunction(store) as SyntaxNode, scopes)?.kind, 'later-statement');
    assert.equal(cleanupAfter(store, 'self.tbx', scopes.enclosingFunction(store) as SyntaxNode, scopes), undefined);
  }));
});

test('ScopeIndex.enclosingFunction: the def whose body holds the node, not a lambda, class body or default', () => withTree(
  'def f(a=x1):\n    y = x2\n    g = lambda: x3\nclass C:\n    z = x4\n',
  (root, scopes) => {
    assert.equal(scopes.enclosingFunction(find(root, 'identifier', 'x1')), null);
    assert.equal(scopes.enclosingFunction(find(root, 'identifier', 'x2'))?.childForFieldName('name')?.text, 'f');
    assert.equal(scopes.enclosingFunction(find(root, 'identifier', 'x3')), null);
    assert.equal(scopes.enclosingFunction(find(root, 'identifier', 'x4')), null);
  },
));

test('attributesClearedOnClose: self attributes cleared in close/__exit__ (any depth), not in other methods', () => withTree([
  'class Conn:',
  '    def work(self):',
  '        self.kept = None',
  '    def close(this):',
  '        if this.error is not None:',
  '            this.error = None',
  '        del this.frames',
  '        this.pending.clear()',
  '        other.x = None',
  '    async def __aexit__(self, *exc):',
  '        self.tb = None',
  '        def later():',
  '            self.never = None',
  '',
].join('\n'), (root, scopes) => {
  const classNode = root.namedChildren[0];
  assert.deepEqual([...attributesClearedOnClose(classNode, scopes)].sort(), ['error', 'frames', 'pending', 'tb']);
}));
