/** Shared builders for the relay tests: keys, configs, CTRs, Kinesis events, a capturing logger, a fake sleep. */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { Agent } from 'undici';
import type { ClientCredentialsAuthConfig, JwtAuthConfig, RelayConfig } from '../../src/config';
import type { ContactTraceRecord } from '../../src/ctr';
import { createLogger, type Logger } from '../../src/logger';
import { DEFAULT_POLICY } from '../../src/policy';
import { TokenProvider } from '../../src/salesforce/auth';
import { SalesforceClient, type SalesforceClientOptions } from '../../src/salesforce/client';
import type { DisconnectRecord } from '../../src/types';
import { DISCONNECTS_PATH, FakeSalesforce } from './fakeSalesforce';

export const FIXTURES = join(__dirname, '..', 'fixtures');
export const CLIENT_ID = '3MVG9fake.consumer.key';
export const USERNAME = 'relay@example.com.integration';
export const CLIENT_SECRET = 'fake-client-secret-0123456789';

/** ConnectDisconnectContract.json: the examples both the relay and the Apex tests run against. */
export const CONTRACT_FILE = join(
  __dirname,
  '..',
  '..',
  '..',
  'force-app',
  'main',
  'default',
  'staticresources',
  'ConnectDisconnectContract.json'
);

export function readContract<T>(): T {
  return JSON.parse(readFileSync(CONTRACT_FILE, 'utf8')) as T;
}

/** A stream a command writes its stdout or stderr to, keeping the text written. */
export interface CapturedStream {
  stream: PassThrough;
  text(): string;
}

export function captureStream(): CapturedStream {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return { stream, text: () => text };
}

let cachedKeys: { privateKeyPem: string; publicKey: KeyObject } | undefined;

/** One RSA key pair per test file (generation is the slow part). */
export function rsaKeys(): { privateKeyPem: string; publicKey: KeyObject } {
  if (!cachedKeys) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    cachedKeys = { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
  }
  return cachedKeys;
}

/**
 * A self-signed certificate of `privateKeyPem`, valid for `days` from now, made with openssl as an operator would
 * (in a temporary folder, removed afterwards).
 */
export function selfSignedCertificate(privateKeyPem: string, days: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'relay-cert-'));
  try {
    writeFileSync(join(dir, 'key.pem'), privateKeyPem);
    execFileSync('openssl', [
      'req',
      '-x509',
      '-new',
      '-key',
      join(dir, 'key.pem'),
      '-subj',
      '/CN=relay',
      '-days',
      String(days),
      '-out',
      join(dir, 'cert.pem')
    ]);
    return readFileSync(join(dir, 'cert.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A fake org on 127.0.0.1 that lets this kit's JWT user in (key pair from rsaKeys()); with clientCredentials it
 * also accepts CLIENT_ID + CLIENT_SECRET.
 */
export function startFakeSalesforce(flows: { clientCredentials?: boolean } = {}): Promise<FakeSalesforce> {
  return new FakeSalesforce({
    clientId: CLIENT_ID,
    username: USERNAME,
    publicKey: rsaKeys().publicKey,
    ...(flows.clientCredentials ? { clientSecret: CLIENT_SECRET } : {})
  }).start();
}

/** What most relay tests talk to: a fake org on 127.0.0.1 and a keep-alive connection pool for it. */
export interface FakeOrgSession {
  sf: FakeSalesforce;
  dispatcher: Agent;
}

export async function startFakeOrgSession(
  flows: { clientCredentials?: boolean } = {}
): Promise<FakeOrgSession> {
  return { sf: await startFakeSalesforce(flows), dispatcher: new Agent({ keepAliveTimeout: 1_000 }) };
}

export async function stopFakeOrgSession(session: FakeOrgSession): Promise<void> {
  await session.dispatcher.destroy();
  await session.sf.stop();
}

/**
 * The client tests' SalesforceClient: this kit's JWT user against the session's org, 2 s timeouts, 4 attempts, and
 * a back-off with its jitter fixed at the middle.
 */
export function sessionClient(
  session: FakeOrgSession,
  sleep: (ms: number) => Promise<void>,
  overrides: Partial<SalesforceClientOptions> = {}
): SalesforceClient {
  const { sf, dispatcher } = session;
  return new SalesforceClient({
    tokens: new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000, dispatcher }),
    endpointPath: DISCONNECTS_PATH,
    requestTimeoutMs: 2_000,
    maxAttempts: 4,
    dispatcher,
    sleep,
    backoff: { baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5 },
    ...overrides
  });
}

/** The Lambda handler's settings for this kit's JWT user against `sf`, two attempts per chunk. */
export function handlerEnv(sf: FakeSalesforce, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    SF_AUTH_FLOW: 'jwt',
    SF_LOGIN_URL: sf.url,
    SF_CLIENT_ID: CLIENT_ID,
    SF_USERNAME: USERNAME,
    SF_PRIVATE_KEY: rsaKeys().privateKeyPem,
    SF_MAX_ATTEMPTS: '2',
    ...extra
  };
}

