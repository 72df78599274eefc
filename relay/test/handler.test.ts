/**
 * The Lambda handler on Kinesis events, end to end: cold-start configuration (environment + Secrets Manager),
 * the fake org over real HTTP, the SQS dead-letter queue, and the batchItemFailures Lambda receives.
 */
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { Agent } from 'undici';
import { ConfigError } from '../src/config';
import {
  createHandler,
  deadlineFor,
  SAFETY_MARGIN_MS,
  type HandlerOptions,
  type KinesisHandler
} from '../src/handler';
import type { SecretReader } from '../src/secrets';
import type { FakeSalesforce } from './support/fakeSalesforce';
import { FakeSqs } from './support/fakeSqs';
import {
  abandonedCtr,
  type CapturedLogger,
  captureLogger,
  CLIENT_ID,
  CLIENT_SECRET,
  fakeSleep,
  handlerEnv,
  kinesisEvent,
  kinesisRecord,
  referenceBatch,
  rsaKeys,
  startFakeOrgSession,
  stopFakeOrgSession
} from './support/kit';

function context(remainingMs = 60_000): Context {
  return {
    awsRequestId: 'req-1',
    functionName: 'ctr-relay',
    getRemainingTimeInMillis: () => remainingMs
  } as unknown as Context;
}

const drop = (contactId: string) => abandonedCtr({ ContactId: contactId });

/**
 * Secrets Manager holding this kit's private key; read number `read` (from 1) fails with the message
 * `failure(read)` returns, if any.
 */
function keySecret(failure: (read: number) => string | undefined): {
  secrets: SecretReader;
  reads: () => number;
} {
  let reads = 0;
  const secrets: SecretReader = {
    send: (async () => {
      reads += 1;
      const message = failure(reads);
      if (message !== undefined) throw new Error(message);
      return { SecretString: JSON.stringify({ privateKey: rsaKeys().privateKeyPem }) };
    }) as unknown as SecretReader['send']
  };
  return { secrets, reads: () => reads };
}

