/**
 * Edges of parking the main park tests do not reach: a refusal or the deadline part way through a batch of SQS
 * calls (nothing parked twice, nothing lost), the exact size limits of one message and of one call, fields cut to
 * the queue's limits, and how the default SQS client is set up (region, local endpoint, timeouts).
 */
import {
  createLogParkSink,
  createSqsClient,
  createSqsParkSink,
  planBatches,
  regionOfQueueUrl,
  SQS_BATCH_MAX_BYTES,
  toMessageBody,
  type ParkedRecord
} from '../src/park';
import { FakeSqs } from './support/fakeSqs';
import { captureLogger, until } from './support/kit';

const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

function parked(i: number, extra: Partial<ParkedRecord> = {}): ParkedRecord {
  return {
    sequenceNumber: `seq-${i}`,
    contactId: `contact-${i}`,
    reason: 'customerPhone must be E.164',
    code: 'INVALID_FIELD',
    payload: Buffer.from(`{"ContactId":"contact-${i}"}`).toString('base64'),
    ...extra
  };
}

const records = (n: number) => Array.from({ length: n }, (_, i) => parked(i));

describe('SQS dead-letter sink, part way through', () => {
  let sqs: FakeSqs;

  beforeEach(async () => {
    sqs = await new FakeSqs().start();
  });
  afterEach(() => sqs.stop());

  function sink(logger = captureLogger(), now?: () => number) {
    return createSqsParkSink({
      queueUrl: sqs.queueUrl,
      logger,
      clientConfig: { credentials, region: 'us-east-1', maxAttempts: 1 },
      ...(now ? { now } : {})
    });
  }

  it('after a refused entry, hands back the later calls unsent and says so', async () => {
    sqs.failWhen = (body) => body.contactId === 'contact-2';
    const logger = captureLogger();
    const all = records(25);

    const notStored = await sink(logger).park(all);

    expect(notStored).toEqual([all[2], ...all.slice(10)]);
    expect(sqs.calls).toHaveLength(1);
    expect(sqs.messages).toHaveLength(9);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'dead-letter queue refused a parked record',
        sequenceNumber: 'seq-2',
        code: 'InternalError',
        senderFault: false
      }),
      expect.objectContaining({
        level: 'error',
        message: 'sending parked records to the dead-letter queue failed',
        count: 15,
        error: 'an earlier entry was refused'
      })
    ]);
  });

  it('a refusal in the last call hands back only what was refused, and reports only that refusal', async () => {
    sqs.failWhen = (body) => body.contactId === 'contact-11';
    const logger = captureLogger();
    const all = records(12);

    const notStored = await sink(logger).park(all);

    expect(notStored).toEqual([all[11]]);
    expect(sqs.calls).toHaveLength(2);
    expect(sqs.messages).toHaveLength(11);
    expect(logger.lines.map((line) => line.message)).toEqual(['dead-letter queue refused a parked record']);
  });

  it('a refusal without an Id hands back its whole call and the later ones: none counts as stored', async () => {
    sqs.failWhen = (body) => body.contactId === 'contact-3';
    sqs.unnamedRefusals = true;
    const logger = captureLogger();
    const all = records(12);

    const notStored = await sink(logger).park(all);

    expect(notStored).toEqual(all);
    expect(sqs.calls).toHaveLength(1);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'sending parked records to the dead-letter queue failed',
        count: 12,
        error: 'the dead-letter queue refused an entry without naming it'
      })
    ]);
  });

  it('sends nothing once the deadline has passed, and hands everything back', async () => {
    const logger = captureLogger();
    const all = records(3);

    const notStored = await sink(logger).park(all, Date.now() - 1);

    expect(notStored).toEqual(all);
    expect(sqs.calls).toHaveLength(0);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'error',
        count: 3,
        error: 'no time left before the batch deadline'
      })
    ]);
  });

  it('stops between calls when the deadline passes (on its own clock)', async () => {
    const times = [1_000, 2_000];
    const all = records(15);

    const notStored = await sink(captureLogger(), () => times.shift() ?? 9_999).park(all, 1_500);

    expect(sqs.calls).toHaveLength(1);
    expect(notStored).toEqual(all.slice(10));
  });

  it('reaches the deadline exactly: no time left', async () => {
    const logger = captureLogger();
    const notStored = await sink(logger, () => 5_000).park(records(1), 5_000);

    expect(notStored).toEqual(records(1));
    expect(sqs.calls).toHaveLength(0);
    expect(logger.lines).toEqual([
      expect.objectContaining({ count: 1, error: 'no time left before the batch deadline' })
    ]);
  });

  it('counts every entry stored when SQS lists no failures at all (no Failed field)', async () => {
    const sent: number[] = [];
    const logger = captureLogger();
    const s = createSqsParkSink({
      queueUrl: sqs.queueUrl,
      logger,
      client: {
        send: (async (command: { input: { Entries: { Id: string }[] } }) => {
          sent.push(command.input.Entries.length);
          return { Successful: command.input.Entries.map((e) => ({ Id: e.Id })) };
        }) as never
      }
    });

    await expect(s.park(records(12))).resolves.toEqual([]);
    expect(sent).toEqual([10, 2]);
    expect(logger.lines).toEqual([]);
  });

  it('builds its SQS client once, on the first record parked, and releases it on close()', async () => {
    const s = createSqsParkSink({
      queueUrl: sqs.queueUrl,
      logger: captureLogger(),
      clientConfig: { credentials, region: 'us-east-1', maxAttempts: 1 }
    });
    expect(s.name).toBe('sqs');
    await expect(s.close?.()).resolves.toBeUndefined();

    await s.park(records(1));
    await s.park([parked(5)]);
    expect(sqs.openConnections).toBe(1);
    await s.close?.();

    expect(sqs.messages.map((m) => m.contactId)).toEqual(['contact-0', 'contact-5']);
    // close() releases the kept-alive connection, so a standalone consumer can exit.
    await until(() => sqs.openConnections === 0);
  });
});

