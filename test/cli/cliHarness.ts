// Test helpers for the CLI: build dist/ when stale, lay out temporary trees, run the built `gclens`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/ensureBuilt';

export const GCLENS_BIN = path.join(REPO_ROOT, 'bin', 'gclens.js');

/** Files to create, by relative path; a Buffer is written as is. */
export type TreeSpec = Readonly<Record<string, string | Buffer>>;

export function makeTree(spec: TreeSpec): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gclens-cli-'));
  writeTree(root, spec);
  return root;
}

export function writeTree(root: string, spec: TreeSpec): void {
  for (const [relative, content] of Object.entries(spec)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export function removeTree(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runGclens(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, [GCLENS_BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A finding as the JSON format gives it (the fields these tests read). */
export interface JsonFinding {
  path: string;
  code: string;
  name: string;
  message: string;
  severity: string;
  lifetime: string;
  location: { start: { line: number; column: number; offset: number }; end: { line: number; column: number; offset: number } };
  related: { message: string; location: JsonFinding['location'] }[];
  fixes: { title: string; applicability: string; edits: { location: JsonFinding['location']; newText: string }[] }[];
}

export function runJson(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): { run: CliRun; findings: JsonFinding[] } {
  const run = runGclens(['check', '--format', 'json', ...args], cwd, env);
  return { run, findings: JSON.parse(run.stdout) as JsonFinding[] };
}

/** `path:line` of each finding, the compact form most assertions compare. */
export function findingPlaces(findings: readonly JsonFinding[]): string[] {
  return findings.map((finding) => `${finding.path}:${finding.location.start.line}`);
}

/** A module with one GCL001 finding (the `[]` default) and one immutable default that must stay silent. */
export const ONE_FINDING = 'def append_to(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n\n\ndef fine(limit=None, name="x"):\n    return limit, name\n';
export const CLEAN = 'def fine(limit=None):\n    return limit\n';
