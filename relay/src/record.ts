/**
 * CTR + classification → the contract's DisconnectRecord (see ConnectDisconnectContract.json "notes" for limits).
 * Values that would break a contract limit are truncated (free text) or dropped to null (identifiers, phones),
 * so that one odd CTR never gets a whole record rejected.
 */
import type { Classification, DisconnectRecord, DropCategory, ResolveCategory } from './types';
import { readCtr, type ContactTraceRecord } from './ctr';
import type { RelayPolicy } from './policy';
import { customerNumberOf } from './phone';

/** Contract limits (UTF-16 code units, as Apex counts). */
export const LIMITS = Object.freeze({
  contactId: 64,
  queueName: 255,
  disconnectReason: 80,
  channel: 20,
  initiationMethod: 40,
  previousContactId: 64,
  instanceArn: 255,
  attributeKeys: 50,
  attributeValue: 1024
});

const DROP_CATEGORIES: ReadonlySet<string> = new Set<DropCategory>([
  'ABANDONED_IN_QUEUE',
  'DROPPED_IN_IVR',
  'AGENT_DROPPED_TELECOM',
  'CALLBACK_NOT_CONNECTED'
]);

/** The wire category of a resolve record, by the classification that found the customer got through. */
const RESOLVE_CATEGORIES: Readonly<Record<string, ResolveCategory>> = Object.freeze({
  HANDLED_BY_AGENT: 'AGENT_HANDLED',
  SELF_SERVICE_RESOLVED: 'SELF_SERVICE'
});

/** Truncates to `max` UTF-16 code units without leaving half a surrogate pair. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = value.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

function truncated(value: string | null, max: number): string | null {
  return value === null ? null : truncate(value, max);
}

/**
 * The CTR's version timestamp: LastUpdateTimestamp, else DisconnectTimestamp, else InitiationTimestamp (the latest
 * moment the record is known to describe), as ISO-8601 UTC; null when none is a valid timestamp.
 */
export function lastUpdatedOf(ctr: ContactTraceRecord): string | null {
  const facts = readCtr(ctr);
  return facts.lastUpdatedAt ?? facts.disconnectedAt ?? facts.initiatedAt;
}

function wireCategory(classification: Classification): DisconnectRecord['category'] {
  const { action, category, forward } = classification;
  if (action === 'callback' && forward && DROP_CATEGORIES.has(category)) return category as DropCategory;
  const resolve = action === 'resolve' ? RESOLVE_CATEGORIES[category] : undefined;
  if (resolve !== undefined) return resolve;
  throw new TypeError(`toDisconnectRecord: ${category} contacts are not forwarded`);
}

/**
 * Maps a forwarded CTR (action callback or resolve) to a DisconnectRecord. Throws (a programming error) for a
 * skipped one. `lastUpdated` is "" when the CTR has no valid timestamp at all: Apex then rejects the
 * record (MISSING_FIELD, not retryable) and the relay parks it, which is the right outcome for such data.
 */
export function toDisconnectRecord(
  ctr: ContactTraceRecord,
  classification: Classification,
  policy: RelayPolicy
): DisconnectRecord {
  const category = wireCategory(classification);
  const facts = readCtr(ctr);
  const queued = facts.enqueuedAtRaw !== null;

  const attributes: Record<string, string> = {};
  for (const key of policy.attributeAllowlist.slice(0, LIMITS.attributeKeys)) {
    if (Object.prototype.hasOwnProperty.call(facts.attributes, key)) {
      attributes[key] = truncate(facts.attributes[key] as string, LIMITS.attributeValue);
    }
  }

  const number = customerNumberOf(facts, policy);
  const previous = facts.previousContactId;

  return {
    contactId: facts.contactId,
    action: classification.action === 'resolve' ? 'resolve' : 'callback',
    lastUpdated: facts.lastUpdatedAt ?? facts.disconnectedAt ?? facts.initiatedAt ?? '',
    initiatedAt: facts.initiatedAt,
    disconnectedAt: facts.disconnectedAt,
    channel: truncated(facts.channel, LIMITS.channel),
    initiationMethod: truncated(facts.initiationMethod, LIMITS.initiationMethod),
    disconnectReason: truncated(facts.disconnectReason, LIMITS.disconnectReason),
    category,
    customerPhone: number?.phone ?? null,
    phoneSource: number?.source ?? null,
    queueName: queued ? truncated(facts.queueName, LIMITS.queueName) : null,
    queueWaitSeconds: queued ? facts.queueSeconds : null,
    // A cut identifier would point at the wrong contact: drop it instead.
    previousContactId: previous !== null && previous.length <= LIMITS.previousContactId ? previous : null,
    instanceArn: truncated(facts.instanceArn, LIMITS.instanceArn),
    attributes
  };
}
