// GCL104's rough text scan: the line shapes found per marked line equal a global multiline search, and the cycle check.
import assert from 'node:assert/strict';
import test from 'node:test';
import { documentRoughEdges, lineShapeMatches, roughCyclePossible } from '../../server/src/rules/selfReferencingObjectRoughScan';

/** The two line shapes as one global multiline search each finds them (what the scan must reproduce). */
const GLOBAL_ASSIGNMENT = /(?:^|[;:])[ \t]*([A-Za-z_]\w*)[ \t]*(?:\.[ \t]*[A-Za-z_]\w*|\[[^\n]*?\])[ \t]*(,|=(?!=))([^\n]*)/gm;
const GLOBAL_CALL = /(?:^|[;:])[ \t]*([A-Za-z_]\w*)[ \t]*\.[ \t]*(?:append|add|appendleft|insert|setdefault|extend)[ \t]*\(([^\n]*)/gm;

const SOURCES = [
  'def f(a, b):\n    a.next = b\n    b.prev = a\n',
  'def g(x): x.me = x; y.z = 1\n',
  'def h(lst):\r\n    lst.append(lst)\r\n    d[k] = d\r\n',
  'def old_mac(a):\r    a.x = a\r    a.items.append(a)\n',
  'if x: a.b = a\nwhile y: c[0] = c; c.add(c)\n',
  's = "a.b = c"\nself.x, other.y = other, self\n',
  'a.x = b.y = a\nz = {\n  "k": v.w = 1,\n}\n',
  'q.extend([\n    q,\n])\n',
  'nothing = here\nprint(a.b == c)\n',
];

test('rough edges: each line shape is found where a global multiline search finds it', () => {
  for (const source of SOURCES) {
    const { assignments, calls } = lineShapeMatches(source);
    const found = (list: typeof assignments): string[] => list.map(({ index, groups }) => `${index}:${groups[0]}`);
    // Lines end where Python ends them: a lone \r too (the same length, so offsets are the source's).
    const lines = source.replace(/\r(?!\n)/g, '\n');
    const global = (pattern: RegExp): string[] => [...lines.matchAll(pattern)].map((match) => `${match.index}:${match[0]}`);
    assert.deepEqual(found(assignments), global(GLOBAL_ASSIGNMENT), JSON.stringify(source));
    assert.deepEqual(found(calls), global(GLOBAL_CALL), JSON.stringify(source));
  }
  assert.deepEqual(documentRoughEdges('a.x = b.y = a\n').map((edge) => edge.owner), ['a', 'b'], 'a chained assignment gives each target an edge');
});

test('rough cycle check: mentions of the object itself close a cycle, attributes and calls of it do not', () => {
  const possible = (source: string): boolean => roughCyclePossible(documentRoughEdges(source));
  assert.equal(possible('a.next = b\nb.prev = a\n'), true);
  assert.equal(possible('a.me = a\n'), true);
  assert.equal(possible('lst.append(lst)\n'), true);
  assert.equal(possible('a.next = b\nb.prev = a.other\n'), false);
  assert.equal(possible('a.next = b\nb.prev = f(a)\n'), false);
  assert.equal(possible('ab.x = a\na.y = b\n'), false);
  assert.equal(possible('x = 1\n'), false);
});
