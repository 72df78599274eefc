/**
 * `ctr-relay redrive` beyond the kinesalite round trip (redrive.test.ts): its arguments, the region it signs for
 * (seen by a local Kinesis stand-in on 127.0.0.1), failed-batch files it must refuse with a reason, and putting
 * back many records or records Kinesis refuses (throughput exceeded) with the pauses between attempts recorded.
 */
import type { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  parseFailedBatch,
  PUT_RECORDS_MAX,
  putBack,
  REDRIVE_USAGE,
  redrive,
  RedriveError,
  type ReplayRecord
} from '../src/redrive';
import { captureStream } from './support/kit';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out = captureStream();
  const err = captureStream();
  const code = await redrive(args, { stdin: new PassThrough(), stdout: out.stream, stderr: err.stream, env });
  return { code, stdout: out.text(), stderr: err.text() };
}

const event = (n: number) => ({
  Records: Array.from({ length: n }, (_, i) => ({
    kinesis: {
      data: Buffer.from(`record ${i}`).toString('base64'),
      partitionKey: `key-${i}`,
      sequenceNumber: `4959${i}`
    }
  }))
});

describe('redrive arguments and region', () => {
  let server: Server;
  let endpoint: string;
  const requests: { region: string; body: { StreamName: string; Records: unknown[] } }[] = [];
  let dir: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const parsed = JSON.parse(body) as { StreamName: string; Records: unknown[] };
        requests.push({ region, body: parsed });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({
            FailedRecordCount: 0,
            Records: parsed.Records.map((_, i) => ({
              SequenceNumber: `${i}`,
              ShardId: 'shardId-000000000000'
            }))
          })
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    requests.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'redrive-edges-'));
    writeFileSync(join(dir, 'batch.json'), JSON.stringify(event(2)));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['--region', ['--region', 'eu-west-3'], { AWS_REGION: 'ap-south-1' }, 'eu-west-3'],
    ['AWS_REGION', [], { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'sa-east-1' }, 'ap-south-1'],
    ['AWS_DEFAULT_REGION', [], { AWS_DEFAULT_REGION: 'sa-east-1' }, 'sa-east-1'],
    ['the default', [], {}, 'us-east-1']
  ])('signs for the region from %s', async (_from, extra, env, region) => {
    const result = await run(
      ['--stream', 'ctr', '--endpoint', endpoint, ...extra, join(dir, 'batch.json')],
      env
    );

    expect(result.code).toBe(0);
    expect(requests.map((r) => r.region)).toEqual([region]);
    expect(requests[0]?.body).toEqual({
      StreamName: 'ctr',
      Records: [
        { Data: Buffer.from('record 0').toString('base64'), PartitionKey: 'key-0' },
        { Data: Buffer.from('record 1').toString('base64'), PartitionKey: 'key-1' }
      ]
    });
    expect(JSON.parse(result.stdout)).toEqual({
      file: join(dir, 'batch.json'),
      records: 2,
      replayed: 2,
      dryRun: false
    });
  });

  it('reads and checks the files without an endpoint on --dry-run, sending nothing', async () => {
    const result = await run(['--stream', 'ctr', '--dry-run', join(dir, 'batch.json')]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      file: join(dir, 'batch.json'),
      records: 2,
      replayed: 0,
      dryRun: true
    });
    expect(requests).toEqual([]);
  });

  it('closes its connections when done (the command exits at once)', async () => {
    const result = await run(['--stream', 'ctr', '--endpoint', endpoint, join(dir, 'batch.json')]);
    expect(result.code).toBe(0);

    // The stand-in keeps an idle connection open for 5 s; the client must close its own.
    const open = async () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((err, count) => (err ? reject(err) : resolve(count)))
      );
    const until = Date.now() + 1_500;
    while ((await open()) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(await open()).toBe(0);
  });

  it('accepts localhost with a trailing slash as a local endpoint', async () => {
    const local = endpoint.replace('127.0.0.1', 'localhost') + '/';

    const result = await run(['--stream', 'ctr', '--endpoint', local, join(dir, 'batch.json')]);

    expect(result.code).toBe(0);
    expect(requests).toHaveLength(1);
  });

  it('reports a file it cannot read on its own line and exits 1', async () => {
    const missing = join(dir, 'missing.json');

    const result = await run(['--stream', 'ctr', '--endpoint', endpoint, missing, join(dir, 'batch.json')]);

    expect(result.code).toBe(1);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ file: missing, error: expect.stringContaining('ENOENT') });
    expect(lines[1]).toMatchObject({ replayed: 2 });
  });

  it.each([
    [['--help'], 0],
    [['-h', '--bogus'], 2],
    [['-h'], 0]
  ])('%p prints the usage', async (args, code) => {
    const result = await run(args);

    expect(result.code).toBe(code);
    if (code === 0) {
      expect(result.stdout).toBe(`${REDRIVE_USAGE}\n`);
      expect(result.stderr).toBe('');
    } else expect(result.stderr).toContain(REDRIVE_USAGE);
    expect(requests).toEqual([]);
  });

  it.each([
    [['--stream'], '--stream needs a value'],
    [['--stream', '', 'f'], '--stream needs a value'],
    [['--stream', 'ctr', '--region'], '--region needs a value'],
    [['--stream', 'ctr', '--endpoint'], '--endpoint needs a value'],
    [['--stream', 'ctr', '--bogus', 'f'], 'unknown option --bogus'],
    [['--stream', 'ctr'], 'give at least one failed-batch FILE'],
    [['f'], '--stream is required'],
    [['--stream', 'ctr', '--endpoint', 'https://127.0.0.1:4567', 'f'], '--endpoint must be a local'],
    [['--stream', 'ctr', '--endpoint', 'http://127.0.0.1:4567/path', 'f'], '--endpoint must be a local'],
    [['--stream', 'ctr', '--endpoint', 'http://127.0.0.1', 'f'], '--endpoint must be a local'],
    [['--stream', 'ctr', '--endpoint', 'http://127.0.0.1.example.com:80', 'f'], '--endpoint must be a local'],
    [['--stream', 'ctr', '--endpoint', 'xhttp://localhost:80', 'f'], '--endpoint must be a local']
  ])('refuses %p: %s', async (args, message) => {
    const result = await run(args);

    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(`ctr-relay redrive: ${message}`)).toBe(true);
    expect(result.stderr).toContain(REDRIVE_USAGE);
    expect(result.stdout).toBe('');
  });
});

