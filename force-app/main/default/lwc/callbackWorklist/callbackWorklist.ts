// Live worklist of dropped / abandoned callers for Service Console agents and their supervisors.
// Data: CallbackLifecycleController (issue 10): getWorklist pages (most urgent first, true totals), getDispositions;
// calling and logging in worklistActions.ts. Live: Disconnected_Call__e (new drops) and Callback_Change__e (claims,
// outcomes, automatic closes by anyone) via empApi (liveStream.ts), applied at once (worklistLive.ts).
// The layout follows the component's own width (ResizeObserver), not the window's (worklistFrame.ts).
// This class holds the state the template shows and wires it to the helpers, one concern each: worklistLoader
// (paging), worklistActions (calling, logging), worklistView and worklistStatus (texts), worklistTimers (clocks),
// worklistRecords (opening records), announcer (screen-reader announcements).
// Types (LifecycleCaller, …) are global: see force-app/lwc-types.
import { LightningElement, api, wire } from 'lwc';
import USER_ID from '@salesforce/user/Id';
import { IsConsoleNavigation } from 'lightning/platformWorkspaceApi';
import { EnclosingUtilityId } from 'lightning/platformUtilityBarApi';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { Announcer, type Announcement } from './announcer';
import type { LiveStream, LiveState } from './liveStream';
import {
  NEXT_KEY,
  call,
  closeOutcome,
  loadDispositions,
  next,
  openOutcome,
  release,
  saveOutcome
} from './worklistActions';
import type { WorklistProblem } from './worklistErrors';
import { focusFirstNew, noteFocus, observeWidth, restoreFocus, syncUtility } from './worklistFrame';
import { PAGE_SIZE, loadFirst, loadMore, reloadWithFilters } from './worklistLoader';
import { createLiveStream, type LiveHost } from './worklistLive';
import { openRecord } from './worklistRecords';
import { statusView, type WorklistStatus } from './worklistStatus';
import { WorklistTimers } from './worklistTimers';
import {
  CATEGORY_OPTIONS,
  CHANNEL_OPTIONS,
  COMPACT_BELOW_PX,
  LIVE_HELP,
  WINDOW_OPTIONS,
  claimsText,
  listView,
  normaliseWindow,
  supervisorTiles,
  toCallerRow,
  type ListView
} from './worklistView';

export default class CallbackWorklist extends NavigationMixin(LightningElement) implements LiveHost {
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
  liveHelp = LIVE_HELP;
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
  private timers = new WorklistTimers();
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
    this.stream = createLiveStream(this, USER_ID);
    this.nowMs = Date.now();
    this.timers.startTick(() => {
      this.nowMs = Date.now();
    });
    if (this.liveEnabled) {
      this.stream.start();
    }
    this.load();
    if (!this.isSupervisor) {
      loadDispositions(this);
    }
  }

  disconnectedCallback(): void {
    this.timers.stop();
    // The highlights' timers stop with the worklist, so the highlights go too: added back, it would keep them forever.
    this.highlighted = new Set();
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
    this.timers.refreshSoon(() => this.load());
  }

  arrived(caseId: string): void {
    this.arrivals.set(caseId, Date.now());
    this.highlighted = new Set(this.highlighted).add(caseId);
    this.timers.highlight(caseId, (key) => {
      const highlighted = new Set(this.highlighted);
      highlighted.delete(key);
      this.highlighted = highlighted;
    });
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

  /** Live status, errors and notices, "N new" (worklistStatus.ts). */
  get status(): WorklistStatus {
    return statusView(this);
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

  /** The count line, which layout shows, the empty text and "Show more" (worklistView.ts). */
  get list(): ListView {
    return listView(this, PAGE_SIZE);
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

  get nextBusy(): boolean {
    return this.busy.has(NEXT_KEY);
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
    reloadWithFilters(this);
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
    focusFirstNew(this);
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

  private openRecord(recordId: string, objectApiName: string): Promise<void> {
    return openRecord(recordId, objectApiName, this.inConsole, (reference) =>
      this[NavigationMixin.Navigate](reference)
    );
  }
}
