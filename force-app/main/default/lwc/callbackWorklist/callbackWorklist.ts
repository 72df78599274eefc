// Live worklist of dropped / abandoned callers for Service Console agents.
// Data: CallbackWorklistController.getOpenCallbacks (@wire, filters are reactive parameters).
// Live: Disconnected_Call__e via empApi; an event shows its row at once, then refreshApex reconciles.
// Types (CallbackRow, CallerGroup, …) are global: see types/lwc/callbackWorklist.d.ts (repository root).
import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getOpenCallbacks from '@salesforce/apex/CallbackWorklistController.getOpenCallbacks';
import logCallbackOutcome from '@salesforce/apex/CallbackWorklistController.logCallbackOutcome';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import { IsConsoleNavigation, openTab } from 'lightning/platformWorkspaceApi';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import {
  channelLabel,
  describeDrop,
  displayName,
  errorClause,
  errorMessage,
  groupByCaller,
  matchesFilters,
  relativeTime,
  rowFromEvent,
  sortGroups
} from './worklistModel';

export const EVENT_CHANNEL = '/event/Disconnected_Call__e';
/** Relative times ("12 min ago") are recomputed this often. */
export const TICK_MS = 30000;
/** How long a row that arrived live stays highlighted. */
export const HIGHLIGHT_MS = 8000;

const WINDOW_OPTIONS: WorklistOption[] = [
  { label: 'Last hour', value: '1' },
  { label: 'Last 4 hours', value: '4' },
  { label: 'Last 24 hours', value: '24' },
  { label: 'Last 7 days', value: '168' }
];
const CHANNEL_OPTIONS: WorklistOption[] = [
  { label: 'All channels', value: '' },
  { label: 'Voice', value: 'VOICE' },
  { label: 'Chat', value: 'CHAT' }
];
const CATEGORY_OPTIONS: WorklistOption[] = [
  { label: 'All drops', value: '' },
  { label: 'Abandoned in queue', value: 'ABANDONED_IN_QUEUE' },
  { label: 'Dropped in IVR', value: 'DROPPED_IN_IVR' }
];
const OUTCOME_LABELS: Record<string, string> = {
  REACHED: 'Reached',
  NO_ANSWER: 'No answer',
  WRONG_NUMBER: 'Wrong number',
  NOT_NEEDED: 'Not needed'
};
const COLUMNS: Array<{ field: WorklistSortField; label: string }> = [
  { field: 'customer', label: 'Customer' },
  { field: 'droppedAt', label: 'Dropped' },
  { field: 'channel', label: 'Channel' },
  { field: 'attempts', label: 'Attempts' },
  { field: 'drops', label: 'Drops' }
];
const DEFAULT_WINDOW_HOURS = 24;

function normaliseWindow(value: unknown): number {
  const hours = Number(value);
  const allowed = WINDOW_OPTIONS.map((option) => Number(option.value));
  if (!Number.isFinite(hours) || hours <= 0) {
    return DEFAULT_WINDOW_HOURS;
  }
  // An admin may type any number in the builder; use the smallest offered window that covers it.
  return allowed.find((option) => option >= hours) ?? allowed[allowed.length - 1] ?? DEFAULT_WINDOW_HOURS;
}

export default class CallbackWorklist extends NavigationMixin(LightningElement) {
  /** Design property: initial time window in hours (1, 4, 24 or 168). */
  @api defaultWindowHours: string | number = String(DEFAULT_WINDOW_HOURS);
  /** Design property: start with live updates off (e.g. to save event deliveries on busy pages). */
  @api startPaused = false;
  /** Design property: heading shown above the list. */
  @api cardTitle = 'Callbacks to make';
  /** Set on record pages; the worklist does not filter by it. */
  @api recordId?: string;

  // Wire parameters: blank = no filter (the controller's contract).
  windowHours: number | null = null;
  channel = '';
  category = '';

  sortField: WorklistSortField = 'droppedAt';
  sortDirection: WorklistSortDirection = 'asc';

  liveEnabled = true;
  liveStatus = '';
  announcement = '';
  nowMs = Date.now();
  dialog: WorklistDialogState | null = null;
  dialogBusy = false;
  dialogError = '';

  private wiredResult?: WiredCallbacks;
  private serverRows: CallbackRow[] = [];
  private liveRows: Map<string, CallbackRow> = new Map();
  private highlighted: Set<string> = new Set();
  private highlightTimers: Map<string, number> = new Map();
  private subscription: EmpSubscription | null = null;
  /** Bumped on every start/stop so a subscribe that resolves late can tell it is no longer wanted. */
  private liveGeneration = 0;
  private errorHandlerRegistered = false;
  private tickTimer?: number;
  private inConsole = false;
  private initialised = false;
  private pendingFocusKey: string | null = null;

