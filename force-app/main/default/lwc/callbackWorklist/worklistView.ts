// How a caller group becomes a row on screen (table or compact list), and the fixed option lists.
import { channelLabel, describeDrop, displayName, relativeTime } from './worklistModel';

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
  { label: 'Dropped in IVR', value: 'DROPPED_IN_IVR' }
];
export const COLUMNS: Array<{ field: WorklistSortField; label: string }> = [
  { field: 'customer', label: 'Customer' },
  { field: 'droppedAt', label: 'Dropped' },
  { field: 'channel', label: 'Channel' },
  { field: 'attempts', label: 'Attempts' },
  { field: 'drops', label: 'Drops' }
];

/**
 * The design property / filter value as the server wants it: null = the org setting; otherwise the smallest
 * offered window that covers what an admin typed.
 */
export function normaliseWindow(value: unknown): number | null {
  if (value === null || value === undefined || String(value).trim() === '') {
    return null;
  }
  const hours = Number(value);
  if (!Number.isFinite(hours) || hours <= 0) {
    return null;
  }
  const allowed = WINDOW_OPTIONS.filter((option) => option.value).map((option) => Number(option.value));
  return allowed.find((option) => option >= hours) ?? allowed[allowed.length - 1] ?? null;
}

export interface RowContext {
  nowMs: number;
  highlighted: Set<string>;
  unseen: Set<string>;
}

export function toViewRow(group: CallerGroup, context: RowContext): WorklistViewRow {
  const name = displayName(group);
  const latestCase = group.cases[0];
  const actions: WorklistMenuAction[] = group.cases.map((ref) => ({
    value: `open:${ref.caseId}`,
    label: ref.caseNumber ? `Open case ${ref.caseNumber}` : 'Open case'
  }));
  const whenText = relativeTime(group.firstDroppedAtMs, context.nowMs);
  const isNew = group.cases.some((ref) => context.highlighted.has(ref.caseId));
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
    rowClass: isNew ? 'row row_new' : 'row',
    itemClass: isNew ? 'slds-item caller caller_new' : 'slds-item caller',
    isUnseen: context.unseen.has(group.key),
    logLabel: `Log outcome for ${name}`,
    actionsLabel: `More actions for ${name}`,
    actions
  };
}
