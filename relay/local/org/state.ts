/** The emulated org's data: settings, customers, Cases (by Connect contactId and by Id), counters. */
import { DEFAULT_CUSTOMERS } from './customers';
import type {
  CallbackSettings,
  EmulatedCase,
  EmulatedCustomer,
  OrgEmulatorOptions,
  OrgEmulatorStats
} from './types';

export interface OrgState {
  readonly settings: CallbackSettings;
  readonly now: () => Date;
  readonly customersByPhone: Map<string, EmulatedCustomer>;
  /** Cases by lower-case Connect contactId (the upsert key is case-insensitive). */
  readonly cases: Map<string, EmulatedCase>;
  readonly casesById: Map<string, EmulatedCase>;
  readonly stats: OrgEmulatorStats;
  /** Next Case Id and CaseNumber. */
  nextCase(): { id: string; caseNumber: string };
}

export function createState(options: OrgEmulatorOptions): OrgState {
  let caseSeq = 0;
  return {
    settings: {
      recentWindowHours: 24,
      maxAttempts: 3,
      closeCaseWhenReached: true,
      ...options.settings
    },
    now: options.now ?? (() => new Date()),
    customersByPhone: new Map((options.customers ?? DEFAULT_CUSTOMERS).map((c) => [c.phone, c])),
    cases: new Map(),
    casesById: new Map(),
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
      faultsInjected: 0
    },
    nextCase: () => {
      caseSeq++;
      return {
        id: `500${String(caseSeq).padStart(12, '0')}AAA`,
        caseNumber: String(1000 + caseSeq).padStart(8, '0')
      };
    }
  };
}

/** Connect_Disconnected_At__c, else CreatedDate, as the worklist controller reports it. */
export function droppedAt(c: EmulatedCase): string {
  return new Date(c.record.disconnectedAt ?? c.createdAt).toISOString();
}
