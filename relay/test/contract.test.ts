/**
 * Contract test (relay side): for every example of ConnectDisconnectContract.json — the single source of truth
 * shared with the Apex tests — the relay client sends exactly the example's request and understands the example's
 * response, served verbatim by a real HTTP server on 127.0.0.1.
 */
import { Agent } from 'undici';
import { classify } from '../src/classify';
import { DEFAULT_POLICY } from '../src/policy';
import { toDisconnectRecord } from '../src/record';
import { TokenProvider } from '../src/salesforce/auth';
import { SalesforceClient } from '../src/salesforce/client';
import type { DisconnectRecord, DisconnectResponse } from '../src/types';
import { DISCONNECTS_PATH, type FakeSalesforce } from './support/fakeSalesforce';
import { abandonedCtr, jwtAuth, readContract, referenceCtrs, startFakeSalesforce } from './support/kit';

interface Example {
  name: string;
  given: DisconnectRecord[];
  request?: { records?: DisconnectRecord[] } & Record<string, unknown>;
  rawBody?: string;
  repeatRecord?: number;
  status: number;
  response: DisconnectResponse | { error: { code: string; message: string } };
}

const contract = readContract<{
  path: string;
  method: string;
  recordFields: Record<string, string>;
  lifecycle?: { recordFields: Record<string, string> };
  examples: Example[];
}>();

const ok = contract.examples.filter((e) => e.status === 200);
const bad = contract.examples.filter((e) => e.status === 400);

/** The JSON type a contract field description allows, e.g. "string or null" → ['string', 'null']. */
function allowedTypes(description: string): string[] {
  const types: string[] = [];
  // "string …", or an enumeration of quoted literals such as '"callback" … or "resolve"'.
  if (/string/i.test(description) || description.startsWith('"')) types.push('string');
  if (/integer/i.test(description)) types.push('number');
  if (/object/i.test(description)) types.push('object');
  if (/null/.test(description)) types.push('null');
  return types;
}

