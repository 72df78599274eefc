/**
 * Shared types of the relay pipeline: decode → classify → chunk → deliver → report.
 * The wire types (DisconnectRecord, DisconnectResult…) mirror the relay ↔ Apex contract whose examples live in
 * force-app/main/default/staticresources/ConnectDisconnectContract.json.
 */

/** Categories of forwarded contacts: what an agent calling back needs to know happened. */
export type DropCategory = 'ABANDONED_IN_QUEUE' | 'DROPPED_IN_IVR';

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
  forward: boolean;
  category: DropCategory | SkipCategory;
  /** One sentence a supervisor understands, e.g. "abandoned after 251 s in queue BasicQueue". */
  reason: string;
}

/** One record of the contract's request body. */
export interface DisconnectRecord {
  contactId: string;
  lastUpdated: string;
  initiatedAt: string | null;
  disconnectedAt: string | null;
  channel: string | null;
  initiationMethod: string | null;
  disconnectReason: string | null;
  category: DropCategory;
  customerPhone: string | null;
  queueName: string | null;
  queueWaitSeconds: number | null;
  previousContactId: string | null;
  instanceArn: string | null;
  attributes: Record<string, string>;
}

export interface DisconnectRequest {
  records: DisconnectRecord[];
}

export type DisconnectOutcome = 'created' | 'updated' | 'unchanged' | 'stale' | 'rejected';

export interface RecordError {
  code: string;
  message: string;
  retryable: boolean;
}

export interface DisconnectResult {
  contactId: string;
  outcome: DisconnectOutcome;
  caseId?: string;
  error?: RecordError;
}

export interface DisconnectResponse {
  results: DisconnectResult[];
}

/** Body of a 400 response. */
export interface ContractErrorBody {
  error: { code: string; message: string };
}
