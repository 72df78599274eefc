// How callers become rows on screen (table or compact list), the texts around them, and the fixed option lists.
// Pure functions: the component passes in what they need.
import { channelLabel, describeDrop, displayName, parseTime, relativeTime } from './worklistModel';

/** Below this component width (px) the worklist is a compact list; from it on, a table. */
export const COMPACT_BELOW_PX = 760;

export const WINDOW_OPTIONS: WorklistOption[] = [
  // Blank = the org's "Worklist Window (Hours)" setting, applied by the server.
  { label: 'Default window', value: '' },
  { label: 'Last hour', value: '1' },
  { label: 'Last 4 hours', value: '4' },
  { label: 'Last 24 hours', value: '24' },
  { label: 'Last 7 days', value: '168' }
];
export const CHANNEL_OPTIONS: WorklistOption[] = [
  { label: 'All channels', value: '' },
  { label: 'Voice', value: 'VOICE' },
  { label: 'Chat', value: 'CHAT' }
];
export const CATEGORY_OPTIONS: WorklistOption[] = [
  { label: 'All drops', value: '' },
  { label: 'Abandoned in queue', value: 'ABANDONED_IN_QUEUE' },
  { label: 'Dropped in IVR', value: 'DROPPED_IN_IVR' },
  { label: 'Dropped after reaching an agent', value: 'AGENT_DROPPED_TELECOM' },
  { label: 'Callback not connected', value: 'CALLBACK_NOT_CONNECTED' }
];

const NOT_CALLABLE_WORDS: Record<string, string> = {
  DO_NOT_CALL: 'Do not call',
  NO_NUMBER: 'No number to call'
};

/**
 * The design property / filter value as the server wants it: null = the org setting; otherwise the smallest
 * offered window that covers what an admin typed.
 */
export function normaliseWindow(value: unknown): number | null {
  // Blank, null and undefined read as 0 or NaN: the org setting, like any other non-positive value.
  const hours = Number(value);
  if (!Number.isFinite(hours) || hours <= 0) {
    return null;
  }
  // Stryker disable next-line MethodExpression: the blank option reads as 0 h, which no positive window picks
  const allowed = WINDOW_OPTIONS.filter((option) => option.value).map((option) => Number(option.value));
  return allowed.find((option) => option >= hours) ?? allowed[allowed.length - 1] ?? null;
}

