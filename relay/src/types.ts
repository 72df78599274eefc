/**
 * Shared types of the relay pipeline: decode → classify → chunk → deliver → report.
 * The wire types (DisconnectRecord, DisconnectResult…) mirror the relay ↔ Apex contract whose examples live in
 * force-app/main/default/staticresources/ConnectDisconnectContract.json.
 */

/** Categories of forwarded drops: what an agent calling back needs to know happened. */
export type DropCategory =
  | 'ABANDONED_IN_QUEUE'
  | 'DROPPED_IN_IVR'
  /** Reached an agent, then the call dropped on TELECOM_PROBLEM (policy forwardAgentDroppedTelecom). */
  | 'AGENT_DROPPED_TELECOM'
  /** A Connect queued callback an agent took that never reached the customer (policy forwardCallbackNotConnected). */
  | 'CALLBACK_NOT_CONNECTED';

/** Wire categories of "resolve" records: how the customer got through. */
export type ResolveCategory = 'AGENT_HANDLED' | 'SELF_SERVICE';

/** What a record asks Salesforce to do: open/refresh a callback Case, or close the caller's older ones. */
export type RecordAction = 'callback' | 'resolve';

/** Where customerPhone came from: entered in the flow (policy callbackNumberAttribute) or the caller ID. */
export type PhoneSource = 'ENTERED' | 'CALLER_ID';

/** Categories of contacts that are not forwarded, one per policy rule. */
export type SkipCategory =
  | 'INVALID'
  | 'CHANNEL_EXCLUDED'
  | 'NOT_CUSTOMER_INITIATED'
  | 'CALLBACK_OPT_OUT'
  | 'TRANSFERRED'
  | 'HANDLED_BY_AGENT'
  | 'SELF_SERVICE_RESOLVED'
  | 'SHORT_ABANDON';

export interface Classification {
  contactId: string;
  /** A callback is needed (action "callback"). */
  forward: boolean;
  /** What the record does: callback (a drop), resolve (the customer got through), skip (nothing is sent). */
  action: RecordAction | 'skip';
  category: DropCategory | SkipCategory;
  /** One sentence a supervisor understands, e.g. "abandoned after 251 s in queue BasicQueue". */
  reason: string;
}

/** One record of the contract's request body. */
export interface DisconnectRecord {
  contactId: string;
  /** "callback" (also when absent) or "resolve". */
  action: RecordAction;
  lastUpdated: string;
  initiatedAt: string | null;
  disconnectedAt: string | null;
  channel: string | null;
  initiationMethod: string | null;
  disconnectReason: string | null;
  category: DropCategory | ResolveCategory;
  customerPhone: string | null;
  /** Null when there is no number (withheld caller ID, chats): the Case is marked as having none. */
  phoneSource: PhoneSource | null;
  queueName: string | null;
  queueWaitSeconds: number | null;
  previousContactId: string | null;
  instanceArn: string | null;
  attributes: Record<string, string>;
}

export interface DisconnectRequest {
  records: DisconnectRecord[];
}

export type DisconnectOutcome =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'stale'
  | 'rejected'
  /** resolve records: the caller's older open callback Cases were closed (closedCaseIds)… */
  | 'resolved'
  /** …or there were none. */
  | 'nothing-to-resolve';

export interface RecordError {
  code: string;
  message: string;
  retryable: boolean;
}

export interface DisconnectResult {
  contactId: string;
  outcome: DisconnectOutcome;
  caseId?: string;
  /** "resolved" only: the Cases closed as CUSTOMER_GOT_THROUGH. */
  closedCaseIds?: string[];
  error?: RecordError;
}

export interface DisconnectResponse {
  results: DisconnectResult[];
}

/** Body of a 400 response. */
export interface ContractErrorBody {
  error: { code: string; message: string };
}
