// The extension-tests entry VS Code (or the code-server shim) loads: runs the compiled *.suite.js files named by GCLENS_E2E_SUITES under Mocha.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false });
  const wanted = (process.env.GCLENS_E2E_SUITES ?? '').split(',').filter(Boolean);
  const files = fs.readdirSync(__dirname)
    .filter((name) => name.endsWith('.suite.js'))
    .filter((name) => wanted.length === 0 || wanted.includes(name.replace(/\.suite\.js$/, '')))
    .sort();
  if (files.length === 0) return Promise.reject(new Error(`no suite files match GCLENS_E2E_SUITES=${process.env.GCLENS_E2E_SUITES ?? ''} in ${__dirname}`));
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} of the editor tests failed`)) : resolve()));
  });
}
