/**
 * The Lambda handler in a warm container while credentials change under it, against the org emulator's real
 * token endpoint (RS256 signatures checked against the app's certificates): zero-downtime key rotation with two
 * certificates on the app, rotation noticed through invalid_grant, a fixed secret picked up without a cold
 * start, back-off on failures a retry cannot fix, and the certificate-expiry metric.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { Agent } from 'undici';
import { startOrgEmulator, type OrgEmulator } from '../local/org-emulator';
import { ConfigError } from '../src/config';
import { createHandler, type HandlerOptions } from '../src/handler';
import type { ParkedRecord, ParkSink } from '../src/park';
import type { SecretReader } from '../src/secrets';
import {
  abandonedCtr,
  captureLogger,
  CLIENT_ID,
  fakeSleep,
  kinesisEvent,
  kinesisRecord,
  selfSignedCertificate,
  type CapturedLogger,
  USERNAME
} from './support/kit';

interface KeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}
function keyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString()
  };
}
const OLD = keyPair();
const NEW = keyPair();
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:relay-AbC123';

function context(remainingMs = 60_000): Context {
  return { awsRequestId: 'r', getRemainingTimeInMillis: () => remainingMs } as unknown as Context;
}
const drop = (id: string) => kinesisEvent([kinesisRecord(abandonedCtr({ ContactId: id }))]);

/** Secrets Manager as the handler sees it: the value an operator last put, and how often it was read. */
class SecretStore {
  value: Record<string, string>;
  reads = 0;
  constructor(value: Record<string, string>) {
    this.value = value;
  }
  reader(): SecretReader {
    return {
      send: (async () => {
        this.reads += 1;
        return { SecretString: JSON.stringify(this.value) };
      }) as unknown as SecretReader['send']
    };
  }
}

