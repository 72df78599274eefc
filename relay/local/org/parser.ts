/**
 * Request validation, mirroring DisconnectRequestParser.cls field by field: the same codes (MALFORMED_JSON,
 * INVALID_REQUEST, EMPTY_BATCH, BATCH_TOO_LARGE for the request; MISSING_FIELD, INVALID_FIELD per record) in the
 * same order, so the emulator rejects exactly what Apex rejects.
 */
import type { DisconnectRecord, PhoneSource, RecordAction } from '../../src/types';

const MAX_BATCH = 200;

export class ContractError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message);
  }
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

export class FieldError extends Error {
  constructor(
    readonly code: 'MISSING_FIELD' | 'INVALID_FIELD',
    message: string
  ) {
    super(message);
  }
}

interface FieldReaders {
  value: (key: string, required: boolean) => unknown;
  str: (key: string, max: number, required?: boolean) => string | null;
  time: (key: string, required?: boolean) => string | null;
}

/** Reads one record's fields: a missing required one is MISSING_FIELD, a wrong one INVALID_FIELD. */
function fieldsOf(r: Record<string, unknown>): FieldReaders {
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
  return { value, str, time };
}

function checkPhone(phone: unknown): string | null {
  if (phone !== null && (typeof phone !== 'string' || !E164.test(phone))) {
    throw new FieldError('INVALID_FIELD', 'customerPhone must be E.164 (+ and 8-15 digits) or null');
  }
  return phone;
}

function checkQueueWait(wait: unknown): number | null {
  if (
    wait !== null &&
    (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > MAX_QUEUE_WAIT_SECONDS)
  ) {
    throw new FieldError('INVALID_FIELD', 'queueWaitSeconds must be a non-negative integer or null');
  }
  return wait;
}

function checkAttributes(attrs: unknown): Record<string, string> {
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
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The action, the phone's source, and the phone a resolve needs, checked in that order. */
function checkAction(
  action: unknown,
  phoneSource: unknown,
  phone: string | null
): { action: RecordAction; phoneSource: PhoneSource | null } {
  if (action !== 'callback' && action !== 'resolve') {
    throw new FieldError('INVALID_FIELD', 'action must be callback or resolve');
  }
  if (phoneSource !== null && phoneSource !== 'ENTERED' && phoneSource !== 'CALLER_ID') {
    throw new FieldError('INVALID_FIELD', 'phoneSource must be ENTERED, CALLER_ID or null');
  }
  if (action === 'resolve' && phone === null) {
    throw new FieldError('MISSING_FIELD', 'customerPhone is required when action is resolve');
  }
  // null with a number means the caller ID (an older relay sends none).
  return { action, phoneSource: phoneSource ?? (phone === null ? null : 'CALLER_ID') };
}

/** Field by field, in DisconnectRequestParser's order; throws the first problem. */
export function toRecord(raw: unknown): DisconnectRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new FieldError('INVALID_FIELD', 'each record must be a JSON object');
  }
  const { value, str, time } = fieldsOf(raw as Record<string, unknown>);
  const contactId = str('contactId', 64, true) as string;
  const lastUpdated = time('lastUpdated', true) as string;
  const initiatedAt = time('initiatedAt');
  const disconnectedAt = time('disconnectedAt');
  const channel = str('channel', 20);
  const initiationMethod = str('initiationMethod', 40);
  const disconnectReason = str('disconnectReason', 80);
  const category = str('category', 40) as DisconnectRecord['category'];
  const customerPhone = checkPhone(value('customerPhone', false));
  const queueName = str('queueName', 255);
  const queueWaitSeconds = checkQueueWait(value('queueWaitSeconds', false));
  const previousContactId = str('previousContactId', 64);
  const instanceArn = str('instanceArn', 255);
  const attributes = checkAttributes(value('attributes', false));
  const { action, phoneSource } = checkAction(
    value('action', false) ?? 'callback',
    value('phoneSource', false),
    customerPhone
  );
  return {
    contactId,
    action,
    lastUpdated,
    initiatedAt,
    disconnectedAt,
    channel,
    initiationMethod,
    disconnectReason,
    category,
    customerPhone,
    phoneSource,
    queueName,
    queueWaitSeconds,
    previousContactId,
    instanceArn,
    attributes
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
