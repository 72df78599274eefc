/**
 * Amazon Connect contact trace records (CTRs), format 2017-03-10, typed tolerantly.
 *
 * AWS adds fields and enum values over time and the stream is not schema-checked, so every field is optional and
 * nullable, enums are open strings, and unknown fields are allowed. The declared types describe what AWS documents;
 * at runtime anything may appear (a string where an object was expected, a number as a string…). Code that makes
 * decisions must therefore not trust them: read a CTR through `readCtr`, which returns checked, normalised facts.
 */
import { isoDateTime, isoDateTimeMs } from './timestamp';

export interface CtrEndpoint {
  /** E.164 for TELEPHONE_NUMBER endpoints. */
  Address?: string | null;
  /** TELEPHONE_NUMBER today; open enum. */
  Type?: string | null;
  [field: string]: unknown;
}

export interface CtrQueue {
  ARN?: string | null;
  Name?: string | null;
  EnqueueTimestamp?: string | null;
  DequeueTimestamp?: string | null;
  /** Whole seconds between enqueue and dequeue. */
  Duration?: number | null;
  [field: string]: unknown;
}

export interface CtrAgent {
  ARN?: string | null;
  Username?: string | null;
  ConnectedToAgentTimestamp?: string | null;
  AgentInteractionDuration?: number | null;
  [field: string]: unknown;
}

export interface ContactTraceRecord {
  ContactId: string;
  AWSAccountId?: string | null;
  AWSContactTraceRecordFormatVersion?: string | null;
  Agent?: CtrAgent | null;
  AgentConnectionAttempts?: number | null;
  /** Flow-set contact attributes: a string map. */
  Attributes?: Record<string, unknown> | null;
  /** VOICE | CHAT | TASK | EMAIL …; open enum. */
  Channel?: string | null;
  ConnectedToSystemTimestamp?: string | null;
  CustomerEndpoint?: CtrEndpoint | null;
  /** CUSTOMER_DISCONNECT, TELECOM_PROBLEM, …; open enum, often null. */
  DisconnectReason?: string | null;
  DisconnectTimestamp?: string | null;
  InitialContactId?: string | null;
  /** INBOUND | OUTBOUND | TRANSFER | QUEUE_TRANSFER | CALLBACK | API | MONITOR | DISCONNECT | WEBRTC_API …; open. */
  InitiationMethod?: string | null;
  InitiationTimestamp?: string | null;
  InstanceARN?: string | null;
  LastUpdateTimestamp?: string | null;
  NextContactId?: string | null;
  PreviousContactId?: string | null;
  Queue?: CtrQueue | null;
  SystemEndpoint?: CtrEndpoint | null;
  TransferCompletedTimestamp?: string | null;
  TransferredToEndpoint?: CtrEndpoint | null;
  [field: string]: unknown;
}

/** The facts the relay decides on, read defensively from a CTR. Absent, null or wrongly typed values are null. */
export interface CtrFacts {
  contactId: string;
  /** Trimmed, as sent (open enum). */
  channel: string | null;
  initiationMethod: string | null;
  disconnectReason: string | null;
  /** Valid ISO-8601 timestamps only, normalised to UTC ("…Z"). */
  initiatedAt: string | null;
  disconnectedAt: string | null;
  lastUpdatedAt: string | null;
  customerEndpointType: string | null;
  customerAddress: string | null;
  instanceArn: string | null;
  previousContactId: string | null;
  nextContactId: string | null;
  /** Address of TransferredToEndpoint, or "(unknown address)" when set without one; null when not transferred out. */
  transferredTo: string | null;
  queueName: string | null;
  /** Queue.EnqueueTimestamp as sent (any non-empty string counts as "set"). */
  enqueuedAtRaw: string | null;
  /** Whole seconds spent in queue (Queue.Duration, else dequeue/disconnect − enqueue); null when unknown. */
  queueSeconds: number | null;
  /** Agent.ConnectedToAgentTimestamp as sent (any non-empty string counts as "set"). */
  connectedToAgentRaw: string | null;
  /** An Agent object is present (AWS only sends one after routing to an agent). */
  agentPresent: boolean;
  agentConnectionAttempts: number | null;
  /** Agent.AgentInteractionDuration (seconds the agent talked with the customer); null when absent. */
  agentInteractionSeconds: number | null;
  /** Own attributes with string values (other value types are dropped). */
  attributes: Record<string, string>;
}

