// Data shapes shared by the callback worklist components, declared globally on purpose:
// the LWC ESLint config parses TypeScript with @babel/eslint-parser, whose scope analysis reports
// `interface`/`type` declarations and type-only imports in component files as undefined/unused.
// Declarations here (a .d.ts, which ESLint skips) keep the component sources lint-clean.

/** One open callback Case, as CallbackWorklistController.CallbackRow serialises it. */
interface CallbackRow {
  // Apex leaves null properties out of the JSON, so every field but the id may be missing.
  caseId: string;
  caseNumber?: string | null;
  connectContactId?: string | null;
  customerContactId?: string | null;
  customerAccountId?: string | null;
  customerName?: string | null;
  /** Full E.164 number; only for click-to-dial, never shown as text or logged. */
  phone?: string | null;
  maskedPhone?: string | null;
  callerKey?: string | null;
  category?: string | null;
  disconnectReason?: string | null;
  channel?: string | null;
  queueName?: string | null;
  queueWaitSeconds?: number | null;
  /** ISO-8601 date-time. */
  droppedAt?: string | null;
  attempts?: number | null;
  status?: string | null;
  summary?: string | null;
  lastCallbackAt?: string | null;
}

/** Parameters of getOpenCallbacks; null or blank means "no filter". */
interface GetOpenCallbacksParams {
  windowHours: number | null;
  channel: string | null;
  category: string | null;
}

/** What an Apex @wire delivers: data or error. */
interface WiredCallbacks {
  data?: CallbackRow[];
  error?: unknown;
}

type CallbackOutcome = 'REACHED' | 'NO_ANSWER' | 'WRONG_NUMBER' | 'NOT_NEEDED';

interface LogCallbackOutcomeParams {
  caseId: string;
  outcome: CallbackOutcome;
  note: string | null;
}

/** Fields of the Disconnected_Call__e Platform Event, as empApi delivers them. */
interface DisconnectedCallPayload {
  Case_Id__c?: string | null;
  Connect_Contact_Id__c?: string | null;
  Customer_Contact_Id__c?: string | null;
  Customer_Account_Id__c?: string | null;
  Customer_Name__c?: string | null;
  Masked_Phone__c?: string | null;
  Caller_Key__c?: string | null;
  Category__c?: string | null;
  Disconnect_Reason__c?: string | null;
  Channel__c?: string | null;
  Queue_Name__c?: string | null;
  Queue_Wait_Seconds__c?: number | null;
  Dropped_At__c?: string | null;
  Summary__c?: string | null;
}

interface WorklistCaseRef {
  caseId: string;
  caseNumber: string | null;
  droppedAtMs: number | null;
}

/** One caller: all their open drops folded into one worklist entry. */
interface CallerGroup {
  key: string;
  customerName: string | null;
  customerContactId: string | null;
  phone: string | null;
  maskedPhone: string | null;
  channel: string | null;
  /** Oldest open drop: how long this caller has been waiting. */
  firstDroppedAtMs: number | null;
  firstDroppedAtIso: string | null;
  /** Most recent drop: what happened last time. */
  latest: CallbackRow;
  dropCount: number;
  attempts: number;
  /** Newest first. */
  cases: WorklistCaseRef[];
}

type WorklistSortField = 'customer' | 'droppedAt' | 'channel' | 'attempts' | 'drops';
type WorklistSortDirection = 'asc' | 'desc';

interface WorklistFilters {
  windowHours: number | null;
  channel: string;
  category: string;
}

interface WorklistMenuAction {
  value: string;
  label: string;
}

/** A row as the worklist template renders it. */
interface WorklistViewRow {
  key: string;
  name: string;
  contactId: string | null;
  contactUrl: string | null;
  maskedPhone: string;
  phone: string | null;
  dialLabel: string;
  dialRecordId: string;
  droppedIso: string;
  whenText: string;
  whenLabel: string;
  reasonText: string;
  channel: string;
  attempts: number;
  dropCount: number;
  isRepeat: boolean;
  dropCountLabel: string;
  rowClass: string;
  /** Class of the compact-list item. */
  itemClass: string;
  /** Arrived live and not looked at yet (counted in "N new"). */
  isUnseen: boolean;
  logLabel: string;
  actionsLabel: string;
  actions: WorklistMenuAction[];
}

interface WorklistColumn {
  field: WorklistSortField;
  label: string;
  ariaSort: string;
  isSorted: boolean;
  sortIcon: string;
  sortHint: string;
}

interface WorklistDialogState {
  key: string;
  callerLabel: string;
  caseIds: string[];
}

interface WorklistOption {
  label: string;
  value: string;
}

/** Detail of the outcome dialog's `save` event. */
interface OutcomeSaveDetail {
  outcome: CallbackOutcome;
  note: string | null;
}