describe('Lambda handler: credentials changing in a warm container', () => {
  let org: OrgEmulator;
  let dispatcher: Agent;
  let logger: CapturedLogger;
  let metrics: Record<string, unknown>[];
  let clock: number;

  beforeEach(async () => {
    org = await startOrgEmulator({ clientId: CLIENT_ID, username: USERNAME, jwtPublicKey: OLD.publicKeyPem });
    dispatcher = new Agent({ keepAliveTimeout: 1_000 });
    logger = captureLogger();
    metrics = [];
    clock = Date.now();
  });
  afterEach(async () => {
    await dispatcher.destroy();
    await org.stop();
  });

  function handler(store: SecretStore, options: Partial<HandlerOptions> = {}) {
    const sleeps = fakeSleep();
    const h = createHandler({
      env: {
        SF_AUTH_FLOW: 'jwt',
        SF_LOGIN_URL: org.url,
        SF_SECRET_ARN: SECRET_ARN,
        SF_MAX_ATTEMPTS: '2',
        AWS_LAMBDA_FUNCTION_NAME: 'ctr-relay-test'
      },
      secrets: store.reader(),
      metricSink: (fields) => metrics.push(fields),
      ...options,
      deps: { logger, dispatcher, sleep: sleeps.sleep, now: () => clock, ...options.deps }
    });
    return { h, sleeps: sleeps.delays };
  }
  const secretFor = (key: KeyPair, extra: Record<string, string> = {}) => ({
    clientId: CLIENT_ID,
    username: USERNAME,
    privateKey: key.privateKeyPem,
    loginUrl: org.url,
    ...extra
  });
  const delivered = () => [...org.cases.keys()].sort();
  const retriedWithNewCredentials = () =>
    logger.lines.filter((l) => l.message === 'retrying with the re-read credentials');

  it('rotates with two certificates on the app: the new key is used after the next secret refresh, no record lost', async () => {
    const store = new SecretStore(secretFor(OLD));
    const { h } = handler(store);
    expect(await h(drop('rot-1'), context())).toEqual({ batchItemFailures: [] });

    // Step 1: the new certificate joins the old one on the app. Step 2: the secret gets the new key.
    org.setJwtCertificates([OLD.publicKeyPem, NEW.publicKeyPem]);
    store.value = secretFor(NEW);
    expect(await h(drop('rot-2'), context())).toEqual({ batchItemFailures: [] }); // old token, old key: fine
    // Step 3: wait out the refresh interval (5 min): every warm container re-reads the secret.
    clock += 5 * 60_000;
    expect(await h(drop('rot-3'), context())).toEqual({ batchItemFailures: [] });
    // Step 4: the old certificate leaves the app; sessions end. The relay signs with the new key only.
    org.setJwtCertificates([NEW.publicKeyPem]);
    org.revokeTokens();
    expect(await h(drop('rot-4'), context())).toEqual({ batchItemFailures: [] });

    expect(delivered()).toEqual(['rot-1', 'rot-2', 'rot-3', 'rot-4']);
    expect(store.reads).toBe(2);
    expect(metrics).toEqual([]); // no authentication failure at any point
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ message: 'credentials or settings changed; relay rebuilt' })
    );
  });

  it('notices a rotation through invalid_grant: re-reads the secret and delivers the same batch at once', async () => {
    const store = new SecretStore(secretFor(OLD));
    const parked: ParkedRecord[] = [];
    const parkSink: ParkSink = {
      name: 'memory',
      park: async (records) => {
        parked.push(...records);
        return [];
      }
    };
    const { h } = handler(store, { deps: { parkSink } });
    await h(drop('grant-1'), context());

    // A hasty rotation: only the new certificate on the app, the secret updated, sessions ended.
    org.setJwtCertificates([NEW.publicKeyPem]);
    store.value = secretFor(NEW);
    org.revokeTokens();
    const unreadable = kinesisRecord('not json');
    const response = await h(
      kinesisEvent([unreadable, kinesisRecord(abandonedCtr({ ContactId: 'grant-2' }))]),
      context()
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(delivered()).toEqual(['grant-1', 'grant-2']);
    expect(store.reads).toBe(2);
    // Only the record that failed is run again: the unreadable one was parked once, not a second time.
    expect(parked.map((p) => p.sequenceNumber)).toEqual([unreadable.kinesis.sequenceNumber]);
    expect(retriedWithNewCredentials()).toEqual([expect.objectContaining({ level: 'info', records: 1 })]);
    expect(metrics).toEqual([
      expect.objectContaining({
        authFailures: 1,
        Relay: 'ctr-relay-test',
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'DroppedCallCallbacks/Relay',
              Dimensions: [['Relay']],
              Metrics: [{ Name: 'authFailures', Unit: 'Count' }]
            }
          ]
        })
      })
    ]);
  });

  it('backs off while the credentials stay refused, and stops once they work again', async () => {
    const store = new SecretStore(secretFor(OLD));
    const { h, sleeps } = handler(store);
    org.setJwtCertificates([NEW.publicKeyPem]); // the app no longer knows the key in the secret
    const record = kinesisRecord(abandonedCtr({ ContactId: 'refused' }));

    for (let i = 0; i < 4; i += 1) {
      expect(await h(kinesisEvent([record]), context())).toEqual({
        batchItemFailures: [{ itemIdentifier: record.kinesis.sequenceNumber }]
      });
    }
    // Waits before invocations 2, 3 and 4, doubling; each invocation re-read the secret.
    expect(sleeps).toEqual([1_000, 2_000, 4_000]);
    expect(metrics.map((m) => m.authFailures)).toEqual([1, 1, 1, 1]);
    // The secret did not change: the batch is not run again with the same refused key (one token request each).
    expect(store.reads).toBe(5); // at cold start, then after each refusal
    expect(org.stats.tokenRequests).toBe(4);
    expect(retriedWithNewCredentials()).toEqual([]);

    store.value = secretFor(NEW);
    expect(await h(kinesisEvent([record]), context())).toEqual({ batchItemFailures: [] });
    await h(drop('after'), context());
    expect(sleeps).toEqual([1_000, 2_000, 4_000, 8_000]); // no wait once it works
    expect(delivered()).toEqual(['after', 'refused']);
  });

  it('does not run a batch again when its only failure cannot be reported, and still backs off next time', async () => {
    const store = new SecretStore(secretFor(OLD));
    const { h, sleeps } = handler(store);
    await h(drop('nothing-1'), context());
    org.setJwtCertificates([NEW.publicKeyPem]);
    store.value = secretFor(NEW);
    org.revokeTokens();
    // A record without a sequence number cannot be named in batchItemFailures: nothing is left to retry.
    const unnamed = kinesisRecord(abandonedCtr({ ContactId: 'nothing-2' }), '');

    expect(await h(kinesisEvent([unnamed]), context())).toEqual({ batchItemFailures: [] });
    expect(retriedWithNewCredentials()).toEqual([]);
    expect(delivered()).toEqual(['nothing-1']);

    await h(drop('nothing-3'), context());
    expect(sleeps).toEqual([1_000]); // the authentication failure counted
    expect(delivered()).toEqual(['nothing-1', 'nothing-3']);
  });

  it('does not rebuild its relay when the secret is saved again with its keys in another order', async () => {
    const store = new SecretStore(secretFor(OLD));
    const { h } = handler(store);
    await h(drop('order-1'), context());

    store.value = Object.fromEntries(Object.entries(secretFor(OLD)).reverse());
    clock += 5 * 60_000;
    await h(drop('order-2'), context());

    expect(store.reads).toBe(2);
    expect(delivered()).toEqual(['order-1', 'order-2']);
    expect(org.stats.tokenRequests).toBe(1); // the same relay, its token kept
    expect(logger.lines.map((l) => l.message)).not.toContain(
      'credentials or settings changed; relay rebuilt'
    );
  });

  it('does not keep a configuration error once the secret is fixed (no cold start needed)', async () => {
    const store = new SecretStore({
      clientId: CLIENT_ID,
      username: USERNAME,
      privateKey: '',
      loginUrl: org.url
    });
    const { h, sleeps } = handler(store);

    const error = await h(drop('cfg-1'), context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^SF_PRIVATE_KEY is required/)]);

    store.value = secretFor(OLD);
    expect(await h(drop('cfg-1'), context())).toEqual({ batchItemFailures: [] });
    expect(delivered()).toEqual(['cfg-1']);
    expect(sleeps).toEqual([1_000]);
  });

  it('publishes the days left on the certificate in the secret, and refuses a certificate of another key', async () => {
    const certificate = (days: number) => selfSignedCertificate(OLD.privateKeyPem, days);
    const { h } = handler(new SecretStore(secretFor(OLD, { certificate: certificate(20) })));
    await h(drop('cert-1'), context());
    // openssl counts 20 days from the second it signs; the handler's clock may be on either side of that second.
    expect(metrics).toHaveLength(1);
    expect([19, 20]).toContain((metrics[0] as { certificateDaysLeft: number }).certificateDaysLeft);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'the JWT certificate expires soon: rotate the key'
      })
    );

    const other = handler(new SecretStore(secretFor(NEW, { certificate: certificate(400) }))).h;
    const error = await other(drop('cert-2'), context()).catch((e: unknown) => e);
    expect((error as ConfigError).problems).toEqual([
      'SF_CERTIFICATE is not the certificate of SF_PRIVATE_KEY (their public keys differ)'
    ]);
  });

  it('warns from 29 days left on: not with 30 days left, nor when the certificate has longer', async () => {
    const pem = selfSignedCertificate(OLD.privateKeyPem, 30);
    const notAfterMs = Date.parse(new X509Certificate(pem).validTo);
    const expiryWarnings = () =>
      logger.lines.filter((l) => l.message === 'the JWT certificate expires soon: rotate the key');

    clock = notAfterMs - 30 * 86_400_000; // exactly 30 days left
    await handler(new SecretStore(secretFor(OLD, { certificate: pem }))).h(drop('days-30'), context());
    expect(metrics.map((m) => m.certificateDaysLeft)).toEqual([30]);
    expect(expiryWarnings()).toEqual([]);

    clock += 1; // a millisecond later: 29 whole days left
    await handler(new SecretStore(secretFor(OLD, { certificate: pem }))).h(drop('days-29'), context());
    expect(metrics.map((m) => m.certificateDaysLeft)).toEqual([30, 29]);
    expect(expiryWarnings()).toEqual([expect.objectContaining({ level: 'warn', daysLeft: 29 })]);
    expect(delivered()).toEqual(['days-29', 'days-30']);
  });
});
