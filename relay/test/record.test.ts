/**
 * CTR + classification → the contract's DisconnectRecord (ConnectDisconnectContract.json): field by field, with the
 * contract's limits enforced so that one odd CTR cannot get a record rejected.
 */
import { classify } from '../src/classify';
import { readCtr, type ContactTraceRecord } from '../src/ctr';
import { DEFAULT_POLICY, parsePolicy } from '../src/policy';
import { lastUpdatedOf, LIMITS, toDisconnectRecord, truncate } from '../src/record';
import type { Classification, DisconnectRecord } from '../src/types';
import { ctrWith, loadCtr, loadReference, REMOVE, type Overrides } from './support/ctr-fixtures';
import { readContract } from './support/kit';

const withIntent = parsePolicy({ attributeAllowlist: ['intent'] });

function recordOf(ctr: ContactTraceRecord, policy = DEFAULT_POLICY): DisconnectRecord {
  return toDisconnectRecord(ctr, classify(ctr, policy), policy);
}

function abandoned(overrides: Overrides, policy = DEFAULT_POLICY): DisconnectRecord {
  return recordOf(ctrWith('voice-inbound-abandoned-in-queue', overrides), policy);
}

describe('the contract examples are what the relay produces', () => {
  test('reference ctr-02 (abandoned in queue) → the "create" example record, exactly', () => {
    const contract = readContract<{
      examples: { name: string; request: { records: DisconnectRecord[] } }[];
    }>();
    const create = contract.examples.find((e) => e.name === 'create');
    // The relay always says what it means; the example leaves out action (absent = "callback") and phoneSource
    // (null with a number = CALLER_ID), so both spellings are the same record to Apex.
    expect(recordOf(loadReference('ctr-02-abandoned-in-queue'), withIntent)).toEqual({
      action: 'callback',
      phoneSource: 'CALLER_ID',
      ...create?.request.records[0]
    });
  });

  test('reference ctr-03 (IVR telecom drop) → a DROPPED_IN_IVR record without queue data', () => {
    expect(recordOf(loadReference('ctr-03-ivr-telecom-drop'))).toEqual({
      contactId: 'c0ffee00-1234-4abc-8def-0123456789ab',
      action: 'callback',
      lastUpdated: '2024-05-14T10:03:40Z',
      initiatedAt: '2024-05-14T10:02:11Z',
      disconnectedAt: '2024-05-14T10:02:52Z',
      channel: 'VOICE',
      initiationMethod: 'INBOUND',
      disconnectReason: 'TELECOM_PROBLEM',
      category: 'DROPPED_IN_IVR',
      customerPhone: '+15555550177',
      phoneSource: 'CALLER_ID',
      queueName: null,
      queueWaitSeconds: null,
      previousContactId: null,
      instanceArn: 'arn:aws:connect:us-east-1:111122223333:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      attributes: {}
    });
  });

  test('a chat has no phone; the queue wait comes from the timestamps', () => {
    expect(recordOf(loadCtr('chat-api-abandoned-in-queue'))).toMatchObject({
      channel: 'CHAT',
      initiationMethod: 'API',
      disconnectReason: null,
      customerPhone: null,
      phoneSource: null,
      queueName: 'ChatSupport',
      queueWaitSeconds: 270
    });
  });

  test('a Queue with a Name but no EnqueueTimestamp was never waited in: no queue name, no wait', () => {
    const ctr = ctrWith('voice-inbound-abandoned-in-queue', {
      Queue: { Name: 'Billing', EnqueueTimestamp: REMOVE }
    });
    expect(recordOf(ctr)).toMatchObject({ queueName: null, queueWaitSeconds: null });
  });

  test('the second leg of a transfer points back to the first', () => {
    expect(recordOf(loadCtr('voice-queue-transfer-second-leg-abandoned'))).toMatchObject({
      previousContactId: 'c1e3a5b7-9d1f-4b3d-8f5a-7c9e1b3d5f7a',
      queueName: 'Collections',
      queueWaitSeconds: 90
    });
  });
});

