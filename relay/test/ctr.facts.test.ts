/**
 * readCtr: the facts the relay decides on, read from whatever the stream carries. Each field one odd value at a
 * time: wrong types and blank text are null, numbers as numeric strings count, queue time falls back from
 * Duration to the timestamps, and a transfer counts only when it names an address or a type.
 */
import { MAX_QUEUE_SECONDS, nonNegativeNumber, readCtr, text, type ContactTraceRecord } from '../src/ctr';
import { ctrWith, REMOVE, type Overrides } from './support/ctr-fixtures';

const factsOf = (overrides: Overrides) => readCtr(ctrWith('voice-inbound-abandoned-in-queue', overrides));

describe('text and numbers', () => {
  test.each<[unknown, string | null]>([
    ['  VOICE  ', 'VOICE'],
    [' VOICE', 'VOICE'],
    ['VOICE ', 'VOICE'],
    ['\tVOICE', 'VOICE'],
    ['VOICE\n', 'VOICE'],
    ['\u00a0VOICE', 'VOICE'],
    ['VOICE\u3000', 'VOICE'],
    ['\ufeffVOICE', 'VOICE'],
    ['\u009fVOICE\u0085', '\u009fVOICE\u0085'],
    ['VOICE\u00a0', 'VOICE'],
    ['\u0021VOICE', '!VOICE'],
    ['V', 'V'],
    ['!VOICE~', '!VOICE~'],
    ['   ', null],
    ['', null],
    [7, null],
    [null, null],
    [{ a: 1 }, null]
  ])('text(%j) → %j', (value, expected) => {
    expect(text(value)).toBe(expected);
  });

  test.each<[unknown, number | null]>([
    [0, 0],
    [12.5, 12.5],
    ['12', 12],
    [' 12.5 ', 12.5],
    ['61.25', 61.25],
    ['12.', null],
    ['.5', null],
    ['1e3', null],
    ['-1', null],
    ['12 seconds', null],
    ['x12', null],
    [-1, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    [true, null],
    [null, null]
  ])('nonNegativeNumber(%j) → %j', (value, expected) => {
    expect(nonNegativeNumber(value)).toBe(expected);
  });
});

describe('plain fields', () => {
  test('blank and wrongly typed text fields are null; text is trimmed', () => {
    const facts = factsOf({
      Channel: ' CHAT ',
      InitiationMethod: 42,
      DisconnectReason: '  ',
      InstanceARN: ['arn'],
      PreviousContactId: ' prev ',
      NextContactId: 'next'
    });
    expect(facts).toMatchObject({
      channel: 'CHAT',
      initiationMethod: null,
      disconnectReason: null,
      instanceArn: null,
      previousContactId: 'prev',
      nextContactId: 'next'
    });
  });

  test('a ContactId that is not a string is "" (never a number or object passed on)', () => {
    expect(factsOf({ ContactId: 12345 }).contactId).toBe('');
    expect(factsOf({ ContactId: ' id-1 ' }).contactId).toBe(' id-1 ');
  });

  test('timestamps: valid ones normalised to UTC, others null', () => {
    const facts = factsOf({
      InitiationTimestamp: '2025-03-03T09:30:05+01:00',
      DisconnectTimestamp: '2025-02-30T08:36:50Z',
      LastUpdateTimestamp: 1741000000000
    });
    expect(facts.initiatedAt).toBe('2025-03-03T08:30:05Z');
    expect(facts.disconnectedAt).toBeNull();
    expect(facts.lastUpdatedAt).toBeNull();
  });

  test('the customer endpoint is read only from an object', () => {
    expect(
      factsOf({ CustomerEndpoint: { Type: ' TELEPHONE_NUMBER ', Address: ' +447700900123 ' } })
    ).toMatchObject({ customerEndpointType: 'TELEPHONE_NUMBER', customerAddress: '+447700900123' });
    expect(factsOf({ CustomerEndpoint: '+447700900123' })).toMatchObject({
      customerEndpointType: null,
      customerAddress: null
    });
  });

  test('agent facts: present only for an object; attempts and talk time in whole seconds', () => {
    const facts = factsOf({
      Agent: { ConnectedToAgentTimestamp: ' 2025-03-03T08:33:00Z ', AgentInteractionDuration: '61.9' },
      AgentConnectionAttempts: 2.7
    });
    expect(facts).toMatchObject({
      agentPresent: true,
      connectedToAgentRaw: '2025-03-03T08:33:00Z',
      agentInteractionSeconds: 61,
      agentConnectionAttempts: 2
    });

    const none = factsOf({ Agent: 'agent-1', AgentConnectionAttempts: -3 });
    expect(none).toMatchObject({
      agentPresent: false,
      connectedToAgentRaw: null,
      agentInteractionSeconds: null,
      agentConnectionAttempts: null
    });
    expect(factsOf({ Agent: { AgentInteractionDuration: 'long' } }).agentInteractionSeconds).toBeNull();
  });
});

describe('transferredTo', () => {
  test.each<[string, unknown, string | null]>([
    [
      'an endpoint with an address',
      { Address: ' +442079460001 ', Type: 'TELEPHONE_NUMBER' },
      '+442079460001'
    ],
    ['an endpoint with a type only', { Address: null, Type: 'TELEPHONE_NUMBER' }, '(unknown address)'],
    ['an endpoint with an address only', { Address: '+442079460001', Type: null }, '+442079460001'],
    ['an endpoint with neither', { Address: '  ', Type: null }, null],
    ['a bare address string', ' +442079460001 ', '+442079460001'],
    ['a blank string', ' ', null],
    ['null', null, null]
  ])('%s', (_name, endpoint, expected) => {
    expect(factsOf({ TransferredToEndpoint: endpoint }).transferredTo).toBe(expected);
  });
});

describe('queue', () => {
  const enqueue = '2025-03-03T08:31:08Z';

  test('no queue object, or one without an enqueue time: not queued, no wait', () => {
    expect(factsOf({ Queue: 'Payments' })).toMatchObject({
      queueName: null,
      enqueuedAtRaw: null,
      queueSeconds: null
    });
    expect(factsOf({ Queue: { EnqueueTimestamp: ' ', Duration: 30 } })).toMatchObject({
      queueName: 'Payments',
      enqueuedAtRaw: null,
      queueSeconds: null
    });
  });

  test('Duration wins when usable, in whole seconds, up to the Case field maximum', () => {
    expect(factsOf({ Queue: { Duration: '30.8' } }).queueSeconds).toBe(30);
    expect(factsOf({ Queue: { Duration: 0 } }).queueSeconds).toBe(0);
    expect(factsOf({ Queue: { Duration: MAX_QUEUE_SECONDS } }).queueSeconds).toBe(MAX_QUEUE_SECONDS);
  });

  test('without a usable Duration: enqueue to dequeue, else to the disconnect', () => {
    expect(
      factsOf({
        Queue: { Duration: null, EnqueueTimestamp: enqueue, DequeueTimestamp: '2025-03-03T08:32:09.999Z' }
      }).queueSeconds
    ).toBe(61);
    expect(
      factsOf({
        Queue: { Duration: -5, EnqueueTimestamp: enqueue, DequeueTimestamp: 'soon' },
        DisconnectTimestamp: '2025-03-03T08:31:38Z'
      }).queueSeconds
    ).toBe(30);
    expect(
      factsOf({ Queue: { Duration: REMOVE, EnqueueTimestamp: enqueue, DequeueTimestamp: enqueue } })
        .queueSeconds
    ).toBe(0);
  });

  test('an end before the enqueue, an unreadable enqueue or a gap over the maximum: unknown', () => {
    const wait = (queue: Overrides, disconnect: unknown = null) =>
      factsOf({
        Queue: { Duration: null, DequeueTimestamp: null, ...queue },
        DisconnectTimestamp: disconnect
      }).queueSeconds;
    expect(wait({ EnqueueTimestamp: enqueue, DequeueTimestamp: '2025-03-03T08:31:07Z' })).toBeNull();
    expect(wait({ EnqueueTimestamp: 'earlier', DequeueTimestamp: '2025-03-03T08:32:00Z' })).toBeNull();
    expect(wait({ EnqueueTimestamp: enqueue })).toBeNull();
    const maxLater = new Date(Date.parse(enqueue) + MAX_QUEUE_SECONDS * 1000).toISOString();
    const overLater = new Date(Date.parse(enqueue) + (MAX_QUEUE_SECONDS + 1) * 1000).toISOString();
    expect(wait({ EnqueueTimestamp: enqueue, DequeueTimestamp: maxLater })).toBe(MAX_QUEUE_SECONDS);
    expect(wait({ EnqueueTimestamp: enqueue, DequeueTimestamp: overLater })).toBeNull();
  });

  test('an unreadable enqueue or end is unknown, never measured from the epoch (dates before 2001 or 1970)', () => {
    // Before 2001-09-09 a time since the epoch fits the Case field, so only the null checks keep it out.
    const wait = (enqueued: string, end: string | null) =>
      factsOf({
        Queue: { Duration: null, EnqueueTimestamp: enqueued, DequeueTimestamp: end },
        DisconnectTimestamp: null
      }).queueSeconds;
    expect(wait('earlier', '1999-12-31T23:59:00Z')).toBeNull();
    expect(wait('1969-12-31T23:59:00Z', null)).toBeNull();
    expect(wait('1969-12-31T23:59:00Z', '1970-01-01T00:00:30Z')).toBe(90);
  });
});

describe('attributes', () => {
  test('only own string values; an attributes value that is not an object gives none', () => {
    expect(factsOf({ Attributes: ['a'] }).attributes).toEqual({});
    expect(factsOf({ Attributes: 'intent=payments' }).attributes).toEqual({});
    expect(factsOf({ Attributes: { intent: 'x', n: null, list: ['y'] } }).attributes).toEqual({
      intent: 'x',
      language: 'en-GB'
    });
  });

  test('inherited values are never read as attributes', () => {
    const attrs = Object.create({ inherited: 7 }) as Record<string, unknown>;
    attrs.intent = 'billing';
    const ctr = { ...ctrWith('voice-inbound-abandoned-in-queue'), Attributes: attrs } as ContactTraceRecord;
    const facts = readCtr(ctr);
    expect(facts.attributes).toBe(attrs);
    expect(Object.keys(facts.attributes)).toEqual(['intent']);
  });
});

describe('only the CTR read is read', () => {
  /** A CTR that sets every field readCtr reads, each to a value that shows in the facts. */
  const FULL = {
    ContactId: 'c-full',
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    DisconnectReason: 'CUSTOMER_DISCONNECT',
    InitiationTimestamp: '2025-03-03T08:30:00Z',
    DisconnectTimestamp: '2025-03-03T08:40:00Z',
    LastUpdateTimestamp: '2025-03-03T08:41:00Z',
    InstanceARN: 'arn:aws:connect:eu-west-2:111122223333:instance/i-1',
    PreviousContactId: 'c-before',
    NextContactId: 'c-after',
    CustomerEndpoint: { Address: '+15555550100', Type: 'TELEPHONE_NUMBER' },
    TransferredToEndpoint: { Address: '+15555550199', Type: 'TELEPHONE_NUMBER' },
    Queue: { Name: 'Billing', EnqueueTimestamp: '2025-03-03T08:31:00Z', Duration: 61 },
    Agent: { ConnectedToAgentTimestamp: '2025-03-03T08:32:01Z', AgentInteractionDuration: 300 },
    AgentConnectionAttempts: 2,
    Attributes: { intent: 'billing' }
  } as ContactTraceRecord;
  const NOTHING = {
    contactId: '',
    channel: null,
    initiationMethod: null,
    disconnectReason: null,
    initiatedAt: null,
    disconnectedAt: null,
    lastUpdatedAt: null,
    customerEndpointType: null,
    customerAddress: null,
    instanceArn: null,
    previousContactId: null,
    nextContactId: null,
    transferredTo: null,
    queueName: null,
    enqueuedAtRaw: null,
    queueSeconds: null,
    connectedToAgentRaw: null,
    agentPresent: false,
    agentConnectionAttempts: null,
    agentInteractionSeconds: null,
    attributes: {}
  };

  test('every field of a full CTR shows in its facts', () => {
    expect(readCtr(FULL)).toEqual({
      contactId: 'c-full',
      channel: 'VOICE',
      initiationMethod: 'INBOUND',
      disconnectReason: 'CUSTOMER_DISCONNECT',
      initiatedAt: '2025-03-03T08:30:00Z',
      disconnectedAt: '2025-03-03T08:40:00Z',
      lastUpdatedAt: '2025-03-03T08:41:00Z',
      customerEndpointType: 'TELEPHONE_NUMBER',
      customerAddress: '+15555550100',
      instanceArn: 'arn:aws:connect:eu-west-2:111122223333:instance/i-1',
      previousContactId: 'c-before',
      nextContactId: 'c-after',
      transferredTo: '+15555550199',
      queueName: 'Billing',
      enqueuedAtRaw: '2025-03-03T08:31:00Z',
      queueSeconds: 61,
      connectedToAgentRaw: '2025-03-03T08:32:01Z',
      agentPresent: true,
      agentConnectionAttempts: 2,
      agentInteractionSeconds: 300,
      attributes: { intent: 'billing' }
    });
  });

  test('nothing of the CTR read before carries over to one without those fields', () => {
    readCtr(FULL);
    expect(readCtr({} as ContactTraceRecord)).toEqual(NOTHING);
    readCtr(FULL);
    expect(readCtr({ ContactId: 'c-2' } as ContactTraceRecord)).toEqual({ ...NOTHING, contactId: 'c-2' });
  });

  test('fields a CTR inherits (a polluted prototype) are never read, only its own', () => {
    const ctr = Object.create(FULL) as Record<string, unknown>;
    expect(readCtr(ctr as ContactTraceRecord)).toEqual(NOTHING);
    ctr.ContactId = 'c-own';
    ctr.Channel = 'CHAT';
    expect(readCtr({ ...ctr } as ContactTraceRecord)).toEqual({
      ...NOTHING,
      contactId: 'c-own',
      channel: 'CHAT'
    });
    expect(readCtr(ctr as ContactTraceRecord)).toEqual({ ...NOTHING, contactId: 'c-own', channel: 'CHAT' });
  });
});

describe('what is not an object', () => {
  test.each([null, 'ctr', 42, ['ContactId']])('%j reads as an empty contact', (value) => {
    const facts = readCtr(value as unknown as ContactTraceRecord);
    expect(facts).toMatchObject({ contactId: '', channel: null, agentPresent: false, queueSeconds: null });
    expect(facts.attributes).toEqual({});
  });
});
