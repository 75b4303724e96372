// Minimized inputs the robustness campaigns found, kept as regression tests (each names the bug it caught).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';
import { loadPythonParser } from '../../server/src/syntax/loadParser';
import { checkFixes } from './fuzzTargets';

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
});
