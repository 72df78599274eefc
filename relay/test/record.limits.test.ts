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

/**
 * The same limits as the contract file states them (ConnectDisconnectContract.json, the document both sides are
 * built from): its "Limits:" note and the E.164 rule in its rejected-per-record example.
 */
describe('the contract file’s limits hold for what the relay sends', () => {
  const contract = JSON.parse(
    readFileSync(
      join(
        __dirname,
        '..',
        '..',
        'force-app',
        'main',
        'default',
        'staticresources',
        'ConnectDisconnectContract.json'
      ),
      'utf8'
    )
  ) as {
    notes: string[];
    examples: { name: string; response?: { results?: { error?: { message: string } }[] } }[];
  };
  const limitsNote = contract.notes.find((note) => note.startsWith('Limits:')) as string;

  /** "queueName <= 255" in the note → 255. */
  function contractMax(phrase: string): number {
    const match = new RegExp(`${phrase} <= (\\d+)`).exec(limitsNote);
    if (!match) throw new Error(`the contract's Limits note states no "${phrase} <= N"`);
    return Number(match[1]);
  }

  it('free text is cut at the contract maximum, exactly', () => {
    const channel = long(contractMax('channel') + 1, 'C');
    const method = long(contractMax('initiationMethod') + 1, 'M');
    const policy = parsePolicy({ forwardChannels: [channel], customerInitiatedMethods: [method] });

    const record = recordOf(
      {
        Channel: channel,
        InitiationMethod: method,
        Queue: { Name: long(contractMax('queueName') + 1) },
        DisconnectReason: long(contractMax('disconnectReason') + 1)
      },
      policy
    );

    expect(record.channel).toHaveLength(contractMax('channel'));
    expect(record.initiationMethod).toHaveLength(contractMax('initiationMethod'));
    expect(record.queueName).toHaveLength(contractMax('queueName'));
    expect(record.disconnectReason).toHaveLength(contractMax('disconnectReason'));
  });

  it('attributes: at most the contract’s keys, values at most its length', () => {
    const keys = contractMax('attributes string map,');
    const valueMax = Number(/values <= (\d+) chars/.exec(limitsNote)![1]);
    const names = Array.from({ length: keys + 1 }, (_, i) => `k${i}`);
    const policy: RelayPolicy = { ...DEFAULT_POLICY, attributeAllowlist: names };
    const attributes = Object.fromEntries(names.map((name) => [name, long(valueMax + 1, 'v')]));

    const record = recordOf({ Attributes: attributes }, policy);

    expect(Object.keys(record.attributes ?? {})).toHaveLength(keys);
    expect(Object.values(record.attributes ?? {})).toEqual(
      Array.from({ length: keys }, () => long(valueMax, 'v'))
    );
  });

  it('customerPhone: "+ and N-M digits" as the contract states it, the whole value, or null', () => {
    const rule = contract.examples
      .flatMap((example) => example.response?.results ?? [])
      .map((result) => result.error?.message ?? '')
      .find((message) => message.startsWith('customerPhone must be E.164'));
    const [, min, max] = /\(\+ and (\d+)-(\d+) digits\)/.exec(rule ?? '')!.map(Number) as [
      number,
      number,
      number
    ];
    const number = (digits: number) => '+4' + '4'.repeat(digits - 1);
    const phone = (address: string) => recordOf({ CustomerEndpoint: { Address: address } }).customerPhone;

    expect(phone(number(min))).toBe(number(min));
    expect(phone(number(max))).toBe(number(max));
    expect(phone(number(min - 1))).toBeNull();
    expect(phone(number(max + 1))).toBeNull();
    // Anything around the number makes it something else than E.164.
    expect(phone(`call ${number(min)}`)).toBeNull();
    expect(phone(`${number(min)} ext 2`)).toBeNull();
    expect(phone(number(min).slice(1))).toBeNull();
  });
});
