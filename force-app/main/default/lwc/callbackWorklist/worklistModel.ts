// Pure worklist logic (no DOM, no platform modules) so it can be reasoned about and tested on its own:
// plain-language descriptions, relative times, names and error messages. (Repeat callers are grouped by the
// server now: CallbackLifecycleController.getWorklist.)
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
  // '', 'null' and 'undefined' parse to NaN like any other text that is no time.
  const ms = Date.parse(String(iso));
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

/** What describeDrop needs of a drop (a lifecycle drop, a Platform Event's fields, …). */
export interface DropFacts {
  category?: string | null;
  disconnectReason?: string | null;
  queueName?: string | null;
  queueWaitSeconds?: number | null;
  summary?: string | null;
}

/** "Abandoned after 4 min in queue BasicQueue", "Dropped in the IVR: network problem", … */
export function describeDrop(row: DropFacts): string {
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

export function displayName(group: { customerName: string | null; maskedPhone: string | null }): string {
  return group.customerName || group.maskedPhone || 'Unknown caller';
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
