// Live worklist of dropped / abandoned callers for Service Console agents.
// Data: CallbackWorklistController (imperative calls, so a failed refresh keeps the last good list).
// Live: Disconnected_Call__e via empApi (liveStream.ts); an event shows its row at once, and a short, coalesced
// refresh reconciles. Layout follows the component's own width (ResizeObserver), not the window's.
// Types (CallbackRow, CallerGroup, …) are global: see force-app/lwc-types/callbackWorklist.d.ts.
import { LightningElement, api, wire } from 'lwc';
import getOpenCallbacks from '@salesforce/apex/CallbackWorklistController.getOpenCallbacks';
import logCallbackOutcome from '@salesforce/apex/CallbackWorklistController.logCallbackOutcome';
import { IsConsoleNavigation, openTab } from 'lightning/platformWorkspaceApi';
import { EnclosingUtilityId, updateUtility } from 'lightning/platformUtilityBarApi';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { Announcer, spokenCaller } from './announcer';
import { LiveStream, type LiveState } from './liveStream';
import { classifyError, problemText, type WorklistProblem } from './worklistErrors';
import {
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
import {
  CATEGORY_OPTIONS,
  CHANNEL_OPTIONS,
  COLUMNS,
  COMPACT_BELOW_PX,
  WINDOW_OPTIONS,
  normaliseWindow,
  toViewRow
} from './worklistView';

export const EVENT_CHANNEL = '/event/Disconnected_Call__e';
/** Relative times ("12 min ago") are recomputed this often. */
export const TICK_MS = 30000;
/** How long a row that arrived live stays highlighted. */
export const HIGHLIGHT_MS = 8000;
/** Live events within this span share one server refresh. */
export const REFRESH_COALESCE_MS = 1500;

const OUTCOME_LABELS: Record<string, string> = {
  REACHED: 'Reached',
  NO_ANSWER: 'No answer',
  WRONG_NUMBER: 'Wrong number',
  NOT_NEEDED: 'Not needed'
};

function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export default class CallbackWorklist extends NavigationMixin(LightningElement) {
  /** Design property: time window in hours; blank = the org's "Worklist Window (Hours)" setting. */
  @api defaultWindowHours: string | number = '';
  /** Design property: start with live updates off (e.g. to save event deliveries on busy pages). */
  @api startPaused = false;
  /** Design property: heading shown above the list. */
  @api cardTitle = 'Callbacks to make';
  /** Design property: utility bar label; the number waiting is added to it ("Callbacks (12)"). */
  @api utilityLabel = 'Callbacks';
  /** Set on record pages; the worklist does not filter by it. */
  @api recordId?: string;

  windowHours: number | null = null;
  channel = '';
  category = '';
  sortField: WorklistSortField = 'droppedAt';
  sortDirection: WorklistSortDirection = 'asc';

  liveEnabled = true;
  liveState: LiveState = 'off';
  liveDetail = '';
  announcement = '';
  nowMs = Date.now();
  width = 0;
  filtersOpen = false;
  dialog: WorklistDialogState | null = null;
  dialogBusy = false;
  dialogError = '';

  loading = false;
  loaded = false;
  loadedAtMs: number | null = null;
  problem: WorklistProblem | null = null;
  lastEventAtMs: number | null = null;

  private serverRows: CallbackRow[] = [];
  /** Rows from live events, with when they arrived, until a refresh that started later includes or drops them. */
  private liveRows: Map<string, { row: CallbackRow; atMs: number }> = new Map();
  private highlighted: Set<string> = new Set();
  private unseen: Set<string> = new Set();
  private timers: Map<string, ReturnType<typeof setTimeout>> = new Map();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private loadSequence = 0;
  private stream?: LiveStream;
  private announcer?: Announcer;
  private resizeObserver?: ResizeObserver;
  private inConsole = false;
  private initialised = false;
  private utilityId: string | null = null;
  private utilitySent = '';
  private pendingFocusKey: string | null = null;
  private focusedRow: { key: string; index: number } | null = null;

  @wire(IsConsoleNavigation)
  wiredConsole(value: boolean | undefined): void {
    this.inConsole = value === true;
  }

  @wire(EnclosingUtilityId)
  wiredUtility(value: string | null | undefined): void {
    this.utilityId = value ?? null;
  }

  connectedCallback(): void {
    if (!this.initialised) {
      this.windowHours = normaliseWindow(this.defaultWindowHours);
      this.liveEnabled = !this.startPaused;
      this.initialised = true;
    }
    this.announcer = new Announcer((text) => {
      this.announcement = text;
    });
    this.stream = new LiveStream([EVENT_CHANNEL], {
      onMessage: (_channel, message) => this.handleEvent(message as EmpMessage<DisconnectedCallPayload>),
      onState: (state, detail) => {
        this.liveState = state;
        this.liveDetail = detail;
      },
      // Whatever dropped while the stream was down is fetched once it is back.
      onResumed: () => this.scheduleRefresh()
    });
    this.nowMs = Date.now();
    // Relative times must keep moving while the list sits open in the utility bar.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.tickTimer = setInterval(() => {
      this.nowMs = Date.now();
    }, TICK_MS);
    if (this.liveEnabled) {
      this.stream.start();
    }
    this.load();
  }

  disconnectedCallback(): void {
    clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
    this.highlighted = new Set();
    this.stream?.stop();
    this.announcer?.dispose();
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
  }

  renderedCallback(): void {
    this.observeWidth();
    this.syncUtility();
    this.restoreFocus();
  }

  // ---- Width, utility bar, focus ------------------------------------------------------------------

  private observeWidth(): void {
    if (this.resizeObserver || typeof ResizeObserver === 'undefined') {
      return;
    }
    const frame = this.template?.querySelector<HTMLElement>('[data-id="frame"]');
    if (!frame) {
      return;
    }
    // The component's own width decides the layout: a 640 px utility panel on a 1920 px screen is still narrow.
    this.resizeObserver = new ResizeObserver((entries) => {
      const width = Math.round(entries[0]?.contentRect.width ?? 0);
      if (width !== this.width) {
        this.width = width;
      }
    });
    this.resizeObserver.observe(frame);
  }

  private syncUtility(): void {
    if (!this.utilityId) {
      return;
    }
    const waiting = this.loaded ? this.callerCount : null;
    const attrs = {
      label: waiting ? `${this.utilityLabel} (${waiting})` : this.utilityLabel,
      highlighted: this.unseen.size > 0,
      iconVariant: this.problem || this.liveState === 'interrupted' ? 'warning' : ''
    };
    const key = JSON.stringify(attrs);
    if (key !== this.utilitySent) {
      this.utilitySent = key;
      updateUtility(this.utilityId, attrs).catch(() => {
        // Not in a utility bar after all, or the console refused: the panel itself still shows the count.
      });
    }
  }

  handleFocusIn(event: Event): void {
    const row = (event.target as HTMLElement).closest?.('[data-key]') as HTMLElement | null;
    const key = row?.dataset.key;
    if (key) {
      this.focusedRow = { key, index: this.rows.findIndex((candidate) => candidate.key === key) };
    }
  }

  /** Focus was on a row that has left (handled elsewhere, or logged): move it to the row now in its place. */
  private restoreFocus(): void {
    if (this.pendingFocusKey && !this.dialog) {
      const key = this.pendingFocusKey;
      this.pendingFocusKey = null;
      const target = this.template?.querySelector<HTMLElement>(`[data-focus="${key}"]`);
      if (target) {
        target.focus();
        return;
      }
      this.focusedRow = { key, index: this.focusedRow?.key === key ? this.focusedRow.index : 0 };
    }
    const focused = this.focusedRow;
    if (!focused || this.dialog || this.rows.some((row) => row.key === focused.key)) {
      return;
    }
    const active = this.template?.activeElement;
    if (active && active !== document.body) {
      return;
    }
    this.focusedRow = null;
    const next = this.rows[Math.min(focused.index, this.rows.length - 1)];
    const target = next
      ? this.template?.querySelector<HTMLElement>(`[data-focus="${next.key}"]`)
      : this.template?.querySelector<HTMLElement>('[data-id="heading"]');
    target?.focus();
  }

  // ---- Loading -----------------------------------------------------------------------------------

  private async load(): Promise<void> {
    const sequence = ++this.loadSequence;
    const startedAtMs = Date.now();
    this.loading = true;
    try {
      const rows = await getOpenCallbacks({
        windowHours: this.windowHours,
        channel: this.channel || null,
        category: this.category || null
      });
      if (sequence !== this.loadSequence) {
        return;
      }
      this.serverRows = rows ?? [];
      this.loaded = true;
      this.loadedAtMs = Date.now();
      this.problem = null;
      // The server list is the truth for everything that arrived before this request started.
      const remaining = new Map(this.liveRows);
      for (const [caseId, live] of this.liveRows) {
        if (live.atMs <= startedAtMs || this.serverRows.some((row) => row.caseId === caseId)) {
          remaining.delete(caseId);
        }
      }
      this.liveRows = remaining;
      this.forgetMissing();
    } catch (error) {
      if (sequence === this.loadSequence) {
        // The last good list stays on screen; only the notice says it could not be refreshed.
        this.problem = classifyError(error);
      }
    } finally {
      if (sequence === this.loadSequence) {
        this.loading = false;
      }
    }
  }

  /** Unseen/new markers of callers no longer listed go away with them. */
  private forgetMissing(): void {
    const keys = new Set(this.groups.map((group) => group.key));
    const unseen = new Set([...this.unseen].filter((key) => keys.has(key)));
    if (unseen.size !== this.unseen.size) {
      this.unseen = unseen;
    }
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined) {
      return;
    }
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.load();
    }, REFRESH_COALESCE_MS);
  }

  handleReload(): Promise<void> {
    return this.load();
  }

  // ---- View state ----------------------------------------------------------------------------------

  get isCompact(): boolean {
    return this.width > 0 && this.width < COMPACT_BELOW_PX;
  }

  get frameClass(): string {
    return this.isCompact ? 'slds-card worklist worklist_compact' : 'slds-card worklist';
  }

  get showFilters(): boolean {
    return !this.isCompact || this.filtersOpen;
  }

  get filtersToggleLabel(): string {
    return this.filtersOpen ? 'Hide filters' : 'Filters';
  }

  get isLoading(): boolean {
    return this.loading && !this.loaded;
  }

  get isRefreshing(): boolean {
    return this.loading && this.loaded;
  }

  /** Nothing to show but the problem: the first load failed. */
  get blockingError(): string {
    return this.problem && !this.loaded ? problemText(this.problem, 'load') : '';
  }

  /** The list is still shown; this says it may be out of date, and since when. */
  get refreshError(): string {
    if (!this.problem || !this.loaded) {
      return '';
    }
    const since = this.loadedAtMs ? ` Showing the list as of ${clockTime(this.loadedAtMs)}.` : '';
    return `${problemText(this.problem, 'refresh')}${since}`;
  }

  get showRetry(): boolean {
    return Boolean(this.problem) && this.problem?.kind !== 'permission';
  }

  get groups(): CallerGroup[] {
    const filters = { windowHours: this.windowHours, channel: this.channel, category: this.category };
    const live = [...this.liveRows.values()]
      .map((entry) => entry.row)
      .filter((row) => matchesFilters(row, filters, this.nowMs));
    return sortGroups(groupByCaller([...this.serverRows, ...live]), this.sortField, this.sortDirection);
  }

  get rows(): WorklistViewRow[] {
    const context = { nowMs: this.nowMs, highlighted: this.highlighted, unseen: this.unseen };
    return this.groups.map((group) => toViewRow(group, context));
  }

  get callerCount(): number {
    return this.groups.length;
  }

  get hasRows(): boolean {
    return this.loaded && this.rows.length > 0;
  }

  get showTable(): boolean {
    return this.hasRows && !this.isCompact;
  }

  get showList(): boolean {
    return this.hasRows && this.isCompact;
  }

  get isEmpty(): boolean {
    return this.loaded && !this.problem && this.rows.length === 0;
  }

  get emptyText(): string {
    const window = WINDOW_OPTIONS.find((option) => option.value && Number(option.value) === this.windowHours);
    const span = window ? window.label.toLowerCase() : 'the time window';
    const filtered = this.channel || this.category;
    return filtered
      ? `No open callbacks match these filters in ${span}. Try "All channels" and "All drops" or a longer time window.`
      : `No open callbacks in ${span}. New drops appear here on their own while live updates are on.`;
  }

  get countText(): string {
    if (!this.loaded) {
      return '';
    }
    const callers = this.rows.length;
    const drops = this.rows.reduce((sum, row) => sum + row.dropCount, 0);
    const callerText = callers === 1 ? '1 caller waiting' : `${callers} callers waiting`;
    return drops === callers ? callerText : `${callerText}, ${drops} drops`;
  }

  get newCount(): number {
    return this.unseen.size;
  }

  get newText(): string {
    return `${this.unseen.size} new`;
  }

  get newLabel(): string {
    return `${this.unseen.size} new ${this.unseen.size === 1 ? 'caller' : 'callers'}: show`;
  }

  get liveText(): string {
    switch (this.liveState) {
      case 'live': {
        const last = this.lastEventAtMs
          ? `last new drop ${relativeTime(this.lastEventAtMs, this.nowMs)}`
          : 'no new drops since you opened it';
        return `Live · ${last}`;
      }
      case 'connecting':
        return 'Connecting to live updates…';
      case 'interrupted':
        return `Live updates interrupted: ${this.liveDetail}`;
      case 'unavailable':
        return `${this.liveDetail} Use Reload to see new drops.`;
      default:
        return 'Live updates are off. Reload to see new drops.';
    }
  }

  get liveClass(): string {
    const state = this.liveState === 'live' ? 'ok' : this.liveState === 'interrupted' ? 'warn' : 'idle';
    return `live-status live-status_${state} slds-text-body_small`;
  }

  get refreshedText(): string {
    return this.loadedAtMs ? `Updated ${clockTime(this.loadedAtMs)}` : '';
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
    return this.windowHours === null ? '' : String(this.windowHours);
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

  // ---- Filters and sorting ---------------------------------------------------------------------------

  handleFiltersToggle(): void {
    this.filtersOpen = !this.filtersOpen;
  }

  handleWindowChange(event: CustomEvent<{ value: string }>): void {
    this.windowHours = normaliseWindow(event.detail.value);
    this.reloadForFilters();
  }

  handleChannelChange(event: CustomEvent<{ value: string }>): void {
    this.channel = event.detail.value;
    this.reloadForFilters();
  }

  handleCategoryChange(event: CustomEvent<{ value: string }>): void {
    this.category = event.detail.value;
    this.reloadForFilters();
  }

  private reloadForFilters(): void {
    // Rows of the old filters would be misleading under the new ones.
    this.loaded = false;
    this.serverRows = [];
    this.problem = null;
    this.load();
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

  // ---- Live updates ----------------------------------------------------------------------------------

  handleLiveToggle(event: Event): void {
    const checked = (event.target as HTMLInputElement).checked;
    this.liveEnabled = checked;
    if (checked) {
      this.stream?.start();
      // Catch up on whatever dropped while live updates were off.
      this.load();
    } else {
      this.stream?.stop();
    }
  }

  private handleEvent(message: EmpMessage<DisconnectedCallPayload>): void {
    const row = rowFromEvent(message.data.payload);
    if (!row) {
      return;
    }
    this.nowMs = Date.now();
    this.lastEventAtMs = this.nowMs;
    const filters = { windowHours: this.windowHours, channel: this.channel, category: this.category };
    const known = this.serverRows.some((existing) => existing.caseId === row.caseId);
    if (!known) {
      // Reassigned, not mutated, so the template re-renders.
      this.liveRows = new Map(this.liveRows).set(row.caseId, { row, atMs: this.nowMs });
    }
    this.highlight(row.caseId);
    if (matchesFilters(row, filters, this.nowMs)) {
      const key = row.callerKey || `case:${row.caseId}`;
      this.unseen = new Set(this.unseen).add(key);
      const who = spokenCaller(row.customerName, row.maskedPhone);
      this.announcer?.say({ kind: 'new', who, text: `New dropped call from ${who}: ${describeDrop(row)}.` });
    }
    // The event row is a preview; the coalesced refresh brings the server's copy (with the dialable number).
    this.scheduleRefresh();
  }

  private highlight(caseId: string): void {
    this.highlighted = new Set(this.highlighted).add(caseId);
    const previous = this.timers.get(caseId);
    if (previous !== undefined) {
      clearTimeout(previous);
    }
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    const timer = setTimeout(() => {
      this.timers.delete(caseId);
      const next = new Set(this.highlighted);
      next.delete(caseId);
      this.highlighted = next;
    }, HIGHLIGHT_MS);
    this.timers.set(caseId, timer);
  }

  /** "3 new": scrolls to the first new caller, focuses it and clears the marker. */
  handleShowNew(): void {
    const first = this.rows.find((row) => this.unseen.has(row.key));
    this.unseen = new Set();
    if (first) {
      const target = this.template?.querySelector<HTMLElement>(`[data-focus="${first.key}"]`);
      target?.scrollIntoView?.({ block: 'nearest' });
      target?.focus();
    }
  }

  // ---- Row actions -----------------------------------------------------------------------------------

  handleLogClick(event: Event): void {
    this.openDialog((event.currentTarget as HTMLElement).dataset.key ?? '');
  }

  handleRowAction(event: CustomEvent<{ value: string }>): void {
    const action = event.detail.value;
    if (action === 'log') {
      this.openDialog((event.currentTarget as HTMLElement).dataset.key ?? '');
    } else if (action.startsWith('open:')) {
      this.openRecord(action.slice('open:'.length), 'Case');
    }
  }

  private openDialog(key: string): void {
    const group = this.groups.find((candidate) => candidate.key === key);
    if (!group) {
      return;
    }
    this.unseen.delete(key);
    this.unseen = new Set(this.unseen);
    this.dialog = { key, callerLabel: displayName(group), caseIds: group.cases.map((ref) => ref.caseId) };
    this.dialogError = '';
    this.dialogBusy = false;
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
    await this.load();
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
