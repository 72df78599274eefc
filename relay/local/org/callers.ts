/**
 * Callers as the worklist sees them: a caller's open Cases grouped by Caller_Key__c, with a state
 * (ELIGIBLE, CLAIMED, WAITING, NOT_CALLABLE), a due-by and a claim, ordered most urgent first, paged with an opaque
 * cursor, and totals over every caller (getWorklist in CallbackLifecycleController).
 */
import { maskPhone } from '../../src/mask';
import { activeClaim, droppedAt, isOpen, type OrgState } from './state';
import type { EmulatedCase, EmulatedUser } from './types';

export type CallerState = 'ELIGIBLE' | 'CLAIMED' | 'WAITING' | 'NOT_CALLABLE';
const STATE_RANK: Record<CallerState, number> = { ELIGIBLE: 0, CLAIMED: 1, WAITING: 2, NOT_CALLABLE: 3 };
/** Callers considered per request, as the Apex aggregate query's limit. */
export const MAX_CALLERS = 2000;

export interface DropRow {
  caseId: string;
  caseNumber: string;
  connectContactId: string;
  category: string | null;
  disconnectReason: string | null;
  channel: string | null;
  queueName: string | null;
  queueWaitSeconds: number | null;
  droppedAt: string;
  status: string;
  attempts: number;
  dueBy: string | null;
  summary: string;
}

export interface CallerGroup {
  callerKey: string;
  state: CallerState;
  customerName: string | null;
  customerContactId: string | null;
  customerAccountId: string | null;
  phone: string | null;
  maskedPhone: string | null;
  phoneSource: string;
  callable: boolean;
  notCallableReason: 'DO_NOT_CALL' | 'NO_NUMBER' | null;
  dropCount: number;
  oldestDropAt: string;
  attempts: number;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  dueBy: string | null;
  overdue: boolean;
  claimedById: string | null;
  claimedByName: string | null;
  claimedUntil: string | null;
  claimedByMe: boolean;
  drops: DropRow[];
}

const ms = (v: string | null): number | null => (v === null ? null : Date.parse(v));
const maxIso = (values: (string | null)[]): string | null =>
  values.reduce<string | null>(
    (m, v) => (v !== null && (m === null || Date.parse(v) > Date.parse(m)) ? v : m),
    null
  );
const minIso = (values: (string | null)[]): string | null =>
  values.reduce<string | null>(
    (m, v) => (v !== null && (m === null || Date.parse(v) < Date.parse(m)) ? v : m),
    null
  );
const isoOf = (v: string | null): string | null => (v === null ? null : new Date(v).toISOString());

/** Newest drop first (then the higher CaseNumber). */
export function newestFirst(a: EmulatedCase, b: EmulatedCase): number {
  const d = Date.parse(droppedAt(b)) - Date.parse(droppedAt(a));
  return d !== 0 ? d : b.caseNumber.localeCompare(a.caseNumber);
}

function toDrop(c: EmulatedCase): DropRow {
  return {
    caseId: c.id,
    caseNumber: c.caseNumber,
    connectContactId: c.record.contactId,
    category: c.record.category,
    disconnectReason: c.record.disconnectReason,
    channel: c.record.channel,
    queueName: c.record.queueName,
    queueWaitSeconds: c.record.queueWaitSeconds,
    droppedAt: droppedAt(c),
    status: c.status,
    attempts: c.attempts,
    dueBy: isoOf(c.dueBy),
    summary: c.summary
  };
}

