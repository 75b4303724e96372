// Reads a zip archive's central directory (entry names, sizes) and inflates single entries: enough to inspect a .vsix.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

export interface ZipEntry {
  readonly name: string;
  readonly compressedSize: number;
  readonly size: number;
  /** 0 = stored, 8 = deflated. */
  readonly method: number;
  readonly localHeaderOffset: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** The end-of-central-directory record sits in the last 22 + up to 65535 (comment) bytes. */
function findEndOfCentralDirectory(data: Buffer): number {
  for (let offset = data.length - 22; offset >= Math.max(0, data.length - 22 - 0xffff); offset--) {
    if (data.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) return offset;
  }
  throw new Error('not a zip archive: no end-of-central-directory record');
}

export function zipEntries(data: Buffer): ZipEntry[] {
  const end = findEndOfCentralDirectory(data);
  const count = data.readUInt16LE(end + 10);
  let offset = data.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (data.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`bad central directory entry ${index} at ${offset}`);
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    entries.push({
      name: data.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: data.readUInt16LE(offset + 10),
      compressedSize: data.readUInt32LE(offset + 20),
      size: data.readUInt32LE(offset + 24),
      localHeaderOffset: data.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One entry's bytes, inflated. */
export function zipEntryContent(data: Buffer, entry: ZipEntry): Buffer {
  const header = entry.localHeaderOffset;
  if (data.readUInt32LE(header) !== LOCAL_FILE_HEADER) throw new Error(`bad local header for ${entry.name}`);
  const start = header + 30 + data.readUInt16LE(header + 26) + data.readUInt16LE(header + 28);
  const raw = data.subarray(start, start + entry.compressedSize);
  switch (entry.method) {
    case 0:
      return Buffer.from(raw);
    case 8:
      return zlib.inflateRawSync(raw);
    default:
      throw new Error(`${entry.name}: unsupported compression method ${entry.method}`);
  }
}

export function readZip(file: string): { entries: ZipEntry[]; content: (name: string) => Buffer } {
  const data = fs.readFileSync(file);
  const entries = zipEntries(data);
  return {
    entries,
    content(name) {
      const entry = entries.find((candidate) => candidate.name === name);
      if (!entry) throw new Error(`${file} has no entry ${name}`);
      return zipEntryContent(data, entry);
    },
  };
}
