/**
 * `ctr-relay redrive` against kinesalite on 127.0.0.1: failed-batch files as the mapping's S3 on-failure
 * destination writes them go back on the stream with their data and partition keys, and the relay delivers them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient
} from '@aws-sdk/client-kinesis';
import { startLocalKinesis, type LocalKinesis } from '../local/kinesis-local';
import { main } from '../src/cli';
import { parseFailedBatch } from '../src/redrive';
import { abandonedCtr, captureStream, kinesisEvent, kinesisRecord } from './support/kit';

let STREAM = 'replay-ctr-0';
let streams = 0;

/** The object the event source mapping writes to the failed-batches bucket (payload = the batch as JSON text). */
function failedBatchObject(ids: string[]): { text: string; data: string[]; keys: string[] } {
  const event = kinesisEvent(ids.map((id) => kinesisRecord(abandonedCtr({ ContactId: id }))));
  const first = event.Records[0]?.kinesis;
  const last = event.Records[event.Records.length - 1]?.kinesis;
  const doc = {
    requestContext: {
      requestId: 'c9b8fa9f',
      functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:relay',
      condition: 'RecordAgeExceeded',
      approximateInvokeCount: 40
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2026-11-28T06:38:06.021Z',
    KinesisBatchInfo: {
      shardId: 'shardId-000000000000',
      startSequenceNumber: first?.sequenceNumber,
      endSequenceNumber: last?.sequenceNumber,
      batchSize: ids.length,
      streamArn: `arn:aws:kinesis:us-east-1:111122223333:stream/${STREAM}`
    },
    payload: JSON.stringify(event)
  };
  return {
    text: JSON.stringify(doc),
    data: event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString('utf8')),
    keys: event.Records.map((r) => r.kinesis.partitionKey)
  };
}

async function streamContents(client: KinesisClient): Promise<{ data: string; key: string }[]> {
  const shards = await client.send(new ListShardsCommand({ StreamName: STREAM }));
  const out: { data: string; key: string }[] = [];
  for (const shard of shards.Shards ?? []) {
    const it = await client.send(
      new GetShardIteratorCommand({
        StreamName: STREAM,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON'
      })
    );
    const got = await client.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
    for (const r of got.Records ?? [])
      out.push({ data: Buffer.from(r.Data ?? []).toString('utf8'), key: r.PartitionKey ?? '' });
  }
  return out;
}

async function run(
  args: string[]
): Promise<{ code: number; lines: Record<string, unknown>[]; stderr: string }> {
  const out = captureStream();
  const err = captureStream();
  const code = await main(['redrive', ...args], {
    stdout: out.stream,
    stderr: err.stream,
    env: { AWS_REGION: 'us-east-1' }
  });
  return {
    code,
    lines: out
      .text()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>),
    stderr: err.text()
  };
}

describe('ctr-relay redrive', () => {
  let kinesis: LocalKinesis;
  let dir: string;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
  });
  afterAll(async () => {
    await kinesis.stop();
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-replay-'));
    streams += 1;
    STREAM = `replay-ctr-${streams}`;
    await kinesis.createStream(STREAM, 2);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts every record of every file back on the stream with its data and partition key', async () => {
    const a = failedBatchObject(['rp-1', 'rp-2']);
    const b = failedBatchObject(['rp-3']);
    writeFileSync(join(dir, 'a.json'), a.text);
    writeFileSync(join(dir, 'b.json'), b.text);

    const result = await run([
      '--stream',
      STREAM,
      '--endpoint',
      kinesis.endpoint,
      join(dir, 'a.json'),
      join(dir, 'b.json')
    ]);

    expect(result.code).toBe(0);
    expect(result.lines).toEqual([
      expect.objectContaining({
        file: join(dir, 'a.json'),
        records: 2,
        replayed: 2,
        batch: expect.objectContaining({ batchSize: 2 })
      }),
      expect.objectContaining({ file: join(dir, 'b.json'), records: 1, replayed: 1 })
    ]);
    const sortBy = (x: { data: string }[]) => [...x].sort((p, q) => p.data.localeCompare(q.data));
    expect(sortBy(await streamContents(kinesis.client))).toEqual(
      sortBy([...a.data, ...b.data].map((data, i) => ({ data, key: [...a.keys, ...b.keys][i] as string })))
    );
  });

  it('sends nothing on --dry-run, and reports a pointer-only file without stopping the others', async () => {
    const ok = failedBatchObject(['dry-1']);
    writeFileSync(join(dir, 'ok.json'), ok.text);
    const pointer = JSON.parse(ok.text) as Record<string, unknown>;
    delete pointer.payload;
    writeFileSync(join(dir, 'pointer.json'), JSON.stringify(pointer));

    const dry = await run([
      '--stream',
      STREAM,
      '--endpoint',
      kinesis.endpoint,
      '--dry-run',
      join(dir, 'ok.json')
    ]);
    expect(dry.lines).toEqual([expect.objectContaining({ records: 1, replayed: 0, dryRun: true })]);
    expect(await streamContents(kinesis.client)).toEqual([]);

    const mixed = await run([
      '--stream',
      STREAM,
      '--endpoint',
      kinesis.endpoint,
      join(dir, 'pointer.json'),
      join(dir, 'ok.json')
    ]);
    expect(mixed.code).toBe(1);
    expect(mixed.lines[0]?.error).toMatch(
      /^no records in the file, only a pointer \(shard shardId-000000000000, sequence numbers \d+ to \d+\): read them from the stream/
    );
    expect(mixed.lines[1]).toEqual(expect.objectContaining({ replayed: 1 }));
  });

  it('refuses bad arguments with the usage, and a remote endpoint', async () => {
    expect((await run([join(dir, 'x.json')])).stderr).toMatch(/--stream is required/);
    expect((await run(['--stream', STREAM])).code).toBe(2);
    const remote = await run(['--stream', STREAM, '--endpoint', 'http://10.0.0.1:4567', 'f']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/--endpoint must be a local/);
  });

  it('reads payloads given as text or as an object, and bare Kinesis events', () => {
    const event = kinesisEvent([kinesisRecord(abandonedCtr({ ContactId: 'obj-1' }))]);
    expect(parseFailedBatch(JSON.stringify({ payload: event })).records).toHaveLength(1);
    expect(parseFailedBatch(JSON.stringify(event)).records[0]?.partitionKey).toBe(
      event.Records[0]?.kinesis.partitionKey
    );
    expect(() => parseFailedBatch('nope')).toThrow('not JSON');
    expect(() => parseFailedBatch(JSON.stringify({ payload: { Records: [{ kinesis: {} }] } }))).toThrow(
      'record 0 has no kinesis.data or kinesis.partitionKey'
    );
  });
});
