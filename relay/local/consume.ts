/**
 * `ctr-relay consume`: the relay as a long-running consumer of a real Kinesis stream, for deployments outside
 * Lambda (a container, a VM). Same relay code and configuration as the Lambda handler; the consumer behaves like
 * Lambda's event source mapping (see consumer.ts). AWS endpoint, region and credentials come from the usual AWS
 * environment (default provider chain); KINESIS_ENDPOINT overrides the endpoint (e.g. a local Kinesis).
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '../src/config';
import { createLogger, type Logger } from '../src/logger';
import { deadlineFor } from '../src/handler';
import { createRelay, type Relay } from '../src/relay';
import { resolveSecretEnv } from '../src/secrets';
import {
  CheckpointMismatchError,
  defaultCheckpointFile,
  startEventSourceMapping,
  type ConsumerEvent,
  type EventSourceMappingOptions,
  type StartingPosition
} from './consumer';
import { readFlags, UsageError } from './options';

export interface ConsumeIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Stops the consumer like SIGINT/SIGTERM do (tests, embedding). */
  signal: AbortSignal;
}

export const CONSUME_USAGE = `Usage: ctr-relay consume --stream NAME [options]

Consumes a Kinesis stream of contact trace records with the relay, the way Lambda's event source mapping would
(batches, checkpoints after success, partial batch failures, bisect on error, bounded retries), until SIGINT/SIGTERM.
Salesforce settings come from the environment exactly as for the Lambda (SF_AUTH_FLOW, SF_LOGIN_URL, SF_CLIENT_ID,
SF_USERNAME + SF_PRIVATE_KEY or SF_CLIENT_SECRET, or SF_SECRET_ARN; DLQ_URL, RELAY_POLICY_FILE, LOG_LEVEL).
AWS credentials and region: the standard AWS environment (AWS_PROFILE, AWS_REGION, instance/container roles…).

Options:
  --stream NAME               Kinesis stream name (required)
  --region REGION             AWS region (default: from the AWS environment)
  --batch-size N              records per batch, 1-10000 (default 100)
  --window-ms N               maximum batching window in ms, 0-300000 (default 1000)
  --starting-position P       TRIM_HORIZON or LATEST, when a shard has no checkpoint (default TRIM_HORIZON:
                              nothing still in the stream is skipped)
  --checkpoint-file FILE      per-shard checkpoints, written after every batch and read at start (default
                              $XDG_STATE_HOME or ~/.local/state, /ctr-relay/checkpoints/REGION/STREAM.json;
                              keep it on a persistent volume)
  --on-failure-file FILE      JSON lines of discarded batches (Lambda's on-failure record format)
  --max-retries N             retries of a failing batch before it is discarded, -1 = until it expires (default 10)
  --max-record-age-s N        discard records older than N seconds, -1 = never (default -1)
  --no-bisect                 do not split a batch in halves when the relay throws
  --timeout-s N               time one batch may take, like the Lambda timeout (default 60)
  --help                      show this help

Environment: KINESIS_ENDPOINT overrides the Kinesis endpoint (https, or http on 127.0.0.1/localhost only).`;

interface ConsumeOptions {
  stream?: string;
  region?: string;
  batchSize: number;
  windowMs: number;
  startingPosition: StartingPosition;
  checkpointFile?: string;
  onFailureFile?: string;
  maxRetries: number;
  maxRecordAgeS: number;
  bisect: boolean;
  timeoutS: number;
  help: boolean;
}

