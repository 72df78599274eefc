/**
 * The relay's field limits and phone rule are the receiver's, read from the Apex parser itself (not from the
 * relay's own constants): a relay that sends one character more than Apex accepts gets the drop rejected and
 * parked; one that cuts earlier loses data for nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from '../src/classify';
import { isE164 } from '../src/mask';
import { DEFAULT_POLICY, parsePolicy, type RelayPolicy } from '../src/policy';
import { toDisconnectRecord } from '../src/record';
import type { DisconnectRecord } from '../src/types';
import { ctrWith, type Overrides } from './support/ctr-fixtures';

const PARSER = readFileSync(
  join(__dirname, '..', '..', 'force-app', 'main', 'default', 'classes', 'DisconnectRequestParser.cls'),
  'utf8'
);

/** The maximum length Apex's readString(values, 'field', N, …) accepts for a field. */
function apexMax(field: string): number {
  const match = new RegExp(`readString\\(values, '${field}', (\\d+),`).exec(PARSER);
  if (!match) throw new Error(`DisconnectRequestParser.cls reads no '${field}'`);
  return Number(match[1]);
}

function apexConstant(name: string): number {
  const match = new RegExp(`Integer ${name} = (\\d+);`).exec(PARSER);
  if (!match) throw new Error(`DisconnectRequestParser.cls has no ${name}`);
  return Number(match[1]);
}

function recordOf(overrides: Overrides, policy: RelayPolicy = DEFAULT_POLICY): DisconnectRecord {
  const ctr = ctrWith('voice-inbound-abandoned-in-queue', overrides);
  return toDisconnectRecord(ctr, classify(ctr, policy), policy);
}

const long = (length: number, letter = 'x') => letter.repeat(length);

describe('text fields are cut exactly at the Apex parser limit', () => {
  it('queueName, disconnectReason and instanceArn', () => {
    const over = (field: string) => apexMax(field) + 7;

    const record = recordOf({
      Queue: { Name: long(over('queueName')) },
      DisconnectReason: long(over('disconnectReason')),
      InstanceARN: long(over('instanceArn'))
    });

    expect(record.queueName).toBe(long(apexMax('queueName')));
    expect(record.disconnectReason).toBe(long(apexMax('disconnectReason')));
    expect(record.instanceArn).toBe(long(apexMax('instanceArn')));
  });

  it('keeps values exactly at the limit whole', () => {
    const record = recordOf({
      Queue: { Name: long(apexMax('queueName'), 'q') },
      DisconnectReason: long(apexMax('disconnectReason'), 'd')
    });

    expect(record.queueName).toHaveLength(apexMax('queueName'));
    expect(record.disconnectReason).toHaveLength(apexMax('disconnectReason'));
  });

  it('channel and initiationMethod (forwarded by a policy that names the long values)', () => {
    const channel = long(apexMax('channel') + 3, 'C');
    const method = long(apexMax('initiationMethod') + 3, 'M');
    const policy = parsePolicy({ forwardChannels: [channel], customerInitiatedMethods: [method] });

    const record = recordOf({ Channel: channel, InitiationMethod: method }, policy);

    expect(record.channel).toBe(long(apexMax('channel'), 'C'));
    expect(record.initiationMethod).toBe(long(apexMax('initiationMethod'), 'M'));
  });

  it('sends a previousContactId up to the limit and drops a longer one (a cut id names another contact)', () => {
    const max = apexMax('previousContactId');

    expect(recordOf({ PreviousContactId: long(max, 'p') }).previousContactId).toBe(long(max, 'p'));
    expect(recordOf({ PreviousContactId: long(max + 1, 'p') }).previousContactId).toBeNull();
  });

  it('copies at most the Apex number of attributes, each cut at the Apex value length', () => {
    const keys = apexConstant('MAX_ATTRIBUTE_KEYS');
    const valueMax = apexConstant('MAX_ATTRIBUTE_VALUE_LENGTH');
    const names = Array.from({ length: keys + 2 }, (_, i) => `attr${i}`);
    const attributes = Object.fromEntries(names.map((name) => [name, long(valueMax + 5, 'v')]));
    // parsePolicy refuses more than the contract's keys, so the oversized allowlist is built directly.
    const policy: RelayPolicy = { ...DEFAULT_POLICY, attributeAllowlist: names };

    const record = recordOf({ Attributes: attributes }, policy);

    expect(Object.keys(record.attributes ?? {})).toEqual(names.slice(0, keys));
    expect(Object.values(record.attributes ?? {}).every((v) => v.length === valueMax)).toBe(true);
  });
});

describe('customerPhone follows the Apex E.164 pattern', () => {
  const apexE164 = new RegExp(
    /Pattern E164 = Pattern\.compile\('(.*)'\);/.exec(PARSER)![1]!.replace(/\\\\/g, '\\')
  );

  it.each([
    '+15555550142',
    '+12345678',
    '+123456789012345',
    '+1234567',
    '+1234567890123456',
    '+05555550142',
    '15555550142',
    'x+15555550142',
    '+15555550142x',
    'tel:+15555550142',
    '+1555 555 0142',
    ''
  ])('%j: the relay and Apex agree', (value) => {
    expect(isE164(value)).toBe(apexE164.test(value));
  });

  it('sends an accepted number, and null for one Apex would reject (the drop still becomes a Case)', () => {
    const phone = (address: string) => recordOf({ CustomerEndpoint: { Address: address } }).customerPhone;

    expect(phone('+447700900123')).toBe('+447700900123');
    expect(phone('x+447700900123')).toBeNull();
    expect(phone('+4477009001234567')).toBeNull();
  });
});
