// Lets the event loop turn between units of long work (shared by the CLI, the server's workspace scan and the bench).

/**
 * Resolves on the next turn of the event loop, after pending I/O: requests and edits get through, and the native
 * parser binding frees trees whose JS wrappers died (it only does so when they are collected).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
