// Shapes of the callback lifecycle Apex (CallbackLifecycleController, issue 10; see coord lifecycle-api.md and
// ConnectDisconnectContract.json section lifecycle), as the worklist receives them. Apex leaves nulls out of JSON,
// so optional fields may be missing. Global on purpose, like callbackWorklist.d.ts.

type CallerState = 'ELIGIBLE' | 'CLAIMED' | 'WAITING' | 'NOT_CALLABLE';

/** One open drop (callback Case) of a caller. */
interface LifecycleDrop {
  caseId: string;
  caseNumber?: string | null;
  connectContactId?: string | null;
  category?: string | null;
  disconnectReason?: string | null;
  channel?: string | null;
  queueName?: string | null;
  queueWaitSeconds?: number | null;
  /** ISO-8601. */
  droppedAt?: string | null;
  summary?: string | null;
  status?: string | null;
  attempts?: number | null;
  dueBy?: string | null;
}

/** One caller and their open drops (CallbackLifecycleModel.CallerGroup). */
interface LifecycleCaller {
  callerKey: string;
  state?: CallerState | null;
  customerName?: string | null;
  customerContactId?: string | null;
  customerAccountId?: string | null;
  /** Full E.164 number; only for click-to-dial, never shown as text or logged. */
  phone?: string | null;
  maskedPhone?: string | null;
  phoneSource?: string | null;
  callable?: boolean | null;
  notCallableReason?: string | null;
  /** Newest first. */
  drops?: LifecycleDrop[] | null;
  dropCount?: number | null;
  oldestDropAt?: string | null;
  attempts?: number | null;
  lastAttemptAt?: string | null;
  nextAttemptAt?: string | null;
  dueBy?: string | null;
  overdue?: boolean | null;
  claimedById?: string | null;
  claimedByName?: string | null;
  claimedUntil?: string | null;
  claimedByMe?: boolean | null;
  /** Client only: built from a Platform Event, waiting for the server's copy. */
  provisional?: boolean;
}

interface WorklistTotals {
  callers: number;
  drops: number;
  eligible: number;
  claimed: number;
  waiting: number;
  notCallable?: number;
  overdue: number;
}

interface WorklistPage {
  callers: LifecycleCaller[];
  totals: WorklistTotals;
  nextCursor?: string | null;
  serverTime?: string | null;
  oldestDropAt?: string | null;
}

/** getWorklist's requestJson, before JSON.stringify. */
interface WorklistRequest {
  pageSize: number;
  cursor: string | null;
  channel: string | null;
  category: string | null;
  windowHours: number | null;
  includeWaiting: boolean;
}

interface ClaimResult {
  callerKey: string;
  caseIds?: string[];
  claimedById?: string | null;
  claimedByName?: string | null;
  claimedUntil?: string | null;
  /** The caller as it stands after the claim or release. */
  caller?: LifecycleCaller | null;
}

interface OutcomeResult {
  callerKey: string;
  caseIds?: string[];
  disposition: string;
  closed: boolean;
  closedAs?: string | null;
  status?: string | null;
  attempts?: number | null;
  nextAttemptAt?: string | null;
  taskId?: string | null;
  duplicate?: boolean;
}

/** An outcome agents can log (Callback_Disposition__mdt, agent-selectable ones). */
interface DispositionOption {
  code: string;
  label: string;
  closesCase?: boolean;
  countsAsReached?: boolean;
  countsAsAttempt?: boolean;
  retryDelayMinutes?: number | null;
  asksForTime?: boolean;
}

/** logCallerOutcome's requestJson, before JSON.stringify. */
interface OutcomeRequest {
  callerKey: string;
  disposition: string;
  note: string | null;
  callbackAt: string | null;
  clientRequestId: string;
}

/** Fields of the Callback_Change__e Platform Event. */
interface CallbackChangePayload {
  Change_Type__c?: 'CLAIMED' | 'RELEASED' | 'OUTCOME' | 'AUTO_CLOSED' | string | null;
  Caller_Key__c?: string | null;
  Case_Ids__c?: string | null;
  Claimed_By_Id__c?: string | null;
  Claimed_By_Name__c?: string | null;
  Claimed_Until__c?: string | null;
  Disposition__c?: string | null;
  Closed__c?: boolean | null;
  Next_Attempt_At__c?: string | null;
}

/** A row as the worklist template renders it (lifecycle version). */
interface CallerViewRow {
  key: string;
  name: string;
  contactId: string | null;
  contactUrl: string | null;
  maskedPhone: string;
  phone: string | null;
  dialLabel: string;
  dialRecordId: string;
  droppedIso: string;
  whenLabel: string;
  reasonText: string;
  channel: string;
  attempts: number;
  attemptsText: string;
  dropCount: number;
  isRepeat: boolean;
  dropCountLabel: string;
  statusText: string;
  statusClass: string;
  dueText: string;
  dueClass: string;
  canCall: boolean;
  /** The Log button takes row focus when there is no Call button. */
  logFocus: string | null;
  callLabel: string;
  /** A call or release of this caller is waiting for the server: its Call and Release buttons wait too. */
  busy: boolean;
  isMine: boolean;
  onCall: boolean;
  canLog: boolean;
  canRelease: boolean;
  releaseLabel: string;
  rowClass: string;
  itemClass: string;
  logLabel: string;
  actionsLabel: string;
  actions: WorklistMenuAction[];
}

/** What the outcome dialog shows about the caller's drops. */
interface OutcomeDetail {
  label: string;
  value: string;
}

interface LifecycleDialogState {
  key: string;
  callerLabel: string;
  caseCount: number;
  details: OutcomeDetail[];
  /** Reused when a failed save is retried, so the server applies the outcome once. */
  clientRequestId: string;
}

/** Detail of the outcome dialog's `save` event (lifecycle version). */
interface DispositionSaveDetail {
  disposition: string;
  note: string | null;
  callbackAt: string | null;
}

interface SupervisorTile {
  key: string;
  label: string;
  value: string;
  tileClass: string;
}

interface SupervisorClaim {
  key: string;
  text: string;
}
