/**
 * The relay pipeline for one Kinesis batch: decode → classify → de-duplicate → deliver (chunks of ≤ 200) → report.
 *
 * Used by the Lambda handler and by the standalone consumer (relay/local). The outcome of every record is one of:
 * skipped (not a drop), delivered (created/updated/unchanged/stale), parked (retrying cannot help: logged and sent
 * to the dead-letter sink) or failed (reported in batchItemFailures so Lambda retries it). A record superseded by
 * a newer copy of the same contact in the batch shares the fate of that copy. Parking is bounded by a deadline and
 * never parks a record that a retry of this batch will see again.
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { Dispatcher } from 'undici';
import { dedupeNewest } from './batch';
import type { RelayConfig } from './config';
import { deliverRecords } from './deliver';
import { fatesOf, type Fates } from './fates';
import { createLogger, type Logger } from './logger';
import { maskPhonesInText } from './mask';
import { deliveryLatencies, emfFields, relayNameFrom } from './metrics';
import { createLogParkSink, createSqsParkSink, type ParkedRecord, type ParkSink } from './park';
import type { BackoffOptions, Sleep } from './retry';
import { TokenProvider } from './salesforce/auth';
import { SalesforceClient } from './salesforce/client';
import { triage, type ParkCause } from './triage';

export { isSystemicFailure } from './fates';
export type { ParkedRecord } from './park';

export interface BatchReport {
  /** Kinesis sequence numbers Lambda must retry (in event order). */
  batchItemFailures: { itemIdentifier: string }[];
  /**
   * Kinesis records: received, invalid (undecodable), skipped (+ skipped.<CATEGORY>), forwarded (drops: action
   * callback), resolved (the customer got through: action resolve), duplicates (superseded by a newer copy),
   * parked, failed (= batchItemFailures). Unique records sent: sent, created, updated, unchanged, stale,
   * autoClosed (resolve records that closed a caller's open callbacks), nothingToResolve, rejected (per-record or
   * whole-request rejections, retryable or not). HTTP: requests (attempts), retried (attempts beyond the first).
   */
  counts: Record<string, number>;
  /** Records parked by this batch (stored by the park sink, or logged when it has no store). */
  parked: ParkedRecord[];
  /**
   * Set when records failed for a reason retrying soon cannot fix (credentials refused, 403/404 from the
   * endpoint): the caller should back off, and on AUTH_FAILED re-read its credentials.
   */
  systemic?: { code: string; reason: string };
}

export interface RelayDeps {
  logger?: Logger;
  /** Where parked records go; default SQS when config.dlqUrl is set, else the logs only. */
  parkSink?: ParkSink;
  /** Clock (ms since epoch) for deadlines and token timestamps. */
  now?: () => number;
  /**
   * undici dispatcher for Salesforce calls (token + API). Default: for the API a keep-alive Agent of its own, for the
   * token request undici's global dispatcher (another host: a shared pool would reuse no connection).
   */
  dispatcher?: Dispatcher;
  /** Shared token cache, e.g. one per process for several relays. */
  tokens?: TokenProvider;
  sleep?: Sleep;
  backoff?: Partial<BackoffOptions>;
  /** Value of the metrics' Relay dimension; default the Lambda function name, else "ctr-relay". */
  metricsName?: string;
}

export interface Relay {
  /**
   * Processes one batch. `deadlineMs` is an absolute time (ms since epoch, the `now` clock) by which delivery must
   * stop retrying, e.g. Date.now() + context.getRemainingTimeInMillis() - safety margin.
   */
  processEvent(event: KinesisStreamEvent, deadlineMs: number, options?: ProcessOptions): Promise<BatchReport>;
  /** Releases HTTP connections (the standalone consumer calls this on shutdown). */
  close(): Promise<void>;
  readonly tokens: TokenProvider;
}

export interface ProcessOptions {
  /**
   * Absolute time by which parking must be over (default deadlineMs + 2 s): the time kept back after delivery
   * stops, so that a slow or hanging dead-letter queue cannot hold the batch past the function's timeout.
   */
  parkDeadlineMs?: number;
}

