// Pure worklist logic (no DOM, no platform modules) so it can be reasoned about and tested on its own:
// grouping repeat callers, plain-language descriptions, relative times, sorting and the live-event mapping.
// Types (CallbackRow, CallerGroup, …) are global: see force-app/lwc-types/callbackWorklist.d.ts.

export const CATEGORY_ABANDONED = 'ABANDONED_IN_QUEUE';
export const CATEGORY_IVR = 'DROPPED_IN_IVR';

/** Amazon Connect disconnect reasons in words an agent can repeat to the caller. */
const REASON_WORDS: Record<string, string> = {
  CUSTOMER_DISCONNECT: 'the caller hung up',
  AGENT_DISCONNECT: 'an agent ended the contact',
  THIRD_PARTY_DISCONNECT: 'a third party hung up',
  TELECOM_PROBLEM: 'network problem',
  BARGED: 'a supervisor took over the call',
  CONTACT_FLOW_DISCONNECT: 'the contact flow ended the call',
  CUSTOMER_CONNECTION_NOT_ESTABLISHED: "the caller's connection never came up",
  AGENT_CONNECTION_NOT_ESTABLISHED: "the agent's connection never came up",
  EXPIRED: 'it expired',
  API: 'it was ended by an integration',
  OTHER: 'an unspecified problem'
};

const CHANNEL_LABELS: Record<string, string> = { VOICE: 'Voice', CHAT: 'Chat' };

export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) {
    return null;
  }
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

export function channelLabel(channel: string | null | undefined): string {
  if (!channel) {
    return 'Unknown';
  }
  return CHANNEL_LABELS[channel.toUpperCase()] ?? channel;
}

export function reasonWords(reason: string | null | undefined): string | null {
  if (!reason) {
    return null;
  }
  // Unknown codes are shown as they are: better a raw value than a misleading guess.
  return REASON_WORDS[reason.toUpperCase()] ?? reason;
}

export function formatWait(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || seconds < 0) {
    return null;
  }
  if (seconds < 60) {
    return `${Math.round(seconds)} s`;
  }
  return `${Math.round(seconds / 60)} min`;
}

/** "Abandoned after 4 min in queue BasicQueue", "Dropped in the IVR: network problem", … */
export function describeDrop(row: CallbackRow): string {
  const reason = reasonWords(row.disconnectReason);
  if (row.category === CATEGORY_ABANDONED) {
    const wait = formatWait(row.queueWaitSeconds);
    const where = row.queueName ? ` in queue ${row.queueName}` : ' in the queue';
    return wait ? `Abandoned after ${wait}${where}` : `Abandoned${where}`;
  }
  if (row.category === CATEGORY_IVR) {
    return reason ? `Dropped in the IVR: ${reason}` : 'Dropped in the IVR';
  }
  if (row.summary) {
    return row.summary;
  }
  const category = row.category ?? 'Dropped';
  return reason ? `${category}: ${reason}` : category;
}

/** "just now", "12 min ago", "3 h 5 min ago", "2 days ago". */
export function relativeTime(thenMs: number | null, nowMs: number): string {
  if (thenMs === null) {
    return 'unknown time';
  }
  const minutes = Math.floor(Math.max(0, nowMs - thenMs) / 60000);
  if (minutes < 1) {
    return 'just now';
  }
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest ? `${hours} h ${rest} min ago` : `${hours} h ago`;
  }
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

function groupKey(row: CallbackRow): string {
  return row.callerKey ? row.callerKey : `case:${row.caseId}`;
}

function byDropTime(a: CallbackRow, b: CallbackRow): number {
  return (parseTime(a.droppedAt) ?? 0) - (parseTime(b.droppedAt) ?? 0);
}

/** Folds repeat callers (same callerKey) into one group; rows keep no particular order. */
export function groupByCaller(rows: CallbackRow[]): CallerGroup[] {
  const buckets: Map<string, CallbackRow[]> = new Map();
  for (const row of rows) {
    const key = groupKey(row);
    const bucket = buckets.get(key);
    if (bucket) {
      if (!bucket.some((existing) => existing.caseId === row.caseId)) {
        bucket.push(row);
      }
    } else {
      buckets.set(key, [row]);
    }
  }
  const groups: CallerGroup[] = [];
  for (const [key, bucket] of buckets) {
    const oldestFirst = [...bucket].sort(byDropTime);
    const first = oldestFirst[0];
    const latest = oldestFirst[oldestFirst.length - 1];
    if (!first || !latest) {
      continue;
    }
    const newestFirst = [...oldestFirst].reverse();
    // Details can be missing on one drop (e.g. an event-only row); take the newest one that has them.
    const pick = (read: (row: CallbackRow) => string | null | undefined): string | null => {
      for (const row of newestFirst) {
        const value = read(row);
        if (value) {
          return value;
        }
      }
      return null;
    };
    groups.push({
      key,
      customerName: pick((row) => row.customerName),
      customerContactId: pick((row) => row.customerContactId),
      phone: pick((row) => row.phone),
      maskedPhone: pick((row) => row.maskedPhone),
      channel: latest.channel || pick((row) => row.channel),
      firstDroppedAtMs: parseTime(first.droppedAt),
      firstDroppedAtIso: first.droppedAt ?? null,
      latest,
      dropCount: bucket.length,
      // Outcomes are logged on every case of the caller, so the highest count is the caller's count.
      attempts: Math.max(...bucket.map((row) => row.attempts ?? 0)),
      cases: newestFirst.map((row) => ({
        caseId: row.caseId,
        caseNumber: row.caseNumber ?? null,
        droppedAtMs: parseTime(row.droppedAt)
      }))
    });
  }
  return groups;
}