function parseArgs(argv: string[]): ConsumeOptions {
  const o: ConsumeOptions = {
    batchSize: 100,
    windowMs: 1000,
    startingPosition: 'TRIM_HORIZON',
    maxRetries: 10,
    maxRecordAgeS: -1,
    bisect: true,
    timeoutS: 60,
    help: false
  };
  o.help = readFlags(argv, ({ flag, value, int }) => {
    switch (flag) {
      case '--stream':
        o.stream = value();
        break;
      case '--region':
        o.region = value();
        break;
      case '--batch-size':
        o.batchSize = int(1, 10_000);
        break;
      case '--window-ms':
        o.windowMs = int(0, 300_000);
        break;
      case '--starting-position': {
        const v = value().toUpperCase();
        if (v !== 'TRIM_HORIZON' && v !== 'LATEST') {
          throw new UsageError('--starting-position must be TRIM_HORIZON or LATEST');
        }
        o.startingPosition = v;
        break;
      }
      case '--checkpoint-file':
        o.checkpointFile = value();
        break;
      case '--on-failure-file':
        o.onFailureFile = value();
        break;
      case '--max-retries':
        o.maxRetries = int(-1, 10_000);
        break;
      case '--max-record-age-s':
        o.maxRecordAgeS = int(-1, 604_800);
        break;
      case '--no-bisect':
        o.bisect = false;
        break;
      case '--timeout-s':
        o.timeoutS = int(1, 900);
        break;
      default:
        return false;
    }
    return true;
  }).help;
  if (!o.help && !o.stream) throw new UsageError('--stream is required');
  return o;
}

/** https anywhere; plain http only on loopback, so credentials never cross a network in clear. */
export function checkKinesisEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`KINESIS_ENDPOINT is not a valid URL: "${value}"`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return url.origin;
  throw new UsageError(
    `KINESIS_ENDPOINT must use https (http only for 127.0.0.1/localhost): "${url.origin}"`
  );
}

/**
 * HTTP/1.1 keep-alive handler for Kinesis. throwOnRequestTimeout: without it the handler only logs a warning when
 * requestTimeout passes, and a stalled connection would hang GetRecords for ever.
 */
export function kinesisRequestHandler(
  timeouts = { connectionTimeout: 5_000, requestTimeout: 30_000 }
): NodeHttpHandler {
  return new NodeHttpHandler({ ...timeouts, throwOnRequestTimeout: true });
}

export function kinesisClient(env: NodeJS.ProcessEnv, region: string | undefined): KinesisClient {
  const endpointRaw = (env.KINESIS_ENDPOINT ?? '').trim();
  const regionFromEnv = region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  // Static keys from the given environment when present (what the SDK's env provider would read from
  // process.env); otherwise the SDK's default chain (profiles, SSO, container and instance roles).
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {})
        }
      : undefined;
  return new KinesisClient({
    ...(regionFromEnv ? { region: regionFromEnv } : {}),
    ...(credentials ? { credentials } : {}),
    ...(endpointRaw ? { endpoint: checkKinesisEndpoint(endpointRaw) } : {}),
    // HTTP/1.1 keep-alive: works with Kinesis and with local Kinesis implementations alike.
    requestHandler: kinesisRequestHandler(),
    maxAttempts: 5
  });
}

function logConsumerEvents(logger: Logger): (e: ConsumerEvent) => void {
  return (e) => {
    if (e.type === 'retry') logger.warn('batch will be retried', { ...e });
    else if (e.type === 'discarded') logger.error('batch discarded to the on-failure destination', { ...e });
    else if (e.type === 'bisect') logger.warn('batch bisected after a function error', { ...e });
    else if (e.type === 'error') logger.error('consumer error', { ...e });
  };
}

