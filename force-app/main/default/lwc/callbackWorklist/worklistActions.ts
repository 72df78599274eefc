// What agents do to a caller: Call (claims all their open drops so nobody else dials them), Next caller (the
// server picks the most urgent one), Release, and Log outcome (one request per caller, idempotent by its
// clientRequestId so a retried save is applied once, with the org's dispositions to choose from). Errors go to the
// one notice area, or stay in the dialog.
import { spokenCaller } from './announcer';
import { classifyError } from './worklistErrors';
import type { WorklistHost } from './worklistHost';
import { displayName, errorClause, parseTime } from './worklistModel';
import { adjustTotals, afterClaim, afterOutcome, removeCaller, replaceCaller } from './worklistStore';
import { clockTime, outcomeDetails } from './worklistView';
import getDispositions from '@salesforce/apex/CallbackLifecycleController.getDispositions';
import claimCaller from '@salesforce/apex/CallbackLifecycleController.claimCaller';
import claimNext from '@salesforce/apex/CallbackLifecycleController.claimNext';
import releaseCaller from '@salesforce/apex/CallbackLifecycleController.releaseCaller';
import logCallerOutcome from '@salesforce/apex/CallbackLifecycleController.logCallerOutcome';

export const NEXT_KEY = '*next';
/** Codes after which the list is out of date: reload it. */
const STALE_CODES = ['CLAIMED_BY_OTHER', 'NOT_ELIGIBLE', 'NOTHING_OPEN', 'NOT_CLAIMED'];

