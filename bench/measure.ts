// Timing and memory measurement: in-process spans, whole child processes, and percentile/median helpers.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What one measured run cost. CPU is user + system of the measured process (all its threads). */
export interface Cost {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Peak resident set size of the process, in MB (a high-water mark since the process started). */
  readonly peakRssMb: number;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Measures an async span of this process: wall, CPU of this process during it, and the RSS high-water mark after it. */
export async function measureInProcess<T>(work: () => Promise<T>): Promise<{ cost: Cost; result: T }> {
  const cpuBefore = process.cpuUsage();
  const started = nowMs();
  const result = await work();
  const wallMs = nowMs() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { cost: { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 }, result };
}

export interface ChildRun {
  readonly cost: Cost;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const EXIT_USAGE_PRELOAD = path.join(__dirname, 'exitUsage.js');

/**
 * Runs `node [nodeArgs] script args` as a whole process and measures it from outside: wall from spawn to exit,
 * CPU and peak RSS as the child's own `process.resourceUsage()` reports them at exit (a preload writes them).
 * `discardStdout` sends stdout to /dev/null, as `> /dev/null` would.
 */
export function runNodeProcess(
  script: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[]; discardStdout?: boolean } = {},
): Promise<ChildRun> {
  const usageFile = path.join(os.tmpdir(), `gclens-bench-usage-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const env = { ...process.env, ...options.env, GCLENS_BENCH_USAGE_FILE: usageFile };
  const nodeArgs = ['--require', EXIT_USAGE_PRELOAD, ...(options.nodeArgs ?? [])];
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', options.discardStdout ? 'ignore' : 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const wallMs = nowMs() - started;
      let cpuMs = Number.NaN;
      let peakRssMb = Number.NaN;
      try {
        const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as { userMicros: number; systemMicros: number; maxRssKb: number };
        cpuMs = (usage.userMicros + usage.systemMicros) / 1000;
        peakRssMb = usage.maxRssKb / 1024;
        fs.rmSync(usageFile, { force: true });
      } catch {
        // The child died before its exit hook ran: CPU and memory stay unknown (NaN), wall is still real.
      }
      resolve({ cost: { wallMs, cpuMs, peakRssMb }, exitCode, stdout, stderr });
    });
  });
}

export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The run with the median wall time among several (CPU and memory from that same run, so they stay consistent). */
export function medianRun<T extends { cost: Cost }>(runs: readonly T[]): T {
  const sorted = [...runs].sort((a, b) => a.cost.wallMs - b.cost.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