describe('lastUpdated: LastUpdateTimestamp, else DisconnectTimestamp, else InitiationTimestamp', () => {
  test.each<[string, Overrides, string]>([
    ['LastUpdateTimestamp when present', {}, '2025-03-03T08:37:31Z'],
    [
      'DisconnectTimestamp when LastUpdateTimestamp is missing',
      { LastUpdateTimestamp: REMOVE },
      '2025-03-03T08:36:50Z'
    ],
    [
      'DisconnectTimestamp when LastUpdateTimestamp is garbage',
      { LastUpdateTimestamp: 'yesterday' },
      '2025-03-03T08:36:50Z'
    ],
    [
      'InitiationTimestamp when both are missing',
      { LastUpdateTimestamp: null, DisconnectTimestamp: null },
      '2025-03-03T08:30:05Z'
    ],
    [
      'an offset timestamp is converted to UTC',
      { LastUpdateTimestamp: '2025-03-03T09:37:31+01:00' },
      '2025-03-03T08:37:31Z'
    ],
    ['milliseconds are kept', { LastUpdateTimestamp: '2025-03-03T08:37:31.250Z' }, '2025-03-03T08:37:31.250Z']
  ])('%s', (_case, overrides, expected) => {
    const ctr = ctrWith('voice-inbound-abandoned-in-queue', overrides);
    expect(recordOf(ctr).lastUpdated).toBe(expected);
    expect(lastUpdatedOf(ctr)).toBe(expected);
  });

  test('no usable timestamp at all → "" (Apex rejects it as MISSING_FIELD and the relay parks it)', () => {
    const ctr = ctrWith('voice-inbound-abandoned-in-queue', {
      LastUpdateTimestamp: null,
      DisconnectTimestamp: 42,
      InitiationTimestamp: '2025-13-45T99:99:99Z'
    });
    expect(lastUpdatedOf(ctr)).toBeNull();
    expect(recordOf(ctr)).toMatchObject({ lastUpdated: '', initiatedAt: null, disconnectedAt: null });
  });
});

describe('customerPhone: only a TELEPHONE_NUMBER endpoint with an E.164 address', () => {
  test.each<[string, unknown, string | null]>([
    ['E.164 telephone number', { Type: 'TELEPHONE_NUMBER', Address: '+447700900123' }, '+447700900123'],
    ['national format', { Type: 'TELEPHONE_NUMBER', Address: '07700 900123' }, null],
    // The contract accepts 8-15 digits; a shorter number would get the whole drop rejected, so it is left out.
    ['too short for the contract', { Type: 'TELEPHONE_NUMBER', Address: '+1234567' }, null],
    ['withheld caller ID', { Type: 'TELEPHONE_NUMBER', Address: 'anonymous' }, null],
    ['another endpoint type', { Type: 'CONTACT_FLOW', Address: '+447700900123' }, null],
    ['no endpoint', null, null],
    ['endpoint as a bare string', '+447700900123', null]
  ])('%s → %p', (_case, endpoint, expected) => {
    const record = abandoned({ CustomerEndpoint: endpoint });
    expect(record.customerPhone).toBe(expected);
    expect(record.phoneSource).toBe(expected === null ? null : 'CALLER_ID');
  });
});

describe('the callback number the customer entered (policy callbackNumberAttribute) wins over caller ID', () => {
  const CALLER_ID = { Type: 'TELEPHONE_NUMBER', Address: '+447700900123' };
  test.each<[string, Overrides, string | null, string | null]>([
    [
      'valid E.164 entered → entered',
      { Attributes: { callbackNumber: '+447700900999' } },
      '+447700900999',
      'ENTERED'
    ],
    [
      'typed with spaces, dashes, dots and brackets → normalised',
      { Attributes: { callbackNumber: ' +44 (7700) 900-999. ' } },
      '+447700900999',
      'ENTERED'
    ],
    [
      'national format entered → caller ID',
      { Attributes: { callbackNumber: '07700 900999' } },
      '+447700900123',
      'CALLER_ID'
    ],
    ['empty entered → caller ID', { Attributes: { callbackNumber: '' } }, '+447700900123', 'CALLER_ID'],
    [
      'letters entered → caller ID',
      { Attributes: { callbackNumber: '+44 call me' } },
      '+447700900123',
      'CALLER_ID'
    ],
    [
      'withheld caller ID, number entered → entered',
      { CustomerEndpoint: { Address: 'anonymous' }, Attributes: { callbackNumber: '+15555550142' } },
      '+15555550142',
      'ENTERED'
    ],
    [
      'withheld caller ID, nothing entered → a drop with no number',
      { CustomerEndpoint: { Address: 'anonymous' } },
      null,
      null
    ]
  ])('%s', (_case, overrides, phone, source) => {
    const record = abandoned({ CustomerEndpoint: CALLER_ID, ...overrides });
    expect(record).toMatchObject({ action: 'callback', customerPhone: phone, phoneSource: source });
  });

  test('the attribute name comes from the policy', () => {
    const policy = parsePolicy({ callbackNumberAttribute: 'cbn' });
    const ctr = { Attributes: { cbn: '+447700900999', callbackNumber: '+447700900888' } };
    expect(abandoned(ctr, policy).customerPhone).toBe('+447700900999');
  });
});

