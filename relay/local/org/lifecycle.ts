/**
 * The worklist's lifecycle Apex (CallbackLifecycleController), as the org answers it: getWorklist, claimCaller,
 * claimNext, releaseCaller, logCallerOutcome (idempotent by clientRequestId), getDispositions. Each method is one
 * transaction: it validates everything first and changes nothing when it refuses. Errors are AuraErrors whose
 * message is JSON {code, message}; changes publish Callback_Change__e after "commit".
 */
import {
  byUrgency,
  decodeCursor,
  encodeCursor,
  isAfter,
  openCallers,
  openCasesOf,
  toCaller
} from './callers';
import type { CallerGroup } from './callers';
import { loadDispositions, type Disposition } from './dispositions';
import type { EventStream } from './events';
import { caseIds, fail, optionalString, parseRequest } from './aura';
import { Outcomes, type OutcomeResult } from './outcomes';
import { activeClaim, type OrgState } from './state';
import type { EmulatedUser } from './types';

export { LifecycleError, type LifecycleCode } from './aura';
export type { OutcomeResult } from './outcomes';

export interface ClaimResult {
  callerKey: string;
  caseIds: string[];
  claimedById: string | null;
  claimedByName: string | null;
  claimedUntil: string | null;
  caller: CallerGroup | null;
}

export class Lifecycle {
  private readonly dispositions: Disposition[];
  private readonly outcomes: Outcomes;

  constructor(
    private readonly state: OrgState,
    private readonly events: EventStream,
    dispositions?: Disposition[]
  ) {
    this.dispositions = dispositions ?? loadDispositions();
    this.outcomes = new Outcomes(state, events, this.dispositions);
  }

  logCallerOutcome(me: EmulatedUser, requestJson: unknown): OutcomeResult {
    return this.outcomes.logCallerOutcome(me, requestJson);
  }

  /** The user an actor name stands for; NO_ACCESS without the Callback_Agent permission set. */
  agent(actor: string): EmulatedUser {
    const user = Object.prototype.hasOwnProperty.call(this.state.users, actor)
      ? this.state.users[actor]
      : null;
    if (!user) return fail('NO_ACCESS', `unknown user ${actor}`);
    if (!user.callbackAgent) {
      return fail('NO_ACCESS', 'You need the Callback Agent permission set to work on callbacks.');
    }
    return user;
  }

