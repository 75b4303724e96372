// Thrown values as text: the stack for the server log, the message alone for what the user reads.

/** The stack when there is one (for the log), else the message. */
export function errorDetail(error: unknown): string {
  return error instanceof Error ? error.stack ?? error.message : String(error);
}

/** The message alone (for responses and notifications the user sees). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
