/**
 * Which contacts become callback Cases. Read top to bottom, this is the specification of the classifier:
 * each rule is shown with both sides (the contact that triggers it and the one that does not), then the rule
 * order, then tolerance of odd data. Scenarios are realistic CTRs (relay/test/fixtures/ctr) plus overrides.
 */
import fc from 'fast-check';
import { classify, invalidClassification, isTruthy } from '../src/classify';
import { isE164 } from '../src/mask';
import { LIMITS, toDisconnectRecord } from '../src/record';
import { DEFAULT_POLICY, parsePolicy, type RelayPolicy } from '../src/policy';
import type { ContactTraceRecord } from '../src/ctr';
import {
  ctrWith,
  loadCtr,
  loadReference,
  REMOVE,
  type CtrFixture,
  type Overrides
} from './support/ctr-fixtures';

type Row = [
  scenario: string,
  fixture: CtrFixture,
  overrides: Overrides,
  expected: { forward: boolean; category: string; reason?: RegExp; action?: 'resolve' }
];

const ABANDONED = { forward: true, category: 'ABANDONED_IN_QUEUE' };
const IVR = { forward: true, category: 'DROPPED_IN_IVR' };

function expectRow(ctr: ContactTraceRecord, expected: Row[3], policy: RelayPolicy = DEFAULT_POLICY): void {
  const result = classify(ctr, policy);
  expect(result).toEqual({
    contactId: ctr.ContactId,
    forward: expected.forward,
    action: expected.action ?? (expected.forward ? 'callback' : 'skip'),
    category: expected.category,
    reason: expect.any(String)
  });
  if (expected.reason) expect(result.reason).toMatch(expected.reason);
}

describe('the two forwarded categories', () => {
  test.each<Row>([
    [
      'queued, never connected, customer hung up → abandoned, with the wait and the raw reason',
      'voice-inbound-abandoned-in-queue',
      {},
      { ...ABANDONED, reason: /^abandoned after 342 s in queue Payments \(CUSTOMER_DISCONNECT\)$/ }
    ],
    [
      'an agent phone rang twice but never connected → still abandoned, and the reason says so',
      'voice-agent-rang-no-answer',
      {},
      { ...ABANDONED, reason: /offered the contact 2 times but never connected/ }
    ],
    [
      'an Agent object without ConnectedToAgentTimestamp and no attempt count → abandoned, agent mentioned',
      'voice-agent-rang-no-answer',
      { AgentConnectionAttempts: null },
      { ...ABANDONED, reason: /an agent was offered the contact but never connected/ }
    ],
    [
      'one agent attempt → singular wording',
      'voice-inbound-abandoned-in-queue',
      { AgentConnectionAttempts: 1 },
      { ...ABANDONED, reason: /offered the contact 1 time but/ }
    ],
    [
      'second leg of a queue transfer, abandoned in the new queue → abandoned (queue time from timestamps)',
      'voice-queue-transfer-second-leg-abandoned',
      {},
      { ...ABANDONED, reason: /^abandoned after 90 s in queue Collections \(CUSTOMER_DISCONNECT\)$/ }
    ],
    [
      'chat started by the customer through the API, abandoned in queue, no disconnect reason',
      'chat-api-abandoned-in-queue',
      {},
      { ...ABANDONED, reason: /^abandoned after 270 s in queue ChatSupport \(no disconnect reason\)$/ }
    ],
    [
      'never queued, line dropped in the IVR → dropped in IVR, with time in IVR and the raw reason',
      'voice-inbound-ivr-drop',
      {},
      { ...IVR, reason: /^dropped in the IVR after 35 s, before reaching a queue \(TELECOM_PROBLEM\)$/ }
    ],
    [
      'an unknown, newer DisconnectReason is kept as is',
      'voice-inbound-ivr-drop',
      { DisconnectReason: 'TELECOM_ORIGINATOR_CANCEL' },
      { ...IVR, reason: /\(TELECOM_ORIGINATOR_CANCEL\)$/ }
    ],
    [
      'a Queue object without EnqueueTimestamp means never queued → dropped in IVR',
      'voice-inbound-abandoned-in-queue',
      { Queue: { EnqueueTimestamp: null, DequeueTimestamp: null, Duration: null } },
      IVR
    ]
  ])('%s', (_scenario, fixture, overrides, expected) => {
    expectRow(ctrWith(fixture, overrides), expected);
  });
});