describe('parseFailedBatch', () => {
  it('keeps the batch description and each record’s data, partition key and sequence number', () => {
    const info = { shardId: 'shardId-000000000002', startSequenceNumber: '1', endSequenceNumber: '9' };
    const parsed = parseFailedBatch(
      JSON.stringify({ KinesisBatchInfo: info, payload: JSON.stringify(event(2)) })
    );

    expect(parsed).toEqual({
      batch: info,
      records: [
        { data: Buffer.from('record 0').toString('base64'), partitionKey: 'key-0', sequenceNumber: '49590' },
        { data: Buffer.from('record 1').toString('base64'), partitionKey: 'key-1', sequenceNumber: '49591' }
      ]
    });
  });

  it('reads a bare Kinesis event (no batch description) and a record without a sequence number', () => {
    const bare = { Records: [{ kinesis: { data: 'eA==', partitionKey: 'k' } }], payload: 'ignored' };

    expect(parseFailedBatch(JSON.stringify(bare))).toEqual({
      batch: undefined,
      records: [{ data: 'eA==', partitionKey: 'k', sequenceNumber: '' }]
    });
  });

  it.each([
    ['an array', '[1]', 'not a JSON object'],
    ['null', 'null', 'not a JSON object'],
    ['a string', '"x"', 'not a JSON object'],
    ['a payload that is not JSON', JSON.stringify({ payload: '{oops' }), 'payload is not JSON'],
    [
      'a pointer without a batch description',
      JSON.stringify({ requestContext: {} }),
      'no records in the file, only a pointer: read them from the stream while it retains them'
    ],
    [
      'a payload whose Records are not a list',
      JSON.stringify({ payload: { Records: { kinesis: {} } } }),
      'no records in the file, only a pointer: read them from the stream while it retains them'
    ],
    ['a number', '42', 'not a JSON object'],
    ['true', 'true', 'not a JSON object'],
    [
      'a record that is not an object',
      JSON.stringify({ Records: [{ kinesis: { data: 'eA==', partitionKey: 'k' } }, null] }),
      'record 1 has no kinesis.data or kinesis.partitionKey'
    ],
    [
      'a record whose kinesis is not an object',
      JSON.stringify({ Records: [{ kinesis: 'eA==' }] }),
      'record 0 has no kinesis.data or kinesis.partitionKey'
    ],
    [
      'a record without kinesis',
      JSON.stringify({ Records: [{ kinesis: { data: 'eA==', partitionKey: 'k' } }, {}] }),
      'record 1 has no kinesis.data or kinesis.partitionKey'
    ],
    [
      'an empty partition key',
      JSON.stringify({ Records: [{ kinesis: { data: 'eA==', partitionKey: '' } }] }),
      'record 0 has no kinesis.data or kinesis.partitionKey'
    ],
    [
      'data that is not text',
      JSON.stringify({ Records: [{ kinesis: { data: 7, partitionKey: 'k' } }] }),
      'record 0 has no kinesis.data or kinesis.partitionKey'
    ],
    [
      'a partition key that is not text',
      JSON.stringify({ Records: [{ kinesis: { data: 'eA==', partitionKey: 7 } }] }),
      'record 0 has no kinesis.data or kinesis.partitionKey'
    ]
  ])('refuses %s with a reason', (_name, text, message) => {
    expect(() => parseFailedBatch(text)).toThrow(new RedriveError(message));
  });
});

