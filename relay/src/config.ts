/**
 * Relay configuration, read from the environment once at cold start. Every problem is collected so an operator
 * fixes the deployment in one go instead of discovering settings one failed invocation at a time.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { parseLogLevel, type LogThreshold } from './logger';
import { loadPolicy, type RelayPolicy } from './policy';

export type AuthFlow = 'jwt' | 'client_credentials';

export interface JwtAuthConfig {
  flow: 'jwt';
  loginUrl: string;
  clientId: string;
  username: string;
  privateKey: string;
  /** The X.509 certificate of privateKey on the Salesforce app (optional; for expiry monitoring). */
  certificate?: { pem: string; notAfterMs: number };
}

export interface ClientCredentialsAuthConfig {
  flow: 'client_credentials';
  loginUrl: string;
  clientId: string;
  clientSecret: string;
}

export type AuthConfig = JwtAuthConfig | ClientCredentialsAuthConfig;

export interface RelayConfig {
  auth: AuthConfig;
  /** Path of the Apex REST resource, appended to the instance_url returned by the token endpoint. */
  endpointPath: string;
  requestTimeoutMs: number;
  /** Attempts per chunk (first try included) for 429/5xx/timeouts/resets. */
  maxAttempts: number;
  /** SQS queue URL of the dead-letter queue; undefined = parked records are only logged. */
  dlqUrl: string | undefined;
  policy: RelayPolicy;
  logLevel: LogThreshold;
}

export const DEFAULT_ENDPOINT_PATH = '/services/apexrest/connect/v1/disconnects';
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ATTEMPTS = 5;

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid relay configuration (${problems.length} problem(s)):\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https everywhere; plain http only for a loopback emulator, so credentials never cross a network in clear. */
function checkLoginUrl(value: string, problems: string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`SF_LOGIN_URL is not a valid URL: "${value}"`);
    return undefined;
  }
  if (url.protocol === 'https:') return url.origin;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return url.origin;
  problems.push(
    `SF_LOGIN_URL must use https (http is allowed only for 127.0.0.1/localhost emulation): "${url.origin}"`
  );
  return undefined;
}

