// Preloaded into a measured child process (node --require): writes its CPU time and peak RSS to a file at exit.
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS preload */
'use strict';
const fs = require('node:fs');

const target = process.env.GCLENS_BENCH_USAGE_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    // userCPUTime/systemCPUTime are microseconds; maxRSS is kilobytes (covers worker threads: same process).
    fs.writeFileSync(target, JSON.stringify({ userMicros: usage.userCPUTime, systemMicros: usage.systemCPUTime, maxRssKb: usage.maxRSS }));
  });
}
