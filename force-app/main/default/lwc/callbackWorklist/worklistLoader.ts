// Loading the worklist: the first page(s) as long as the list shown (a refresh never shrinks it), "Show more" by
// the server's cursor, and the last good list kept when a request fails (the component shows the notice).
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import { classifyError, type WorklistProblem } from './worklistErrors';
import { EMPTY_TOTALS, appendPage, mergeRefresh } from './worklistStore';

export const PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

/** What loading reads and changes on the component. */
export interface LoaderHost {
  callers: LifecycleCaller[];
  totals: WorklistTotals | null;
  nextCursor: string | null;
  oldestDropAt: string | null;
  windowHours: number | null;
  channel: string;
  category: string;
  unseen: Set<string>;
  loading: boolean;
  loadingMore: boolean;
  loaded: boolean;
  loadedAtMs: number | null;
  problem: WorklistProblem | null;
  pendingFocus: string | null;
  /** When each live drop arrived (Case Id → ms), to keep it through refreshes that started earlier. */
  arrivals: Map<string, number>;
  loadSequence: number;
}

function request(host: LoaderHost, cursor: string | null, pageSize: number): string {
  const body: WorklistRequest = {
    pageSize,
    cursor,
    channel: host.channel || null,
    category: host.category || null,
    windowHours: host.windowHours,
    includeWaiting: true
  };
  return JSON.stringify(body);
}

function applyPage(host: LoaderHost, page: WorklistPage): void {
  host.totals = page.totals ?? EMPTY_TOTALS;
  host.nextCursor = page.nextCursor ?? null;
  host.oldestDropAt = page.oldestDropAt ?? null;
  host.loaded = true;
  host.loadedAtMs = Date.now();
  host.problem = null;
}

/** The first page, as long as the list shown now (at least a page); later answers win over earlier ones. */
export async function loadFirst(host: LoaderHost): Promise<void> {
  const sequence = ++host.loadSequence;
  const startedAtMs = Date.now();
  const shown = host.callers.filter((caller) => !caller.provisional).length;
  host.loading = true;
  try {
    const page = await getWorklist({
      requestJson: request(host, null, Math.min(MAX_PAGE_SIZE, Math.max(PAGE_SIZE, shown)))
    });
    if (sequence !== host.loadSequence) {
      return;
    }
    applyPage(host, page);
    // Callers that arrived live after this request started stay until a later refresh includes them.
    host.callers = mergeRefresh(host.callers, page.callers ?? [], (caller) =>
      // Stryker disable next-line EqualityOperator,ArrayDeclaration: a drop in the very millisecond the request started may or may not be in its answer, either way is right; a stand-in drop has no Case Id, so no arrival time either.
      (caller.drops ?? []).some((drop) => (host.arrivals.get(drop.caseId) ?? 0) > startedAtMs)
    );
    const keys = new Set(host.callers.map((caller) => caller.callerKey));
    host.unseen = new Set([...host.unseen].filter((key) => keys.has(key)));
  } catch (error) {
    if (sequence === host.loadSequence) {
      // The last good list stays on screen; only the notice says it could not be refreshed.
      host.problem = classifyError(error);
    }
  } finally {
    if (sequence === host.loadSequence) {
      host.loading = false;
    }
  }
}

/** New filters: callers of the old filters would be misleading under the new ones, so the list starts over. */
export function reloadWithFilters(host: LoaderHost): Promise<void> {
  host.loaded = false;
  // Stryker disable next-line ArrayDeclaration: no list shows until loaded, and the answer keeps only live arrivals, which a stand-in entry is not.
  host.callers = [];
  host.totals = null;
  host.problem = null;
  return loadFirst(host);
}

/** "Show 50 more": the next page after the shown callers; focus goes to the first new one. */
export async function loadMore(host: LoaderHost): Promise<void> {
  if (!host.nextCursor || host.loadingMore) {
    return;
  }
  host.loadingMore = true;
  const firstNew = host.callers.length;
  try {
    const page = await getWorklist({ requestJson: request(host, host.nextCursor, PAGE_SIZE) });
    host.callers = appendPage(host.callers, page.callers ?? []);
    applyPage(host, page);
    const first = host.callers[firstNew];
    host.pendingFocus = first ? `[data-focus="${first.callerKey}"]` : null;
  } catch (error) {
    host.problem = classifyError(error);
  } finally {
    host.loadingMore = false;
  }
}