describe('each skip rule, both sides', () => {
  test.each<Row>([
    // Rule 1: channel.
    [
      'TASK channel → CHANNEL_EXCLUDED',
      'task-flow-created',
      {},
      { forward: false, category: 'CHANNEL_EXCLUDED' }
    ],
    [
      'an unknown channel (EMAIL) → CHANNEL_EXCLUDED, named in the reason',
      'voice-inbound-abandoned-in-queue',
      { Channel: 'EMAIL' },
      { forward: false, category: 'CHANNEL_EXCLUDED', reason: /channel EMAIL is not forwarded/ }
    ],
    [
      'a missing channel → CHANNEL_EXCLUDED',
      'voice-inbound-abandoned-in-queue',
      { Channel: REMOVE },
      { forward: false, category: 'CHANNEL_EXCLUDED', reason: /channel missing/ }
    ],
    ['VOICE is forwarded', 'voice-inbound-abandoned-in-queue', { Channel: 'VOICE' }, ABANDONED],
    ['CHAT is forwarded', 'voice-inbound-abandoned-in-queue', { Channel: 'CHAT' }, ABANDONED],
    [
      'channel match ignores case and spaces',
      'voice-inbound-abandoned-in-queue',
      { Channel: ' voice ' },
      ABANDONED
    ],

    // Rule 2: who started the contact.
    ...(['INBOUND', 'TRANSFER', 'QUEUE_TRANSFER', 'CALLBACK', 'WEBRTC_API'].map((method) => [
      `${method} is customer-initiated → forwarded`,
      'voice-inbound-abandoned-in-queue',
      { InitiationMethod: method },
      ABANDONED
    ]) as Row[]),
    ...(['OUTBOUND', 'EXTERNAL_OUTBOUND', 'MONITOR', 'DISCONNECT', 'AGENT_REPLY', 'SOMETHING_NEW'].map(
      (method) => [
        `${method} is not customer-initiated → NOT_CUSTOMER_INITIATED`,
        'voice-inbound-abandoned-in-queue',
        { InitiationMethod: method },
        {
          forward: false,
          category: 'NOT_CUSTOMER_INITIATED',
          reason: new RegExp(`initiated by ${method}, not by`)
        }
      ]
    ) as Row[]),
    [
      'an outbound call the customer did not answer → NOT_CUSTOMER_INITIATED',
      'voice-outbound',
      {},
      { forward: false, category: 'NOT_CUSTOMER_INITIATED' }
    ],
    [
      'API on VOICE (StartOutboundVoiceContact) → NOT_CUSTOMER_INITIATED',
      'chat-api-abandoned-in-queue',
      { Channel: 'VOICE' },
      { forward: false, category: 'NOT_CUSTOMER_INITIATED', reason: /API on VOICE/ }
    ],
    ['API on CHAT (StartChatContact) → forwarded', 'chat-api-abandoned-in-queue', {}, ABANDONED],
    [
      'a missing InitiationMethod → NOT_CUSTOMER_INITIATED',
      'voice-inbound-abandoned-in-queue',
      { InitiationMethod: null },
      { forward: false, category: 'NOT_CUSTOMER_INITIATED', reason: /initiation method missing/ }
    ],

    // Rule 3: callback opt-out.
    ...(['true', 'TRUE', ' yes ', 'Yes', '1'].map((value) => [
      `callbackOptOut="${value}" → CALLBACK_OPT_OUT`,
      'voice-inbound-abandoned-in-queue',
      { Attributes: { callbackOptOut: value } },
      { forward: false, category: 'CALLBACK_OPT_OUT', reason: /opted out of callbacks/ }
    ]) as Row[]),
    ...(['false', 'no', '0', '', 'maybe', 'y'].map((value) => [
      `callbackOptOut="${value}" is not an opt-out → forwarded`,
      'voice-inbound-abandoned-in-queue',
      { Attributes: { callbackOptOut: value } },
      ABANDONED
    ]) as Row[]),
    [
      'a non-string opt-out value (true as a JSON boolean) is not a flow attribute → ignored',
      'voice-inbound-abandoned-in-queue',
      { Attributes: { callbackOptOut: true } },
      ABANDONED
    ],

    // Rule 4: transferred onward.
    [
      'NextContactId set (agent transferred the caller) → TRANSFERRED, the next leg decides',
      'voice-transferred-first-leg',
      {},
      { forward: false, category: 'TRANSFERRED', reason: /next leg decides/ }
    ],
    [
      'transferred out to an external number → TRANSFERRED, number masked in the reason',
      'voice-external-transfer',
      {},
      {
        forward: false,
        category: 'TRANSFERRED',
        reason: /^transferred out to \+\*{8}0999; the next leg decides$/
      }
    ],
    [
      'TransferredToEndpoint with a type but no address → TRANSFERRED',
      'voice-external-transfer',
      { TransferredToEndpoint: { Address: null, Type: 'TELEPHONE_NUMBER' } },
      { forward: false, category: 'TRANSFERRED', reason: /unknown address/ }
    ],
    [
      'TransferredToEndpoint sent as a bare string → TRANSFERRED',
      'voice-external-transfer',
      { TransferredToEndpoint: 'sip:desk@example.com' },
      { forward: false, category: 'TRANSFERRED' }
    ],
    [
      'an empty TransferredToEndpoint object is not a transfer → dropped in IVR',
      'voice-external-transfer',
      { TransferredToEndpoint: { Address: REMOVE, Type: REMOVE } },
      IVR
    ],
    [
      'the last leg (PreviousContactId only) is judged on its own → forwarded',
      'voice-queue-transfer-second-leg-abandoned',
      { NextContactId: null },
      ABANDONED
    ],

    // Rule 5: an agent talked to the caller.
    [
      'Agent.ConnectedToAgentTimestamp set → HANDLED_BY_AGENT, resolving the caller’s older callbacks',
      'voice-agent-handled',
      {},
      {
        forward: false,
        action: 'resolve',
        category: 'HANDLED_BY_AGENT',
        reason: /^connected to an agent at 2025-03-03T08:37:00Z; closes the caller's older open callbacks$/
      }
    ],
    ['Agent present but never connected → forwarded', 'voice-agent-rang-no-answer', {}, ABANDONED],

    // Rule 6: the bot or IVR solved it.
    [
      'selfServiceResolved="true" → SELF_SERVICE_RESOLVED',
      'voice-inbound-ivr-drop',
      { Attributes: { selfServiceResolved: 'true' } },
      { forward: false, action: 'resolve', category: 'SELF_SERVICE_RESOLVED', reason: /self-service/ }
    ],
    [
      'selfServiceResolved="false" → forwarded',
      'voice-inbound-ivr-drop',
      { Attributes: { selfServiceResolved: 'false' } },
      IVR
    ]
  ])('%s', (_scenario, fixture, overrides, expected) => {
    expectRow(ctrWith(fixture, overrides), expected);
  });
});

