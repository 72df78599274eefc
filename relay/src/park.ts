/**
 * Where permanently failed records go ("parked"): an SQS dead-letter queue when DLQ_URL is set, otherwise only the
 * logs. Parking must never block the shard, but it must not lose records either: whatever a sink could not store
 * is handed back so the relay reports it to Lambda as a batch item failure.
 */
import type { SQSClient, SQSClientConfig } from '@aws-sdk/client-sqs';
import type * as SqsModule from '@aws-sdk/client-sqs';
import type * as SmithyHttpModule from '@smithy/node-http-handler';
import { createHash } from 'node:crypto';

/**
 * The SQS SDK, loaded on first use: most batches park nothing, and loading it at cold start cost about as much
 * CPU time as the rest of the relay (see Performance in the README). A bundler keeps it, evaluated on demand.
 */
function sqsSdk(): { sqs: typeof SqsModule; http: typeof SmithyHttpModule } {
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberately lazy, see above */
  return {
    sqs: require('@aws-sdk/client-sqs') as typeof SqsModule,
    http: require('@smithy/node-http-handler') as typeof SmithyHttpModule
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export interface ParkedRecord {
  sequenceNumber: string;
  /** Connect ContactId when the record could be decoded, else null. */
  contactId: string | null;
  /** Human-readable cause, e.g. "not JSON" or the endpoint's rejection message. */
  reason: string;
  /** Machine-readable cause: INVALID_INPUT, a contract error code (INVALID_FIELD, BATCH_TOO_LARGE…). */
  code: string;
  /** The original Kinesis data, base64, so the record can be replayed after a fix. */
  payload: string;
  /** Kinesis shard of the record (from the event's eventID), to read it back from the stream. */
  shardId?: string;
}

export interface ParkSink {
  readonly name: string;
  /**
   * Stores the records (given in stream order) until `deadlineMs` (absolute, ms since epoch); resolves to the ones
   * it could NOT store (never rejects). After the first record it cannot store, a sink may hand back the rest
   * unsent: they are retried together with it.
   */
  park(records: readonly ParkedRecord[], deadlineMs?: number): Promise<ParkedRecord[]>;
  /** Releases connections (standalone consumer shutdown). */
  close?(): Promise<void>;
}

export interface SinkLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Keeps parked records in the logs only (the relay already logs each one with its reason). */
export function createLogParkSink(logger: SinkLogger): ParkSink {
  return {
    name: 'log',
    async park(records) {
      if (records.length > 0) {
        logger.warn('parked records kept in logs only (no DLQ_URL configured)', { count: records.length });
      }
      return [];
    }
  };
}

/** SendMessageBatch limits: 10 entries and 256 KiB of message bodies per call (also the classic message limit). */
export const SQS_BATCH_MAX_ENTRIES = 10;
export const SQS_BATCH_MAX_BYTES = 256 * 1024;
export const SQS_MESSAGE_MAX_BYTES = 256 * 1024;
/** Room kept for SQS message attributes/encoding differences. */
const MESSAGE_HEADROOM_BYTES = 1024;

export interface SqsParkSinkOptions {
  queueUrl: string;
  logger: SinkLogger;
  /** Injected client (tests); default one built from the queue URL with a NodeHttpHandler. */
  client?: Pick<SQSClient, 'send'>;
  clientConfig?: SQSClientConfig;
  /** Largest message body sent (default 256 KiB, the limit every SQS queue accepts). */
  maxMessageBytes?: number;
  now?: () => number;
}

/** Cuts base64 text to at most `max` characters on a 4-character boundary (still valid base64). */
function cutBase64(payload: string, max: number): string {
  return payload.slice(0, Math.max(0, max - (max % 4)));
}

/**
 * Message body of a parked record on the dead-letter queue: {sequenceNumber, contactId, reason, code, payload}
 * (+ shardId when known). A record too big for one message (a Kinesis record may be 1 MiB, an SQS message 256 KiB)
 * is parked with what fits: its ids and reason, `payload` cut to a valid base64 prefix, `payloadTruncated: true`,
 * `payloadBytes` (size of the full base64 payload) and `payloadSha256`; the full record is read back from the
 * stream by shardId + sequenceNumber while the stream retains it (see README "Reliability").
 */
export function toMessageBody(record: ParkedRecord, maxBytes: number = SQS_MESSAGE_MAX_BYTES): string {
  const base = {
    sequenceNumber: record.sequenceNumber,
    contactId: record.contactId === null ? null : record.contactId.slice(0, 256),
    reason: record.reason.slice(0, 1000),
    code: record.code.slice(0, 100),
    ...(record.shardId ? { shardId: record.shardId } : {})
  };
  const full = JSON.stringify({ ...base, payload: record.payload });
  if (Buffer.byteLength(full) <= maxBytes - MESSAGE_HEADROOM_BYTES) return full;
  const meta = {
    ...base,
    payloadTruncated: true,
    payloadBytes: record.payload.length,
    payloadSha256: createHash('sha256').update(record.payload).digest('hex')
  };
  // base64 is ASCII: one byte per character, so the room left is exact.
  const room =
    maxBytes - MESSAGE_HEADROOM_BYTES - Buffer.byteLength(JSON.stringify({ ...meta, payload: '' }));
  return JSON.stringify({ ...meta, payload: cutBase64(record.payload, room) });
}

/** Groups messages into SendMessageBatch calls of at most 10 entries and 256 KiB. */
export function planBatches(bodies: readonly string[]): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  bodies.forEach((body, index) => {
    const size = Buffer.byteLength(body);
    if (
      current.length > 0 &&
      (current.length >= SQS_BATCH_MAX_ENTRIES || bytes + size > SQS_BATCH_MAX_BYTES)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Region of an SQS queue URL (https://sqs.<region>.amazonaws.com/...), if it names one. */
export function regionOfQueueUrl(queueUrl: string): string | undefined {
  const match = /^sqs[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(new URL(queueUrl).hostname);
  return match?.[1];
}

export function createSqsClient(queueUrl: string, overrides: SQSClientConfig = {}): SQSClient {
  const url = new URL(queueUrl);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  const { sqs, http } = sqsSdk();
  return new sqs.SQSClient({
    region: process.env.AWS_REGION ?? regionOfQueueUrl(queueUrl) ?? 'us-east-1',
    // A local emulator is addressed directly; real queues resolve their regional endpoint.
    ...(loopback ? { endpoint: url.origin } : {}),
    maxAttempts: 3,
    // throwOnRequestTimeout: without it the handler only warns when requestTimeout passes, and a queue that
    // accepts connections but never answers would hold the batch until Lambda's own timeout.
    requestHandler: new http.NodeHttpHandler({
      connectionTimeout: 2_000,
      requestTimeout: 3_000,
      throwOnRequestTimeout: true
    }),
    ...overrides
  });
}

export function createSqsParkSink(options: SqsParkSinkOptions): ParkSink {
  // Built when the first record is parked, not at cold start.
  let client: Pick<SQSClient, 'send'> | undefined = options.client;
  let created: SQSClient | undefined;
  const now = options.now ?? Date.now;
  return {
    name: 'sqs',
    async close() {
      created?.destroy();
    },
    async park(records, deadlineMs) {
      // Stryker disable next-line ConditionalExpression: this only skips building the client; no batch is sent either way
      if (records.length === 0) return [];
      let sqsClient: Pick<SQSClient, 'send'>;
      let SendMessageBatchCommand: typeof SqsModule.SendMessageBatchCommand;
      try {
        if (client === undefined) client = created = createSqsClient(options.queueUrl, options.clientConfig);
        sqsClient = client;
        ({ SendMessageBatchCommand } = sqsSdk().sqs);
      } catch (err) {
        // The SDK loads here, on the first park: if it cannot (a broken package), the records go back to be
        // retried, and only they (a rejection would retry the whole batch); the next park tries again.
        options.logger.error('the SQS client for the dead-letter queue could not be loaded', {
          count: records.length,
          error: (err as Error).message
        });
        return [...records];
      }
      const bodies = records.map((r) => toMessageBody(r, options.maxMessageBytes));
      const notStored: ParkedRecord[] = [];
      const batches = planBatches(bodies);
      for (let b = 0; b < batches.length; b += 1) {
        const batch = batches[b] as number[];
        const left = deadlineMs === undefined ? undefined : deadlineMs - now();
        const failed = (error: string, from: number = b): void => {
          // The rest is handed back unsent: Lambda retries from the first record not stored, so anything stored
          // after it would be parked a second time.
          const rest = batches.slice(from).flat();
          options.logger.error('sending parked records to the dead-letter queue failed', {
            count: rest.length,
            error
          });
          for (const index of rest) notStored.push(records[index] as ParkedRecord);
        };
        // Stryker disable next-line ConditionalExpression: without a deadline `left <= 0` is false all the same
        if (left !== undefined && left <= 0) {
          failed('no time left before the batch deadline');
          break;
        }
        // Ids only need to be unique within one call; each maps an answer back to its record.
        const indexOfId = new Map(batch.map((index) => [`r${index}`, index]));
        try {
          const out = await sqsClient.send(
            new SendMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: [...indexOfId].map(([Id, index]) => ({ Id, MessageBody: bodies[index] as string }))
            }),
            left === undefined ? {} : { abortSignal: AbortSignal.timeout(left) }
          );
          const refusals = out.Failed ?? [];
          // Stryker disable next-line StringLiteral: any text that is not one of this call's Ids does the same
          const refusedIndexes = refusals.map((refused) => indexOfId.get(refused.Id ?? ''));
          if (refusedIndexes.includes(undefined)) {
            // A refusal naming none of this call's entries could be any of them: none counts as stored (a record
            // parked twice beats one lost).
            failed('the dead-letter queue refused an entry without naming it');
            break;
          }
          refusals.forEach((refused, i) => {
            const record = records[refusedIndexes[i] as number] as ParkedRecord;
            notStored.push(record);
            options.logger.error('dead-letter queue refused a parked record', {
              sequenceNumber: record.sequenceNumber,
              code: refused.Code,
              senderFault: refused.SenderFault
            });
          });
          if (refusals.length > 0 && b + 1 < batches.length) {
            // This call's own entries are settled (stored, or refused and handed back above): only the later calls.
            failed('an earlier entry was refused', b + 1);
            break;
          }
        } catch (err) {
          failed((err as Error).message);
          break;
        }
      }
      return notStored;
    }
  };
}
