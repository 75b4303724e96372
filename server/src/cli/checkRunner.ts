// Runs file checks with one loaded parser, yielding between files so the native binding can free old trees.
import type { PythonParser } from '../syntax/syntaxTypes';
import { yieldToEventLoop } from '../workspace/eventLoop';
import { NativeMemoryGuard } from '../workspace/nativeMemory';
import type { CheckJob, FileOutcome, FileTask } from './checkTypes';
import { checkFile } from './fileCheck';

/** Checks one task; a bug anywhere in the analysis becomes that file's error, never the run's crash. */
export function checkTaskSafely(task: FileTask, parser: PythonParser, job: CheckJob): FileOutcome {
  try {
    return checkFile(task, parser, job.settingsTable[task.settingsIndex], job.fixMode);
  } catch (error) {
    const detail = error instanceof Error ? error.stack ?? error.message : String(error);
    return { kind: 'skipped', displayPath: task.displayPath, absolutePath: task.absolutePath, reason: 'internal-error', message: `internal error: ${detail}` };
  }
}

/** One per thread (each worker loads this module): batches come and go, the garbage they leave does not. */
const memory = new NativeMemoryGuard();

/** Checks tasks in order, reporting each outcome as it is ready. */
export async function checkTasks(
  tasks: readonly FileTask[],
  parser: PythonParser,
  job: CheckJob,
  onOutcome: (outcome: FileOutcome) => void,
): Promise<void> {
  for (const task of tasks) {
    onOutcome(checkTaskSafely(task, parser, job));
    // Trees of the native backend are freed only when their JS objects are collected: let that happen.
    await yieldToEventLoop();
    memory.afterDocument();
  }
}
