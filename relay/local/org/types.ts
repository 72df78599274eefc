/** The org emulator's data shapes: settings, customers, Cases, rows and events as the org and the LWC see them. */
import type { DisconnectRecord } from '../../src/types';
import type { FaultSpec } from './faults';

export interface CallbackSettings {
  recentWindowHours: number;
  maxAttempts: number;
  /** Claimed_Until__c = now + this. */
  claimTimeoutMinutes: number;
  /** Due_By__c = drop time + minutes for its category ("other" for the rest). */
  dueMinutes: Record<string, number>;
}

export interface EmulatedCustomer {
  contactId: string;
  accountId: string;
  name: string;
  phone: string;
  /** Contact.DoNotCall: the Case is shown but not callable. */
  doNotCall?: boolean;
}

/** A user of the emulated org (agents calling back, a user without the app's permission set). */
export interface EmulatedUser {
  id: string;
  name: string;
  /** Holds the Callback_Agent permission set (may use the worklist Apex). */
  callbackAgent: boolean;
}

export type CallbackStatus =
  'New' | 'Attempted' | 'Reached' | 'Unreachable' | 'Not needed' | 'Customer got through';

export type PhoneSourceValue = 'ENTERED' | 'CALLER_ID' | 'NONE';

/** Callback_Change__e payload, field names as in the org (Case_Ids__c is a comma list, newest drop first). */
export interface CallbackChangeEvent {
  Change_Type__c: 'CLAIMED' | 'RELEASED' | 'OUTCOME' | 'AUTO_CLOSED';
  Caller_Key__c: string;
  Case_Ids__c: string;
  Claimed_By_Id__c: string | null;
  Claimed_By_Name__c: string | null;
  Claimed_Until__c: string | null;
  Disposition__c: string | null;
  Closed__c: boolean;
  Next_Attempt_At__c: string | null;
  /** Who made the change (the integration user for AUTO_CLOSED). */
  Changed_By_Id__c: string | null;
  CreatedDate: string;
}

/** Disconnected_Call__e payload, field names as in the org. */
export interface DisconnectedCallEvent {
  Case_Id__c: string;
  Connect_Contact_Id__c: string;
  Customer_Contact_Id__c: string | null;
  Customer_Account_Id__c: string | null;
  Customer_Name__c: string | null;
  Masked_Phone__c: string | null;
  Caller_Key__c: string;
  Category__c: string | null;
  Disconnect_Reason__c: string | null;
  Channel__c: string | null;
  Queue_Name__c: string | null;
  Queue_Wait_Seconds__c: number | null;
  Dropped_At__c: string | null;
  Summary__c: string;
  CreatedDate: string;
}

export interface EmulatedTask {
  id: string;
  disposition: string | null;
  clientRequestId: string | null;
  subject: string;
  description: string | null;
  whatId: string;
  whoId: string | null;
  status: 'Completed';
  createdAt: string;
}

export interface EmulatedCase {
  id: string;
  caseNumber: string;
  record: DisconnectRecord;
  status: CallbackStatus;
  isClosed: boolean;
  attempts: number;
  lastCallbackAt: string | null;
  phoneSource: PhoneSourceValue;
  doNotCall: boolean;
  dueBy: string | null;
  claimedBy: EmulatedUser | null;
  claimedUntil: string | null;
  nextAttemptAt: string | null;
  firstAttemptAt: string | null;
  closedAt: string | null;
  /** Callback_Outcome__c: the disposition that closed it. */
  callbackOutcome: string | null;
  lastDisposition: string | null;
  resolvedByContactId: string | null;
  customer: EmulatedCustomer | null;
  callerKey: string;
  summary: string;
  tasks: EmulatedTask[];
  createdAt: string;
}

export interface OrgEmulatorStats {
  /** Every request served under /services (token + REST API). */
  apiCalls: number;
  tokenRequests: number;
  disconnectRequests: number;
  recordsReceived: number;
  created: number;
  updated: number;
  unchanged: number;
  stale: number;
  rejected: number;
  eventsPublished: number;
  faultsInjected: number;
  /** Cases archived (kept as contact id, Case Id and version only) because maxCases was reached. */
  casesArchived: number;
}

export interface OrgEmulatorOptions {
  /** 0 (default) = any free port. The host is always 127.0.0.1. */
  port?: number;
  /** Connected app consumer key expected as JWT iss / client_id. */
  clientId?: string;
  /** Integration user expected as JWT sub. */
  username?: string;
  /**
   * PEM public key(s) or X.509 certificate(s) that verify JWT bearer assertions; several = an app with two
   * certificates during a key rotation.
   */
  jwtPublicKey?: string | string[];
  /** Client secret for the client credentials flow (unset = flow disabled). */
  clientSecret?: string;
  settings?: Partial<CallbackSettings>;
  customers?: EmulatedCustomer[];
  /** Users by actor name; default DEFAULT_USERS. The Apex bridge acts as the X-Emulator-User header's actor. */
  users?: Record<string, EmulatedUser>;
  now?: () => Date;
  /**
   * Keep at most this many Cases in full (default: no limit); older ones are archived, oldest first, as their
   * contact id, Case Id and version only, so a long local session stays flat in memory. An archived Case still
   * answers a re-sent CTR (newer: updated; same: unchanged; older: stale) and counts in the end-state check, but
   * is no longer listed, claimed or closed by a resolve.
   */
  maxCases?: number;
  /** Extra GET routes (the console preview page and bundle). */
  staticRoutes?: Record<string, { contentType: string; body: string | Buffer }>;
}

/** What an archived Case keeps: enough to answer a re-sent CTR and to check the end state. */
export interface ArchivedCase {
  id: string;
  lastUpdated: string;
}

export interface OrgEmulator {
  readonly url: string;
  readonly port: number;
  readonly stats: OrgEmulatorStats;
  /** Cases by lower-case Connect contactId (the upsert key is case-insensitive). */
  readonly cases: Map<string, EmulatedCase>;
  /** Cases beyond maxCases, by lower-case Connect contactId: Case Id and the version stored. */
  readonly archived: ReadonlyMap<string, ArchivedCase>;
  stop(): Promise<void>;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Store records as if earlier requests had created them (the contract examples' `given`). */
  seed(records: DisconnectRecord[]): void;
  subscribe(listener: (event: DisconnectedCallEvent) => void): () => void;
  readonly users: Record<string, EmulatedUser>;
  /**
   * Calls a worklist Apex method (CallbackLifecycleController) as `actor`, with the parameters the LWC passes;
   * throws AuraError (message = JSON {code, message}) as the platform would.
   */
  callApex(actor: string, method: string, params: Record<string, unknown>): unknown;
  /** Callback_Change__e as published (after commit). */
  subscribeChanges(listener: (event: CallbackChangeEvent) => void): () => void;
  /** Adds a customer Contact the intake can match by phone. */
  addCustomer(customer: EmulatedCustomer): void;
  /** Stores a Case from an intake record, then sets its lifecycle state (the contract's `given.cases`). */
  seedCase(record: unknown, state: Partial<EmulatedCase>): EmulatedCase;
  setStaticRoute(path: string, contentType: string, body: string | Buffer): void;
  /** Replaces the app's certificates (key rotation: add the new one, later remove the old one). */
  setJwtCertificates(pems: string[]): void;
  /** Ends every session, as an expired or revoked token: the next API call answers 401. */
  revokeTokens(): void;
}
