/**
 * This relay against the two per-record patterns it replaces, on the same records, against the same emulator
 * with the same fixed latency per request:
 *
 *  - relay: the shipped event source mapping defaults (batch size, parallelization factor; a backlog, so every
 *    batch is full), createRelay().processEvent per batch: decode, classify, de-duplicate, ≤ 200 records per request,
 *    cached JWT bearer token. It sends a drop for each caller to call back AND a resolve for each contact that got
 *    through (closing that caller's older callbacks), which the blog's Lambda never did;
 *  - relay-drops: the same relay with resolves off (policy resolveWhenCustomerGetsThrough false): the blog's work
 *    only, so the blog comparison is like for like;
 *  - blog: the original blog post's Lambda: per invocation (same batches) sign in, then one create per dropped CTR,
 *    sequentially. The sign-in is a client-credentials token request (the emulator, like the relay, has no
 *    username-password flow; it is the same single round trip) and each create is a one-record request to the same
 *    Apex REST endpoint (the emulator has no sObject API);
 *  - cti: the CTI adapter's CTR import: one upsert request per CTR, session cached. Drops go to the same endpoint
 *    (an upsert by ContactId); the other CTRs to the sObject upsert path, which the emulator answers 404 after the
 *    same latency, without doing any work — in the adapter's favour.
 *
 * Timed: from the first byte of the first Kinesis event (events built before) to the last response, including
 * decoding and classifying in every pattern. Not timed: building events, starting the emulator.
 *
 * Steady state and cold start. A Lambda execution environment handles batch after batch and keeps its token (the
 * relay) or session (the CTI adapter) for hours, so the judged figures are taken that way: token or session obtained
 * before the timed run, as after the first invocation. The blog signs in inside every invocation by design. The
 * relay is also timed from a cold start (its token request inside the run), shown beside.
 */
import { Agent, request } from 'undici';
import { classify } from '../src/classify';
import { decodeKinesisRecord } from '../src/decode';
import { DEFAULT_POLICY } from '../src/policy';
import { toDisconnectRecord } from '../src/record';
import type { KinesisStreamRecord } from 'aws-lambda';
import { CONTRACT_PATH, TOKEN_PATH } from '../local/org-emulator';
import { benchRelay, CLIENT_ID, CLIENT_SECRET, startEmulator } from './org';
import { measure, spread, type Spread } from './stats';
import { parallelSlot, simulatedTraffic, toKinesisRecords } from './traffic';

export type PatternName = 'relay' | 'relay-drops' | 'blog' | 'cti';

/** This relay, with or without resolves (its token obtained before a steady-state run). */
const isRelayPattern = (pattern: PatternName): boolean => pattern === 'relay' || pattern === 'relay-drops';

export interface PatternResult {
  pattern: PatternName;
  latencyMs: number;
  records: number;
  /** Requests the emulator served per timed run, in steady state (token requests made in the run included). */
  apiCalls: Spread;
  wallMs: Spread;
  /** The relay patterns from a cold start: the token request is made inside the timed run. */
  cold?: { apiCalls: Spread; wallMs: Spread };
  casesCreated: number;
}

export interface MappingDefaults {
  batchSize: number;
  parallelizationFactor: number;
}

/** The batches Lambda would hand over from a backlog: per parallel slot, full batches in stream order. */
export function backlogBatches(
  records: KinesisStreamRecord[],
  d: MappingDefaults
): KinesisStreamRecord[][][] {
  const slots: KinesisStreamRecord[][] = Array.from(
    { length: Math.max(1, d.parallelizationFactor) },
    () => []
  );
  for (const r of records) slots[parallelSlot(r.kinesis.partitionKey, d.parallelizationFactor)]?.push(r);
  return slots.map((slot) => {
    const batches: KinesisStreamRecord[][] = [];
    for (let i = 0; i < slot.length; i += d.batchSize) batches.push(slot.slice(i, i + d.batchSize));
    return batches;
  });
}

async function runRelay(
  slots: KinesisStreamRecord[][][],
  relay: ReturnType<typeof benchRelay>
): Promise<void> {
  await Promise.all(
    slots.map(async (batches) => {
      for (const batch of batches) {
        const report = await relay.processEvent({ Records: batch }, Date.now() + 60_000);
        if (report.batchItemFailures.length > 0) throw new Error('bench: the relay reported failures');
      }
    })
  );
}

async function post(agent: Agent, url: string, token: string, body: unknown): Promise<number> {
  const response = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  });
  await response.body.text();
  return response.statusCode;
}

async function signIn(agent: Agent, baseUrl: string): Promise<string> {
  const response = await request(baseUrl + TOKEN_PATH, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET
    }).toString()
  });
  const body = (await response.body.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`bench: sign-in failed (${response.statusCode})`);
  return body.access_token;
}

