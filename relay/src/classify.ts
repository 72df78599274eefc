/**
 * Decides, for every CTR, whether the caller needs a callback (forward) and why, in words a supervisor understands.
 *
 * Rules, first match wins (the order only changes which skip reason is reported; the forward decision is the same):
 *   1. CHANNEL_EXCLUDED        channel not in policy.forwardChannels (missing channel included)
 *   2. NOT_CUSTOMER_INITIATED  InitiationMethod not customer-initiated (API only on apiCountsAsCustomerInitiatedOn)
 *   3. CALLBACK_OPT_OUT        attribute policy.optOutAttribute truthy: the customer's wish beats everything below
 *   4. TRANSFERRED             NextContactId or TransferredToEndpoint set: the next leg decides
 *   5. connected to an agent (Agent.ConnectedToAgentTimestamp set):
 *        CALLBACK_NOT_CONNECTED  forwarded: InitiationMethod CALLBACK and the customer was never reached (a
 *                              not-reached DisconnectReason, or AgentInteractionDuration 0); policy switch
 *        AGENT_DROPPED_TELECOM forwarded: DisconnectReason TELECOM_PROBLEM; policy switch
 *        HANDLED_BY_AGENT      otherwise: the customer got through
 *   6. SELF_SERVICE_RESOLVED   attribute policy.selfServiceAttribute truthy: the customer got through
 *   7. queued (Queue.EnqueueTimestamp set), never connected:
 *        SHORT_ABANDON         queue time known and < policy.shortAbandonSeconds (when > 0)
 *        ABANDONED_IN_QUEUE    forwarded (also when an agent was offered the contact but never connected)
 *   8. DROPPED_IN_IVR          forwarded: never queued, never connected
 * Truthy attribute values: "true", "yes", "1" (trimmed, case-insensitive).
 *
 * Every verdict has an action: "callback" (forward: a callback is needed), "resolve" (the customer got through —
 * HANDLED_BY_AGENT or SELF_SERVICE_RESOLVED with a customer number, policy resolveWhenCustomerGetsThrough — so
 * Salesforce closes the caller's older open callbacks) or "skip". An opted-out customer who got through still
 * resolves: the opt-out only stops new callbacks.
 */
import type { Classification, DropCategory } from './types';
import { isoTimestamp, readCtr, timestampMs, type ContactTraceRecord, type CtrFacts } from './ctr';
import type { RelayPolicy } from './policy';
import { maskPhonesInText } from './mask';
import { customerNumberOf } from './phone';

/** DisconnectReasons meaning a queued callback's outbound leg never reached the customer. */
export const CALLBACK_NOT_REACHED_REASONS: ReadonlySet<string> = new Set([
  'CUSTOMER_CONNECTION_NOT_ESTABLISHED',
  'TELECOM_UNANSWERED',
  'TELECOM_BUSY',
  'TELECOM_NUMBER_INVALID',
  'TELECOM_TIMEOUT',
  'TELECOM_POTENTIAL_BLOCKING',
  'TELECOM_ORIGINATOR_CANCEL',
  'OUTBOUND_DESTINATION_ENDPOINT_ERROR',
  'OUTBOUND_RESOURCE_ERROR',
  'OUTBOUND_ATTEMPT_FAILED',
  'EXPIRED'
]);

const TRUTHY = new Set(['true', 'yes', '1']);

/** "true" / "yes" / "1", trimmed and case-insensitive. */
export function isTruthy(value: string | null | undefined): boolean {
  return typeof value === 'string' && TRUTHY.has(value.trim().toLowerCase());
}

/** Upper-cased copies of the policy's lists, made once per list (a policy is not changed once loaded). */
const upperCased = new WeakMap<readonly string[], ReadonlySet<string>>();

/**
 * The value upper-cased. Connect sends upper case: a value with no lower-case ASCII letter and nothing beyond ASCII
 * (which upper-casing may change) is returned as it is, without making a copy.
 */
function upper(value: string): string {
  // Stryker disable next-line Regex: upper-casing more values than needed gives the same values, slower
  return /[a-z]|[^\x00-\x7f]/.test(value) ? value.toUpperCase() : value;
}

