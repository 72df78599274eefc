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
import { classify } from './classify';
import type { RelayConfig } from './config';
import { decodeKinesisRecord } from './decode';
import { deliverRecords, type Verdict } from './deliver';
import { createLogger, type Logger } from './logger';
import { maskPhonesInText } from './mask';
import { deliveryLatencies, emfFields, relayNameFrom } from './metrics';
import { createLogParkSink, createSqsParkSink, type ParkedRecord, type ParkSink } from './park';
import { toDisconnectRecord } from './record';
import type { BackoffOptions, Sleep } from './retry';
import { TokenProvider } from './salesforce/auth';
import { SalesforceClient } from './salesforce/client';
import type { DisconnectRecord } from './types';

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

/** Failure codes that need a person or a changed configuration rather than another attempt right away. */
export function isSystemicFailure(code: string): boolean {
  return code === 'AUTH_FAILED' || (/^HTTP_4\d\d$/.test(code) && code !== 'HTTP_408' && code !== 'HTTP_429');
}

export interface RelayDeps {
  logger?: Logger;
  /** Where parked records go; default SQS when config.dlqUrl is set, else the logs only. */
  parkSink?: ParkSink;
  /** Clock (ms since epoch) for deadlines and token timestamps. */
  now?: () => number;
  /** undici dispatcher for Salesforce calls (token + API); default a keep-alive Agent. */
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

type CountKey = (typeof COUNT_KEYS)[number];

/** Count names of the resolve outcomes (the others count under their own name). */
const OUTCOME_COUNT: Partial<Record<string, CountKey>> = {
  resolved: 'autoClosed',
  'nothing-to-resolve': 'nothingToResolve'
};

interface Forwarded {
  index: number;
  sequenceNumber: string;
  data: string;
  record: DisconnectRecord;
}

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

export function createRelay(config: RelayConfig, deps: RelayDeps = {}): Relay {
  const logger = deps.logger ?? createLogger({ level: config.logLevel, base: { component: 'ctr-relay' } });
  const now = deps.now ?? Date.now;
  const metricsName = deps.metricsName ?? relayNameFrom();
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

  /**
   * Parks what retrying cannot help, in stream order, until `parkDeadlineMs`. Records at or after the first one
   * Lambda must retry come back with that retry, so they are not parked now (a retried batch would park them a
   * second time); a record the sink cannot store becomes a retry itself. Adds to `toRetry`.
   */
  async function parkRecords(
    toPark: ToPark[],
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
    const notStored = new Set(await parkSink.park(entries, parkDeadlineMs));
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

  async function processEvent(
    event: KinesisStreamEvent,
    deadlineMs: number,
    options: ProcessOptions = {}
  ): Promise<BatchReport> {
    const started = now();
    const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Record<CountKey, number> &
      Record<string, number>;
    const records = event.Records ?? [];
    counts.received = records.length;
    const toPark: ToPark[] = [];
    const parkEntry = (index: number, fields: Omit<ParkedRecord, 'payload' | 'shardId'>): ToPark => {
      const r = records[index] as KinesisStreamRecord;
      const shardId = shardOf(r);
      // Reasons may quote input (a rejected phone number…): masked like the logs.
      return {
        index,
        ...fields,
        reason: maskPhonesInText(fields.reason),
        payload: dataOf(r),
        ...(shardId ? { shardId } : {})
      };
    };
    const toRetry = new Map<number, string>();
    const forwarded: Forwarded[] = [];

    records.forEach((r, index) => {
      const decoded = decodeKinesisRecord(r);
      if (!decoded.ok) {
        counts.invalid += 1;
        toPark.push(
          parkEntry(index, {
            sequenceNumber: decoded.sequenceNumber,
            contactId: null,
            reason: decoded.reason,
            code: 'INVALID_INPUT'
          })
        );
        return;
      }
      const classification = classify(decoded.ctr, config.policy);
      if (classification.action === 'skip') {
        counts.skipped += 1;
        const key = `skipped.${classification.category}`;
        counts[key] = (counts[key] ?? 0) + 1;
        logger.debug('record skipped', {
          sequenceNumber: decoded.sequenceNumber,
          contactId: classification.contactId,
          category: classification.category,
          reason: classification.reason
        });
        return;
      }
      const record = toDisconnectRecord(decoded.ctr, classification, config.policy);
      if (record.lastUpdated === '') {
        // No version to order copies by (absent or impossible dates such as 2025-04-31): the endpoint would
        // reject it, and it must not decide the fate of a valid copy of the same contact.
        counts.invalid += 1;
        toPark.push(
          parkEntry(index, {
            sequenceNumber: decoded.sequenceNumber,
            contactId: record.contactId,
            reason:
              'no valid LastUpdateTimestamp, DisconnectTimestamp or InitiationTimestamp (ISO-8601, a real date)',
            code: 'INVALID_FIELD'
          })
        );
        return;
      }
      forwarded.push({ index, sequenceNumber: decoded.sequenceNumber, data: dataOf(r), record });
    });
    counts.resolved = forwarded.filter((f) => f.record.action === 'resolve').length;
    counts.forwarded = forwarded.length - counts.resolved;

    const { kept, superseded } = dedupeNewest(
      forwarded,
      (f) => f.record.contactId,
      (f) => f.record.lastUpdated
    );
    counts.duplicates = superseded.length;
    counts.sent = kept.length;

    const delivery = await deliverRecords(
      kept.map((f) => f.record),
      client,
      deadlineMs
    );
    counts.requests = delivery.requests;
    counts.retried = delivery.retries;
    const deliveredAt = now();

    const verdictOf = new Map<Forwarded, Verdict>();
    // Stryker disable next-line ArrayDeclaration: a non-date entry is dropped by deliveryLatencies (not a number)
    const newlyDelivered: string[] = [];
    kept.forEach((f, i) => {
      const verdict = delivery.verdicts[i] as Verdict;
      verdictOf.set(f, verdict);
      if (verdict.status === 'delivered') {
        if (verdict.outcome === 'created' || verdict.outcome === 'updated')
          newlyDelivered.push(f.record.lastUpdated);
        const key = OUTCOME_COUNT[verdict.outcome] ?? verdict.outcome;
        counts[key] = (counts[key] ?? 0) + 1;
      } else if (verdict.rejected) counts.rejected += 1;
    });
    for (const { item, winner } of superseded) verdictOf.set(item, verdictOf.get(winner) as Verdict);

    const retryReasons = new Map<string, { code: string; count: number }>();
    let systemic: BatchReport['systemic'];
    for (const f of forwarded) {
      const verdict = verdictOf.get(f) as Verdict;
      if (verdict.status === 'retry') {
        toRetry.set(f.index, f.sequenceNumber);
        const key = `${verdict.code}: ${verdict.reason}`;
        if (isSystemicFailure(verdict.code)) systemic ??= { code: verdict.code, reason: verdict.reason };
        const seen = retryReasons.get(key) ?? { code: verdict.code, count: 0 };
        seen.count += 1;
        retryReasons.set(key, seen);
      } else if (verdict.status === 'park') {
        toPark.push(
          parkEntry(f.index, {
            sequenceNumber: f.sequenceNumber,
            contactId: f.record.contactId,
            reason: verdict.reason,
            code: verdict.code
          })
        );
      }
    }
    for (const [reason, { code, count }] of retryReasons) {
      const fields = { reason, records: count };
      // Credentials problems need an operator (rotated key, revoked app…): say so loudly, once per batch.
      if (code === 'AUTH_FAILED')
        logger.error('Salesforce authentication failed; records left for Lambda to retry', fields);
      else logger.warn('delivery failed; records left for Lambda to retry', fields);
    }

    toPark.sort((a, b) => a.index - b.index);
    const { parked, deferred } = await parkRecords(
      toPark,
      toRetry,
      options.parkDeadlineMs ?? deadlineMs + PARK_GRACE_MS
    );
    counts.parked = parked.length;
    counts.deferred = deferred;

    const batchItemFailures = [...toRetry.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, seq]) => seq !== '')
      .map(([, seq]) => ({ itemIdentifier: seq }));
    counts.failed = batchItemFailures.length;

    const finished = now();
    logger.metrics('batch processed', {
      ...counts,
      parkSink: parkSink.name,
      durationMs: finished - started,
      ...emfFields({
        counts,
        latenciesMs: deliveryLatencies(newlyDelivered, deliveredAt),
        timestampMs: finished,
        relayName: metricsName
      })
    });
    return { batchItemFailures, counts, parked, ...(systemic ? { systemic } : {}) };
  }

  return {
    processEvent,
    close: async () => {
      await client.close();
      await parkSink.close?.();
    },
    tokens
  };
}
