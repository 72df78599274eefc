import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSourceMapping, EventSourceMappingOptions, startEventSourceMapping } from '../../local/consumer';
import { LocalKinesis, startLocalKinesis } from '../../local/kinesis-local';
import { until } from '../support/kit';

jest.setTimeout(30_000);

let kinesis: LocalKinesis;
let dir: string;
let streamCount = 0;
let stream: string;
const mappings: EventSourceMapping[] = [];

beforeAll(async () => {
  kinesis = await startLocalKinesis();
  dir = mkdtempSync(join(tmpdir(), 'h5-consumer-'));
});
afterAll(async () => {
  await kinesis.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  stream = `test-${++streamCount}`;
  await kinesis.createStream(stream, 1);
});
afterEach(async () => {
  await Promise.all(mappings.splice(0).map((m) => m.stop()));
});

async function put(values: string[]): Promise<string[]> {
  const r = await kinesis.client.send(
    new PutRecordsCommand({
      StreamName: stream,
      Records: values.map((v) => ({ Data: Buffer.from(v), PartitionKey: 'same-shard' }))
    })
  );
  return (r.Records ?? []).map((x) => x.SequenceNumber as string);
}

async function map(
  handler: EventSourceMappingOptions['handler'],
  over: Partial<EventSourceMappingOptions> = {}
): Promise<EventSourceMapping> {
  const m = await startEventSourceMapping({
    client: kinesis.newClient(),
    streamName: stream,
    handler,
    pollIntervalMs: 20,
    retryBackoffMs: 5,
    ...over
  });
  mappings.push(m);
  return m;
}

const payloads = (e: KinesisStreamEvent): string[] =>
  e.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString('utf8'));

