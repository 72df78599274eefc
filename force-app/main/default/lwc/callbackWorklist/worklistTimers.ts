// The worklist's clocks: the tick that keeps relative times ("12 min ago") fresh, one coalesced server refresh
// for a burst of events, and how long a caller that arrived live stays highlighted. All cleared on disconnect.

/** Relative times ("12 min ago") are recomputed this often. */
export const TICK_MS = 30000;
/** How long a row that arrived live stays highlighted. */
export const HIGHLIGHT_MS = 8000;
/** New-drop events within this span share one server refresh. */
export const REFRESH_COALESCE_MS = 1500;

export class WorklistTimers {
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private highlightTimers: Map<string, ReturnType<typeof setTimeout>> = new Map();

  /** Calls onTick every TICK_MS until stopped. */
  startTick(onTick: () => void): void {
    clearInterval(this.tickTimer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.tickTimer = setInterval(onTick, TICK_MS);
  }

  /** Runs refresh once REFRESH_COALESCE_MS after the first request; requests in between join it. */
  refreshSoon(refresh: () => void): void {
    if (this.refreshTimer !== undefined) {
      return;
    }
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      refresh();
    }, REFRESH_COALESCE_MS);
  }

  /** Calls expire(key) HIGHLIGHT_MS from now; a newer arrival of the same key starts its time again. */
  highlight(key: string, expire: (key: string) => void): void {
    clearTimeout(this.highlightTimers.get(key));
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    const timer = setTimeout(() => {
      this.highlightTimers.delete(key);
      expire(key);
    }, HIGHLIGHT_MS);
    this.highlightTimers.set(key, timer);
  }

  stop(): void {
    clearInterval(this.tickTimer);
    clearTimeout(this.refreshTimer);
    this.tickTimer = undefined;
    this.refreshTimer = undefined;
    // Stryker disable next-line BlockStatement: a highlight timer left running would only clear a highlight the component dropped when it stopped them.
    for (const timer of this.highlightTimers.values()) {
      clearTimeout(timer);
    }
    this.highlightTimers.clear();
  }
}