/** Default time parking may take after the delivery deadline. */
export const PARK_GRACE_MS = 2_000;

export const COUNT_KEYS = [
  'received',
  'invalid',
  'skipped',
  'forwarded',
  'resolved',
  'duplicates',
  'sent',
  'requests',
  'created',
  'updated',
  'unchanged',
  'stale',
  'autoClosed',
  'nothingToResolve',
  'rejected',
  'retried',
  'parked',
  'deferred',
  'failed'
] as const;

function dataOf(r: KinesisStreamRecord): string {
  const data = (r as { kinesis?: { data?: unknown } }).kinesis?.data;
  return typeof data === 'string' ? data : '';
}

/** "shardId-000000000001:4959…" → "shardId-000000000001" (where to read the record back from). */
function shardOf(r: KinesisStreamRecord): string | undefined {
  const id = (r as { eventID?: unknown }).eventID;
  return typeof id === 'string' && id.includes(':') ? id.slice(0, id.indexOf(':')) : undefined;
}

type ToPark = ParkedRecord & { index: number };

/** What the dead-letter sink keeps of a record: its cause, masked like the logs, and the record to replay. */
function toParkEntry(records: readonly KinesisStreamRecord[], { index, ...cause }: ParkCause): ToPark {
  const r = records[index] as KinesisStreamRecord;
  const shardId = shardOf(r);
  // Reasons may quote input (a rejected phone number…).
  return {
    index,
    ...cause,
    reason: maskPhonesInText(cause.reason),
    payload: dataOf(r),
    ...(shardId ? { shardId } : {})
  };
}

/**
 * Parks what retrying cannot help, in stream order, until `parkDeadlineMs`. Records at or after the first one Lambda
 * must retry come back with that retry, so they are not parked now (a retried batch would park them a second time);
 * a record the sink cannot store becomes a retry itself. Adds to `toRetry`.
 */
async function parkInStreamOrder(
  sink: ParkSink,
  logger: Logger,
  toPark: readonly ToPark[],
  toRetry: Map<number, string>,
  parkDeadlineMs: number
): Promise<{ parked: ParkedRecord[]; deferred: number }> {
  const firstRetry = Math.min(Number.POSITIVE_INFINITY, ...toRetry.keys());
  // Stryker disable next-line EqualityOperator: a record is parked or retried, never both, so no index equals firstRetry
  const parkNow = toPark.filter((p) => p.index < firstRetry);
  for (const p of toPark.slice(parkNow.length)) {
    logger.debug('parking left to the retry of this batch', {
      sequenceNumber: p.sequenceNumber,
      code: p.code
    });
  }
  const entries: ParkedRecord[] = parkNow.map(({ index: _index, ...p }) => p);
  const notStored = new Set(await sink.park(entries, parkDeadlineMs));
  const parked: ParkedRecord[] = [];
  parkNow.forEach((p, i) => {
    const entry = entries[i] as ParkedRecord;
    // A record the dead-letter sink could not take is retried rather than lost.
    if (notStored.has(entry)) {
      toRetry.set(p.index, p.sequenceNumber);
      return;
    }
    parked.push(entry);
    logger.warn('record parked', {
      sequenceNumber: p.sequenceNumber,
      contactId: p.contactId,
      code: p.code,
      reason: p.reason
    });
  });
  return { parked, deferred: toPark.length - parkNow.length };
}

/** One line per retry reason; credentials problems need an operator (rotated key, revoked app…): said loudly. */
function logRetryReasons(logger: Logger, reasons: Fates['retryReasons']): void {
  for (const [reason, { code, count }] of reasons) {
    const fields = { reason, records: count };
    if (code === 'AUTH_FAILED')
      logger.error('Salesforce authentication failed; records left for Lambda to retry', fields);
    else logger.warn('delivery failed; records left for Lambda to retry', fields);
  }
}

