// Child processes in their own process group, stopped as a group (also when the test process exits early).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface GroupExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ProcessGroup {
  readonly child: ChildProcess;
  /** Settles when the group leader exits. */
  readonly exited: Promise<GroupExit>;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves once the leader is gone. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

/** A test process that ends (normally, by an uncaught error or by a signal) takes its groups with it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of running) killGroup(pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const pid of running) killGroup(pid, 'SIGKILL');
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  }
}

export function startProcessGroup(command: string, args: readonly string[], options: SpawnOptions = {}): ProcessGroup {
  installExitHook();
  const child = spawn(command, args, { ...options, detached: true });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  running.add(pid);
  const exited = new Promise<GroupExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  // The leader exiting does not end its children (a file watcher, a language server): the group goes too.
  void exited.then(() => {
    killGroup(pid, 'SIGTERM');
    running.delete(pid);
  });
  return {
    child,
    exited,
    async stop(graceMs = 5000) {
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      killGroup(pid, 'SIGKILL');
      running.delete(pid);
    },
  };
}
