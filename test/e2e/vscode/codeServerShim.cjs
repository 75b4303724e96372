#!/usr/bin/env node
// The "VS Code executable" @vscode/test-electron spawns on machines without desktop VS Code: runs codeServerShim.ts.
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS launcher */
/* global require, process, console */
'use strict';
require('tsx/cjs/api').register();
require('./codeServerShim.ts')
  .runShim(process.argv.slice(2))
  .then((code) => process.exit(code), (error) => {
    console.error(`code-server shim: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(2);
  });