/** The retries in stream order; a record without a sequence number cannot be named to Lambda. */
function batchItemFailuresOf(toRetry: ReadonlyMap<number, string>): BatchReport['batchItemFailures'] {
  return [...toRetry.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([, seq]) => seq !== '')
    .map(([, seq]) => ({ itemIdentifier: seq }));
}

/** What one batch runs with: the relay's settings and its connections, built once per relay. */
interface BatchContext {
  config: RelayConfig;
  logger: Logger;
  now: () => number;
  client: SalesforceClient;
  parkSink: ParkSink;
  metricsName: string;
}

/** One Kinesis batch through the steps: triage → de-duplicate → deliver → fates → park → report. */
async function processBatch(
  ctx: BatchContext,
  event: KinesisStreamEvent,
  deadlineMs: number,
  options: ProcessOptions
): Promise<BatchReport> {
  const { logger, now } = ctx;
  const started = now();
  const records = event.Records ?? [];
  const counts: Record<string, number> = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0]));
  counts.received = records.length;
  const triaged = triage(records, ctx.config.policy, logger);
  Object.assign(counts, triaged.counts);

  const dedupe = dedupeNewest(
    triaged.forwarded,
    (f) => f.record.contactId,
    (f) => f.record.lastUpdated
  );
  counts.duplicates = dedupe.superseded.length;
  counts.sent = dedupe.kept.length;
  const delivery = await deliverRecords(
    dedupe.kept.map((f) => f.record),
    ctx.client,
    deadlineMs
  );
  counts.requests = delivery.requests;
  counts.retried = delivery.retries;
  const deliveredAt = now();

  const fates = fatesOf(triaged.forwarded, dedupe, delivery.verdicts);
  Object.assign(counts, fates.counts);
  logRetryReasons(logger, fates.retryReasons);
  const toPark = [...triaged.unusable, ...fates.toPark]
    .sort((a, b) => a.index - b.index)
    .map((cause) => toParkEntry(records, cause));
  const { parked, deferred } = await parkInStreamOrder(
    ctx.parkSink,
    logger,
    toPark,
    fates.toRetry,
    options.parkDeadlineMs ?? deadlineMs + PARK_GRACE_MS
  );
  counts.parked = parked.length;
  counts.deferred = deferred;
  const batchItemFailures = batchItemFailuresOf(fates.toRetry);
  counts.failed = batchItemFailures.length;

  const finished = now();
  logger.metrics('batch processed', {
    ...counts,
    parkSink: ctx.parkSink.name,
    durationMs: finished - started,
    ...emfFields({
      counts,
      latenciesMs: deliveryLatencies(fates.newlyDelivered, deliveredAt),
      timestampMs: finished,
      relayName: ctx.metricsName
    })
  });
  return { batchItemFailures, counts, parked, ...(fates.systemic ? { systemic: fates.systemic } : {}) };
}

export function createRelay(config: RelayConfig, deps: RelayDeps = {}): Relay {
  const logger = deps.logger ?? createLogger({ level: config.logLevel, base: { component: 'ctr-relay' } });
  const now = deps.now ?? Date.now;
  const tokens =
    deps.tokens ??
    new TokenProvider(config.auth, { dispatcher: deps.dispatcher, timeoutMs: config.requestTimeoutMs, now });
  const client = new SalesforceClient({
    tokens,
    endpointPath: config.endpointPath,
    requestTimeoutMs: config.requestTimeoutMs,
    maxAttempts: config.maxAttempts,
    dispatcher: deps.dispatcher,
    backoff: deps.backoff,
    sleep: deps.sleep,
    now,
    logger
  });
  const parkSink =
    deps.parkSink ??
    (config.dlqUrl ? createSqsParkSink({ queueUrl: config.dlqUrl, logger }) : createLogParkSink(logger));
  const ctx: BatchContext = {
    config,
    logger,
    now,
    client,
    parkSink,
    metricsName: deps.metricsName ?? relayNameFrom()
  };

  return {
    processEvent: (event, deadlineMs, options = {}) => processBatch(ctx, event, deadlineMs, options),
    close: async () => {
      await client.close();
      await parkSink.close?.();
    },
    tokens
  };
}
