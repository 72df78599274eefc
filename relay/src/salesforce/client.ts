/**
 * Client of the Apex REST endpoint POST /services/apexrest/connect/v1/disconnects (contract:
 * force-app/main/default/staticresources/ConnectDisconnectContract.json).
 *
 * One call sends one chunk (1-200 records) and always resolves to a ChunkResult, never throws for HTTP or network
 * trouble: the relay decides per record what to report to Lambda. Retries 408/429/5xx/timeouts/connection resets with
 * exponential backoff + full jitter (Retry-After is a floor), bounded by maxAttempts and the caller's deadline.
 * A 401 invalidates the cached token and re-authenticates once.
 */
import type { ContractErrorBody, DisconnectRecord, DisconnectResult, DisconnectResponse } from '../types';
import {
  DEFAULT_BACKOFF,
  nextDelay,
  parseRetryAfter,
  realSleep,
  type BackoffOptions,
  type Sleep
} from '../retry';
import { AuthError, describeError, type AccessToken, type TokenProvider } from './auth';
import { Agent, request, type Dispatcher } from './http';

export const MAX_RECORDS_PER_REQUEST = 200;
const OUTCOMES = new Set([
  'created',
  'updated',
  'unchanged',
  'stale',
  'rejected',
  'resolved',
  'nothing-to-resolve'
]);

export type ChunkResult =
  /** 200 with one result per record, in request order. */
  | { kind: 'delivered'; results: DisconnectResult[]; attempts: number }
  /** The endpoint refused the request as such (400): retrying the same records cannot help. */
  | { kind: 'rejected'; status: number; code: string; message: string; attempts: number }
  /** Could not deliver now (retries exhausted, deadline, auth, unexpected answer): Lambda should retry later. */
  | { kind: 'failed'; code: string; message: string; attempts: number };

export interface ClientLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export interface SalesforceClientOptions {
  tokens: TokenProvider;
  endpointPath: string;
  requestTimeoutMs: number;
  maxAttempts: number;
  /** undici dispatcher; default a keep-alive Agent (one connection pool per origin). */
  dispatcher?: Dispatcher;
  backoff?: Partial<BackoffOptions>;
  sleep?: Sleep;
  now?: () => number;
  logger?: ClientLogger;
}

interface AttemptFailure {
  code: string;
  message: string;
  retryAfterMs?: number;
}

