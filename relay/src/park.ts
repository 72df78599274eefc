/**
 * Where permanently failed records go ("parked"): an SQS dead-letter queue when DLQ_URL is set, otherwise only the
 * logs. Parking must never block the shard, but it must not lose records either: whatever a sink could not store
 * is handed back so the relay reports it to Lambda as a batch item failure.
 */
import { SQSClient, SendMessageBatchCommand, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';

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
}

export interface ParkSink {
  readonly name: string;
  /** Stores the records; resolves to the ones it could NOT store (never rejects). */
  park(records: readonly ParkedRecord[]): Promise<ParkedRecord[]>;
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

/** SendMessageBatch limits: 10 entries and 256 KiB of message bodies per call. */
export const SQS_BATCH_MAX_ENTRIES = 10;
export const SQS_BATCH_MAX_BYTES = 256 * 1024;

export interface SqsParkSinkOptions {
  queueUrl: string;
  logger: SinkLogger;
  /** Injected client (tests); default one built from the queue URL with a NodeHttpHandler. */
  client?: Pick<SQSClient, 'send'>;
  clientConfig?: SQSClientConfig;
}

/** Message body of a parked record on the dead-letter queue. */
export function toMessageBody(record: ParkedRecord): string {
  return JSON.stringify({
    sequenceNumber: record.sequenceNumber,
    contactId: record.contactId,
    reason: record.reason,
    code: record.code,
    payload: record.payload
  });
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
  return new SQSClient({
    region: process.env.AWS_REGION ?? regionOfQueueUrl(queueUrl) ?? 'us-east-1',
    // A local emulator is addressed directly; real queues resolve their regional endpoint.
    ...(loopback ? { endpoint: url.origin } : {}),
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 3_000 }),
    ...overrides
  });
}

export function createSqsParkSink(options: SqsParkSinkOptions): ParkSink {
  const client = options.client ?? createSqsClient(options.queueUrl, options.clientConfig);
  return {
    name: 'sqs',
    async close() {
      if (!options.client) (client as SQSClient).destroy();
    },
    async park(records) {
      const bodies = records.map(toMessageBody);
      const notStored: ParkedRecord[] = [];
      for (const batch of planBatches(bodies)) {
        try {
          const out = await client.send(
            new SendMessageBatchCommand({
              QueueUrl: options.queueUrl,
              // Ids only need to be unique within one call; the index maps answers back to records.
              Entries: batch.map((index) => ({ Id: `r${index}`, MessageBody: bodies[index] as string }))
            })
          );
          for (const failed of out.Failed ?? []) {
            const index = Number((failed.Id ?? '').slice(1));
            const record = records[index];
            if (record === undefined) continue;
            notStored.push(record);
            options.logger.error('dead-letter queue refused a parked record', {
              sequenceNumber: record.sequenceNumber,
              code: failed.Code,
              senderFault: failed.SenderFault
            });
          }
        } catch (err) {
          options.logger.error('sending parked records to the dead-letter queue failed', {
            count: batch.length,
            error: (err as Error).message
          });
          for (const index of batch) notStored.push(records[index] as ParkedRecord);
        }
      }
      return notStored;
    }
  };
}
