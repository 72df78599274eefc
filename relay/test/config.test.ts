/**
 * Configuration at cold start: one ConfigError naming every missing or bad setting; the Secrets Manager secret
 * (SF_SECRET_ARN) merged in before validation, read from a local server speaking the Secrets Manager JSON protocol.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
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
import { rsaKeys, selfSignedCertificate } from './support/kit';

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

describe('loadConfig: each setting at its edges', () => {
  it('takes the integer settings up to their maximum and refuses one more, a fraction or zero', () => {
    expect(loadConfig({ ...CC_ENV, SF_REQUEST_TIMEOUT_MS: '900000', SF_MAX_ATTEMPTS: '20' })).toMatchObject({
      requestTimeoutMs: 900_000,
      maxAttempts: 20
    });
    expect(loadConfig({ ...CC_ENV, SF_REQUEST_TIMEOUT_MS: '1', SF_MAX_ATTEMPTS: ' 1 ' })).toMatchObject({
      requestTimeoutMs: 1,
      maxAttempts: 1
    });
    expect(loadConfig({ ...CC_ENV, SF_REQUEST_TIMEOUT_MS: '  ', SF_MAX_ATTEMPTS: '' })).toMatchObject({
      requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
      maxAttempts: DEFAULT_MAX_ATTEMPTS
    });
    expect(problemsOf({ ...CC_ENV, SF_REQUEST_TIMEOUT_MS: '900001', SF_MAX_ATTEMPTS: '21' })).toEqual([
      'SF_REQUEST_TIMEOUT_MS must be an integer between 1 and 900000, got "900001"',
      'SF_MAX_ATTEMPTS must be an integer between 1 and 20, got "21"'
    ]);
    expect(problemsOf({ ...CC_ENV, SF_MAX_ATTEMPTS: '2.5' })).toEqual([
      'SF_MAX_ATTEMPTS must be an integer between 1 and 20, got "2.5"'
    ]);
  });

  it('trims the credentials it reads', () => {
    expect(loadConfig({ ...CC_ENV, SF_CLIENT_ID: '  cid  ', SF_CLIENT_SECRET: ' s ' }).auth).toEqual({
      flow: 'client_credentials',
      loginUrl: 'https://acme.my.salesforce.com',
      clientId: 'cid',
      clientSecret: 's'
    });
    expect(
      loadConfig({ ...JWT_ENV, SF_AUTH_FLOW: ' jwt ', SF_USERNAME: ' relay@example.com ' }).auth
    ).toMatchObject({
      flow: 'jwt',
      username: 'relay@example.com'
    });
  });

  it('allows http only to a loopback host, for the login URL and the DLQ alike', () => {
    expect(loadConfig({ ...CC_ENV, SF_LOGIN_URL: 'http://[::1]:8443/path' }).auth.loginUrl).toBe(
      'http://[::1]:8443'
    );
    expect(loadConfig({ ...CC_ENV, DLQ_URL: ' http://localhost:9324/000000000000/dlq ' }).dlqUrl).toBe(
      'http://localhost:9324/000000000000/dlq'
    );
    expect(problemsOf({ ...CC_ENV, SF_LOGIN_URL: 'ftp://127.0.0.1', DLQ_URL: 'ftp://127.0.0.1/q' })).toEqual([
      'SF_LOGIN_URL must use https (http is allowed only for 127.0.0.1/localhost emulation): "ftp://127.0.0.1"',
      'DLQ_URL must be an https SQS queue URL (http only for 127.0.0.1/localhost), got "ftp://127.0.0.1/q"'
    ]);
  });

  it('a blank endpoint path or log level takes the default', () => {
    expect(loadConfig({ ...CC_ENV, SF_ENDPOINT_PATH: '  ', LOG_LEVEL: ' ' })).toMatchObject({
      endpointPath: DEFAULT_ENDPOINT_PATH,
      logLevel: 'info'
    });
    expect(loadConfig({ ...CC_ENV, LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
  });

  it('a blank DLQ_URL means no dead-letter queue, not a bad URL', () => {
    expect(loadConfig({ ...CC_ENV, DLQ_URL: '   ' }).dlqUrl).toBeUndefined();
  });

  it('accepts RSA and encrypted PEM private keys and refuses a public key', () => {
    const body = PEM.split('\n').slice(1, -2).join('\n');
    const as = (label: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
    for (const label of ['RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']) {
      expect(problemsOf({ ...JWT_ENV, SF_PRIVATE_KEY: as(label), LOG_LEVEL: 'x' })).toEqual([
        'LOG_LEVEL must be one of debug, info, warn, error, silent, got "x"'
      ]);
    }
    expect(problemsOf({ ...JWT_ENV, SF_PRIVATE_KEY: as('PUBLIC KEY') })).toEqual([
      'SF_PRIVATE_KEY must be a PEM private key ("-----BEGIN PRIVATE KEY-----...")'
    ]);
    // A missing key is reported as missing, not also as a bad PEM.
    expect(problemsOf({ ...JWT_ENV, SF_PRIVATE_KEY: ' ' })).toEqual([
      'SF_PRIVATE_KEY is required when SF_AUTH_FLOW=jwt (PEM private key)'
    ]);
  });

  it('leaves a PEM that already has real newlines as it is, even with a literal \\n inside', () => {
    const odd = PEM.replace('\n', '\n\\n');
    expect(problemsOf({ ...JWT_ENV, SF_PRIVATE_KEY: odd, LOG_LEVEL: 'x' })).toHaveLength(1);
    expect(loadConfig({ ...JWT_ENV, SF_PRIVATE_KEY: odd }).auth).toMatchObject({ privateKey: odd.trim() });
  });

  describe('SF_CERTIFICATE (the certificate of the JWT key, for expiry monitoring)', () => {
    it('keeps the certificate of the key with its expiry, also when its newlines arrive as literal \\n', () => {
      const pem = selfSignedCertificate(PEM, 30);
      const expected = { pem: pem.trim(), notAfterMs: Date.parse(new X509Certificate(pem).validTo) };
      for (const value of [pem, pem.replace(/\n/g, '\\n')]) {
        const { auth } = loadConfig({ ...JWT_ENV, SF_CERTIFICATE: value });
        expect(auth.flow === 'jwt' && auth.certificate).toEqual(expected);
      }
      expect(expected.notAfterMs).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    });

    it('no certificate when blank; a problem when it is not a certificate or not the key’s', () => {
      const { auth } = loadConfig({ ...JWT_ENV, SF_CERTIFICATE: ' ' });
      expect(auth).not.toHaveProperty('certificate');
      expect(problemsOf({ ...JWT_ENV, SF_CERTIFICATE: 'MIIB' })).toEqual([
        'SF_CERTIFICATE must be a PEM certificate ("-----BEGIN CERTIFICATE-----...")'
      ]);
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      expect(problemsOf({ ...JWT_ENV, SF_CERTIFICATE: selfSignedCertificate(other, 30) })).toEqual([
        'SF_CERTIFICATE is not the certificate of SF_PRIVATE_KEY (their public keys differ)'
      ]);
    });
  });
});

describe('mergeSecret: what a secret may leave out', () => {
  it('an empty value keeps the environment’s; a null secret is a problem', () => {
    expect(mergeSecret({ SF_CLIENT_ID: 'env' }, { clientId: '', authFlow: 'jwt' })).toEqual({
      env: { SF_CLIENT_ID: 'env', SF_AUTH_FLOW: 'jwt' },
      problems: []
    });
    expect(mergeSecret({ A: '1' }, null)).toEqual({
      env: { A: '1' },
      problems: ['SF_SECRET_ARN: the secret must be a JSON object like {"clientId": "...", ...}']
    });
    expect(mergeSecret({}, 'clientId').problems).toHaveLength(1);
  });

  it('ConfigError names itself', () => {
    expect(new ConfigError(['x']).name).toBe('ConfigError');
  });
});
