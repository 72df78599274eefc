/**
 * The relay end to end on Kinesis events: decode → classify → de-duplicate → deliver to a real HTTP fake of the org
 * → report (batchItemFailures, parked records, counts, logs).
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import { Agent } from 'undici';
import type { RelayConfig } from '../src/config';
import type { ParkedRecord, ParkSink } from '../src/park';
import { createRelay, type Relay } from '../src/relay';
import type { DisconnectRecord } from '../src/types';
import type { FakeSalesforce } from './support/fakeSalesforce';
import { FakeSqs } from './support/fakeSqs';
import {
  ABANDONED_ID,
  abandonedCtr,
  type CapturedLogger,
  captureLogger,
  fakeSleep,
  IVR_DROP_ID,
  kinesisEvent,
  kinesisRecord,
  referenceBatch,
  relayConfig,
  seqs,
  startFakeSalesforce
} from './support/kit';

/** A park sink that keeps what it is given (and can refuse some). */
function recordingSink(
  refuse: (r: ParkedRecord) => boolean = () => false
): ParkSink & { stored: ParkedRecord[] } {
  const stored: ParkedRecord[] = [];
  return {
    name: 'test',
    stored,
    async park(records) {
      stored.push(...records.filter((r) => !refuse(r)));
      return records.filter(refuse);
    }
  };
}

// Real HTTP and hundreds of records on a machine shared with other test runs: give the bulk cases room.
jest.setTimeout(30_000);

const failures = (seqNumbers: string[]) => seqNumbers.map((itemIdentifier) => ({ itemIdentifier }));
const later = (): number => Date.now() + 30_000;

function drop(contactId: string, lastUpdated = '2024-05-14T09:17:30Z', extra: Record<string, unknown> = {}) {
  return abandonedCtr({ ContactId: contactId, LastUpdateTimestamp: lastUpdated, ...extra });
}

