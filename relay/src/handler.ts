/**
 * AWS Lambda entry point for the Kinesis event source (configure ReportBatchItemFailures and an on-failure
 * destination). A warm container keeps its relay (token, connections) across invocations, and re-reads the
 * Secrets Manager secret (SF_SECRET_ARN) every SECRET_REFRESH_MS and right after Salesforce refuses the
 * credentials: a rotated key or a fixed secret takes effect without a deploy or a cold start. Failures a retry
 * cannot fix soon (bad configuration, credentials refused, 403/404) make the next invocation wait first,
 * doubling up to BACKOFF_MAX_MS, so the event source mapping's unlimited retries do not spin.
 */
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { ConfigError } from './config';
import { createLogger, type Logger } from './logger';
import { AUTH_FAILURES_METRIC, emfLine, relayName } from './ops-metrics';
import { createRefreshingRelay } from './refreshing-relay';
import type { BatchReport, Relay, RelayDeps } from './relay';
import { realSleep } from './retry';
import type { SecretReader } from './secrets';

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

/** What the handler reads of a batch's report: the failures Lambda retries, and whether they were systemic. */
type Outcome = Pick<BatchReport, 'batchItemFailures' | 'systemic'>;

/** Runs one batch against the invocation's end; an unexpected throw retries the whole batch. */
async function runBatch(
  relay: Relay,
  event: KinesisStreamEvent,
  endMs: number,
  { now, logger, safetyMarginMs }: { now: () => number; logger: Logger; safetyMarginMs?: number }
): Promise<Outcome> {
  const remainingMs = endMs - now();
  const deadlineMs = deadlineFor(now(), remainingMs, safetyMarginMs);
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
}

/** The same event with only the records whose sequence numbers are in `failed`. */
function onlyFailed(event: KinesisStreamEvent, failed: ReadonlySet<string>): KinesisStreamEvent {
  return { Records: event.Records.filter((r) => failed.has(r.kinesis.sequenceNumber)) };
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
  const relays = createRefreshingRelay({
    env,
    secrets: options.secrets,
    deps: options.deps,
    logger,
    now,
    refreshMs: options.secretRefreshMs ?? SECRET_REFRESH_MS,
    metric
  });
  const batchOptions = { now, logger, safetyMarginMs: options.safetyMarginMs };
  let systemicFailures = 0;

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
    try {
      return await relays.ensure();
    } catch (err) {
      if (err instanceof ConfigError) systemicFailures += 1;
      throw err;
    }
  };

  return async (event, context) => {
    const endMs = now() + context.getRemainingTimeInMillis();
    const margin = options.safetyMarginMs ?? SAFETY_MARGIN_MS;
    await backOff(endMs, margin);
    let relay = await ensureRelay();
    let report = await runBatch(relay, event, endMs, batchOptions);

    if (report.systemic?.code === 'AUTH_FAILED') {
      metric(AUTH_FAILURES_METRIC, 1);
      // The key may have been rotated under us: read the secret now; with new credentials, try again at once.
      relays.markStale();
      const before = relays.current();
      relay = await ensureRelay();
      const failed = new Set(report.batchItemFailures.map((f) => f.itemIdentifier));
      if (relays.current() !== before && failed.size > 0) {
        logger.info('retrying with the re-read credentials', { records: failed.size });
        report = await runBatch(relay, onlyFailed(event, failed), endMs, batchOptions);
      }
    }
    systemicFailures = report.systemic ? systemicFailures + 1 : 0;
    return { batchItemFailures: report.batchItemFailures };
  };
}

export const handler: KinesisHandler = createHandler();