describe('queue data', () => {
  test('queueWaitSeconds is a whole number of seconds', () => {
    expect(abandoned({ Queue: { Duration: 12.9 } }).queueWaitSeconds).toBe(12);
  });

  test('a Duration too large for the Case field (Number 9,0) is corrupt data → unknown, from timestamps instead', () => {
    expect(
      abandoned({ Queue: { Duration: 1e12, DequeueTimestamp: '2025-03-03T08:31:20Z' } }).queueWaitSeconds
    ).toBe(12);
    expect(
      abandoned({
        Queue: {
          Duration: 1e12,
          EnqueueTimestamp: '1990-01-01T00:00:00Z',
          DequeueTimestamp: '2025-03-03T08:31:20Z'
        }
      }).queueWaitSeconds
    ).toBeNull();
  });

  test('unknown queue time → null', () => {
    expect(
      abandoned({ Queue: { Duration: null, DequeueTimestamp: null }, DisconnectTimestamp: null })
        .queueWaitSeconds
    ).toBeNull();
  });
});

describe('attributes: only allowlisted keys with string values, within contract limits', () => {
  test('the default allowlist is empty: nothing is forwarded', () => {
    expect(abandoned({}).attributes).toEqual({});
  });

  test('allowlisted string values are copied; missing and non-string ones are not', () => {
    const policy = parsePolicy({
      attributeAllowlist: ['intent', 'language', 'score', 'missing', 'toString']
    });
    expect(abandoned({ Attributes: { score: 7, secretNote: 'x' } }, policy).attributes).toEqual({
      intent: 'payments',
      language: 'en-GB'
    });
  });

  test('values are cut to 1024 characters', () => {
    const policy = parsePolicy({ attributeAllowlist: ['intent'] });
    expect(abandoned({ Attributes: { intent: 'x'.repeat(5000) } }, policy).attributes.intent).toHaveLength(
      1024
    );
  });
});

describe('contract limits on text fields', () => {
  test('long free text is truncated to the limit', () => {
    const record = abandoned({
      Queue: { Name: 'Q'.repeat(300) },
      DisconnectReason: 'R'.repeat(100),
      Channel: 'VOICE',
      InitiationMethod: 'INBOUND',
      InstanceARN: 'a'.repeat(300)
    });
    expect(record.queueName).toHaveLength(LIMITS.queueName);
    expect(record.disconnectReason).toHaveLength(LIMITS.disconnectReason);
    expect(record.instanceArn).toHaveLength(LIMITS.instanceArn);
  });

  test('a previousContactId too long for the contract is dropped, not cut (a cut id names another contact)', () => {
    expect(abandoned({ PreviousContactId: 'p'.repeat(65) }).previousContactId).toBeNull();
    expect(abandoned({ PreviousContactId: 'p'.repeat(64) }).previousContactId).toBe('p'.repeat(64));
  });

  test('truncate never splits a surrogate pair', () => {
    expect(truncate('ab😀', 3)).toBe('ab');
    expect(truncate('ab😀', 4)).toBe('ab😀');
    expect(truncate('abc', 10)).toBe('abc');
  });
});

