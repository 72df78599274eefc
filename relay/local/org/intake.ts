/**
 * The Apex REST intake (ConnectDisconnectResource + DisconnectIntakeService): one Case per Connect contactId,
 * upserted case-insensitively, newer wins, results in request order, one event per created Case after the whole
 * request is applied (publish after commit).
 */
import { callerKey } from '../../src/mask';
import type { DisconnectRecord, DisconnectResult, RecordError } from '../../src/types';
import type { EventStream } from './events';
import { FieldError, parseDisconnectRequest, toRecord } from './parser';
import type { OrgState } from './state';
import { summaryFor } from './summary';
import type { EmulatedCase } from './types';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged' | 'stale';

export class Intake {
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
      const { outcome, c } = this.apply(record);
      stats[outcome]++;
      if (outcome === 'created') created.push(c);
      results.push({ contactId, outcome, caseId: c.id });
    }
    // Publish-after-commit: one event per created Case, once the whole request has been applied.
    created.forEach((c) => this.events.publishNewDrop(c));
    return results;
  }

  /** Upsert by Connect contactId (case-insensitive, like the External ID), as DisconnectIntakeService does. */
  private apply(r: DisconnectRecord): { outcome: UpsertOutcome; c: EmulatedCase } {
    const { cases, casesById, customersByPhone, now } = this.state;
    const key = r.contactId.toLowerCase();
    const existing = cases.get(key);
    if (existing) {
      const incoming = Date.parse(r.lastUpdated);
      const stored = Date.parse(existing.record.lastUpdated);
      if (incoming < stored) return { outcome: 'stale', c: existing };
      if (incoming === stored) return { outcome: 'unchanged', c: existing };
      // Connect data is refreshed; Subject and the callback state were set once, at creation. A Case already
      // linked to a customer keeps that link.
      existing.record = r;
      if (!existing.customer && r.customerPhone)
        existing.customer = customersByPhone.get(r.customerPhone) ?? null;
      existing.callerKey = callerKey(existing.customer?.contactId ?? null, r.customerPhone, r.contactId);
      return { outcome: 'updated', c: existing };
    }
    const customer = r.customerPhone ? (customersByPhone.get(r.customerPhone) ?? null) : null;
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
      createdAt: now().toISOString()
    };
    cases.set(key, c);
    casesById.set(c.id, c);
    return { outcome: 'created', c };
  }
}
