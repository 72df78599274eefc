/**
 * Bundle size and cold init. The handler is bundled the way the CDK stack bundles it (NodejsFunction: esbuild,
 * minified, CommonJS, target node22, no source map, nothing external — see relay/infra/lib/relay-stack.ts). Cold
 * init is measured in fresh Node processes: import the bundle and build the handler, i.e. the first invocation
 * with an empty batch, which loads and validates the configuration and builds the relay (token cache, undici pool,
 * SQS dead-letter sink, as the shipped stack configures it). No network: the empty batch sends nothing and no
 * Secrets Manager secret is read (SF_SECRET_ARN unset). Node's own start-up is reported apart.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HANDLER_ENTRY } from '../infra/lib/relay-stack';
import { bundleHandler, bytesFrom } from './handler-bundle';
import { relayEnv } from './org';
import { spread, type Spread } from './stats';

const run = promisify(execFile);

export interface ColdStartResult {
  bundleBytes: number;
  /** Bytes of the bundle that come from undici (the relay's HTTP client). */
  undiciBytes: number;
  /** Bytes from the AWS SDK (@aws-sdk, @smithy, @aws-crypto). */
  awsSdkBytes: number;
  runs: number;
  /** Import the bundle + build the handler (first, empty invocation), ms. */
  initMs: Spread;
  importMs: Spread;
  buildMs: Spread;
  /** CPU time of import + build (less disturbed by a busy machine than wall time), ms. */
  initCpuMs: Spread;
  /** Node start-up before the first line of the measuring script, ms (not part of cold init). */
  nodeStartMs: Spread;
  nodeVersion: string;
}

const PROBE = `
const t0 = performance.now();
const c0 = process.cpuUsage();
const bundle = require(process.env.BENCH_BUNDLE);
const t1 = performance.now();
bundle.handler({ Records: [] }, { getRemainingTimeInMillis: () => 60000 }).then((r) => {
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  if (!r || !Array.isArray(r.batchItemFailures) || r.batchItemFailures.length) throw new Error('unexpected');
  process.stdout.write(
    JSON.stringify({ start: t0, importMs: t1 - t0, buildMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000 })
  );
});
`;

export async function coldStart(options: { runs: number }): Promise<ColdStartResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ctr-relay-bundle-'));
  try {
    const outfile = join(dir, 'index.js');
    const bundle = await bundleHandler(HANDLER_ENTRY, outfile);
    const env = {
      PATH: process.env.PATH ?? '',
      ...relayEnv('https://login.salesforce.com'),
      DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/ctr-relay-parked',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      BENCH_BUNDLE: outfile
    };
    const samples: { start: number; importMs: number; buildMs: number; cpuMs: number }[] = [];
    for (let i = 0; i < options.runs + 1; i++) {
      const { stdout } = await run(process.execPath, ['-e', PROBE], { env });
      // The first process warms the OS file cache (Lambda's cold start reads a fresh copy too, but from its
      // own storage); it is not counted.
      if (i > 0) samples.push(JSON.parse(stdout) as (typeof samples)[number]);
    }
    return {
      bundleBytes: bundle.bytes,
      undiciBytes: bytesFrom(bundle, (p) => p.includes('node_modules/undici/')),
      awsSdkBytes: bytesFrom(bundle, (p) => /node_modules\/@(aws-sdk|smithy|aws-crypto)\//.test(p)),
      runs: samples.length,
      initMs: spread(samples.map((s) => s.importMs + s.buildMs)),
      importMs: spread(samples.map((s) => s.importMs)),
      buildMs: spread(samples.map((s) => s.buildMs)),
      initCpuMs: spread(samples.map((s) => s.cpuMs)),
      nodeStartMs: spread(samples.map((s) => s.start)),
      nodeVersion: process.version
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
