// Live worklist of dropped / abandoned callers for Service Console agents and their supervisors.
// Data: CallbackLifecycleController (issue 10): getWorklist pages (most urgent first, true totals), getDispositions;
// calling and logging in worklistActions.ts. Live: Disconnected_Call__e (new drops) and Callback_Change__e (claims,
// outcomes, automatic closes by anyone) via empApi (liveStream.ts), applied at once (worklistLive.ts).
// The layout follows the component's own width (ResizeObserver), not the window's.
// Types (LifecycleCaller, …) are global: see force-app/lwc-types.
import { LightningElement, api, wire } from 'lwc';
import USER_ID from '@salesforce/user/Id';
import getDispositions from '@salesforce/apex/CallbackLifecycleController.getDispositions';
import { IsConsoleNavigation, openTab } from 'lightning/platformWorkspaceApi';
import { EnclosingUtilityId } from 'lightning/platformUtilityBarApi';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { Announcer, type Announcement } from './announcer';
import { LiveStream, type LiveState } from './liveStream';
import { NEXT_KEY, call, closeOutcome, next, openOutcome, release, saveOutcome } from './worklistActions';
import { problemText, type WorklistProblem } from './worklistErrors';
import { focusTarget, noteFocus, observeWidth, restoreFocus, syncUtility } from './worklistFrame';
import { PAGE_SIZE, loadFirst, loadMore } from './worklistLoader';
import type { WorklistHost } from './worklistHost';
import { onChange, onNewDrop } from './worklistLive';
import { errorClause } from './worklistModel';
import {
  CATEGORY_OPTIONS,
  CHANNEL_OPTIONS,
  COMPACT_BELOW_PX,
  WINDOW_OPTIONS,
  claimsText,
  clockTime,
  countText,
  emptyText,
  liveText,
  loadMoreText,
  normaliseWindow,
  supervisorTiles,
  toCallerRow
} from './worklistView';

export const NEW_DROP_CHANNEL = '/event/Disconnected_Call__e';
export const CHANGE_CHANNEL = '/event/Callback_Change__e';
/** Relative times ("12 min ago") are recomputed this often. */
export const TICK_MS = 30000;
/** How long a row that arrived live stays highlighted. */
export const HIGHLIGHT_MS = 8000;
/** New-drop events within this span share one server refresh. */
export const REFRESH_COALESCE_MS = 1500;

export default class CallbackWorklist extends NavigationMixin(LightningElement) implements WorklistHost {
  /** Design property: time window in hours; blank = the org's "Worklist Window (Hours)" setting. */
  @api defaultWindowHours: string | number = '';
  /** Design property: start with live updates off (e.g. to save event deliveries on busy pages). */
  @api startPaused = false;
  /** Design property: heading shown above the list. */
  @api cardTitle = 'Callbacks to make';
  /** Design property: utility bar label; the number waiting is added to it ("Callbacks (12)"). */
  @api utilityLabel = 'Callbacks';
  /** Design property: "agent" (call and log) or "supervisor" (everyone waiting, who calls whom, due-by breaches). */
  @api view = 'agent';
  /** Set on record pages; the worklist does not filter by it. */
  @api recordId?: string;

  windowHours: number | null = null;
  channel = '';
  category = '';
  windowOptions = WINDOW_OPTIONS;
  liveHelp =
    'Shows new drops, and who is calling whom, as it happens. Every open worklist with live updates on is a ' +
    "streaming subscriber and uses part of your org's daily event delivery allowance; turn it off when you don't need it.";
  channelOptions = CHANNEL_OPTIONS;
  categoryOptions = CATEGORY_OPTIONS;
  liveEnabled = true;
  liveState: LiveState = 'off';
  liveDetail = '';
  announcement = '';
  nowMs = Date.now();
  width = 0;
  filtersOpen = false;

  callers: LifecycleCaller[] = [];
  totals: WorklistTotals | null = null;
  nextCursor: string | null = null;
  oldestDropAt: string | null = null;
  loading = false;
  loadingMore = false;
  loaded = false;
  loadedAtMs: number | null = null;
  problem: WorklistProblem | null = null;
  actionProblem = '';
  lastEventAtMs: number | null = null;
  dispositions: DispositionOption[] = [];
  dialog: LifecycleDialogState | null = null;
  dialogBusy = false;
  dialogError = '';
  unseen: Set<string> = new Set();
  busy: Set<string> = new Set();
  onCall: Set<string> = new Set();
  highlighted: Set<string> = new Set();
  pendingFocus: string | null = null;

