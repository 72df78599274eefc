/**
 * AWS Lambda entry point for the Kinesis event source (configure ReportBatchItemFailures and an on-failure
 * destination). A warm container keeps its relay (token, connections) across invocations, and re-reads the
 * Secrets Manager secret (SF_SECRET_ARN) every SECRET_REFRESH_MS and right after Salesforce refuses the
 * credentials: a rotated key or a fixed secret takes effect without a deploy or a cold start. Failures a retry
 * cannot fix soon (bad configuration, credentials refused, 403/404) make the next invocation wait first,
 * doubling up to BACKOFF_MAX_MS, so the event source mapping's unlimited retries do not spin.
 */
import { createHash } from 'node:crypto';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { ConfigError, loadConfig, type RelayConfig } from './config';
import { createLogger, type Logger } from './logger';
import { AUTH_FAILURES_METRIC, CERTIFICATE_DAYS_LEFT_METRIC, emfLine, relayName } from './ops-metrics';
import { createRelay, type BatchReport, type Relay, type RelayDeps } from './relay';
import { realSleep } from './retry';
import { resolveSecretEnv, type SecretReader } from './secrets';

/**
 * Time kept back from the Lambda timeout for parking records and returning the response; at most a quarter of
 * the remaining time, so a short function timeout still leaves room to deliver.
 */
export const SAFETY_MARGIN_MS = 4_000;
/** A warm container re-reads the secret this often (and at once after an authentication failure). */
export const SECRET_REFRESH_MS = 5 * 60_000;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 60_000;

export function deadlineFor(nowMs: number, remainingMs: number, marginMs: number = SAFETY_MARGIN_MS): number {
  return nowMs + remainingMs - Math.min(marginMs, Math.floor(remainingMs / 4));
}

/** The wait before the invocation after `failures` systemic failures in a row (0 = none). */
export function backoffFor(failures: number, baseMs = BACKOFF_BASE_MS, maxMs = BACKOFF_MAX_MS): number {
  return failures <= 0 ? 0 : Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
}

export interface HandlerOptions {
  env?: NodeJS.ProcessEnv;
  deps?: RelayDeps;
  secrets?: SecretReader;
  safetyMarginMs?: number;
  secretRefreshMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  /** Writes one Embedded Metric Format line; default stdout (CloudWatch Logs in Lambda). */
  metricSink?: (fields: Record<string, unknown>) => void;
}

export type KinesisHandler = (
  event: KinesisStreamEvent,
  context: Context
) => Promise<KinesisStreamBatchResponse>;

