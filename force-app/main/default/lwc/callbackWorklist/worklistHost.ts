// What the worklist's action and live-event helpers (worklistActions.ts, worklistLive.ts) may read and change on
// the component. The component implements it with its own (reactive) fields, so assignments re-render.
import type { Announcement } from './announcer';

export interface WorklistHost {
  callers: LifecycleCaller[];
  totals: WorklistTotals | null;
  channel: string;
  category: string;
  nowMs: number;
  /** Caller keys with a claim/release in flight ('*next' for Next caller). */
  busy: Set<string>;
  /** Callers this agent has dialled and not logged yet. */
  onCall: Set<string>;
  /** Callers that arrived live and were not looked at yet. */
  unseen: Set<string>;
  actionProblem: string;
  /** A selector to focus after the next render. */
  pendingFocus: string | null;
  dispositions: DispositionOption[];
  dialog: LifecycleDialogState | null;
  dialogBusy: boolean;
  dialogError: string;
  announce(item: Announcement): void;
  /** Reload the list now (the server knows better). */
  reload(): void;
  /** Reload soon, coalescing with other requests. */
  refreshSoon(): void;
  /** Mark a drop as just arrived (highlight, and kept through refreshes that started earlier). */
  arrived(caseId: string): void;
  toast(title: string, message: string, variant: 'success' | 'error' | 'info'): void;
}
