/**
 * logCallerOutcome as CallbackLifecycleController answers it: one outcome for all of a caller's open Cases, one
 * Task on the newest, all or nothing, idempotent by clientRequestId (a retried save returns the first result with
 * duplicate=true and changes nothing); max attempts closes the caller as UNREACHABLE; an OUTCOME change event.
 */
import { caseIds, fail, optionalString, parseRequest } from './aura';
import { openCasesOf } from './callers';
import type { Disposition } from './dispositions';
import type { EventStream } from './events';
import { activeClaim, type OrgState } from './state';
import type { EmulatedCase, EmulatedUser } from './types';

/** CALL_BACK_LATER: the time asked for is at most 30 days ahead. */
const MAX_CALLBACK_AT_MS = 30 * 24 * 3600_000;

export interface OutcomeResult {
  callerKey: string;
  caseIds: string[];
  disposition: string;
  closed: boolean;
  closedAs: string | null;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  taskId: string;
  duplicate: boolean;
}

export class Outcomes {
  /** Results by clientRequestId (the org keeps the id on the Task and the Cases). */
  private readonly outcomes = new Map<string, OutcomeResult>();

  constructor(
    private readonly state: OrgState,
    private readonly events: EventStream,
    private readonly dispositions: Disposition[]
  ) {}

  logCallerOutcome(me: EmulatedUser, requestJson: unknown): OutcomeResult {
    const req = parseRequest(requestJson);
    const callerKey = optionalString(req, 'callerKey');
    const clientRequestId = optionalString(req, 'clientRequestId');
    if (callerKey === null) return fail('INVALID_REQUEST', 'callerKey is required');
    if (clientRequestId === null || clientRequestId.length > 64) {
      return fail('INVALID_REQUEST', 'clientRequestId is required (at most 64 characters)');
    }
    const first = this.outcomes.get(clientRequestId);
    if (first) return this.duplicateOf(first);
    const code = (optionalString(req, 'disposition') ?? '').toUpperCase();
    const disposition = this.dispositions.find((d) => d.code === code && d.agentSelectable);
    if (!disposition) return fail('INVALID_DISPOSITION', `"${code}" is not an outcome agents can log.`);
    const note = optionalString(req, 'note');
    if (note !== null && note.length > 32000)
      return fail('INVALID_REQUEST', 'note is longer than 32000 characters');
    const now = this.state.now();
    let callbackAt: string | null = null;
    if (disposition.asksForTime) {
      const at = optionalString(req, 'callbackAt');
      const atMs = at === null ? NaN : Date.parse(at);
      if (Number.isNaN(atMs) || atMs <= now.getTime() || atMs > now.getTime() + MAX_CALLBACK_AT_MS) {
        return fail(
          'INVALID_REQUEST',
          `${disposition.label} needs the time the customer asked for, in the next 30 days.`
        );
      }
      callbackAt = new Date(atMs).toISOString();
    }
    const cases = openCasesOf(this.state, callerKey);
    if (cases.length === 0) return fail('NOTHING_OPEN', 'This caller has no open callbacks any more.');
    const holder = cases.map((c) => activeClaim(c, now)).find((u) => u !== null);
    if (holder && holder.id !== me.id)
      return fail('CLAIMED_BY_OTHER', `${holder.name} is calling this customer.`);
    const result = this.applyOutcome(me, cases, disposition, note, callbackAt, clientRequestId);
    this.outcomes.set(clientRequestId, result);
    return result;
  }

  /** A repeated clientRequestId: the first result, with the current state of the Cases that carry the id. */
  private duplicateOf(first: OutcomeResult): OutcomeResult {
    const cases = first.caseIds
      .map((id) => this.state.casesById.get(id))
      .filter((c): c is EmulatedCase => c !== undefined);
    return {
      ...first,
      status: cases[0]?.status ?? first.status,
      attempts: Math.max(first.attempts, ...cases.map((c) => c.attempts)),
      nextAttemptAt: cases[0]?.nextAttemptAt ?? null,
      duplicate: true
    };
  }

  private applyOutcome(
    me: EmulatedUser,
    cases: EmulatedCase[],
    d: Disposition,
    note: string | null,
    callbackAt: string | null,
    clientRequestId: string
  ): OutcomeResult {
    const nowIso = this.state.now().toISOString();
    const nowMs = Date.parse(nowIso);
    const { maxAttempts } = this.state.settings;
    const attempts = Math.max(...cases.map((c) => c.attempts)) + (d.countsAsAttempt ? 1 : 0);
    const unreachable = !d.closesCase && d.countsAsAttempt && maxAttempts > 0 && attempts >= maxAttempts;
    const closedAs = d.closesCase ? d.code : unreachable ? 'UNREACHABLE' : null;
    const closing = closedAs === null ? null : this.dispositions.find((x) => x.code === closedAs);
    const status = (closing?.status ?? d.status) as EmulatedCase['status'];
    let nextAttemptAt: string | null = null;
    if (closedAs === null) {
      nextAttemptAt =
        callbackAt ??
        (d.retryDelayMinutes > 0 ? new Date(nowMs + d.retryDelayMinutes * 60_000).toISOString() : null);
    }
    for (const c of cases) {
      if (d.countsAsAttempt) {
        c.attempts += 1;
        c.firstAttemptAt ??= nowIso;
        c.lastCallbackAt = nowIso;
      }
      c.lastDisposition = d.code;
      c.status = status;
      c.claimedBy = null;
      c.claimedUntil = null;
      c.nextAttemptAt = nextAttemptAt;
      if (callbackAt !== null) c.dueBy = callbackAt;
      if (closedAs !== null) {
        c.isClosed = true;
        c.closedAt = nowIso;
        c.callbackOutcome = closedAs;
      }
    }
    const newest = cases[0] as EmulatedCase;
    const task = {
      id: this.state.nextTaskId(),
      disposition: d.code,
      clientRequestId,
      subject: `Callback: ${d.label}${closedAs === 'UNREACHABLE' ? ' (closed: Unreachable)' : ''}`,
      description: note,
      whatId: newest.id,
      whoId: newest.customer?.contactId ?? null,
      status: 'Completed' as const,
      createdAt: nowIso
    };
    newest.tasks.push(task);
    this.events.publishChange({
      Change_Type__c: 'OUTCOME',
      Caller_Key__c: newest.callerKey,
      Case_Ids__c: caseIds(cases).join(','),
      Claimed_By_Id__c: null,
      Claimed_By_Name__c: null,
      Claimed_Until__c: null,
      Disposition__c: d.code,
      Closed__c: closedAs !== null,
      Next_Attempt_At__c: nextAttemptAt,
      Changed_By_Id__c: me.id
    });
    return {
      callerKey: newest.callerKey,
      caseIds: caseIds(cases),
      disposition: d.code,
      closed: closedAs !== null,
      closedAs,
      status,
      attempts: Math.max(...cases.map((c) => c.attempts)),
      nextAttemptAt,
      taskId: task.id,
      duplicate: false
    };
  }
}