  arrivals: Map<string, number> = new Map();
  loadSequence = 0;
  private timers: Map<string, ReturnType<typeof setTimeout>> = new Map();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private stream?: LiveStream;
  private announcer?: Announcer;
  resizeObserver?: ResizeObserver;
  private inConsole = false;
  private initialised = false;
  utilityId: string | null = null;
  utilitySent = '';
  focusedRow: { key: string; index: number } | null = null;

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
    this.stream = new LiveStream([NEW_DROP_CHANNEL, CHANGE_CHANNEL], {
      onMessage: (channel, message) => {
        this.nowMs = Date.now();
        this.lastEventAtMs = this.nowMs;
        if (channel === CHANGE_CHANNEL) {
          onChange(this, message.data.payload as CallbackChangePayload, USER_ID);
        } else {
          onNewDrop(this, message.data.payload as DisconnectedCallPayload);
        }
      },
      onState: (state, detail) => {
        this.liveState = state;
        this.liveDetail = detail;
      },
      // Whatever changed while the stream was down is fetched once it is back.
      onResumed: () => this.refreshSoon()
    });
    this.nowMs = Date.now();
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.tickTimer = setInterval(() => {
      this.nowMs = Date.now();
    }, TICK_MS);
    if (this.liveEnabled) {
      this.stream.start();
    }
    this.load();
    if (!this.isSupervisor) {
      getDispositions()
        .then((options) => {
          this.dispositions = options ?? [];
        })
        .catch((error: unknown) => {
          this.actionProblem = `Couldn't load the outcomes agents can log: ${errorClause(error)}.`;
        });
    }
  }

  disconnectedCallback(): void {
    clearInterval(this.tickTimer);
    clearTimeout(this.refreshTimer);
    this.tickTimer = undefined;
    this.refreshTimer = undefined;
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
    this.stream?.stop();
    this.announcer?.dispose();
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
  }

  renderedCallback(): void {
    observeWidth(this);
    syncUtility(this);
    restoreFocus(this);
  }

  // ---- WorklistHost ------------------------------------------------------------------------------

  announce(item: Announcement): void {
    this.announcer?.say(item);
  }

  reload(): void {
    this.load();
  }

  refreshSoon(): void {
    if (this.refreshTimer !== undefined) {
      return;
    }
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.load();
    }, REFRESH_COALESCE_MS);
  }

  arrived(caseId: string): void {
    this.arrivals.set(caseId, Date.now());
    this.highlighted = new Set(this.highlighted).add(caseId);
    clearTimeout(this.timers.get(caseId));
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    const timer = setTimeout(() => {
      this.timers.delete(caseId);
      const highlighted = new Set(this.highlighted);
      highlighted.delete(caseId);
      this.highlighted = highlighted;
    }, HIGHLIGHT_MS);
    this.timers.set(caseId, timer);
  }

  toast(title: string, message: string, variant: 'success' | 'error' | 'info'): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }

  // ---- Width, utility bar, focus (worklistFrame.ts) -----------------------------------------------

  handleFocusIn(event: Event): void {
    noteFocus(this, event.target);
  }

  // ---- Loading -----------------------------------------------------------------------------------

  private load(): Promise<void> {
    return loadFirst(this);
  }

  handleLoadMore(): Promise<void> {
    return loadMore(this);
  }

  handleReload(): Promise<void> {
    this.actionProblem = '';
    return this.load();
  }

  // ---- View state ----------------------------------------------------------------------------------

  get isSupervisor(): boolean {
    return this.view === 'supervisor';
  }

  get isAgent(): boolean {
    return !this.isSupervisor;
  }

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

  /** Nothing to show but the problem: the first load failed. */
  get blockingError(): string {
    return this.problem && !this.loaded ? problemText(this.problem, 'load') : '';
  }

  /** One notice at a time: the latest action's problem, else a failed refresh (the list stays, maybe stale). */
  get notice(): string {
    if (this.actionProblem) {
      return this.actionProblem;
    }
    if (!this.problem || !this.loaded) {
      return '';
    }
    const since = this.loadedAtMs ? ` Showing the list as of ${clockTime(this.loadedAtMs)}.` : '';
    return `${problemText(this.problem, 'refresh')}${since}`;
  }

  get showRetry(): boolean {
    return !this.actionProblem && Boolean(this.problem) && this.problem?.kind !== 'permission';
  }

  get showDismiss(): boolean {
    return Boolean(this.actionProblem);
  }

  get rows(): CallerViewRow[] {
    const context = {
      nowMs: this.nowMs,
      highlighted: this.highlighted,
      busy: this.busy,
      onCall: this.onCall,
      supervisor: this.isSupervisor
    };
    return this.callers.map((caller) => toCallerRow(caller, context));
  }

  get showTable(): boolean {
    return this.loaded && this.callers.length > 0 && !this.isCompact;
  }

  get showList(): boolean {
    return this.loaded && this.callers.length > 0 && this.isCompact;
  }

  get isEmpty(): boolean {
    return this.loaded && !this.problem && this.callers.length === 0;
  }

  get emptyText(): string {
    return emptyText(this.windowHours, Boolean(this.channel || this.category));
  }

  get countText(): string {
    return this.loaded
      ? countText(this.totals, this.callers.filter((caller) => !caller.provisional).length)
      : '';
  }

  get refreshedText(): string {
    return this.loadedAtMs ? `Updated ${clockTime(this.loadedAtMs)}` : '';
  }

  get showLoadMore(): boolean {
    return this.loaded && this.callers.length > 0 && Boolean(this.nextCursor);
  }

  get loadMoreLabel(): string {
    return loadMoreText(this.totals?.callers ?? 0, this.callers.length, PAGE_SIZE);
  }

  get tiles(): SupervisorTile[] {
    return supervisorTiles(this.totals, this.oldestDropAt, this.nowMs);
  }

  get claims(): SupervisorClaim[] {
    return claimsText(this.callers);
  }

  get hasClaims(): boolean {
    return this.claims.length > 0;
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

  get nextBusy(): boolean {
    return this.busy.has(NEXT_KEY);
  }

  get liveText(): string {
    return liveText(this.liveState, this.liveDetail, this.lastEventAtMs, this.nowMs);
  }

  get liveClass(): string {
    const state = this.liveState === 'live' ? 'ok' : this.liveState === 'interrupted' ? 'warn' : 'idle';
    return `live-status live-status_${state} slds-text-body_small`;
  }

  get windowValue(): string {
    return this.windowHours === null ? '' : String(this.windowHours);
  }

  // ---- Handlers --------------------------------------------------------------------------------------

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
    // Callers of the old filters would be misleading under the new ones.
    this.loaded = false;
    this.callers = [];
    this.totals = null;
    this.problem = null;
    this.load();
  }

  handleLiveToggle(event: Event): void {
    this.liveEnabled = (event.target as HTMLInputElement).checked;
    if (this.liveEnabled) {
      this.stream?.start();
      // Catch up on whatever happened while live updates were off.
      this.load();
    } else {
      this.stream?.stop();
    }
  }

  /** "3 new": focus goes to the first new caller, and the marker clears. */
  handleShowNew(): void {
    const first = this.callers.find((caller) => this.unseen.has(caller.callerKey));
    this.unseen = new Set();
    if (first) {
      focusTarget(this, `[data-focus="${first.callerKey}"]`);
    }
  }

  private keyOf(event: Event): string {
    return (event.currentTarget as HTMLElement).dataset.key ?? '';
  }

  handleCall(event: Event): Promise<void> {
    return call(this, this.keyOf(event));
  }

  handleNext(): Promise<void> {
    return next(this);
  }

  handleRelease(event: Event): Promise<void> {
    return release(this, this.keyOf(event));
  }

  /** The agent dialled: the row now asks for the outcome (the dial control cannot tell when the call ends). */
  handleDial(event: Event): void {
    this.onCall = new Set(this.onCall).add(this.keyOf(event));
  }

  handleDismissNotice(): void {
    this.actionProblem = '';
  }

  handleLogClick(event: Event): void {
    openOutcome(this, this.keyOf(event));
  }

  handleDialogCancel(): void {
    closeOutcome(this);
  }

  handleDialogSave(event: CustomEvent<DispositionSaveDetail>): Promise<void> {
    return saveOutcome(this, event.detail);
  }

  handleRowAction(event: CustomEvent<{ value: string }>): void {
    if (event.detail.value.startsWith('open:')) {
      this.openRecord(event.detail.value.slice('open:'.length), 'Case');
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
}