export class SalesforceClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly backoff: BackoffOptions;
  private readonly sleep: Sleep;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: SalesforceClientOptions) {
    this.ownsDispatcher = options.dispatcher === undefined;
    // Keep-alive: a warm Lambda re-uses the TLS connection to the org across invocations.
    this.dispatcher =
      options.dispatcher ??
      new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, connections: 4 });
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  get httpDispatcher(): Dispatcher {
    return this.dispatcher;
  }

  async close(): Promise<void> {
    // Idempotent: the consumer may close on both a signal and the end of its loop.
    if (this.ownsDispatcher && !this.closed) {
      this.closed = true;
      await this.dispatcher.close();
    }
  }

  /** Sends one chunk; `deadlineMs` is an absolute time (same clock as `now`) after which no attempt starts. */
  async postDisconnects(records: DisconnectRecord[], deadlineMs: number): Promise<ChunkResult> {
    if (records.length < 1 || records.length > MAX_RECORDS_PER_REQUEST) {
      throw new RangeError(`a request carries 1-${MAX_RECORDS_PER_REQUEST} records, got ${records.length}`);
    }
    const body = JSON.stringify({ records });
    const log = this.options.logger;
    let attempts = 0;
    let refreshed = false;
    for (;;) {
      if (deadlineMs - this.now() <= 0) {
        return { kind: 'failed', code: 'DEADLINE', message: 'no time left before the deadline', attempts };
      }
      attempts += 1;
      const outcome = await this.attempt(body, records, deadlineMs);
      if (outcome.type === 'done') return { ...outcome.result, attempts };
      if (outcome.type === 'unauthorized') {
        this.options.tokens.invalidate(outcome.token);
        if (!refreshed) {
          // Session expired or revoked: one fresh token, right away, not counted as an attempt.
          refreshed = true;
          attempts -= 1;
          log?.debug('access token rejected (401); re-authenticating once', {});
          continue;
        }
        return {
          kind: 'failed',
          code: 'AUTH_FAILED',
          message: 'endpoint answered 401 again after re-authenticating',
          attempts
        };
      }
      const { failure } = outcome;
      if (outcome.type === 'fail')
        return { kind: 'failed', code: failure.code, message: failure.message, attempts };
      if (attempts >= this.options.maxAttempts) {
        return {
          kind: 'failed',
          code: failure.code,
          message: `${failure.message} (gave up after ${attempts} attempt(s))`,
          attempts
        };
      }
      const delay = nextDelay(attempts, failure.retryAfterMs, this.backoff);
      if (this.now() + delay >= deadlineMs) {
        return {
          kind: 'failed',
          code: failure.code,
          message: `${failure.message} (a retry in ${delay} ms would pass the deadline)`,
          attempts
        };
      }
      log?.warn('retrying Salesforce request', {
        attempt: attempts,
        code: failure.code,
        delayMs: delay,
        records: records.length
      });
      await this.sleep(delay);
    }
  }

  private async attempt(
    body: string,
    records: DisconnectRecord[],
    deadlineMs: number
  ): Promise<AttemptOutcome> {
    let token: AccessToken;
    try {
      token = await this.options.tokens.getToken(deadlineMs);
    } catch (err) {
      if (err instanceof AuthError && !err.transient) {
        return { type: 'fail', failure: { code: 'AUTH_FAILED', message: err.message } };
      }
      return { type: 'retry', failure: { code: 'AUTH_UNAVAILABLE', message: describeError(err) } };
    }
    const timeoutMs = Math.max(1, Math.min(this.options.requestTimeoutMs, deadlineMs - this.now()));
    const url = new URL(this.options.endpointPath, token.instanceUrl).toString();
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.dispatcher,
        headers: {
          authorization: `Bearer ${token.accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json'
        },
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs)
      });
      status = res.statusCode;
      headers = res.headers;
      text = await res.body.text();
    } catch (err) {
      const timeout = isTimeout(err);
      return {
        // Stryker disable next-line StringLiteral: postDisconnects retries every outcome other than 'fail'
        type: 'retry',
        failure: {
          code: timeout ? 'TIMEOUT' : 'NETWORK',
          message: timeout ? `no answer within ${timeoutMs} ms` : `connection failed: ${describeError(err)}`
        }
      };
    }
    if (status === 200) return parseResults(text, records);
    if (status === 401) return { type: 'unauthorized', token };
    if (status === 400) {
      const err = parseErrorBody(text);
      return { type: 'done', result: { kind: 'rejected', status, code: err.code, message: err.message } };
    }
    const failure: AttemptFailure = {
      code: `HTTP_${status}`,
      message: `endpoint answered ${status}`,
      retryAfterMs: parseRetryAfter(headers['retry-after'], this.now())
    };
    // 408 (the server gave up waiting for the request), 429 and 5xx are transient by definition (the relay does
    // not back off on them either, see isSystemicFailure); other statuses (403, 404…) are deployment problems that
    // retrying within this invocation cannot fix, but the records must not be lost: Lambda retries them later.
    // Stryker disable next-line StringLiteral: postDisconnects retries every outcome other than 'fail' ('fail' is tested)
    return { type: status === 408 || status === 429 || status >= 500 ? 'retry' : 'fail', failure };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

type AttemptOutcome =
  | { type: 'done'; result: DistributiveOmit<ChunkResult, 'attempts'> }
  | { type: 'unauthorized'; token: AccessToken }
  | { type: 'retry' | 'fail'; failure: AttemptFailure };

function isTimeout(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown };
  // The request's AbortSignal.timeout is created before undici's header and body timers of the same length, so it
  // fires first (TimeoutError): the other names are a fallback, should undici's timers or an abort come first. A
  // request error is always an object (the optional chaining only guards a thrown null).
  // Stryker disable ConditionalExpression,LogicalOperator,OptionalChaining,StringLiteral: see above
  return (
    e?.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    e?.code === 'UND_ERR_BODY_TIMEOUT' ||
    // Stryker restore ConditionalExpression,StringLiteral
    e?.name === 'TimeoutError' ||
    // Stryker disable ConditionalExpression,StringLiteral: see above
    e?.name === 'AbortError'
  );
  // Stryker restore all
}

function parseErrorBody(text: string): { code: string; message: string } {
  try {
    const body = JSON.parse(text) as Partial<ContractErrorBody>;
    // Stryker disable next-line ConditionalExpression: without body.error, reading its code throws and lands below
    if (body.error && typeof body.error.code === 'string') {
      return { code: body.error.code, message: String(body.error.message ?? '') };
    }
  } catch {
    // Fall through: a 400 without the contract's body is still a permanent request error.
  }
  return { code: 'HTTP_400', message: text.slice(0, 200) };
}

/** Checks the 200 body against the contract: one result per record, same contactIds, same order. */
function parseResults(text: string, records: DisconnectRecord[]): AttemptOutcome {
  const bad = (why: string): AttemptOutcome => ({
    type: 'fail',
    failure: { code: 'BAD_RESPONSE', message: `unexpected 200 body: ${why}` }
  });
  let body: Partial<DisconnectResponse>;
  try {
    body = JSON.parse(text) as Partial<DisconnectResponse>;
  } catch {
    return bad('not JSON');
  }
  if (!Array.isArray(body.results)) return bad('no results array');
  if (body.results.length !== records.length) {
    return bad(`${body.results.length} results for ${records.length} records`);
  }
  for (let i = 0; i < records.length; i += 1) {
    const r = body.results[i] as DisconnectResult;
    if (r === null || typeof r !== 'object' || r.contactId !== records[i]?.contactId) {
      return bad(`result ${i} does not match contactId of record ${i}`);
    }
    if (!OUTCOMES.has(r.outcome)) return bad(`result ${i} has unknown outcome "${String(r.outcome)}"`);
    if (r.outcome === 'rejected' && (typeof r.error !== 'object' || r.error === null)) {
      return bad(`result ${i} is rejected without an error`);
    }
  }
  return { type: 'done', result: { kind: 'delivered', results: body.results } };
}
