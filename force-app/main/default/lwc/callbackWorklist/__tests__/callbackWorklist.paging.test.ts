// Loading at the edges: how many callers a refresh asks for (never fewer than shown, at most 200, not counting
// callers that only arrived live), answers that come back out of order, callers that arrived live while a refresh
// was on its way, "Show more" pressed twice, failing or bringing nothing, and a filter change starting over.
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import {
  OUTAGE,
  advance,
  changeCombobox,
  click,
  deliver,
  holdRefresh,
  lastRequest,
  renderWorklist,
  serverReturns,
  useWorklistSetUp
} from './worklistHarness';
import { loadFirst, type LoaderHost } from '../worklistLoader';
import { NOW, bodyRows, button, cellText, flushPromises, names, root, deferred } from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockPage2 = require('./data/getWorklistPage2.json');
const mockEvent = require('./data/disconnectedCallEvent.json');

function callers(count: number, prefix: string): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    ...mockPage.callers[1],
    callerKey: `${prefix}${i}`,
    maskedPhone: `+*******${String(1000 + i)}`
  }));
}

function reloadButton(element: HTMLElement): HTMLElement | null {
  return root(element).querySelector<HTMLElement>('lightning-button[data-id="reload"]');
}

/** The next getWorklist call waits for the test to answer it. */
function answerNext(): { resolve: (value: unknown) => void; reject: (error: unknown) => void } {
  const answer = deferred<unknown>();
  jest.mocked(getWorklist).mockReturnValueOnce(answer.promise as ReturnType<typeof getWorklist>);
  return answer;
}

describe('c-callback-worklist', () => {
  useWorklistSetUp();

  it('shows the answer for the filter chosen last, and keeps waiting for it when an earlier one answers late', async () => {
    const element = await renderWorklist();
    const voice = answerNext();
    changeCombobox(element, 'channel', 'VOICE');
    await flushPromises();
    const chat = answerNext();
    changeCombobox(element, 'channel', 'CHAT');
    await flushPromises();

    voice.resolve(mockPage);
    await flushPromises();
    expect(bodyRows(element)).toHaveLength(0);
    expect(root(element).querySelector('[data-id="loading"]')).not.toBeNull();

    chat.resolve({
      ...mockPage,
      callers: mockPage.callers.slice(0, 2),
      totals: { ...mockPage.totals, callers: 2 }
    });
    await flushPromises();
    expect(names(element)).toEqual(['Jane Doe', '+*******0142']);
    expect(root(element).querySelector('[data-id="loading"]')).toBeNull();
  });

  it('says nothing about an earlier request that fails after a later one succeeded', async () => {
    const element = await renderWorklist();
    const first = answerNext();
    await click(reloadButton(element));
    serverReturns(mockPage);
    await click(reloadButton(element));
    first.reject(OUTAGE);
    await flushPromises();
    expect(root(element).querySelector('[data-id="notice"]')).toBeNull();
    expect(bodyRows(element)).toHaveLength(5);
  });

  it('keeps a caller that arrived live while a refresh was on its way, not one that arrived before it', async () => {
    jest.useFakeTimers({ now: NOW });
    const element = await renderWorklist();
    holdRefresh();
    await deliver(mockEvent);
    expect(names(element)).toContain('Maria Garcia');
    expect(cellText(root(element), 'show-new')).toBe('1 new1 new caller: show');

    // Started after Maria arrived, and without her: she goes, and so does "1 new".
    await advance(10);
    serverReturns(mockPage);
    await click(reloadButton(element));
    expect(names(element)).not.toContain('Maria Garcia');
    expect(root(element).querySelector('[data-id="show-new"]')).toBeNull();

    // Started before she arrived: she stays until a later refresh includes her.
    const slow = answerNext();
    await click(reloadButton(element));
    await advance(10);
    await deliver(mockEvent);
    slow.resolve(mockPage);
    await flushPromises();
    expect(names(element)).toContain('Maria Garcia');
    expect(cellText(root(element), 'show-new')).toBe('1 new1 new caller: show');
  });

  it('loads one page however often Show more is pressed, and puts focus on the first new caller', async () => {
    const element = await renderWorklist();
    const more = answerNext();
    const loadMore = button(root(element), 'load-more') as HTMLButtonElement;
    await click(loadMore);
    expect(button(root(element), 'load-more')?.disabled).toBe(true);
    loadMore.dispatchEvent(new CustomEvent('click'));
    await flushPromises();
    expect(getWorklist).toHaveBeenCalledTimes(2);

    const focus = jest.spyOn(HTMLElement.prototype, 'focus');
    more.resolve(mockPage2);
    await flushPromises();
    const focused = focus.mock.contexts as HTMLElement[];
    focus.mockRestore();
    expect(focused.map((target) => target.dataset.focus)).toEqual([mockPage2.callers[0].callerKey]);
  });

  it('keeps the list and offers Show more again when the next page fails', async () => {
    const element = await renderWorklist();
    jest.mocked(getWorklist).mockRejectedValueOnce(OUTAGE);
    await click(button(root(element), 'load-more'));
    expect(bodyRows(element)).toHaveLength(5);
    expect(cellText(root(element), 'notice')).toMatch(
      /^Couldn't refresh callbacks: Salesforce didn't answer/
    );
    expect(button(root(element), 'load-more')?.disabled).toBe(false);
  });

  it('moves focus nowhere when the next page brings nobody', async () => {
    const element = await renderWorklist();
    serverReturns({ ...mockPage2, callers: [] });
    const focus = jest.spyOn(HTMLElement.prototype, 'focus');
    await click(button(root(element), 'load-more'));
    const focused = focus.mock.calls.length;
    focus.mockRestore();
    expect(focused).toBe(0);
    expect(bodyRows(element)).toHaveLength(5);
    expect(root(element).querySelector('[data-id="notice"]')).toBeNull();
  });

  it('starts over for a new filter: the old callers and totals go while the new list loads', async () => {
    const element = await renderWorklist();
    holdRefresh();
    changeCombobox(element, 'channel', 'CHAT');
    await flushPromises();
    expect(bodyRows(element)).toHaveLength(0);
    expect(root(element).querySelector('[data-id="loading"]')).not.toBeNull();
    expect(cellText(root(element), 'count')).not.toMatch(/waiting/);
  });
});

