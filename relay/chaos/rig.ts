/**
 * One chaos run's machinery, all on 127.0.0.1: kinesalite, the org emulator (JWT bearer with a key pair made for
 * the run), an SQS emulator as the dead-letter queue, and the relay (its real createRelay, HTTP client and SQS
 * sink) driven by the Lambda-like consumer. Logs are captured in memory for the leak check.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { deadlineFor } from '../src/handler';
import { createLogger } from '../src/logger';
import { createSqsParkSink } from '../src/park';
import { createRelay, type Relay } from '../src/relay';
import {
  startEventSourceMapping,
  type EventSourceMapping,
  type EventSourceMappingOptions
} from '../local/consumer';
import { startLocalKinesis, type LocalKinesis } from '../local/kinesis-local';
import { startOrgEmulator, type OrgEmulator } from '../local/org-emulator';
import { putRecords } from '../local/kinesis-put';
import { SqsEmulator } from '../local/sqs-emulator';
import type { EndState } from './checks';
import type { TrafficRecord } from './traffic';

const CLIENT_ID = '3MVG9.CHAOS.CONSUMER.KEY';
const USERNAME = 'ctr-relay@chaos.local';

export interface RigOptions {
  shards: number;
  /** Consumer retries of a failing batch before it is discarded to the on-failure file. */
  maxRetries: number;
  batchSize: number;
  /** Relay attempts per chunk (SF_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Per-request timeout (SF_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** The function timeout the consumer imitates. */
  functionTimeoutMs: number;
}

export interface Rig {
  readonly emulator: OrgEmulator;
  readonly kinesis: LocalKinesis;
  readonly sqs: SqsEmulator;
  readonly stream: string;
  readonly dir: string;
  readonly onFailureFile: string;
  /** Environment for `ctr-relay consume` / `replay` against this rig. */
  readonly env: NodeJS.ProcessEnv;
  readonly logs: string[];
  /** Longest relay invocation so far (must stay within functionTimeoutMs). */
  readonly maxInvocationMs: number;
  put(records: readonly TrafficRecord[]): Promise<number>;
  /** Starts the in-process relay + consumer (not for the child-process scenario). */
  startConsumer(): Promise<EventSourceMapping>;
  consumed(): number;
  endState(): EndState;
  stop(): Promise<void>;
}

/** Events published per contact id (lower case), counted as the emulator publishes them. */
function countEventsPerContact(emulator: OrgEmulator): Map<string, number> {
  const events = new Map<string, number>();
  emulator.subscribe((e) => {
    const id = e.Connect_Contact_Id__c.toLowerCase();
    events.set(id, (events.get(id) ?? 0) + 1);
  });
  return events;
}

/** The relay's settings for this rig: JWT against the emulator, the SQS emulator as DLQ, local AWS. */
function rigEnv(
  o: RigOptions,
  parts: { emulator: OrgEmulator; kinesis: LocalKinesis; sqs: SqsEmulator; privatePem: string; dir: string }
): NodeJS.ProcessEnv {
  return {
    LOG_LEVEL: 'debug',
    SF_AUTH_FLOW: 'jwt',
    SF_LOGIN_URL: parts.emulator.url,
    SF_CLIENT_ID: CLIENT_ID,
    SF_USERNAME: USERNAME,
    SF_PRIVATE_KEY: parts.privatePem,
    SF_MAX_ATTEMPTS: String(o.maxAttempts),
    SF_REQUEST_TIMEOUT_MS: String(o.requestTimeoutMs),
    DLQ_URL: parts.sqs.queueUrl,
    KINESIS_ENDPOINT: parts.kinesis.endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    XDG_STATE_HOME: join(parts.dir, 'state'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'
  };
}

/** The real relay from `env`, logging into `logs`, parking through its own SQS sink. */
function chaosRelay(env: NodeJS.ProcessEnv, sqs: SqsEmulator, logs: string[]): Relay {
  const config = loadConfig(env);
  const logger = createLogger({ level: 'debug', sink: (line) => void logs.push(line) });
  return createRelay(config, {
    logger,
    // The relay's own SQS sink, with the rig's local credentials (never the machine's AWS profile).
    parkSink: createSqsParkSink({
      queueUrl: sqs.queueUrl,
      logger,
      clientConfig: {
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' }
      }
    }),
    backoff: { baseDelayMs: 20, maxDelayMs: 200 }
  });
}

/** The consumer's settings: short waits, bisect on, and a Lambda-like handler that times each invocation. */
function chaosMappingOptions(
  o: RigOptions,
  target: { kinesis: LocalKinesis; stream: string; onFailureFile: string; relay: Relay },
  onInvocation: (ms: number) => void
): EventSourceMappingOptions {
  const { relay } = target;
  return {
    client: target.kinesis.newClient(),
    streamName: target.stream,
    batchSize: o.batchSize,
    maximumBatchingWindowMs: 50,
    startingPosition: 'TRIM_HORIZON',
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: o.maxRetries,
    reportBatchItemFailures: true,
    onFailureFile: target.onFailureFile,
    pollIntervalMs: 50,
    retryBackoffMs: 50,
    retryBackoffMaxMs: 400,
    handler: async (event) => {
      const now = Date.now();
      const report = await relay.processEvent(event, deadlineFor(now, o.functionTimeoutMs), {
        parkDeadlineMs: now + o.functionTimeoutMs - 200
      });
      onInvocation(Date.now() - now);
      return { batchItemFailures: report.batchItemFailures };
    }
  };
}

export async function startRig(o: RigOptions): Promise<Rig> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const dir = mkdtempSync(join(tmpdir(), 'ctr-relay-chaos-'));
  const stoppers: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
  };
  try {
    const emulator = await startOrgEmulator({
      clientId: CLIENT_ID,
      username: USERNAME,
      jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString()
    });
    stoppers.push(() => emulator.stop());
    const events = countEventsPerContact(emulator);
    const kinesis = await startLocalKinesis();
    stoppers.push(() => kinesis.stop());
    const stream = 'ctr-chaos';
    await kinesis.createStream(stream, o.shards);
    const sqs = await new SqsEmulator().start();
    stoppers.push(() => sqs.stop());
    const onFailureFile = join(dir, 'on-failure.jsonl');
    const env = rigEnv(o, { emulator, kinesis, sqs, privatePem, dir });
    const logs: string[] = [];
    let relay: Relay | undefined;
    let mapping: EventSourceMapping | undefined;
    stoppers.push(async () => {
      await mapping?.stop();
      await relay?.close();
    });
    const producer = kinesis.newClient();
    let maxInvocationMs = 0;
    return {
      get maxInvocationMs() {
        return maxInvocationMs;
      },
      emulator,
      kinesis,
      sqs,
      stream,
      dir,
      onFailureFile,
      env,
      logs,
      put: (records) => putRecords(producer, stream, records),
      async startConsumer() {
        relay = chaosRelay(env, sqs, logs);
        mapping = await startEventSourceMapping(
          chaosMappingOptions(o, { kinesis, stream, onFailureFile, relay }, (ms) => {
            maxInvocationMs = Math.max(maxInvocationMs, ms);
          })
        );
        return mapping;
      },
      consumed: () => mapping?.stats.consumed ?? 0,
      endState: () => ({
        cases: emulator.cases,
        eventsPerContact: events,
        created: emulator.stats.created,
        parked: sqs.messages,
        captured: [...logs, ...sqs.messages.map((m) => JSON.stringify(m))].join('\n'),
        secrets: [privatePem.split('\n')[1] ?? privatePem, '!EMU.']
      }),
      stop
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

export function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
  } catch {
    return [];
  }
}
