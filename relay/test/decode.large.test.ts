/**
 * CTRs are decoded by the strict scanner of ctr-parse.ts instead of JSON.parse of the whole text (large ones above
 * all: that is where it saves most): through it, every record of the simulator's mix, every fixture and reference
 * sample (grown to real sizes) and broken texts get the same verdict, the same forwarded record and the same park
 * reason as through JSON.parse (parseCtrText), which is the oracle.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import fc from 'fast-check';
import { growCtr, simulatedTraffic, toKinesisRecords } from '../bench/traffic';
import { classify } from '../src/classify';
import { CTR_FIELDS, readCtr, type ContactTraceRecord } from '../src/ctr';
import {
  decodeBase64Strict,
  decodeKinesisRecord,
  decodeUtf8Strict,
  parseCtrText,
  type DecodeResult
} from '../src/decode';
import {
  ATTRIBUTE_NAME_KEYS,
  DEFAULT_POLICY,
  parsePolicy,
  policyAttributeNames,
  type RelayPolicy
} from '../src/policy';
import { toDisconnectRecord } from '../src/record';
import {
  kinesisRecord,
  loadCtr,
  loadReference,
  type CtrFixture,
  type ReferenceSample
} from './support/ctr-fixtures';

const POLICIES: RelayPolicy[] = [
  DEFAULT_POLICY,
  parsePolicy({
    attributeAllowlist: ['flowStep0', 'lexSlot1', 'callbackNumber', 'customerTier', 'missing'],
    shortAbandonSeconds: 10,
    resolveWhenCustomerGetsThrough: false
  })
];

/** The attributes among `attributes` that the policy reads. */
function readByPolicy(attributes: Record<string, string>, policy: RelayPolicy): Record<string, string> {
  const names = policyAttributeNames(policy);
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => names.includes(name)));
}

/**
 * What the relay makes of a decoded record under a policy: verdict, forwarded record, facts read (with
 * `policyAttributesOnly`, of the attributes only those the policy reads: a CTR decoded for a policy has no others).
 */
function outcome(decoded: DecodeResult, policy: RelayPolicy, policyAttributesOnly = false): unknown {
  if (!decoded.ok) return { reason: decoded.reason };
  const classification = classify(decoded.ctr, policy);
  const facts = readCtr(decoded.ctr);
  return {
    classification,
    record: classification.action === 'skip' ? null : toDisconnectRecord(decoded.ctr, classification, policy),
    facts: policyAttributesOnly ? { ...facts, attributes: readByPolicy(facts.attributes, policy) } : facts
  };
}

/** The same record through JSON.parse of the whole text (today's path for small CTRs). */
function throughJsonParse(r: KinesisStreamRecord): DecodeResult {
  const sequenceNumber = r.kinesis.sequenceNumber;
  const bytes = decodeBase64Strict(r.kinesis.data);
  const text = bytes === null ? null : decodeUtf8Strict(bytes);
  if (text === null) return { ok: false, sequenceNumber, reason: 'not base64 or not UTF-8' };
  const parsed = parseCtrText(text);
  return parsed.ok
    ? { ok: true, ctr: parsed.ctr, sequenceNumber }
    : { ok: false, sequenceNumber, reason: parsed.reason };
}

function textBytes(r: KinesisStreamRecord): number {
  return Buffer.from(r.kinesis.data, 'base64').length;
}

/**
 * Asserts both paths agree on every record, decoded without a policy and for each policy (a CTR's attributes are
 * then read only by the policy's names); returns how many the scanner read (their CTR holds only the fields the
 * relay reads).
 */
function expectSameOutcomes(
  records: readonly KinesisStreamRecord[],
  policies: readonly RelayPolicy[] = POLICIES
): { scanned: number } {
  let count = 0;
  for (const r of records) {
    const scanned = decodeKinesisRecord(r);
    const parsed = throughJsonParse(r);
    for (const policy of policies) {
      expect(outcome(scanned, policy)).toEqual(outcome(parsed, policy));
      expect(outcome(decodeKinesisRecord(r, policy), policy, true)).toEqual(outcome(parsed, policy, true));
    }
    const picked =
      scanned.ok && Object.keys(scanned.ctr).every((key) => (CTR_FIELDS as readonly string[]).includes(key));
    if (picked) count += 1;
  }
  return { scanned: count };
}