describe('short abandons (policy shortAbandonSeconds, default 0 = off)', () => {
  const tenSeconds = parsePolicy({ shortAbandonSeconds: 10 });
  const queuedFor = (duration: unknown): ContactTraceRecord =>
    ctrWith('voice-inbound-abandoned-in-queue', { Queue: { Duration: duration } });

  test.each<[string, ContactTraceRecord, RelayPolicy, Row[3]]>([
    ['off by default: a 3 s abandon is forwarded', queuedFor(3), DEFAULT_POLICY, ABANDONED],
    [
      '3 s < 10 s → SHORT_ABANDON',
      queuedFor(3),
      tenSeconds,
      {
        forward: false,
        category: 'SHORT_ABANDON',
        reason: /^hung up after 3 s in queue Payments, under the 10 s short-abandon threshold$/
      }
    ],
    [
      '9.9 s counts as 9 whole seconds → SHORT_ABANDON',
      queuedFor(9.9),
      tenSeconds,
      { forward: false, category: 'SHORT_ABANDON' }
    ],
    ['exactly 10 s is not short → forwarded', queuedFor(10), tenSeconds, ABANDONED],
    [
      '0 s (hung up on enqueue) → SHORT_ABANDON',
      queuedFor(0),
      tenSeconds,
      { forward: false, category: 'SHORT_ABANDON' }
    ],
    [
      'no Duration: dequeue − enqueue = 5 s → SHORT_ABANDON',
      ctrWith('voice-inbound-abandoned-in-queue', {
        Queue: {
          Duration: null,
          EnqueueTimestamp: '2025-03-03T08:31:08Z',
          DequeueTimestamp: '2025-03-03T08:31:13Z'
        }
      }),
      tenSeconds,
      { forward: false, category: 'SHORT_ABANDON', reason: /after 5 s/ }
    ],
    [
      'no Duration, no dequeue: disconnect − enqueue = 7 s → SHORT_ABANDON',
      ctrWith('voice-inbound-abandoned-in-queue', {
        Queue: { Duration: 'n/a', EnqueueTimestamp: '2025-03-03T08:31:08Z', DequeueTimestamp: null },
        DisconnectTimestamp: '2025-03-03T08:31:15Z'
      }),
      tenSeconds,
      { forward: false, category: 'SHORT_ABANDON', reason: /after 7 s/ }
    ],
    [
      'Duration as a numeric string is read as a number',
      queuedFor('4'),
      tenSeconds,
      { forward: false, category: 'SHORT_ABANDON', reason: /after 4 s/ }
    ],
    [
      'queue time unknown → cannot be short, forwarded with "an unknown time"',
      ctrWith('voice-inbound-abandoned-in-queue', {
        Queue: { Duration: null, DequeueTimestamp: null },
        DisconnectTimestamp: null
      }),
      tenSeconds,
      { ...ABANDONED, reason: /^abandoned after an unknown time in queue Payments/ }
    ],
    [
      'a disconnect before the enqueue (clock skew) gives no queue time → forwarded',
      ctrWith('voice-inbound-abandoned-in-queue', {
        Queue: { Duration: -5, DequeueTimestamp: null },
        DisconnectTimestamp: '2025-03-03T08:30:00Z'
      }),
      tenSeconds,
      { ...ABANDONED, reason: /unknown time/ }
    ]
  ])('%s', (_scenario, ctr, policy, expected) => {
    expectRow(ctr, expected, policy);
  });
});