function includesIgnoreCase(list: readonly string[], value: string | null): boolean {
  if (value === null) return false;
  let set = upperCased.get(list);
  // Stryker disable next-line ConditionalExpression: building the set again on every call gives the same set
  if (set === undefined) {
    set = new Set(list.map((item) => item.toUpperCase()));
    upperCased.set(list, set);
  }
  // Connect sends upper case: the exact value first saves making an upper-cased copy (same result: upper-casing
  // an upper-cased value changes nothing).
  // Stryker disable next-line ConditionalExpression,LogicalOperator: without the exact value first, the same result
  return set.has(value) || set.has(value.toUpperCase());
}

function attribute(facts: CtrFacts, name: string): string | null {
  return Object.prototype.hasOwnProperty.call(facts.attributes, name)
    ? (facts.attributes[name] as string)
    : null;
}

/** Display text for a CTR value; phone numbers masked since reasons end up in logs and CLI output. */
function show(value: string): string {
  return maskPhonesInText(value.length > 80 ? value.slice(0, 77) + '...' : value);
}

function disconnectSuffix(facts: CtrFacts): string {
  return facts.disconnectReason === null ? ' (no disconnect reason)' : ` (${show(facts.disconnectReason)})`;
}

type Category = Classification['category'];
type Skip = Exclude<Category, DropCategory>;

function skip(facts: CtrFacts, category: Skip, reason: string): Classification {
  return { contactId: facts.contactId, forward: false, action: 'skip', category, reason };
}

function drop(facts: CtrFacts, category: DropCategory, reason: string): Classification {
  return { contactId: facts.contactId, forward: true, action: 'callback', category, reason };
}

/** The customer got through: a resolve record when the policy wants them and there is a number to match. */
function gotThrough(
  facts: CtrFacts,
  policy: RelayPolicy,
  category: 'HANDLED_BY_AGENT' | 'SELF_SERVICE_RESOLVED',
  reason: string
): Classification {
  if (!policy.resolveWhenCustomerGetsThrough) return skip(facts, category, reason);
  if (customerNumberOf(facts, policy) === null) {
    return skip(facts, category, `${reason}; no customer number, so no callbacks to close`);
  }
  return {
    contactId: facts.contactId,
    forward: false,
    action: 'resolve',
    category,
    reason: `${reason}; closes the caller's older open callbacks`
  };
}

/**
 * A timestamp for display, in UTC as the relay sends it (a valid one holds no phone number, so it skips the masking
 * scan, which would take a fraction's digits for one); anything else is shown masked.
 */
function showTime(raw: string): string {
  return isoTimestamp(raw) ?? show(raw);
}

function connectedToAgent(facts: CtrFacts, policy: RelayPolicy): Classification {
  const at = showTime(facts.connectedToAgentRaw as string);
  const reasonCode = facts.disconnectReason === null ? null : upper(facts.disconnectReason);
  if (
    policy.forwardCallbackNotConnected &&
    // Stryker disable next-line ConditionalExpression: a contact with no initiation method is never customer-initiated
    facts.initiationMethod !== null &&
    upper(facts.initiationMethod) === 'CALLBACK'
  ) {
    // Stryker disable next-line ConditionalExpression: the set holds no null, so has(null) is false anyway
    const notReached = reasonCode !== null && CALLBACK_NOT_REACHED_REASONS.has(reasonCode);
    if (notReached || facts.agentInteractionSeconds === 0) {
      return drop(
        facts,
        'CALLBACK_NOT_CONNECTED',
        `queued callback taken by an agent at ${at} but the customer was never reached${disconnectSuffix(facts)}`
      );
    }
  }
  if (policy.forwardAgentDroppedTelecom && reasonCode === 'TELECOM_PROBLEM') {
    return drop(
      facts,
      'AGENT_DROPPED_TELECOM',
      `connected to an agent at ${at}, then the call dropped (TELECOM_PROBLEM)`
    );
  }
  return gotThrough(facts, policy, 'HANDLED_BY_AGENT', `connected to an agent at ${at}`);
}

/** True when the contact was started by the customer under the policy (unknown methods are not). */
export function isCustomerInitiated(facts: CtrFacts, policy: RelayPolicy): boolean {
  if (includesIgnoreCase(policy.customerInitiatedMethods, facts.initiationMethod)) return true;
  return (
    facts.initiationMethod !== null &&
    upper(facts.initiationMethod) === 'API' &&
    includesIgnoreCase(policy.apiCountsAsCustomerInitiatedOn, facts.channel)
  );
}