  getWorklist(me: EmulatedUser, requestJson: unknown): object {
    const req = parseRequest(requestJson);
    const pageSize = req.pageSize ?? 50;
    if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200) {
      return fail('INVALID_REQUEST', 'pageSize must be a whole number from 1 to 200');
    }
    const windowHours = req.windowHours ?? null;
    if (
      windowHours !== null &&
      (typeof windowHours !== 'number' ||
        !Number.isInteger(windowHours) ||
        windowHours < 1 ||
        windowHours > 8760)
    ) {
      return fail('INVALID_REQUEST', 'windowHours must be a whole number from 1 to 8760, or null');
    }
    if (
      req.includeWaiting !== undefined &&
      req.includeWaiting !== null &&
      typeof req.includeWaiting !== 'boolean'
    ) {
      return fail('INVALID_REQUEST', 'includeWaiting must be true or false');
    }
    const cursorText = optionalString(req, 'cursor');
    const cursor = cursorText === null ? null : decodeCursor(cursorText);
    if (cursorText !== null && cursor === null) return fail('INVALID_REQUEST', 'cursor is not valid');
    const all = openCallers(
      this.state,
      {
        channel: optionalString(req, 'channel'),
        category: optionalString(req, 'category'),
        // No window asked for: the org's Worklist Window (Hours) setting applies, as in CallbackWorklistService.
        windowHours: (windowHours as number | null) ?? this.state.settings.recentWindowHours
      },
      me
    );
    const shown = all
      .filter((g) => req.includeWaiting !== false || g.state !== 'WAITING')
      .filter((g) => cursor === null || isAfter(g, cursor));
    const page = shown.slice(0, pageSize);
    const count = (s: string): number => all.filter((g) => g.state === s).length;
    const oldest = all.map((g) => g.oldestDropAt).sort()[0] ?? null;
    return {
      callers: page,
      totals: {
        callers: all.length,
        drops: all.reduce((n, g) => n + g.dropCount, 0),
        eligible: count('ELIGIBLE'),
        claimed: count('CLAIMED'),
        waiting: count('WAITING'),
        notCallable: count('NOT_CALLABLE'),
        overdue: all.filter((g) => g.overdue).length
      },
      nextCursor: shown.length > pageSize ? encodeCursor(page[page.length - 1] as CallerGroup) : null,
      serverTime: this.state.now().toISOString(),
      oldestDropAt: oldest
    };
  }

  claimCaller(me: EmulatedUser, callerKey: unknown): ClaimResult {
    const { key, cases } = this.openCasesOf(callerKey);
    const now = this.state.now();
    const group = toCaller(cases, me, now);
    const holder = this.holderOf(cases, now);
    if (holder && holder.id !== me.id) {
      return fail(
        'CLAIMED_BY_OTHER',
        `${holder.name} is calling this customer (until ${group.claimedUntil}).`
      );
    }
    if (!group.callable) {
      const why = group.notCallableReason === 'DO_NOT_CALL' ? 'asked not to be called' : 'left no number';
      return fail('NOT_ELIGIBLE', `This customer ${why}.`);
    }
    if (group.state === 'WAITING') {
      return fail('NOT_ELIGIBLE', `This caller is not due again until ${group.nextAttemptAt}.`);
    }
    const until = new Date(now.getTime() + this.state.settings.claimTimeoutMinutes * 60_000).toISOString();
    return this.setClaim(me, key, cases, now, { by: me, until });
  }

  /** The caller this agent already holds, else the most urgent eligible one; null when there is none. */
  claimNext(me: EmulatedUser, requestJson: unknown): ClaimResult | null {
    const req = parseRequest(requestJson);
    const filter = { channel: optionalString(req, 'channel'), category: optionalString(req, 'category') };
    const callers = openCallers(this.state, filter, me);
    const mine = callers.find((g) => g.claimedByMe && g.callable);
    const next = mine ?? callers.filter((g) => g.state === 'ELIGIBLE').sort(byUrgency)[0];
    return next ? this.claimCaller(me, next.callerKey) : null;
  }

  releaseCaller(me: EmulatedUser, callerKey: unknown): ClaimResult {
    const { key, cases } = this.openCasesOf(callerKey);
    const now = this.state.now();
    const holder = this.holderOf(cases, now);
    if (!holder) return fail('NOT_CLAIMED', 'Nobody is calling this customer.');
    if (holder.id !== me.id) return fail('CLAIMED_BY_OTHER', `${holder.name} is calling this customer.`);
    return this.setClaim(me, key, cases, now, null);
  }

  /** The caller's open Cases; INVALID_REQUEST without a caller key, NOTHING_OPEN when none is open. */
  private openCasesOf(callerKey: unknown): { key: string; cases: ReturnType<typeof openCasesOf> } {
    if (typeof callerKey !== 'string' || callerKey.trim() === '') {
      return fail('INVALID_REQUEST', 'callerKey is required');
    }
    const cases = openCasesOf(this.state, callerKey);
    if (cases.length === 0) return fail('NOTHING_OPEN', 'This caller has no open callbacks any more.');
    return { key: callerKey, cases };
  }

  /** Who holds an unexpired claim on any of the Cases, if anyone. */
  private holderOf(cases: ReturnType<typeof openCasesOf>, now: Date): EmulatedUser | null {
    return cases.map((c) => activeClaim(c, now)).find((u) => u !== null) ?? null;
  }

  /** Claims (or, with null, releases) all the caller's open Cases, announces it and answers with the caller. */
  private setClaim(
    me: EmulatedUser,
    callerKey: string,
    cases: ReturnType<typeof openCasesOf>,
    now: Date,
    claim: { by: EmulatedUser; until: string } | null
  ): ClaimResult {
    for (const c of cases) {
      c.claimedBy = claim?.by ?? null;
      c.claimedUntil = claim?.until ?? null;
    }
    this.events.publishChange({
      Change_Type__c: claim ? 'CLAIMED' : 'RELEASED',
      Caller_Key__c: callerKey,
      Case_Ids__c: caseIds(cases).join(','),
      Claimed_By_Id__c: claim?.by.id ?? null,
      Claimed_By_Name__c: claim?.by.name ?? null,
      Claimed_Until__c: claim?.until ?? null,
      Disposition__c: null,
      Closed__c: false,
      Next_Attempt_At__c: null,
      Changed_By_Id__c: me.id
    });
    return {
      callerKey,
      caseIds: caseIds(cases),
      claimedById: claim?.by.id ?? null,
      claimedByName: claim?.by.name ?? null,
      claimedUntil: claim?.until ?? null,
      caller: toCaller(cases, me, now)
    };
  }

  getDispositions(): object[] {
    return this.dispositions
      .filter((d) => d.agentSelectable)
      .map(
        ({ code, label, closesCase, countsAsReached, countsAsAttempt, retryDelayMinutes, asksForTime }) => ({
          code,
          label,
          closesCase,
          countsAsReached,
          countsAsAttempt,
          retryDelayMinutes,
          asksForTime
        })
      );
  }
}