  @wire(IsConsoleNavigation)
  wiredConsole(value: boolean | undefined): void {
    this.inConsole = value === true;
  }

  @wire(getOpenCallbacks, { windowHours: '$windowHours', channel: '$channel', category: '$category' })
  wiredCallbacks(result: WiredCallbacks): void {
    this.wiredResult = result;
    if (result.data) {
      this.serverRows = result.data;
      // Live rows the server now returns are no longer needed as placeholders.
      const remaining = new Map(this.liveRows);
      for (const row of result.data) {
        remaining.delete(row.caseId);
      }
      this.liveRows = remaining;
    }
  }

  connectedCallback(): void {
    if (!this.initialised) {
      this.windowHours = normaliseWindow(this.defaultWindowHours);
      this.liveEnabled = !this.startPaused;
      this.initialised = true;
    }
    this.nowMs = Date.now();
    // Relative times must keep moving while the list sits open in the utility bar.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.tickTimer = window.setInterval(() => {
      this.nowMs = Date.now();
    }, TICK_MS);
    if (this.liveEnabled) {
      this.startLive();
    }
  }

  disconnectedCallback(): void {
    window.clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    for (const timer of this.highlightTimers.values()) {
      window.clearTimeout(timer);
    }
    this.highlightTimers.clear();
    this.highlighted.clear();
    this.stopLive();
  }

  renderedCallback(): void {
    // After the dialog closes, give focus back to the actions menu that opened it.
    if (this.pendingFocusKey && !this.dialog) {
      const menu = this.template?.querySelector<HTMLElement>(
        `lightning-button-menu[data-key="${this.pendingFocusKey}"]`
      );
      this.pendingFocusKey = null;
      menu?.focus();
    }
  }

  // ---- View state -------------------------------------------------------------------------------

  get isLoading(): boolean {
    return !this.wiredResult || (!this.wiredResult.data && !this.wiredResult.error);
  }

  get loadError(): string {
    const error = this.wiredResult?.error;
    return error
      ? `Couldn't load callbacks: ${errorClause(error)}. Check your permission set Callback_Agent or reload.`
      : '';
  }

  get groups(): CallerGroup[] {
    const filters = { windowHours: this.windowHours, channel: this.channel, category: this.category };
    const live = [...this.liveRows.values()].filter((row) => matchesFilters(row, filters, this.nowMs));
    return sortGroups(groupByCaller([...this.serverRows, ...live]), this.sortField, this.sortDirection);
  }

  get rows(): WorklistViewRow[] {
    return this.groups.map((group) => this.toViewRow(group));
  }

  get hasRows(): boolean {
    return !this.loadError && this.rows.length > 0;
  }

  get isEmpty(): boolean {
    return !this.isLoading && !this.loadError && this.rows.length === 0;
  }

  get emptyText(): string {
    const window = WINDOW_OPTIONS.find((option) => Number(option.value) === this.windowHours);
    const span = window ? window.label.toLowerCase() : 'the selected time window';
    const filtered = this.channel || this.category;
    return filtered
      ? `No open callbacks match these filters in the ${span}. Try "All channels" and "All drops" or a longer time window.`
      : `No open callbacks in the ${span}. New drops appear here on their own while live updates are on.`;
  }

  get countText(): string {
    if (this.isLoading || this.loadError) {
      return '';
    }
    const callers = this.rows.length;
    const drops = this.rows.reduce((sum, row) => sum + row.dropCount, 0);
    const callerText = callers === 1 ? '1 caller' : `${callers} callers`;
    return drops === callers ? callerText : `${callerText}, ${drops} drops`;
  }

  get columns(): WorklistColumn[] {
    return COLUMNS.map((column) => {
      const isSorted = column.field === this.sortField;
      const ascending = this.sortDirection === 'asc';
      return {
        ...column,
        isSorted,
        ariaSort: isSorted ? (ascending ? 'ascending' : 'descending') : 'none',
        sortIcon: ascending ? 'utility:arrowup' : 'utility:arrowdown',
        sortHint: isSorted
          ? `Sorted ${ascending ? 'ascending' : 'descending'}. Activate to reverse.`
          : 'Activate to sort.'
      };
    });
  }

  get windowValue(): string {
    return String(this.windowHours ?? DEFAULT_WINDOW_HOURS);
  }

  get windowOptions(): WorklistOption[] {
    return WINDOW_OPTIONS;
  }

  get channelOptions(): WorklistOption[] {
    return CHANNEL_OPTIONS;
  }

  get categoryOptions(): WorklistOption[] {
    return CATEGORY_OPTIONS;
  }

  get liveHelp(): string {
    return (
      'Shows new drops as they happen. Every open worklist with live updates on is a streaming ' +
      "subscriber and uses part of your org's daily event delivery allowance; turn it off when you don't need it."
    );
  }

  get dialogCaseCount(): number {
    return this.dialog ? this.dialog.caseIds.length : 0;
  }

  private toViewRow(group: CallerGroup): WorklistViewRow {
    const name = displayName(group);
    const latestCase = group.cases[0];
    const actions: WorklistMenuAction[] = [{ value: 'log', label: 'Log outcome' }];
    for (const ref of group.cases) {
      actions.push({
        value: `open:${ref.caseId}`,
        label: ref.caseNumber ? `Open case ${ref.caseNumber}` : 'Open case'
      });
    }
    const whenText = relativeTime(group.firstDroppedAtMs, this.nowMs);
    return {
      key: group.key,
      name,
      contactId: group.customerContactId,
      contactUrl: group.customerContactId ? `/lightning/r/Contact/${group.customerContactId}/view` : null,
      maskedPhone: group.maskedPhone ?? 'No number',
      phone: group.phone,
      dialLabel: `Call back ${name}`,
      dialRecordId: latestCase?.caseId ?? group.latest.caseId,
      droppedIso: group.firstDroppedAtIso ?? '',
      whenText,
      whenLabel: group.dropCount > 1 ? `first drop ${whenText}` : whenText,
      reasonText: describeDrop(group.latest),
      channel: channelLabel(group.channel),
      attempts: group.attempts,
      dropCount: group.dropCount,
      isRepeat: group.dropCount > 1,
      dropCountLabel: `${group.dropCount} drops`,
      rowClass: group.cases.some((ref) => this.highlighted.has(ref.caseId)) ? 'row row_new' : 'row',
      actionsLabel: `Actions for ${name}`,
      actions
    };
  }

  // ---- Filters and sorting ----------------------------------------------------------------------

  handleWindowChange(event: CustomEvent<{ value: string }>): void {
    this.windowHours = normaliseWindow(event.detail.value);
  }

  handleChannelChange(event: CustomEvent<{ value: string }>): void {
    this.channel = event.detail.value;
  }

  handleCategoryChange(event: CustomEvent<{ value: string }>): void {
    this.category = event.detail.value;
  }

  handleSort(event: Event): void {
    const wanted = (event.currentTarget as HTMLElement).dataset.field;
    const field = COLUMNS.find((column) => column.field === wanted)?.field;
    if (!field) {
      return;
    }
    if (field === this.sortField) {
      this.sortDirection = this.sortDirection === 'asc' ? 'desc' : 'asc';
    } else {
      this.sortField = field;
      // Waiting time reads naturally oldest first; counts read naturally highest first.
      this.sortDirection = field === 'attempts' || field === 'drops' ? 'desc' : 'asc';
    }
  }

  handleReload(): Promise<void> {
    return this.refresh();
  }

  private refresh(): Promise<void> {
    return this.wiredResult ? refreshApex(this.wiredResult) : Promise.resolve();
  }

  // ---- Live updates -----------------------------------------------------------------------------

  handleLiveToggle(event: Event): void {
    const checked = (event.target as HTMLInputElement).checked;
    this.liveEnabled = checked;
    if (checked) {
      this.startLive();
      // Catch up on whatever dropped while live updates were off.
      this.refresh().catch(() => undefined);
    } else {
      this.stopLive();
      this.liveStatus = 'Live updates are off. Reload to see new drops.';
    }
  }

  private startLive(): void {
    const generation = ++this.liveGeneration;
    this.liveStatus = 'Connecting to live updates…';
    if (!this.errorHandlerRegistered) {
      this.errorHandlerRegistered = true;
      onError((error: unknown) => {
        if (this.liveEnabled) {
          this.liveStatus = `Live updates interrupted: ${errorClause(error)}. Turn live updates off and on to retry.`;
        }
      });
    }
    isEmpEnabled()
      .then((enabled) => {
        if (generation !== this.liveGeneration) {
          return undefined;
        }
        if (enabled === false) {
          this.liveStatus = 'Live updates are not available here. Use Reload to see new drops.';
          return undefined;
        }
        return subscribe(EVENT_CHANNEL, -1, (message: EmpMessage<DisconnectedCallPayload>) =>
          this.handleEvent(message)
        ).then((subscription) => {
          if (generation !== this.liveGeneration) {
            // Turned off or disconnected while subscribing: release it straight away.
            unsubscribe(subscription).catch(() => undefined);
            return;
          }
          this.subscription = subscription;
          this.liveStatus = 'Live: new drops appear automatically.';
        });
      })
      .catch((error: unknown) => {
        if (generation === this.liveGeneration) {
          this.liveStatus = `Live updates unavailable: ${errorClause(error)}. Use Reload to see new drops.`;
        }
      });
  }

  private stopLive(): void {
    this.liveGeneration++;
    const subscription = this.subscription;
    this.subscription = null;
    if (subscription) {
      unsubscribe(subscription).catch(() => {
        // Nothing useful to do: the session is going away or the server already dropped it.
      });
    }
  }

  private handleEvent(message: EmpMessage<DisconnectedCallPayload>): void {
    const row = rowFromEvent(message.data.payload);
    if (!row) {
      return;
    }
    this.nowMs = Date.now();
    const known = this.serverRows.some((existing) => existing.caseId === row.caseId);
    if (!known) {
      // Reassigned, not mutated, so the template re-renders.
      this.liveRows = new Map(this.liveRows).set(row.caseId, row);
    }
    this.highlight(row.caseId);
    const filters = { windowHours: this.windowHours, channel: this.channel, category: this.category };
    if (matchesFilters(row, filters, this.nowMs)) {
      const who = row.customerName || row.maskedPhone || 'unknown caller';
      this.announcement = `New dropped call from ${who}: ${describeDrop(row)}.`;
    }
    // The event row is a preview; once the refresh is in, the server list (with the dialable
    // number) is the truth, including when the case was already handled elsewhere.
    this.refresh()
      .then(() => {
        if (this.liveRows.has(row.caseId)) {
          const remaining = new Map(this.liveRows);
          remaining.delete(row.caseId);
          this.liveRows = remaining;
        }
      })
      .catch(() => {
        // The wire reports its own errors; the preview row stays until the next refresh.
      });
  }

  private highlight(caseId: string): void {
    this.highlighted.add(caseId);
    this.highlighted = new Set(this.highlighted);
    const previous = this.highlightTimers.get(caseId);
    if (previous !== undefined) {
      window.clearTimeout(previous);
    }
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    const timer = window.setTimeout(() => {
      this.highlightTimers.delete(caseId);
      this.highlighted.delete(caseId);
      this.highlighted = new Set(this.highlighted);
    }, HIGHLIGHT_MS);
    this.highlightTimers.set(caseId, timer);
  }

  // ---- Row actions ------------------------------------------------------------------------------

  handleRowAction(event: CustomEvent<{ value: string }>): void {
    const key = (event.currentTarget as HTMLElement).dataset.key ?? '';
    const group = this.groups.find((candidate) => candidate.key === key);
    if (!group) {
      return;
    }
    const action = event.detail.value;
    if (action === 'log') {
      this.dialog = {
        key,
        callerLabel: displayName(group),
        caseIds: group.cases.map((ref) => ref.caseId)
      };
      this.dialogError = '';
      this.dialogBusy = false;
    } else if (action.startsWith('open:')) {
      this.openRecord(action.slice('open:'.length), 'Case');
    }
  }

  handleContactClick(event: Event): void {
    const contactId = (event.currentTarget as HTMLElement).dataset.id;
    if (contactId) {
      event.preventDefault();
      this.openRecord(contactId, 'Contact');
    }
  }

  private async openRecord(recordId: string, objectApiName: string): Promise<void> {
    if (this.inConsole) {
      try {
        await openTab({ recordId, focus: true });
        return;
      } catch {
        // Fall through to standard navigation, which works everywhere.
      }
    }
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: { recordId, objectApiName, actionName: 'view' }
    });
  }

  handleDialogCancel(): void {
    this.closeDialog();
  }

  async handleDialogSave(event: CustomEvent<OutcomeSaveDetail>): Promise<void> {
    const dialog = this.dialog;
    if (!dialog || this.dialogBusy) {
      return;
    }
    const { outcome, note } = event.detail;
    this.dialogBusy = true;
    this.dialogError = '';
    try {
      // A repeat caller is one conversation: the outcome closes out every open drop of theirs.
      await Promise.all(dialog.caseIds.map((caseId) => logCallbackOutcome({ caseId, outcome, note })));
    } catch (error) {
      this.dialogBusy = false;
      this.dialogError = `Couldn't save the outcome: ${errorClause(error)}. Try again or reload the list.`;
      this.dispatchEvent(
        new ShowToastEvent({
          title: "Couldn't log the outcome",
          message: errorMessage(error),
          variant: 'error'
        })
      );
      return;
    }
    this.closeDialog();
    this.dispatchEvent(
      new ShowToastEvent({
        title: 'Outcome logged',
        message: `${OUTCOME_LABELS[outcome] ?? outcome}: ${dialog.callerLabel}`,
        variant: 'success'
      })
    );
    await this.refresh().catch(() => undefined);
  }

  private closeDialog(): void {
    if (this.dialog) {
      this.pendingFocusKey = this.dialog.key;
    }
    this.dialog = null;
    this.dialogBusy = false;
    this.dialogError = '';
  }
}