export function displayName(group: { customerName: string | null; maskedPhone: string | null }): string {
  return group.customerName || group.maskedPhone || 'Unknown caller';
}

function compareField(a: CallerGroup, b: CallerGroup, field: WorklistSortField): number {
  switch (field) {
    case 'customer':
      return displayName(a).localeCompare(displayName(b), undefined, { sensitivity: 'base' });
    case 'channel':
      return channelLabel(a.channel).localeCompare(channelLabel(b.channel));
    case 'attempts':
      return a.attempts - b.attempts;
    case 'drops':
      return a.dropCount - b.dropCount;
    default:
      return (a.firstDroppedAtMs ?? 0) - (b.firstDroppedAtMs ?? 0);
  }
}

/** Sorted copy; ties fall back to oldest drop first so the order is stable across refreshes. */
export function sortGroups(
  groups: CallerGroup[],
  field: WorklistSortField,
  direction: WorklistSortDirection
): CallerGroup[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...groups].sort(
    (a, b) =>
      sign * compareField(a, b, field) || compareField(a, b, 'droppedAt') || a.key.localeCompare(b.key)
  );
}

/** The worklist row an event stands for, until the server copy arrives with the full phone number. */
export function rowFromEvent(payload: DisconnectedCallPayload): CallbackRow | null {
  if (!payload.Case_Id__c) {
    return null;
  }
  return {
    caseId: payload.Case_Id__c,
    // The event has no Case number (the intake stays within 3 queries); the refresh that follows fills it in.
    caseNumber: null,
    connectContactId: payload.Connect_Contact_Id__c ?? null,
    customerContactId: payload.Customer_Contact_Id__c ?? null,
    customerAccountId: payload.Customer_Account_Id__c ?? null,
    customerName: payload.Customer_Name__c ?? null,
    // The event carries only the masked number by design; click-to-dial appears after the refresh.
    phone: null,
    maskedPhone: payload.Masked_Phone__c ?? null,
    callerKey: payload.Caller_Key__c ?? null,
    category: payload.Category__c ?? null,
    disconnectReason: payload.Disconnect_Reason__c ?? null,
    channel: payload.Channel__c ?? null,
    queueName: payload.Queue_Name__c ?? null,
    queueWaitSeconds: payload.Queue_Wait_Seconds__c ?? null,
    droppedAt: payload.Dropped_At__c ?? null,
    attempts: 0,
    status: 'New',
    summary: payload.Summary__c ?? null,
    lastCallbackAt: null
  };
}

/** Whether a row belongs in the list under the current filters (used for rows not from the server). */
export function matchesFilters(row: CallbackRow, filters: WorklistFilters, nowMs: number): boolean {
  if (filters.channel && (row.channel ?? '').toUpperCase() !== filters.channel) {
    return false;
  }
  if (filters.category && row.category !== filters.category) {
    return false;
  }
  const dropped = parseTime(row.droppedAt);
  if (filters.windowHours && dropped !== null && nowMs - dropped > filters.windowHours * 3600000) {
    return false;
  }
  return true;
}

/** The error message without trailing full stops, to embed in a sentence of our own. */
export function errorClause(error: unknown): string {
  return errorMessage(error).replace(/[.\s]+$/, '');
}

/** A readable message from an Apex/AuraHandledException/JS error, or a list of them. */
export function errorMessage(error: unknown): string {
  if (!error) {
    return 'Unknown error';
  }
  if (Array.isArray(error)) {
    return error.map(errorMessage).join(', ');
  }
  if (typeof error === 'string') {
    return error;
  }
  if (typeof error === 'object') {
    // Apex errors carry { body: { message } } (or a list in body); JS errors carry message.
    const body: unknown = Reflect.get(error, 'body');
    if (Array.isArray(body)) {
      return body.map(errorMessage).join(', ');
    }
    const bodyMessage: unknown = body && typeof body === 'object' ? Reflect.get(body, 'message') : null;
    if (typeof bodyMessage === 'string' && bodyMessage) {
      return bodyMessage;
    }
    const message: unknown = Reflect.get(error, 'message');
    if (typeof message === 'string' && message) {
      return message;
    }
  }
  return 'Unknown error';
}
