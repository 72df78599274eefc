/**
 * OAuth 2.0 access for the relay: JWT bearer (RS256, signed with node:crypto) or client credentials. The
 * username-password flow is deliberately absent (blocked by default in new orgs and being retired).
 *
 * Tokens are cached in the provider; the Lambda handler keeps one provider in module scope, so a warm container
 * re-uses its token across invocations and only re-authenticates after the API answers 401 (see invalidate()).
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { AuthConfig } from '../config';
import { request, type Dispatcher } from './http';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Salesforce accepts at most 3 minutes; stay a little below to absorb clock rounding. */
export const JWT_LIFETIME_SECONDS = 170;
export const TOKEN_PATH = '/services/oauth2/token';

export interface AccessToken {
  accessToken: string;
  /** Base URL of the org's API (from the token response); the Apex REST call goes there, not to the login host. */
  instanceUrl: string;
  issuedAtMs: number;
}

/**
 * A token endpoint failure. `transient` (network error, timeout, 429, 5xx) may be retried by the caller within its
 * deadline; anything else (400 invalid_grant, invalid_client…) needs an operator and is not retried in-process.
 */
export class AuthError extends Error {
  readonly transient: boolean;
  readonly status: number | undefined;
  readonly oauthError: string | undefined;

  constructor(message: string, opts: { transient: boolean; status?: number; oauthError?: string }) {
    super(message);
    this.name = 'AuthError';
    this.transient = opts.transient;
    this.status = opts.status;
    this.oauthError = opts.oauthError;
  }
}

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** Builds the signed assertion: header {alg:RS256}, claims iss=client id, sub=username, aud=login URL, exp. */
export function buildJwtAssertion(
  opts: { clientId: string; username: string; audience: string; privateKey: KeyObject | string },
  nowMs: number
): string {
  const header = base64url(JSON.stringify({ alg: 'RS256' }));
  const claims = base64url(
    JSON.stringify({
      iss: opts.clientId,
      sub: opts.username,
      aud: opts.audience,
      exp: Math.floor(nowMs / 1000) + JWT_LIFETIME_SECONDS
    })
  );
  const signingInput = `${header}.${claims}`;
  const signature = sign('RSA-SHA256', Buffer.from(signingInput), opts.privateKey);
  return `${signingInput}.${base64url(signature)}`;
}

export interface TokenProviderOptions {
  dispatcher?: Dispatcher;
  /** Timeout of one token request. */
  timeoutMs: number;
  now?: () => number;
}

export class TokenProvider {
  private cached: AccessToken | undefined;
  private inFlight: Promise<AccessToken> | undefined;
  private readonly key: KeyObject | undefined;
  private readonly now: () => number;
  /** Number of token requests sent; exposed for logs and tests. */
  fetchCount = 0;

  constructor(
    private readonly config: AuthConfig,
    private readonly options: TokenProviderOptions
  ) {
    // Parse the PEM once: fails fast on a bad key, and avoids re-parsing on every refresh.
    this.key = config.flow === 'jwt' ? createPrivateKey(config.privateKey) : undefined;
    this.now = options.now ?? Date.now;
  }

  /** The cached token, or a new one. Concurrent callers share a single token request. */
  async getToken(deadlineMs?: number): Promise<AccessToken> {
    if (this.cached) return this.cached;
    if (!this.inFlight) {
      this.inFlight = this.fetchToken(deadlineMs).finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  /** Drops the cached token (after a 401), so the next getToken() authenticates again. */
  invalidate(token?: AccessToken): void {
    // Only drop the token that was rejected: another caller may already hold a fresh one.
    if (token === undefined || this.cached === token) this.cached = undefined;
  }

  private formBody(): URLSearchParams {
    const c = this.config;
    if (c.flow === 'jwt') {
      const assertion = buildJwtAssertion(
        {
          clientId: c.clientId,
          username: c.username,
          audience: c.loginUrl,
          privateKey: this.key as KeyObject
        },
        this.now()
      );
      return new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion });
    }
    return new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret
    });
  }

  private async fetchToken(deadlineMs?: number): Promise<AccessToken> {
    const url = new URL(TOKEN_PATH, this.config.loginUrl).toString();
    const remaining = deadlineMs === undefined ? this.options.timeoutMs : deadlineMs - this.now();
    const timeoutMs = Math.min(this.options.timeoutMs, remaining);
    if (timeoutMs <= 0) throw new AuthError('no time left to request an access token', { transient: true });
    this.fetchCount += 1;
    let status: number;
    let text: string;
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.options.dispatcher,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: this.formBody().toString(),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs)
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw new AuthError(`token request to ${url} failed: ${describeError(err)}`, { transient: true });
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Non-JSON bodies (proxies, maintenance pages) are reported by status below.
    }
    if (status !== 200) {
      const oauthError = typeof body.error === 'string' ? body.error : undefined;
      const description = typeof body.error_description === 'string' ? body.error_description : '';
      throw new AuthError(
        `token endpoint ${url} answered ${status}${oauthError ? ` ${oauthError}` : ''}${description ? `: ${description}` : ''}`,
        { transient: status === 429 || status >= 500, status, oauthError }
      );
    }
    const accessToken = body.access_token;
    const instanceUrl = body.instance_url;
    if (typeof accessToken !== 'string' || accessToken === '' || typeof instanceUrl !== 'string') {
      throw new AuthError(`token endpoint ${url} answered 200 without access_token/instance_url`, {
        transient: false,
        status
      });
    }
    if (!isSecureApiUrl(instanceUrl)) {
      // The bearer token and callers' numbers would go there: same rule as SF_LOGIN_URL.
      throw new AuthError(
        `token endpoint ${url} answered an instance_url that is not https (http only for 127.0.0.1/localhost): "${instanceUrl.slice(0, 200)}"`,
        { transient: false, status }
      );
    }
    this.cached = { accessToken, instanceUrl, issuedAtMs: this.now() };
    return this.cached;
  }
}

/** https, or plain http on a loopback emulator only (the SF_LOGIN_URL rule). */
export function isSecureApiUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
  } catch {
    return false;
  }
}

/** A short, secret-free description of a network error (undici error codes such as UND_ERR_SOCKET). */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${err.message}` : `${err.name}: ${err.message}`;
  }
  return String(err);
}