describe('rule order: the first matching rule names the category', () => {
  // Every contact here matches several rules; the table documents which one wins.
  test.each<[string, Overrides, string]>([
    [
      'TASK + outbound → channel first',
      { Channel: 'TASK', InitiationMethod: 'OUTBOUND' },
      'CHANNEL_EXCLUDED'
    ],
    [
      'outbound + opted out → initiation before opt-out',
      { InitiationMethod: 'OUTBOUND', Attributes: { callbackOptOut: 'yes' } },
      'NOT_CUSTOMER_INITIATED'
    ],
    [
      'opted out + transferred → the customer’s opt-out before transfer',
      { Attributes: { callbackOptOut: 'yes' }, NextContactId: 'd2f4b6c8-0e2a-4c4e-9a6b-8d0f2c4e6a8b' },
      'CALLBACK_OPT_OUT'
    ],
    [
      'transferred + connected to an agent → transfer before agent',
      {
        NextContactId: 'd2f4b6c8-0e2a-4c4e-9a6b-8d0f2c4e6a8b',
        Agent: { ConnectedToAgentTimestamp: '2025-03-03T08:37:00Z' }
      },
      'TRANSFERRED'
    ],
    [
      'connected to an agent + self-service flag → agent before self-service',
      {
        Agent: { ConnectedToAgentTimestamp: '2025-03-03T08:37:00Z' },
        Attributes: { selfServiceResolved: 'true' }
      },
      'HANDLED_BY_AGENT'
    ],
    [
      'self-service flag + short abandon → self-service before short abandon',
      { Attributes: { selfServiceResolved: 'true' }, Queue: { Duration: 2 } },
      'SELF_SERVICE_RESOLVED'
    ],
    ['short abandon → SHORT_ABANDON before ABANDONED_IN_QUEUE', { Queue: { Duration: 2 } }, 'SHORT_ABANDON']
  ])('%s', (_scenario, overrides, category) => {
    const policy = parsePolicy({ shortAbandonSeconds: 10 });
    const result = classify(ctrWith('voice-inbound-abandoned-in-queue', overrides), policy);
    expect(result.category).toBe(category);
    expect(result.forward).toBe(false);
  });
});

