/** The emulated org's data: settings, customers, Cases (by Connect contactId and by Id), counters. */
import { ArchivedCases } from './archive';
import { DEFAULT_CUSTOMERS, DEFAULT_USERS } from './customers';
import type {
  CallbackSettings,
  EmulatedCase,
  EmulatedCustomer,
  EmulatedUser,
  OrgEmulatorOptions,
  OrgEmulatorStats
} from './types';

/** Connect_Callback_Setting__mdt.Default as shipped (the contract's lifecycle settings). */
export const DEFAULT_SETTINGS: CallbackSettings = {
  recentWindowHours: 24,
  maxAttempts: 3,
  claimTimeoutMinutes: 10,
  dueMinutes: {
    ABANDONED_IN_QUEUE: 60,
    DROPPED_IN_IVR: 60,
    AGENT_DROPPED_TELECOM: 30,
    CALLBACK_NOT_CONNECTED: 30,
    other: 120
  }
};

export interface OrgState {
  readonly settings: CallbackSettings;
  readonly now: () => Date;
  readonly customersByPhone: Map<string, EmulatedCustomer>;
  /** Users by actor name. */
  readonly users: Record<string, EmulatedUser>;
  /** Cases by lower-case Connect contactId (the upsert key is case-insensitive). */
  readonly cases: Map<string, EmulatedCase>;
  readonly casesById: Map<string, EmulatedCase>;
  /** Cases beyond maxCases (oldest first), compact. */
  readonly archived: ArchivedCases;
  readonly stats: OrgEmulatorStats;
  /** Most Cases kept in full (Infinity: no limit); older ones are archived. */
  readonly maxCases: number;
  /** Next Case Id and CaseNumber. */
  nextCase(): { id: string; caseNumber: string };
  /** Next Task Id. */
  nextTaskId(): string;
}

export function createState(options: OrgEmulatorOptions): OrgState {
  let caseSeq = 0;
  let taskSeq = 0;
  return {
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    now: options.now ?? (() => new Date()),
    customersByPhone: new Map((options.customers ?? DEFAULT_CUSTOMERS).map((c) => [c.phone, c])),
    users: options.users ?? DEFAULT_USERS,
    cases: new Map(),
    casesById: new Map(),
    archived: new ArchivedCases({ idOf: caseIdOf, seqOf: caseSeqOf }),
    maxCases: options.maxCases ?? Infinity,
    stats: {
      apiCalls: 0,
      tokenRequests: 0,
      disconnectRequests: 0,
      recordsReceived: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      stale: 0,
      rejected: 0,
      eventsPublished: 0,
      faultsInjected: 0,
      casesArchived: 0
    },
    nextCase: () => {
      caseSeq++;
      return {
        id: caseIdOf(caseSeq),
        caseNumber: String(1000 + caseSeq).padStart(8, '0')
      };
    },
    nextTaskId: () => `00T${String(++taskSeq).padStart(12, '0')}AAA`
  };
}

/** The emulator's Case Id for a Case sequence number (a Salesforce-like 18-character Id), and back. */
export function caseIdOf(seq: number): string {
  return `500${String(seq).padStart(12, '0')}AAA`;
}

export function caseSeqOf(id: string): number {
  return Number(id.slice(3, 15));
}

/** Connect_Disconnected_At__c, else CreatedDate, as the worklist reports it. */
export function droppedAt(c: EmulatedCase): string {
  return new Date(c.record.disconnectedAt ?? c.createdAt).toISOString();
}

/** Still waiting for a callback (not closed; New or Attempted). */
export function isOpen(c: EmulatedCase): boolean {
  return !c.isClosed && (c.status === 'New' || c.status === 'Attempted');
}

/** A claim counts until Claimed_Until__c; an expired claim is no claim. */
export function activeClaim(c: EmulatedCase, now: Date): EmulatedCase['claimedBy'] {
  return c.claimedBy && c.claimedUntil && Date.parse(c.claimedUntil) > now.getTime() ? c.claimedBy : null;
}

/** Due_By__c: the drop time plus the settings' minutes for the category. */
export function dueByFor(settings: CallbackSettings, category: string | null, dropped: string): string {
  const minutes = settings.dueMinutes[category ?? ''] ?? settings.dueMinutes.other ?? 120;
  return new Date(Date.parse(dropped) + minutes * 60_000).toISOString();
}

/** Iso-8601 with milliseconds, or null. */
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