it('delivers the exact event shape Lambda builds, and checkpoints after success', async () => {
  const events: KinesisStreamEvent[] = [];
  const m = await map(async (e) => {
    events.push(e);
  });
  const seqs = await put(['a', 'b', 'c']);
  await until(() => m.stats.consumed === 3);
  const first = events[0]?.Records[0];
  expect(first).toEqual({
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: 'same-shard',
      sequenceNumber: seqs[0],
      data: Buffer.from('a').toString('base64'),
      approximateArrivalTimestamp: expect.any(Number)
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${seqs[0]}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: expect.stringMatching(/^arn:aws:iam::\d+:role\//),
    awsRegion: 'us-east-1',
    eventSourceARN: m.streamArn
  });
  expect(Math.abs((first?.kinesis.approximateArrivalTimestamp ?? 0) * 1000 - Date.now())).toBeLessThan(
    60_000
  );
  expect(events.flatMap(payloads)).toEqual(['a', 'b', 'c']);
  expect(m.checkpoints()).toEqual({ 'shardId-000000000000': seqs[2] });
});

it('honours batch size and the batching window', async () => {
  const sizes: number[] = [];
  const m = await map(
    async (e) => {
      sizes.push(e.Records.length);
    },
    { batchSize: 4, maximumBatchingWindowMs: 1000 }
  );
  await put(['1', '2', '3', '4', '5', '6']);
  await until(() => m.stats.consumed === 6);
  expect(sizes).toEqual([4, 2]);
  await put(['x']);
  const t = Date.now();
  await put(['y']);
  await until(() => m.stats.consumed === 8);
  expect(Date.now() - t).toBeGreaterThanOrEqual(250); // the window held the batch open
  expect(sizes.slice(2)).toEqual([2]);
});

it('resumes from the lowest failed sequence number (ReportBatchItemFailures)', async () => {
  const seen: string[][] = [];
  let failOnce = true;
  const m = await map(async (e) => {
    seen.push(payloads(e));
    if (failOnce) {
      failOnce = false;
      return {
        batchItemFailures: [
          { itemIdentifier: e.Records[3]?.kinesis.sequenceNumber as string },
          { itemIdentifier: e.Records[2]?.kinesis.sequenceNumber as string }
        ]
      };
    }
    return { batchItemFailures: [] };
  });
  await put(['a', 'b', 'c', 'd', 'e']);
  await until(() => m.stats.consumed === 5);
  expect(seen).toEqual([
    ['a', 'b', 'c', 'd', 'e'],
    ['c', 'd', 'e']
  ]);
  expect(m.stats).toMatchObject({ partialFailures: 1, retries: 1 });
});

it('bisects a batch on a thrown error and sends the poison record to the on-failure destination', async () => {
  const onFailureFile = join(dir, 'bisect-failures.jsonl');
  const processed: string[] = [];
  const m = await map(
    async (e) => {
      const p = payloads(e);
      if (p.includes('poison')) throw new Error('boom');
      processed.push(...p);
    },
    { bisectBatchOnFunctionError: true, maximumRetryAttempts: 1, onFailureFile }
  );
  const seqs = await put(['a', 'b', 'poison', 'd', 'e', 'f']);
  await until(() => m.stats.consumed === 6);
  expect(processed.sort()).toEqual(['a', 'b', 'd', 'e', 'f']);
  expect(m.stats.bisections).toBeGreaterThan(0);
  const lines = readFileSync(onFailureFile, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(1);
  const rec = JSON.parse(lines[0] as string);
  expect(rec).toMatchObject({
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 },
    responseContext: { functionError: 'Unhandled' },
    version: '1.0',
    KinesisBatchInfo: {
      shardId: 'shardId-000000000000',
      startSequenceNumber: seqs[2],
      endSequenceNumber: seqs[2],
      batchSize: 1,
      streamArn: m.streamArn
    }
  });
});

it('gives up after maximumRetryAttempts and after maximumRecordAge', async () => {
  const onFailureFile = join(dir, 'exhausted.jsonl');
  let calls = 0;
  const m = await map(
    async () => {
      calls++;
      throw new Error('always');
    },
    { maximumRetryAttempts: 2, onFailureFile }
  );
  await put(['a', 'b']);
  await until(() => m.stats.consumed === 2);
  expect(calls).toBe(3);
  await m.stop();

  const ageFile = join(dir, 'age.jsonl');
  const aged = await map(
    async () => {
      throw new Error('slow failure');
    },
    { maximumRecordAgeMs: 0, onFailureFile: ageFile, startingPosition: 'LATEST' }
  );
  await new Promise((r) => setTimeout(r, 100));
  await put(['late']);
  await until(() => aged.stats.consumed === 1);
  const rec = JSON.parse(readFileSync(ageFile, 'utf8').trim());
  expect(rec.requestContext.condition).toBe('RecordAgeExceeded');
  expect(JSON.parse(readFileSync(onFailureFile, 'utf8').trim()).KinesisBatchInfo.batchSize).toBe(2);
});

it('keeps checkpoints in a file and resumes after them on restart', async () => {
  const checkpointFile = join(dir, `${stream}-checkpoints.json`);
  const first: string[] = [];
  const m1 = await map(async (e) => void first.push(...payloads(e)), { checkpointFile });
  await put(['one', 'two']);
  await until(() => m1.stats.consumed === 2);
  await m1.stop();
  expect(JSON.parse(readFileSync(checkpointFile, 'utf8'))).toMatchObject({ streamName: stream });

  await put(['three']);
  const second: string[] = [];
  const m2 = await map(async (e) => void second.push(...payloads(e)), { checkpointFile });
  await until(() => m2.stats.consumed === 1);
  expect(first).toEqual(['one', 'two']);
  expect(second).toEqual(['three']);
});

it('reports records in flight and the lag while the function is busy', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  let calls = 0;
  const m = await map(async () => {
    calls++;
    await gate;
  });
  await put(['slow-1', 'slow-2']);
  await until(() => calls === 1);
  await new Promise((r) => setTimeout(r, 120));
  expect(m.stats.inFlight).toBe(2);
  expect(m.lagMs()).toBeGreaterThanOrEqual(100);
  release();
  await until(() => m.stats.consumed === 2);
  expect(m.stats.inFlight).toBe(0);
  expect(m.lagMs()).toBe(0);
});
