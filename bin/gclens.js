#!/usr/bin/env node
// The `gclens` command: runs the bundled CLI in dist/ (built by `npm run build`, and by `npm ci`'s postinstall).
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS launcher */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(`gclens: ${cli} is missing; build it first with \`npm run build\` (in ${path.dirname(__dirname)})\n`);
  process.exit(2);
}
require(cli).main();
