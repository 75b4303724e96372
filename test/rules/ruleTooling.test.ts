// The rule tooling: generated docs are committed and current; `npm run new-rule` scaffolds a rule that type-checks.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULE_CATALOGUE as RULES } from '../../server/src/rules/registry';
import { outdatedRuleDocs, renderRuleDocs, RULE_DOCS_DIR } from '../../scripts/generate-rule-docs';
import { addToRegistry, parseNewRuleArguments } from '../../scripts/new-rule';

const ROOT = path.resolve(__dirname, '..', '..');
const HEADINGS = ['## What it does', '## Why is this bad?', '## Example', '## Use instead', '## Fix safety', '## Known problems'];

test('committed docs/rules match the rules (run `npm run docs` after changing a rule)', () => {
  assert.deepEqual(outdatedRuleDocs(path.join(ROOT, RULE_DOCS_DIR)), []);
});

test('each rule page has the fixed headings in order, the metadata table, and an index entry', () => {
  const pages = renderRuleDocs(RULES);
  for (const rule of RULES) {
    const page = pages.get(`${rule.code}.md`) ?? '';
    const positions = HEADINGS.map((heading) => page.indexOf(`\n${heading}\n`));
    assert.ok(positions.every((at, i) => at > 0 && (i === 0 || at > positions[i - 1])), `${rule.code} has every heading, in order`);
    assert.ok(page.includes(`| ${rule.code} | ${rule.name} | ${rule.lifetime} | ${rule.defaultSeverity} |`));
    assert.ok(pages.get('README.md')?.includes(`[${rule.code}](${rule.code}.md)`));
  }
});

test('an out-of-date or stale page is reported', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-docs-'));
  try {
    for (const [name, content] of renderRuleDocs(RULES)) fs.writeFileSync(path.join(dir, name), content);
    assert.deepEqual(outdatedRuleDocs(dir), []);
    fs.appendFileSync(path.join(dir, 'GCL001.md'), 'hand edit\n');
    fs.writeFileSync(path.join(dir, 'GCL999.md'), 'a removed rule\n');
    assert.deepEqual(outdatedRuleDocs(dir), ['GCL001.md', 'GCL999.md']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('new-rule rejects bad arguments with a message', () => {
  assert.match(String(parseNewRuleArguments(['GCL1', 'x', 'cycle'], ROOT)), /GCL123/);
  assert.match(String(parseNewRuleArguments(['GCL123', 'Bad_Name', 'cycle'], ROOT)), /kebab-case/);
  assert.match(String(parseNewRuleArguments(['GCL123', 'ok-name', 'forever'], ROOT)), /lifetime/);
  assert.match(String(parseNewRuleArguments(['GCL123'], ROOT)), /usage/);
  assert.deepEqual(parseNewRuleArguments(['GCL123', 'ok-name', 'leak', '--root', '/tmp/x'], ROOT), { code: 'GCL123', name: 'ok-name', lifetime: 'leak', root: '/tmp/x' });
});

test('addToRegistry adds one import and one list entry', () => {
  const registry = "// r\nimport { a } from './a';\nimport type { Rule } from './ruleTypes';\n\nexport const RULES: readonly Rule[] = [\n  a,\n];\n";
  const updated = addToRegistry(registry, { code: 'GCL500', name: 'grow-only-thing', lifetime: 'leak', root: '/' });
  assert.equal(updated, "// r\nimport { a } from './a';\nimport type { Rule } from './ruleTypes';\nimport { growOnlyThing } from './growOnlyThing';\n\nexport const RULES: readonly Rule[] = [\n  a,\n  growOnlyThing,\n];\n");
});

test('npm run new-rule scaffolds a rule, its fixture and its registry line in a copy of the project, and it type-checks', () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-new-rule-'));
  try {
    for (const part of ['server/src/rules', 'server/src/analysis', 'server/src/semantic', 'server/src/syntax']) {
      fs.cpSync(path.join(ROOT, part), path.join(copy, part), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'new-rule.ts'), 'GCL777', 'held-forever', 'leak', '--root', copy], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /created GCL777 held-forever/);
    const ruleFile = fs.readFileSync(path.join(copy, 'server/src/rules/heldForever.ts'), 'utf8');
    assert.match(ruleFile, /^\/\/ GCL777 held-forever: /);
    assert.match(ruleFile, /code: 'GCL777'/);
    assert.match(ruleFile, /lifetime: 'leak'/);
    assert.ok(fs.existsSync(path.join(copy, 'test/fixtures/rules/GCL777/basic.py')));
    const registry = fs.readFileSync(path.join(copy, 'server/src/rules/registry.ts'), 'utf8');
    assert.match(registry, /import \{ heldForever \} from '\.\/heldForever';/);
    assert.match(registry, /\n {2}heldForever,\n\];/);

    const again = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'new-rule.ts'), 'GCL777', 'other-name', 'leak', '--root', copy], { encoding: 'utf8' });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /GCL777 is already used/);

    fs.writeFileSync(path.join(copy, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', lib: ['ES2022'], types: ['node'], strict: true, noUnusedLocals: true, noUnusedParameters: true, skipLibCheck: true, noEmit: true },
      files: ['server/src/rules/registry.ts'],
    }));
    const typecheck = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', copy], { encoding: 'utf8' });
    assert.equal(typecheck.status, 0, typecheck.stdout + typecheck.stderr);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});