/** Classifies one decoded CTR. Never throws, whatever the CTR contains. */
export function classify(ctr: ContactTraceRecord, policy: RelayPolicy): Classification {
  const facts = readCtr(ctr);

  if (!includesIgnoreCase(policy.forwardChannels, facts.channel)) {
    return skip(
      facts,
      'CHANNEL_EXCLUDED',
      facts.channel === null
        ? 'channel missing, so not a forwarded channel'
        : `channel ${show(facts.channel)} is not forwarded (forwarded: ${policy.forwardChannels.join(', ') || 'none'})`
    );
  }

  if (!isCustomerInitiated(facts, policy)) {
    let reason: string;
    if (facts.initiationMethod === null)
      reason = 'initiation method missing, so not known to be customer-initiated';
    else if (upper(facts.initiationMethod) === 'API') {
      reason = `initiated by API on ${show(facts.channel as string)}, which is not customer-initiated on that channel`;
    } else reason = `initiated by ${show(facts.initiationMethod)}, not by the customer`;
    return skip(facts, 'NOT_CUSTOMER_INITIATED', reason);
  }

  const rest = afterOptOut(facts, policy);
  const optOut = attribute(facts, policy.optOutAttribute);
  if (isTruthy(optOut)) {
    const optedOut = `customer opted out of callbacks (${policy.optOutAttribute}=${show(optOut as string)})`;
    if (rest.action === 'resolve') return { ...rest, reason: `${rest.reason}; ${optedOut}` };
    return skip(facts, 'CALLBACK_OPT_OUT', optedOut);
  }
  return rest;
}

/** Rules 4-8, once channel, initiation method and opt-out are settled. */
function afterOptOut(facts: CtrFacts, policy: RelayPolicy): Classification {
  if (facts.nextContactId !== null) {
    return skip(
      facts,
      'TRANSFERRED',
      `transferred onward to contact ${show(facts.nextContactId)}; the next leg decides`
    );
  }
  if (facts.transferredTo !== null) {
    return skip(
      facts,
      'TRANSFERRED',
      `transferred out to ${show(facts.transferredTo)}; the next leg decides`
    );
  }

  if (facts.connectedToAgentRaw !== null) return connectedToAgent(facts, policy);

  const selfService = attribute(facts, policy.selfServiceAttribute);
  if (isTruthy(selfService)) {
    return gotThrough(
      facts,
      policy,
      'SELF_SERVICE_RESOLVED',
      `resolved in self-service (${policy.selfServiceAttribute}=${show(selfService as string)})`
    );
  }

  if (facts.enqueuedAtRaw !== null) {
    const queue = facts.queueName === null ? 'an unnamed queue' : `queue ${show(facts.queueName)}`;
    const seconds = facts.queueSeconds;
    // A threshold of 0 (off) is never met: queue seconds are never negative.
    if (seconds !== null && seconds < policy.shortAbandonSeconds) {
      return skip(
        facts,
        'SHORT_ABANDON',
        `hung up after ${seconds} s in ${queue}, under the ${policy.shortAbandonSeconds} s short-abandon threshold`
      );
    }
    const waited = seconds === null ? 'an unknown time' : `${seconds} s`;
    let reason = `abandoned after ${waited} in ${queue}${disconnectSuffix(facts)}`;
    const attempts = facts.agentConnectionAttempts ?? 0;
    if (attempts > 0) {
      reason += `; an agent was offered the contact ${attempts} time${attempts === 1 ? '' : 's'} but never connected`;
    } else if (facts.agentPresent) {
      reason += '; an agent was offered the contact but never connected';
    }
    return drop(facts, 'ABANDONED_IN_QUEUE', reason);
  }

  const ivrSeconds =
    // Stryker disable next-line ConditionalExpression,LogicalOperator: Date.parse(null) is NaN, and NaN >= 0 is false
    facts.initiatedAt !== null && facts.disconnectedAt !== null
      ? Math.floor(
          ((timestampMs(facts.disconnectedAt) as number) - (timestampMs(facts.initiatedAt) as number)) / 1000
        )
      : null;
  const after = ivrSeconds !== null && ivrSeconds >= 0 ? ` after ${ivrSeconds} s` : '';
  return drop(
    facts,
    'DROPPED_IN_IVR',
    `dropped in the IVR${after}, before reaching a queue${disconnectSuffix(facts)}`
  );
}

/** The classification of a record that could not be decoded (category INVALID, never forwarded). */
export function invalidClassification(reason: string, contactId = ''): Classification {
  return {
    contactId,
    forward: false,
    action: 'skip',
    category: 'INVALID',
    reason: `invalid record: ${reason}`
  };
}