/** A valid "abandoned in queue" DisconnectRecord as the relay sends it, with overrides. */
export function disconnectRecord(
  contactId: string,
  overrides: Partial<DisconnectRecord> = {}
): DisconnectRecord {
  return {
    contactId,
    action: 'callback',
    lastUpdated: '2024-05-14T09:17:30Z',
    initiatedAt: '2024-05-14T09:12:03Z',
    disconnectedAt: '2024-05-14T09:16:41Z',
    channel: 'VOICE',
    initiationMethod: 'INBOUND',
    disconnectReason: 'CUSTOMER_DISCONNECT',
    category: 'ABANDONED_IN_QUEUE',
    customerPhone: '+15555550142',
    phoneSource: 'CALLER_ID',
    queueName: 'BasicQueue',
    queueWaitSeconds: 251,
    previousContactId: null,
    instanceArn: null,
    attributes: {},
    ...overrides
  };
}

export function jwtAuth(sf: FakeSalesforce): JwtAuthConfig {
  return {
    flow: 'jwt',
    loginUrl: sf.url,
    clientId: CLIENT_ID,
    username: USERNAME,
    privateKey: rsaKeys().privateKeyPem
  };
}

export function clientCredentialsAuth(sf: FakeSalesforce): ClientCredentialsAuthConfig {
  return { flow: 'client_credentials', loginUrl: sf.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
}

export function relayConfig(sf: FakeSalesforce, overrides: Partial<RelayConfig> = {}): RelayConfig {
  return {
    auth: jwtAuth(sf),
    endpointPath: '/services/apexrest/connect/v1/disconnects',
    requestTimeoutMs: 2_000,
    maxAttempts: 3,
    dlqUrl: undefined,
    policy: { ...DEFAULT_POLICY, attributeAllowlist: ['intent'] },
    logLevel: 'debug',
    ...overrides
  };
}

export interface CapturedLogger extends Logger {
  lines: Record<string, unknown>[];
  text(): string;
}

export function captureLogger(): CapturedLogger {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    level: 'debug',
    sink: (line) => {
      raw.push(line);
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  return Object.assign(Object.create(logger) as Logger, logger, { lines, text: () => raw.join('\n') });
}

/** A sleep that records requested delays and resolves at once, so backoff is asserted without waiting. */
export function fakeSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms) => {
      delays.push(ms);
    }
  };
}

export function readFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

/** The reference Kinesis batch (all five sample CTRs), copied from /work/shared/reference. */
export function referenceBatch(): KinesisStreamEvent {
  return readFixture<KinesisStreamEvent>('reference/kinesis-event-batch.json');
}

/** The CTRs of the reference batch, decoded, by ContactId. */
export function referenceCtrs(): ContactTraceRecord[] {
  return referenceBatch().Records.map(
    (r) => JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8')) as ContactTraceRecord
  );
}

export const ABANDONED_ID = '7d1f0c3a-5b2e-4c8d-9a61-0e2b4f6a8c10';
export const IVR_DROP_ID = 'c0ffee00-1234-4abc-8def-0123456789ab';

/** The reference "abandoned in queue" CTR (251 s in BasicQueue), with overrides. */
export function abandonedCtr(overrides: Record<string, unknown> = {}): ContactTraceRecord {
  const base = referenceCtrs().find(
    (c) => c.ContactId === ABANDONED_ID && c.LastUpdateTimestamp === '2024-05-14T09:17:30Z'
  );
  if (!base) throw new Error('reference batch lacks the abandoned CTR');
  return { ...base, ...overrides };
}

let seq = 0;

export function kinesisRecord(
  data: Record<string, unknown> | string,
  sequenceNumber?: string
): KinesisStreamRecord {
  seq += 1;
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: typeof data === 'string' ? 'raw' : String(data.ContactId),
      sequenceNumber: sequenceNumber ?? `4959${String(seq).padStart(20, '0')}`,
      data:
        typeof data === 'string' && data.startsWith('b64:')
          ? data.slice(4)
          : Buffer.from(text).toString('base64'),
      approximateArrivalTimestamp: 1715678250
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${sequenceNumber ?? seq}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::111122223333:role/relay',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:111122223333:stream/ctr'
  };
}

export function kinesisEvent(records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records };
}

export function seqs(event: KinesisStreamEvent): string[] {
  return event.Records.map((r) => r.kinesis.sequenceNumber);
}

/** Resolves once `cond()` holds (checked every 20 ms); rejects after `ms`. For effects another process or socket
 * settles on its own time, such as a connection closing. */
export async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
