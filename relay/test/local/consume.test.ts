import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { checkKinesisEndpoint, consume } from '../../local/consume';
import type { LocalKinesis } from '../../local/kinesis-local';
import type { OrgEmulator } from '../../local/org-emulator';
import { captureStream } from '../support/kit';
import { startLocalRig, type LocalRig } from '../support/local-rig';
import { putRecords } from '../../local/simulator';
import { readReplayFile } from '../../local/start';

jest.setTimeout(60_000);

const FIXTURE = join(__dirname, '../../local/fixtures/demo-mix.jsonl');
const expected = JSON.parse(
  readFileSync(join(__dirname, '../../local/fixtures/demo-mix.expected.json'), 'utf8')
) as { cases: number; parked: number };

describe('ctr-relay consume against a stream reached through KINESIS_ENDPOINT', () => {
  let kinesis: LocalKinesis;
  let emulator: OrgEmulator;
  let dir: string;
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });

  let rig: LocalRig;

  beforeAll(async () => {
    rig = await startLocalRig(keys, 'consume-');
    ({ kinesis, emulator, dir } = rig);
    await kinesis.createStream('ctr-prod-like', 2);
  });
  afterAll(() => rig.stop());

  const env = (): NodeJS.ProcessEnv => rig.env({ LOG_LEVEL: 'info' });

  it('relays the stream until stopped and checkpoints what it processed', async () => {
    const controller = new AbortController();
    const out = captureStream();
    const err = captureStream();
    const checkpointFile = join(dir, 'checkpoints.json');
    const running = consume(
      [
        '--stream',
        'ctr-prod-like',
        '--starting-position',
        'TRIM_HORIZON',
        '--window-ms',
        '0',
        '--batch-size',
        '25',
        '--checkpoint-file',
        checkpointFile
      ],
      { stdout: out.stream, stderr: err.stream, env: env(), signal: controller.signal }
    );
    await putRecords(kinesis.client, 'ctr-prod-like', readReplayFile(FIXTURE));
    const end = Date.now() + 30_000;
    while (emulator.cases.size < expected.cases && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));
    // Let the last batches checkpoint, then stop like SIGTERM would.
    await new Promise((r) => setTimeout(r, 1500));
    controller.abort();
    const code = await running;
    expect(err.text()).toBe('');
    expect(code).toBe(0);
    expect(emulator.cases.size).toBe(expected.cases);
    const logs = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.find((l) => l.message === 'consuming')).toMatchObject({
      mode: 'consume',
      stream: 'ctr-prod-like'
    });
    const stopped = logs.find((l) => l.message === 'stopped') as { consumed: number };
    expect(stopped.consumed).toBe(readReplayFile(FIXTURE).length);
    expect(logs.filter((l) => l.message === 'record parked')).toHaveLength(expected.parked);
    expect(out.text()).not.toMatch(/PRIVATE KEY|\+1555555\d{4}/);
    const checkpoints = JSON.parse(readFileSync(checkpointFile, 'utf8')) as {
      shards: Record<string, string>;
    };
    expect(Object.keys(checkpoints.shards).length).toBeGreaterThan(0);
    expect(err.text()).toBe('');
  });

  it('names every missing Salesforce setting and exits 2', async () => {
    const err = captureStream();
    const code = await consume(['--stream', 'ctr-prod-like'], {
      stdout: new PassThrough(),
      stderr: err.stream,
      env: { KINESIS_ENDPOINT: kinesis.endpoint }
    });
    expect(code).toBe(2);
    expect(err.text()).toMatch(/SF_AUTH_FLOW/);
    expect(err.text()).toMatch(/SF_LOGIN_URL/);
    expect(err.text()).toMatch(/SF_CLIENT_ID/);
  });

  it('fails clearly when the stream does not exist', async () => {
    const err = captureStream();
    const code = await consume(['--stream', 'no-such-stream'], {
      stdout: new PassThrough(),
      stderr: err.stream,
      env: env()
    });
    expect(code).toBe(1);
    expect(err.text()).toMatch(/cannot read stream no-such-stream/);
  });

  it('validates its arguments and the endpoint', async () => {
    const err = captureStream();
    const io = { stdout: new PassThrough(), stderr: err.stream, env: {} };
    expect(await consume([], io)).toBe(2);
    expect(err.text()).toMatch(/--stream is required/);
    expect(await consume(['--stream', 's', '--batch-size', '0'], io)).toBe(2);
    expect(await consume(['--stream', 's', '--starting-position', 'AT_TIMESTAMP'], io)).toBe(2);
    expect(
      await consume(['--stream', 's'], { ...io, env: { KINESIS_ENDPOINT: 'http://kinesis.example.com' } })
    ).toBe(2);
    expect(err.text()).toMatch(/KINESIS_ENDPOINT must use https/);
    expect(checkKinesisEndpoint('https://kinesis.us-east-1.amazonaws.com/')).toBe(
      'https://kinesis.us-east-1.amazonaws.com'
    );
    expect(checkKinesisEndpoint('http://localhost:4567')).toBe('http://localhost:4567');
    const out = captureStream();
    expect(await consume(['--help'], { ...io, stdout: out.stream })).toBe(0);
    expect(out.text()).toMatch(/Usage: ctr-relay consume/);
  });
});
