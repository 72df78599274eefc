/**
 * SalesforceClient edges against the fake org on 127.0.0.1: the deadline to the millisecond on an injected
 * clock, what it logs while retrying, the exact messages of timeouts and network failures, odd 400 and 200 bodies,
 * the largest chunk, its default backoff, and closing (its own connections only, any number of times).
 */
import { Agent } from 'undici';
import { TokenProvider } from '../src/salesforce/auth';
import { SalesforceClient, type SalesforceClientOptions } from '../src/salesforce/client';
import type { FakeSalesforce } from './support/fakeSalesforce';
import {
  captureLogger,
  disconnectRecord,
  fakeSleep,
  jwtAuth,
  sessionClient,
  startFakeOrgSession,
  stopFakeOrgSession
} from './support/kit';

const soon = (): number => Date.now() + 20_000;

describe('SalesforceClient edges', () => {
  let sf: FakeSalesforce;
  let dispatcher: Agent;
  let sleeper: ReturnType<typeof fakeSleep>;

  beforeEach(async () => {
    ({ sf, dispatcher } = await startFakeOrgSession());
    sleeper = fakeSleep();
  });
  afterEach(() => stopFakeOrgSession({ sf, dispatcher }));

  function client(overrides: Partial<SalesforceClientOptions> = {}): SalesforceClient {
    return sessionClient({ sf, dispatcher }, sleeper.sleep, overrides);
  }

  it('sends a full chunk of 200 records in one request', async () => {
    const records = Array.from({ length: 200 }, (_, i) => disconnectRecord(`full-${i}`));

    const result = await client().postDisconnects(records, soon());

    expect(result.kind === 'delivered' && result.results).toHaveLength(200);
    expect(sf.apiCount).toBe(1);
  });

  it('asks for JSON, and says so when the endpoint refuses a fresh token too', async () => {
    sf.script.push({ status: 401 }, { status: 401 });

    const result = await client().postDisconnects([disconnectRecord('a')], soon());

    expect(result).toEqual({
      kind: 'failed',
      code: 'AUTH_FAILED',
      message: 'endpoint answered 401 again after re-authenticating',
      attempts: 1
    });
    expect(sf.apiRequests.map((r) => r.accept)).toEqual(['application/json', 'application/json']);
  });

  it('starts no attempt when the deadline is exactly now', async () => {
    const now = Date.now();

    const result = await client({ now: () => now }).postDisconnects([disconnectRecord('a')], now);

    expect(result).toEqual({
      kind: 'failed',
      code: 'DEADLINE',
      message: 'no time left before the deadline',
      attempts: 0
    });
    expect(sf.tokenRequests).toHaveLength(0);
  });

  it('does not wait for a retry that would end exactly at the deadline', async () => {
    const now = Date.now();
    sf.script.push({ status: 503, headers: { 'retry-after': '1' } });

    const result = await client({ now: () => now, backoff: { random: () => 0 } }).postDisconnects(
      [disconnectRecord('a')],
      now + 1_000
    );

    expect(result).toEqual({
      kind: 'failed',
      code: 'HTTP_503',
      message: 'endpoint answered 503 (a retry in 1000 ms would pass the deadline)',
      attempts: 1
    });
    expect(sleeper.delays).toEqual([]);
  });

  it('logs each retry with its attempt, code, delay and size, and the re-authentication after a 401', async () => {
    const logger = captureLogger();
    const c = client({ logger });
    await c.postDisconnects([disconnectRecord('a')], soon());
    sf.expireTokens();
    sf.script.push({ status: 503 });

    const result = await c.postDisconnects([disconnectRecord('b'), disconnectRecord('c')], soon());

    expect(result).toMatchObject({ kind: 'delivered', attempts: 2 });
    expect(
      logger.lines.map(({ level, message, timestamp: _t, ...fields }) => ({ level, message, fields }))
    ).toEqual([
      { level: 'debug', message: 'access token rejected (401); re-authenticating once', fields: {} },
      {
        level: 'warn',
        message: 'retrying Salesforce request',
        fields: { attempt: 1, code: 'HTTP_503', delayMs: 50, records: 2 }
      }
    ]);
  });

  it('backs off with the default base delay (200 ms) when only the randomness is given', async () => {
    sf.script.push({ status: 500 }, { status: 500 });

    await client({ backoff: { random: () => 0.5 } }).postDisconnects([disconnectRecord('a')], soon());

    expect(sleeper.delays).toEqual([100, 200]);
  });

  it('says how long it waited when no answer came, and what failed on the connection', async () => {
    sf.script.push({ hang: true }, { reset: true });

    const result = await client({ requestTimeoutMs: 150, maxAttempts: 1 }).postDisconnects(
      [disconnectRecord('a')],
      soon()
    );
    const reset = await client({ maxAttempts: 1 }).postDisconnects([disconnectRecord('a')], soon());

    expect(result).toMatchObject({
      kind: 'failed',
      code: 'TIMEOUT',
      message: 'no answer within 150 ms (gave up after 1 attempt(s))'
    });
    expect(reset).toMatchObject({ kind: 'failed', code: 'NETWORK' });
    expect(reset.kind === 'failed' && reset.message).toMatch(/^connection failed: \S+/);
  });

  it('reports a token endpoint outage as AUTH_UNAVAILABLE with what it answered', async () => {
    sf.tokenScript.push({ status: 503 }, { status: 503 });

    const result = await client({ maxAttempts: 2 }).postDisconnects([disconnectRecord('a')], soon());

    expect(result).toMatchObject({ kind: 'failed', code: 'AUTH_UNAVAILABLE', attempts: 2 });
    expect(result.kind === 'failed' && result.message).toMatch(/^AuthError: token endpoint \S+ answered 503/);
  });

  it.each([
    ['a contract error without a message', { error: { code: 'EMPTY_BATCH' } }, 'EMPTY_BATCH', ''],
    [
      'an error code that is no text',
      { error: { code: 7, message: 'x' } },
      'HTTP_400',
      '{"error":{"code":7,"message":"x"}}'
    ],
    ['no error object', { message: 'bad' }, 'HTTP_400', '{"message":"bad"}']
  ])('turns a 400 with %s into a rejection', async (_name, body, code, message) => {
    sf.script.push({ status: 400, body });

    await expect(client().postDisconnects([disconnectRecord('a')], soon())).resolves.toEqual({
      kind: 'rejected',
      status: 400,
      code,
      message,
      attempts: 1
    });
  });

  it('quotes at most 200 characters of a 400 body it cannot read', async () => {
    const raw = `<html>${'x'.repeat(300)}</html>`;
    sf.script.push({ status: 400, raw });

    await expect(client().postDisconnects([disconnectRecord('a')], soon())).resolves.toMatchObject({
      code: 'HTTP_400',
      message: raw.slice(0, 200)
    });
  });

  const two = '{"results":[{"contactId":"a","outcome":"created"},{"contactId":"a","outcome":"created"}]}';
  it.each([
    ['null', '{"results":[null]}', 1, 'result 0 does not match contactId of record 0'],
    ['text', '{"results":["a"]}', 1, 'result 0 does not match contactId of record 0'],
    ['a second result of another contact', two, 2, 'result 1 does not match contactId of record 1'],
    [
      'a rejection with a null error',
      '{"results":[{"contactId":"a","outcome":"rejected","error":null}]}',
      1,
      'result 0 is rejected without an error'
    ],
    [
      'an outcome that is no text',
      '{"results":[{"contactId":"a","outcome":3}]}',
      1,
      'result 0 has unknown outcome "3"'
    ]
  ])('treats a 200 whose result is %s as BAD_RESPONSE, without retrying', async (_name, raw, count, why) => {
    sf.script.push({ status: 200, raw });
    const records = ['a', 'b'].slice(0, count).map((id) => disconnectRecord(id));

    const result = await client().postDisconnects(records, soon());

    expect(result).toEqual({
      kind: 'failed',
      code: 'BAD_RESPONSE',
      message: `unexpected 200 body: ${why}`,
      attempts: 1
    });
    expect(sf.apiCount).toBe(1);
  });

  it('accepts a rejection with an error object and every contract outcome', async () => {
    const outcomes = ['created', 'updated', 'unchanged', 'stale', 'resolved', 'nothing-to-resolve'];
    const records = outcomes.map((o) => disconnectRecord(o));
    sf.script.push({
      status: 200,
      body: { results: outcomes.map((outcome) => ({ contactId: outcome, outcome })) }
    });

    const result = await client().postDisconnects(records, soon());

    expect(result.kind === 'delivered' && result.results.map((r) => r.outcome)).toEqual(outcomes);
  });

  it('closes only connections it owns, and closing twice is harmless', async () => {
    const shared = client();
    await shared.close();
    expect(dispatcher.closed).toBe(false);
    await expect(shared.postDisconnects([disconnectRecord('still')], soon())).resolves.toMatchObject({
      kind: 'delivered'
    });

    const own = client({ dispatcher: undefined });
    await own.postDisconnects([disconnectRecord('own')], soon());
    await own.close();
    await expect(own.close()).resolves.toBeUndefined();
    expect((own.httpDispatcher as Agent).closed).toBe(true);
  });

  it('its own pool opens at most 4 connections to the org, and re-uses them for the chunks that wait', async () => {
    const tokens = new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000, dispatcher });
    await tokens.getToken();
    const before = sf.connectionCount;
    const own = client({ tokens, dispatcher: undefined });

    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => own.postDisconnects([disconnectRecord(`pool-${i}`)], soon()))
    );
    await own.close();

    expect(results.map((r) => r.kind)).toEqual(Array(6).fill('delivered'));
    expect(sf.apiCount).toBe(6);
    expect(sf.connectionCount - before).toBe(4);
  });
});
