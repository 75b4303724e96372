// Copied trees read exactly like the parser's own on both backends: every node, field, position and text compared.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { copySyntaxTree } from '../../server/src/syntax/copiedTree';
import { parseableText } from '../../server/src/syntax/lineBreaks';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import type { ParserBackendKind, SyntaxNode, TreeNode } from '../../server/src/syntax/syntaxTypes';
import { REPO_ROOT } from '../support/ensureBuilt';
import { readSnippets, requireGcCorpus } from '../support/gcCorpus';

/**
 * The fields each node type has (tree-sitter-python's node-types.json). Only these are compared: asked for a field its
 * type does not have, tree-sitter can answer through an aliased child (`match_statement` has no `alternative`, its
 * `block` does, and `childForFieldName('alternative')` finds a case there while `childrenForFieldName` finds none).
 */
function grammarFields(): Map<string, string[]> {
  const nodeTypes = JSON.parse(fs.readFileSync(require.resolve('tree-sitter-python/src/node-types.json'), 'utf8')) as { type: string; named: boolean; fields?: Record<string, unknown> }[];
  return new Map(nodeTypes.filter((nodeType) => nodeType.named).map((nodeType) => [nodeType.type, Object.keys(nodeType.fields ?? {})]));
}

/** Constructs with fields, line breaks of every kind (CRLF, lone CR), tabs and text outside the BMP. */
const HANDWRITTEN = [
  'from __future__ import annotations\r\n',
  'import os.path as p, sys\r',
  'def f[T: int, *Ts, **P](a: int = 1, /, *args: "é😀", k=lambda x: x, **kw) -> list[T]:\n',
  '\t"""doc 😀"""\n',
  '\tglobal g; nonlocal_ = [y async for y in z if y] if a else {k: v for k, v in kw.items()}\n',
  '\treturn (yield from args)\n',
  'class C(Base, metaclass=M):\n',
  '    x: int = -1 ** ~2 @ m // 3\n',
  '    async def m(self):\n',
  '        async with a as b, c: await b\n',
  '        try:\n',
  '            raise E("ключ") from None\n',
  '        except* (E, F) as e:\n',
  '            del e[0], self.x\n',
  '        else: pass\n',
  '        finally: assert not a, f"{a!r:>{w}} {b=}"\n',
  'match command.split():\n',
  '    case [Point(x=0, y=0) | {"k": _, **rest}] if rest: print(x[1:2, ...])\n',
  '    case _: type Alias[T] = dict[str, T]\n',
  'for i, (j, k) in enumerate(zip(a, b)): continue\n',
  'while not x and y or z < w is not None not in q: break\n',
  'print(*a, **{"b": 1}, sep=","); x = y = z; x += 1; w: "T"\n',
].join('');

function sources(): { name: string; text: string }[] {
  const fixtures = fs.readdirSync(path.join(REPO_ROOT, 'test', 'fixtures'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.py'))
    .sort()
    .map((file) => ({ name: file, text: fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', file), 'utf8') }));
  const snippets = readSnippets(requireGcCorpus()).map((snippet) => ({ name: snippet.fileName, text: snippet.source }));
  return [{ name: 'handwritten', text: HANDWRITTEN }, ...fixtures, ...snippets];
}

const FIELDS = grammarFields();

function describeNode(node: TreeNode | null): string {
  return node ? `${node.type}@${node.startIndex}-${node.endIndex}` : 'null';
}

/** Compares `copy` with the parser's `node` and their subtrees (with explicit stacks: fixture trees can be deep). */
function assertSameTree(node: SyntaxNode, copy: TreeNode, where: string): number {
  const stack: [SyntaxNode, TreeNode][] = [[node, copy]];
  let compared = 0;
  while (stack.length > 0) {
    const [original, copied] = stack.pop()!;
    compared++;
    const at = `${where}: ${describeNode(original)}`;
    assert.deepEqual(
      [copied.type, copied.isNamed, copied.startIndex, copied.endIndex, copied.startPosition, copied.endPosition, copied.text, copied.isMissing, copied.hasError],
      [original.type, original.isNamed, original.startIndex, original.endIndex, original.startPosition, original.endPosition, original.text, original.isMissing, original.hasError],
      at,
    );
    assert.equal(copied.childCount, original.childCount, at);
    assert.equal(copied.namedChildCount, original.namedChildCount, at);
    assert.deepEqual(copied.namedChildren.map(describeNode), original.namedChildren.map(describeNode), at);
    assert.equal(describeNode(copied.namedChild(0)), describeNode(original.namedChild(0)), at);
    assert.equal(describeNode(copied.child(original.childCount)), 'null', at);
    if (original.isNamed) {
      for (const field of FIELDS.get(original.type) ?? []) {
        assert.equal(describeNode(copied.childForFieldName(field)), describeNode(original.childForFieldName(field)), `${at} field ${field}`);
        assert.deepEqual(copied.childrenForFieldName(field).map(describeNode), original.childrenForFieldName(field).map(describeNode), `${at} fields ${field}`);
      }
    }
    const children = original.children;
    for (let index = children.length - 1; index >= 0; index--) {
      assert.equal(copied.children[index].parent, copied, at);
      stack.push([children[index], copied.children[index]]);
    }
  }
  return compared;
}

for (const backend of ['native', 'wasm'] as ParserBackendKind[]) {
  describe(`copied syntax trees (${backend})`, () => {
    it('read like the parser\'s trees: every node, field, position and text of the fixtures and the GC corpus', async () => {
      const { parser } = await loadPythonParser(backend);
      let copiedFiles = 0;
      let nodes = 0;
      for (const { name, text } of sources()) {
        const tree = parser.parse(text);
        try {
          if (tree.rootNode.hasError) {
            assert.throws(() => copySyntaxTree(tree.rootNode, parseableText(text)), /only error-free trees/);
            continue;
          }
          const copy = copySyntaxTree(tree.rootNode, parseableText(text));
          nodes += assertSameTree(tree.rootNode, copy, name);
          for (const types of ['block', ['identifier', 'lambda'], 'no_such_type']) {
            assert.deepEqual(copy.descendantsOfType(types).map(describeNode), tree.rootNode.descendantsOfType(types).map(describeNode), `${name} ${String(types)}`);
          }
          copiedFiles++;
        } finally {
          tree.dispose();
        }
      }
      assert.ok(copiedFiles >= 150, `only ${copiedFiles} error-free files compared`);
      assert.ok(nodes >= 40_000, `only ${nodes} nodes compared`);
    });

    it('copies a tree nested 3,000 levels deep without recursion, and a module with no statement', async () => {
      const { parser } = await loadPythonParser(backend);
      for (const text of [`x = ${'-'.repeat(3000)}1\n`, '', '# only a comment\r']) {
        const tree = parser.parse(text);
        try {
          assertSameTree(tree.rootNode, copySyntaxTree(tree.rootNode, parseableText(text)), JSON.stringify(text.slice(0, 20)));
        } finally {
          tree.dispose();
        }
      }
    });
  });
}
