/**
 * `ctr-relay consume` as an operator runs it: durable checkpoints by default (a restart loses nothing), TRIM_HORIZON
 * without a checkpoint, SIGTERM honoured while still connecting, and Kinesis calls that time out.
 */
import { GetRecordsCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { consume, kinesisRequestHandler } from '../../local/consume';
import { defaultCheckpointFile } from '../../local/checkpoints';
import type { LocalKinesis } from '../../local/kinesis-local';
import type { OrgEmulator } from '../../local/org-emulator';
import { startLocalRig, type LocalRig } from '../support/local-rig';
import { CtrSimulator, putRecords } from '../../local/simulator';

jest.setTimeout(90_000);

/** Accepts connections and requests, never answers. */
async function silentServer(): Promise<{ url: string; server: Server }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const stopServer = async (server: Server): Promise<void> => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
};

describe('ctr-relay consume: restarts, signals, timeouts', () => {
  let kinesis: LocalKinesis;
  let emulator: OrgEmulator;
  let dir: string;
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });

  let rig: LocalRig;

  beforeAll(async () => {
    rig = await startLocalRig(keys, 'consume-extra-');
    ({ kinesis, emulator, dir } = rig);
  });
  afterAll(() => rig.stop());

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv =>
    rig.env({ LOG_LEVEL: 'warn', XDG_STATE_HOME: join(dir, 'state'), ...extra });

  async function runUntil(done: () => boolean, args: string[], e = env()): Promise<number> {
    const controller = new AbortController();
    const running = consume(['--window-ms', '0', '--batch-size', '10', ...args], {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      env: e,
      signal: controller.signal
    });
    const end = Date.now() + 30_000;
    while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    return running;
  }

  it('keeps durable checkpoints by default and starts at TRIM_HORIZON: stopped and restarted, it loses nothing', async () => {
    await kinesis.createStream('restart', 1);
    const sim = new CtrSimulator({ seed: 5 });
    const firstHalf = sim.take(40);
    // Put before the consumer starts: TRIM_HORIZON (the default) must still see them.
    await putRecords(kinesis.client, 'restart', firstHalf);
    const expected = (): number => sim.expectedCases().length;
    const casesOf = (): number => emulator.cases.size;
    const before = casesOf();
    expect(await runUntil(() => casesOf() - before >= expected(), ['--stream', 'restart'])).toBe(0);
    const file = defaultCheckpointFile(env(), 'us-east-1', 'restart');
    expect(existsSync(file)).toBe(true);

    // While it is down, more traffic arrives; the restart resumes after its checkpoint.
    await putRecords(kinesis.client, 'restart', sim.take(40));
    const requestsBefore = emulator.stats.recordsReceived;
    expect(await runUntil(() => casesOf() - before >= expected(), ['--stream', 'restart'])).toBe(0);
    for (const c of sim.expectedCases()) {
      expect(emulator.cases.get(c.contactId.toLowerCase())?.record.lastUpdated).toBe(c.lastUpdated);
    }
    // Only the new records were sent again (not the whole stream from the start).
    expect(emulator.stats.recordsReceived - requestsBefore).toBeLessThanOrEqual(40);
  });

  it('stops at SIGTERM (here: its signal) while still connecting to a Kinesis endpoint that never answers', async () => {
    const { url, server } = await silentServer();
    const controller = new AbortController();
    const started = Date.now();
    const running = consume(['--stream', 'any'], {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      env: env({ KINESIS_ENDPOINT: url }),
      signal: controller.signal
    });
    await new Promise((r) => setTimeout(r, 500));
    controller.abort();
    expect(await running).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    await stopServer(server);
  });

  it('times out a Kinesis call on a connection that never answers (throwOnRequestTimeout)', async () => {
    const { url, server } = await silentServer();
    const client = new KinesisClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: kinesisRequestHandler({ connectionTimeout: 1_000, requestTimeout: 300 }),
      maxAttempts: 1
    });
    await expect(client.send(new GetRecordsCommand({ ShardIterator: 'x' }))).rejects.toMatchObject({
      name: 'TimeoutError'
    });
    client.destroy();
    await stopServer(server);
  });
});
