/**
 * A local stand-in for the Salesforce org, for development only: it honours the same relay ↔ Apex contract as
 * ConnectDisconnectResource (validated against the contract examples), the OAuth token endpoint (JWT bearer with
 * RS256 signature checks, client credentials), the worklist controller's Apex methods and the
 * Disconnected_Call__e event stream, so the whole pipeline runs on one machine with no org.
 * It binds to 127.0.0.1 only.
 */
import {
  createPublicKey,
  KeyObject,
  randomBytes,
  verify as cryptoVerify,
  X509Certificate
} from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { callerKey, maskPhone } from '../src/mask';
import type { DisconnectRecord, DisconnectResult, RecordError } from '../src/types';

export const CONTRACT_PATH = '/services/apexrest/connect/v1/disconnects';
export const TOKEN_PATH = '/services/oauth2/token';
const MAX_BATCH = 200;
const MAX_BODY_BYTES = 6 * 1024 * 1024;

export type FaultKind = 'latency' | '429' | '503' | '401' | 'reset';

export interface FaultSpec {
  kind: FaultKind;
  /** Apply to the next `count` matching requests… */
  count?: number;
  /** …or to this fraction (0..1) of them until cleared. */
  rate?: number;
  /** For latency: added delay. */
  latencyMs?: number;
  /** For 429: Retry-After header value in seconds. */
  retryAfterSeconds?: number;
  /** Which requests: the Apex REST API (default), the token endpoint, or both. */
  target?: 'api' | 'token' | 'all';
}

export interface CallbackSettings {
  recentWindowHours: number;
  maxAttempts: number;
  closeCaseWhenReached: boolean;
}

export interface EmulatedCustomer {
  contactId: string;
  accountId: string;
  name: string;
  phone: string;
}

/** Disconnected_Call__e payload, field names as in the org. */
export interface DisconnectedCallEvent {
  Case_Id__c: string;
  Connect_Contact_Id__c: string;
  Customer_Contact_Id__c: string | null;
  Customer_Account_Id__c: string | null;
  Customer_Name__c: string | null;
  Masked_Phone__c: string | null;
  Caller_Key__c: string;
  Category__c: string | null;
  Disconnect_Reason__c: string | null;
  Channel__c: string | null;
  Queue_Name__c: string | null;
  Queue_Wait_Seconds__c: number | null;
  Dropped_At__c: string | null;
  Summary__c: string;
  CreatedDate: string;
}

/** CallbackWorklistController.CallbackRow as the LWC receives it. */
export interface CallbackRow {
  caseId: string;
  caseNumber: string;
  connectContactId: string;
  customerContactId: string | null;
  customerAccountId: string | null;
  customerName: string | null;
  phone: string | null;
  maskedPhone: string | null;
  callerKey: string;
  category: string | null;
  disconnectReason: string | null;
  channel: string | null;
  queueName: string | null;
  queueWaitSeconds: number | null;
  droppedAt: string | null;
  attempts: number;
  status: string;
  summary: string;
  lastCallbackAt: string | null;
}

export interface EmulatedTask {
  subject: string;
  description: string | null;
  whatId: string;
  whoId: string | null;
  status: 'Completed';
  createdAt: string;
}

export interface EmulatedCase {
  id: string;
  caseNumber: string;
  record: DisconnectRecord;
  status: 'New' | 'Attempted' | 'Reached' | 'Unreachable' | 'Not needed';
  isClosed: boolean;
  attempts: number;
  lastCallbackAt: string | null;
  customer: EmulatedCustomer | null;
  callerKey: string;
  summary: string;
  tasks: EmulatedTask[];
  createdAt: string;
}

export interface OrgEmulatorStats {
  /** Every request served under /services (token + REST API). */
  apiCalls: number;
  tokenRequests: number;
  disconnectRequests: number;
  recordsReceived: number;
  created: number;
  updated: number;
  unchanged: number;
  stale: number;
  rejected: number;
  eventsPublished: number;
  faultsInjected: number;
}

