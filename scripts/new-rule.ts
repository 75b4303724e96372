// `npm run new-rule -- GCL123 some-name cycle [--root DIR]`: scaffolds a rule file, its fixtures and its registry line.
import * as fs from 'node:fs';
import * as path from 'node:path';

const LIFETIMES = ['cycle', 'leak', 'shared-state'] as const;
type LifetimeName = (typeof LIFETIMES)[number];

export interface NewRuleRequest {
  readonly code: string;
  readonly name: string;
  readonly lifetime: LifetimeName;
  readonly root: string;
}

/** `some-name` → `someName`. */
export function identifierFor(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

export function parseNewRuleArguments(argv: readonly string[], defaultRoot: string): NewRuleRequest | string {
  const positional: string[] = [];
  let root = defaultRoot;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root') {
      const value = argv[++i];
      if (!value) return '--root needs a directory';
      root = path.resolve(value);
    } else positional.push(argv[i]);
  }
  const [code, name, lifetime] = positional;
  if (positional.length !== 3) return 'usage: npm run new-rule -- GCL123 some-name cycle|leak|shared-state [--root DIR]';
  if (!/^GCL\d{3}$/.test(code)) return `rule code must look like GCL123 (got "${code}")`;
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) return `rule name must be kebab-case like parent-back-reference (got "${name}")`;
  if (!(LIFETIMES as readonly string[]).includes(lifetime)) return `lifetime must be one of ${LIFETIMES.join(', ')} (got "${lifetime}")`;
  return { code, name, lifetime: lifetime as LifetimeName, root };
}

function fill(template: string, request: NewRuleRequest): string {
  const identifier = identifierFor(request.name);
  return template
    .replace(/__CODE__/g, request.code)
    .replace(/__NAME__/g, request.name)
    .replace(/__LIFETIME__/g, request.lifetime)
    .replace(/__IDENT_PASCAL__/g, identifier[0].toUpperCase() + identifier.slice(1))
    .replace(/__IDENT__/g, identifier);
}

/** Adds the rule's import and its entry at the end of RULES, keeping the registry a one-line-per-rule list. */
export function addToRegistry(registry: string, request: NewRuleRequest): string {
  const identifier = identifierFor(request.name);
  const importLine = `import { ${identifier} } from './${identifier}';\n`;
  const lastImport = registry.lastIndexOf('\nimport ');
  const afterImports = lastImport < 0 ? 0 : registry.indexOf('\n', lastImport + 1) + 1;
  let updated = registry.slice(0, afterImports) + importLine + registry.slice(afterImports);
  const listStart = updated.indexOf('export const RULES');
  const listEnd = updated.indexOf('\n];', listStart);
  if (listStart < 0 || listEnd < 0) throw new Error('cannot find `export const RULES ... ];` in the registry');
  updated = `${updated.slice(0, listEnd)}\n  ${identifier},${updated.slice(listEnd)}`;
  return updated;
}

/** Creates the files; returns them (relative to the root) or throws with a message for the user. */
export function createRule(request: NewRuleRequest, templatesDir: string): string[] {
  const identifier = identifierFor(request.name);
  const registryFile = path.join(request.root, 'server', 'src', 'rules', 'registry.ts');
  const ruleFile = path.join(request.root, 'server', 'src', 'rules', `${identifier}.ts`);
  const fixtureDir = path.join(request.root, 'test', 'fixtures', 'rules', request.code);
  const registry = fs.readFileSync(registryFile, 'utf8');
  const rulesDir = path.dirname(registryFile);
  const taken = fs.readdirSync(rulesDir).some((file) => file.endsWith('.ts') && fs.readFileSync(path.join(rulesDir, file), 'utf8').includes(`code: '${request.code}'`));
  if (taken) throw new Error(`${request.code} is already used by a rule`);
  if (fs.existsSync(ruleFile)) throw new Error(`${path.relative(request.root, ruleFile)} already exists`);
  if (fs.existsSync(fixtureDir)) throw new Error(`${path.relative(request.root, fixtureDir)} already exists`);
  fs.writeFileSync(ruleFile, fill(fs.readFileSync(path.join(templatesDir, 'rule.ts.template'), 'utf8'), request));
  fs.mkdirSync(fixtureDir, { recursive: true });
  const fixtureFile = path.join(fixtureDir, 'basic.py');
  fs.writeFileSync(fixtureFile, fill(fs.readFileSync(path.join(templatesDir, 'fixture.py.template'), 'utf8'), request));
  fs.writeFileSync(registryFile, addToRegistry(registry, request));
  return [ruleFile, fixtureFile, registryFile].map((file) => path.relative(request.root, file));
}

if (require.main === module) {
  const request = parseNewRuleArguments(process.argv.slice(2), path.resolve(__dirname, '..'));
  if (typeof request === 'string') {
    console.error(request);
    process.exit(2);
  }
  try {
    const files = createRule(request, path.join(__dirname, 'templates'));
    console.log(`created ${request.code} ${request.name}:\n${files.map((file) => `  ${file}`).join('\n')}`);
    console.log('next: write the check and its fixtures, then `npm run docs` and `npm test`.');
  } catch (error) {
    console.error(`new-rule: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