const stdoutMetrics = (fields: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(fields)}\n`);
};

/** What identifies the credentials and settings a relay was built from (never logged). */
function fingerprintOf(env: NodeJS.ProcessEnv, problems: readonly string[]): string {
  const relevant = Object.keys(env)
    .filter((k) => k.startsWith('SF_') || k.startsWith('RELAY_') || k === 'DLQ_URL' || k === 'LOG_LEVEL')
    .sort()
    .map((k) => [k, env[k]]);
  return createHash('sha256')
    .update(JSON.stringify([relevant, problems]))
    .digest('hex');
}

export function createHandler(options: HandlerOptions = {}): KinesisHandler {
  const env = options.env ?? process.env;
  const now = options.deps?.now ?? Date.now;
  const sleep = options.deps?.sleep ?? realSleep;
  const logger: Logger =
    options.deps?.logger ?? createLogger({ level: env.LOG_LEVEL, base: { component: 'ctr-relay' } });
  const metric = (name: string, value: number): void =>
    (options.metricSink ?? stdoutMetrics)({
      message: `metric ${name}`,
      ...emfLine(relayName(env), { [name]: value }, now())
    });
  const refreshMs = options.secretRefreshMs ?? SECRET_REFRESH_MS;

  let current: { relay: Relay; fingerprint: string } | undefined;
  let broken: { error: ConfigError; fingerprint: string } | undefined;
  let readAtMs = Number.NEGATIVE_INFINITY;
  let stale = false;
  let systemicFailures = 0;

  const build = (config: RelayConfig): Relay => {
    try {
      return createRelay(config, { logger, ...options.deps });
    } catch (err) {
      // e.g. a private key with a PEM header that node:crypto cannot read.
      throw new ConfigError([`the credentials could not be used: ${(err as Error).message}`]);
    }
  };

  /** Reads the secret; rebuilds the relay only when credentials or settings changed. */
  const refresh = async (): Promise<void> => {
    const resolved = await resolveSecretEnv(env, options.secrets);
    readAtMs = now();
    stale = false;
    const fingerprint = fingerprintOf(resolved.env, resolved.problems);
    if (current?.fingerprint === fingerprint) return;
    if (broken?.fingerprint === fingerprint) throw broken.error;
    let relay: Relay;
    let config: RelayConfig;
    try {
      config = loadConfig(resolved.env, resolved.problems);
      relay = build(config);
    } catch (err) {
      // Stryker disable next-line ConditionalExpression: loadConfig and build throw nothing but ConfigError
      if (err instanceof ConfigError) broken = { error: err, fingerprint };
      throw err;
    }
    const previous = current;
    current = { relay, fingerprint };
    broken = undefined;
    if (previous) {
      logger.info('credentials or settings changed; relay rebuilt', {});
      await previous.relay.close();
    }
    if (config.auth.flow === 'jwt' && config.auth.certificate) {
      const daysLeft = Math.floor((config.auth.certificate.notAfterMs - now()) / 86_400_000);
      metric(CERTIFICATE_DAYS_LEFT_METRIC, daysLeft);
      if (daysLeft < 30) logger.warn('the JWT certificate expires soon: rotate the key', { daysLeft });
    }
  };

  const backOff = async (endMs: number, margin: number): Promise<void> => {
    const wanted = backoffFor(systemicFailures, options.backoff?.baseMs, options.backoff?.maxMs);
    const waitMs = Math.min(wanted, Math.max(0, Math.floor((endMs - now() - margin) / 2)));
    if (waitMs <= 0) return;
    logger.warn('backing off after failures that retrying cannot fix soon', {
      failuresInARow: systemicFailures,
      waitMs
    });
    await sleep(waitMs);
  };

  const ensureRelay = async (): Promise<Relay> => {
    if (current && !stale && !broken && now() - readAtMs < refreshMs) return current.relay;
    try {
      await refresh();
    } catch (err) {
      if (err instanceof ConfigError || !current) {
        // Invalid configuration, or no credentials yet: fail the invocation, the records stay on the stream.
        if (err instanceof ConfigError) systemicFailures += 1;
        logger.error('relay initialisation failed', { error: (err as Error).message });
        throw err;
      }
      // A Secrets Manager outage: keep going with the credentials already loaded.
      logger.warn('re-reading the secret failed; using the credentials already loaded', {
        error: (err as Error).message
      });
    }
    return (current as { relay: Relay }).relay;
  };

  /** What the handler reads of a batch's report: the failures Lambda retries, and whether they were systemic. */
  type Outcome = Pick<BatchReport, 'batchItemFailures' | 'systemic'>;
  const runBatch = async (relay: Relay, event: KinesisStreamEvent, endMs: number): Promise<Outcome> => {
    const remainingMs = endMs - now();
    const deadlineMs = deadlineFor(now(), remainingMs, options.safetyMarginMs);
    // Parking may use the margin, up to half a second (or an eighth of the time) before the function's timeout.
    const parkDeadlineMs = endMs - Math.min(500, Math.floor(remainingMs / 8));
    try {
      return await relay.processEvent(event, deadlineMs, { parkDeadlineMs });
    } catch (err) {
      // Unexpected bug: retry the whole batch rather than drop anything.
      logger.error('batch processing failed unexpectedly', { error: (err as Error).message });
      const all = (event.Records ?? []).map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber }));
      return { batchItemFailures: all };
    }
  };

  return async (event, context) => {
    const endMs = now() + context.getRemainingTimeInMillis();
    const margin = options.safetyMarginMs ?? SAFETY_MARGIN_MS;
    await backOff(endMs, margin);
    let relay = await ensureRelay();
    let report = await runBatch(relay, event, endMs);

    if (report.systemic?.code === 'AUTH_FAILED') {
      metric(AUTH_FAILURES_METRIC, 1);
      // The key may have been rotated under us: read the secret now; with new credentials, try again at once.
      stale = true;
      const before = current;
      relay = await ensureRelay();
      const failed = new Set(report.batchItemFailures.map((f) => f.itemIdentifier));
      if (current !== before && failed.size > 0) {
        logger.info('retrying with the re-read credentials', { records: failed.size });
        const retry: KinesisStreamEvent = {
          Records: event.Records.filter((r) => failed.has(r.kinesis.sequenceNumber))
        };
        report = await runBatch(relay, retry, endMs);
      }
    }
    systemicFailures = report.systemic ? systemicFailures + 1 : 0;
    return { batchItemFailures: report.batchItemFailures };
  };
}

export const handler: KinesisHandler = createHandler();
