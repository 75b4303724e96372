// Validates SARIF logs against the official SARIF 2.1.0 schema (shipped in @microsoft/sarif-multitool's
// platform package) with Ajv, and with the SARIF Multitool's own `validate` command.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from '../support/ensureBuilt';

const PLATFORM_PACKAGE = `@microsoft/sarif-multitool-${process.platform === 'win32' ? 'win32' : process.platform}`;

function multitoolFolder(): string {
  const folder = path.join(REPO_ROOT, 'node_modules', PLATFORM_PACKAGE);
  if (!fs.existsSync(path.join(folder, 'sarif-2.1.0.json'))) {
    throw new Error(`${PLATFORM_PACKAGE} is not installed (a devDependency through @microsoft/sarif-multitool): run npm ci`);
  }
  return folder;
}

/** Schema violations as `path: message` lines; empty when the log is valid. */
export function schemaErrors(log: unknown): string[] {
  const schema = JSON.parse(fs.readFileSync(path.join(multitoolFolder(), 'sarif-2.1.0.json'), 'utf8')) as { $schema: string };
  if (!schema.$schema.includes('2020-12')) throw new Error(`unexpected schema dialect ${schema.$schema}`);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(log)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message ?? error.keyword}`);
}

interface MultitoolResult {
  ruleId?: string;
  level?: string;
  message?: { text?: string; arguments?: string[] };
}

/** Errors and warnings the SARIF Multitool's `validate` reports (schema plus the SARIF rules it checks). */
export function multitoolProblems(log: unknown): string[] {
  const folder = multitoolFolder();
  const executable = path.join(folder, process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-sarif-'));
  try {
    const input = path.join(work, 'log.sarif');
    const output = path.join(work, 'validation.sarif');
    fs.writeFileSync(input, JSON.stringify(log, null, 2));
    const run = spawnSync(executable, ['validate', input, '-o', output, '--log', 'ForceOverwrite'], {
      encoding: 'utf8',
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
    });
    if (run.error) throw run.error;
    if (!fs.existsSync(output)) throw new Error(`the Multitool wrote no report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(fs.readFileSync(output, 'utf8')) as { runs: { results?: MultitoolResult[] }[] };
    return (report.runs[0].results ?? [])
      .filter((result) => result.level === undefined || result.level === 'error' || result.level === 'warning')
      .map((result) => `${result.level ?? 'warning'} ${result.ruleId}: ${result.message?.text ?? (result.message?.arguments ?? []).join(' | ')}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
