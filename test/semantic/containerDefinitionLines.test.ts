// The text prefilter for container definitions: which `name = …` lines it keeps, constructor aliases included.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { definitionLines } from '../../server/src/semantic/containerDefinitionLines';

function namesOf(lines: readonly string[]): string[] {
  return definitionLines(lines.join('\n')).map((line) => (line.receiver ? `${line.receiver}.${line.name}` : line.name));
}

describe('container definition lines', () => {
  test('displays and dotted constructor calls after a plain `=`, not comparisons or other calls', () => {
    assert.deepEqual(namesOf([
      'A = []',
      'B={}',
      'C = collections.defaultdict(list)',
      'D: dict[str, int] = dict ()',
      'E = typing.List[int]',
      'F = listing()',
      'G = my.dict.get(1)',
      'H = 1.dict()',
      'I = a. dict()',
      'if x == []: pass',
      'if x != {}: pass',
      'if x <= list(): pass',
      'J\t=\tdeque\t[',
    ]), ['A', 'B', 'C', 'D', 'J']);
  });

  test('constructors imported under another name, with blanks or tabs around `as`, whole names only', () => {
    assert.deepEqual(namesOf([
      'from collections import defaultdict as dd, OrderedDict\tas\tOD',
      'from mine import mydict as md',
      'from collections import Counter as',
      'X = dd(list)',
      'Y = OD()',
      'Z = md()',
    ]), ['X', 'Y']);
  });

  test('lines in functions are locals; `recv.name` counts only in `__init__`', () => {
    assert.deepEqual(namesOf([
      'class K:',
      '    items = {}',
      '    def __init__(self):',
      '        self.seen = set()',
      '        local = []',
      '    def other(self):',
      '        self.later = []',
      'def f():',
      '    if True:',
      '        L = []',
    ]), ['items', 'self.seen']);
  });

  test('many lines of one file: each is placed by the blocks above it, comments and blank lines skipped', () => {
    assert.deepEqual(namesOf([
      'def f():',
      '    a = []',
      '    # a comment',
      '',
      '    b = {}',
      'class K:',
      '    c = []',
      '    def g(self):',
      '        d = []',
      '        if x:',
      '            self.h = []',
      '    e = set()',
      '    class L:',
      '        f = []',
      '        def __init__(self):',
      '            if y:',
      '                self.i = []',
      'x = 1',
      '  g = []',
    ]), ['c', 'e', 'f', 'self.i', 'g']);
  });
});
