/**
 * The Salesforce client against a real HTTP server on 127.0.0.1: authentication, the contract call, and what it
 * does with 401, 429 + Retry-After, 5xx, timeouts, connection resets and per-record rejections.
 */
import { Agent } from 'undici';
import { TokenProvider } from '../src/salesforce/auth';
import { SalesforceClient, type SalesforceClientOptions } from '../src/salesforce/client';
import type { DisconnectRecord } from '../src/types';
import { DISCONNECTS_PATH, type FakeSalesforce } from './support/fakeSalesforce';
import {
  clientCredentialsAuth,
  disconnectRecord,
  fakeSleep,
  jwtAuth,
  sessionClient,
  startFakeOrgSession,
  stopFakeOrgSession
} from './support/kit';

function record(contactId: string, lastUpdated = '2024-05-14T09:17:30Z'): DisconnectRecord {
  return disconnectRecord(contactId, { lastUpdated });
}

const soon = (): number => Date.now() + 20_000;

describe('SalesforceClient', () => {
  let sf: FakeSalesforce;
  let dispatcher: Agent;
  let sleeper: ReturnType<typeof fakeSleep>;

  beforeEach(async () => {
    ({ sf, dispatcher } = await startFakeOrgSession({ clientCredentials: true }));
    sleeper = fakeSleep();
  });
  afterEach(() => stopFakeOrgSession({ sf, dispatcher }));

  function client(overrides: Partial<SalesforceClientOptions> = {}): SalesforceClient {
    return sessionClient({ sf, dispatcher }, sleeper.sleep, overrides);
  }

  it('POSTs {records} as JSON with the bearer token to instance_url + endpoint path and returns the results', async () => {
    const result = await client().postDisconnects([record('a'), record('b')], soon());

    expect(result).toEqual({
      kind: 'delivered',
      attempts: 1,
      results: [
        { contactId: 'a', outcome: 'created', caseId: expect.any(String) },
        { contactId: 'b', outcome: 'created', caseId: expect.any(String) }
      ]
    });
    const [req] = sf.apiRequests;
    expect(req?.authorization).toMatch(/^Bearer 00Dfake!token-1$/);
    expect(req?.contentType).toBe('application/json');
    expect(req?.body).toEqual({ records: [record('a'), record('b')] });
  });

  it('caches the access token across calls', async () => {
    const c = client();
    await c.postDisconnects([record('a')], soon());
    await c.postDisconnects([record('a', '2024-05-14T09:20:00Z')], soon());
    const third = await c.postDisconnects([record('a')], soon());

    expect(sf.tokenRequests).toHaveLength(1);
    expect(sf.apiCount).toBe(3);
    expect(third.kind === 'delivered' && third.results[0]?.outcome).toBe('stale');
  });

  it('on 401 (expired session) invalidates the token, re-authenticates once and retries at once', async () => {
    const c = client();
    await c.postDisconnects([record('a')], soon());
    sf.expireTokens();

    const result = await c.postDisconnects([record('b')], soon());

    expect(result).toMatchObject({ kind: 'delivered', attempts: 1 });
    expect(sf.tokenRequests).toHaveLength(2);
    expect(sf.apiRequests.map((r) => r.answeredWith)).toEqual([200, 401, 200]);
    expect(sleeper.delays).toEqual([]);
  });

  it('gives up (retryably) when the endpoint still answers 401 after re-authenticating', async () => {
    sf.script.push({ status: 401, body: [{ errorCode: 'INVALID_SESSION_ID' }] });
    sf.script.push({ status: 401, body: [{ errorCode: 'INVALID_SESSION_ID' }] });

    const result = await client().postDisconnects([record('a')], soon());

    expect(result).toMatchObject({ kind: 'failed', code: 'AUTH_FAILED' });
    expect(sf.tokenRequests).toHaveLength(2);
    expect(sf.apiCount).toBe(2);
  });

  it('honours Retry-After in seconds on 429 (never retries sooner than asked)', async () => {
    sf.script.push({
      status: 429,
      headers: { 'retry-after': '3' },
      body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED' }]
    });

    const result = await client({ backoff: { random: () => 0 } }).postDisconnects([record('a')], soon());

    expect(result).toMatchObject({ kind: 'delivered', attempts: 2 });
    expect(sleeper.delays).toEqual([3_000]);
    expect(sf.apiCount).toBe(2);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const now = Date.now();
    const retryAt = new Date(now + 5_000).toUTCString();
    sf.script.push({ status: 429, headers: { 'retry-after': retryAt } });

    const result = await client({ now: () => now, backoff: { random: () => 0 } }).postDisconnects(
      [record('a')],
      now + 60_000
    );

    expect(result.kind).toBe('delivered');
    expect(sleeper.delays).toEqual([Date.parse(retryAt) - now]);
    expect(sleeper.delays[0]).toBeGreaterThan(4_000);
  });

  it('waits for real when Retry-After asks (real timers, 1 s)', async () => {
    sf.script.push({ status: 503, headers: { 'retry-after': '1' } });
    const started = Date.now();

    const result = await client({ sleep: undefined, backoff: { random: () => 0 } }).postDisconnects(
      [record('a')],
      soon()
    );

    expect(result.kind).toBe('delivered');
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('retries 5xx with exponential backoff and full jitter (random × base × 2^n)', async () => {
    sf.script.push({ status: 503 }, { status: 500 }, { status: 502 });

    const result = await client().postDisconnects([record('a')], soon());

    expect(result).toMatchObject({ kind: 'delivered', attempts: 4 });
    expect(sleeper.delays).toEqual([50, 100, 200]);
  });

  it('stops after maxAttempts and reports the last failure', async () => {
    sf.script.push({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });

    const result = await client().postDisconnects([record('a')], soon());

    expect(result).toEqual({
      kind: 'failed',
      code: 'HTTP_503',
      message: 'endpoint answered 503 (gave up after 4 attempt(s))',
      attempts: 4
    });
    expect(sf.apiCount).toBe(4);
  });

  it('does not wait for a Retry-After that ends after the deadline', async () => {
    sf.script.push({ status: 429, headers: { 'retry-after': '120' } });

    const result = await client().postDisconnects([record('a')], Date.now() + 5_000);

    expect(result).toMatchObject({ kind: 'failed', code: 'HTTP_429', attempts: 1 });
    expect(result.kind === 'failed' && result.message).toMatch(/would pass the deadline/);
    expect(sleeper.delays).toEqual([]);
  });

  it('sends nothing once the deadline has passed', async () => {
    const result = await client().postDisconnects([record('a')], Date.now() - 1);

    expect(result).toMatchObject({ kind: 'failed', code: 'DEADLINE', attempts: 0 });
    expect(sf.apiCount).toBe(0);
  });

  it('times out a request that never answers and retries it', async () => {
    sf.script.push({ hang: true });
    const started = Date.now();

    const result = await client({ requestTimeoutMs: 300 }).postDisconnects([record('a')], soon());

    expect(result).toMatchObject({ kind: 'delivered', attempts: 2 });
    expect(sf.apiRequests[0]?.answeredWith).toBe('hang');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports TIMEOUT when every attempt hangs', async () => {
    sf.script.push({ hang: true }, { hang: true });

    const result = await client({ requestTimeoutMs: 150, maxAttempts: 2 }).postDisconnects(
      [record('a')],
      soon()
    );

    expect(result).toMatchObject({ kind: 'failed', code: 'TIMEOUT', attempts: 2 });
  });

  it('bounds a request by the deadline even when the request timeout is longer', async () => {
    sf.script.push({ hang: true });
    const started = Date.now();

    const result = await client({ requestTimeoutMs: 10_000 }).postDisconnects(
      [record('a')],
      Date.now() + 300
    );

    expect(result.kind).toBe('failed');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('retries after a connection reset', async () => {
    sf.script.push({ reset: true });

    const result = await client().postDisconnects([record('a')], soon());

    expect(result).toMatchObject({ kind: 'delivered', attempts: 2 });
    expect(sf.apiRequests.map((r) => r.answeredWith)).toEqual(['reset', 200]);
  });

  it('reports NETWORK when every attempt is reset', async () => {
    sf.script.push({ reset: true }, { reset: true });

    const result = await client({ maxAttempts: 2 }).postDisconnects([record('a')], soon());

    expect(result).toMatchObject({ kind: 'failed', code: 'NETWORK', attempts: 2 });
  });

  it('returns per-record rejections (retryable and not) alongside successes', async () => {
    sf.rejections.set('locked', { code: 'DML_FAILED', message: 'UNABLE_TO_LOCK_ROW', retryable: true });
    sf.rejections.set('bad', { code: 'INVALID_FIELD', message: 'queueName too long', retryable: false });

    const result = await client().postDisconnects([record('ok'), record('locked'), record('bad')], soon());

    expect(result.kind === 'delivered' && result.results).toEqual([
      { contactId: 'ok', outcome: 'created', caseId: expect.any(String) },
      {
        contactId: 'locked',
        outcome: 'rejected',
        error: { code: 'DML_FAILED', message: 'UNABLE_TO_LOCK_ROW', retryable: true }
      },
      {
        contactId: 'bad',
        outcome: 'rejected',
        error: { code: 'INVALID_FIELD', message: 'queueName too long', retryable: false }
      }
    ]);
    expect(sf.apiCount).toBe(1);
  });

  it('returns a 400 as a rejected request with the contract error code, without retrying', async () => {
    sf.script.push({
      status: 400,
      body: { error: { code: 'INVALID_REQUEST', message: 'Body must be an object' } }
    });

    const result = await client().postDisconnects([record('a')], soon());

    expect(result).toEqual({
      kind: 'rejected',
      status: 400,
      code: 'INVALID_REQUEST',
      message: 'Body must be an object',
      attempts: 1
    });
  });

  it('returns a 400 without the contract body as HTTP_400', async () => {
    sf.script.push({ status: 400, raw: 'Bad Request' });

    await expect(client().postDisconnects([record('a')], soon())).resolves.toMatchObject({
      kind: 'rejected',
      code: 'HTTP_400',
      message: 'Bad Request'
    });
  });

  it('retries a 408 (the server timed out waiting for the request) like a 5xx', async () => {
    sf.script.push({ status: 408 }, { status: 408 });

    const result = await client().postDisconnects([record('a')], soon());

    expect(result).toMatchObject({ kind: 'delivered', attempts: 3 });
    expect(sf.apiRequests.map((r) => r.answeredWith)).toEqual([408, 408, 200]);
    expect(sleeper.delays).toEqual([50, 100]);
  });

  it('does not retry other client errors (403, 404) but fails retryably', async () => {
    sf.script.push({ status: 403, body: [{ errorCode: 'INSUFFICIENT_ACCESS' }] });

    const result = await client().postDisconnects([record('a')], soon());

    expect(result).toMatchObject({ kind: 'failed', code: 'HTTP_403', attempts: 1 });
    expect(sf.apiCount).toBe(1);
  });

  it.each([
    ['not JSON', '<html>', /not JSON/],
    ['no results', '{}', /no results array/],
    ['wrong count', '{"results":[]}', /0 results for 1 records/],
    ['wrong contactId', '{"results":[{"contactId":"x","outcome":"created"}]}', /does not match/],
    ['unknown outcome', '{"results":[{"contactId":"a","outcome":"merged"}]}', /unknown outcome/],
    ['rejected without error', '{"results":[{"contactId":"a","outcome":"rejected"}]}', /without an error/]
  ])('treats a 200 with %s as BAD_RESPONSE', async (_name, raw, message) => {
    sf.script.push({ status: 200, raw });

    const result = await client().postDisconnects([record('a')], soon());

    expect(result).toMatchObject({ kind: 'failed', code: 'BAD_RESPONSE', attempts: 1 });
    expect(result.kind === 'failed' && result.message).toMatch(message);
  });

  it('does not retry a refused token request (invalid_grant) and never calls the API', async () => {
    const tokens = new TokenProvider(
      { ...jwtAuth(sf), username: 'someone-else@example.com' },
      { timeoutMs: 2_000 }
    );

    const result = await client({ tokens }).postDisconnects([record('a')], soon());

    expect(result).toMatchObject({ kind: 'failed', code: 'AUTH_FAILED', attempts: 1 });
    expect(result.kind === 'failed' && result.message).toMatch(/400 invalid_grant/);
    expect(sf.tokenRequests).toHaveLength(1);
    expect(sf.apiCount).toBe(0);
  });

  it('retries a token endpoint outage like any transient failure', async () => {
    sf.tokenScript.push({ status: 503 });

    const result = await client().postDisconnects([record('a')], soon());

    expect(result).toMatchObject({ kind: 'delivered', attempts: 2 });
    expect(sf.tokenRequests).toHaveLength(2);
  });

  it('works with the client credentials flow too', async () => {
    const tokens = new TokenProvider(clientCredentialsAuth(sf), { timeoutMs: 2_000 });

    await expect(client({ tokens }).postDisconnects([record('a')], soon())).resolves.toMatchObject({
      kind: 'delivered'
    });
  });

  it('refuses to send 0 or more than 200 records (chunking is the caller’s job)', async () => {
    const c = client();
    const many = Array.from({ length: 201 }, (_, i) => record(`r${i}`));

    await expect(c.postDisconnects([], soon())).rejects.toThrow(RangeError);
    await expect(c.postDisconnects(many, soon())).rejects.toThrow(/1-200 records, got 201/);
    expect(sf.apiCount).toBe(0);
  });

  it('creates and closes its own keep-alive dispatcher when none is given', async () => {
    const own = new SalesforceClient({
      tokens: new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000 }),
      endpointPath: DISCONNECTS_PATH,
      requestTimeoutMs: 2_000,
      maxAttempts: 1
    });

    await expect(own.postDisconnects([record('a')], soon())).resolves.toMatchObject({ kind: 'delivered' });
    expect(own.httpDispatcher).toBeInstanceOf(Agent);
    await own.close();
    expect((own.httpDispatcher as Agent).closed).toBe(true);
  });
});
