// Reads the editor's log files under a user-data folder (the GC Lens output channel is one of them); used by the test entries and, inside the editor, by the suites.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every line of the `.log` files under `<userDataDir>/logs` that matches `pattern`. */
export function logLines(userDataDir: string, pattern: RegExp): string[] {
  const lines: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.log')) lines.push(...fs.readFileSync(full, 'utf8').split('\n').filter((line) => pattern.test(line)));
    }
  };
  const logs = path.join(userDataDir, 'logs');
  if (fs.existsSync(logs)) visit(logs);
  return lines;
}
