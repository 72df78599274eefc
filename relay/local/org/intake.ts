/**
 * The Apex REST intake (ConnectDisconnectResource + DisconnectIntakeService): one Case per Connect contactId,
 * upserted case-insensitively, newer wins, results in request order, one event per created Case after the whole
 * request is applied (publish after commit). A "resolve" record (the customer got through) creates no Case: it
 * closes that caller's open callback Cases dropped before the resolving contact started, as CUSTOMER_GOT_THROUGH,
 * and publishes one AUTO_CLOSED Callback_Change__e per resolved caller.
 */
import { callerKey } from '../../src/mask';
import type { DisconnectRecord, DisconnectResult, RecordError } from '../../src/types';
import { newestFirst } from './callers';
import type { ChangeFields, EventStream } from './events';
import { FieldError, parseDisconnectRequest, toRecord } from './parser';
import { dueByFor, isOpen, type OrgState } from './state';
import { summaryFor } from './summary';
import type { EmulatedCase } from './types';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged' | 'stale';

/** An upsert's outcome and Case Id; the Case itself unless it is archived. */
interface Applied {
  outcome: UpsertOutcome;
  caseId: string;
  c: EmulatedCase | null;
}

/** Newer wins: what a stored version makes of an incoming one (equal instants are unchanged). */
function versionOutcome(incoming: string, stored: string): 'updated' | 'unchanged' | 'stale' {
  const a = Date.parse(incoming);
  const b = Date.parse(stored);
  if (a < b) return 'stale';
  return a === b ? 'unchanged' : 'updated';
}

export class Intake {
  /**
   * Cases by customer phone that may still be open, so a resolve looks at that caller's Cases only (the Apex service
   * queries by phone; a scan of every Case per resolve made a long `npm start` session slower with every Case). A
   * closed Case is never reopened, so it is dropped from its set when a resolve meets it.
   */
  private readonly openByPhone = new Map<string, Set<EmulatedCase>>();

  constructor(
    private readonly state: OrgState,
    private readonly events: EventStream
  ) {}

  /** Stores records as if earlier requests had created them (the contract examples' `given`). */
  seed(records: unknown[]): void {
    for (const r of records) this.apply(toRecord(r));
  }

  /** Answers one POST body; throws ContractError for the 400s. */
  handle(body: string): DisconnectResult[] {
    const { stats } = this.state;
    const records = parseDisconnectRequest(body);
    stats.disconnectRequests++;
    stats.recordsReceived += records.length;
    const seen = new Set<string>();
    const results: DisconnectResult[] = [];
    const created: EmulatedCase[] = [];
    const closed: ChangeFields[] = [];
    for (const raw of records) {
      const rawId = (raw as { contactId?: unknown } | null)?.contactId;
      const contactId = typeof rawId === 'string' ? rawId : '';
      let error: RecordError | undefined;
      let record: DisconnectRecord | undefined;
      try {
        record = toRecord(raw);
      } catch (e) {
        if (!(e instanceof FieldError)) throw e;
        error = { code: e.code, message: e.message, retryable: false };
      }
      // The first occurrence is processed (or rejected on its own merits); every repeat is a duplicate.
      const key = contactId.toLowerCase();
      if (key.trim() !== '' && seen.has(key)) {
        error = {
          code: 'DUPLICATE_IN_REQUEST',
          message: 'contactId appears more than once in this request',
          retryable: false
        };
      }
      seen.add(key);
      if (error || !record) {
        results.push({ contactId, outcome: 'rejected', error });
        stats.rejected++;
        continue;
      }
      if (record.action === 'resolve') {
        results.push(this.resolve(record, closed));
        continue;
      }
      const { outcome, caseId, c } = this.apply(record);
      stats[outcome]++;
      if (outcome === 'created' && c) created.push(c);
      results.push({ contactId, outcome, caseId });
    }
    // Publish-after-commit: one event per created Case still open (a drop closed by a later record of the same
    // request is no news) and one per resolved caller, once the request is applied.
    created.filter((c) => !c.isClosed).forEach((c) => this.events.publishNewDrop(c));
    closed.forEach((change) => this.events.publishChange(change));
    return results;
  }

  /**
   * Closes the open Cases with this customer phone dropped (Connect_Disconnected_At__c, else
   * Connect_Last_Updated__c) before the resolving contact started (initiatedAt, else lastUpdated); one AUTO_CLOSED
   * per caller.
   */
  private resolve(r: DisconnectRecord, closed: ChangeFields[]): DisconnectResult {
    const startedAt = Date.parse(r.initiatedAt ?? r.lastUpdated);
    const nowIso = this.state.now().toISOString();
    const dropTime = (c: EmulatedCase): number => Date.parse(c.record.disconnectedAt ?? c.record.lastUpdated);
    const cases: EmulatedCase[] = [];
    const phone = r.customerPhone ?? '';
    const ofCaller = this.openByPhone.get(phone) ?? new Set<EmulatedCase>();
    for (const c of ofCaller) {
      if (c.isClosed) ofCaller.delete(c);
      else if (isOpen(c) && dropTime(c) < startedAt) cases.push(c);
    }
    if (ofCaller.size === 0) this.openByPhone.delete(phone);
    cases.sort(newestFirst);
    if (cases.length === 0) return { contactId: r.contactId, outcome: 'nothing-to-resolve' };
    for (const c of cases) {
      c.status = 'Customer got through';
      c.isClosed = true;
      c.closedAt = nowIso;
      c.callbackOutcome = 'CUSTOMER_GOT_THROUGH';
      c.resolvedByContactId = r.contactId;
      c.claimedBy = null;
      c.claimedUntil = null;
      c.nextAttemptAt = null;
    }
    const byCaller = new Map<string, EmulatedCase[]>();
    for (const c of cases) byCaller.set(c.callerKey, [...(byCaller.get(c.callerKey) ?? []), c]);
    for (const [key, group] of byCaller) this.autoClosed(key, group, closed);
    return { contactId: r.contactId, outcome: 'resolved', closedCaseIds: cases.map((c) => c.id) };
  }

