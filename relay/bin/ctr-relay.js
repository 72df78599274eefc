#!/usr/bin/env node
// Launcher for the operator CLI: runs the TypeScript source through tsx, so `npx ctr-relay …` works right after
// `npm ci` with no build step. Commands live in relay/src/cli.ts.
'use strict';

require('tsx/cjs');
const { main } = require('../src/cli.ts');

main(process.argv.slice(2)).then(
  (code) => {
    // exitCode (not process.exit) lets pending stdout writes flush when piped.
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`ctr-relay: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 70;
  }
);
