import { generateKeyPairSync, sign } from 'node:crypto';
import type { DisconnectRecord } from '../../src/types';
import { CONTRACT_PATH, OrgEmulator, startOrgEmulator, TOKEN_PATH } from '../../local/org-emulator';
import { disconnectRecord, readContract } from '../support/kit';

interface Example {
  name: string;
  given: DisconnectRecord[];
  request?: { records?: Record<string, unknown>[] } & Record<string, unknown>;
  rawBody?: string;
  repeatRecord?: number;
  status: number;
  response: {
    results?: {
      contactId: string;
      outcome: string;
      caseId?: string;
      error?: { code: string; retryable: boolean };
    }[];
    error?: { code: string };
  };
}

const contract = readContract<{ examples: Example[] }>();

const CLIENT_ID = '3MVG9local';
const USERNAME = 'relay@example.invalid';
const SECRET = 'not-a-real-secret';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function jwt(claims: Record<string, unknown>, key = keys.privateKey): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${enc({ alg: 'RS256' })}.${enc(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
}

async function token(emu: OrgEmulator, form: Record<string, string>): Promise<Response> {
  return fetch(emu.url + TOKEN_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString()
  });
}

async function clientCredentialsToken(emu: OrgEmulator): Promise<string> {
  const res = await token(emu, {
    grant_type: 'client_credentials',
    client_id: CLIENT_ID,
    client_secret: SECRET
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

function bodyOf(ex: Example): string {
  if (ex.rawBody !== undefined) return ex.rawBody;
  if (ex.repeatRecord) {
    const template = ex.request?.records?.[0] ?? {};
    const records = Array.from({ length: ex.repeatRecord }, (_, i) => ({
      ...template,
      contactId: `${String(template.contactId)}-${i + 1}`
    }));
    return JSON.stringify({ records });
  }
  return JSON.stringify(ex.request);
}

describe('org emulator honours the relay ↔ Apex contract', () => {
  let emu: OrgEmulator;
  let accessToken: string;

  beforeEach(async () => {
    emu = await startOrgEmulator({
      clientId: CLIENT_ID,
      username: USERNAME,
      clientSecret: SECRET,
      jwtPublicKey: publicPem
    });
    accessToken = await clientCredentialsToken(emu);
  });
  afterEach(() => emu.stop());

  it('binds to loopback only', () => {
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each(contract.examples.map((ex) => [ex.name, ex] as const))('example %s', async (_name, ex) => {
    emu.seed(ex.given);
    const seededIds = new Map(ex.given.map((g) => [g.contactId, emu.cases.get(g.contactId)?.id]));
    const res = await fetch(emu.url + CONTRACT_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: bodyOf(ex)
    });
    expect(res.status).toBe(ex.status);
    const body = (await res.json()) as Example['response'];
    if (ex.status === 400) {
      expect(body.error?.code).toBe(ex.response.error?.code);
      expect(emu.cases.size).toBe(ex.given.length);
      return;
    }
    const expected = ex.response.results ?? [];
    expect(body.results).toHaveLength(expected.length);
    expected.forEach((want, i) => {
      const got = body.results?.[i];
      expect(got?.contactId).toBe(want.contactId);
      expect(got?.outcome).toBe(want.outcome);
      expect(got?.error?.code).toBe(want.error?.code);
      expect(got?.error?.retryable).toBe(want.error?.retryable);
      expect(got?.caseId !== undefined).toBe(want.caseId !== undefined);
      // An example sharing a contactId with `given` must address the same Case.
      if (seededIds.has(want.contactId)) expect(got?.caseId).toBe(seededIds.get(want.contactId));
    });
  });

  it('rejects the API without a valid session and counts every request', async () => {
    const res = await fetch(emu.url + CONTRACT_PATH, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(emu.stats.apiCalls).toBe(2);
  });

  it('keeps one Case per contactId (case-insensitive, whole seconds) and publishes an event per created Case', async () => {
    const events: string[] = [];
    emu.subscribe((e) => events.push(`${e.Connect_Contact_Id__c}:${e.Summary__c}`));
    const ex = contract.examples.find((e) => e.name === 'update-newer') as Example;
    const post = async (records: unknown[]): Promise<string[]> => {
      const res = await fetch(emu.url + CONTRACT_PATH, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ records })
      });
      return ((await res.json()) as { results: { outcome: string }[] }).results.map((r) => r.outcome);
    };
    const given = ex.given[0] as DisconnectRecord;
    expect(await post(ex.given)).toEqual(['created']);
    expect(await post(ex.request?.records ?? [])).toEqual(['updated']);
    expect(await post(ex.given)).toEqual(['stale']);
    // Same instant written with an offset and a fraction, and the contactId in upper case: unchanged.
    const newer = ex.request?.records?.[0] as unknown as DisconnectRecord;
    const sameInstant = {
      ...newer,
      contactId: newer.contactId.toUpperCase(),
      lastUpdated: '2024-05-14T11:21:02.450+02:00'
    };
    expect(await post([sameInstant])).toEqual(['unchanged']);
    expect(await post([given, { ...given, contactId: given.contactId.toUpperCase() }])).toEqual([
      'stale',
      'rejected'
    ]);
    expect(emu.cases.size).toBe(1);
    expect(emu.stats).toMatchObject({ created: 1, updated: 1, stale: 2, unchanged: 1, rejected: 1 });
    expect(events).toEqual([
      '7d1f0c3a-5b2e-4c8d-9a61-0e2b4f6a8c10:Dropped call: abandoned after 4 min in BasicQueue'
    ]);
  });

  it.each([
    [{ contactId: '' }, 'INVALID_FIELD'],
    [{ contactId: 'x'.repeat(65), lastUpdated: '2024-05-14T09:17:30Z' }, 'INVALID_FIELD'],
    [{ contactId: 'a', lastUpdated: '2024-02-30T09:17:30Z' }, 'INVALID_FIELD'],
    [{ contactId: 'a', lastUpdated: '2024-05-14 09:17:30' }, 'INVALID_FIELD'],
    [{ contactId: 'a', lastUpdated: '2024-05-14T09:17:30Z', customerPhone: '+0123456789' }, 'INVALID_FIELD'],
    [{ contactId: 'a', lastUpdated: '2024-05-14T09:17:30Z', queueWaitSeconds: 1.5 }, 'INVALID_FIELD'],
    [{ contactId: 'a', lastUpdated: '2024-05-14T09:17:30Z', attributes: { n: 1 } }, 'INVALID_FIELD'],
    [{ contactId: 'a', lastUpdated: '2024-05-14T09:17:30Z', channel: 'V'.repeat(21) }, 'INVALID_FIELD'],
    [{ lastUpdated: '2024-05-14T09:17:30Z' }, 'MISSING_FIELD'],
    ['not an object', 'INVALID_FIELD']
  ])('rejects the record %j with %s', async (record, code) => {
    const res = await fetch(emu.url + CONTRACT_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ records: [record] })
    });
    const body = (await res.json()) as {
      results: { outcome: string; error: { code: string; retryable: boolean } }[];
    };
    expect(body.results[0]).toMatchObject({ outcome: 'rejected', error: { code, retryable: false } });
  });
});

