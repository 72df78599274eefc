/**
 * The whole pipeline on one machine: embedded Kinesis → the relay (its real createRelay, real JWT bearer auth and
 * HTTP client) driven by the Lambda-like consumer → the Salesforce org emulator → console preview.
 * Used by `npm start` (start.ts), the e2e test and the browser test. Everything listens on 127.0.0.1 only.
 */
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import type { ParkSink } from '../src/park';
import { deadlineFor } from '../src/handler';
import { createRelay, type Relay } from '../src/relay';
import { startEventSourceMapping, type EventSourceMapping } from './consumer';
import { startLocalKinesis, type LocalKinesis } from './kinesis-local';
import { startOrgEmulator, type OrgEmulator } from './org-emulator';
import { putRecords, type StreamRecord } from './kinesis-put';

export const LOCAL_CLIENT_ID = '3MVG9.LOCAL.EMULATOR.CONSUMER.KEY';
export const LOCAL_USERNAME = 'ctr-relay@local.emulator';

export interface LocalStackOptions {
  /** Port of the org emulator (+ console preview); 0 = any free port. */
  port?: number;
  kinesisPort?: number;
  streamName?: string;
  shards?: number;
  batchSize?: number;
  windowMs?: number;
  /** Delay between polls of an idle shard. */
  pollIntervalMs?: number;
  /** Serve the console preview (bundles the worklist LWC; takes a few seconds). */
  preview?: boolean;
  /** Relay log level (the relay's JSON logs go to relay.log in the run directory). */
  logLevel?: string;
  /**
   * Where logs, parked records and on-failure records go. Default: a new temp directory, removed by stop() (the
   * stack leaves nothing behind); a directory given here is kept.
   */
  runDir?: string;
  /**
   * Cases the org emulator keeps in memory (oldest forgotten first); default all, since the end-state check of
   * `npm start --exit-when-done` looks at every dropped contact's Case.
   */
  maxCases?: number;
  /** Extra relay environment (e.g. RELAY_POLICY_FILE), merged into the generated local config. */
  env?: NodeJS.ProcessEnv;
}

export interface StackSummary {
  put: number;
  consumed: number;
  forwarded: number;
  /** Contacts that got through, sent to close the caller's open callbacks. */
  resolved: number;
  /** …of which closed at least one (the others had nothing to close). */
  autoClosed: number;
  skipped: number;
  duplicatesInBatch: number;
  sent: number;
  casesCreated: number;
  casesUpdated: number;
  unchanged: number;
  stale: number;
  rejected: number;
  /** Distinct records parked (a retried batch may park the same record again). */
  parked: number;
  /** Records the relay handed back for retry (batchItemFailures). */
  retriedRecords: number;
  retriedBatches: number;
  discarded: number;
  apiCalls: number;
  tokenRequests: number;
  cases: number;
  backlog: number;
  lagMs: number;
}