describe('decode through the scanner: the same outcome as JSON.parse of the whole text', () => {
  test.each([4096, 8192, 20_000])('the simulator mix grown to %i bytes', (ctrBytes) => {
    const records = toKinesisRecords(simulatedTraffic(300, { seed: 7, ctrBytes }));
    const { scanned: large } = expectSameOutcomes(records);
    expect(large).toBeGreaterThan(250);
  });

  test('random policies: whichever attributes a policy reads, a large CTR decoded for it gives the same outcome', () => {
    const records = toKinesisRecords(simulatedTraffic(60, { seed: 9, ctrBytes: 8192 }));
    const names = fc.constantFrom(
      'flowStep0',
      'lexSlot1',
      'intent',
      'callbackNumber',
      'callbackOptOut',
      'none'
    );
    const policies = fc.record({
      attributeAllowlist: fc.uniqueArray(names, { maxLength: 5 }),
      optOutAttribute: names,
      selfServiceAttribute: names,
      callbackNumberAttribute: names
    });
    fc.assert(
      fc.property(policies, (input) => {
        expectSameOutcomes(records, [parsePolicy(input)]);
      }),
      { numRuns: 40 }
    );
  });

  test('decoded for a policy, a large CTR holds only the attributes the policy reads', () => {
    const ctr = growCtr(loadCtr('voice-inbound-ivr-drop') as Record<string, unknown>, 8192, 3);
    const attributes = ctr.Attributes as Record<string, unknown>;
    expect(Object.keys(attributes).length).toBeGreaterThan(20);
    const policy = parsePolicy({ attributeAllowlist: ['flowStep0', 'lexSlot1'], optOutAttribute: 'optOut' });
    const decoded = decodeKinesisRecord(kinesisRecord(ctr as ContactTraceRecord), policy);
    expect(decoded.ok && decoded.ctr.Attributes).toStrictEqual({
      flowStep0: attributes.flowStep0,
      lexSlot1: attributes.lexSlot1
    });
    expect(policyAttributeNames(policy)).toEqual([
      'optOut',
      'selfServiceResolved',
      'callbackNumber',
      'flowStep0',
      'lexSlot1'
    ]);
  });

  test('the simulator mix at its own sizes (under 1.5 KB)', () => {
    const records = toKinesisRecords(simulatedTraffic(300, { seed: 8 }));
    expect(Math.max(...records.map(textBytes))).toBeLessThan(1500);
    expect(expectSameOutcomes(records).scanned).toBeGreaterThan(250);
  });

  const fixtures: CtrFixture[] = [
    'voice-inbound-abandoned-in-queue',
    'voice-inbound-ivr-drop',
    'voice-agent-rang-no-answer',
    'voice-agent-handled',
    'voice-transferred-first-leg',
    'voice-queue-transfer-second-leg-abandoned',
    'voice-external-transfer',
    'voice-outbound',
    'chat-api-abandoned-in-queue',
    'task-flow-created'
  ];
  const samples: ReferenceSample[] = [
    'ctr-01-agent-handled',
    'ctr-02-abandoned-in-queue',
    'ctr-02b-abandoned-in-queue-reemitted',
    'ctr-03-ivr-telecom-drop',
    'ctr-04-virtual-agent-handled'
  ];

  test('every fixture and reference sample, grown to 3 KB and 8 KB', () => {
    const ctrs: ContactTraceRecord[] = [
      ...fixtures.map((name) => loadCtr(name)),
      ...samples.map((name) => loadReference(name))
    ];
    const records = ctrs.flatMap((ctr, i) =>
      [3000, 8192].map((bytes) =>
        kinesisRecord(growCtr(ctr as Record<string, unknown>, bytes, i) as ContactTraceRecord)
      )
    );
    const { scanned: large } = expectSameOutcomes(records);
    expect(large).toBe(records.length);
  });

  test('a large CTR whose fields are odd: duplicates, escaped keys, wrong types, __proto__, UTF-8', () => {
    const padding = `"Recordings":[${Array.from({ length: 90 }, (_, i) => `{"Location":"s3://b/${i}"}`).join(',')}]`;
    const texts = [
      `{"ContactId":"first","Channel":"VOICE",${padding},"ContactId":"last","InitiationMethod":"INBOUND"}`,
      `{"Contact\\u0049d":"esc","\\u0043hannel":"VOICE","InitiationMethod":"INBOUND",${padding}}`,
      `{"ContactId":"types","Channel":7,"Queue":"not an object","Agent":[],"Attributes":{"a":1},${padding}}`,
      `{"__proto__":{"ContactId":"proto"},"ContactId":"own",${padding},"Attributes":{"__proto__":"x"}}`,
      `{"ContactId":"çé€😀","Channel":"VOICE","Attributes":{"callbackNumber":"+44 7700 900123","clé":"é"},${padding}}`,
      `{"ContactId":"dup-object","Queue":{"Name":"a"},"Queue":null,${padding},"Agent":{"x":1},"Agent":{"ConnectedToAgentTimestamp":"2025-01-01T00:00:00Z"}}`,
      // queue time from Duration where it is a number (12, not the 30 s between the timestamps), else from the dequeue
      `{"ContactId":"queue-duration","Channel":"VOICE","InitiationMethod":"INBOUND","Queue":{"Name":"q","EnqueueTimestamp":"2025-01-01T00:00:00Z","DequeueTimestamp":"2025-01-01T00:00:30Z","Duration":12},${padding}}`,
      `{"ContactId":"queue-dequeue","Channel":"VOICE","InitiationMethod":"INBOUND","Queue":{"Name":"q","EnqueueTimestamp":"2025-01-01T00:00:00Z","DequeueTimestamp":"2025-01-01T00:00:30Z","Duration":"x"},"DisconnectTimestamp":"2025-01-01T00:01:00Z",${padding}}`
    ];
    const records = texts.map((text) => kinesisRecord(Buffer.from(text).toString('base64')));
    const { scanned: large } = expectSameOutcomes(records);
    expect(large).toBe(texts.length);
  });

  test('large texts that are not a usable CTR are parked with the reason JSON.parse gives', () => {
    const good = JSON.stringify(
      growCtr(loadCtr('voice-inbound-ivr-drop') as Record<string, unknown>, 8192, 1)
    );
    const broken = [
      `${good.slice(0, -1)},}`, // trailing comma
      good.slice(0, 5000), // cut short
      `${good} {}`, // text after the value
      good.replace('"Recordings":[', '"Recordings":[\u0001'), // control character outside a string
      good.replace('"Location":"', '"Location":"\t'), // control character inside a string
      `[${good}]`, // an array
      good.replace('"ContactId"', '"contactId"'), // no ContactId
      good.replace(/"ContactId":"[^"]*"/, '"ContactId":"  "'), // blank ContactId
      good.replace(/"ContactId":"[^"]*"/, '"ContactId":42'), // not a string
      `{"ContactId":"deep","x":${'['.repeat(5000)}${']'.repeat(5000)}}` // left to JSON.parse, accepted
    ];
    const records = broken.map((text) => kinesisRecord(Buffer.from(text).toString('base64')));
    // the deep one was left to JSON.parse: all its fields are there
    expect(expectSameOutcomes(records)).toEqual({ scanned: 0 });
    const reasons = records.map((r) => {
      const decoded = decodeKinesisRecord(r);
      return decoded.ok ? 'ok' : decoded.reason;
    });
    expect(reasons.slice(0, 5).map((reason) => reason.slice(0, 10))).toEqual(Array(5).fill('not JSON: '));
    expect(reasons[0]).toMatch(/position \d+/);
    expect(reasons.slice(5)).toEqual([
      'not a JSON object (got an array)',
      'ContactId missing or not a string',
      'ContactId is empty',
      'ContactId missing or not a string',
      'ok'
    ]);
  });

  test('a large CTR with a byte-order mark decodes like one without', () => {
    const ctr = growCtr(loadCtr('voice-agent-handled') as Record<string, unknown>, 8192, 2);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(ctr))]);
    const decoded = decodeKinesisRecord(kinesisRecord(withBom.toString('base64')));
    expect(decoded.ok).toBe(true);
    expect(expectSameOutcomes([kinesisRecord(withBom.toString('base64'))])).toEqual({ scanned: 1 });
  });

  test('the policy keys that name an attribute are exactly those policyAttributeNames reads', () => {
    const named = Object.keys(DEFAULT_POLICY).filter((key) => key.endsWith('Attribute'));
    expect([...ATTRIBUTE_NAME_KEYS].sort()).toEqual(named.sort());
  });

  test('a small CTR is read by the scanner too: only the fields the relay reads', () => {
    const text = '{"ContactId":"small","Channel":"VOICE","x":"p","Queue":{"Name":"q","ARN":"a"}}';
    const decoded = decodeKinesisRecord(kinesisRecord(Buffer.from(text).toString('base64'), '7'));
    expect(decoded).toStrictEqual({
      ok: true,
      ctr: { ContactId: 'small', Channel: 'VOICE', Queue: { Name: 'q' } },
      sequenceNumber: '7'
    });
  });
});