describe('the customer got through, or was lost after reaching an agent (issue 10)', () => {
  const CONNECTED = { Agent: { ConnectedToAgentTimestamp: '2025-03-03T08:37:00Z' } };
  const CALLBACK_TAKEN = { ...CONNECTED, InitiationMethod: 'CALLBACK' };
  const NOT_CONNECTED = { forward: true, category: 'CALLBACK_NOT_CONNECTED' };
  const AGENT_TELECOM = { forward: true, category: 'AGENT_DROPPED_TELECOM' };
  const RESOLVES = { forward: false, action: 'resolve' as const, category: 'HANDLED_BY_AGENT' };

  test.each<Row>([
    [
      'a queued callback an agent took whose customer leg never connected → CALLBACK_NOT_CONNECTED',
      'voice-agent-handled',
      { ...CALLBACK_TAKEN, DisconnectReason: 'CUSTOMER_CONNECTION_NOT_ESTABLISHED' },
      {
        ...NOT_CONNECTED,
        reason:
          /^queued callback taken by an agent at 2025-03-03T08:37:00Z but the customer was never reached \(CUSTOMER_CONNECTION_NOT_ESTABLISHED\)$/
      }
    ],
    [
      'a queued callback the customer did not answer (any not-reached reason, any case) → CALLBACK_NOT_CONNECTED',
      'voice-agent-handled',
      { ...CALLBACK_TAKEN, DisconnectReason: 'telecom_unanswered' },
      NOT_CONNECTED
    ],
    [
      'a queued callback (any case, as toUpperCase reads it: a dotless "ı" is an "I") never reached → CALLBACK_NOT_CONNECTED',
      'voice-agent-handled',
      { ...CONNECTED, InitiationMethod: 'callback', DisconnectReason: 'TELECOM_NUMBER_ıNVALıD' },
      NOT_CONNECTED
    ],
    [
      'a queued callback with no interaction time at all → CALLBACK_NOT_CONNECTED',
      'voice-agent-handled',
      { ...CALLBACK_TAKEN, DisconnectReason: 'AGENT_DISCONNECT', Agent: { AgentInteractionDuration: 0 } },
      NOT_CONNECTED
    ],
    [
      'a queued callback where agent and customer talked → the customer got through',
      'voice-agent-handled',
      { ...CALLBACK_TAKEN, DisconnectReason: 'CUSTOMER_DISCONNECT' },
      RESOLVES
    ],
    [
      'an inbound call (not a callback) ending with a not-reached reason → not CALLBACK_NOT_CONNECTED',
      'voice-agent-handled',
      { DisconnectReason: 'CUSTOMER_CONNECTION_NOT_ESTABLISHED' },
      RESOLVES
    ],
    [
      'reached an agent, then dropped on TELECOM_PROBLEM → AGENT_DROPPED_TELECOM',
      'voice-agent-handled',
      { DisconnectReason: 'TELECOM_PROBLEM' },
      {
        ...AGENT_TELECOM,
        reason: /^connected to an agent at 2025-03-03T08:37:00Z, then the call dropped \(TELECOM_PROBLEM\)$/
      }
    ],
    [
      'a callback that reached the customer then dropped on TELECOM_PROBLEM → AGENT_DROPPED_TELECOM',
      'voice-agent-handled',
      { ...CALLBACK_TAKEN, DisconnectReason: 'TELECOM_PROBLEM' },
      AGENT_TELECOM
    ],
    [
      'an agent hung up normally → resolve',
      'voice-agent-handled',
      { DisconnectReason: 'AGENT_DISCONNECT' },
      RESOLVES
    ],
    [
      'got through but the caller ID is withheld and nothing was entered → skip (nothing to match)',
      'voice-agent-handled',
      { CustomerEndpoint: { Address: 'anonymous' } },
      {
        forward: false,
        category: 'HANDLED_BY_AGENT',
        reason: /; no customer number, so no callbacks to close$/
      }
    ],
    [
      'got through with a withheld caller ID but an entered callback number → resolve',
      'voice-agent-handled',
      { CustomerEndpoint: { Address: 'anonymous' }, Attributes: { callbackNumber: '+447700900999' } },
      RESOLVES
    ],
    [
      'a chat that reached an agent (no phone number) → skip',
      'chat-api-abandoned-in-queue',
      CONNECTED,
      { forward: false, category: 'HANDLED_BY_AGENT' }
    ],
    [
      'opted out of callbacks but got through → still resolves (the opt-out only stops new callbacks)',
      'voice-agent-handled',
      { Attributes: { callbackOptOut: 'yes' } },
      { ...RESOLVES, reason: /older open callbacks; customer opted out of callbacks \(callbackOptOut=yes\)$/ }
    ],
    [
      'opted out and dropped on TELECOM_PROBLEM after an agent → opt-out wins over the drop',
      'voice-agent-handled',
      { DisconnectReason: 'TELECOM_PROBLEM', Attributes: { callbackOptOut: 'yes' } },
      { forward: false, category: 'CALLBACK_OPT_OUT' }
    ]
  ])('%s', (_scenario, fixture, overrides, expected) => {
    expectRow(ctrWith(fixture, overrides), expected);
  });

  test('each is a policy switch: off, the contact is a plain agent-handled skip', () => {
    const off = parsePolicy({
      forwardCallbackNotConnected: false,
      forwardAgentDroppedTelecom: false,
      resolveWhenCustomerGetsThrough: false
    });
    const skipped = { forward: false, category: 'HANDLED_BY_AGENT' };
    expectRow(
      ctrWith('voice-agent-handled', { ...CALLBACK_TAKEN, DisconnectReason: 'TELECOM_UNANSWERED' }),
      skipped,
      off
    );
    expectRow(ctrWith('voice-agent-handled', { DisconnectReason: 'TELECOM_PROBLEM' }), skipped, off);
    expectRow(ctrWith('voice-agent-handled'), skipped, off);
    expectRow(
      ctrWith('voice-inbound-ivr-drop', { Attributes: { selfServiceResolved: 'true' } }),
      { forward: false, category: 'SELF_SERVICE_RESOLVED' },
      off
    );
  });

  test('drops and resolves become records with action, category and where the number came from', () => {
    const policy = parsePolicy({ callbackNumberAttribute: 'cbNumber' });
    const entered = ctrWith('voice-agent-handled', {
      DisconnectReason: 'TELECOM_PROBLEM',
      Attributes: { cbNumber: ' +44 7700 900-999 ' }
    });
    expect(toDisconnectRecord(entered, classify(entered, policy), policy)).toMatchObject({
      action: 'callback',
      category: 'AGENT_DROPPED_TELECOM',
      customerPhone: '+447700900999',
      phoneSource: 'ENTERED'
    });
    const handled = ctrWith('voice-agent-handled');
    expect(toDisconnectRecord(handled, classify(handled, policy), policy)).toMatchObject({
      action: 'resolve',
      category: 'AGENT_HANDLED',
      customerPhone: '+447700900123',
      phoneSource: 'CALLER_ID'
    });
    const bot = ctrWith('voice-inbound-ivr-drop', { Attributes: { selfServiceResolved: 'true' } });
    expect(toDisconnectRecord(bot, classify(bot, policy), policy)).toMatchObject({
      action: 'resolve',
      category: 'SELF_SERVICE'
    });
  });
});