describe('Lambda handler', () => {
  let sf: FakeSalesforce;
  let dispatcher: Agent;
  let logger: CapturedLogger;

  beforeEach(async () => {
    ({ sf, dispatcher } = await startFakeOrgSession({ clientCredentials: true }));
    logger = captureLogger();
  });
  afterEach(() => stopFakeOrgSession({ sf, dispatcher }));

  function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return handlerEnv(sf, { RELAY_POLICY: '{"attributeAllowlist": ["intent"]}', ...extra });
  }

  function make(options: HandlerOptions = {}) {
    return createHandler({
      env: env(),
      ...options,
      deps: { logger, dispatcher, sleep: fakeSleep().sleep, ...options.deps }
    });
  }

  const expectLogged = (fields: Record<string, unknown>): void =>
    expect(logger.lines).toContainEqual(expect.objectContaining(fields));

  it('relays the reference batch and reports no failures', async () => {
    const response = await make()(referenceBatch(), context());

    expect(response).toEqual({ batchItemFailures: [] });
    expect([...sf.store.keys()]).toEqual([
      '7d1f0c3a-5b2e-4c8d-9a61-0e2b4f6a8c10',
      'c0ffee00-1234-4abc-8def-0123456789ab'
    ]);
    // Without SF_CERTIFICATE there is no expiry to publish or warn about, and nothing else to warn about.
    expect(logger.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });

  it('keeps its token across invocations (warm container)', async () => {
    const h = make();

    await h(kinesisEvent([kinesisRecord(drop('w-1'))]), context());
    await h(kinesisEvent([kinesisRecord(drop('w-2'))]), context());

    expect(sf.tokenRequests).toHaveLength(1);
    expect(sf.apiCount).toBe(2);
  });

  it('returns the sequence numbers of retryable failures only', async () => {
    sf.script.push({ status: 503 }, { status: 503 });
    const invalid = kinesisRecord('not json');
    const failing = kinesisRecord(drop('f-1'));
    const skipped = kinesisRecord(abandonedCtr({ ContactId: 's-1', Channel: 'EMAIL' }));

    const response = await make()(kinesisEvent([invalid, failing, skipped]), context());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: failing.kinesis.sequenceNumber }] });
  });

  it('stops retrying before the Lambda times out (remaining time minus the safety margin)', async () => {
    sf.script.push({ hang: true });
    const record = kinesisRecord(drop('slow'));
    const started = Date.now();

    const response = await make()(kinesisEvent([record]), context(800));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.kinesis.sequenceNumber }]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('keeps the safety margin, or a quarter of a short remaining time', () => {
    expect(deadlineFor(1_000, 60_000)).toBe(1_000 + 60_000 - SAFETY_MARGIN_MS);
    expect(deadlineFor(1_000, 8_000)).toBe(1_000 + 6_000);
    expect(deadlineFor(0, 10_000, 500)).toBe(9_500);
  });

  it('fails the invocation with every bad setting named when the configuration is invalid, at every call', async () => {
    const h = make({
      env: { SF_AUTH_FLOW: 'jwt', SF_LOGIN_URL: 'http://example.com', SF_MAX_ATTEMPTS: 'many' }
    });

    const error = await h(referenceBatch(), context()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^SF_LOGIN_URL must use https/),
      expect.stringMatching(/^SF_CLIENT_ID is required/),
      expect.stringMatching(/^SF_USERNAME is required/),
      expect.stringMatching(/^SF_PRIVATE_KEY is required/),
      expect.stringMatching(/^SF_MAX_ATTEMPTS must be an integer/)
    ]);
    await expect(h(referenceBatch(), context())).rejects.toBe(error);
    expectLogged({ level: 'error', message: 'relay initialisation failed' });
    expect(sf.apiCount).toBe(0);
  });

  it('reads the credentials from Secrets Manager at cold start, not on every invocation', async () => {
    const calls: unknown[] = [];
    const secrets: SecretReader = {
      send: (async (command: { input: unknown }) => {
        calls.push(command.input);
        return {
          SecretString: JSON.stringify({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, loginUrl: sf.url })
        };
      }) as unknown as SecretReader['send']
    };
    const h = make({
      env: {
        SF_AUTH_FLOW: 'client_credentials',
        SF_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:sf'
      },
      secrets
    });

    await h(kinesisEvent([kinesisRecord(drop('sm-1'))]), context());
    await h(kinesisEvent([kinesisRecord(drop('sm-2'))]), context());

    expect(calls).toEqual([{ SecretId: 'arn:aws:secretsmanager:us-east-1:1:secret:sf' }]);
    expect(sf.tokenRequests[0]?.form.grant_type).toBe('client_credentials');
    expect(sf.store.size).toBe(2);
  });

  it('tries Secrets Manager again on the next invocation after an outage', async () => {
    const { secrets, reads } = keySecret((read) => (read === 1 ? 'connect ECONNREFUSED' : undefined));
    const sleeps = fakeSleep();
    const h = make({
      env: env({ SF_PRIVATE_KEY: '', SF_SECRET_ARN: 'arn:sm' }),
      secrets,
      deps: { sleep: sleeps.sleep }
    });

    await expect(h(referenceBatch(), context())).rejects.toThrow('ECONNREFUSED');
    await expect(h(referenceBatch(), context())).resolves.toEqual({ batchItemFailures: [] });
    expect(reads()).toBe(2);
    // An outage is no configuration error: the next invocation tries again at once, without backing off.
    expect(sleeps.delays).toEqual([]);
    expectLogged({
      level: 'error',
      message: 'relay initialisation failed',
      error: 'connect ECONNREFUSED'
    });
  });

  it('keeps relaying with the credentials it has when a later re-read of the secret fails', async () => {
    const { secrets, reads } = keySecret((read) =>
      read > 1 ? 'Secrets Manager throttled the request' : undefined
    );
    const h = make({
      env: env({ SF_PRIVATE_KEY: '', SF_SECRET_ARN: 'arn:sm' }),
      secrets,
      secretRefreshMs: 0
    });

    await expect(h(kinesisEvent([kinesisRecord(drop('outage-1'))]), context())).resolves.toEqual({
      batchItemFailures: []
    });
    await expect(h(kinesisEvent([kinesisRecord(drop('outage-2'))]), context())).resolves.toEqual({
      batchItemFailures: []
    });

    expect(reads()).toBe(2);
    expect([...sf.store.keys()]).toEqual(['outage-1', 'outage-2']);
    expect(sf.tokenRequests).toHaveLength(1);
    expect(logger.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 're-reading the secret failed; using the credentials already loaded',
        error: 'Secrets Manager throttled the request'
      })
    ]);
  });

  it('fails the invocation with a configuration error when the private key cannot be read, at every call', async () => {
    const h = make({
      env: env({ SF_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----' })
    });

    const error = await h(referenceBatch(), context()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^the credentials could not be used: ./)
    ]);
    await expect(h(referenceBatch(), context())).rejects.toBe(error);
    expect(sf.apiCount).toBe(0);
  });

  it('parks to the SQS dead-letter queue named by DLQ_URL', async () => {
    const sqs = await new FakeSqs().start();
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_REGION: 'us-east-1'
    });
    try {
      sf.rejections.set('bad', { code: 'INVALID_FIELD', message: 'queueName too long', retryable: false });
      const h = make({ env: env({ DLQ_URL: sqs.queueUrl }) });
      const bad = kinesisRecord(drop('bad'));

      const response = await h(kinesisEvent([kinesisRecord(drop('good')), bad]), context());

      expect(response).toEqual({ batchItemFailures: [] });
      expect(sqs.messages).toEqual([
        {
          sequenceNumber: bad.kinesis.sequenceNumber,
          contactId: 'bad',
          reason: 'queueName too long',
          code: 'INVALID_FIELD',
          payload: bad.kinesis.data,
          shardId: 'shardId-000000000000'
        }
      ]);
    } finally {
      process.env = saved;
      await sqs.stop();
    }
  });

  it('reports the whole batch for retry if processing fails unexpectedly', async () => {
    const h = make({
      deps: {
        parkSink: {
          name: 'broken',
          park: async () => {
            throw new Error('bug');
          }
        }
      }
    });
    const event: KinesisStreamEvent = kinesisEvent([kinesisRecord('x'), kinesisRecord(drop('y'))]);

    const response = await h(event, context());

    expect(response.batchItemFailures).toEqual(
      event.Records.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber }))
    );
    expectLogged({
      level: 'error',
      message: 'batch processing failed unexpectedly',
      error: 'bug'
    });
  });

  it('reports nothing for retry when processing an event without Records fails unexpectedly', async () => {
    const broken = {
      ...logger,
      metrics: () => {
        throw new Error('metrics line lost');
      }
    };
    const h = make({ deps: { logger: broken } });

    const response = await h({} as KinesisStreamEvent, context());

    expect(response).toEqual({ batchItemFailures: [] });
    expectLogged({
      level: 'error',
      message: 'batch processing failed unexpectedly',
      error: 'metrics line lost'
    });
  });

  it('backs off after a 403 or 404 instead of spinning, and resets after a success', async () => {
    const sleeps = fakeSleep();
    const h = make({ deps: { sleep: sleeps.sleep } });
    sf.script.push({ status: 403 }, { status: 404 }, { status: 403 });
    const event = kinesisEvent([kinesisRecord(drop('forbidden'))]);

    for (let i = 0; i < 3; i += 1) expect((await h(event, context())).batchItemFailures).toHaveLength(1);
    await h(event, context());
    await h(event, context());

    expect(sleeps.delays).toEqual([1_000, 2_000, 4_000]);
    expect(sf.store.has('forbidden')).toBe(true);
  });

  it('exports a ready handler that validates process.env on first use', async () => {
    const saved = { ...process.env };
    process.env.LOG_LEVEL = 'silent';
    let handler: KinesisHandler | undefined;
    let configError: unknown;
    await jest.isolateModulesAsync(async () => {
      // Loaded fresh so its module-scope logger sees LOG_LEVEL; ConfigError from the same module instance.
      handler = (await import('../src/handler')).handler;
      configError = (await import('../src/config')).ConfigError;
    });
    try {
      await expect(handler?.(kinesisEvent([]), context())).rejects.toBeInstanceOf(
        configError as typeof ConfigError
      );
    } finally {
      process.env = saved;
    }
  });
});