export interface LocalStack {
  readonly emulator: OrgEmulator;
  readonly kinesis: LocalKinesis;
  readonly mapping: EventSourceMapping;
  readonly relay: Relay;
  readonly streamName: string;
  readonly runDir: string;
  readonly previewUrl: string | undefined;
  /** Why the console preview could not be built, when it was asked for. */
  readonly previewError: string | undefined;
  readonly batchSize: number;
  readonly windowMs: number;
  /** Distinct parked records (by sequence number). */
  parkedCount(): number;
  /** Puts records into the stream; resolves to the number stored. */
  put(records: readonly StreamRecord[]): Promise<number>;
  summary(): StackSummary;
  /** Resolves true once everything put so far has been consumed (checkpointed); false on timeout or once stopped. */
  waitUntilConsumed(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Parked records go to a JSON-lines file in the run directory (the local stand-in for the SQS DLQ). A record can
 * be parked twice when a batch is retried from an earlier failure, so distinct records are counted too.
 */
function fileParkSink(file: string): ParkSink & { distinct: Set<string> } {
  const distinct = new Set<string>();
  return {
    name: 'file',
    distinct,
    async park(records) {
      if (records.length > 0) appendFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      for (const r of records) distinct.add(r.sequenceNumber);
      return [];
    }
  };
}

type Stoppable = { stop(): Promise<void> };

/** The relay as the Lambda runs it, against the emulator with a JWT key pair, logging and parking to files. */
function startRelay(
  emulator: OrgEmulator,
  privateKeyPem: string,
  runDir: string,
  options: LocalStackOptions,
  started: Stoppable[]
): { relay: Relay; parkSink: ReturnType<typeof fileParkSink> } {
  const config = loadConfig({
    LOG_LEVEL: options.logLevel ?? 'info',
    ...options.env,
    SF_AUTH_FLOW: 'jwt',
    SF_LOGIN_URL: emulator.url,
    SF_CLIENT_ID: LOCAL_CLIENT_ID,
    SF_USERNAME: LOCAL_USERNAME,
    SF_PRIVATE_KEY: privateKeyPem
  });
  const logStream: WriteStream = createWriteStream(join(runDir, 'relay.log'), { flags: 'a' });
  started.push({ stop: () => new Promise<void>((resolve) => logStream.end(() => resolve())) });
  const parkSink = fileParkSink(join(runDir, 'parked.jsonl'));
  const relay = createRelay(config, {
    logger: createLogger({
      level: config.logLevel,
      base: { component: 'ctr-relay', mode: 'local' },
      sink: (line) => logStream.write(line + '\n')
    }),
    parkSink
  });
  started.push({ stop: () => relay.close() });
  return { relay, parkSink };
}

/** Polls the stream like Lambda's event source mapping and hands each batch to the relay; sums the counts. */
async function startMapping(
  kinesis: LocalKinesis,
  relay: Relay,
  settings: {
    streamName: string;
    batchSize: number;
    windowMs: number;
    runDir: string;
    pollIntervalMs?: number;
  },
  totals: Record<string, number>
): Promise<EventSourceMapping> {
  return startEventSourceMapping({
    client: kinesis.newClient(),
    streamName: settings.streamName,
    batchSize: settings.batchSize,
    maximumBatchingWindowMs: settings.windowMs,
    startingPosition: 'TRIM_HORIZON',
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: 5,
    reportBatchItemFailures: true,
    onFailureFile: join(settings.runDir, 'on-failure.jsonl'),
    pollIntervalMs: settings.pollIntervalMs ?? 100,
    retryBackoffMs: 200,
    retryBackoffMaxMs: 5000,
    handler: async (event) => {
      // Like a Lambda with a 60 s timeout: stop retrying Salesforce 5 s before it.
      const report = await relay.processEvent(event, deadlineFor(Date.now(), 60_000, 5_000));
      for (const [k, v] of Object.entries(report.counts)) totals[k] = (totals[k] ?? 0) + v;
      return { batchItemFailures: report.batchItemFailures };
    }
  });
}

/**
 * Records already checkpointed are never read again: drops them from the in-memory stream every 2 s, so a long
 * session does not grow without bound (see LocalKinesis.trimConsumed).
 */
function trimConsumedRecords(
  kinesis: LocalKinesis,
  streamName: string,
  mapping: EventSourceMapping
): Stoppable {
  let trimming = false;
  const timer = setInterval(() => {
    if (trimming) return;
    trimming = true;
    kinesis
      .trimConsumed(streamName, mapping.checkpoints())
      .catch(() => undefined)
      .finally(() => (trimming = false));
  }, 2000);
  timer.unref();
  return { stop: async () => clearInterval(timer) };
}

/** Serves the console preview from the emulator; when the component does not compile, says why it is off. */
async function servePreview(
  emulator: OrgEmulator
): Promise<{ previewUrl: string | undefined; previewError: string | undefined }> {
  try {
    // Loaded lazily: the bundler is only needed when the preview is on.
    const { buildPreview } = await import('./preview/build');
    const assets = await buildPreview();
    for (const [path, asset] of Object.entries(assets)) {
      emulator.setStaticRoute(path, asset.contentType, asset.body);
    }
    return { previewUrl: `${emulator.url}/preview/`, previewError: undefined };
  } catch (e) {
    // The pipeline is still worth running without it.
    const errors = (e as { errors?: { text: string }[] }).errors;
    return {
      previewUrl: undefined,
      previewError: errors?.map((x) => x.text).join('; ') || (e as Error).message
    };
  }
}

function summarize(
  putCount: number,
  totals: Readonly<Record<string, number>>,
  emulator: OrgEmulator,
  mapping: EventSourceMapping,
  parked: number
): StackSummary {
  const t = (k: string): number => totals[k] ?? 0;
  return {
    put: putCount,
    consumed: mapping.stats.consumed,
    forwarded: t('forwarded'),
    resolved: t('resolved'),
    autoClosed: t('autoClosed'),
    skipped: t('skipped'),
    duplicatesInBatch: t('duplicates'),
    sent: t('sent'),
    casesCreated: emulator.stats.created,
    casesUpdated: emulator.stats.updated,
    unchanged: emulator.stats.unchanged,
    stale: emulator.stats.stale,
    rejected: t('rejected'),
    parked,
    retriedRecords: t('failed'),
    retriedBatches: mapping.stats.retries,
    discarded: mapping.stats.discarded,
    apiCalls: emulator.stats.apiCalls,
    tokenRequests: emulator.stats.tokenRequests,
    // Every Case the emulator created, including those it no longer keeps in memory.
    cases: emulator.cases.size + emulator.archived.size,
    backlog: Math.max(0, putCount - mapping.stats.consumed),
    lagMs: mapping.lagMs()
  };
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const streamName = options.streamName ?? 'connect-ctr-local';
  const batchSize = options.batchSize ?? 100;
  const windowMs = options.windowMs ?? 500;
  const runDir = options.runDir ?? mkdtempSync(join(tmpdir(), 'ctr-relay-local-'));
  const started: Stoppable[] = [];
  if (!options.runDir) started.push({ stop: async () => rmSync(runDir, { recursive: true, force: true }) });
  let stopped = false;
  const stopAll = async (): Promise<void> => {
    stopped = true;
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
  };

  try {
    // A fresh key pair per run: the relay signs JWT bearer assertions, the emulator verifies them (the real path).
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const emulator = await startOrgEmulator({
      port: options.port ?? 0,
      clientId: LOCAL_CLIENT_ID,
      username: LOCAL_USERNAME,
      jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      maxCases: options.maxCases
    });
    started.push(emulator);
    const kinesis = await startLocalKinesis(options.kinesisPort ?? 0);
    started.push(kinesis);
    await kinesis.createStream(streamName, options.shards ?? 2);

    const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { relay, parkSink } = startRelay(emulator, privateKeyPem, runDir, options, started);
    const totals: Record<string, number> = {};
    const mapping = await startMapping(
      kinesis,
      relay,
      { streamName, batchSize, windowMs, runDir, pollIntervalMs: options.pollIntervalMs },
      totals
    );
    started.push(mapping);
    started.push(trimConsumedRecords(kinesis, streamName, mapping));
    const preview = options.preview
      ? await servePreview(emulator)
      : { previewUrl: undefined, previewError: undefined };

    const producer = kinesis.newClient();
    let putCount = 0;
    return {
      emulator,
      kinesis,
      mapping,
      relay,
      streamName,
      runDir,
      ...preview,
      batchSize,
      windowMs,
      parkedCount: () => parkSink.distinct.size,
      put: async (records) => {
        const n = await putRecords(producer, streamName, records);
        putCount += n;
        return n;
      },
      summary: () => summarize(putCount, totals, emulator, mapping, parkSink.distinct.size),
      waitUntilConsumed: async (timeoutMs) => {
        const end = Date.now() + timeoutMs;
        while (mapping.stats.consumed < putCount) {
          // A stopped stack consumes nothing more: waiting on would keep the process alive until the timeout.
          if (stopped || Date.now() > end) return false;
          await new Promise((r) => setTimeout(r, 50));
        }
        return true;
      },
      stop: stopAll
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
