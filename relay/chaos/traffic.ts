/**
 * Chaos traffic with its ground truth: dropped contacts in several versions (each version marked by its queue wait,
 * so a Case shows which version it holds), contacts that must not become Cases, and malformed records that must be
 * parked exactly once. Deterministic from a seed.
 */
import { seededRandom } from '../local/simulator';

export interface TrafficOptions {
  seed: number;
  /** Dropped contacts (each must end as one Case holding its newest version). */
  drops: number;
  /** Versions per dropped contact (1 = one CTR each). */
  versions: number;
  /** Every record put this many times. */
  copies: number;
  /** Put the records in random order (versions out of order). */
  shuffle: boolean;
  /** Partition keys: by ContactId (Connect's way: one contact, one shard) or random (copies spread over shards). */
  partitionBy: 'contact' | 'random';
  /** Contacts that are not drops (agent-handled, transferred to a formatted phone number). */
  skipped: number;
  /** Malformed records, each different (must be parked once each). */
  malformed: number;
  /** Malformed records bigger than an SQS message (300 KB). */
  huge?: number;
  /** Edge cases: ContactIds differing in case, equal timestamps, impossible dates. */
  edgeCases?: boolean;
}

export interface TrafficRecord {
  data: string;
  partitionKey: string;
}

export interface Truth {
  /** lower-case ContactId → the newest version's lastUpdated and queue wait (its marker). */
  cases: Map<string, { lastUpdated: string; queueWaitSeconds: number }>;
  /** Payloads (base64) that must be parked, each exactly `times` times (once per copy put), with their reason. */
  parked: Map<string, { reason: RegExp; times: number }>;
  /** Lower-case ContactIds that must not get a Case. */
  noCase: Set<string>;
  /** Every phone number the traffic carries, in the formats it carries them: none may reach a log. */
  phones: string[];
}