  private autoClosed(key: string, cases: EmulatedCase[], closed: ChangeFields[]): void {
    closed.push({
      Change_Type__c: 'AUTO_CLOSED',
      Caller_Key__c: key,
      Case_Ids__c: cases.map((c) => c.id).join(','),
      Claimed_By_Id__c: null,
      Claimed_By_Name__c: null,
      Claimed_Until__c: null,
      Disposition__c: 'CUSTOMER_GOT_THROUGH',
      Closed__c: true,
      Next_Attempt_At__c: null,
      Changed_By_Id__c: this.state.users.integration?.id ?? null
    });
  }

  /** Stores a Case as the contract's lifecycle examples give it, then overrides its state. */
  seedCase(record: unknown, state: Partial<EmulatedCase>): EmulatedCase {
    const { c } = this.apply(toRecord(record));
    if (!c) throw new Error('seedCase: that contact is archived (maxCases)');
    this.unindex(c);
    Object.assign(c, state);
    this.index(c);
    return c;
  }

  /** Upsert by Connect contactId (case-insensitive, like the External ID), as DisconnectIntakeService does. */
  private apply(r: DisconnectRecord): Applied {
    const { cases, casesById, customersByPhone, now, archived } = this.state;
    const key = r.contactId.toLowerCase();
    const old = archived.get(key);
    if (old) {
      const outcome = versionOutcome(r.lastUpdated, old.lastUpdated);
      if (outcome === 'updated') archived.update(key, r.lastUpdated);
      return { outcome, caseId: old.id, c: null };
    }
    const existing = cases.get(key);
    if (existing) {
      const outcome = versionOutcome(r.lastUpdated, existing.record.lastUpdated);
      if (outcome !== 'updated') return { outcome, caseId: existing.id, c: existing };
      // Connect data is refreshed; Subject and the callback state were set once, at creation. A Case already
      // linked to a customer keeps that link.
      this.unindex(existing);
      existing.record = r;
      this.index(existing);
      if (!existing.customer && r.customerPhone)
        existing.customer = customersByPhone.get(r.customerPhone) ?? null;
      existing.callerKey = callerKey(existing.customer?.contactId ?? null, r.customerPhone, r.contactId);
      existing.phoneSource = r.phoneSource ?? 'NONE';
      existing.doNotCall = existing.customer?.doNotCall === true;
      return { outcome: 'updated', caseId: existing.id, c: existing };
    }
    const customer = r.customerPhone ? (customersByPhone.get(r.customerPhone) ?? null) : null;
    const createdAt = now().toISOString();
    const c: EmulatedCase = {
      ...this.state.nextCase(),
      record: r,
      status: 'New',
      isClosed: false,
      attempts: 0,
      lastCallbackAt: null,
      customer,
      callerKey: callerKey(customer?.contactId ?? null, r.customerPhone, r.contactId),
      summary: summaryFor(r),
      tasks: [],
      createdAt,
      phoneSource: r.phoneSource ?? 'NONE',
      doNotCall: customer?.doNotCall === true,
      dueBy: dueByFor(this.state.settings, r.category, new Date(r.disconnectedAt ?? createdAt).toISOString()),
      claimedBy: null,
      claimedUntil: null,
      nextAttemptAt: null,
      firstAttemptAt: null,
      closedAt: null,
      callbackOutcome: null,
      lastDisposition: null,
      resolvedByContactId: null
    };
    cases.set(key, c);
    casesById.set(c.id, c);
    this.index(c);
    if (cases.size > this.state.maxCases) {
      // Maps iterate in insertion order: the first entry is the oldest Case.
      const [oldestKey, oldest] = cases.entries().next().value as [string, EmulatedCase];
      cases.delete(oldestKey);
      casesById.delete(oldest.id);
      this.unindex(oldest);
      archived.archive(oldestKey, oldest.id, oldest.record.lastUpdated);
      this.state.stats.casesArchived++;
    }
    return { outcome: 'created', caseId: c.id, c };
  }

  private index(c: EmulatedCase): void {
    const phone = c.record.customerPhone;
    if (phone === null || c.isClosed) return;
    const set = this.openByPhone.get(phone);
    if (set) set.add(c);
    else this.openByPhone.set(phone, new Set([c]));
  }

  private unindex(c: EmulatedCase): void {
    const phone = c.record.customerPhone;
    const set = phone === null ? undefined : this.openByPhone.get(phone);
    set?.delete(c);
    if (set?.size === 0) this.openByPhone.delete(phone as string);
  }
}