describe('relay end to end', () => {
  let sf: FakeSalesforce;
  let dispatcher: Agent;
  let logger: CapturedLogger;
  let sink: ReturnType<typeof recordingSink>;
  let relay: Relay;

  function build(config: Partial<RelayConfig> = {}, parkSink: ParkSink = sink): Relay {
    return createRelay(relayConfig(sf, config), {
      logger,
      dispatcher,
      parkSink,
      sleep: fakeSleep().sleep,
      backoff: { baseDelayMs: 10, random: () => 0.5 }
    });
  }

  beforeEach(async () => {
    sf = await startFakeSalesforce();
    dispatcher = new Agent({ keepAliveTimeout: 1_000 });
    logger = captureLogger();
    sink = recordingSink();
    relay = build();
  });
  afterEach(async () => {
    await dispatcher.destroy();
    await sf.stop();
  });

  it('relays the reference batch: the two drops (newest copy of the re-emitted one) and the two contacts that got through, in one request', async () => {
    const event = referenceBatch();

    const report = await relay.processEvent(event, later());

    expect(report.batchItemFailures).toEqual([]);
    expect(report.parked).toEqual([]);
    expect(sf.apiCount).toBe(1);
    const sent = (
      sf.apiRequests[0]?.body as { records: { contactId: string; lastUpdated: string; action: string }[] }
    ).records;
    expect(sent.map((r) => [r.contactId, r.lastUpdated, r.action])).toEqual([
      ['15a5cf14-3212-45a1-9f86-a8e97db8afaf', '2022-04-08T15:03:02Z', 'resolve'],
      [ABANDONED_ID, '2024-05-14T09:25:02Z', 'callback'],
      [IVR_DROP_ID, '2024-05-14T10:03:40Z', 'callback'],
      ['b07b07b0-7b07-4b07-8b07-b07b07b07b07', '2024-05-14T11:02:20Z', 'resolve']
    ]);
    expect(report.counts).toMatchObject({
      received: 5,
      invalid: 0,
      skipped: 0,
      forwarded: 3,
      resolved: 2,
      duplicates: 1,
      sent: 4,
      requests: 1,
      created: 2,
      nothingToResolve: 2,
      autoClosed: 0,
      retried: 0,
      parked: 0,
      failed: 0
    });
  });

  it('closes the earlier drop of a caller who got through later, in the same bulk request', async () => {
    const phone = { CustomerEndpoint: { Type: 'TELEPHONE_NUMBER', Address: '+15555550142' } };
    const dropped = kinesisRecord(
      drop('d-1', '2024-05-14T09:17:30Z', { ...phone, DisconnectTimestamp: '2024-05-14T09:16:41Z' })
    );
    const gotThrough = kinesisRecord(
      drop('d-2', '2024-05-14T09:40:00Z', {
        ...phone,
        InitiationTimestamp: '2024-05-14T09:30:00Z',
        Agent: { ConnectedToAgentTimestamp: '2024-05-14T09:31:00Z' },
        DisconnectReason: 'CUSTOMER_DISCONNECT'
      })
    );
    const telecom = kinesisRecord(
      drop('d-3', '2024-05-14T09:50:00Z', {
        Agent: { ConnectedToAgentTimestamp: '2024-05-14T09:45:00Z' },
        DisconnectReason: 'TELECOM_PROBLEM'
      })
    );

    const report = await relay.processEvent(kinesisEvent([dropped, gotThrough, telecom]), later());

    expect(sf.apiCount).toBe(1);
    const sent = (sf.apiRequests[0]?.body as { records: Record<string, unknown>[] }).records;
    expect(sent.map((r) => [r.contactId, r.action, r.category, r.phoneSource])).toEqual([
      ['d-1', 'callback', 'ABANDONED_IN_QUEUE', 'CALLER_ID'],
      ['d-2', 'resolve', 'AGENT_HANDLED', 'CALLER_ID'],
      ['d-3', 'callback', 'AGENT_DROPPED_TELECOM', 'CALLER_ID']
    ]);
    expect(report.counts).toMatchObject({
      forwarded: 2,
      resolved: 1,
      sent: 3,
      created: 2,
      autoClosed: 1,
      failed: 0,
      parked: 0
    });
    expect(sf.store.get('d-1')?.open).toBe(false);
  });

  it('is idempotent: the same batch again is "unchanged" for both drops', async () => {
    await relay.processEvent(referenceBatch(), later());

    const again = await relay.processEvent(referenceBatch(), later());

    expect(again.counts).toMatchObject({ created: 0, unchanged: 2, failed: 0 });
    expect(sf.tokenRequests).toHaveLength(1);
  });

  it('parks undecodable records (with the original data) without failing the batch', async () => {
    const notBase64 = kinesisRecord('b64:%%% not base64 %%%');
    const notJson = kinesisRecord('{"ContactId": ');
    const noContactId = kinesisRecord({ Channel: 'VOICE' });
    const good = kinesisRecord(drop('good-1'));
    const event = kinesisEvent([notBase64, good, notJson, noContactId]);

    const report = await relay.processEvent(event, later());

    expect(report.batchItemFailures).toEqual([]);
    expect(report.counts).toMatchObject({ received: 4, invalid: 3, forwarded: 1, created: 1, parked: 3 });
    expect(report.parked.map((p) => [p.sequenceNumber, p.contactId, p.code])).toEqual([
      [notBase64.kinesis.sequenceNumber, null, 'INVALID_INPUT'],
      [notJson.kinesis.sequenceNumber, null, 'INVALID_INPUT'],
      [noContactId.kinesis.sequenceNumber, null, 'INVALID_INPUT']
    ]);
    expect(report.parked[1]?.payload).toBe(notJson.kinesis.data);
    expect(report.parked[2]?.reason).toMatch(/ContactId/);
    expect(sink.stored).toEqual(report.parked);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'record parked',
        sequenceNumber: notJson.kinesis.sequenceNumber,
        code: 'INVALID_INPUT',
        reason: expect.stringMatching(/^not JSON/)
      })
    );
  });

  it('reports every forwarded record (duplicates included) for retry when Salesforce stays unavailable', async () => {
    sf.script.push({ status: 503 }, { status: 503 }, { status: 503 });
    const skipped = kinesisRecord(drop('chat-x', undefined, { Channel: 'TASK' }));
    const first = kinesisRecord(drop('c-1', '2024-05-14T09:17:30Z'));
    const invalid = kinesisRecord('nope');
    const second = kinesisRecord(drop('c-2'));
    const newerFirst = kinesisRecord(drop('c-1', '2024-05-14T09:20:00Z'));
    const event = kinesisEvent([skipped, first, invalid, second, newerFirst]);

    const report = await relay.processEvent(event, later());

    expect(report.batchItemFailures).toEqual(failures(seqs(kinesisEvent([first, second, newerFirst]))));
    expect(report.counts).toMatchObject({
      'skipped.CHANNEL_EXCLUDED': 1,
      invalid: 1,
      forwarded: 3,
      sent: 2,
      requests: 3,
      retried: 2,
      failed: 3,
      // The invalid record comes after the first record to retry: the retried batch brings it back, so it is
      // parked then, once, rather than now and again then.
      parked: 0,
      deferred: 1
    });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'delivery failed; records left for Lambda to retry',
        reason: expect.stringContaining('HTTP_503'),
        records: 3
      })
    );
  });

  it('parks a malformed record once although its batch is retried from an earlier record', async () => {
    sf.script.push({ status: 503 }, { status: 503 }, { status: 503 });
    const records = [kinesisRecord(drop('c-1')), kinesisRecord('nope'), kinesisRecord(drop('c-2'))];

    const first = await relay.processEvent(kinesisEvent(records), later());
    expect(first.batchItemFailures).toEqual(
      failures([records[0]?.kinesis.sequenceNumber as string, records[2]?.kinesis.sequenceNumber as string])
    );
    // Lambda retries from the lowest failed sequence number: the whole batch again.
    const second = await relay.processEvent(kinesisEvent(records), later());

    expect(second.batchItemFailures).toEqual([]);
    expect(sink.stored.map((p) => p.sequenceNumber)).toEqual([records[1]?.kinesis.sequenceNumber]);
    expect([first.counts.parked, second.counts.parked]).toEqual([0, 1]);
  });

  it('parks a record with an impossible date itself; a valid older copy of the contact is delivered', async () => {
    const valid = kinesisRecord(drop('dated', '2025-04-30T10:00:00Z'));
    const impossible = kinesisRecord(
      drop('dated', '2025-04-31T10:00:00Z', {
        InitiationTimestamp: '2025-04-31T09:00:00Z',
        DisconnectTimestamp: '2025-02-30T09:05:00Z'
      })
    );

    const report = await relay.processEvent(kinesisEvent([valid, impossible]), later());

    expect(report.counts).toMatchObject({ invalid: 1, sent: 1, created: 1, parked: 1, failed: 0 });
    const sent = sf.apiRequests.flatMap((r) => (r.body as { records: DisconnectRecord[] }).records);
    expect(sent.map((r) => [r.contactId, r.lastUpdated])).toEqual([['dated', '2025-04-30T10:00:00Z']]);
    expect(report.parked).toEqual([
      expect.objectContaining({
        sequenceNumber: impossible.kinesis.sequenceNumber,
        contactId: 'dated',
        code: 'INVALID_FIELD',
        reason: expect.stringMatching(/no valid LastUpdateTimestamp/)
      })
    ]);
  });

  it('sends one record for ContactIds that differ only in case (the upsert key is case-insensitive)', async () => {
    const lower = kinesisRecord(drop('aaaa-bbbb', '2024-05-14T09:17:30Z'));
    const upper = kinesisRecord(drop('AAAA-BBBB', '2024-05-14T09:20:00Z'));

    const report = await relay.processEvent(kinesisEvent([lower, upper]), later());

    expect(report.counts).toMatchObject({ forwarded: 2, duplicates: 1, sent: 1, rejected: 0, parked: 0 });
    const sent = sf.apiRequests.flatMap((r) => (r.body as { records: DisconnectRecord[] }).records);
    expect(sent.map((r) => r.contactId)).toEqual(['AAAA-BBBB']);
  });

  it('masks phone numbers in parked reasons, whatever their format', async () => {
    sf.rejections.set('p', {
      code: 'INVALID_FIELD',
      message: 'customerPhone tel:1 555 555 0142 is not E.164',
      retryable: false
    });

    const report = await relay.processEvent(kinesisEvent([kinesisRecord(drop('p'))]), later());

    expect(report.parked[0]?.reason).toBe('customerPhone tel:* *** *** 0142 is not E.164');
  });

  it('parks a non-retryable rejection (and its superseded copy), retries a retryable one', async () => {
    sf.rejections.set('bad', { code: 'INVALID_FIELD', message: 'queueName too long', retryable: false });
    sf.rejections.set('locked', { code: 'DML_FAILED', message: 'UNABLE_TO_LOCK_ROW', retryable: true });
    const badOld = kinesisRecord(drop('bad', '2024-05-14T09:10:00Z'));
    const ok = kinesisRecord(drop('ok'));
    const bad = kinesisRecord(drop('bad', '2024-05-14T09:17:30Z'));
    const locked = kinesisRecord(drop('locked'));

    const report = await relay.processEvent(kinesisEvent([badOld, ok, bad, locked]), later());

    expect(report.batchItemFailures).toEqual(failures([locked.kinesis.sequenceNumber]));
    expect(report.parked).toEqual([
      {
        sequenceNumber: badOld.kinesis.sequenceNumber,
        contactId: 'bad',
        code: 'INVALID_FIELD',
        reason: 'queueName too long',
        payload: badOld.kinesis.data,
        shardId: 'shardId-000000000000'
      },
      {
        sequenceNumber: bad.kinesis.sequenceNumber,
        contactId: 'bad',
        code: 'INVALID_FIELD',
        reason: 'queueName too long',
        payload: bad.kinesis.data,
        shardId: 'shardId-000000000000'
      }
    ]);
    expect(report.counts).toMatchObject({ created: 1, rejected: 2, parked: 2, failed: 1, duplicates: 1 });
  });

  it('sends the newest copy of a contact even when it comes first, and the older copy shares its outcome', async () => {
    const newer = kinesisRecord(drop('dup', '2024-05-14T09:30:00Z'));
    const older = kinesisRecord(drop('dup', '2024-05-14T09:17:30Z'));

    const report = await relay.processEvent(kinesisEvent([newer, older]), later());

    const sent = (sf.apiRequests[0]?.body as { records: { lastUpdated: string }[] }).records;
    expect(sent.map((r) => r.lastUpdated)).toEqual(['2024-05-14T09:30:00Z']);
    expect(report.counts).toMatchObject({ forwarded: 2, duplicates: 1, sent: 1, created: 1, failed: 0 });
  });

  it('splits more than 200 forwarded records into requests of at most 200', async () => {
    const records = Array.from({ length: 450 }, (_, i) => kinesisRecord(drop(`bulk-${i}`)));

    const report = await relay.processEvent(kinesisEvent(records), later());

    expect(sf.apiRequests.map((r) => (r.body as { records: unknown[] }).records.length)).toEqual([
      200, 200, 50
    ]);
    expect(report.counts).toMatchObject({ forwarded: 450, sent: 450, requests: 3, created: 450, failed: 0 });
    expect(sf.tokenRequests).toHaveLength(1);
  });

  it('fails only the chunk that could not be delivered', async () => {
    // Request 1 (chunk 1) answered normally, requests 2-3 (both attempts of chunk 2) 503, chunk 3 normal.
    sf.script.push({ pass: true }, { status: 503 }, { status: 503 });
    const records = Array.from({ length: 450 }, (_, i) => kinesisRecord(drop(`bulk-${i}`)));
    const event = kinesisEvent(records);

    const report = await build({ maxAttempts: 2 }).processEvent(event, later());

    expect(report.batchItemFailures).toEqual(failures(seqs(event).slice(200, 400)));
    expect(report.counts).toMatchObject({ created: 250, failed: 200, requests: 4, retried: 1 });
  });

  it('parks the records of a chunk the endpoint refuses with 400, keeping the error code', async () => {
    sf.script.push({
      status: 400,
      body: { error: { code: 'INVALID_REQUEST', message: 'Body must be an object' } }
    });
    const a = kinesisRecord(drop('a'));
    const b = kinesisRecord(drop('b'));

    const report = await relay.processEvent(kinesisEvent([a, b]), later());

    expect(report.batchItemFailures).toEqual([]);
    expect(report.parked.map((p) => [p.sequenceNumber, p.code])).toEqual([
      [a.kinesis.sequenceNumber, 'INVALID_REQUEST'],
      [b.kinesis.sequenceNumber, 'INVALID_REQUEST']
    ]);
    expect(report.parked[0]?.reason).toBe('request rejected (400): Body must be an object');
    expect(report.counts).toMatchObject({ rejected: 2, parked: 2, failed: 0 });
  });

  it('retries (instead of losing) parked records the dead-letter sink could not store', async () => {
    const refusing = recordingSink((r) => r.code === 'INVALID_INPUT');
    const r2 = build({}, refusing);
    const invalid = kinesisRecord('garbage');
    const good = kinesisRecord(drop('g'));

    const report = await r2.processEvent(kinesisEvent([good, invalid]), later());

    expect(report.batchItemFailures).toEqual(failures([invalid.kinesis.sequenceNumber]));
    expect(report.parked).toEqual([]);
    expect(report.counts).toMatchObject({ invalid: 1, parked: 0, failed: 1 });
  });

  it('on a refused token request fails every forwarded record retryably, asks once, and says why', async () => {
    const r2 = build({ auth: { ...relayConfig(sf).auth, clientId: 'revoked-app' } as RelayConfig['auth'] });
    const records = Array.from({ length: 250 }, (_, i) => kinesisRecord(drop(`x-${i}`)));

    const report = await r2.processEvent(kinesisEvent(records), later());

    expect(report.batchItemFailures).toHaveLength(250);
    expect(sf.tokenRequests).toHaveLength(1);
    expect(sf.apiCount).toBe(0);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'Salesforce authentication failed; records left for Lambda to retry',
        reason: expect.stringMatching(/^AUTH_FAILED: token endpoint .* answered 400 invalid_grant/),
        records: 250
      })
    );
  });

  it('refreshes an expired session once between batches (token cached, then renewed on 401)', async () => {
    await relay.processEvent(kinesisEvent([kinesisRecord(drop('t-1'))]), later());
    sf.expireTokens();

    const report = await relay.processEvent(kinesisEvent([kinesisRecord(drop('t-2'))]), later());

    expect(report.counts).toMatchObject({ created: 1, failed: 0 });
    expect(sf.tokenRequests).toHaveLength(2);
  });

  it('sends nothing after the deadline and leaves the records to Lambda', async () => {
    const a = kinesisRecord(drop('late'));

    const report = await relay.processEvent(kinesisEvent([a]), Date.now() - 1);

    expect(report.batchItemFailures).toEqual(failures([a.kinesis.sequenceNumber]));
    expect(sf.apiCount).toBe(0);
  });

  it('logs one structured summary per batch and never a token, a key or a full phone number', async () => {
    sf.rejections.set('p', { code: 'INVALID_FIELD', message: 'bad +15555550142', retryable: false });
    await relay.processEvent(
      kinesisEvent([kinesisRecord(drop('p')), kinesisRecord('x'), ...referenceBatch().Records]),
      later()
    );

    const summary = logger.lines.filter((l) => l.message === 'batch processed');
    expect(summary).toEqual([expect.objectContaining({ level: 'info', received: 7, parkSink: 'test' })]);
    for (const key of [
      'received',
      'invalid',
      'skipped',
      'forwarded',
      'created',
      'updated',
      'unchanged',
      'stale'
    ]) {
      expect(summary[0]).toHaveProperty(key);
    }
    for (const key of ['rejected', 'retried', 'parked', 'failed']) expect(summary[0]).toHaveProperty(key);
    const text = logger.text();
    expect(text).not.toMatch(/\+1555555\d{4}/);
    expect(text).not.toContain('00Dfake!token');
    expect(text).not.toContain('PRIVATE KEY');
  });

  it('processes an event without records', async () => {
    const report = await relay.processEvent({ Records: [] } as KinesisStreamEvent, later());

    expect(report).toEqual({
      batchItemFailures: [],
      parked: [],
      counts: expect.objectContaining({ received: 0 })
    });
    expect(sf.apiCount).toBe(0);
  });
});