const INSTANCE = 'arn:aws:connect:us-east-1:111122223333:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const BASE_MS = Date.parse('2026-11-02T09:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function uuid(r: () => number): string {
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

function dropCtr(id: string, phone: string, version: number, at: number): Record<string, unknown> {
  const disconnect = at - 60_000;
  return {
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    ContactId: id,
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: iso(disconnect - 300_000),
    DisconnectTimestamp: iso(disconnect),
    LastUpdateTimestamp: iso(at),
    DisconnectReason: 'CUSTOMER_DISCONNECT',
    CustomerEndpoint: { Address: phone, Type: 'TELEPHONE_NUMBER' },
    InstanceARN: INSTANCE,
    Queue: {
      Name: 'BasicQueue',
      EnqueueTimestamp: iso(disconnect - 200_000),
      DequeueTimestamp: iso(disconnect),
      // The version marker: the Case's queue wait says which version it holds.
      Duration: 100 + version
    },
    Agent: null,
    Attributes: { v: String(version) }
  };
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function malformedText(i: number, r: () => number, phone: string): { text: string; reason: RegExp } {
  const n = `${i}-${Math.floor(r() * 1e9)}`;
  const digits = phone.slice(1);
  const kinds: { text: string; reason: RegExp }[] = [
    { text: `tel:${digits}`, reason: /^not JSON/ },
    {
      text: `{"ContactId": "m-${n}", "Channel": "VOICE", "CustomerEndpoint": {"Address": "${phone}"`,
      reason: /^not JSON/
    },
    {
      text: `call back +1 ${digits.slice(1, 4)} ${digits.slice(4, 7)} ${digits.slice(7)} (${n})`,
      reason: /^not JSON/
    },
    { text: JSON.stringify({ contactId: `m-${n}`, phone }), reason: /ContactId missing/ },
    { text: JSON.stringify([n, phone]), reason: /not a JSON object/ },
    { text: JSON.stringify({ ContactId: ' ', n }), reason: /ContactId is empty/ },
    {
      text: JSON.stringify({
        ...dropCtr(`bad-date-${n}`, phone, 1, BASE_MS),
        LastUpdateTimestamp: '2025-04-31T10:00:00Z',
        DisconnectTimestamp: '2025-02-30T10:00:00Z',
        InitiationTimestamp: '2025-13-01T10:00:00Z'
      }),
      reason: /no valid LastUpdateTimestamp/
    }
  ];
  return kinds[i % kinds.length] as { text: string; reason: RegExp };
}

/** Builds the traffic and its truth. */
export function buildTraffic(o: TrafficOptions): { records: TrafficRecord[]; truth: Truth } {
  const r = seededRandom(o.seed);
  const truth: Truth = { cases: new Map(), parked: new Map(), noCase: new Set(), phones: [] };
  const records: TrafficRecord[] = [];
  const phoneFor = (i: number): string =>
    `+1555${String(2_000_000 + ((i * 7919) % 7_000_000)).padStart(7, '0')}`;
  const add = (text: string, key: string): void => {
    for (let c = 0; c < o.copies; c++)
      records.push({ data: text, partitionKey: o.partitionBy === 'random' ? uuid(r) : key });
  };

  for (let i = 0; i < o.drops; i++) {
    const id = uuid(r);
    const phone = phoneFor(i);
    truth.phones.push(phone);
    const start = BASE_MS + i * 1000;
    for (let v = 1; v <= o.versions; v++) add(JSON.stringify(dropCtr(id, phone, v, start + v * 60_000)), id);
    truth.cases.set(id.toLowerCase(), {
      lastUpdated: iso(start + o.versions * 60_000),
      queueWaitSeconds: 100 + o.versions
    });
  }
  for (let i = 0; i < o.skipped; i++) {
    const id = uuid(r);
    const phone = phoneFor(o.drops + i);
    const formatted = `+1 ${phone.slice(2, 5)} ${phone.slice(5, 8)} ${phone.slice(8)}`;
    truth.phones.push(phone, formatted);
    const ctr = dropCtr(id, phone, 1, BASE_MS + i * 1000);
    // Transferred onward to a formatted number: skipped, and its reason (debug logs) quotes the address.
    ctr.NextContactId = uuid(r);
    ctr.TransferredToEndpoint = { Address: formatted, Type: 'TELEPHONE_NUMBER' };
    add(JSON.stringify(ctr), id);
    truth.noCase.add(id.toLowerCase());
  }
  for (let i = 0; i < o.malformed; i++) {
    const phone = phoneFor(o.drops + o.skipped + i);
    const { text, reason } = malformedText(i, r, phone);
    const id = /"ContactId":"([^"]+)"/.exec(text)?.[1];
    if (id) truth.noCase.add(id.toLowerCase());
    truth.phones.push(phone, `tel:${phone.slice(1)}`);
    truth.parked.set(b64(text), { reason, times: o.copies });
    add(text, `malformed-${i}`);
  }
  for (let i = 0; i < (o.huge ?? 0); i++) {
    const text = `not json ${i} ` + 'x'.repeat(300_000);
    truth.parked.set(b64(text), { reason: /^not JSON/, times: o.copies });
    add(text, `huge-${i}`);
  }
  if (o.edgeCases) addEdgeCases(add, truth, r, o.copies);
  if (o.shuffle) {
    for (let i = records.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [records[i], records[j]] = [records[j] as TrafficRecord, records[i] as TrafficRecord];
    }
  }
  return { records, truth };
}

/** ContactIds that differ only in case (one Case), equal timestamps (either copy, identical), impossible dates. */
function addEdgeCases(
  add: (text: string, key: string) => void,
  truth: Truth,
  r: () => number,
  copies: number
): void {
  const id = uuid(r);
  const phone = '+15555550199';
  truth.phones.push(phone);
  add(JSON.stringify(dropCtr(id, phone, 1, BASE_MS)), id);
  add(JSON.stringify(dropCtr(id.toUpperCase(), phone, 2, BASE_MS + 60_000)), id);
  truth.cases.set(id.toLowerCase(), { lastUpdated: iso(BASE_MS + 60_000), queueWaitSeconds: 102 });
  const tie = uuid(r);
  add(JSON.stringify(dropCtr(tie, phone, 5, BASE_MS)), tie);
  add(JSON.stringify(dropCtr(tie, phone, 5, BASE_MS)), tie);
  truth.cases.set(tie, { lastUpdated: iso(BASE_MS), queueWaitSeconds: 105 });
  // A valid version and a newer one with an impossible date: the valid one is the Case, the other is parked.
  const dated = uuid(r);
  add(JSON.stringify(dropCtr(dated, phone, 1, BASE_MS)), dated);
  const impossible = JSON.stringify({
    ...dropCtr(dated, phone, 2, BASE_MS),
    LastUpdateTimestamp: '2026-04-31T10:00:00Z',
    DisconnectTimestamp: '2026-02-29T10:00:00Z',
    InitiationTimestamp: '2026-02-30T10:00:00Z'
  });
  add(impossible, dated);
  truth.cases.set(dated, { lastUpdated: iso(BASE_MS), queueWaitSeconds: 101 });
  truth.parked.set(b64(impossible), { reason: /no valid LastUpdateTimestamp/, times: copies });
}
