/**
 * Park sinks: the SQS dead-letter sink against a local server speaking SQS's JSON protocol, and the log-only sink.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import {
  createLogParkSink,
  createSqsClient,
  createSqsParkSink,
  planBatches,
  regionOfQueueUrl,
  SQS_BATCH_MAX_BYTES,
  SQS_MESSAGE_MAX_BYTES,
  toMessageBody
} from '../src/park';
import { FakeSqs } from './support/fakeSqs';
import { captureLogger } from './support/kit';
import { LOCAL_SQS_CREDENTIALS as credentials, parkedRecord as parked } from './support/parkRecords';

describe('SQS dead-letter sink', () => {
  let sqs: FakeSqs;

  beforeEach(async () => {
    sqs = await new FakeSqs().start();
  });
  afterEach(() => sqs.stop());

  function sink(logger = captureLogger()) {
    return createSqsParkSink({
      queueUrl: sqs.queueUrl,
      logger,
      clientConfig: { credentials, region: 'us-east-1', maxAttempts: 1 }
    });
  }

  it('sends SendMessageBatch calls of at most 10 entries with the parked record as JSON body', async () => {
    const records = Array.from({ length: 23 }, (_, i) => parked(i));

    const notStored = await sink().park(records);

    expect(notStored).toEqual([]);
    expect(sqs.calls.map((c) => c.body.Entries?.length)).toEqual([10, 10, 3]);
    expect(sqs.calls[0]?.target).toBe('AmazonSQS.SendMessageBatch');
    expect(sqs.calls[0]?.body.QueueUrl).toBe(sqs.queueUrl);
    expect(sqs.messages).toHaveLength(23);
    expect(sqs.messages[4]).toEqual({
      sequenceNumber: 'seq-4',
      contactId: 'contact-4',
      reason: 'customerPhone must be E.164',
      code: 'INVALID_FIELD',
      payload: parked(4).payload
    });
  });

  it('hands back the entries SQS refused, so they are retried instead of lost', async () => {
    sqs.failWhen = (body) => body.contactId === 'contact-2';
    const logger = captureLogger();

    const notStored = await sink(logger).park([parked(1), parked(2), parked(3)]);

    expect(notStored).toEqual([parked(2)]);
    expect(sqs.messages.map((m) => m.contactId)).toEqual(['contact-1', 'contact-3']);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'dead-letter queue refused a parked record' })
    );
  });

  it('hands back every record of a call that failed as a whole, and the rest unsent (they are retried with it)', async () => {
    sqs.failCalls = 1;
    const records = Array.from({ length: 12 }, (_, i) => parked(i));

    const notStored = await sink().park(records);

    expect(notStored).toEqual(records);
    expect(sqs.calls).toHaveLength(1);
    expect(sqs.messages).toHaveLength(0);
  });

  it('times out a queue that accepts the request and never answers (throwOnRequestTimeout), instead of hanging', async () => {
    sqs.hang = true;
    const started = Date.now();

    // No deadline given: only the client's own 3 s request timeout can end this.
    const notStored = await sink().park([parked(1)]);

    expect(notStored).toEqual([parked(1)]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('stops at the batch deadline even when the queue hangs', async () => {
    sqs.hang = true;
    const records = Array.from({ length: 30 }, (_, i) => parked(i));
    const started = Date.now();

    const notStored = await sink().park(records, Date.now() + 400);

    expect(notStored).toEqual(records);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(sqs.calls.length).toBeLessThanOrEqual(1);
  });

  it('parks a record too big for one SQS message with what fits: ids, reason, a base64 prefix and how to verify it', async () => {
    const big = {
      ...parked(7),
      payload: Buffer.alloc(600_000, 'x').toString('base64'),
      shardId: 'shardId-000000000003'
    };

    const notStored = await sink().park([parked(1), big]);

    expect(notStored).toEqual([]);
    const message = sqs.messages[1] as Record<string, unknown>;
    expect(message).toMatchObject({
      sequenceNumber: 'seq-7',
      contactId: 'contact-7',
      code: 'INVALID_FIELD',
      reason: 'customerPhone must be E.164',
      shardId: 'shardId-000000000003',
      payloadTruncated: true,
      payloadBytes: big.payload.length,
      payloadSha256: createHash('sha256').update(big.payload).digest('hex')
    });
    expect(big.payload.startsWith(String(message.payload))).toBe(true);
    expect(String(message.payload).length % 4).toBe(0);
    for (const call of sqs.calls) {
      const bytes = (call.body.Entries ?? []).reduce((n, e) => n + Buffer.byteLength(e.MessageBody), 0);
      expect(bytes).toBeLessThanOrEqual(SQS_BATCH_MAX_BYTES);
    }
  });

  it('sends nothing for nothing', async () => {
    await expect(sink().park([])).resolves.toEqual([]);
    expect(sqs.calls).toHaveLength(0);
  });
});

describe('SQS sink helpers', () => {
  it('splits batches by count (10) and by size (256 KiB)', () => {
    const small = Array.from({ length: 11 }, () => 'x');
    const big = ['a'.repeat(150_000), 'b'.repeat(150_000), 'c'];

    expect(planBatches(small)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [10]]);
    expect(planBatches(big)).toEqual([[0], [1, 2]]);
    expect(planBatches([])).toEqual([]);
  });

  it('serialises exactly {sequenceNumber, contactId, reason, code, payload}', () => {
    expect(Object.keys(JSON.parse(toMessageBody(parked(1))) as object)).toEqual([
      'sequenceNumber',
      'contactId',
      'reason',
      'code',
      'payload'
    ]);
  });

  it('keeps every message body within the SQS limit, whatever the size of the record', () => {
    for (const size of [0, 1, 190_000, 200_000, 262_144, 1_048_576]) {
      const body = toMessageBody({ ...parked(1), payload: Buffer.alloc(size, 7).toString('base64') });
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(SQS_MESSAGE_MAX_BYTES);
      expect(JSON.parse(body)).toMatchObject({
        sequenceNumber: 'seq-1',
        reason: 'customerPhone must be E.164'
      });
    }
  });

  it('derives the region from a regional queue URL and addresses loopback queues directly', async () => {
    expect(regionOfQueueUrl('https://sqs.eu-west-1.amazonaws.com/111122223333/dlq')).toBe('eu-west-1');
    expect(regionOfQueueUrl('http://127.0.0.1:9324/000000000000/dlq')).toBeUndefined();

    const local = createSqsClient('http://127.0.0.1:9324/000000000000/dlq', { credentials });
    const endpoint = await local.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(9324);
    expect(local).toBeInstanceOf(SQSClient);
    local.destroy();
  });
});

describe('log-only sink', () => {
  it('stores nothing, loses nothing, and says where the records are', async () => {
    const logger = captureLogger();

    await expect(createLogParkSink(logger).park([parked(1)])).resolves.toEqual([]);
    await expect(createLogParkSink(logger).park([])).resolves.toEqual([]);

    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'warn', message: expect.stringContaining('logs only'), count: 1 })
    ]);
  });
});