describe('the policy is configurable', () => {
  test('a deployment can forward TASK contacts and rename the attributes it reads', () => {
    const policy = parsePolicy({
      forwardChannels: ['VOICE', 'TASK'],
      customerInitiatedMethods: ['API'],
      optOutAttribute: 'noCallback',
      selfServiceAttribute: 'botDone'
    });
    expect(classify(loadCtr('task-flow-created'), policy)).toMatchObject({
      forward: true,
      category: 'ABANDONED_IN_QUEUE'
    });
    expect(classify(loadCtr('chat-api-abandoned-in-queue'), policy).category).toBe('CHANNEL_EXCLUDED');
    const optedOut = ctrWith('task-flow-created', {
      Attributes: { noCallback: 'yes', callbackOptOut: 'no' }
    });
    expect(classify(optedOut, policy).category).toBe('CALLBACK_OPT_OUT');
    const botDone = ctrWith('task-flow-created', { Attributes: { botDone: '1' } });
    expect(classify(botDone, policy).category).toBe('SELF_SERVICE_RESOLVED');
  });

  test('API counts as customer-initiated only on the listed channels', () => {
    const policy = parsePolicy({ apiCountsAsCustomerInitiatedOn: [] });
    expect(classify(loadCtr('chat-api-abandoned-in-queue'), policy).category).toBe('NOT_CUSTOMER_INITIATED');
  });

  test('with no forwarded channels the reason says "none"', () => {
    const result = classify(
      loadCtr('voice-inbound-abandoned-in-queue'),
      parsePolicy({ forwardChannels: [] })
    );
    expect(result.reason).toMatch(/forwarded: none/);
  });
});

describe('the five reference samples', () => {
  test.each([
    ['ctr-01-agent-handled', false, 'HANDLED_BY_AGENT', /connected to an agent.*older open callbacks/],
    [
      'ctr-02-abandoned-in-queue',
      true,
      'ABANDONED_IN_QUEUE',
      /^abandoned after 251 s in queue BasicQueue \(CUSTOMER_DISCONNECT\)$/
    ],
    ['ctr-02b-abandoned-in-queue-reemitted', true, 'ABANDONED_IN_QUEUE', /251 s in queue BasicQueue/],
    ['ctr-03-ivr-telecom-drop', true, 'DROPPED_IN_IVR', /\(TELECOM_PROBLEM\)$/],
    ['ctr-04-virtual-agent-handled', false, 'SELF_SERVICE_RESOLVED', /selfServiceResolved=true/]
  ] as const)('%s → forward=%s, %s', (sample, forward, category, reason) => {
    const ctr = loadReference(sample);
    const result = classify(ctr, DEFAULT_POLICY);
    expect(result).toMatchObject({ contactId: ctr.ContactId, forward, category });
    expect(result.reason).toMatch(reason);
  });

  test('ctr-02b is the same contact as ctr-02, re-emitted later', () => {
    const first = loadReference('ctr-02-abandoned-in-queue');
    const again = loadReference('ctr-02b-abandoned-in-queue-reemitted');
    expect(again.ContactId).toBe(first.ContactId);
    expect(Date.parse(again.LastUpdateTimestamp as string)).toBeGreaterThan(
      Date.parse(first.LastUpdateTimestamp as string)
    );
  });
});