type Json = Record<string, unknown>;

/**
 * Every top-level CTR field the relay reads: `readCtr` reads a CTR through this list only (the compiler holds its
 * readFields to that), so a large CTR can be decoded without building its other fields (see ctr-parse.ts).
 */
export const CTR_FIELDS = Object.freeze([
  'ContactId',
  'Channel',
  'InitiationMethod',
  'DisconnectReason',
  'InitiationTimestamp',
  'DisconnectTimestamp',
  'LastUpdateTimestamp',
  'InstanceARN',
  'PreviousContactId',
  'NextContactId',
  'CustomerEndpoint',
  'TransferredToEndpoint',
  'Queue',
  'Agent',
  'AgentConnectionAttempts',
  'Attributes'
] as const);

export type CtrField = (typeof CTR_FIELDS)[number];

/**
 * Every member readCtr reads of the CTR's object fields, by field (held to it by the compiler, as CTR_FIELDS): a
 * large CTR is decoded with only these members in those objects (see ctr-parse.ts).
 */
export const CTR_MEMBER_FIELDS = Object.freeze({
  Queue: Object.freeze(['Name', 'EnqueueTimestamp', 'DequeueTimestamp', 'Duration'] as const),
  Agent: Object.freeze(['ConnectedToAgentTimestamp', 'AgentInteractionDuration'] as const),
  CustomerEndpoint: Object.freeze(['Address', 'Type'] as const),
  TransferredToEndpoint: Object.freeze(['Address', 'Type'] as const)
});

type MemberOf<F extends keyof typeof CTR_MEMBER_FIELDS> = (typeof CTR_MEMBER_FIELDS)[F][number];

export function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(obj: Json, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** A member of the CTR's Queue, Agent or an endpoint object: only those in CTR_MEMBER_FIELDS (`own`, typed narrower). */
const queueMember: (queue: Json, key: MemberOf<'Queue'>) => unknown = own;
const agentMember: (agent: Json, key: MemberOf<'Agent'>) => unknown = own;
const endpointMember: (
  endpoint: Json,
  key: MemberOf<'CustomerEndpoint'> & MemberOf<'TransferredToEndpoint'>
) => unknown = own;

/** A non-empty trimmed string, else null. */
export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // A value whose first and last characters are not whitespace (nearly every CTR value) has nothing to trim:
  // returned as it is, without the call into the runtime that trim() is.
  // Stryker disable next-line ConditionalExpression,ArithmeticOperator: without the shortcut, trim() gives the same value, slower
  if (notWhitespace(value.charCodeAt(0)) && notWhitespace(value.charCodeAt(value.length - 1))) return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * A character code trim() never removes, by a range check that covers nearly every character a CTR holds: above the
 * space (the control characters are below it) and below the no-break space U+00A0 (the first whitespace past
 * them). NaN (an empty text's first character) is not.
 */
// Stryker disable next-line BlockStatement: no shortcut (undefined) leaves every value to trim(): the same values, slower
function notWhitespace(code: number): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a narrower range (false, >= U+00A0) leaves more values to trim(): the same values, slower; a wider one fails the tests
  return code > 0x20 && code < 0xa0;
}

function objectOrNull(value: unknown): Json | null {
  return isPlainObject(value) ? value : null;
}

/** A finite non-negative number (numbers or numeric strings, since wrong types happen), else null. */
export function nonNegativeNumber(value: unknown): number | null {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * A valid ISO-8601 date-time, normalised to UTC: "…Z" strings with seconds unchanged (Connect's own format, so the
 * value sent to Salesforce matches the CTR byte for byte), others converted to "…Z"; null for anything else,
 * impossible dates and times (April 31st, 25:00) included, as the contract's parser would reject them.
 */
export function isoTimestamp(value: unknown): string | null {
  const s = text(value);
  return s === null ? null : isoDateTime(s);
}

/** Milliseconds since the epoch of a valid ISO-8601 timestamp, else null. */
export function timestampMs(value: unknown): number | null {
  const s = text(value);
  return s === null ? null : isoDateTimeMs(s);
}

/** Queue_Wait_Seconds__c is Number(9,0); a larger "duration" is corrupt data, treated as unknown. */
export const MAX_QUEUE_SECONDS = 999_999_999;

function secondsBetween(from: unknown, to: unknown): number | null {
  const a = timestampMs(from);
  const b = timestampMs(to);
  if (a === null || b === null || b < a) return null;
  const seconds = Math.floor((b - a) / 1000);
  return seconds <= MAX_QUEUE_SECONDS ? seconds : null;
}

const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * The string-valued own attributes. When every value is a string (the normal case: Connect attributes are a string
 * map) the decoded object itself is returned rather than a copy; a large CTR has many attributes.
 */
function stringAttributes(attrs: Json | null): Record<string, string> {
  if (attrs === null) return NO_ATTRIBUTES;
  let allStrings = true;
  for (const key in attrs) {
    if (Object.prototype.hasOwnProperty.call(attrs, key) && typeof attrs[key] !== 'string') {
      allStrings = false;
      break;
    }
  }
  if (allStrings) return attrs as Record<string, string>;
  const copy: Record<string, string> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === 'string') copy[key] = value;
  }
  return copy;
}

