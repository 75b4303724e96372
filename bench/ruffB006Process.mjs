// Ruff-wasm checking B006 over a file list as one whole process (what a user would run), for the side-by-side figure.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ruff = require('@astral-sh/ruff-wasm-nodejs');

const [listFile] = process.argv.slice(2);
const files = JSON.parse(fs.readFileSync(listFile, 'utf8'));
const workspace = new ruff.Workspace({ lint: { select: ['B006'] } }, ruff.PositionEncoding.Utf16);
let findings = 0;
for (const file of files) {
  try {
    findings += workspace.check(fs.readFileSync(file.path, 'utf8')).length;
  } catch {
    // a file Ruff's parser rejects: no findings
  }
}
process.stdout.write(`${JSON.stringify({ findings })}\n`);
