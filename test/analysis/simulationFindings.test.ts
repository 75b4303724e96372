// GCL901/902 from a traced simulation: grouping, locations, repeats, suppression, select/ignore and the auto-mode import gate.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/analysis/settings';
import { simulatedFindingsFor, simulationFindings, simulationFindingsWanted } from '../../server/src/analysis/simulationFindings';
import type { Finding } from '../../server/src/analysis/findingTypes';
import { simulate } from '../../server/src/simulator/simulate';
import { CYCLE_SNIPPET, FINALIZED_SNIPPET } from '../support/simulationSnippets';
import { loadPythonParser, parserPreferenceFromEnv } from '../../server/src/syntax/loadParser';
import type { PythonParser } from '../../server/src/syntax/syntaxTypes';

let parser: PythonParser;
before(async () => {
  parser = (await loadPythonParser(parserPreferenceFromEnv())).parser;
});

function findingsOf(text: string, settings: AnalysisSettings = DEFAULT_SETTINGS): Finding[] {
  const tree = parser.parse(text);
  try {
    const result = simulate(text, parser, { targetVersion: '3.12', fileName: 'm.py', trace: true });
    return simulationFindings(result, text, tree.rootNode, settings);
  } finally {
    tree.dispose();
  }
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Code, line, message and related lines: what a reader of the finding sees. */
function seen(text: string, findings: readonly Finding[]): unknown[] {
  return findings.map((f) => ({ code: f.code, line: lineOf(text, f.range.start), text: text.slice(f.range.start, f.range.end), message: f.message, related: f.related.map((r) => `${lineOf(text, r.range.start)}: ${r.message}`) }));
}

const PAIR = CYCLE_SNIPPET;

describe('GCL901 simulated-cyclic-garbage', () => {
  it('reports a collected two-node cycle where it was allocated, with the drop and the collection', () => {
    assert.deepEqual(seen(PAIR, findingsOf(PAIR)), [{
      code: 'GCL901',
      line: 4,
      text: 'a = Node()',
      message: 'Simulated: Node#1, Node#2 became unreachable at line 8 but stayed alive in a reference cycle until a collection at line 9',
      related: ['5: Node#2 allocated here', '8: last reference from outside the cycle dropped here', '9: freed by the cyclic collection here'],
    }]);
  });

  it('reports a cycle no collection freed before the end as waiting for the exit sequence', () => {
    const text = PAIR.replace('gc.collect()\n', 'print("done")\n');
    const [finding] = findingsOf(text);
    assert.equal(finding.message, 'Simulated: Node#1, Node#2 became unreachable at line 8 but stayed alive in a reference cycle until the exit sequence collected them (no collection ran before)');
    assert.equal(finding.lifetime, 'cycle');
    assert.equal(finding.severity, 'information');
  });

  it('reports a cycle built once per loop iteration once, with the count', () => {
    const text = ['class Node:', '    pass', 'for i in range(5):', '    n = Node()', '    n.me = n', 'del n', ''].join('\n');
    assert.deepEqual(findingsOf(text).map((f) => [f.code, lineOf(text, f.range.start), f.message]), [
      ['GCL901', 4, 'Simulated: Node#1 became unreachable at line 4 but stayed alive in a reference cycle until the exit sequence collected them (no collection ran before) (4 times)'],
      ['GCL901', 4, 'Simulated: Node#5 became unreachable at line 6 but stayed alive in a reference cycle until the exit sequence collected them (no collection ran before)'],
    ]);
  });

  it('stays silent for code without cycles, weak back edges, and a run that never gets there', () => {
    assert.deepEqual(findingsOf('class Node:\n    pass\na = Node()\nb = Node()\na.next = b\ndel a, b\n'), []);
    assert.deepEqual(findingsOf('import weakref\nclass Node:\n    pass\na = Node()\nb = Node()\na.next = b\nb.prev = weakref.ref(a)\ndel a, b\n'), []);
    assert.deepEqual(findingsOf('def f(:\n'), [], 'syntax error');
  });

  it('honours suppression comments, ignore and severity like any rule', () => {
    assert.deepEqual(findingsOf(PAIR.replace('a = Node()', 'a = Node()  # gclens: ignore[GCL901]')), []);
    assert.deepEqual(findingsOf(PAIR.replace('a = Node()', 'a = Node()  # noqa: GCL901')), []);
    assert.deepEqual(findingsOf(PAIR, { ...DEFAULT_SETTINGS, ignore: ['GCL9'] }), []);
    assert.deepEqual(findingsOf(PAIR, { ...DEFAULT_SETTINGS, select: ['GCL1'] }), []);
    assert.equal(findingsOf(PAIR, { ...DEFAULT_SETTINGS, severity: { GCL901: 'error' } })[0].severity, 'error');
  });
});

describe('GCL902 simulated-uncollectable', () => {
  const FINALIZE = FINALIZED_SNIPPET;

  it('reports an object only a finalizer keeps alive, with where the program dropped it', () => {
    assert.deepEqual(seen(FINALIZE, findingsOf(FINALIZE)), [{
      code: 'GCL902',
      line: 5,
      text: 'r = Resource()',
      message: 'Simulated: Resource#1 stays alive until exit though the program no longer reaches it (kept by a weakref.finalize registration)',
      related: ['7: last reference the program held dropped here'],
    }]);
  });

  it('names an atexit handler that keeps its object', () => {
    const text = FINALIZE.replace('import weakref', 'import atexit').replace('weakref.finalize(r, r.close)', 'atexit.register(r.close)');
    assert.deepEqual(findingsOf(text).map((f) => f.message), [
      'Simulated: Resource#1 stays alive until exit though the program no longer reaches it (kept by an atexit handler)',
    ]);
  });

  it('is silent when the finalizer does not hold the object, or the program still reaches it', () => {
    assert.deepEqual(findingsOf(FINALIZE.replace('weakref.finalize(r, r.close)', 'weakref.finalize(r, print, "closed")')), []);
    assert.deepEqual(findingsOf(FINALIZE.replace('del r\n', '')), []);
  });
});

describe('when GCL901/902 simulate', () => {
  const wanted = (text: string, settings: AnalysisSettings, surface: 'editor' | 'cli'): boolean => {
    const tree = parser.parse(text);
    try {
      return simulationFindingsWanted(tree.rootNode, settings, surface);
    } finally {
      tree.dispose();
    }
  };

  it('auto: in the editor for files whose imports the simulator models, never in the CLI', () => {
    assert.equal(wanted('import gc, weakref\nfrom collections import deque\n', DEFAULT_SETTINGS, 'editor'), true);
    assert.equal(wanted('import os\n', DEFAULT_SETTINGS, 'editor'), false, 'os is only stubbed');
    assert.equal(wanted('import json\n', DEFAULT_SETTINGS, 'editor'), false);
    assert.equal(wanted('from requests import get\n', DEFAULT_SETTINGS, 'editor'), false);
    assert.equal(wanted('x = 1\n', DEFAULT_SETTINGS, 'cli'), false);
  });

  it('on simulates everywhere, off and a deselected rule never', () => {
    const on: AnalysisSettings = { ...DEFAULT_SETTINGS, simulationFindings: 'on' };
    assert.equal(wanted('import json\n', on, 'editor'), true);
    assert.equal(wanted('import json\n', on, 'cli'), true);
    assert.equal(wanted('x = 1\n', { ...DEFAULT_SETTINGS, simulationFindings: 'off' }, 'editor'), false);
    assert.equal(wanted('x = 1\n', { ...on, ignore: ['GCL901', 'GCL902'] }, 'cli'), false);
  });

  it('the CLI path simulates in-process only when on', () => {
    const tree = parser.parse(PAIR);
    try {
      assert.deepEqual(simulatedFindingsFor(PAIR, tree.rootNode, parser, DEFAULT_SETTINGS, 'm.py'), []);
      assert.deepEqual(simulatedFindingsFor(PAIR, tree.rootNode, parser, { ...DEFAULT_SETTINGS, simulationFindings: 'on' }, 'm.py').map((f) => f.code), ['GCL901']);
    } finally {
      tree.dispose();
    }
  });
});
