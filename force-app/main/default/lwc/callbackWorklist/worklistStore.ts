// The worklist's list of callers as pure functions (no DOM, no platform modules): merging server pages, folding in
// live events (new drops, claims, releases, outcomes, automatic closes) so the list changes at once, and keeping
// the totals honest in between refreshes. Every function returns new arrays/objects (LWC re-renders on assignment).
// Types (LifecycleCaller, …) are global: see types/lwc/lifecycle.d.ts (repository root).
import { parseTime } from './worklistModel';

export const EMPTY_TOTALS: WorklistTotals = {
  callers: 0,
  drops: 0,
  eligible: 0,
  claimed: 0,
  waiting: 0,
  overdue: 0
};

function dropCount(caller: LifecycleCaller): number {
  return caller.dropCount ?? caller.drops?.length ?? 1;
}

/** A refreshed first page replaces the list; provisional callers the server does not know yet stay. */
export function mergeRefresh(
  current: LifecycleCaller[],
  page: LifecycleCaller[],
  keepProvisional: (caller: LifecycleCaller) => boolean
): LifecycleCaller[] {
  const known = new Set(page.map((caller) => caller.callerKey));
  const provisional = current.filter(
    (caller) => caller.provisional && !known.has(caller.callerKey) && keepProvisional(caller)
  );
  return [...page, ...provisional];
}

/** "Load more": the next page after what is shown, without duplicates. */
export function appendPage(current: LifecycleCaller[], page: LifecycleCaller[]): LifecycleCaller[] {
  const shown = new Set(current.map((caller) => caller.callerKey));
  return [...current, ...page.filter((caller) => !shown.has(caller.callerKey))];
}

export function replaceCaller(current: LifecycleCaller[], caller: LifecycleCaller): LifecycleCaller[] {
  const index = current.findIndex((candidate) => candidate.callerKey === caller.callerKey);
  if (index < 0) {
    return [caller, ...current];
  }
  const next = [...current];
  next[index] = caller;
  return next;
}

export function removeCaller(current: LifecycleCaller[], callerKey: string): LifecycleCaller[] {
  return current.filter((caller) => caller.callerKey !== callerKey);
}

function dropFromEvent(payload: DisconnectedCallPayload): LifecycleDrop {
  return {
    caseId: payload.Case_Id__c as string,
    connectContactId: payload.Connect_Contact_Id__c ?? null,
    category: payload.Category__c ?? null,
    disconnectReason: payload.Disconnect_Reason__c ?? null,
    channel: payload.Channel__c ?? null,
    queueName: payload.Queue_Name__c ?? null,
    queueWaitSeconds: payload.Queue_Wait_Seconds__c ?? null,
    droppedAt: payload.Dropped_At__c ?? null,
    summary: payload.Summary__c ?? null,
    status: 'New',
    attempts: 0
  };
}

/**
 * A Disconnected_Call__e folded into the list: a new drop of a listed caller joins them; otherwise a provisional
 * caller (masked number only: click-to-dial appears with the server's copy) is added at the end. An event for a
 * Case already listed (a repeated publish, or one the last refresh brought first) changes nothing: caller null.
 */
export function addNewDrop(
  current: LifecycleCaller[],
  payload: DisconnectedCallPayload
): { callers: LifecycleCaller[]; caller: LifecycleCaller | null; isNewCaller: boolean } {
  if (!payload.Case_Id__c) {
    return { callers: current, caller: null, isNewCaller: false };
  }
  const key = payload.Caller_Key__c || `case:${payload.Case_Id__c}`;
  const drop = dropFromEvent(payload);
  const existing = current.find((caller) => caller.callerKey === key);
  if (existing) {
    if ((existing.drops ?? []).some((known) => known.caseId === drop.caseId)) {
      return { callers: current, caller: null, isNewCaller: false };
    }
    const merged = {
      ...existing,
      drops: [drop, ...(existing.drops ?? [])],
      dropCount: dropCount(existing) + 1
    };
    return { callers: replaceCaller(current, merged), caller: merged, isNewCaller: false };
  }
  const caller: LifecycleCaller = {
    callerKey: key,
    state: 'ELIGIBLE',
    customerName: payload.Customer_Name__c ?? null,
    customerContactId: payload.Customer_Contact_Id__c ?? null,
    customerAccountId: payload.Customer_Account_Id__c ?? null,
    phone: null,
    maskedPhone: payload.Masked_Phone__c ?? null,
    callable: true,
    drops: [drop],
    dropCount: 1,
    oldestDropAt: drop.droppedAt ?? null,
    attempts: 0,
    claimedByMe: false,
    provisional: true
  };
  return { callers: [...current, caller], caller, isNewCaller: true };
}