describe('odd data never crashes the classifier', () => {
  test.each<[string, Overrides]>([
    ['Queue is a string', { Queue: 'BasicQueue' }],
    ['Queue is an array', { Queue: [1, 2] }],
    ['Agent is a number', { Agent: 42 }],
    ['Attributes is a string', { Attributes: 'callbackOptOut=true' }],
    ['Attributes is null', { Attributes: null }],
    ['CustomerEndpoint is a string', { CustomerEndpoint: '+447700900123' }],
    [
      'timestamps are numbers',
      { InitiationTimestamp: 1740990605, DisconnectTimestamp: true, LastUpdateTimestamp: {} }
    ],
    ['Channel is a number', { Channel: 7 }],
    ['InitiationMethod is an object', { InitiationMethod: { value: 'INBOUND' } }],
    [
      'every known field removed',
      Object.fromEntries(
        Object.keys(loadCtr('voice-inbound-abandoned-in-queue'))
          .filter((k) => k !== 'ContactId')
          .map((k) => [k, REMOVE])
      )
    ],
    [
      'unknown fields added',
      { SegmentAttributes: { 'connect:Subtype': { ValueString: 'connect:Telephony' } }, Tags: {} }
    ]
  ])('%s', (_scenario, overrides) => {
    const ctr = ctrWith('voice-inbound-abandoned-in-queue', overrides);
    const result = classify(ctr, DEFAULT_POLICY);
    expect(result.contactId).toBe(ctr.ContactId);
    expect(typeof result.reason).toBe('string');
    expect(typeof result.forward).toBe('boolean');
  });

  test('property: any JSON under the CTR field names classifies, and forwarded ones map to a valid record', () => {
    const field = fc.constantFrom(
      'Channel',
      'InitiationMethod',
      'Queue',
      'Agent',
      'Attributes',
      'AgentConnectionAttempts',
      'NextContactId',
      'PreviousContactId',
      'TransferredToEndpoint',
      'CustomerEndpoint',
      'DisconnectReason',
      'InitiationTimestamp',
      'DisconnectTimestamp',
      'LastUpdateTimestamp',
      'InstanceARN'
    );
    const timestamp = fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
    const value = fc.oneof(
      fc.jsonValue(),
      timestamp,
      fc.constantFrom(
        'VOICE',
        'CHAT',
        'INBOUND',
        'API',
        'CALLBACK',
        'TELECOM_PROBLEM',
        'true',
        '+447700900123'
      ),
      fc.record({ callbackNumber: fc.oneof(fc.constant('+44 7700 900999'), fc.string()) }),
      fc.record(
        {
          EnqueueTimestamp: fc.oneof(timestamp, fc.jsonValue()),
          DequeueTimestamp: fc.oneof(timestamp, fc.jsonValue()),
          Duration: fc.oneof(fc.double(), fc.jsonValue()),
          Name: fc.jsonValue(),
          ConnectedToAgentTimestamp: fc.jsonValue(),
          Address: fc.oneof(fc.constant('+447700900123'), fc.jsonValue()),
          Type: fc.constantFrom('TELEPHONE_NUMBER', 'OTHER')
        },
        { requiredKeys: [] }
      )
    );
    const policies = [
      DEFAULT_POLICY,
      parsePolicy({ shortAbandonSeconds: 30, attributeAllowlist: ['intent'] })
    ];
    fc.assert(
      fc.property(fc.dictionary(field, value), fc.constantFrom(...policies), (fields, policy) => {
        const ctr = { ...loadCtr('voice-inbound-abandoned-in-queue'), ...fields, ContactId: 'prop-1' };
        const result = classify(ctr, policy);
        expect(result.contactId).toBe('prop-1');
        expect(result.reason.length).toBeGreaterThan(0);
        expect(result.forward).toBe(result.action === 'callback');
        if (result.action === 'skip') return;
        const record = toDisconnectRecord(ctr, result, policy);
        const categories =
          result.action === 'resolve'
            ? ['AGENT_HANDLED', 'SELF_SERVICE']
            : ['ABANDONED_IN_QUEUE', 'DROPPED_IN_IVR', 'AGENT_DROPPED_TELECOM', 'CALLBACK_NOT_CONNECTED'];
        expect(categories).toContain(record.category);
        expect(record.action).toBe(result.action);
        expect(record.customerPhone === null || isE164(record.customerPhone)).toBe(true);
        expect(record.phoneSource === null).toBe(record.customerPhone === null);
        if (result.action === 'resolve') expect(record.customerPhone).not.toBeNull();
        const wait = record.queueWaitSeconds;
        expect(wait === null || (Number.isInteger(wait) && wait >= 0 && wait <= 999_999_999)).toBe(true);
        expect((record.queueName ?? '').length).toBeLessThanOrEqual(LIMITS.queueName);
        expect((record.channel ?? '').length).toBeLessThanOrEqual(LIMITS.channel);
        expect((record.initiationMethod ?? '').length).toBeLessThanOrEqual(LIMITS.initiationMethod);
        expect((record.disconnectReason ?? '').length).toBeLessThanOrEqual(LIMITS.disconnectReason);
        expect(Object.values(record.attributes).every((v) => typeof v === 'string')).toBe(true);
        expect(JSON.parse(JSON.stringify(record))).toEqual(record);
      }),
      { numRuns: 400 }
    );
  });

  test('an attribute named like an Object.prototype member is not mistaken for a set attribute', () => {
    const policy = parsePolicy({ optOutAttribute: 'constructor', selfServiceAttribute: 'toString' });
    expect(classify(loadCtr('voice-inbound-abandoned-in-queue'), policy).category).toBe('ABANDONED_IN_QUEUE');
  });

  test('long values are shortened in reasons and phone numbers in them are masked', () => {
    const result = classify(
      ctrWith('voice-inbound-abandoned-in-queue', { Queue: { Name: 'Q'.repeat(300) } }),
      DEFAULT_POLICY
    );
    expect(result.reason).toContain('Q'.repeat(77) + '...');
    expect(result.reason.length).toBeLessThan(200);
    const phoneQueue = classify(
      ctrWith('voice-inbound-abandoned-in-queue', { Queue: { Name: 'Call +447700900123' } }),
      DEFAULT_POLICY
    );
    expect(phoneQueue.reason).toContain('+********0123');
    expect(phoneQueue.reason).not.toContain('7700900123');
  });

  test('a value of 80 characters is shown whole, one of 81 shortened to 77 and "..."', () => {
    const reasonWith = (disconnectReason: string) =>
      classify(
        ctrWith('voice-inbound-abandoned-in-queue', { DisconnectReason: disconnectReason }),
        DEFAULT_POLICY
      ).reason;
    expect(reasonWith('R'.repeat(80))).toBe(`abandoned after 342 s in queue Payments (${'R'.repeat(80)})`);
    expect(reasonWith('R'.repeat(81))).toBe(`abandoned after 342 s in queue Payments (${'R'.repeat(77)}...)`);
  });

  test('the time an agent took the contact is shown in UTC; text that is not a time is masked', () => {
    const at = (connected: string) =>
      classify(
        ctrWith('voice-agent-handled', { Agent: { ConnectedToAgentTimestamp: connected } }),
        parsePolicy({ resolveWhenCustomerGetsThrough: false })
      ).reason;
    // The fraction's digits are not a phone number to mask.
    expect(at('2025-03-03T09:37:00.123456789+01:00')).toBe(
      'connected to an agent at 2025-03-03T08:37:00.123Z'
    );
    expect(at('2025-03-03T08:37:00.123456789Z')).toBe(
      'connected to an agent at 2025-03-03T08:37:00.123456789Z'
    );
    expect(at('rang +447700900123')).toBe('connected to an agent at rang +********0123');
  });

  test('several forwarded channels are listed comma-separated in the reason', () => {
    const policy = parsePolicy({ forwardChannels: ['VOICE', 'CHAT'] });
    expect(classify(loadCtr('task-flow-created'), policy).reason).toBe(
      'channel TASK is not forwarded (forwarded: VOICE, CHAT)'
    );
  });

  test('the time in the IVR: 0 s is shown, a disconnect before the initiation (clock skew) is not', () => {
    const ivr = (disconnected: string) =>
      classify(
        ctrWith('voice-inbound-ivr-drop', {
          InitiationTimestamp: '2025-03-03T09:14:02Z',
          DisconnectTimestamp: disconnected
        }),
        DEFAULT_POLICY
      ).reason;
    expect(ivr('2025-03-03T09:14:02.900Z')).toBe(
      'dropped in the IVR after 0 s, before reaching a queue (TELECOM_PROBLEM)'
    );
    expect(ivr('2025-03-03T09:14:01Z')).toBe('dropped in the IVR, before reaching a queue (TELECOM_PROBLEM)');
  });

  test('an unnamed queue is described as such', () => {
    const result = classify(
      ctrWith('voice-inbound-abandoned-in-queue', { Queue: { Name: null } }),
      DEFAULT_POLICY
    );
    expect(result.reason).toMatch(/in an unnamed queue/);
  });

  test('IVR drop without timestamps omits the time', () => {
    const result = classify(ctrWith('voice-inbound-ivr-drop', { InitiationTimestamp: null }), DEFAULT_POLICY);
    expect(result.reason).toBe('dropped in the IVR, before reaching a queue (TELECOM_PROBLEM)');
  });
});

describe('helpers', () => {
  test.each([
    ['true', true],
    [' Yes ', true],
    ['1', true],
    ['TRUE', true],
    ['on', false],
    ['', false],
    [null, false],
    [undefined, false]
  ])('isTruthy(%p) = %p', (value, expected) => {
    expect(isTruthy(value)).toBe(expected);
  });

  test('invalidClassification describes an undecodable record', () => {
    expect(invalidClassification('not UTF-8')).toEqual({
      contactId: '',
      forward: false,
      action: 'skip',
      category: 'INVALID',
      reason: 'invalid record: not UTF-8'
    });
    expect(invalidClassification('not JSON', 'abc').contactId).toBe('abc');
  });
});
