/**
 * The worklist controller's Apex methods (CallbackWorklistController): open callbacks within a window, and one
 * outcome per Case. Errors are AuraErrors: the message an AuraHandledException would carry.
 */
import { maskPhone } from '../../src/mask';
import { droppedAt, type OrgState } from './state';
import type { CallbackRow, EmulatedCase } from './types';

const OUTCOME_LABELS: Record<string, string> = {
  REACHED: 'Reached',
  NO_ANSWER: 'No answer',
  WRONG_NUMBER: 'Wrong number',
  NOT_NEEDED: 'Not needed'
};

/** An AuraHandledException: its message is what the LWC shows. */
export class AuraError extends Error {}

export function toRow(c: EmulatedCase): CallbackRow {
  return {
    caseId: c.id,
    caseNumber: c.caseNumber,
    connectContactId: c.record.contactId,
    customerContactId: c.customer?.contactId ?? null,
    customerAccountId: c.customer?.accountId ?? null,
    customerName: c.customer?.name ?? null,
    phone: c.record.customerPhone,
    maskedPhone: maskPhone(c.record.customerPhone),
    callerKey: c.callerKey,
    category: c.record.category,
    disconnectReason: c.record.disconnectReason,
    channel: c.record.channel,
    queueName: c.record.queueName,
    queueWaitSeconds: c.record.queueWaitSeconds,
    droppedAt: droppedAt(c),
    attempts: c.attempts,
    status: c.status,
    summary: c.summary,
    lastCallbackAt: c.lastCallbackAt
  };
}

export class Worklist {
  constructor(private readonly state: OrgState) {}

  getOpenCallbacks(
    windowHours?: number | null,
    channel?: string | null,
    category?: string | null
  ): CallbackRow[] {
    const hours =
      windowHours === null || windowHours === undefined ? this.state.settings.recentWindowHours : windowHours;
    if (!Number.isInteger(hours) || hours < 1 || hours > 8760) {
      throw new AuraError(`windowHours must be between 1 and 8760 (got ${hours}).`);
    }
    const since = this.state.now().getTime() - hours * 3600_000;
    const wantChannel = channel?.trim() || null;
    const wantCategory = category?.trim() || null;
    // ORDER BY Connect_Disconnected_At__c ASC NULLS LAST, CreatedDate ASC, CaseNumber ASC
    const order = (a: EmulatedCase, b: EmulatedCase): number => {
      const da = a.record.disconnectedAt ? Date.parse(a.record.disconnectedAt) : Infinity;
      const db = b.record.disconnectedAt ? Date.parse(b.record.disconnectedAt) : Infinity;
      if (da !== db) return da < db ? -1 : 1;
      const ca = Date.parse(a.createdAt) - Date.parse(b.createdAt);
      return ca !== 0 ? ca : a.caseNumber.localeCompare(b.caseNumber);
    };
    return [...this.state.cases.values()]
      .filter((c) => !c.isClosed && (c.status === 'New' || c.status === 'Attempted'))
      .filter((c) => Date.parse(droppedAt(c)) >= since)
      .filter((c) => !wantChannel || c.record.channel === wantChannel)
      .filter((c) => !wantCategory || c.record.category === wantCategory)
      .sort(order)
      .slice(0, 500)
      .map(toRow);
  }

  logCallbackOutcome(caseId: string, outcome: string, note?: string | null): CallbackRow {
    const code = (outcome ?? '').trim().toUpperCase();
    const label = OUTCOME_LABELS[code];
    if (!label) {
      throw new AuraError(
        `Unknown callback outcome "${outcome}": use REACHED, NO_ANSWER, WRONG_NUMBER or NOT_NEEDED.`
      );
    }
    if (!caseId || !/^500[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$/.test(caseId)) {
      throw new AuraError(`A Case Id is required to log a callback outcome (got "${caseId}").`);
    }
    if (note && note.length > 32000) throw new AuraError('The note is too long: at most 32000 characters.');
    const c = this.state.casesById.get(caseId);
    if (!c) throw new AuraError(`Case ${caseId} was not found, or you do not have access to it.`);
    if (c.status !== 'New' && c.status !== 'Attempted') {
      throw new AuraError(
        `Case ${c.caseNumber} is no longer waiting for a callback (status: ${c.status}). Refresh the worklist.`
      );
    }
    if (code !== 'NOT_NEEDED') c.attempts++;
    c.status =
      code === 'REACHED'
        ? 'Reached'
        : code === 'WRONG_NUMBER'
          ? 'Unreachable'
          : code === 'NOT_NEEDED'
            ? 'Not needed'
            : this.state.settings.maxAttempts > 0 && c.attempts >= this.state.settings.maxAttempts
              ? 'Unreachable'
              : 'Attempted';
    c.lastCallbackAt = this.state.now().toISOString();
    if (c.status === 'Reached' && this.state.settings.closeCaseWhenReached) c.isClosed = true;
    c.tasks.push({
      id: this.state.nextTaskId(),
      disposition: code,
      clientRequestId: null,
      subject: `Callback: ${label}`,
      description: note ?? null,
      whatId: c.id,
      whoId: c.customer?.contactId ?? null,
      status: 'Completed',
      createdAt: c.lastCallbackAt
    });
    return toRow(c);
  }
}