describe('misuse', () => {
  test('a contact that is not forwarded cannot be turned into a record', () => {
    const ctr = loadCtr('voice-outbound');
    expect(() => toDisconnectRecord(ctr, classify(ctr, DEFAULT_POLICY), DEFAULT_POLICY)).toThrow(
      'toDisconnectRecord: NOT_CUSTOMER_INITIATED contacts are not forwarded'
    );
    const handled = loadReference('ctr-01-agent-handled');
    const noResolves = parsePolicy({ resolveWhenCustomerGetsThrough: false });
    expect(() => toDisconnectRecord(handled, classify(handled, noResolves), noResolves)).toThrow(
      'toDisconnectRecord: HANDLED_BY_AGENT contacts are not forwarded'
    );
  });
});

describe('one read of each CTR per record', () => {
  test('classify and the record mapping share the facts read from a CTR (read once, not copied)', () => {
    const ctr = ctrWith('voice-inbound-abandoned-in-queue', { Attributes: { intent: 'billing', step: '3' } });
    const facts = readCtr(ctr);
    expect(readCtr(ctr)).toBe(facts);
    // All-string attributes are used as decoded rather than copied.
    expect(facts.attributes).toBe(ctr.Attributes);
    expect(recordOf(ctr, withIntent).attributes).toEqual({ intent: 'billing' });
  });

  test('attributes with other value types are still filtered to the string ones', () => {
    const ctr = ctrWith('voice-inbound-abandoned-in-queue', { Attributes: { intent: 'x', score: 7 } });
    expect(readCtr(ctr).attributes).toEqual({ intent: 'x', language: 'en-GB' });
  });

  test('different CTR objects are read separately, even when equal', () => {
    const a = loadCtr('voice-inbound-abandoned-in-queue');
    const b = loadCtr('voice-inbound-abandoned-in-queue');
    expect(readCtr(a)).not.toBe(readCtr(b));
    expect(readCtr(a)).toEqual(readCtr(b));
  });
});

describe('truncate at the edges of a surrogate pair', () => {
  test('a value within the limit is never changed, even one ending in a lone high surrogate', () => {
    expect(truncate('ab\uD83D', 3)).toBe('ab\uD83D');
    expect(truncate('ab\uD83D', 5)).toBe('ab\uD83D');
  });

  test('a cut that would end on any high surrogate (D800-DBFF) drops it; other characters stay', () => {
    expect(truncate('ab\uD800x', 3)).toBe('ab');
    expect(truncate('ab\uDBFFx', 3)).toBe('ab');
    expect(truncate('ab\uD7FFx', 3)).toBe('ab\uD7FF');
    expect(truncate('ab\uDC00x', 3)).toBe('ab\uDC00');
    expect(truncate('ab\uFFFDx', 3)).toBe('ab\uFFFD');
  });
});

describe('only a forwarded drop or a resolve becomes a record', () => {
  const ctr = loadCtr('voice-inbound-abandoned-in-queue');
  const base = { contactId: ctr.ContactId, reason: 'test' };

  test.each<[string, Classification]>([
    [
      'a callback not marked forward',
      { ...base, action: 'callback', forward: false, category: 'ABANDONED_IN_QUEUE' }
    ],
    ['a forwarded skip', { ...base, action: 'skip', forward: true, category: 'ABANDONED_IN_QUEUE' }],
    [
      'a callback of a category that is no drop',
      { ...base, action: 'callback', forward: true, category: 'HANDLED_BY_AGENT' }
    ],
    [
      'a resolve of a drop category',
      { ...base, action: 'resolve', forward: false, category: 'ABANDONED_IN_QUEUE' }
    ]
  ])('%s is refused as a programming error', (_name, classification) => {
    expect(() => toDisconnectRecord(ctr, classification, DEFAULT_POLICY)).toThrow(
      `toDisconnectRecord: ${classification.category} contacts are not forwarded`
    );
  });

  test('a forwarded callback keeps its drop category; a resolve gets the wire category', () => {
    const drop: Classification = { ...base, action: 'callback', forward: true, category: 'DROPPED_IN_IVR' };
    const resolve: Classification = {
      ...base,
      action: 'resolve',
      forward: false,
      category: 'SELF_SERVICE_RESOLVED'
    };
    expect(toDisconnectRecord(ctr, drop, DEFAULT_POLICY)).toMatchObject({
      action: 'callback',
      category: 'DROPPED_IN_IVR'
    });
    expect(toDisconnectRecord(ctr, resolve, DEFAULT_POLICY)).toMatchObject({
      action: 'resolve',
      category: 'SELF_SERVICE'
    });
  });
});
