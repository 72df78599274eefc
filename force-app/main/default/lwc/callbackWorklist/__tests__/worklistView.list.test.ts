// The texts and switches around the rows: the live status line, "Show more", the count line, which layout shows,
// and the empty state. The component tests reach these through the screen; here every state is checked directly.
import { clockTime, listView, liveText, loadMoreText, type ListState } from '../worklistView';

const page = require('./data/getWorklist.json');

const NOW = Date.parse('2026-11-25T14:00:00.000Z');
const MINUTE = 60000;
const callers = page.callers as LifecycleCaller[];
const TOTALS: WorklistTotals = page.totals;
/** Hours and minutes, in the browser's own 12 or 24 hour style, never seconds. */
const CLOCK = /^\d{2}:\d{2}(\s[AP]M)?$/;

describe('clockTime', () => {
  it('is empty without a time, else hours and minutes', () => {
    expect(clockTime(null)).toBe('');
    expect(clockTime(NOW)).toMatch(CLOCK);
  });
});

describe('liveText', () => {
  it.each([
    ['live', '', NOW - 2 * MINUTE, 'Live · last update 2 min ago'],
    ['live', '', null, 'Live · no new drops since you opened it'],
    ['connecting', '', null, 'Connecting to live updates…'],
    ['interrupted', 'Connection lost.', null, 'Live updates interrupted: Connection lost.'],
    [
      'unavailable',
      'Live updates need the API Enabled permission.',
      null,
      'Live updates need the API Enabled permission. Use Reload to see new drops.'
    ],
    ['off', '', NOW, 'Live updates are off. Reload to see new drops.']
  ])('%s (%p)', (state, detail, lastEventAtMs, text) => {
    expect(liveText(state, detail, lastEventAtMs, NOW)).toBe(text);
  });
});

describe('loadMoreText', () => {
  it.each([
    [927, 50, 50, 'Show 50 more (50 of 927)'],
    [60, 50, 50, 'Show 10 more (50 of 60)'],
    [1500, 1200, 50, 'Show 50 more (1,200 of 1,500)'],
    // The total can lag behind what live updates added: still offer a page, never a negative count.
    [50, 50, 50, 'Show 50 more (50 of 50)'],
    [40, 50, 50, 'Show 50 more (50 of 40)']
  ])('%p total, %p shown, pages of %p: %p', (total, shown, pageSize, text) => {
    expect(loadMoreText(total, shown, pageSize)).toBe(text);
  });
});

describe('listView', () => {
  function state(overrides: Partial<ListState> = {}): ListState {
    return {
      loaded: true,
      problem: null,
      callers,
      totals: TOTALS,
      nextCursor: 'next-page',
      loadedAtMs: NOW,
      windowHours: 4,
      channel: '',
      category: '',
      isCompact: false,
      ...overrides
    };
  }

  it('shows the table at full width with the count, the refresh time and "Show more"', () => {
    const view = listView(state(), 50);
    expect(view).toMatchObject({
      countText: `927 callers waiting, 1,204 drops · 12 overdue · showing ${callers.length}`,
      showTable: true,
      showList: false,
      isEmpty: false,
      showLoadMore: true,
      loadMoreLabel: `Show 50 more (${callers.length} of 927)`
    });
    expect(view.refreshedText).toMatch(/^Updated \d{2}:\d{2}(\s[AP]M)?$/);
  });

  it('shows the compact list in a narrow panel instead of the table', () => {
    expect(listView(state({ isCompact: true }), 50)).toMatchObject({ showTable: false, showList: true });
  });

  it('counts only confirmed callers: one known only from an event is not in the totals yet', () => {
    const provisional = { callerKey: 'p:new', provisional: true } as LifecycleCaller;
    expect(listView(state({ callers: [provisional, ...callers] }), 50)).toMatchObject({
      countText: `927 callers waiting, 1,204 drops · 12 overdue · showing ${callers.length}`,
      loadMoreLabel: `Show 50 more (${callers.length + 1} of 927)`
    });
  });

  it('shows nothing of the list before the first load', () => {
    expect(listView(state({ loaded: false, loadedAtMs: null }), 50)).toMatchObject({
      countText: '',
      refreshedText: '',
      showTable: false,
      showList: false,
      isEmpty: false,
      showLoadMore: false
    });
  });

  it('offers no "Show more" on the last page', () => {
    expect(listView(state({ nextCursor: null }), 50).showLoadMore).toBe(false);
  });

  it('says the list is empty, naming the window, and suggests clearing a filter when one is set', () => {
    expect(listView(state({ callers: [], nextCursor: null }), 50)).toMatchObject({
      isEmpty: true,
      showTable: false,
      showList: false,
      showLoadMore: false,
      emptyText:
        'No open callbacks in last 4 hours. New drops appear here on their own while live updates are on.'
    });
    for (const filter of [{ channel: 'VOICE' }, { category: 'DROPPED_IN_IVR' }]) {
      expect(listView(state({ callers: [], ...filter }), 50).emptyText).toMatch(
        /^No open callbacks match these filters in last 4 hours\./
      );
    }
  });

  it('does not call the list empty while a load error is shown', () => {
    expect(listView(state({ callers: [], problem: { kind: 'network' } }), 50).isEmpty).toBe(false);
  });

  it('counts from zero when the server sent no totals', () => {
    expect(listView(state({ totals: null }), 50)).toMatchObject({
      countText: '',
      loadMoreLabel: `Show 50 more (${callers.length} of 0)`
    });
  });
});
