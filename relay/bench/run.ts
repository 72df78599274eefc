/**
 * `npm run bench`: how fast the relay is, and why bulk matters.
 *
 * 1. Pure steps (decode → classify → map) over realistic simulated traffic: records per second.
 * 2. End to end: createRelay().processEvent on Kinesis-shaped batches against the local org emulator on 127.0.0.1
 *    (real JWT bearer, real HTTP): batches per second, HTTP requests per batch, token requests across batches.
 * 3. Bulk versus one request per record (the blog's pattern, minus the login per call) for the same 200 drops.
 *
 * Numbers depend on the machine; the request counts do not. Prints a table, then one JSON line.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { request } from 'undici';
import { classify } from '../src/classify';
import { loadConfig } from '../src/config';
import { decodeKinesisRecord } from '../src/decode';
import { createLogger } from '../src/logger';
import { DEFAULT_POLICY } from '../src/policy';
import { toDisconnectRecord } from '../src/record';
import { createRelay } from '../src/relay';
import { CONTRACT_PATH, startOrgEmulator } from '../local/org-emulator';
import { CtrSimulator } from '../local/simulator';

const CLIENT_ID = 'bench-client';
const USERNAME = 'bench@local.emulator';

function kinesisRecord(data: string, sequence: number): KinesisStreamRecord {
  const sequenceNumber = String(49_000_000_000 + sequence);
  return {
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::111122223333:role/bench',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:111122223333:stream/bench',
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: String(sequence),
      sequenceNumber,
      data: Buffer.from(data).toString('base64'),
      approximateArrivalTimestamp: Date.now() / 1000
    }
  };
}

function simulatedRecords(count: number, seed: number, onlyDrops = false): KinesisStreamRecord[] {
  const simulator = new CtrSimulator({ seed });
  const records: KinesisStreamRecord[] = [];
  while (records.length < count) {
    const next = simulator.next();
    if (onlyDrops && next.expect !== 'case') continue;
    records.push(kinesisRecord(next.data, records.length));
  }
  return records;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timeIt(runs: number, body: () => Promise<void> | void): Promise<number> {
  await body(); // warm-up: JIT, connection pool, token cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await body();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
}

async function main(): Promise<void> {
  // 1. Pure steps.
  const mixed = simulatedRecords(20_000, 7);
  let forwarded = 0;
  const pureMs = await timeIt(5, () => {
    forwarded = 0;
    for (const record of mixed) {
      const decoded = decodeKinesisRecord(record);
      if (!decoded.ok) continue;
      const verdict = classify(decoded.ctr, DEFAULT_POLICY);
      if (verdict.forward) {
        toDisconnectRecord(decoded.ctr, verdict, DEFAULT_POLICY);
        forwarded++;
      }
    }
  });

  // 2. End to end against the org emulator.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const emulator = await startOrgEmulator({
    clientId: CLIENT_ID,
    username: USERNAME,
    jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString()
  });
  const config = loadConfig({
    SF_AUTH_FLOW: 'jwt',
    SF_LOGIN_URL: emulator.url,
    SF_CLIENT_ID: CLIENT_ID,
    SF_USERNAME: USERNAME,
    SF_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    LOG_LEVEL: 'silent'
  });
  const relay = createRelay(config, { logger: createLogger({ level: 'silent' }) });
  const batchSize = 1000;
  let seed = 100;
  const apiCallsBefore = emulator.stats.disconnectRequests;
  const tokenCallsBefore = emulator.stats.tokenRequests;
  let batches = 0;
  const batchMs = await timeIt(5, async () => {
    const event: KinesisStreamEvent = { Records: simulatedRecords(batchSize, seed++, true) };
    const report = await relay.processEvent(event, Date.now() + 60_000);
    if (report.batchItemFailures.length > 0) throw new Error('bench batch reported failures');
    batches++;
  });
  const requestsPerBatch = (emulator.stats.disconnectRequests - apiCallsBefore) / batches;
  const tokenRequests = emulator.stats.tokenRequests - tokenCallsBefore;

  // 3. Bulk versus one request per record: fresh drops every run (so every run creates Cases), same token.
  const token = await relay.tokens.getToken();
  const freshDrops = (): unknown[] =>
    simulatedRecords(200, seed++, true).flatMap((r) => {
      const decoded = decodeKinesisRecord(r);
      if (!decoded.ok) return [];
      return [toDisconnectRecord(decoded.ctr, classify(decoded.ctr, DEFAULT_POLICY), DEFAULT_POLICY)];
    });
  const post = async (records: unknown[]): Promise<void> => {
    const response = await request(token.instanceUrl + CONTRACT_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records })
    });
    await response.body.text();
  };
  // Generated before timing so that only HTTP + the emulator's upsert are measured.
  const bulkSets = Array.from({ length: 6 }, freshDrops);
  const singleSets = Array.from({ length: 4 }, freshDrops);
  const bulkMs = await timeIt(5, () => post(bulkSets.pop() ?? []));
  const oneByOneMs = await timeIt(3, async () => {
    for (const record of singleSets.pop() ?? []) await post([record]);
  });

  await relay.close();
  await emulator.stop();

  const result = {
    pureRecordsPerSecond: Math.round((mixed.length / pureMs) * 1000),
    pureForwardedShare: Number((forwarded / mixed.length).toFixed(3)),
    endToEndBatchMs: Number(batchMs.toFixed(1)),
    endToEndRecordsPerSecond: Math.round((batchSize / batchMs) * 1000),
    httpRequestsPerBatchOf1000Drops: requestsPerBatch,
    tokenRequestsForAllBatches: tokenRequests,
    bulk200Ms: Number(bulkMs.toFixed(1)),
    oneByOne200Ms: Number(oneByOneMs.toFixed(1)),
    bulkSpeedup: Number((oneByOneMs / bulkMs).toFixed(1))
  };
  console.log('relay benchmark (median of repeated runs, after a warm-up)');
  console.table({
    'decode+classify+map, 20k mixed CTRs': `${result.pureRecordsPerSecond} records/s`,
    'processEvent, 1000 drops, emulator': `${result.endToEndBatchMs} ms/batch (${result.endToEndRecordsPerSecond} records/s)`,
    'HTTP requests per 1000-drop batch': String(result.httpRequestsPerBatchOf1000Drops),
    'token requests, all batches': String(result.tokenRequestsForAllBatches),
    '200 drops, one bulk request': `${result.bulk200Ms} ms`,
    '200 drops, one request each': `${result.oneByOne200Ms} ms (${result.bulkSpeedup}x slower)`
  });
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