describe('message and call sizes', () => {
  it('cuts contactId, reason and code to what the queue message keeps, and carries the shard when known', () => {
    const body = JSON.parse(
      toMessageBody(
        parked(1, {
          contactId: 'c'.repeat(300),
          reason: 'r'.repeat(1_200),
          code: 'C'.repeat(150),
          shardId: 'shardId-000000000004'
        })
      )
    ) as Record<string, string>;

    expect(body.contactId).toBe('c'.repeat(256));
    expect(body.reason).toBe('r'.repeat(1_000));
    expect(body.code).toBe('C'.repeat(100));
    expect(body.shardId).toBe('shardId-000000000004');
    expect(JSON.parse(toMessageBody(parked(2, { contactId: null }))).contactId).toBeNull();
  });

  it('keeps a record whole up to 1 KiB below the message limit, and cuts it one byte later', () => {
    const maxBytes = 4_096;
    const fits = (payloadLength: number) =>
      toMessageBody(parked(1, { payload: 'A'.repeat(payloadLength) }), maxBytes);
    const overhead = Buffer.byteLength(fits(0));
    const exact = maxBytes - 1_024 - overhead;

    expect(Buffer.byteLength(fits(exact))).toBe(maxBytes - 1_024);
    expect(JSON.parse(fits(exact))).not.toHaveProperty('payloadTruncated');
    const cut = JSON.parse(fits(exact + 1)) as Record<string, unknown>;
    expect(cut).toMatchObject({ payloadTruncated: true, payloadBytes: exact + 1 });
    expect(Buffer.byteLength(fits(exact + 1))).toBeLessThanOrEqual(maxBytes - 1_024);
    // The cut payload fills the room left, to a 4-character boundary.
    expect(Buffer.byteLength(fits(exact + 1)) + 4).toBeGreaterThan(maxBytes - 1_024);
  });

  it('puts bodies of exactly 256 KiB together in one call, and one byte more in two', () => {
    const half = SQS_BATCH_MAX_BYTES / 2;

    expect(planBatches(['a'.repeat(half), 'b'.repeat(half)])).toEqual([[0, 1]]);
    expect(planBatches(['a'.repeat(half), 'b'.repeat(half + 1)])).toEqual([[0], [1]]);
    expect(planBatches(['a'.repeat(SQS_BATCH_MAX_BYTES + 5)])).toEqual([[0]]);
  });
});

describe('the default SQS client', () => {
  const saved = process.env.AWS_REGION;
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_REGION;
    else process.env.AWS_REGION = saved;
  });

  it('reads the region from AWS_REGION, else the queue URL, else us-east-1', async () => {
    process.env.AWS_REGION = 'ap-south-1';
    const fromEnv = createSqsClient('https://sqs.eu-west-1.amazonaws.com/111122223333/dlq', { credentials });
    delete process.env.AWS_REGION;
    const fromUrl = createSqsClient('https://sqs.eu-west-1.amazonaws.com/111122223333/dlq', { credentials });
    const fallback = createSqsClient('https://queue.example.com/111122223333/dlq', { credentials });
    try {
      await expect(fromEnv.config.region()).resolves.toBe('ap-south-1');
      await expect(fromUrl.config.region()).resolves.toBe('eu-west-1');
      await expect(fallback.config.region()).resolves.toBe('us-east-1');
      // Real queues resolve their regional endpoint: none is set.
      expect(fromUrl.config.endpoint).toBeUndefined();
    } finally {
      for (const c of [fromEnv, fromUrl, fallback]) c.destroy();
    }
  });

  it('addresses a localhost queue directly, retries 3 times and bounds each request', async () => {
    const local = createSqsClient('http://localhost:9324/000000000000/dlq', { credentials });
    try {
      const endpoint = await local.config.endpoint?.();
      expect(endpoint?.hostname).toBe('localhost');
      await expect(local.config.maxAttempts()).resolves.toBe(3);
      const handler = local.config.requestHandler as unknown as {
        configProvider: Promise<Record<string, unknown>>;
      };
      await expect(handler.configProvider).resolves.toMatchObject({
        connectionTimeout: 2_000,
        requestTimeout: 3_000,
        throwOnRequestTimeout: true
      });
    } finally {
      local.destroy();
    }
  });

  it('knows the region only from a regional SQS host', () => {
    expect(regionOfQueueUrl('https://sqs.us-gov-west-1.amazonaws.com/1/q')).toBe('us-gov-west-1');
    expect(regionOfQueueUrl('https://notsqs.eu-west-1.amazonaws.com/1/q')).toBeUndefined();
    expect(regionOfQueueUrl('https://eu-west-1.queue.amazonaws.com/1/q')).toBeUndefined();
  });
});

describe('log-only sink', () => {
  it('is named "log" and counts what it keeps in the logs', async () => {
    const logger = captureLogger();
    const s = createLogParkSink(logger);

    await s.park(records(3));

    expect(s.name).toBe('log');
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'parked records kept in logs only (no DLQ_URL configured)',
        count: 3
      })
    ]);
  });
});
