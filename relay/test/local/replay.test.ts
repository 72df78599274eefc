/**
 * Salesforce down for longer than the retry budget: the consumer discards the batches to its on-failure file;
 * `ctr-relay replay` brings every drop back once Salesforce is up again, and running it twice changes nothing.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startEventSourceMapping } from '../../local/consumer';
import type { LocalKinesis } from '../../local/kinesis-local';
import type { OrgEmulator } from '../../local/org-emulator';
import { startLocalRig, type LocalRig } from '../support/local-rig';
import { readOnFailureFile } from '../../local/replay';
import { replay } from '../../local/replay-command';
import { CtrSimulator, putRecords } from '../../local/simulator';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createRelay } from '../../src/relay';

jest.setTimeout(90_000);

describe('ctr-relay replay', () => {
  let kinesis: LocalKinesis;
  let emulator: OrgEmulator;
  let dir: string;
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const env = (): NodeJS.ProcessEnv => rig.env({ SF_MAX_ATTEMPTS: '1', LOG_LEVEL: 'warn' });

  let rig: LocalRig;

  beforeAll(async () => {
    rig = await startLocalRig(keys, 'replay-');
    ({ kinesis, emulator, dir } = rig);
    await kinesis.createStream('outage', 2);
  });
  afterAll(() => rig.stop());

  it('brings back every drop of the batches discarded during the outage, once', async () => {
    const onFailureFile = join(dir, 'on-failure.jsonl');
    const sim = new CtrSimulator({ seed: 9 });
    const records = sim.take(60);
    emulator.injectFault({ kind: '503', rate: 1, target: 'all' });
    const relay = createRelay(loadConfig(env()), { logger: createLogger({ level: 'silent' }) });
    const mapping = await startEventSourceMapping({
      client: kinesis.newClient(),
      streamName: 'outage',
      batchSize: 20,
      maximumRetryAttempts: 1,
      retryBackoffMs: 10,
      pollIntervalMs: 20,
      onFailureFile,
      handler: async (event) => ({
        batchItemFailures: (await relay.processEvent(event, Date.now() + 5_000)).batchItemFailures
      })
    });
    await putRecords(kinesis.client, 'outage', records);
    while (mapping.stats.consumed < records.length) await new Promise((r) => setTimeout(r, 50));
    await mapping.stop();
    await relay.close();
    expect(mapping.stats.discarded).toBeGreaterThan(0);
    expect(emulator.cases.size).toBe(0);

    emulator.clearFaults();
    const out = new PassThrough();
    const args = ['--stream', 'outage', '--on-failure-file', onFailureFile, '--timeout-s', '60'];
    expect(await replay(args, { env: env(), stdout: out, stderr: out })).toBe(0);
    for (const c of sim.expectedCases()) {
      expect(emulator.cases.get(c.contactId.toLowerCase())?.record.lastUpdated).toBe(c.lastUpdated);
    }
    const created = emulator.stats.created;
    expect(await replay(args, { env: env(), stdout: out, stderr: out })).toBe(0);
    expect(emulator.stats.created).toBe(created);
  });

  it('reads on-failure records as written, or wrapped in SQS messages, and refuses other lines', async () => {
    const info = { shardId: 's', startSequenceNumber: '1', endSequenceNumber: '2', streamArn: 'arn' };
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ KinesisBatchInfo: info }),
        JSON.stringify({ Body: JSON.stringify({ KinesisBatchInfo: info }) })
      ].join('\n')
    );
    expect(await readOnFailureFile(file)).toEqual([info, info]);
    writeFileSync(file, '{"other":true}\n');
    await expect(readOnFailureFile(file)).rejects.toThrow(/not a Kinesis on-failure record/);
    const err = new PassThrough();
    let text = '';
    err.on('data', (c: Buffer) => (text += c.toString()));
    expect(await replay(['--stream', 'outage', '--on-failure-file', file], { env: env(), stderr: err })).toBe(
      2
    );
    expect(text).toMatch(/not a Kinesis on-failure record/);
    expect(readFileSync(file, 'utf8')).toBe('{"other":true}\n');
  });
});
