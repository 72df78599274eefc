/**
 * The embedded Kinesis forgets records once they are checkpointed, so a long `npm start` session stays flat in
 * memory (kinesalite alone keeps everything for 24 h).
 */
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { LocalKinesis, startLocalKinesis } from '../../local/kinesis-local';

jest.setTimeout(30_000);

let kinesis: LocalKinesis;

beforeAll(async () => {
  kinesis = await startLocalKinesis();
});
afterAll(async () => {
  await kinesis.stop();
});

async function put(stream: string, values: string[]): Promise<string[]> {
  const r = await kinesis.client.send(
    new PutRecordsCommand({
      StreamName: stream,
      Records: values.map((v) => ({ Data: Buffer.from(v), PartitionKey: 'same-shard' }))
    })
  );
  return (r.Records ?? []).map((x) => x.SequenceNumber as string);
}

async function readAll(stream: string, shardId: string): Promise<string[]> {
  const { ShardIterator } = await kinesis.client.send(
    new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' })
  );
  const r = await kinesis.client.send(new GetRecordsCommand({ ShardIterator }));
  return (r.Records ?? []).map((x) => Buffer.from(x.Data ?? new Uint8Array()).toString());
}

test('trimConsumed deletes the records up to each checkpoint and keeps the rest', async () => {
  await kinesis.createStream('trim-1', 1);
  const values = Array.from({ length: 10 }, (_, i) => `record-${i}`);
  const sequences = await put('trim-1', values);
  const shardId = 'shardId-000000000000';

  const deleted = await kinesis.trimConsumed('trim-1', { [shardId]: sequences[5] as string });

  expect(deleted).toBe(6);
  expect(await readAll('trim-1', shardId)).toEqual(values.slice(6));
  expect(await kinesis.trimConsumed('trim-1', { [shardId]: sequences[5] as string })).toBe(0);
});

test('trimConsumed leaves other shards and other streams alone', async () => {
  await kinesis.createStream('trim-2', 2);
  await kinesis.createStream('trim-3', 1);
  const sequences = await put('trim-2', ['a', 'b']);
  await put('trim-3', ['x', 'y']);
  // Both records share a partition key, so they are on one shard; trimming the other shard deletes nothing.
  const shards = ['shardId-000000000000', 'shardId-000000000001'];
  const withRecords: string[] = [];
  for (const s of shards) if ((await readAll('trim-2', s)).length > 0) withRecords.push(s);
  expect(withRecords).toHaveLength(1);
  const other = shards.find((s) => s !== withRecords[0]) as string;

  expect(await kinesis.trimConsumed('trim-2', { [other]: sequences[1] as string })).toBe(0);
  expect(await readAll('trim-2', withRecords[0] as string)).toEqual(['a', 'b']);
  expect(await kinesis.trimConsumed('trim-2', { [withRecords[0] as string]: sequences[0] as string })).toBe(
    1
  );
  expect(await readAll('trim-2', withRecords[0] as string)).toEqual(['b']);
  expect(await readAll('trim-3', 'shardId-000000000000')).toEqual(['x', 'y']);
});