/**
 * The facts of the CTR read last: classify and then the record mapping read the same CTR one after the other, and a
 * CTR is never changed after decoding. One entry, not a WeakMap: a weak entry per CTR cost more in garbage
 * collection than reading the CTR twice would.
 */
let lastRead: { ctr: unknown; facts: CtrFacts } | null = null;

/**
 * Reads the facts the relay needs from any decoded CTR without ever throwing. The result is remembered for the CTR
 * object read last (so a CTR must not be changed after it was read) and must be treated as read-only;
 * `attributes` may be the CTR's own Attributes object.
 */
export function readCtr(ctr: ContactTraceRecord): CtrFacts {
  // Any value is remembered, objects or not: a value that is not an object always reads as the same empty contact.
  if (lastRead !== null && lastRead.ctr === ctr) return lastRead.facts;
  const facts = readCtrUncached(ctr);
  lastRead = { ctr, facts };
  return facts;
}

/** The CTR_FIELDS values of the CTR read last (undefined when it has no such own property); see readFields. */
// Stryker disable next-line ObjectLiteral: the properties are set by readFields anyway (declared here for one shape)
const fields = {
  contactId: undefined as unknown,
  channel: undefined as unknown,
  initiationMethod: undefined as unknown,
  disconnectReason: undefined as unknown,
  initiationTimestamp: undefined as unknown,
  disconnectTimestamp: undefined as unknown,
  lastUpdateTimestamp: undefined as unknown,
  instanceArn: undefined as unknown,
  previousContactId: undefined as unknown,
  nextContactId: undefined as unknown,
  customerEndpoint: undefined as unknown,
  transferredToEndpoint: undefined as unknown,
  queue: undefined as unknown,
  agent: undefined as unknown,
  agentConnectionAttempts: undefined as unknown,
  attributes: undefined as unknown
};

/**
 * Reads the CTR's own CTR_FIELDS properties into `fields`, in one pass over its keys: in a for-in loop V8 checks
 * hasOwnProperty once per object shape, not once per key, which is cheaper than looking up each field by name.
 * for-in sees enumerable properties only: every property of a CTR that JSON.parse or the decoder made is one.
 */