// Sizing a refresh needs hundreds of callers on screen; rendering them takes minutes in jsdom on a loaded machine,
// so these ask the loader directly what it would request.
describe('how many callers a refresh asks for', () => {
  function host(shown: unknown[]): LoaderHost {
    return {
      callers: shown as LifecycleCaller[],
      totals: null,
      nextCursor: null,
      oldestDropAt: null,
      windowHours: null,
      channel: '',
      category: '',
      unseen: new Set(),
      loading: false,
      loadingMore: false,
      loaded: true,
      loadedAtMs: NOW,
      problem: null,
      pendingFocus: null,
      arrivals: new Map(),
      loadSequence: 0
    };
  }

  async function pageSizeFor(shown: unknown[]): Promise<number> {
    jest.mocked(getWorklist).mockResolvedValue(mockPage);
    await loadFirst(host(shown));
    return Number(lastRequest().pageSize);
  }

  afterEach(() => jest.mocked(getWorklist).mockReset());

  it('asks for a page at least, as many as are shown, and at most 200', async () => {
    expect(await pageSizeFor([])).toBe(50);
    expect(await pageSizeFor(callers(49, 'a'))).toBe(50);
    expect(await pageSizeFor(callers(51, 'b'))).toBe(51);
    expect(await pageSizeFor(callers(200, 'c'))).toBe(200);
    expect(await pageSizeFor(callers(201, 'd'))).toBe(200);
  });

  it('does not count callers that only arrived live', async () => {
    const live = callers(3, 'live').map((caller) => ({ ...(caller as object), provisional: true }));
    expect(await pageSizeFor([...callers(60, 'e'), ...live])).toBe(60);
  });
});
