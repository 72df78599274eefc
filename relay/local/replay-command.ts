/**
 * `ctr-relay replay --stream NAME --on-failure-file FILE`: the one command that brings back the drops of batches
 * discarded after an outage longer than the retry budget (see README "Reliability").
 */
import type { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createRelay } from '../src/relay';
import { resolveSecretEnv } from '../src/secrets';
import { checkKinesisEndpoint, kinesisClient } from './consume';
import { readFlags, UsageError } from './options';
import { readOnFailureFile, replayRanges } from './replay';

export const REPLAY_USAGE = `Usage: ctr-relay replay --stream NAME --on-failure-file FILE [options]

Reads the on-failure records of discarded batches (Lambda's on-failure destination format, one JSON object per
line, or SQS messages carrying them) and runs the relay again over exactly those records, read back from the
stream (they must still be within its retention). Failures are retried until they succeed or --timeout-s passes.
Delivery is idempotent: replaying twice creates nothing twice and never overwrites newer data.
Salesforce settings, DLQ_URL and AWS credentials: as for "ctr-relay consume".

Options:
  --stream NAME            Kinesis stream name (required)
  --on-failure-file FILE   on-failure records, JSON lines (required)
  --region REGION          AWS region (default: from the AWS environment)
  --batch-size N           records per relay invocation, 1-10000 (default 100)
  --timeout-s N            give up after N seconds (default 600)
  --help                   show this help

Exit status: 0 every record processed (delivered, skipped or parked), 1 some still failing, 2 bad arguments or
settings.`;

interface ReplayOptions {
  stream?: string;
  file?: string;
  region?: string;
  batchSize: number;
  timeoutS: number;
  help: boolean;
}

function parseArgs(argv: string[]): ReplayOptions {
  const o: ReplayOptions = { batchSize: 100, timeoutS: 600, help: false };
  o.help = readFlags(argv, ({ flag, value, int }) => {
    if (flag === '--stream') o.stream = value();
    else if (flag === '--on-failure-file') o.file = value();
    else if (flag === '--region') o.region = value();
    else if (flag === '--batch-size') o.batchSize = int(1, 10_000);
    else if (flag === '--timeout-s') o.timeoutS = int(1, 86_400);
    else return false;
    return true;
  }).help;
  if (!o.help && (!o.stream || !o.file)) throw new UsageError('--stream and --on-failure-file are required');
  return o;
}

export async function replay(
  argv: string[],
  io: { stdout?: Writable; stderr?: Writable; env?: NodeJS.ProcessEnv } = {}
): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  let opts: ReplayOptions;
  try {
    opts = parseArgs(argv);
    if (env.KINESIS_ENDPOINT) checkKinesisEndpoint(env.KINESIS_ENDPOINT);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    stderr.write(`ctr-relay replay: ${e.message}\n\n${REPLAY_USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    stdout.write(REPLAY_USAGE + '\n');
    return 0;
  }
  let ranges;
  try {
    ranges = await readOnFailureFile(opts.file as string);
  } catch (e) {
    stderr.write(`ctr-relay replay: ${(e as Error).message}\n`);
    return 2;
  }
  const logger = createLogger({
    level: env.LOG_LEVEL,
    base: { component: 'ctr-relay', mode: 'replay', stream: opts.stream },
    sink: (line) => void stdout.write(line + '\n')
  });
  let relay;
  try {
    const resolved = await resolveSecretEnv(env);
    relay = createRelay(loadConfig(resolved.env, resolved.problems), { logger });
  } catch (e) {
    stderr.write(`ctr-relay replay: ${(e as Error).message}\n`);
    return e instanceof ConfigError ? 2 : 1;
  }
  const client = kinesisClient(env, opts.region);
  try {
    const summary = await replayRanges({
      client,
      relay,
      streamName: opts.stream as string,
      ranges,
      batchSize: opts.batchSize,
      deadlineMs: Date.now() + opts.timeoutS * 1000,
      batchTimeoutMs: 60_000,
      retryDelayMs: 1_000
    });
    logger.info('replay finished', { ...summary });
    return summary.failed > 0 ? 1 : 0;
  } catch (e) {
    stderr.write(`ctr-relay replay: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await relay.close();
    client.destroy();
  }
}
