/* global afterAll */
// Infrastructure tests: every `new App()` without an outdir would synthesize into a new cdk.outXXXX folder in the
// system temp directory and leave it there. Each test file gets one temporary outdir instead (CDK_OUTDIR, read by
// App), removed when the file's tests are done.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'jest-cdk-out-'));
process.env.CDK_OUTDIR = outdir;
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