describe('putBack', () => {
  type Answer = (
    records: { Data: Uint8Array; PartitionKey: string }[]
  ) => { ErrorCode?: string }[] | undefined;

  /** A Kinesis client stand-in that answers PutRecords with `answer` and keeps every request. */
  function kinesis(answer: Answer = () => undefined) {
    const calls: { stream: string; keys: string[]; data: string[] }[] = [];
    const client = {
      send: async (command: PutRecordsCommand) => {
        const input = command.input as {
          StreamName: string;
          Records: { Data: Uint8Array; PartitionKey: string }[];
        };
        calls.push({
          stream: input.StreamName,
          keys: input.Records.map((r) => r.PartitionKey),
          data: input.Records.map((r) => Buffer.from(r.Data).toString('utf8'))
        });
        const records = answer(input.Records);
        return records === undefined ? {} : { Records: records };
      }
    } as unknown as Pick<KinesisClient, 'send'>;
    return { client, calls };
  }

  const replay = (n: number): ReplayRecord[] =>
    Array.from({ length: n }, (_, i) => ({
      data: Buffer.from(`r${i}`).toString('base64'),
      partitionKey: `k${i}`,
      sequenceNumber: `${i}`
    }));

  it(`puts records in order, in calls of at most ${PUT_RECORDS_MAX}`, async () => {
    const { client, calls } = kinesis((records) => records.map(() => ({})));
    const pauses: number[] = [];

    const put = await putBack(client, 'ctr', replay(1_001), async (ms) => {
      pauses.push(ms);
    });

    expect(put).toBe(1_001);
    expect(calls.map((c) => c.keys.length)).toEqual([500, 500, 1]);
    expect(calls.every((c) => c.stream === 'ctr')).toBe(true);
    expect(calls[1]?.keys[0]).toBe('k500');
    expect(calls[2]?.data).toEqual(['r1000']);
    expect(pauses).toEqual([]);
  });

  it('puts again only the records Kinesis refused, pausing longer each time', async () => {
    let refusals = 2;
    const { client, calls } = kinesis((records) =>
      records.map((r) =>
        Buffer.from(r.Data).toString('utf8') === 'r1' && refusals-- > 0
          ? { ErrorCode: 'ProvisionedThroughputExceededException' }
          : {}
      )
    );
    const pauses: number[] = [];

    const put = await putBack(client, 'ctr', replay(3), async (ms) => {
      pauses.push(ms);
    });

    expect(put).toBe(3);
    expect(calls.map((c) => c.data)).toEqual([['r0', 'r1', 'r2'], ['r1'], ['r1']]);
    expect(pauses).toEqual([400, 800]);
  });

  it('gives up on a record Kinesis refuses five times, after putting the others', async () => {
    const { client, calls } = kinesis((records) =>
      records.map((r) =>
        Buffer.from(r.Data).toString('utf8') === 'r0'
          ? { ErrorCode: 'ProvisionedThroughputExceededException' }
          : {}
      )
    );
    const pauses: number[] = [];

    await expect(
      putBack(client, 'ctr', replay(2), async (ms) => {
        pauses.push(ms);
      })
    ).rejects.toThrow(new RedriveError('Kinesis refused 1 record(s) 5 times'));
    expect(calls.map((c) => c.data)).toEqual([['r0', 'r1'], ['r0'], ['r0'], ['r0'], ['r0']]);
    expect(pauses).toEqual([400, 800, 1_600, 3_200]);
  });

  it('succeeds when Kinesis takes a refused record on the fifth and last attempt', async () => {
    let refusals = 4;
    const { client, calls } = kinesis((records) =>
      records.map((r) =>
        Buffer.from(r.Data).toString('utf8') === 'r0' && refusals-- > 0
          ? { ErrorCode: 'ProvisionedThroughputExceededException' }
          : {}
      )
    );

    await expect(putBack(client, 'ctr', replay(2), async () => {})).resolves.toBe(2);
    expect(calls.map((c) => c.data)).toEqual([['r0', 'r1'], ['r0'], ['r0'], ['r0'], ['r0']]);
  });

  it('counts every record put when Kinesis lists no per-record results', async () => {
    const { client } = kinesis();

    await expect(putBack(client, 'ctr', replay(4))).resolves.toBe(4);
  });
});
