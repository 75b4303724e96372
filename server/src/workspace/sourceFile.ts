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

export function readSourceSync(absolutePath: string): ReadResult {
  try {
    const stat = fs.statSync(absolutePath);
    if (!stat.isFile()) return { kind: 'skipped', reason: 'unreadable', message: 'not a regular file' };
    if (stat.size > MAX_FILE_BYTES) return tooLarge(stat.size);
    return decodeSource(fs.readFileSync(absolutePath));
  } catch (error) {
    return unreadable(error);
  }
}

/** The same, without blocking the event loop (the language server's workspace scan). */
export async function readSource(absolutePath: string): Promise<ReadResult> {
  try {
    const stat = await fs.promises.stat(absolutePath);
    if (!stat.isFile()) return { kind: 'skipped', reason: 'unreadable', message: 'not a regular file' };
    if (stat.size > MAX_FILE_BYTES) return tooLarge(stat.size);
    return decodeSource(await fs.promises.readFile(absolutePath));
  } catch (error) {
    return unreadable(error);
  }
}