export function clockTime(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** "in 25 min", "in 2 h 5 min". */
function untilText(thenMs: number, nowMs: number): string {
  const minutes = Math.max(0, Math.ceil((thenMs - nowMs) / 60000));
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const rest = minutes % 60;
  return rest ? `${Math.floor(minutes / 60)} h ${rest} min` : `${Math.floor(minutes / 60)} h`;
}

/** "Due in 25 min" / "Overdue by 10 min" / "". */
export function dueText(dueBy: string | null | undefined, nowMs: number): { text: string; overdue: boolean } {
  const due = parseTime(dueBy);
  if (due === null) {
    return { text: '', overdue: false };
  }
  return due < nowMs
    ? { text: `Overdue by ${untilText(nowMs + (nowMs - due), nowMs)}`, overdue: true }
    : { text: `Due in ${untilText(due, nowMs)}`, overdue: false };
}

/** Who is calling, or why nobody can yet, in words. */
export function statusText(caller: LifecycleCaller, nowMs: number): string {
  if (caller.claimedById || caller.claimedByMe) {
    const until = parseTime(caller.claimedUntil);
    const suffix = until !== null ? ` until ${clockTime(until)}` : '';
    return caller.claimedByMe
      ? `You're calling${suffix}`
      : `${caller.claimedByName || 'Another agent'} is calling${suffix}`;
  }
  if (caller.callable === false) {
    // Stryker disable next-line StringLiteral: no reason is a key of the words either way
    return NOT_CALLABLE_WORDS[caller.notCallableReason ?? ''] ?? 'Cannot be called';
  }
  const next = parseTime(caller.nextAttemptAt);
  // Stryker disable next-line ConditionalExpression: null > nowMs is false as well; the check says why it is false
  if (next !== null && next > nowMs) {
    return `Next try after ${clockTime(next)}`;
  }
  return caller.provisional ? 'Just dropped' : 'Ready to call';
}

export interface RowContext {
  nowMs: number;
  highlighted: Set<string>;
  busy: Set<string>;
  onCall: Set<string>;
  supervisor: boolean;
}

function caseActions(drops: LifecycleDrop[]): WorklistMenuAction[] {
  return drops.map((drop) => ({
    value: `open:${drop.caseId}`,
    label: drop.caseNumber ? `Open case ${drop.caseNumber}` : 'Open case'
  }));
}

export function toCallerRow(caller: LifecycleCaller, context: RowContext): CallerViewRow {
  const name = displayName({
    customerName: caller.customerName ?? null,
    maskedPhone: caller.maskedPhone ?? null
  });
  const drops = caller.drops ?? [];
  const latest = drops[0] ?? { caseId: '' };
  const count = caller.dropCount ?? (drops.length || 1);
  const oldest = parseTime(caller.oldestDropAt ?? drops[drops.length - 1]?.droppedAt);
  const when = relativeTime(oldest, context.nowMs);
  const due = dueText(caller.dueBy, context.nowMs);
  const waitingUntil = parseTime(caller.nextAttemptAt);
  // Stryker disable next-line ConditionalExpression: null > nowMs is false as well; the check says why it is false
  const waiting = waitingUntil !== null && waitingUntil > context.nowMs;
  const claimedByOther = Boolean(caller.claimedById) && !caller.claimedByMe;
  const isMine = Boolean(caller.claimedByMe);
  const callable = caller.callable !== false && !caller.provisional;
  const isNew = drops.some((drop) => context.highlighted.has(drop.caseId));
  const busy = context.busy.has(caller.callerKey);
  const lastAttempt = parseTime(caller.lastAttemptAt);
  const attempts = caller.attempts ?? 0;
  return {
    key: caller.callerKey,
    name,
    contactId: caller.customerContactId ?? null,
    contactUrl: caller.customerContactId ? `/lightning/r/Contact/${caller.customerContactId}/view` : null,
    maskedPhone: caller.maskedPhone ?? 'No number',
    // The dial control appears once this agent holds the caller: Call claims first, so two agents never dial one customer.
    phone: isMine && callable && !context.supervisor ? (caller.phone ?? null) : null,
    dialLabel: `Dial ${name}`,
    dialRecordId: latest.caseId,
    droppedIso: oldest !== null ? new Date(oldest).toISOString() : '',
    whenLabel: count > 1 ? `first drop ${when}` : when,
    reasonText: describeDrop(latest),
    channel: channelLabel(latest.channel),
    attempts,
    attemptsText:
      lastAttempt !== null
        ? `${attempts} (last ${relativeTime(lastAttempt, context.nowMs)})`
        : String(attempts),
    dropCount: count,
    isRepeat: count > 1,
    dropCountLabel: `${count} drops`,
    statusText: statusText(caller, context.nowMs),
    statusClass: isMine
      ? 'status status_mine'
      : claimedByOther
        ? 'status status_other'
        : waiting
          ? 'status status_waiting'
          : 'status',
    dueText: due.text,
    dueClass: due.overdue ? 'due due_overdue' : 'due',
    canCall: !context.supervisor && callable && !isMine && !claimedByOther && !waiting,
    logFocus:
      !context.supervisor && callable && !isMine && !claimedByOther && !waiting ? null : caller.callerKey,
    callLabel: `Call ${name}`,
    busy,
    isMine: isMine && !context.supervisor,
    onCall: context.onCall.has(caller.callerKey),
    // A caller known only from an event can be logged by its caller key, not by a made-up one.
    canLog:
      !context.supervisor && !claimedByOther && !(caller.provisional && caller.callerKey.startsWith('case:')),
    canRelease: isMine && !context.supervisor,
    releaseLabel: `Release ${name} for others`,
    rowClass: ['row', isNew ? 'row_new' : '', due.overdue ? 'row_overdue' : ''].filter(Boolean).join(' '),
    itemClass: ['slds-item', 'caller', isNew ? 'caller_new' : '', due.overdue ? 'caller_overdue' : '']
      .filter(Boolean)
      .join(' '),
    logLabel: `Log outcome for ${name}`,
    actionsLabel: `More actions for ${name}`,
    actions: caseActions(drops)
  };
}

/** "927 callers waiting, 1,204 drops · 12 overdue · showing 50". */
export function countText(totals: WorklistTotals | null, shown: number): string {
  if (!totals) {
    return '';
  }
  const n = (value: number): string => value.toLocaleString();
  const callers = totals.callers === 1 ? '1 caller waiting' : `${n(totals.callers)} callers waiting`;
  const parts = [totals.drops === totals.callers ? callers : `${callers}, ${n(totals.drops)} drops`];
  if (totals.overdue) {
    parts.push(`${n(totals.overdue)} overdue`);
  }
  if (shown < totals.callers) {
    parts.push(`showing ${n(shown)}`);
  }
  return parts.join(' · ');
}

export function emptyText(windowHours: number | null, filtered: boolean): string {
  const window = WINDOW_OPTIONS.find((option) => option.value && Number(option.value) === windowHours);
  const span = window ? window.label.toLowerCase() : 'the time window';
  return filtered
    ? `No open callbacks match these filters in ${span}. Try "All channels" and "All drops" or a longer time window.`
    : `No open callbacks in ${span}. New drops appear here on their own while live updates are on.`;
}

/** The supervisor's figures: everyone waiting, who is being called, retry delays, due-by breaches, oldest wait. */
export function supervisorTiles(
  totals: WorklistTotals | null,
  oldestDropAt: string | null,
  nowMs: number
): SupervisorTile[] {
  if (!totals) {
    return [];
  }
  const tile = (key: string, label: string, value: string, warn = false): SupervisorTile => ({
    key,
    label,
    value,
    tileClass: warn ? 'tile tile_warn' : 'tile'
  });
  const n = (value: number): string => value.toLocaleString();
  const oldest = parseTime(oldestDropAt);
  return [
    tile('callers', 'Waiting', n(totals.callers)),
    tile('eligible', 'Ready to call', n(totals.eligible)),
    tile('claimed', 'Being called', n(totals.claimed)),
    tile('waiting', 'Retry later', n(totals.waiting)),
    tile('overdue', 'Past due-by', n(totals.overdue), totals.overdue > 0),
    // Stryker disable next-line Regex: " ago" only ever ends the text
    tile('oldest', 'Oldest wait', oldest === null ? '–' : relativeTime(oldest, nowMs).replace(/ ago$/, ''))
  ];
}

/** "Ben Agent → Jane Doe (until 14:20)" for every listed caller someone is calling. */
export function claimsText(callers: LifecycleCaller[]): SupervisorClaim[] {
  return callers
    .filter((caller) => caller.claimedById || caller.claimedByMe)
    .map((caller) => {
      const who = caller.claimedByMe ? 'You' : caller.claimedByName || 'An agent';
      const until = parseTime(caller.claimedUntil);
      const name = displayName({
        customerName: caller.customerName ?? null,
        maskedPhone: caller.maskedPhone ?? null
      });
      return {
        key: caller.callerKey,
        text: `${who} → ${name}${until !== null ? ` (until ${clockTime(until)})` : ''}`
      };
    });
}

/** What the outcome dialog shows: when, where, what happened, attempts, last attempt, due-by. */
export function outcomeDetails(caller: LifecycleCaller, nowMs: number): OutcomeDetail[] {
  const drops = caller.drops ?? [];
  const latest = drops[0];
  const details: OutcomeDetail[] = [];
  const dropped = parseTime(latest?.droppedAt);
  if (dropped !== null) {
    details.push({ label: 'Dropped', value: `${clockTime(dropped)} (${relativeTime(dropped, nowMs)})` });
  }
  if (latest) {
    details.push({ label: 'What happened', value: describeDrop(latest) });
    details.push({ label: 'Channel', value: channelLabel(latest.channel) });
  }
  if (drops.length > 1) {
    details.push({
      label: 'Drops',
      value: `${drops.length}, first ${relativeTime(parseTime(caller.oldestDropAt), nowMs)}`
    });
  }
  const last = parseTime(caller.lastAttemptAt);
  details.push({
    label: 'Attempts',
    value:
      last !== null
        ? `${caller.attempts ?? 0}, last ${relativeTime(last, nowMs)}`
        : String(caller.attempts ?? 0)
  });
  const due = parseTime(caller.dueBy);
  if (due !== null) {
    details.push({
      label: 'Due by',
      value: `${clockTime(due)} (${dueText(caller.dueBy, nowMs).text.toLowerCase()})`
    });
  }
  return details;
}

/** The live status in words, honest about interruptions. */
export function liveText(state: string, detail: string, lastEventAtMs: number | null, nowMs: number): string {
  switch (state) {
    case 'live':
      return lastEventAtMs
        ? `Live · last update ${relativeTime(lastEventAtMs, nowMs)}`
        : 'Live · no new drops since you opened it';
    case 'connecting':
      return 'Connecting to live updates…';
    case 'interrupted':
      return `Live updates interrupted: ${detail}`;
    case 'unavailable':
      return `${detail} Use Reload to see new drops.`;
    default:
      return 'Live updates are off. Reload to see new drops.';
  }
}

/** "Show 50 more (50 of 927)". */
export function loadMoreText(total: number, shown: number, pageSize: number): string {
  const more = Math.min(pageSize, Math.max(0, total - shown)) || pageSize;
  return `Show ${more} more (${shown.toLocaleString()} of ${total.toLocaleString()})`;
}

/** Shown next to "Live updates": what the toggle costs. */
export const LIVE_HELP =
  'Shows new drops, and who is calling whom, as it happens. Every open worklist with live updates on is a ' +
  "streaming subscriber and uses part of your org's daily event delivery allowance; turn it off when you don't need it.";

export interface ListState {
  loaded: boolean;
  problem: unknown;
  callers: LifecycleCaller[];
  totals: WorklistTotals | null;
  nextCursor: string | null;
  loadedAtMs: number | null;
  windowHours: number | null;
  channel: string;
  category: string;
  isCompact: boolean;
}

/** The list area around the rows: the count line, which layout shows, the empty text and "Show more". */
export interface ListView {
  countText: string;
  refreshedText: string;
  showTable: boolean;
  showList: boolean;
  isEmpty: boolean;
  emptyText: string;
  showLoadMore: boolean;
  loadMoreLabel: string;
}

export function listView(state: ListState, pageSize: number): ListView {
  const shown = state.callers.length;
  const hasRows = state.loaded && shown > 0;
  const confirmed = state.callers.filter((caller) => !caller.provisional).length;
  return {
    countText: state.loaded ? countText(state.totals, confirmed) : '',
    refreshedText: state.loadedAtMs ? `Updated ${clockTime(state.loadedAtMs)}` : '',
    showTable: hasRows && !state.isCompact,
    showList: hasRows && state.isCompact,
    isEmpty: state.loaded && !state.problem && shown === 0,
    emptyText: emptyText(state.windowHours, Boolean(state.channel || state.category)),
    showLoadMore: hasRows && Boolean(state.nextCursor),
    loadMoreLabel: loadMoreText(state.totals?.callers ?? 0, shown, pageSize)
  };
}