describe('relay end to end with the SQS dead-letter queue (DLQ_URL)', () => {
  let sf: FakeSalesforce;
  let sqs: FakeSqs;
  const saved = { ...process.env };

  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCALTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'local-test-secret';
    process.env.AWS_REGION = 'us-east-1';
  });
  afterAll(() => {
    process.env = saved;
  });
  beforeEach(async () => {
    sf = await startFakeSalesforce();
    sqs = await new FakeSqs().start();
  });
  afterEach(async () => {
    await sqs.stop();
    await sf.stop();
  });

  it('sends parked records to the queue as {sequenceNumber, contactId, reason, code, payload}', async () => {
    const relay = createRelay(relayConfig(sf, { dlqUrl: sqs.queueUrl }), { logger: captureLogger() });
    sf.rejections.set('r', { code: 'MISSING_FIELD', message: 'lastUpdated is required', retryable: false });
    const invalid = kinesisRecord('{oops');
    const rejected = kinesisRecord(drop('r'));
    const many = Array.from({ length: 11 }, () => kinesisRecord('[]'));

    const report = await relay.processEvent(kinesisEvent([invalid, rejected, ...many]), later());
    await relay.close();
    await relay.close();

    expect(report.batchItemFailures).toEqual([]);
    expect(sqs.calls.map((c) => c.body.Entries?.length)).toEqual([10, 3]);
    expect(sqs.messages[1]).toEqual({
      sequenceNumber: rejected.kinesis.sequenceNumber,
      contactId: 'r',
      reason: 'lastUpdated is required',
      code: 'MISSING_FIELD',
      payload: rejected.kinesis.data,
      shardId: 'shardId-000000000000'
    });
    expect(Buffer.from(String(sqs.messages[0]?.payload), 'base64').toString()).toBe('{oops');
  });

  it('reports the records for retry when the queue refuses them', async () => {
    const relay = createRelay(relayConfig(sf, { dlqUrl: sqs.queueUrl }), { logger: captureLogger() });
    sqs.failCalls = 1;
    const invalid = kinesisRecord('{oops');

    const report = await relay.processEvent(kinesisEvent([invalid]), later());
    await relay.close();

    expect(report.batchItemFailures).toEqual(failures([invalid.kinesis.sequenceNumber]));
    expect(report.counts).toMatchObject({ parked: 0, failed: 1 });
  });
});