/** Builds one caller from its open Cases (newest first). */
export function toCaller(cases: EmulatedCase[], me: EmulatedUser, now: Date): CallerGroup {
  const sorted = [...cases].sort(newestFirst);
  const newest = sorted[0] as EmulatedCase;
  const customer = sorted.find((c) => c.customer)?.customer ?? null;
  const numbered = sorted.find((c) => c.record.customerPhone !== null) ?? null;
  const doNotCall = sorted.some((c) => c.doNotCall);
  const reason = doNotCall ? 'DO_NOT_CALL' : numbered === null ? 'NO_NUMBER' : null;
  const claimer = sorted.map((c) => activeClaim(c, now)).find((u) => u !== null) ?? null;
  const claimedUntil = claimer
    ? maxIso(sorted.map((c) => (activeClaim(c, now) ? c.claimedUntil : null)))
    : null;
  const nextAttemptAt = maxIso(sorted.map((c) => c.nextAttemptAt));
  const dueBy = minIso(sorted.map((c) => c.dueBy));
  // An unexpired claim shows first (whoever holds it), then not callable, waiting, eligible.
  let state: CallerState = 'ELIGIBLE';
  if (claimer) state = 'CLAIMED';
  else if (reason !== null) state = 'NOT_CALLABLE';
  else if (nextAttemptAt !== null && Date.parse(nextAttemptAt) > now.getTime()) state = 'WAITING';
  return {
    callerKey: newest.callerKey,
    state,
    customerName: customer?.name ?? null,
    customerContactId: customer?.contactId ?? null,
    customerAccountId: customer?.accountId ?? null,
    phone: reason === null ? (numbered?.record.customerPhone ?? null) : null,
    maskedPhone: maskPhone(numbered?.record.customerPhone ?? null),
    phoneSource: numbered?.phoneSource ?? 'NONE',
    callable: reason === null,
    notCallableReason: reason,
    dropCount: sorted.length,
    oldestDropAt: droppedAt(sorted[sorted.length - 1] as EmulatedCase),
    attempts: Math.max(...sorted.map((c) => c.attempts)),
    lastAttemptAt: isoOf(maxIso(sorted.map((c) => c.lastCallbackAt))),
    nextAttemptAt: isoOf(nextAttemptAt),
    dueBy: isoOf(dueBy),
    overdue: dueBy !== null && Date.parse(dueBy) < now.getTime(),
    claimedById: claimer?.id ?? null,
    claimedByName: claimer?.name ?? null,
    claimedUntil: isoOf(claimedUntil),
    claimedByMe: claimer !== null && claimer.id === me.id,
    drops: sorted.map(toDrop)
  };
}

type SortKey = [number, number, number, string];

function sortKey(g: CallerGroup): SortKey {
  return [
    STATE_RANK[g.state],
    ms(g.dueBy) ?? Number.MAX_SAFE_INTEGER,
    Date.parse(g.oldestDropAt),
    g.callerKey
  ];
}

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number) ? -1 : 1;
  return a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0;
}

/** Most urgent first: eligible (or mine), then claimed by another, waiting, not callable; each by due-by, then oldest drop. */
export function byUrgency(a: CallerGroup, b: CallerGroup): number {
  return compareKeys(sortKey(a), sortKey(b));
}

export function encodeCursor(g: CallerGroup): string {
  return Buffer.from(JSON.stringify(sortKey(g)), 'utf8').toString('base64url');
}

/** The sort key a cursor stands for; null when it is not one of ours. */
export function decodeCursor(cursor: string): SortKey | null {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const ok =
      Array.isArray(key) &&
      key.length === 4 &&
      key.slice(0, 3).every((n) => typeof n === 'number') &&
      typeof key[3] === 'string';
    return ok ? (key as SortKey) : null;
  } catch {
    return null;
  }
}

/** True when the caller comes after the cursor in urgency order. */
export function isAfter(g: CallerGroup, cursor: SortKey): boolean {
  return compareKeys(sortKey(g), cursor) > 0;
}

export interface CaseFilter {
  channel?: string | null;
  category?: string | null;
  /** Only drops within this many hours (by drop time); null = every open drop. */
  windowHours?: number | null;
}

/** Open Cases passing the filter, grouped by caller key. */
export function openCallers(state: OrgState, filter: CaseFilter, me: EmulatedUser): CallerGroup[] {
  const now = state.now();
  const since = filter.windowHours ? now.getTime() - filter.windowHours * 3600_000 : null;
  const groups = new Map<string, EmulatedCase[]>();
  for (const c of state.cases.values()) {
    if (!isOpen(c)) continue;
    if (filter.channel && c.record.channel !== filter.channel) continue;
    if (filter.category && c.record.category !== filter.category) continue;
    if (since !== null && Date.parse(droppedAt(c)) < since) continue;
    groups.set(c.callerKey, [...(groups.get(c.callerKey) ?? []), c]);
  }
  return [...groups.values()]
    .map((cases) => toCaller(cases, me, now))
    .sort(byUrgency)
    .slice(0, MAX_CALLERS);
}

/** Every open Case of one caller (no filters), newest first. */
export function openCasesOf(state: OrgState, callerKey: string): EmulatedCase[] {
  return [...state.cases.values()].filter((c) => c.callerKey === callerKey && isOpen(c)).sort(newestFirst);
}
