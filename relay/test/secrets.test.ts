/**
 * Reading the Salesforce credentials from Secrets Manager (SF_SECRET_ARN) against a local server speaking the
 * Secrets Manager JSON protocol: the ARN as written by hand, binary secrets, and the default client's limits.
 * (The main cases — no ARN, a string secret, not JSON, no value — are in config.test.ts.)
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSecretsClient, resolveSecretEnv } from '../src/secrets';

const ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ctr-relay/salesforce-XyZ123';

describe('resolveSecretEnv', () => {
  let server: Server;
  let url: string;
  let answer: Record<string, unknown>;
  const secretIds: unknown[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        secretIds.push(body.SecretId);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ ARN: body.SecretId, Name: 'ctr-relay/salesforce', ...answer }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    secretIds.length = 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const client = (): SecretsManagerClient =>
    new SecretsManagerClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local' },
      maxAttempts: 1
    });

  it('asks for the ARN without the blanks pasted around it', async () => {
    answer = { SecretString: JSON.stringify({ clientId: 'cid-trimmed' }) };

    const { env, problems } = await resolveSecretEnv({ SF_SECRET_ARN: `  ${ARN}\n` }, client());

    expect(secretIds).toEqual([ARN]);
    expect(problems).toEqual([]);
    expect(env.SF_CLIENT_ID).toBe('cid-trimmed');
  });

  it('treats a blank SF_SECRET_ARN as none: nothing read, the environment as it is', async () => {
    const given = { SF_SECRET_ARN: '   ', SF_CLIENT_ID: 'from-env' };

    await expect(resolveSecretEnv(given, client())).resolves.toEqual({ env: given, problems: [] });
    expect(secretIds).toEqual([]);
  });

  it('reads a secret stored as binary (UTF-8 JSON)', async () => {
    answer = {
      SecretBinary: Buffer.from(
        JSON.stringify({ clientId: 'cid-binary', username: 'relay@example.com' })
      ).toString('base64')
    };

    const { env, problems } = await resolveSecretEnv({ SF_SECRET_ARN: ARN }, client());

    expect(problems).toEqual([]);
    expect(env).toMatchObject({ SF_CLIENT_ID: 'cid-binary', SF_USERNAME: 'relay@example.com' });
  });

  it('reports a binary secret that is not JSON as a configuration problem', async () => {
    answer = { SecretBinary: Buffer.from('clientId=cid').toString('base64') };

    await expect(resolveSecretEnv({ SF_SECRET_ARN: ARN }, client())).resolves.toMatchObject({
      problems: [`SF_SECRET_ARN: secret ${ARN} is not JSON`]
    });
  });
});

describe('createSecretsClient', () => {
  it('bounds a cold start that cannot reach Secrets Manager: 3 attempts, 2 s to connect, 5 s per request', async () => {
    const c = createSecretsClient();
    try {
      await expect(c.config.maxAttempts()).resolves.toBe(3);
      const handler = c.config.requestHandler as unknown as {
        configProvider: Promise<Record<string, unknown>>;
      };
      await expect(handler.configProvider).resolves.toMatchObject({
        connectionTimeout: 2_000,
        requestTimeout: 5_000
      });
    } finally {
      c.destroy();
    }
  });
});
