// Minimized inputs the robustness campaigns found, kept as regression tests (each names the bug it caught).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import { analyze } from '../../server/src/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';
import { checkFixes, checkSimulator } from './fuzzTargets';
import { hoverTargetAt } from '../../server/src/simulator/hover';

describe('robustness regressions: fixes', () => {
  let parser: PythonParser;
  before(async () => {
    parser = (await loadPythonParser('native')).parser;
  });

  it('GCL101\'s property fix inserts before a CRLF that a trailing comment swallowed the \\r of (was: edit between \\r and \\n)', () => {
    const text = 'class Node:\r\n    def __init__(self, parent):\r\n        self.parent = parent  # the parent\r\n        parent.children.append(self)  # registered\r\n\r\n    def other(self):\r\n        pass\r\n';
    assert.ok(checkFixes(text, parser) > 0, 'the fix was checked');
  });

  it('GCL101\'s property fix writes the file\'s CRLF when the last line ends in a stray \\r (was: lone \\r line breaks, unparsable)', () => {
    const text = 'class Node:\r\n\tdef __init__(self, parent):\r\n\t\tself.parent = parent\r\n\t\tparent.children.append(self)\r\n\t\treturn "node"\r';
    assert.ok(checkFixes(text, parser) > 0, 'the fix was checked');
  });

  it('GCL001\'s fix writes \\n, not a lone \\r, on a last line that ends in a stray \\r (was: the body joined onto the def line)', () => {
    const text = '\r\ndef crlf(items=[]):\r\n    return items\r\n\r\n\r\ndef crlf_one_line(x={}): return x  # one line\r';
    assert.ok(checkFixes(text, parser) > 0, 'the fix was checked');
  });

  it('GCL301\'s cached_property fix stops before the \r a trailing comment took on a CRLF line (was: edit between \r and \n)', () => {
    const text = 'from functools import lru_cache\r\n\r\nclass Box:\r\n    @property\r\n    @lru_cache()  # cached\r\n    def area(self):\r\n        return 1\r\n';
    assert.ok(checkFixes(text, parser) > 0, 'the fix was checked');
  });
});

describe('robustness regressions: rules on deep nesting (each threw or took minutes before its fix)', () => {
  let parser: PythonParser;
  before(async () => {
    parser = (await loadPythonParser('native')).parser;
  });

  const deep = 10_000;
  const cases: Readonly<Record<string, string>> = {
    'GCL001: a default inside 10,000 parentheses (recursive isMutableDefault overflowed the stack)': `def f(a=${'('.repeat(deep)}[]${')'.repeat(deep)}):\n    return a\n`,
    'GCL101-103/201: self captured under 10,000 nested lambdas (climbing parent per closure: minutes)': `class A:\n    def __init__(self):\n        self.y = ${'lambda: '.repeat(deep)}self\n`,
    'GCL001: 10,000 nested defs tree-sitter cannot parse (four parent lookups per parameter: 12 s)': `${Array.from({ length: deep }, (_, i) => `${' '.repeat(i)}def f${i}(a=[]):`).join('\n')}\n${' '.repeat(deep)}pass\n`,
  };
  for (const [name, text] of Object.entries(cases)) {
    it(name, () => {
      const tree = parser.parse(text);
      try {
        assert.ok(analyze({ text, tree, settings: DEFAULT_SETTINGS }).length > 0, 'the finding is still reported');
      } finally {
        tree.dispose();
      }
    });
  }
});

describe('robustness regressions: simulator', () => {
  let parser: PythonParser;
  before(async () => {
    parser = (await loadPythonParser('native')).parser;
  });

  it('no hover target on an identifier tree-sitter inserted to recover from an error (was: a hover with an empty range at 0:0)', () => {
    for (const text of [':\u0000# comment\nimport array\n', ':\nx = 1\n']) {
      const tree = parser.parse(text);
      try {
        assert.ok(tree.rootNode.hasError, 'an error tree');
        const target = hoverTargetAt(tree.rootNode, 0);
        assert.ok(target === undefined || target.end > target.start, `${JSON.stringify(text)}: ${JSON.stringify(target)}`);
      } finally {
        tree.dispose();
      }
    }
    const clean = parser.parse('value = 1\n');
    try {
      assert.deepEqual(hoverTargetAt(clean.rootNode, 0)?.path, ['value'], 'a written identifier still has its target');
    } finally {
      clean.dispose();
    }
  });

  it('a body-less class in a file with lone \\r line ends is the IndentationError of the \\n file (was: an internal error, rows split at \\n only)', () => {
    const lf = 'import weakref\n\nclass Timeline:\nclass Timeline:\n    pass\n';
    for (const versionIndex of [0, 1, 2, 3, 4]) {
      const cr = checkSimulator(lf.replace(/\n/g, '\r'), parser, versionIndex);
      assert.equal(cr.end.kind, 'syntax-error');
      assert.deepEqual(cr.end, checkSimulator(lf, parser, versionIndex).end);
      assert.deepEqual(cr.output, checkSimulator(lf, parser, versionIndex).output);
    }
  });
});
