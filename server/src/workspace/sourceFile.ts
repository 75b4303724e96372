// Reads a Python source file the way every front end agrees on: UTF-8, BOM noted, binary/huge/unreadable refused.
import * as fs from 'node:fs';

/** Files above this size are reported and skipped: no real Python module is this large. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export const BOM = '\uFEFF';

/** Why a file was not read as Python source. */
export type SourceSkipReason = 'unreadable' | 'binary' | 'too-large' | 'not-utf8';

export type ReadResult =
  | { readonly kind: 'text'; readonly text: string; readonly hadBom: boolean }
  | { readonly kind: 'skipped'; readonly reason: SourceSkipReason; readonly message: string };

function tooLarge(size: number): ReadResult {
  return { kind: 'skipped', reason: 'too-large', message: `file is ${(size / 1048576).toFixed(1)} MiB, over the ${MAX_FILE_BYTES / 1048576} MiB limit` };
}

function unreadable(error: unknown): ReadResult {
  const code = (error as NodeJS.ErrnoException).code;
  return { kind: 'skipped', reason: 'unreadable', message: `cannot read${code ? ` (${code})` : ''}: ${(error as Error).message}` };
}

/** Decodes file bytes as Python source: NUL bytes mean binary, and text must be valid UTF-8 (as Ruff requires). */
export function decodeSource(bytes: Uint8Array): ReadResult {
  if (bytes.includes(0)) return { kind: 'skipped', reason: 'binary', message: 'binary file (contains NUL bytes)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { kind: 'skipped', reason: 'not-utf8', message: 'not valid UTF-8 (GC Lens reads Python source as UTF-8)' };
  }
  const hadBom = text.startsWith(BOM);
  return { kind: 'text', text: hadBom ? text.slice(1) : text, hadBom };
}

/**
 * Opened without blocking: a path that became a FIFO since the walk listed it must not hang the reader (the file's
 * own stat, taken on the open handle, then refuses it). O_NONBLOCK does not exist on Windows, where FIFOs are not files.
 */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);
/** Bytes read per call: a file is read in chunks so one that grows while it is read stops at the limit. */
const READ_CHUNK = 1024 * 1024;
const MIN_CHUNK = 64 * 1024;

/** Where a bounded read stands: the chunks so far, and whether the file has passed the limit (it grew after its stat). */
class BoundedBytes {
  private readonly chunks: Uint8Array[] = [];
  total = 0;

  /**
   * The next chunk's size: what the stat promised plus one byte (so the first read usually reaches the end), at least
   * 64 KB (files in /proc stat as empty), and never past one byte over the limit (enough to know it was passed).
   */
  nextSize(expected: number): number {
    return Math.min(READ_CHUNK, Math.max(expected + 1 - this.total, MIN_CHUNK), MAX_FILE_BYTES + 1 - this.total);
  }

  /** Adds a chunk; false once the file is over the limit. */
  add(chunk: Uint8Array): boolean {
    this.chunks.push(chunk);
    this.total += chunk.length;
    return this.total <= MAX_FILE_BYTES;
  }

  result(): ReadResult {
    return this.total > MAX_FILE_BYTES ? tooLarge(this.total) : decodeSource(Buffer.concat(this.chunks, this.total));
  }
}

function refusedByStat(stat: fs.Stats): ReadResult | undefined {
  if (!stat.isFile()) return { kind: 'skipped', reason: 'unreadable', message: 'not a regular file' };
  return stat.size > MAX_FILE_BYTES ? tooLarge(stat.size) : undefined;
}

/**
 * Reads a file as Python source, never more than MAX_FILE_BYTES + 1 bytes: the size is checked on the open file and
 * the read stops at the limit, so a file that grows (or is replaced) between the walk's listing and the read is
 * refused rather than read whole.
 */
export function readSourceSync(absolutePath: string): ReadResult {
  let descriptor: number | undefined;
  try {
    descriptor = fs.openSync(absolutePath, OPEN_FLAGS);
    const stat = fs.fstatSync(descriptor);
    const refused = refusedByStat(stat);
    if (refused) return refused;
    const bytes = new BoundedBytes();
    for (;;) {
      const chunk = Buffer.allocUnsafe(bytes.nextSize(stat.size));
      const read = fs.readSync(descriptor, chunk, 0, chunk.length, null);
      if (read === 0 || !bytes.add(chunk.subarray(0, read))) return bytes.result();
    }
  } catch (error) {
    return unreadable(error);
  } finally {
    if (descriptor !== undefined) fs.closeSync(descriptor);
  }
}

/** The same, without blocking the event loop (the language server's workspace scan). */
export async function readSource(absolutePath: string): Promise<ReadResult> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(absolutePath, OPEN_FLAGS);
    const stat = await handle.stat();
    const refused = refusedByStat(stat);
    if (refused) return refused;
    const bytes = new BoundedBytes();
    for (;;) {
      const chunk = Buffer.allocUnsafe(bytes.nextSize(stat.size));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0 || !bytes.add(chunk.subarray(0, bytesRead))) return bytes.result();
    }
  } catch (error) {
    return unreadable(error);
  } finally {
    await handle?.close();
  }
}
