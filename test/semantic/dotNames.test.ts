// The `.name` scan read with indexOf equals the regular expressions it replaced, on tricky lines and every fixture.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { storeMarks } from '../../server/src/semantic/cycleCandidates';
import { dotName, dotNames } from '../../server/src/semantic/dotNames';
import { repositoryPythonFiles } from '../support/repoPython';

const TRICKY = [
  'a.b = c\na . b=c\na.b == c\na.b: int = c\na.b: typing.List[int] = []\nself.x: "a.b" == c\n',
  'x.append(y)\nx . append (y)\nx.appendleft(y)\nx.addx(y)\nx.append = y\nx.insert(0, y)\n',
  'a.b,c.d = e\n1.5e3\n.5\nx = y.\nz.\n\n.9a\n',
  'a.b = c\r\nd.e: f.g = h\r\n',
  'x.é = 1\nx._a9 = 2\nx.__dict__ = 3\n',
];


const SOURCES = [...TRICKY, ...repositoryPythonFiles().map((file) => fs.readFileSync(file, 'utf8'))];

test('dotNames finds each `.name` the expression \\.[ \\t]*[A-Za-z_]\\w*[ \\t]* finds, with the same name and end', () => {
  const pattern = /\.[ \t]*([A-Za-z_]\w*)[ \t]*/y;
  for (const source of SOURCES) {
    const expected: string[] = [];
    for (let dot = source.indexOf('.'); dot >= 0; dot = source.indexOf('.', dot + 1)) {
      pattern.lastIndex = dot;
      const match = pattern.exec(source);
      if (match) expected.push(`${dot}:${match[1]}:${dot + match[0].length}`);
    }
    const names = dotNames(source);
    const found: string[] = [];
    for (let index = 0; index < names.count; index++) found.push(`${names.dot(index)}:${dotName(source, names, index)}:${names.after(index)}`);
    assert.deepEqual(found, expected);
  }
});

test('the cycle candidates\' store marks are the matches of the expressions they replaced', () => {
  const dotStore = /\.[ \t]*(?:(?:append|add|insert|appendleft|setdefault)[ \t]*\(|[A-Za-z_]\w*[ \t]*(?::[^=\n]*)?=(?!=))/g;
  const itemStore = /\][ \t]*=(?!=)/g;
  let checked = 0;
  for (const source of SOURCES) {
    const expected = [...source.matchAll(dotStore), ...source.matchAll(itemStore)].map((match) => `${match.index}:${match[0]}`);
    assert.deepEqual(storeMarks(source).map((mark) => `${mark.index}:${mark.text}`), expected);
    checked += expected.length;
  }
  assert.ok(checked > 200, `only ${checked} marks compared`);
});