function readFields(raw: Json): void {
  fields.contactId = undefined;
  fields.channel = undefined;
  fields.initiationMethod = undefined;
  fields.disconnectReason = undefined;
  fields.initiationTimestamp = undefined;
  fields.disconnectTimestamp = undefined;
  fields.lastUpdateTimestamp = undefined;
  fields.instanceArn = undefined;
  fields.previousContactId = undefined;
  fields.nextContactId = undefined;
  fields.customerEndpoint = undefined;
  fields.transferredToEndpoint = undefined;
  fields.queue = undefined;
  fields.agent = undefined;
  fields.agentConnectionAttempts = undefined;
  fields.attributes = undefined;
  for (const key in raw) {
    if (!Object.prototype.hasOwnProperty.call(raw, key)) continue;
    switch (key as CtrField) {
      case 'ContactId':
        fields.contactId = raw[key];
        break;
      case 'Channel':
        fields.channel = raw[key];
        break;
      case 'InitiationMethod':
        fields.initiationMethod = raw[key];
        break;
      case 'DisconnectReason':
        fields.disconnectReason = raw[key];
        break;
      case 'InitiationTimestamp':
        fields.initiationTimestamp = raw[key];
        break;
      case 'DisconnectTimestamp':
        fields.disconnectTimestamp = raw[key];
        break;
      case 'LastUpdateTimestamp':
        fields.lastUpdateTimestamp = raw[key];
        break;
      case 'InstanceARN':
        fields.instanceArn = raw[key];
        break;
      case 'PreviousContactId':
        fields.previousContactId = raw[key];
        break;
      case 'NextContactId':
        fields.nextContactId = raw[key];
        break;
      case 'CustomerEndpoint':
        fields.customerEndpoint = raw[key];
        break;
      case 'TransferredToEndpoint':
        fields.transferredToEndpoint = raw[key];
        break;
      case 'Queue':
        fields.queue = raw[key];
        break;
      case 'Agent':
        fields.agent = raw[key];
        break;
      case 'AgentConnectionAttempts':
        fields.agentConnectionAttempts = raw[key];
        break;
      case 'Attributes':
        fields.attributes = raw[key];
        break;
    }
  }
}

function readCtrUncached(ctr: ContactTraceRecord): CtrFacts {
  readFields(isPlainObject(ctr) ? ctr : {});
  const queue = objectOrNull(fields.queue);
  const agent = objectOrNull(fields.agent);
  const customer = objectOrNull(fields.customerEndpoint);
  const transferredToRaw = fields.transferredToEndpoint;

  let transferredTo: string | null = null;
  if (isPlainObject(transferredToRaw)) {
    const address = text(endpointMember(transferredToRaw, 'Address'));
    // An endpoint object with an address or a type is a real transfer; AWS sends null otherwise.
    if (address !== null || text(endpointMember(transferredToRaw, 'Type')) !== null) {
      transferredTo = address ?? '(unknown address)';
    }
  } else {
    transferredTo = text(transferredToRaw);
  }

  const enqueuedAtRaw = queue ? text(queueMember(queue, 'EnqueueTimestamp')) : null;
  let queueSeconds: number | null = null;
  if (queue && enqueuedAtRaw !== null) {
    const duration = nonNegativeNumber(queueMember(queue, 'Duration'));
    if (duration !== null && duration <= MAX_QUEUE_SECONDS) {
      queueSeconds = Math.floor(duration);
    } else {
      // No usable Duration: measure to the dequeue, or to the disconnect when the caller left before dequeue.
      const dequeued = isoTimestamp(queueMember(queue, 'DequeueTimestamp'));
      queueSeconds = secondsBetween(enqueuedAtRaw, dequeued ?? fields.disconnectTimestamp);
    }
  }

  const attributes = stringAttributes(objectOrNull(fields.attributes));

  const attempts = nonNegativeNumber(fields.agentConnectionAttempts);
  const interaction = agent ? nonNegativeNumber(agentMember(agent, 'AgentInteractionDuration')) : null;

  return {
    contactId: typeof fields.contactId === 'string' ? fields.contactId : '',
    channel: text(fields.channel),
    initiationMethod: text(fields.initiationMethod),
    disconnectReason: text(fields.disconnectReason),
    initiatedAt: isoTimestamp(fields.initiationTimestamp),
    disconnectedAt: isoTimestamp(fields.disconnectTimestamp),
    lastUpdatedAt: isoTimestamp(fields.lastUpdateTimestamp),
    customerEndpointType: customer ? text(endpointMember(customer, 'Type')) : null,
    customerAddress: customer ? text(endpointMember(customer, 'Address')) : null,
    instanceArn: text(fields.instanceArn),
    previousContactId: text(fields.previousContactId),
    nextContactId: text(fields.nextContactId),
    transferredTo,
    queueName: queue ? text(queueMember(queue, 'Name')) : null,
    enqueuedAtRaw,
    queueSeconds,
    connectedToAgentRaw: agent ? text(agentMember(agent, 'ConnectedToAgentTimestamp')) : null,
    agentPresent: agent !== null,
    agentConnectionAttempts: attempts === null ? null : Math.floor(attempts),
    agentInteractionSeconds: interaction === null ? null : Math.floor(interaction),
    attributes
  };
}