export interface OrgEmulatorOptions {
  /** 0 (default) = any free port. The host is always 127.0.0.1. */
  port?: number;
  /** Connected app consumer key expected as JWT iss / client_id. */
  clientId?: string;
  /** Integration user expected as JWT sub. */
  username?: string;
  /** PEM public key or X.509 certificate that verifies JWT bearer assertions. */
  jwtPublicKey?: string;
  /** Client secret for the client credentials flow (unset = flow disabled). */
  clientSecret?: string;
  settings?: Partial<CallbackSettings>;
  customers?: EmulatedCustomer[];
  now?: () => Date;
  /** Extra GET routes (the console preview page and bundle). */
  staticRoutes?: Record<string, { contentType: string; body: string | Buffer }>;
}

export interface OrgEmulator {
  readonly url: string;
  readonly port: number;
  readonly stats: OrgEmulatorStats;
  /** Cases by lower-case Connect contactId (the upsert key is case-insensitive). */
  readonly cases: Map<string, EmulatedCase>;
  stop(): Promise<void>;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Store records as if earlier requests had created them (the contract examples' `given`). */
  seed(records: DisconnectRecord[]): void;
  subscribe(listener: (event: DisconnectedCallEvent) => void): () => void;
  getOpenCallbacks(
    windowHours?: number | null,
    channel?: string | null,
    category?: string | null
  ): CallbackRow[];
  logCallbackOutcome(caseId: string, outcome: string, note?: string | null): CallbackRow;
  setStaticRoute(path: string, contentType: string, body: string | Buffer): void;
}

/** Fictional customers (555-01xx numbers) so matched rows show a name, like the org's CustomerMatcher would. */
export const DEFAULT_CUSTOMERS: EmulatedCustomer[] = [
  {
    contactId: '003000000000001AAA',
    accountId: '001000000000001AAA',
    name: 'Ana Gómez',
    phone: '+15555550142'
  },
  {
    contactId: '003000000000002AAA',
    accountId: '001000000000002AAA',
    name: 'Ben Okafor',
    phone: '+15555550177'
  },
  {
    contactId: '003000000000003AAA',
    accountId: '001000000000003AAA',
    name: 'Chen Wei',
    phone: '+15555550110'
  },
  {
    contactId: '003000000000004AAA',
    accountId: '001000000000001AAA',
    name: 'Dana Gómez',
    phone: '+15555550111'
  },
  {
    contactId: '003000000000005AAA',
    accountId: '001000000000004AAA',
    name: 'Emil Larsen',
    phone: '+15555550112'
  }
];

const OUTCOME_LABELS: Record<string, string> = {
  REACHED: 'Reached',
  NO_ANSWER: 'No answer',
  WRONG_NUMBER: 'Wrong number',
  NOT_NEEDED: 'Not needed'
};

class ContractError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message);
  }
}

class AuraError extends Error {}

// Identity helpers: the relay's own (relay/src/mask.ts), which mirror CallerIdentity.cls.

const REASON_TEXT: Record<string, string> = {
  CUSTOMER_DISCONNECT: 'caller hung up',
  AGENT_DISCONNECT: 'agent hung up',
  THIRD_PARTY_DISCONNECT: 'third party hung up',
  TELECOM_PROBLEM: 'telecom problem',
  CONTACT_FLOW_DISCONNECT: 'ended by the contact flow',
  EXPIRED: 'expired'
};

function roughDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor(seconds / 60) % 60} min`;
}

/** The Case Subject, worded as DisconnectIntakeService.subjectFor words it. */
function summaryFor(r: DisconnectRecord): string {
  let subject = r.channel?.toUpperCase() === 'CHAT' ? 'Dropped chat: ' : 'Dropped call: ';
  if (r.category === 'ABANDONED_IN_QUEUE') {
    subject += 'abandoned';
    if (r.queueWaitSeconds !== null) subject += ` after ${roughDuration(r.queueWaitSeconds)}`;
    subject += r.queueName !== null ? ` in ${r.queueName}` : ' in queue';
  } else if (r.category === 'DROPPED_IN_IVR') {
    subject += 'lost in the IVR';
    if (r.disconnectReason !== null) {
      const reason = r.disconnectReason;
      subject += ` (${REASON_TEXT[reason.toUpperCase()] ?? reason.replace('_', ' ').toLowerCase()})`;
    }
  } else {
    subject +=
      r.category === null
        ? 'ended before reaching an agent'
        : String(r.category).replace('_', ' ').toLowerCase();
  }
  return subject.length > 255 ? subject.slice(0, 252) + '...' : subject;
}

/** Connect_Disconnected_At__c, else CreatedDate, as the worklist controller reports it. */
function droppedAt(c: EmulatedCase): string {
  return new Date(c.record.disconnectedAt ?? c.createdAt).toISOString();
}

// ---------------------------------------------------------------- validation (mirror DisconnectRequestParser.cls)

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;
const E164 = /^\+[1-9][0-9]{7,14}$/;
const MAX_QUEUE_WAIT_SECONDS = 999_999_999;

/** ISO-8601 (Z or offset) → epoch ms truncated to whole seconds (a Datetime field's precision), or null. */
export function parseTimestamp(value: unknown): number | null {
  const m = typeof value === 'string' ? ISO_8601.exec(value) : null;
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
  const daysInMonth = new Date(Date.UTC(year as number, month as number, 0)).getUTCDate();
  if ((year as number) < 1700 || (year as number) > 4000 || (month as number) < 1 || (month as number) > 12)
    return null;
  if ((day as number) < 1 || (day as number) > daysInMonth) return null;
  if ((hour as number) > 23 || (minute as number) > 59 || (second as number) > 59) return null;
  let instant = Date.UTC(year as number, (month as number) - 1, day, hour, minute, second);
  if (m[8] !== 'Z') {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    instant -= (offsetHours * 60 + offsetMinutes) * 60_000 * (m[9] === '-' ? -1 : 1);
  }
  return instant;
}

class FieldError extends Error {
  constructor(
    readonly code: 'MISSING_FIELD' | 'INVALID_FIELD',
    message: string
  ) {
    super(message);
  }
}

/** Field by field, in DisconnectRequestParser's order; throws the first problem. */
function toRecord(raw: unknown): DisconnectRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new FieldError('INVALID_FIELD', 'each record must be a JSON object');
  }
  const r = raw as Record<string, unknown>;
  const value = (key: string, required: boolean): unknown => {
    const v = r[key];
    if ((v === undefined || v === null) && required)
      throw new FieldError('MISSING_FIELD', `${key} is required`);
    return v ?? null;
  };
  const str = (key: string, max: number, required = false): string | null => {
    const v = value(key, required);
    if (v === null) return null;
    const min = required ? 1 : 0;
    if (typeof v !== 'string' || v.length < min || v.length > max) {
      throw new FieldError('INVALID_FIELD', `${key} must be a string of ${min}-${max} characters`);
    }
    return v === '' ? null : v;
  };
  const time = (key: string, required = false): string | null => {
    const v = value(key, required);
    if (v === null) return null;
    const ms = parseTimestamp(v);
    if (ms === null) {
      throw new FieldError(
        'INVALID_FIELD',
        `${key} must be an ISO-8601 timestamp such as 2024-05-14T09:17:30Z`
      );
    }
    return new Date(ms).toISOString().replace('.000Z', 'Z');
  };
  const contactId = str('contactId', 64, true) as string;
  const lastUpdated = time('lastUpdated', true) as string;
  const initiatedAt = time('initiatedAt');
  const disconnectedAt = time('disconnectedAt');
  const channel = str('channel', 20);
  const initiationMethod = str('initiationMethod', 40);
  const disconnectReason = str('disconnectReason', 80);
  const category = str('category', 40) as DisconnectRecord['category'];
  const phone = value('customerPhone', false);
  if (phone !== null && (typeof phone !== 'string' || !E164.test(phone))) {
    throw new FieldError('INVALID_FIELD', 'customerPhone must be E.164 (+ and 8-15 digits) or null');
  }
  const queueName = str('queueName', 255);
  const wait = value('queueWaitSeconds', false);
  if (
    wait !== null &&
    (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > MAX_QUEUE_WAIT_SECONDS)
  ) {
    throw new FieldError('INVALID_FIELD', 'queueWaitSeconds must be a non-negative integer or null');
  }
  const previousContactId = str('previousContactId', 64);
  const instanceArn = str('instanceArn', 255);
  const attrs = value('attributes', false);
  if (attrs !== null && (typeof attrs !== 'object' || Array.isArray(attrs))) {
    throw new FieldError('INVALID_FIELD', 'attributes must be an object of string values or null');
  }
  const entries = Object.entries((attrs ?? {}) as Record<string, unknown>);
  if (entries.length > 50) throw new FieldError('INVALID_FIELD', 'attributes must have at most 50 keys');
  for (const [name, v] of entries) {
    if (typeof v !== 'string' || v.length > 1024) {
      throw new FieldError('INVALID_FIELD', `attributes.${name} must be a string of at most 1024 characters`);
    }
  }
  return {
    contactId,
    lastUpdated,
    initiatedAt,
    disconnectedAt,
    channel,
    initiationMethod,
    disconnectReason,
    category,
    customerPhone: phone as string | null,
    queueName,
    queueWaitSeconds: wait as number | null,
    previousContactId,
    instanceArn,
    attributes: Object.fromEntries(entries) as Record<string, string>
  };
}

/** Parses a request body exactly as the Apex resource does; throws ContractError for 400s. */
export function parseDisconnectRequest(body: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ContractError('MALFORMED_JSON', 'Request body is not valid JSON');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !Array.isArray((parsed as { records?: unknown }).records)
  ) {
    throw new ContractError('INVALID_REQUEST', 'Body must be an object with a records array');
  }
  const records = (parsed as { records: unknown[] }).records;
  if (records.length === 0) throw new ContractError('EMPTY_BATCH', 'records must hold 1 to 200 items');
  if (records.length > MAX_BATCH)
    throw new ContractError('BATCH_TOO_LARGE', 'records must hold 1 to 200 items');
  return records;
}

// ---------------------------------------------------------------- JWT bearer

function b64urlJson(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function toPublicKey(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

// ---------------------------------------------------------------- server

export async function startOrgEmulator(options: OrgEmulatorOptions = {}): Promise<OrgEmulator> {
  const now = options.now ?? (() => new Date());
  const settings: CallbackSettings = {
    recentWindowHours: 24,
    maxAttempts: 3,
    closeCaseWhenReached: true,
    ...options.settings
  };
  const customersByPhone = new Map((options.customers ?? DEFAULT_CUSTOMERS).map((c) => [c.phone, c]));
  const publicKey = options.jwtPublicKey ? toPublicKey(options.jwtPublicKey) : null;
  const cases = new Map<string, EmulatedCase>(); // by lower-case Connect contactId
  const casesById = new Map<string, EmulatedCase>();
  const tokens = new Set<string>();
  const listeners = new Set<(e: DisconnectedCallEvent) => void>();
  const sseClients = new Set<ServerResponse>();
  const staticRoutes = new Map(Object.entries(options.staticRoutes ?? {}));
  let faults: (FaultSpec & { remaining: number })[] = [];
  let caseSeq = 0;
  let replayId = 0;
  const stats: OrgEmulatorStats = {
    apiCalls: 0,
    tokenRequests: 0,
    disconnectRequests: 0,
    recordsReceived: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    stale: 0,
    rejected: 0,
    eventsPublished: 0,
    faultsInjected: 0
  };

  const toEvent = (c: EmulatedCase): DisconnectedCallEvent => ({
    Case_Id__c: c.id,
    Connect_Contact_Id__c: c.record.contactId,
    Customer_Contact_Id__c: c.customer?.contactId ?? null,
    Customer_Account_Id__c: c.customer?.accountId ?? null,
    Customer_Name__c: c.customer?.name ?? null,
    Masked_Phone__c: maskPhone(c.record.customerPhone),
    Caller_Key__c: c.callerKey,
    Category__c: c.record.category,
    Disconnect_Reason__c: c.record.disconnectReason,
    Channel__c: c.record.channel,
    Queue_Name__c: c.record.queueName,
    Queue_Wait_Seconds__c: c.record.queueWaitSeconds,
    Dropped_At__c: new Date(c.record.disconnectedAt ?? c.record.lastUpdated).toISOString(),
    Summary__c: c.summary,
    CreatedDate: now().toISOString()
  });

  const publish = (c: EmulatedCase): void => {
    const event = toEvent(c);
    stats.eventsPublished++;
    replayId++;
    for (const l of listeners) l(event);
    // Shaped like an empApi message so the preview's stand-in can hand it over unchanged.
    const message = { channel: '/event/Disconnected_Call__e', data: { payload: event, event: { replayId } } };
    for (const res of sseClients) res.write(`id: ${replayId}\ndata: ${JSON.stringify(message)}\n\n`);
  };

  const toRow = (c: EmulatedCase): CallbackRow => ({
    caseId: c.id,
    caseNumber: c.caseNumber,
    connectContactId: c.record.contactId,
    customerContactId: c.customer?.contactId ?? null,
    customerAccountId: c.customer?.accountId ?? null,
    customerName: c.customer?.name ?? null,
    phone: c.record.customerPhone,
    maskedPhone: maskPhone(c.record.customerPhone),
    callerKey: c.callerKey,
    category: c.record.category,
    disconnectReason: c.record.disconnectReason,
    channel: c.record.channel,
    queueName: c.record.queueName,
    queueWaitSeconds: c.record.queueWaitSeconds,
    droppedAt: droppedAt(c),
    attempts: c.attempts,
    status: c.status,
    summary: c.summary,
    lastCallbackAt: c.lastCallbackAt
  });

  /** Upsert by Connect contactId (case-insensitive, like the External ID), as DisconnectIntakeService does. */
  const applyRecord = (
    r: DisconnectRecord
  ): { outcome: 'created' | 'updated' | 'unchanged' | 'stale'; c: EmulatedCase } => {
    const key = r.contactId.toLowerCase();
    const existing = cases.get(key);
    if (existing) {
      const incoming = Date.parse(r.lastUpdated);
      const stored = Date.parse(existing.record.lastUpdated);
      if (incoming < stored) return { outcome: 'stale', c: existing };
      if (incoming === stored) return { outcome: 'unchanged', c: existing };
      // Connect data is refreshed; Subject and the callback state were set once, at creation. A Case already
      // linked to a customer keeps that link.
      existing.record = r;
      if (!existing.customer && r.customerPhone)
        existing.customer = customersByPhone.get(r.customerPhone) ?? null;
      existing.callerKey = callerKey(existing.customer?.contactId ?? null, r.customerPhone, r.contactId);
      return { outcome: 'updated', c: existing };
    }
    const customer = r.customerPhone ? (customersByPhone.get(r.customerPhone) ?? null) : null;
    caseSeq++;
    const c: EmulatedCase = {
      id: `500${String(caseSeq).padStart(12, '0')}AAA`,
      caseNumber: String(1000 + caseSeq).padStart(8, '0'),
      record: r,
      status: 'New',
      isClosed: false,
      attempts: 0,
      lastCallbackAt: null,
      customer,
      callerKey: callerKey(customer?.contactId ?? null, r.customerPhone, r.contactId),
      summary: summaryFor(r),
      tasks: [],
      createdAt: now().toISOString()
    };
    cases.set(key, c);
    casesById.set(c.id, c);
    return { outcome: 'created', c };
  };

  const handleDisconnects = (body: string): DisconnectResult[] => {
    const records = parseDisconnectRequest(body);
    stats.disconnectRequests++;
    stats.recordsReceived += records.length;
    const seen = new Set<string>();
    const results: DisconnectResult[] = [];
    const created: EmulatedCase[] = [];
    for (const raw of records) {
      const rawId = (raw as { contactId?: unknown } | null)?.contactId;
      const contactId = typeof rawId === 'string' ? rawId : '';
      let error: RecordError | undefined;
      let record: DisconnectRecord | undefined;
      try {
        record = toRecord(raw);
      } catch (e) {
        if (!(e instanceof FieldError)) throw e;
        error = { code: e.code, message: e.message, retryable: false };
      }
      // The first occurrence is processed (or rejected on its own merits); every repeat is a duplicate.
      const key = contactId.toLowerCase();
      if (key.trim() !== '' && seen.has(key)) {
        error = {
          code: 'DUPLICATE_IN_REQUEST',
          message: 'contactId appears more than once in this request',
          retryable: false
        };
      }
      seen.add(key);
      if (error || !record) {
        results.push({ contactId, outcome: 'rejected', error });
        stats.rejected++;
        continue;
      }
      const { outcome, c } = applyRecord(record);
      stats[outcome]++;
      if (outcome === 'created') created.push(c);
      results.push({ contactId, outcome, caseId: c.id });
    }
    // Publish-after-commit: one event per created Case, once the whole request has been applied.
    created.forEach(publish);
    return results;
  };

  const getOpenCallbacks = (
    windowHours?: number | null,
    channel?: string | null,
    category?: string | null
  ): CallbackRow[] => {
    const hours =
      windowHours === null || windowHours === undefined ? settings.recentWindowHours : windowHours;
    if (!Number.isInteger(hours) || hours < 1 || hours > 8760) {
      throw new AuraError(`windowHours must be between 1 and 8760 (got ${hours}).`);
    }
    const since = now().getTime() - hours * 3600_000;
    const wantChannel = channel?.trim() || null;
    const wantCategory = category?.trim() || null;
    // ORDER BY Connect_Disconnected_At__c ASC NULLS LAST, CreatedDate ASC, CaseNumber ASC
    const order = (a: EmulatedCase, b: EmulatedCase): number => {
      const da = a.record.disconnectedAt ? Date.parse(a.record.disconnectedAt) : Infinity;
      const db = b.record.disconnectedAt ? Date.parse(b.record.disconnectedAt) : Infinity;
      if (da !== db) return da < db ? -1 : 1;
      const ca = Date.parse(a.createdAt) - Date.parse(b.createdAt);
      return ca !== 0 ? ca : a.caseNumber.localeCompare(b.caseNumber);
    };
    return [...cases.values()]
      .filter((c) => !c.isClosed && (c.status === 'New' || c.status === 'Attempted'))
      .filter((c) => Date.parse(droppedAt(c)) >= since)
      .filter((c) => !wantChannel || c.record.channel === wantChannel)
      .filter((c) => !wantCategory || c.record.category === wantCategory)
      .sort(order)
      .slice(0, 500)
      .map(toRow);
  };

  const logCallbackOutcome = (caseId: string, outcome: string, note?: string | null): CallbackRow => {
    const code = (outcome ?? '').trim().toUpperCase();
    const label = OUTCOME_LABELS[code];
    if (!label) {
      throw new AuraError(
        `Unknown callback outcome "${outcome}": use REACHED, NO_ANSWER, WRONG_NUMBER or NOT_NEEDED.`
      );
    }
    if (!caseId || !/^500[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$/.test(caseId)) {
      throw new AuraError(`A Case Id is required to log a callback outcome (got "${caseId}").`);
    }
    if (note && note.length > 32000) throw new AuraError('The note is too long: at most 32000 characters.');
    const c = casesById.get(caseId);
    if (!c) throw new AuraError(`Case ${caseId} was not found, or you do not have access to it.`);
    if (c.status !== 'New' && c.status !== 'Attempted') {
      throw new AuraError(
        `Case ${c.caseNumber} is no longer waiting for a callback (status: ${c.status}). Refresh the worklist.`
      );
    }
    if (code !== 'NOT_NEEDED') c.attempts++;
    c.status =
      code === 'REACHED'
        ? 'Reached'
        : code === 'WRONG_NUMBER'
          ? 'Unreachable'
          : code === 'NOT_NEEDED'
            ? 'Not needed'
            : settings.maxAttempts > 0 && c.attempts >= settings.maxAttempts
              ? 'Unreachable'
              : 'Attempted';
    c.lastCallbackAt = now().toISOString();
    if (c.status === 'Reached' && settings.closeCaseWhenReached) c.isClosed = true;
    c.tasks.push({
      subject: `Callback: ${label}`,
      description: note ?? null,
      whatId: c.id,
      whoId: c.customer?.contactId ?? null,
      status: 'Completed',
      createdAt: c.lastCallbackAt
    });
    return toRow(c);
  };

  const issueToken = (res: ServerResponse, base: string): void => {
    const token = `00D000000000001!EMU.${randomBytes(24).toString('base64url')}`;
    tokens.add(token);
    send(res, 200, {
      access_token: token,
      instance_url: base,
      id: `${base}/id/00D000000000001AAA/005000000000001AAA`,
      token_type: 'Bearer',
      issued_at: String(now().getTime()),
      scope: 'api'
    });
  };

  const oauthError = (res: ServerResponse, status: number, error: string, description: string): void =>
    send(res, status, { error, error_description: description });

  const handleToken = (req: IncomingMessage, res: ServerResponse, body: string, base: string): void => {
    const form = new URLSearchParams(body);
    const grant = form.get('grant_type');
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const assertion = form.get('assertion') ?? '';
      const parts = assertion.split('.');
      const header = parts.length === 3 ? b64urlJson(parts[0] as string) : null;
      const claims = parts.length === 3 ? b64urlJson(parts[1] as string) : null;
      if (!header || !claims) return oauthError(res, 400, 'invalid_grant', 'invalid assertion');
      if (header.alg !== 'RS256') return oauthError(res, 400, 'invalid_grant', 'invalid assertion algorithm');
      if (!publicKey)
        return oauthError(res, 400, 'invalid_client', 'no certificate configured for JWT bearer');
      const signed = cryptoVerify(
        'RSA-SHA256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        publicKey,
        Buffer.from(parts[2] as string, 'base64url')
      );
      if (!signed) return oauthError(res, 400, 'invalid_grant', 'invalid signature');
      if (claims.iss !== options.clientId)
        return oauthError(res, 400, 'invalid_client_id', 'client identifier invalid');
      if (claims.sub !== options.username)
        return oauthError(res, 400, 'invalid_grant', 'user hasn\u2019t approved this consumer');
      const aud = typeof claims.aud === 'string' ? claims.aud.replace(/\/+$/, '') : '';
      if (aud !== base) return oauthError(res, 400, 'invalid_grant', 'audience is invalid');
      const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : NaN;
      const t = now().getTime();
      // Salesforce wants exp in the near future (a few minutes), not a long-lived assertion.
      if (!(exp > t) || exp > t + 10 * 60_000)
        return oauthError(res, 400, 'invalid_grant', 'expired authorization code');
      return issueToken(res, base);
    }
    if (grant === 'client_credentials') {
      let id = form.get('client_id');
      let secret = form.get('client_secret');
      const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
      if (basic) {
        const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        id = decodeURIComponent(decoded.slice(0, i));
        secret = decodeURIComponent(decoded.slice(i + 1));
      }
      if (!options.clientSecret || id !== options.clientId || secret !== options.clientSecret) {
        return oauthError(res, 400, 'invalid_client', 'invalid client credentials');
      }
      return issueToken(res, base);
    }
    return oauthError(res, 400, 'unsupported_grant_type', 'grant type not supported');
  };

  /** Returns true when a fault answered the request (the caller stops). */
  const applyFaults = async (
    req: IncomingMessage,
    res: ServerResponse,
    isToken: boolean
  ): Promise<boolean> => {
    for (const f of faults) {
      const target = f.target ?? 'api';
      if (target !== 'all' && (target === 'token') !== isToken) continue;
      const hit = f.count !== undefined ? f.remaining > 0 : Math.random() < (f.rate ?? 0);
      if (!hit) continue;
      if (f.count !== undefined) f.remaining--;
      stats.faultsInjected++;
      switch (f.kind) {
        case 'latency':
          await new Promise((r) => setTimeout(r, f.latencyMs ?? 1000));
          continue;
        case '429':
          res.setHeader('Retry-After', String(f.retryAfterSeconds ?? 1));
          send(res, 429, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'emulated rate limit' }]);
          return true;
        case '503':
          send(res, 503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'emulated outage' }]);
          return true;
        case '401':
          send(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
          return true;
        case 'reset':
          req.socket.destroy();
          return true;
      }
    }
    faults = faults.filter((f) => f.count === undefined || f.remaining > 0);
    return false;
  };

  const injectFault = (fault: FaultSpec): void => {
    const kinds: FaultKind[] = ['latency', '429', '503', '401', 'reset'];
    if (!kinds.includes(fault.kind)) throw new Error(`fault kind must be one of ${kinds.join(', ')}`);
    if (fault.count === undefined && fault.rate === undefined) throw new Error('fault needs count or rate');
    faults.push({ ...fault, remaining: fault.count ?? 0 });
  };

  const route = async (req: IncomingMessage, res: ServerResponse, base: string): Promise<void> => {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const body = method === 'GET' ? '' : await readBody(req);

    if (path.startsWith('/services/')) {
      stats.apiCalls++;
      const isToken = path === TOKEN_PATH;
      if (await applyFaults(req, res, isToken)) return;
      if (isToken && method === 'POST') {
        stats.tokenRequests++;
        return handleToken(req, res, body, base);
      }
      if (path === CONTRACT_PATH && method === 'POST') {
        const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
        if (!auth || !tokens.has(auth[1] as string)) {
          return send(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
        }
        try {
          return send(res, 200, { results: handleDisconnects(body) });
        } catch (e) {
          if (e instanceof ContractError)
            return send(res, 400, { error: { code: e.code, message: e.message } });
          throw e;
        }
      }
      return send(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    }

    if (path === '/__emulator/faults') {
      if (method === 'POST') {
        try {
          injectFault(JSON.parse(body) as FaultSpec);
        } catch (e) {
          return send(res, 400, { message: (e as Error).message });
        }
        return send(res, 201, { faults });
      }
      if (method === 'DELETE') {
        faults = [];
        return send(res, 200, { faults });
      }
      return send(res, 200, { faults });
    }
    if (path === '/__emulator/state' && method === 'GET') {
      return send(res, 200, { stats, cases: cases.size, emulator: true });
    }
    if (path.startsWith('/__preview/apex/') && method === 'POST') {
      let args: Record<string, unknown>;
      try {
        args = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      } catch {
        return send(res, 400, { message: 'Request body is not valid JSON' });
      }
      const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
      try {
        if (path.endsWith('/getOpenCallbacks')) {
          const wh = typeof args.windowHours === 'number' ? args.windowHours : null;
          return send(res, 200, getOpenCallbacks(wh, str(args.channel), str(args.category)));
        }
        if (path.endsWith('/logCallbackOutcome')) {
          return send(
            res,
            200,
            logCallbackOutcome(String(args.caseId), String(args.outcome), str(args.note))
          );
        }
      } catch (e) {
        if (e instanceof AuraError) return send(res, 400, { message: e.message });
        throw e;
      }
      return send(res, 404, { message: `No such Apex method: ${path}` });
    }
    if (path === '/__preview/events' && method === 'GET') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive'
      });
      res.write(': subscribed to /event/Disconnected_Call__e\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    const asset = staticRoutes.get(path);
    if (asset && method === 'GET') {
      res.writeHead(200, { 'Content-Type': asset.contentType, 'Cache-Control': 'no-store' });
      res.end(asset.body);
      return;
    }
    if (path === '/' && method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(
        'Salesforce org EMULATOR for local development (not a real org).\n' +
          (staticRoutes.has('/preview/') ? 'Console preview: /preview/\n' : '')
      );
      return;
    }
    send(res, 404, { message: 'Not found' });
  };

  const server: Server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    route(req, res, base).catch((e: Error) => {
      if (!res.headersSent) send(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: e.message }]);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    cases,
    injectFault,
    clearFaults: () => {
      faults = [];
    },
    seed: (records) => {
      for (const r of records) applyRecord(toRecord(r));
    },
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getOpenCallbacks,
    logCallbackOutcome,
    setStaticRoute: (path, contentType, body) => {
      staticRoutes.set(path, { contentType, body });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of sseClients) res.end();
        sseClients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text)
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