function positiveInt(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  problems: string[],
  max: number
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    problems.push(`${name} must be an integer between 1 and ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

function required(env: NodeJS.ProcessEnv, name: string, why: string, problems: string[]): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    problems.push(`${name} is required ${why}`);
    return '';
  }
  return value.trim();
}

/** Accepts a PEM as is, or with literal "\n" sequences (how multi-line values often survive env files). */
function normalisePem(value: string): string {
  return value.includes('\\n') && !value.includes('\n') ? value.replace(/\\n/g, '\n') : value;
}

/**
 * The optional JWT certificate (SF_CERTIFICATE): a PEM certificate whose public key is the private key's, so
 * its expiry is the expiry of what the Salesforce app accepts.
 */
function checkCertificate(
  raw: string | undefined,
  privateKeyPem: string,
  problems: string[]
): { pem: string; notAfterMs: number } | undefined {
  const text = normalisePem(raw ?? '').trim();
  if (text === '') return undefined;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(text);
  } catch {
    problems.push('SF_CERTIFICATE must be a PEM certificate ("-----BEGIN CERTIFICATE-----...")');
    return undefined;
  }
  try {
    const fromKey = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' });
    if (!cert.publicKey.export({ type: 'spki', format: 'der' }).equals(fromKey)) {
      problems.push('SF_CERTIFICATE is not the certificate of SF_PRIVATE_KEY (their public keys differ)');
      return undefined;
    }
  } catch {
    // An unreadable private key is reported where the key is checked.
  }
  return { pem: text, notAfterMs: Date.parse(cert.validTo) };
}

function readAuthFlow(env: NodeJS.ProcessEnv, problems: string[]): AuthFlow | undefined {
  const flowRaw = (env.SF_AUTH_FLOW ?? '').trim();
  if (flowRaw === 'jwt' || flowRaw === 'client_credentials') return flowRaw;
  if (flowRaw === '') problems.push('SF_AUTH_FLOW is required: "jwt" or "client_credentials"');
  else problems.push(`SF_AUTH_FLOW must be "jwt" or "client_credentials", got "${flowRaw}"`);
  return undefined;
}

function readJwtAuth(
  env: NodeJS.ProcessEnv,
  common: { loginUrl: string; clientId: string },
  problems: string[]
): JwtAuthConfig {
  const username = required(env, 'SF_USERNAME', 'when SF_AUTH_FLOW=jwt', problems);
  const keyRaw = required(env, 'SF_PRIVATE_KEY', 'when SF_AUTH_FLOW=jwt (PEM private key)', problems);
  const privateKey = normalisePem(keyRaw).trim();
  if (keyRaw !== '' && !/-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/.test(privateKey)) {
    problems.push('SF_PRIVATE_KEY must be a PEM private key ("-----BEGIN PRIVATE KEY-----...")');
  }
  const certificate = checkCertificate(env.SF_CERTIFICATE, privateKey, problems);
  return {
    flow: 'jwt',
    loginUrl: common.loginUrl,
    clientId: common.clientId,
    username,
    privateKey,
    ...(certificate ? { certificate } : {})
  };
}

/** The Salesforce credentials: the flow, the token endpoint, the client id, then what the flow needs. */
function readAuth(env: NodeJS.ProcessEnv, problems: string[]): AuthConfig | undefined {
  const flow = readAuthFlow(env, problems);
  const loginRaw = required(
    env,
    'SF_LOGIN_URL',
    '(token endpoint host, e.g. https://login.salesforce.com)',
    problems
  );
  const loginUrl = (loginRaw === '' ? undefined : checkLoginUrl(loginRaw, problems)) ?? '';
  const clientId = required(
    env,
    'SF_CLIENT_ID',
    '(consumer key of the connected/external client app)',
    problems
  );
  if (flow === 'jwt') return readJwtAuth(env, { loginUrl, clientId }, problems);
  if (flow === 'client_credentials') {
    const clientSecret = required(env, 'SF_CLIENT_SECRET', 'when SF_AUTH_FLOW=client_credentials', problems);
    return { flow, loginUrl, clientId, clientSecret };
  }
  return undefined;
}

function readDlqUrl(env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const dlqRaw = (env.DLQ_URL ?? '').trim();
  if (dlqRaw === '') return undefined;
  try {
    const url = new URL(dlqRaw);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
      problems.push(
        `DLQ_URL must be an https SQS queue URL (http only for 127.0.0.1/localhost), got "${dlqRaw}"`
      );
      return undefined;
    }
    return url.toString();
  } catch {
    problems.push(`DLQ_URL is not a valid URL: "${dlqRaw}"`);
    return undefined;
  }
}

function readLogLevel(env: NodeJS.ProcessEnv, problems: string[]): LogThreshold | undefined {
  const logRaw = (env.LOG_LEVEL ?? '').trim();
  const logLevel = logRaw === '' ? 'info' : parseLogLevel(logRaw);
  if (logLevel === undefined) {
    problems.push(`LOG_LEVEL must be one of debug, info, warn, error, silent, got "${logRaw}"`);
  }
  return logLevel;
}

function readPolicy(env: NodeJS.ProcessEnv, problems: string[]): RelayPolicy | undefined {
  try {
    return loadPolicy(env);
  } catch (err) {
    problems.push(`RELAY_POLICY/RELAY_POLICY_FILE: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * Validates the environment. `earlierProblems` (e.g. from reading the Secrets Manager secret) are reported in the
 * same ConfigError so the message names every bad setting at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv, earlierProblems: readonly string[] = []): RelayConfig {
  const problems: string[] = [...earlierProblems];
  const auth = readAuth(env, problems);

  const endpointPath = (env.SF_ENDPOINT_PATH ?? '').trim() || DEFAULT_ENDPOINT_PATH;
  if (!endpointPath.startsWith('/'))
    problems.push(`SF_ENDPOINT_PATH must start with "/", got "${endpointPath}"`);
  const requestTimeoutMs = positiveInt(
    env,
    'SF_REQUEST_TIMEOUT_MS',
    DEFAULT_REQUEST_TIMEOUT_MS,
    problems,
    900_000
  );
  const maxAttempts = positiveInt(env, 'SF_MAX_ATTEMPTS', DEFAULT_MAX_ATTEMPTS, problems, 20);
  const dlqUrl = readDlqUrl(env, problems);
  const logLevel = readLogLevel(env, problems);
  const policy = readPolicy(env, problems);

  if (problems.length > 0 || auth === undefined || policy === undefined || logLevel === undefined)
    throw new ConfigError(problems);
  return { auth, endpointPath, requestTimeoutMs, maxAttempts, dlqUrl, policy, logLevel };
}

/** Secret JSON keys (Secrets Manager) and the environment variables they fill. */
export const SECRET_KEYS: Record<string, string> = {
  clientId: 'SF_CLIENT_ID',
  username: 'SF_USERNAME',
  privateKey: 'SF_PRIVATE_KEY',
  certificate: 'SF_CERTIFICATE',
  clientSecret: 'SF_CLIENT_SECRET',
  loginUrl: 'SF_LOGIN_URL',
  authFlow: 'SF_AUTH_FLOW'
};

/**
 * Overlays a secret's values onto the environment: the secret is the source of truth for credentials, so a value
 * present in the secret replaces the env var. Unknown keys and non-string values are returned as problems.
 */
export function mergeSecret(
  env: NodeJS.ProcessEnv,
  secret: unknown
): { env: NodeJS.ProcessEnv; problems: string[] } {
  if (secret === null || typeof secret !== 'object' || Array.isArray(secret)) {
    return {
      env,
      problems: ['SF_SECRET_ARN: the secret must be a JSON object like {"clientId": "...", ...}']
    };
  }
  const problems: string[] = [];
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const [key, value] of Object.entries(secret as Record<string, unknown>)) {
    const target = SECRET_KEYS[key];
    if (target === undefined) {
      problems.push(`SF_SECRET_ARN: unknown key "${key}" (allowed: ${Object.keys(SECRET_KEYS).join(', ')})`);
    } else if (typeof value !== 'string') {
      problems.push(`SF_SECRET_ARN: "${key}" must be a string`);
    } else if (value !== '') {
      merged[target] = value;
    }
  }
  return { env: merged, problems };
}
