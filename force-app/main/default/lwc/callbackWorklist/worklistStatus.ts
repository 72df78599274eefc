// What the worklist says about its own state, apart from the rows: the live-status line, the blocking error, the
// one notice at a time (with Retry or OK), and the "N new" button. A pure function of the component's state; the
// template reads it as {status.…}.
import type { LiveState } from './liveStream';
import { problemText, type WorklistProblem } from './worklistErrors';
import { clockTime, liveText } from './worklistView';

export interface StatusState {
  problem: WorklistProblem | null;
  actionProblem: string;
  loaded: boolean;
  loadedAtMs: number | null;
  liveState: LiveState;
  liveDetail: string;
  lastEventAtMs: number | null;
  nowMs: number;
  /** Callers that arrived live and were not looked at yet. */
  unseen: Set<string>;
}

export interface WorklistStatus {
  liveText: string;
  liveClass: string;
  /** Nothing to show but the problem: the first load failed. */
  blockingError: string;
  /** One notice at a time: the latest action's problem, else a failed refresh (the list stays, maybe stale). */
  notice: string;
  showRetry: boolean;
  showDismiss: boolean;
  newCount: number;
  /** The "N new" button: its visible text, and what a screen reader hears. */
  newText: string;
  newLabel: string;
}

function noticeText(state: StatusState): string {
  if (state.actionProblem) {
    return state.actionProblem;
  }
  if (!state.problem || !state.loaded) {
    return '';
  }
  const since = state.loadedAtMs ? ` Showing the list as of ${clockTime(state.loadedAtMs)}.` : '';
  return `${problemText(state.problem, 'refresh')}${since}`;
}

function liveClass(liveState: LiveState): string {
  const state = liveState === 'live' ? 'ok' : liveState === 'interrupted' ? 'warn' : 'idle';
  return `live-status live-status_${state} slds-text-body_small`;
}

export function statusView(state: StatusState): WorklistStatus {
  const count = state.unseen.size;
  return {
    liveText: liveText(state.liveState, state.liveDetail, state.lastEventAtMs, state.nowMs),
    liveClass: liveClass(state.liveState),
    blockingError: state.problem && !state.loaded ? problemText(state.problem, 'load') : '',
    notice: noticeText(state),
    // Retry helps with a failed load or refresh, never with a missing permission or an action's problem.
    showRetry: !state.actionProblem && state.problem !== null && state.problem.kind !== 'permission',
    showDismiss: Boolean(state.actionProblem),
    newCount: count,
    newText: `${count} new`,
    newLabel: `${count} new ${count === 1 ? 'caller' : 'callers'}: show`
  };
}
