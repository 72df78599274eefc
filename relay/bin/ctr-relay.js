#!/usr/bin/env node
// Launcher for the operator CLI: runs the TypeScript source through tsx, so `npx ctr-relay …` works right after
// `npm ci` with no build step. Commands live in relay/src/cli.ts.
'use strict';

async function run() {
  // import() of .ts files, which some modules use to load optional parts lazily. Through the ESM build of tsx's
  // API: its CommonJS build resolves its own hook file from the wrong directory.
  const { register } = await import('tsx/esm/api');
  register();
  // require() of .ts files: the CLI and everything it loads.
  require('tsx/cjs');
  const { main } = require('../src/cli.ts');
  return main(process.argv.slice(2));
}

run().then(
  (code) => {
    // exitCode (not process.exit) lets pending stdout writes flush when piped.
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`ctr-relay: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 70;
  }
);