/** `ctr-relay consume`: resolves to the exit code once stopped (SIGINT/SIGTERM or io.signal). */
export async function consume(argv: string[], io: Partial<ConsumeIo> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  let opts: ConsumeOptions;
  try {
    opts = parseArgs(argv);
    if (env.KINESIS_ENDPOINT) checkKinesisEndpoint(env.KINESIS_ENDPOINT);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    stderr.write(`ctr-relay consume: ${e.message}\n\n${CONSUME_USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    stdout.write(CONSUME_USAGE + '\n');
    return 0;
  }

  // SIGINT/SIGTERM stop the command at any point, also while it is still connecting.
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (io.signal?.aborted) stop.abort();
  io.signal?.addEventListener('abort', onSignal, { once: true });
  try {
    return await run(opts, { stdout, stderr, env }, stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    io.signal?.removeEventListener('abort', onSignal);
  }
}

/** Resolves when `signal` aborts (or at once if it has). */
const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/** The relay from the environment and the secret; undefined when stopped while reading the secret. */
async function relayFromEnv(
  env: NodeJS.ProcessEnv,
  logger: Logger,
  signal: AbortSignal
): Promise<Relay | undefined> {
  const resolved = await Promise.race([resolveSecretEnv(env), aborted(signal).then(() => undefined)]);
  if (!resolved) return undefined;
  return createRelay(loadConfig(resolved.env, resolved.problems), { logger });
}

/** The event source mapping's settings from the command line, around a handler that runs `relay` like Lambda. */
function mappingOptions(
  opts: ConsumeOptions,
  target: { client: KinesisClient; relay: Relay; checkpointFile: string },
  logger: Logger,
  signal: AbortSignal
): EventSourceMappingOptions {
  const { client, relay, checkpointFile } = target;
  return {
    client,
    streamName: opts.stream as string,
    batchSize: opts.batchSize,
    maximumBatchingWindowMs: opts.windowMs,
    startingPosition: opts.startingPosition,
    bisectBatchOnFunctionError: opts.bisect,
    maximumRetryAttempts: opts.maxRetries,
    maximumRecordAgeMs: opts.maxRecordAgeS < 0 ? -1 : opts.maxRecordAgeS * 1000,
    reportBatchItemFailures: true,
    checkpointFile,
    onFailureFile: opts.onFailureFile,
    pollIntervalMs: 1000,
    onEvent: logConsumerEvents(logger),
    signal,
    handler: async (event) => {
      // Like a Lambda with this timeout, keeping 2 s back (the handler's own deadline rule); parking may use
      // that margin up to half a second before the timeout.
      const now = Date.now();
      const report = await relay.processEvent(event, deadlineFor(now, opts.timeoutS * 1000, 2_000), {
        parkDeadlineMs: now + opts.timeoutS * 1000 - 500
      });
      return { batchItemFailures: report.batchItemFailures };
    }
  };
}

/** Says why the stream could not be read; the exit code (2 for a checkpoint file of another stream, else 1). */
function reportStartFailure(e: unknown, stream: string, stderr: Writable): number {
  const mismatch = e instanceof CheckpointMismatchError;
  stderr.write(
    mismatch
      ? `ctr-relay consume: ${(e as Error).message} (use --checkpoint-file to name this stream's file)\n`
      : `ctr-relay consume: cannot read stream ${stream}: ${(e as Error).message}\n`
  );
  return mismatch ? 2 : 1;
}

async function run(
  opts: ConsumeOptions,
  io: { stdout: Writable; stderr: Writable; env: NodeJS.ProcessEnv },
  signal: AbortSignal
): Promise<number> {
  const { stdout, stderr, env } = io;
  const stream = opts.stream as string;
  const logger = createLogger({
    level: env.LOG_LEVEL,
    base: { component: 'ctr-relay', mode: 'consume', stream },
    sink: (line) => void stdout.write(line + '\n')
  });
  let relay: Relay;
  try {
    const built = await relayFromEnv(env, logger, signal);
    if (!built) return 0;
    relay = built;
  } catch (e) {
    stderr.write(`ctr-relay consume: ${(e as Error).message}\n`);
    return e instanceof ConfigError ? 2 : 1;
  }

  const region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const checkpointFile = opts.checkpointFile ?? defaultCheckpointFile(env, region, stream);
  const client = kinesisClient(env, opts.region);
  const close = async (): Promise<void> => {
    await relay.close();
    client.destroy();
  };
  let mapping;
  try {
    mapping = await startEventSourceMapping(
      mappingOptions(opts, { client, relay, checkpointFile }, logger, signal)
    );
  } catch (e) {
    await close();
    if (signal.aborted) {
      logger.info('stopped while connecting');
      return 0;
    }
    return reportStartFailure(e, stream, stderr);
  }
  logger.info('consuming', {
    streamArn: mapping.streamArn,
    batchSize: opts.batchSize,
    windowMs: opts.windowMs,
    startingPosition: opts.startingPosition,
    checkpointFile,
    resumedShards: Object.keys(mapping.checkpoints()).length
  });

  await aborted(signal);
  logger.info('stopping: finishing the batch in flight');
  await mapping.stop();
  await close();
  logger.info('stopped', { ...mapping.stats, checkpoints: mapping.checkpoints() });
  return 0;
}
