// Loading the worklist: the first page, true totals, paging, the filters' request, and what a failed load or
// refresh shows.
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import {
  OUTAGE,
  changeCombobox,
  click,
  holdRefresh,
  lastRequest,
  renderWorklist,
  serverFails,
  serverReturns,
  useWorklistSetUp
} from './worklistHarness';
import {
  FIRST_PAGE_NAMES,
  JANE,
  OMAR,
  PRIYA,
  SAM,
  UNKNOWN_0142,
  bodyRows,
  button,
  cellText,
  createWorklist,
  flushPromises,
  names,
  root,
  rowByKey
} from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockPage2 = require('./data/getWorklistPage2.json');
const mockEmpty = require('./data/getWorklistEmpty.json');

describe('c-callback-worklist', () => {
  useWorklistSetUp();

  describe('loading, totals and paging', () => {
    it('shows a spinner until the first page arrives', async () => {
      holdRefresh();
      const element = createWorklist();
      await flushPromises();
      expect(root(element).querySelector('lightning-spinner')).not.toBeNull();
      expect(cellText(root(element), 'count')).toBe('');
    });

    it('asks for the most urgent page, the window left to the org setting, waiting callers included', async () => {
      await renderWorklist();
      expect(getWorklist).toHaveBeenCalledTimes(1);
      expect(lastRequest()).toEqual({
        pageSize: 50,
        cursor: null,
        channel: null,
        category: null,
        windowHours: null,
        includeWaiting: true
      });
    });

    it('shows true totals, not the length of the page', async () => {
      const element = await renderWorklist();
      expect(bodyRows(element)).toHaveLength(5);
      expect(cellText(root(element), 'count')).toMatch(
        /^927 callers waiting, 1,204 drops · 12 overdue · showing 5 · Updated /
      );
    });

    it('lists callers in the server order with who is calling, waiting-until and due-by', async () => {
      const element = await renderWorklist();
      expect(names(element)).toEqual(FIRST_PAGE_NAMES);

      const jane = rowByKey(element, JANE);
      expect(cellText(jane, 'drops')).toBe('2 drops');
      expect(cellText(jane, 'when')).toBe('first drop 55 min ago');
      expect(cellText(jane, 'reason')).toBe('Dropped in the IVR: the contact flow ended the call (Voice)');
      expect(cellText(jane, 'status')).toBe('Ready to call');
      expect(cellText(jane, 'due')).toBe('Overdue by 10 min');
      expect(jane.className).toContain('row_overdue');
      expect(cellText(jane, 'attempts')).toBe('1 (last 30 min ago)');
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'due')).toBe('Due in 20 min');
      expect(cellText(rowByKey(element, OMAR), 'status')).toMatch(/^Ben Agent is calling until /);
      expect(cellText(rowByKey(element, PRIYA), 'status')).toMatch(/^Next try after /);
      expect(cellText(rowByKey(element, SAM), 'status')).toBe('No number to call');
    });

    it('offers Call only where a call can start, and never shows or dials a full number before the claim', async () => {
      const element = await renderWorklist();
      expect(button(rowByKey(element, JANE), 'call')).not.toBeNull();
      expect(button(rowByKey(element, OMAR), 'call')).toBeNull();
      expect(button(rowByKey(element, OMAR), 'log')).toBeNull();
      expect(button(rowByKey(element, PRIYA), 'call')).toBeNull();
      expect(button(rowByKey(element, SAM), 'call')).toBeNull();
      expect(root(element).querySelector('lightning-click-to-dial')).toBeNull();
      const text = root(element).textContent ?? '';
      expect(text).toContain('+*******0142');
      expect(text).not.toContain('+15555550142');
    });

    it('loads the next page on request, after the shown callers, and says how many are left', async () => {
      const element = await renderWorklist();
      expect(cellText(root(element), 'load-more')).toBe('Show 50 more (5 of 927)');

      serverReturns(mockPage2);
      await click(button(root(element), 'load-more'));

      expect(lastRequest()).toMatchObject({ cursor: 'cursor-page-2', pageSize: 50 });
      expect(names(element)).toEqual([...FIRST_PAGE_NAMES, '+********0958']);
      expect(button(root(element), 'load-more')).toBeNull();
    });

    it('refreshes as many callers as are shown, so a refresh never shrinks the list', async () => {
      const element = await renderWorklist({
        ...mockPage,
        callers: Array(5)
          .fill(null)
          .map((_, i) => ({ ...mockPage.callers[0], callerKey: `k${i}` }))
      });
      serverReturns({
        ...mockPage2,
        callers: Array(70)
          .fill(null)
          .map((_, i) => ({ ...mockPage.callers[1], callerKey: `m${i}` }))
      });
      await click(button(root(element), 'load-more'));
      serverReturns(mockPage);
      await click(root(element).querySelector<HTMLElement>('lightning-button[data-id="reload"]'));
      expect(lastRequest()).toMatchObject({ pageSize: 75, cursor: null });
    });

    it('says what to do when there is nothing to call back', async () => {
      const element = await renderWorklist(mockEmpty);
      expect(cellText(root(element), 'empty')).toBe(
        'No open callbacks in the time window. New drops appear here on their own while live updates are on.'
      );
    });

    it('asks again with the filters and the design-time window', async () => {
      const element = await renderWorklist(mockPage, 1200, { defaultWindowHours: '5' });
      expect(lastRequest()).toMatchObject({ windowHours: 24 });
      changeCombobox(element, 'channel', 'VOICE');
      changeCombobox(element, 'category', 'DROPPED_IN_IVR');
      await flushPromises();
      expect(lastRequest()).toMatchObject({ windowHours: 24, channel: 'VOICE', category: 'DROPPED_IN_IVR' });
    });
  });

  describe('errors', () => {
    it('blames permissions only for a permission problem, with no Retry', async () => {
      serverFails({
        status: 500,
        body: { message: '{"code":"NO_ACCESS","message":"You need the Callback Agent permission set."}' }
      });
      const element = createWorklist();
      await flushPromises();
      expect(cellText(root(element), 'error')).toBe(
        "Couldn't load callbacks: you don't have access (You need the Callback Agent permission set). " +
          'Ask your Salesforce admin for the Callback_Agent permission set.'
      );
      expect(button(root(element), 'retry')).toBeNull();
    });

    it('calls a 503 an outage and recovers on Retry', async () => {
      serverFails(OUTAGE);
      const element = createWorklist();
      await flushPromises();
      expect(cellText(root(element), 'error')).toContain("Salesforce didn't answer (Service Unavailable)");
      serverReturns(mockPage);
      await click(button(root(element), 'retry'));
      expect(root(element).querySelector('[data-id="error"]')).toBeNull();
      expect(bodyRows(element)).toHaveLength(5);
    });

    it('keeps the last good rows when a refresh fails, with one notice and Retry', async () => {
      const element = await renderWorklist();
      serverFails(OUTAGE);
      await click(root(element).querySelector<HTMLElement>('lightning-button[data-id="reload"]'));

      expect(bodyRows(element)).toHaveLength(5);
      expect(cellText(root(element), 'notice')).toMatch(
        /^Couldn't refresh callbacks: Salesforce didn't answer \(Service Unavailable\)\. This is usually brief\. Showing the list as of .+\.\s?Retry$/
      );
      expect(root(element).querySelector('[data-id="error"]')).toBeNull();
      serverReturns(mockPage);
      await click(button(root(element), 'retry'));
      expect(root(element).querySelector('[data-id="notice"]')).toBeNull();
    });
  });
});