describe('org emulator token endpoint', () => {
  let emu: OrgEmulator;
  beforeEach(async () => {
    emu = await startOrgEmulator({ clientId: CLIENT_ID, username: USERNAME, jwtPublicKey: publicPem });
  });
  afterEach(() => emu.stop());

  const claims = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    iss: CLIENT_ID,
    sub: USERNAME,
    aud: emu.url,
    exp: Math.floor(Date.now() / 1000) + 180,
    ...over
  });
  const bearer = (assertion: string): Promise<Response> =>
    token(emu, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });

  it('issues a token with instance_url = itself for a valid JWT bearer assertion', async () => {
    const res = await bearer(jwt(claims()));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; instance_url: string; token_type: string };
    expect(body.instance_url).toBe(emu.url);
    expect(body.token_type).toBe('Bearer');
    const api = await fetch(emu.url + CONTRACT_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${body.access_token}` },
      body: '{"records":[]}'
    });
    expect(api.status).toBe(400);
  });

  it.each([
    [
      'a foreign signing key',
      () => jwt(claims(), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)
    ],
    ['a wrong issuer', () => jwt(claims({ iss: 'someone-else' }))],
    ['a wrong subject', () => jwt(claims({ sub: 'other@example.invalid' }))],
    ['a wrong audience', () => jwt(claims({ aud: 'https://login.salesforce.com' }))],
    ['an expired assertion', () => jwt(claims({ exp: Math.floor(Date.now() / 1000) - 5 }))],
    ['garbage', () => 'not.a.jwt']
  ])('refuses %s', async (_label, make) => {
    const res = await bearer(make());
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^invalid_/);
  });

  it('refuses client credentials when no secret is configured', async () => {
    const res = await token(emu, {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: 'x'
    });
    expect(res.status).toBe(400);
  });
});

describe('org emulator faults, worklist and events', () => {
  let emu: OrgEmulator;
  let accessToken: string;
  const now = new Date('2026-01-10T12:00:00Z');
  const drop = (
    contactId: string,
    minutesAgo: number,
    over: Partial<DisconnectRecord> = {}
  ): DisconnectRecord => {
    const t = new Date(now.getTime() - minutesAgo * 60_000).toISOString().replace('.000', '');
    return disconnectRecord(contactId, {
      lastUpdated: t,
      initiatedAt: t,
      disconnectedAt: t,
      queueWaitSeconds: 45,
      ...over
    });
  };

  beforeEach(async () => {
    emu = await startOrgEmulator({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      now: () => now,
      settings: { maxAttempts: 2 }
    });
    accessToken = await clientCredentialsToken(emu);
  });
  afterEach(() => emu.stop());

  const post = (): Promise<Response> =>
    fetch(emu.url + CONTRACT_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ records: [drop('f-1', 1)] })
    });

  it('injects 429 with Retry-After, 503 and 401 for a count of requests, via the admin endpoint', async () => {
    for (const f of [
      { kind: '429', count: 1, retryAfterSeconds: 7 },
      { kind: '503', count: 1 },
      { kind: '401', count: 1 }
    ]) {
      const r = await fetch(emu.url + '/__emulator/faults', { method: 'POST', body: JSON.stringify(f) });
      expect(r.status).toBe(201);
    }
    const first = await post();
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect((await post()).status).toBe(503);
    expect((await post()).status).toBe(401);
    expect((await post()).status).toBe(200);
    expect(emu.stats.faultsInjected).toBe(3);
  });

  it('resets connections and adds latency on demand', async () => {
    emu.injectFault({ kind: 'reset', count: 1 });
    await expect(post()).rejects.toThrow();
    emu.injectFault({ kind: 'latency', count: 1, latencyMs: 150 });
    const t = Date.now();
    expect((await post()).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    const bad = await fetch(emu.url + '/__emulator/faults', {
      method: 'POST',
      body: '{"kind":"boom","count":1}'
    });
    expect(bad.status).toBe(400);
  });

  it('reaches the worklist (preview Apex bridge and event stream) only when the fault targets it', async () => {
    emu.seed([drop('w-fault', 5)]);
    const apex = () =>
      fetch(`${emu.url}/__preview/apex/getDispositions`, { method: 'POST', body: JSON.stringify({}) });
    emu.injectFault({ kind: '503', count: 1 });
    expect((await apex()).status).toBe(200); // the default target is the relay's REST API
    expect((await post()).status).toBe(503);

    emu.injectFault({ kind: '503', count: 2, target: 'worklist' });
    expect((await post()).status).toBe(200);
    expect((await apex()).status).toBe(503);
    expect((await fetch(emu.url + '/__preview/events')).status).toBe(503);
    expect((await apex()).status).toBe(200);
    expect(() => emu.injectFault({ kind: '503', count: 1, target: 'nowhere' as 'api' })).toThrow(/target/);
  });

  it('answers only the worklist Apex the org has: the removed per-Case methods are unknown', async () => {
    emu.seed([drop('w-new', 10)]);
    const apex = async (method: string, args: unknown): Promise<Response> =>
      fetch(`${emu.url}/__preview/apex/${method}`, { method: 'POST', body: JSON.stringify(args) });
    for (const removed of ['getOpenCallbacks', 'logCallbackOutcome']) {
      const res = await apex(removed, {});
      expect(res.status).toBe(404);
      expect(((await res.json()) as { message: string }).message).toBe(`No such Apex method: ${removed}`);
    }
    const page = (await (await apex('getWorklist', { requestJson: '{}' })).json()) as {
      callers: { drops: { connectContactId: string }[] }[];
    };
    expect(page.callers.flatMap((c) => c.drops.map((d) => d.connectContactId))).toEqual(['w-new']);
  });

  it('streams Disconnected_Call__e payloads as server-sent events', async () => {
    const controller = new AbortController();
    const res = await fetch(emu.url + '/__preview/events', { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the subscription comment
    expect((await post()).status).toBe(200);
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    const message = JSON.parse(/data: (.*)/.exec(text)?.[1] as string) as {
      channel: string;
      data: { payload: Record<string, unknown> };
    };
    expect(message.channel).toBe('/event/Disconnected_Call__e');
    expect(message.data.payload).toMatchObject({
      Connect_Contact_Id__c: 'f-1',
      Masked_Phone__c: '+*******0142',
      Customer_Name__c: 'Ana Gómez',
      Category__c: 'ABANDONED_IN_QUEUE',
      Summary__c: 'Dropped call: abandoned after 45 s in BasicQueue'
    });
    controller.abort();
  });
});