/** State after a claim ends (released, or an outcome that keeps the caller open). */
function unclaimedState(caller: LifecycleCaller, nextAttemptAt: string | null, nowMs: number): CallerState {
  if (caller.callable === false) {
    return 'NOT_CALLABLE';
  }
  const next = parseTime(nextAttemptAt);
  return next !== null && next > nowMs ? 'WAITING' : 'ELIGIBLE';
}

export interface ChangeApplied {
  callers: LifecycleCaller[];
  /** The caller before the change (null when not listed). */
  before: LifecycleCaller | null;
  /** The caller after it; null when it left the list. */
  after: LifecycleCaller | null;
}

/** A Callback_Change__e (a claim, release, outcome or automatic close, by anyone) applied at once. */
export function applyChange(
  current: LifecycleCaller[],
  change: CallbackChangePayload,
  myUserId: string,
  nowMs: number
): ChangeApplied {
  const key = change.Caller_Key__c ?? '';
  const before = current.find((caller) => caller.callerKey === key) ?? null;
  if (!before) {
    return { callers: current, before: null, after: null };
  }
  const type = change.Change_Type__c;
  if (type === 'AUTO_CLOSED' || (type === 'OUTCOME' && change.Closed__c)) {
    return { callers: removeCaller(current, key), before, after: null };
  }
  let after: LifecycleCaller;
  if (type === 'CLAIMED') {
    after = {
      ...before,
      state: 'CLAIMED',
      claimedById: change.Claimed_By_Id__c ?? null,
      claimedByName: change.Claimed_By_Name__c ?? null,
      claimedUntil: change.Claimed_Until__c ?? null,
      claimedByMe: Boolean(myUserId) && change.Claimed_By_Id__c === myUserId
    };
  } else if (type === 'RELEASED' || type === 'OUTCOME') {
    const nextAttemptAt =
      type === 'OUTCOME' ? (change.Next_Attempt_At__c ?? null) : (before.nextAttemptAt ?? null);
    after = {
      ...before,
      state: unclaimedState(before, nextAttemptAt, nowMs),
      nextAttemptAt,
      claimedById: null,
      claimedByName: null,
      claimedUntil: null,
      claimedByMe: false
    };
  } else {
    return { callers: current, before, after: before };
  }
  return { callers: replaceCaller(current, after), before, after };
}

/** The caller after one of our own outcomes was saved; null when it closed the caller. */
export function afterOutcome(
  caller: LifecycleCaller,
  result: OutcomeResult,
  nowMs: number
): LifecycleCaller | null {
  if (result.closed) {
    return null;
  }
  const nextAttemptAt = result.nextAttemptAt ?? null;
  return {
    ...caller,
    state: unclaimedState(caller, nextAttemptAt, nowMs),
    attempts: result.attempts ?? (caller.attempts ?? 0) + 1,
    lastAttemptAt: new Date(nowMs).toISOString(),
    nextAttemptAt,
    claimedById: null,
    claimedByName: null,
    claimedUntil: null,
    claimedByMe: false
  };
}

/** The caller after our own claim or release (the server's copy when it sent one). */
export function afterClaim(
  caller: LifecycleCaller | null,
  result: ClaimResult,
  nowMs: number
): LifecycleCaller {
  if (result.caller) {
    return result.caller;
  }
  const base: LifecycleCaller = caller ?? { callerKey: result.callerKey };
  const claimed = Boolean(result.claimedById);
  return {
    ...base,
    state: claimed ? 'CLAIMED' : unclaimedState(base, base.nextAttemptAt ?? null, nowMs),
    claimedById: result.claimedById ?? null,
    claimedByName: result.claimedByName ?? null,
    claimedUntil: result.claimedUntil ?? null,
    claimedByMe: claimed
  };
}

/** Totals kept honest between refreshes: a caller arrived, left, or changed state. */
export function adjustTotals(
  totals: WorklistTotals,
  before: LifecycleCaller | null,
  after: LifecycleCaller | null
): WorklistTotals {
  const next = { ...totals };
  const buckets: Record<string, keyof WorklistTotals> = {
    ELIGIBLE: 'eligible',
    CLAIMED: 'claimed',
    WAITING: 'waiting'
  };
  const bucket = (state: CallerState | null | undefined): keyof WorklistTotals | null =>
    buckets[state ?? ''] ?? null;
  const add = (caller: LifecycleCaller | null, sign: number): void => {
    if (!caller) {
      return;
    }
    next.callers += sign;
    next.drops += sign * dropCount(caller);
    const key = bucket(caller.state);
    if (key) {
      next[key] = Math.max(0, (next[key] ?? 0) + sign);
    }
    if (caller.overdue) {
      next.overdue = Math.max(0, next.overdue + sign);
    }
  };
  add(before, -1);
  add(after, 1);
  next.callers = Math.max(0, next.callers);
  next.drops = Math.max(0, next.drops);
  return next;
}
