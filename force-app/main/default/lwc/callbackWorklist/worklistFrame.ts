// The worklist's frame: its own width (ResizeObserver on the component, not the window), the utility-bar label
// and highlight, and where keyboard focus goes when rows come and go.
import { updateUtility } from 'lightning/platformUtilityBarApi';

interface Root {
  querySelector<E extends Element = Element>(selector: string): E | null;
}

export interface FrameHost {
  /** Null only for light-DOM components; this one renders in its shadow root. */
  template?: Root | null;
  width: number;
  resizeObserver?: ResizeObserver;
  utilityId: string | null;
  utilitySent: string;
  utilityLabel: string;
  loaded: boolean;
  totals: WorklistTotals | null;
  unseen: Set<string>;
  problem: unknown;
  liveState: string;
  pendingFocus: string | null;
  dialog: unknown;
  callers: LifecycleCaller[];
  focusedRow: { key: string; index: number } | null;
}

export function observeWidth(host: FrameHost): void {
  // Stryker disable next-line OptionalChaining: the worklist always has its (shadow) template.
  const frame = host.template?.querySelector<HTMLElement>('[data-id="frame"]');
  if (host.resizeObserver || typeof ResizeObserver === 'undefined' || !frame) {
    return;
  }
  // The component's own width decides the layout: a 640 px utility panel on a 1920 px screen is still narrow.
  host.resizeObserver = new ResizeObserver((entries) => {
    // One frame observed, so one entry. Setting the same width again re-renders nothing (LWC compares first).
    // Stryker disable next-line OptionalChaining: the observer always reports the frame it observes.
    host.width = Math.round(entries[0]?.contentRect.width ?? 0);
  });
  host.resizeObserver.observe(frame);
}

/** "Callbacks (927)", highlighted while new callers wait to be seen, a warning icon while the list is stale. */
export function syncUtility(host: FrameHost): void {
  if (!host.utilityId) {
    return;
  }
  const waiting = host.totals?.callers ?? 0;
  const attrs = {
    label: host.loaded && waiting ? `${host.utilityLabel} (${waiting})` : host.utilityLabel,
    highlighted: host.unseen.size > 0,
    iconVariant: host.problem || host.liveState === 'interrupted' ? 'warning' : ''
  };
  const key = JSON.stringify(attrs);
  if (key !== host.utilitySent) {
    host.utilitySent = key;
    updateUtility(host.utilityId, attrs).catch(() => {
      // Not in a utility bar after all, or the console refused: the panel itself still shows the count.
    });
  }
}

/** Remembers which caller's row holds focus, and where it was. */
export function noteFocus(host: FrameHost, target: EventTarget | null): void {
  const key = ((target as HTMLElement | null)?.closest?.('[data-key]') as HTMLElement | null)?.dataset.key;
  if (key) {
    host.focusedRow = { key, index: host.callers.findIndex((caller) => caller.callerKey === key) };
  }
}

export function focusTarget(host: FrameHost, selector: string): boolean {
  // Stryker disable next-line OptionalChaining: the worklist always has its (shadow) template.
  const target = host.template?.querySelector<HTMLElement>(selector);
  target?.scrollIntoView?.({ block: 'nearest' });
  target?.focus();
  return Boolean(target);
}

/** "3 new": focus goes to the first new caller, and the marker clears. */
export function focusFirstNew(host: FrameHost): void {
  const first = host.callers.find((caller) => host.unseen.has(caller.callerKey));
  host.unseen = new Set();
  if (first) {
    focusTarget(host, `[data-focus="${first.callerKey}"]`);
  }
}

/** Focus goes where it was asked to, or — when the focused caller left the list — to the one now in its place. */
export function restoreFocus(host: FrameHost): void {
  if (host.pendingFocus && !host.dialog) {
    const selector = host.pendingFocus;
    host.pendingFocus = null;
    // Stryker disable next-line BlockStatement: focus now on the target, the checks below leave it there (they differ only for a target that exists but cannot take focus).
    if (focusTarget(host, selector)) {
      return;
    }
  }
  const focused = host.focusedRow;
  if (!focused || host.dialog || host.callers.some((caller) => caller.callerKey === focused.key)) {
    return;
  }
  // Only focus lost with the removed row (back on the page's body) moves; focus the agent put anywhere else, in the
  // worklist or elsewhere on the page (the softphone, a note), stays there.
  if (document.activeElement !== document.body) {
    return;
  }
  host.focusedRow = null;
  const replacement = host.callers[Math.min(Math.max(focused.index, 0), host.callers.length - 1)];
  if (!replacement || !focusTarget(host, `[data-focus="${replacement.callerKey}"]`)) {
    focusTarget(host, '[data-id="heading"]');
  }
}