function jsonType(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

describe('contract ConnectDisconnectContract.json (relay side)', () => {
  let sf: FakeSalesforce;
  let dispatcher: Agent;
  let client: SalesforceClient;

  beforeAll(async () => {
    sf = await startFakeSalesforce();
    dispatcher = new Agent();
    client = new SalesforceClient({
      tokens: new TokenProvider(jwtAuth(sf), { timeoutMs: 2_000, dispatcher }),
      endpointPath: DISCONNECTS_PATH,
      requestTimeoutMs: 2_000,
      maxAttempts: 1,
      dispatcher
    });
  });
  afterAll(async () => {
    await dispatcher.destroy();
    await sf.stop();
  });
  beforeEach(() => {
    sf.script.length = 0;
    sf.store.clear();
  });

  it('targets the same method and path as the relay', () => {
    expect(contract.method).toBe('POST');
    expect(contract.path).toBe(DISCONNECTS_PATH);
    expect(ok.length).toBeGreaterThanOrEqual(6);
    expect(bad.map((e) => (e.response as { error: { code: string } }).error.code).sort()).toEqual([
      'BATCH_TOO_LARGE',
      'EMPTY_BATCH',
      'INVALID_REQUEST',
      'MALFORMED_JSON'
    ]);
  });

  describe.each(ok.map((e) => [e.name, e] as const))('example %s (200)', (_name, example) => {
    const records = example.request?.records as DisconnectRecord[];

    it('is sent exactly as the example request and its response parsed as the example results', async () => {
      sf.script.push({ status: 200, body: example.response });
      const before = sf.apiCount;

      const result = await client.postDisconnects(records, Date.now() + 10_000);

      expect(sf.apiCount).toBe(before + 1);
      const sent = sf.apiRequests[sf.apiRequests.length - 1];
      expect(sent?.contentType).toBe('application/json');
      expect(sent?.body).toEqual(example.request);
      expect(result).toEqual({
        kind: 'delivered',
        attempts: 1,
        results: (example.response as DisconnectResponse).results
      });
    });

    it('gets the example outcomes from the fake org (the fake honours the contract)', async () => {
      for (const given of example.given)
        sf.store.set(given.contactId, { caseId: 'x', lastUpdated: given.lastUpdated });

      const result = await client.postDisconnects(records, Date.now() + 10_000);

      const expected = (example.response as DisconnectResponse).results.map((r) => ({
        contactId: r.contactId,
        outcome: r.outcome,
        ...(r.error ? { code: r.error.code, retryable: r.error.retryable } : {})
      }));
      expect(
        result.kind === 'delivered' &&
          result.results.map((r) => ({
            contactId: r.contactId,
            outcome: r.outcome,
            ...(r.error ? { code: r.error.code, retryable: r.error.retryable } : {})
          }))
      ).toEqual(expected);
    });
  });

  describe.each(bad.map((e) => [e.name, e] as const))('example %s (400)', (_name, example) => {
    it('is parsed as a rejected request carrying the example error code', async () => {
      sf.script.push({ status: 400, body: example.response });
      const error = (example.response as { error: { code: string; message: string } }).error;

      const result = await client.postDisconnects([abandonedRecord()], Date.now() + 10_000);

      expect(result).toEqual({
        kind: 'rejected',
        status: 400,
        code: error.code,
        message: error.message,
        attempts: 1
      });
    });
  });

  it('never sends the requests the 400 examples describe: empty or over-200 batches are refused locally', async () => {
    const tooLarge = contract.examples.find((e) => e.name === 'batch-too-large') as Example;
    const template = tooLarge.request?.records?.[0] as DisconnectRecord;
    const records = Array.from({ length: tooLarge.repeatRecord ?? 201 }, (_, i) => ({
      ...template,
      contactId: `${template.contactId}-${i + 1}`
    }));
    const before = sf.apiCount;

    await expect(client.postDisconnects(records, Date.now() + 10_000)).rejects.toThrow(RangeError);
    await expect(client.postDisconnects([], Date.now() + 10_000)).rejects.toThrow(RangeError);
    expect(sf.apiCount).toBe(before);
  });

  it('builds from the reference CTR exactly the record of the "create" example', () => {
    const create = contract.examples.find((e) => e.name === 'create') as Example;

    // The example leaves out action (absent = "callback") and phoneSource (null with a number = CALLER_ID).
    expect(abandonedRecord()).toEqual({
      action: 'callback',
      phoneSource: 'CALLER_ID',
      ...create.request?.records?.[0]
    });
  });

  it('gives every record it builds exactly the contract fields with the contract types', () => {
    const policy = { ...DEFAULT_POLICY, attributeAllowlist: ['intent'] };
    const built = referenceCtrs()
      .map((ctr) => ({ ctr, c: classify(ctr, policy) }))
      .filter(({ c }) => c.action !== 'skip')
      .map(({ ctr, c }) => toDisconnectRecord(ctr, c, policy));
    expect(built.length).toBeGreaterThanOrEqual(2);

    // The lifecycle fields (action, phoneSource) may be listed at the top or in the lifecycle section.
    const fields = { ...contract.lifecycle?.recordFields, ...contract.recordFields };
    expect(built.map((r) => r.action)).toEqual(expect.arrayContaining(['callback', 'resolve']));
    for (const record of built) {
      expect(Object.keys(record).sort()).toEqual(Object.keys(fields).sort());
      for (const [field, description] of Object.entries(fields)) {
        expect({ field, type: allowedTypes(description) }).toEqual({
          field,
          type: expect.arrayContaining([jsonType((record as unknown as Record<string, unknown>)[field])])
        });
      }
    }
  });
});

function abandonedRecord(): DisconnectRecord {
  const policy = { ...DEFAULT_POLICY, attributeAllowlist: ['intent'] };
  const ctr = abandonedCtr();
  return toDisconnectRecord(ctr, classify(ctr, policy), policy);
}