/** A v4 UUID for clientRequestId (crypto.randomUUID where the platform offers it). */
export function requestId(): string {
  const crypto = globalThis.crypto;
  if (crypto && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  if (crypto && typeof crypto.getRandomValues === 'function') {
    crypto.getRandomValues(bytes);
  } else {
    bytes.forEach((_, i) => (bytes[i] = Math.floor(Math.random() * 256)));
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function nameOf(caller: LifecycleCaller): string {
  return displayName({ customerName: caller.customerName ?? null, maskedPhone: caller.maskedPhone ?? null });
}

function find(host: WorklistHost, key: string): LifecycleCaller | null {
  return host.callers.find((caller) => caller.callerKey === key) ?? null;
}

function setBusy(host: WorklistHost, key: string, on: boolean): void {
  const busy = new Set(host.busy);
  if (on) {
    busy.add(key);
  } else {
    busy.delete(key);
  }
  host.busy = busy;
}

function without(set: Set<string>, key: string): Set<string> {
  const rest = new Set(set);
  rest.delete(key);
  return rest;
}

function failed(host: WorklistHost, what: string, error: unknown): void {
  const problem = classifyError(error);
  host.actionProblem = `${what}: ${problem.message.replace(/[.\s]+$/, '')}.`;
  host.announce({ kind: 'info', text: host.actionProblem });
  if (problem.code && STALE_CODES.includes(problem.code)) {
    host.reload();
  }
}

function claimed(host: WorklistHost, before: LifecycleCaller | null, result: ClaimResult): void {
  const after = afterClaim(before, result, Date.now());
  host.callers = replaceCaller(host.callers, after);
  if (host.totals) {
    host.totals = adjustTotals(host.totals, before, after);
  }
  const until = parseTime(after.claimedUntil);
  const who = spokenCaller(after.customerName, after.maskedPhone);
  host.announce({
    kind: 'info',
    text: `You're calling ${who}${until !== null ? ` until ${clockTime(until)}` : ''}. Dial when ready.`
  });
  // Straight to the dial control (the Log button when there is no number to dial).
  host.pendingFocus = `[data-dial="${after.callerKey}"], [data-focus="${after.callerKey}"]`;
}

export async function call(host: WorklistHost, key: string): Promise<void> {
  const caller = find(host, key);
  if (!caller || host.busy.has(key)) {
    return;
  }
  setBusy(host, key, true);
  host.actionProblem = '';
  try {
    claimed(host, caller, await claimCaller({ callerKey: key }));
  } catch (error) {
    failed(host, `Couldn't start the call to ${nameOf(caller)}`, error);
  } finally {
    setBusy(host, key, false);
  }
}

export async function next(host: WorklistHost): Promise<void> {
  if (host.busy.has(NEXT_KEY)) {
    return;
  }
  setBusy(host, NEXT_KEY, true);
  host.actionProblem = '';
  try {
    const result = await claimNext({
      requestJson: JSON.stringify({ channel: host.channel || null, category: host.category || null })
    });
    if (result) {
      claimed(host, find(host, result.callerKey), result);
    } else {
      const waiting = host.totals?.waiting ?? 0;
      host.actionProblem = `Nobody is ready to be called right now${waiting ? ` (${waiting} waiting out a retry delay)` : ''}.`;
      host.announce({ kind: 'info', text: host.actionProblem });
    }
  } catch (error) {
    failed(host, "Couldn't get the next caller", error);
  } finally {
    setBusy(host, NEXT_KEY, false);
  }
}

export async function release(host: WorklistHost, key: string): Promise<void> {
  const caller = find(host, key);
  if (!caller || host.busy.has(key)) {
    return;
  }
  setBusy(host, key, true);
  try {
    const after = afterClaim(caller, await releaseCaller({ callerKey: key }), Date.now());
    host.callers = replaceCaller(host.callers, after);
    if (host.totals) {
      host.totals = adjustTotals(host.totals, caller, after);
    }
    host.onCall = without(host.onCall, key);
    host.pendingFocus = `[data-focus="${key}"]`;
  } catch (error) {
    failed(host, `Couldn't release ${nameOf(caller)}`, error);
  } finally {
    setBusy(host, key, false);
  }
}

/** The outcomes agents can log (the org's dispositions), fetched once when the worklist opens. */
export async function loadDispositions(host: WorklistHost): Promise<void> {
  try {
    host.dispositions = (await getDispositions()) ?? [];
  } catch (error) {
    host.actionProblem = `Couldn't load the outcomes agents can log: ${errorClause(error)}.`;
  }
}

export function openOutcome(host: WorklistHost, key: string): void {
  const caller = find(host, key);
  if (!caller) {
    return;
  }
  host.unseen = without(host.unseen, key);
  host.dialog = {
    key,
    callerLabel: nameOf(caller),
    caseCount: caller.dropCount ?? caller.drops?.length ?? 1,
    details: outcomeDetails(caller, Date.now()),
    clientRequestId: requestId()
  };
  host.dialogBusy = false;
  host.dialogError = host.dispositions.length
    ? ''
    : "Couldn't load the outcomes. Close this and reload the list.";
}

/** Busy and error need no reset here: nothing reads them while no dialog is open, and openOutcome sets both. */
export function closeOutcome(host: WorklistHost): void {
  // Stryker disable next-line ConditionalExpression: always open here (Cancel, or a finished save); only for the type.
  if (host.dialog) {
    host.pendingFocus = `[data-focus="${host.dialog.key}"]`;
  }
  host.dialog = null;
}

export async function saveOutcome(host: WorklistHost, detail: DispositionSaveDetail): Promise<void> {
  const dialog = host.dialog;
  // Saving twice (a double click, Enter held down) sends one request.
  if (!dialog || host.dialogBusy) {
    return;
  }
  host.dialogBusy = true;
  host.dialogError = '';
  const request: OutcomeRequest = {
    callerKey: dialog.key,
    disposition: detail.disposition,
    note: detail.note,
    callbackAt: detail.callbackAt,
    // The same id on a retry: the server applies the outcome once even if the failed save did reach it.
    clientRequestId: dialog.clientRequestId
  };
  let result: OutcomeResult;
  try {
    result = await logCallerOutcome({ requestJson: JSON.stringify(request) });
  } catch (error) {
    host.dialogBusy = false;
    host.dialogError = `Couldn't save the outcome: ${classifyError(error).message.replace(/[.\s]+$/, '')}. Try again.`;
    return;
  }
  const before = find(host, dialog.key);
  const after = before ? afterOutcome(before, result, Date.now()) : null;
  host.callers = after ? replaceCaller(host.callers, after) : removeCaller(host.callers, dialog.key);
  if (host.totals && before) {
    host.totals = adjustTotals(host.totals, before, after);
  }
  host.onCall = without(host.onCall, dialog.key);
  closeOutcome(host);
  const label =
    host.dispositions.find((option) => option.code === result.disposition)?.label ?? result.disposition;
  const nextTry = parseTime(result.nextAttemptAt);
  const message =
    result.closed || nextTry === null
      ? `${label}: ${dialog.callerLabel}`
      : `${label}: ${dialog.callerLabel}. Next try after ${clockTime(nextTry)}.`;
  host.toast('Outcome logged', message, 'success');
}
