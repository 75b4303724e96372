// The repository's own Python sources (rule fixtures, hover fixtures, examples): a corpus every machine has.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './ensureBuilt';

/** Every `.py` file under `dir`, depth first. */
function pythonFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? pythonFilesUnder(full) : entry.name.endsWith('.py') ? [full] : [];
  });
}

/** Every `.py` file of `test/fixtures` and `examples`, as absolute paths. */
export function repositoryPythonFiles(): string[] {
  return [...pythonFilesUnder(path.join(REPO_ROOT, 'test', 'fixtures')), ...pythonFilesUnder(path.join(REPO_ROOT, 'examples'))];
}
