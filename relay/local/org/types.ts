/** The org emulator's data shapes: settings, customers, Cases, rows and events as the org and the LWC see them. */
import type { DisconnectRecord } from '../../src/types';
import type { FaultSpec } from './faults';

export interface CallbackSettings {
  recentWindowHours: number;
  maxAttempts: number;
  closeCaseWhenReached: boolean;
}

export interface EmulatedCustomer {
  contactId: string;
  accountId: string;
  name: string;
  phone: string;
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

/** CallbackWorklistController.CallbackRow as the LWC receives it. */
export interface CallbackRow {
  caseId: string;
  caseNumber: string;
  connectContactId: string;
  customerContactId: string | null;
  customerAccountId: string | null;
  customerName: string | null;
  phone: string | null;
  maskedPhone: string | null;
  callerKey: string;
  category: string | null;
  disconnectReason: string | null;
  channel: string | null;
  queueName: string | null;
  queueWaitSeconds: number | null;
  droppedAt: string | null;
  attempts: number;
  status: string;
  summary: string;
  lastCallbackAt: string | null;
}

export interface EmulatedTask {
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
  status: 'New' | 'Attempted' | 'Reached' | 'Unreachable' | 'Not needed';
  isClosed: boolean;
  attempts: number;
  lastCallbackAt: string | null;
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
}

export interface OrgEmulatorOptions {
  /** 0 (default) = any free port. The host is always 127.0.0.1. */
  port?: number;
  /** Connected app consumer key expected as JWT iss / client_id. */
  clientId?: string;
  /** Integration user expected as JWT sub. */
  username?: string;
  /** PEM public key or X.509 certificate that verifies JWT bearer assertions. */
  jwtPublicKey?: string;
  /** Client secret for the client credentials flow (unset = flow disabled). */
  clientSecret?: string;
  settings?: Partial<CallbackSettings>;
  customers?: EmulatedCustomer[];
  now?: () => Date;
  /** Extra GET routes (the console preview page and bundle). */
  staticRoutes?: Record<string, { contentType: string; body: string | Buffer }>;
}

export interface OrgEmulator {
  readonly url: string;
  readonly port: number;
  readonly stats: OrgEmulatorStats;
  /** Cases by lower-case Connect contactId (the upsert key is case-insensitive). */
  readonly cases: Map<string, EmulatedCase>;
  stop(): Promise<void>;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Store records as if earlier requests had created them (the contract examples' `given`). */
  seed(records: DisconnectRecord[]): void;
  subscribe(listener: (event: DisconnectedCallEvent) => void): () => void;
  getOpenCallbacks(
    windowHours?: number | null,
    channel?: string | null,
    category?: string | null
  ): CallbackRow[];
  logCallbackOutcome(caseId: string, outcome: string, note?: string | null): CallbackRow;
  setStaticRoute(path: string, contentType: string, body: string | Buffer): void;
}