/** A drop's contract record, or null for a CTR that is not forwarded or not decodable. */
function dropOf(record: KinesisStreamRecord): { contactId: string; drop: unknown } | undefined {
  const decoded = decodeKinesisRecord(record);
  if (!decoded.ok) return undefined;
  const verdict = classify(decoded.ctr, DEFAULT_POLICY);
  if (!verdict.forward) return { contactId: decoded.ctr.ContactId, drop: null };
  return { contactId: decoded.ctr.ContactId, drop: toDisconnectRecord(decoded.ctr, verdict, DEFAULT_POLICY) };
}

async function runBlog(agent: Agent, baseUrl: string, slots: KinesisStreamRecord[][][]): Promise<void> {
  for (const batches of slots) {
    for (const batch of batches) {
      const token = await signIn(agent, baseUrl); // every invocation logs in again
      for (const record of batch) {
        const d = dropOf(record);
        if (d?.drop) await post(agent, baseUrl + CONTRACT_PATH, token, { records: [d.drop] });
      }
    }
  }
}

async function runCti(
  agent: Agent,
  baseUrl: string,
  slots: KinesisStreamRecord[][][],
  token: string // the session, cached from before
): Promise<void> {
  for (const batches of slots) {
    for (const batch of batches) {
      for (const record of batch) {
        const d = dropOf(record);
        if (d === undefined) continue; // the adapter cannot parse it either
        if (d.drop) await post(agent, baseUrl + CONTRACT_PATH, token, { records: [d.drop] });
        else {
          const path = `/services/data/v64.0/sobjects/AC_ContactTraceRecord__c/ContactId__c/${d.contactId}`;
          await post(agent, baseUrl + path, token, { fields: 'the whole CTR' });
        }
      }
    }
  }
}

/**
 * One timed run of a pattern against a fresh emulator. `warm`: the relay's token (or the CTI adapter's session) is
 * obtained before timing, as after a Lambda's first invocation; API calls are those made inside the timed run.
 */
async function timedRun(
  pattern: PatternName,
  slots: KinesisStreamRecord[][][],
  latencyMs: number,
  warm: boolean
): Promise<{ apiCalls: number; wallMs: number; casesCreated: number }> {
  const emulator = await startEmulator(latencyMs);
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const relay = benchRelay(
    emulator,
    pattern === 'relay-drops' ? { resolveWhenCustomerGetsThrough: false } : undefined
  );
  try {
    let session = '';
    if (warm && isRelayPattern(pattern)) await relay.tokens.getToken();
    if (warm && pattern === 'cti') session = await signIn(agent, emulator.url);
    const before = emulator.stats.apiCalls;
    const t = await measure(async () => {
      if (isRelayPattern(pattern)) await runRelay(slots, relay);
      else if (pattern === 'blog') await runBlog(agent, emulator.url, slots);
      else await runCti(agent, emulator.url, slots, session || (await signIn(agent, emulator.url)));
    });
    return {
      apiCalls: emulator.stats.apiCalls - before,
      wallMs: t.wallMs,
      casesCreated: emulator.stats.created
    };
  } finally {
    await relay.close();
    await agent.close();
    await emulator.stop();
  }
}

export async function comparePatterns(options: {
  records: number;
  runs: number;
  latenciesMs: number[];
  defaults: MappingDefaults;
}): Promise<PatternResult[]> {
  const records = toKinesisRecords(simulatedTraffic(options.records, { seed: 21 }));
  const slots = backlogBatches(records, options.defaults);
  const results: PatternResult[] = [];
  // Untimed warm-up of every pattern (JIT, key import, connection set-up), so the first timed run is not the slowest.
  {
    const emulator = await startEmulator(0);
    const agent = new Agent({ keepAliveTimeout: 30_000 });
    const relay = benchRelay(emulator);
    const few = backlogBatches(records.slice(0, 40), options.defaults);
    await runRelay(few, relay);
    await runBlog(agent, emulator.url, few);
    await runCti(agent, emulator.url, few, await signIn(agent, emulator.url));
    await relay.close();
    await agent.close();
    await emulator.stop();
  }
  for (const latencyMs of options.latenciesMs) {
    for (const pattern of ['relay', 'relay-drops', 'blog', 'cti'] as const) {
      const steady = { calls: [] as number[], wall: [] as number[] };
      const cold = { calls: [] as number[], wall: [] as number[] };
      let casesCreated = 0;
      for (let run = 0; run < options.runs; run++) {
        for (const warm of isRelayPattern(pattern) ? [true, false] : [true]) {
          const t = await timedRun(pattern, slots, latencyMs, warm);
          (warm ? steady : cold).calls.push(t.apiCalls);
          (warm ? steady : cold).wall.push(t.wallMs);
          casesCreated = t.casesCreated;
        }
      }
      results.push({
        pattern,
        latencyMs,
        records: records.length,
        apiCalls: spread(steady.calls),
        wallMs: spread(steady.wall),
        ...(isRelayPattern(pattern)
          ? { cold: { apiCalls: spread(cold.calls), wallMs: spread(cold.wall) } }
          : {}),
        casesCreated
      });
    }
  }
  return results;
}
