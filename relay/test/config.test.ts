/**
 * Configuration at cold start: one ConfigError naming every missing or bad setting; the Secrets Manager secret
 * (SF_SECRET_ARN) merged in before validation, read from a local server speaking the Secrets Manager JSON protocol.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  ConfigError,
  DEFAULT_ENDPOINT_PATH,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  loadConfig,
  mergeSecret
} from '../src/config';
import { createSecretsClient, resolveSecretEnv } from '../src/secrets';
import { rsaKeys } from './support/kit';

const PEM = rsaKeys().privateKeyPem;

const JWT_ENV = {
  SF_AUTH_FLOW: 'jwt',
  SF_LOGIN_URL: 'https://login.salesforce.com',
  SF_CLIENT_ID: '3MVG9.consumer',
  SF_USERNAME: 'relay@example.com',
  SF_PRIVATE_KEY: PEM
};

const CC_ENV = {
  SF_AUTH_FLOW: 'client_credentials',
  SF_LOGIN_URL: 'https://acme.my.salesforce.com/',
  SF_CLIENT_ID: '3MVG9.consumer',
  SF_CLIENT_SECRET: 's3cr3t'
};

function problemsOf(env: NodeJS.ProcessEnv, earlier: string[] = []): string[] {
  try {
    loadConfig(env, earlier);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads a JWT bearer configuration with defaults', () => {
    const config = loadConfig(JWT_ENV);

    expect(config).toEqual({
      auth: {
        flow: 'jwt',
        loginUrl: 'https://login.salesforce.com',
        clientId: '3MVG9.consumer',
        username: 'relay@example.com',
        privateKey: PEM.trim()
      },
      endpointPath: DEFAULT_ENDPOINT_PATH,
      requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      dlqUrl: undefined,
      policy: expect.objectContaining({ forwardChannels: ['VOICE', 'CHAT'] }),
      logLevel: 'info'
    });
  });

  it('reads a client credentials configuration against a My Domain URL, with every optional setting', () => {
    const config = loadConfig({
      ...CC_ENV,
      SF_ENDPOINT_PATH: '/services/apexrest/connect/v2/disconnects',
      SF_REQUEST_TIMEOUT_MS: '2500',
      SF_MAX_ATTEMPTS: '3',
      DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/ctr-relay-dlq',
      RELAY_POLICY: '{"shortAbandonSeconds": 10}',
      LOG_LEVEL: 'WARN'
    });

    expect(config).toMatchObject({
      auth: {
        flow: 'client_credentials',
        loginUrl: 'https://acme.my.salesforce.com',
        clientSecret: 's3cr3t'
      },
      endpointPath: '/services/apexrest/connect/v2/disconnects',
      requestTimeoutMs: 2500,
      maxAttempts: 3,
      dlqUrl: 'https://sqs.us-east-1.amazonaws.com/111122223333/ctr-relay-dlq',
      policy: expect.objectContaining({ shortAbandonSeconds: 10 }),
      logLevel: 'warn'
    });
  });

  it('accepts a PEM whose newlines arrive as literal \\n', () => {
    const config = loadConfig({ ...JWT_ENV, SF_PRIVATE_KEY: PEM.replace(/\n/g, '\\n') });

    expect(config.auth.flow === 'jwt' && config.auth.privateKey).toBe(PEM.trim());
  });

  it.each(['http://127.0.0.1:8443', 'http://localhost:3000', 'https://test.salesforce.com'])(
    'allows SF_LOGIN_URL %s',
    (url) => {
      expect(loadConfig({ ...CC_ENV, SF_LOGIN_URL: url }).auth.loginUrl).toBe(new URL(url).origin);
    }
  );

  it('names every missing setting in one message', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({});
    } catch (err) {
      error = err as ConfigError;
    }

    expect(error?.problems).toEqual([
      'SF_AUTH_FLOW is required: "jwt" or "client_credentials"',
      'SF_LOGIN_URL is required (token endpoint host, e.g. https://login.salesforce.com)',
      'SF_CLIENT_ID is required (consumer key of the connected/external client app)'
    ]);
    expect(error?.message).toBe(
      'Invalid relay configuration (3 problem(s)):\n' +
        '- SF_AUTH_FLOW is required: "jwt" or "client_credentials"\n' +
        '- SF_LOGIN_URL is required (token endpoint host, e.g. https://login.salesforce.com)\n' +
        '- SF_CLIENT_ID is required (consumer key of the connected/external client app)'
    );
  });

  it('names every bad setting at once', () => {
    const problems = problemsOf({
      SF_AUTH_FLOW: 'jwt',
      SF_LOGIN_URL: 'http://login.salesforce.com',
      SF_CLIENT_ID: 'id',
      SF_PRIVATE_KEY: 'ssh-rsa AAAA',
      SF_ENDPOINT_PATH: 'services/apexrest/x',
      SF_REQUEST_TIMEOUT_MS: '10s',
      SF_MAX_ATTEMPTS: '0',
      DLQ_URL: 'http://sqs.us-east-1.amazonaws.com/1/q',
      RELAY_POLICY: '{"shortAbandonSeconds": -1}',
      LOG_LEVEL: 'verbose'
    });

    const expected = [
      /^SF_LOGIN_URL must use https/,
      /^SF_USERNAME is required when SF_AUTH_FLOW=jwt/,
      /^SF_PRIVATE_KEY must be a PEM private key/,
      /^SF_ENDPOINT_PATH must start with "\/"/,
      /^SF_REQUEST_TIMEOUT_MS must be an integer/,
      /^SF_MAX_ATTEMPTS must be an integer between 1 and 20, got "0"/,
      /^DLQ_URL must be an https SQS queue URL/,
      /^LOG_LEVEL must be one of/,
      /^RELAY_POLICY\/RELAY_POLICY_FILE: .*shortAbandonSeconds/
    ];
    expect(problems).toHaveLength(expected.length);
    for (const pattern of expected) expect(problems).toContainEqual(expect.stringMatching(pattern));
  });

  it('requires the client secret for client credentials, and reports a bad flow, URL and DLQ URL', () => {
    expect(problemsOf({ ...CC_ENV, SF_CLIENT_SECRET: ' ' })).toEqual([
      'SF_CLIENT_SECRET is required when SF_AUTH_FLOW=client_credentials'
    ]);
    expect(
      problemsOf({ ...CC_ENV, SF_AUTH_FLOW: 'password', SF_LOGIN_URL: 'not a url', DLQ_URL: '::' })
    ).toEqual([
      'SF_AUTH_FLOW must be "jwt" or "client_credentials", got "password"',
      'SF_LOGIN_URL is not a valid URL: "not a url"',
      'DLQ_URL is not a valid URL: "::"'
    ]);
  });

  it('reports problems found earlier (in the secret) together with the rest', () => {
    expect(problemsOf({ ...CC_ENV, SF_CLIENT_ID: '' }, ['SF_SECRET_ARN: secret x is not JSON'])).toEqual([
      'SF_SECRET_ARN: secret x is not JSON',
      'SF_CLIENT_ID is required (consumer key of the connected/external client app)'
    ]);
  });

  it('never echoes a secret value in its message', () => {
    const problems = problemsOf({ ...JWT_ENV, SF_PRIVATE_KEY: 'hunter2-not-a-key' });

    expect(problems.join('\n')).not.toContain('hunter2');
  });
});

describe('mergeSecret', () => {
  it('fills the settings from the secret JSON; the secret wins over the environment', () => {
    const { env, problems } = mergeSecret(
      { SF_AUTH_FLOW: 'jwt', SF_CLIENT_ID: 'from-env', LOG_LEVEL: 'debug' },
      {
        clientId: 'from-secret',
        username: 'u@example.com',
        privateKey: PEM,
        loginUrl: 'https://login.salesforce.com'
      }
    );

    expect(problems).toEqual([]);
    expect(env).toEqual({
      SF_AUTH_FLOW: 'jwt',
      SF_CLIENT_ID: 'from-secret',
      SF_USERNAME: 'u@example.com',
      SF_PRIVATE_KEY: PEM,
      SF_LOGIN_URL: 'https://login.salesforce.com',
      LOG_LEVEL: 'debug'
    });
  });

  it('reports unknown keys, non-string values and non-object secrets', () => {
    expect(mergeSecret({}, { clientid: 'x', clientSecret: 42 }).problems).toEqual([
      'SF_SECRET_ARN: unknown key "clientid" (allowed: clientId, username, privateKey, certificate, clientSecret, loginUrl, authFlow)',
      'SF_SECRET_ARN: "clientSecret" must be a string'
    ]);
    expect(mergeSecret({}, ['x']).problems).toEqual([
      'SF_SECRET_ARN: the secret must be a JSON object like {"clientId": "...", ...}'
    ]);
  });
});

describe('resolveSecretEnv (Secrets Manager at cold start)', () => {
  let server: Server;
  let url: string;
  const calls: { target: string | undefined; body: Record<string, unknown> }[] = [];
  let secretString: string | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        calls.push({ target: req.headers['x-amz-target'] as string | undefined, body });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({ ARN: body.SecretId, Name: 'ctr-relay/salesforce', SecretString: secretString })
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function client(): SecretsManagerClient {
    return new SecretsManagerClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local' },
      maxAttempts: 1
    });
  }

  const ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ctr-relay/salesforce-AbCdEf';

  it('does nothing without SF_SECRET_ARN', async () => {
    const env = { SF_CLIENT_ID: 'x' };

    await expect(resolveSecretEnv(env, client())).resolves.toEqual({ env, problems: [] });
    expect(calls).toHaveLength(0);
  });

  it('reads the secret with GetSecretValue and yields a configuration that validates', async () => {
    secretString = JSON.stringify({
      clientId: 'cid',
      clientSecret: 'from-sm',
      loginUrl: 'https://acme.my.salesforce.com'
    });

    const { env, problems } = await resolveSecretEnv(
      { SF_SECRET_ARN: ARN, SF_AUTH_FLOW: 'client_credentials' },
      client()
    );

    expect(calls[calls.length - 1]).toEqual({
      target: 'secretsmanager.GetSecretValue',
      body: { SecretId: ARN }
    });
    expect(problems).toEqual([]);
    expect(loadConfig(env).auth).toEqual({
      flow: 'client_credentials',
      loginUrl: 'https://acme.my.salesforce.com',
      clientId: 'cid',
      clientSecret: 'from-sm'
    });
  });

  it('reports a secret that is not JSON, or has no value, as a configuration problem', async () => {
    secretString = 'clientId=cid';
    await expect(resolveSecretEnv({ SF_SECRET_ARN: ARN }, client())).resolves.toMatchObject({
      problems: [`SF_SECRET_ARN: secret ${ARN} is not JSON`]
    });

    secretString = undefined;
    await expect(resolveSecretEnv({ SF_SECRET_ARN: ARN }, client())).resolves.toMatchObject({
      problems: [`SF_SECRET_ARN: secret ${ARN} has no value`]
    });
  });

  it('builds its default client with a NodeHttpHandler', () => {
    const c = createSecretsClient();
    expect(c.config.requestHandler.constructor.name).toBe('NodeHttpHandler');
    c.destroy();
  });
});
