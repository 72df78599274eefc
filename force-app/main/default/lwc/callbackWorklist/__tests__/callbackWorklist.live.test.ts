// Live updates (new drops and changes by anyone, the stream's health) and what they mean for screen-reader
// announcements, the "N new" button and keyboard focus.
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import { subscribe, unsubscribe } from 'lightning/empApi';
import {
  ANNOUNCE_THROTTLE_MS,
  HIGHLIGHT_MS,
  OUTAGE,
  REFRESH_COALESCE_MS,
  advance,
  changeCombobox,
  click,
  deliver,
  holdRefresh,
  newDrop,
  renderWorklist,
  reportStreamingError,
  serverFails,
  serverReturns,
  setLiveToggle,
  useWorklistSetUp
} from './worklistHarness';
import {
  FakeResizeObserver,
  JANE,
  MY_USER_ID,
  NOW,
  OMAR,
  UNKNOWN_0142,
  bodyRows,
  button,
  cellText,
  flushPromises,
  names,
  root,
  rowByKey
} from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockPage2 = require('./data/getWorklistPage2.json');
const mockEvent = require('./data/disconnectedCallEvent.json');
const mockRepeatEvent = require('./data/disconnectedCallEventRepeat.json');
const mockClaimedByOther = require('./data/callbackChangeClaimedByOther.json');
const mockReachedByOther = require('./data/callbackChangeReachedByOther.json');
const mockNoAnswerByOther = require('./data/callbackChangeNoAnswerByOther.json');
const mockAutoClosed = require('./data/callbackChangeAutoClosed.json');

describe('c-callback-worklist', () => {
  useWorklistSetUp();

  describe('live updates', () => {
    it('subscribes to new drops and to changes, for new events only', async () => {
      const element = await renderWorklist();
      expect(subscribe).toHaveBeenCalledWith('/event/Disconnected_Call__e', -1, expect.any(Function));
      expect(subscribe).toHaveBeenCalledWith('/event/Callback_Change__e', -1, expect.any(Function));
      expect(cellText(root(element), 'live-status')).toBe('Live · no new drops since you opened it');
    });

    it("shows another agent's claim at once", async () => {
      const element = await renderWorklist();
      await deliver(mockClaimedByOther);
      const row = rowByKey(element, UNKNOWN_0142);
      expect(cellText(row, 'status')).toMatch(/^Ben Agent is calling until /);
      expect(button(row, 'call')).toBeNull();
      expect(getWorklist).toHaveBeenCalledTimes(1);
    });

    it('removes callers closed by others or closed automatically at once, with honest totals', async () => {
      const element = await renderWorklist();
      await deliver(mockReachedByOther);
      await deliver(mockAutoClosed);
      expect(names(element)).toEqual(['+*******0142', 'Priya Shah', 'Sam Lee']);
      expect(cellText(root(element), 'count')).toMatch(/^925 callers waiting, 1,201 drops · 11 overdue/);
    });

    it('shows a caller another agent could not reach as waiting for the next try', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      await deliver(mockNoAnswerByOther);
      expect(cellText(rowByKey(element, OMAR), 'status')).toMatch(/^Next try after /);
      await advance(REFRESH_COALESCE_MS);
      expect(getWorklist).toHaveBeenCalledTimes(2);
    });

    it('recognises its own claim coming back as an event', async () => {
      const element = await renderWorklist();
      await deliver({
        ...mockClaimedByOther,
        data: {
          payload: {
            ...mockClaimedByOther.data.payload,
            Claimed_By_Id__c: MY_USER_ID,
            Claimed_By_Name__c: 'Me'
          }
        }
      });
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'status')).toMatch(/^You're calling/);
    });

    it('shows a new drop at once, then one coalesced refresh brings the callable copy', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      const maria = {
        ...mockPage2.callers[0],
        callerKey: '003Hs00000MaRiAAAA',
        customerName: 'Maria Garcia'
      };
      serverReturns({ ...mockPage, callers: [...mockPage.callers, maria] });
      jest.mocked(getWorklist).mockClear();

      await deliver(mockEvent);
      const row = rowByKey(element, '003Hs00000MaRiAAAA');
      expect(row.className).toContain('row_new');
      expect(cellText(row, 'status')).toBe('Just dropped');
      expect(button(row, 'call')).toBeNull();
      await deliver(mockRepeatEvent);
      expect(cellText(rowByKey(element, JANE), 'drops')).toBe('3 drops');
      expect(getWorklist).not.toHaveBeenCalled();

      await advance(REFRESH_COALESCE_MS);
      expect(getWorklist).toHaveBeenCalledTimes(1);
      expect(button(rowByKey(element, '003Hs00000MaRiAAAA'), 'call')).not.toBeNull();
      await advance(HIGHLIGHT_MS);
      expect(rowByKey(element, '003Hs00000MaRiAAAA').className).not.toContain('row_new');
    });

    it('changes nothing for an event about a Case already listed: no second drop, no "new", no refresh', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      jest.mocked(getWorklist).mockClear();
      await deliver(newDrop('500Hs00001AbCdEAA3', 'Jane Doe', '+*******0100', JANE));
      await deliver(newDrop('500Hs00001AbCdEAA2', null, '+*******0142', UNKNOWN_0142));
      await advance(REFRESH_COALESCE_MS);

      expect(cellText(rowByKey(element, JANE), 'drops')).toBe('2 drops');
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'drops')).toBe('');
      expect(rowByKey(element, JANE).className).not.toContain('row_new');
      expect(cellText(root(element), 'count')).toMatch(/^927 callers waiting, 1,204 drops/);
      expect(button(root(element), 'show-new')).toBeNull();
      expect(cellText(root(element), 'announcer')).toBe('');
      expect(getWorklist).not.toHaveBeenCalled();
    });

    it('keeps every row when the refresh after an event fails', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      serverFails(OUTAGE);
      await deliver(mockEvent);
      await advance(REFRESH_COALESCE_MS);
      expect(bodyRows(element)).toHaveLength(6);
      expect(cellText(root(element), 'notice')).toContain("Couldn't refresh callbacks");
    });

    it('ignores drops the filters exclude', async () => {
      const element = await renderWorklist();
      serverReturns(mockPage);
      changeCombobox(element, 'channel', 'CHAT');
      await flushPromises();
      holdRefresh();
      await deliver(mockEvent);
      expect(names(element)).not.toContain('Maria Garcia');
      expect(cellText(root(element), 'announcer')).toBe('');
    });

    it('is honest when the stream fails: says when it retries, and catches up once back', async () => {
      jest.useFakeTimers({ now: NOW });
      jest.mocked(subscribe).mockRejectedValueOnce(new Error('Handshake denied'));
      const element = await renderWorklist();
      expect(cellText(root(element), 'live-status')).toBe(
        'Live updates interrupted: Handshake denied. Trying again in 5 s; new drops may be missing until then.'
      );
      jest.mocked(getWorklist).mockClear();
      await advance(5000);
      expect(cellText(root(element), 'live-status')).toBe('Live · no new drops since you opened it');
      await advance(REFRESH_COALESCE_MS);
      expect(getWorklist).toHaveBeenCalledTimes(1);
      reportStreamingError({ message: 'Connection lost' });
      await flushPromises();
      expect(cellText(root(element), 'live-status')).toMatch(/^Live updates interrupted: Connection lost\./);
    });

    it('unsubscribes when turned off, and resubscribes and catches up when turned on', async () => {
      const element = await renderWorklist();
      setLiveToggle(element, false);
      await flushPromises();
      expect(unsubscribe).toHaveBeenCalledTimes(2);
      expect(cellText(root(element), 'live-status')).toBe('Live updates are off. Reload to see new drops.');
      jest.mocked(getWorklist).mockClear();
      setLiveToggle(element, true);
      await flushPromises();
      expect(subscribe).toHaveBeenCalledTimes(4);
      expect(getWorklist).toHaveBeenCalledTimes(1);
    });

    it('starts without a subscription when the startPaused design property is set', async () => {
      await renderWorklist(mockPage, 1200, { startPaused: true });
      expect(subscribe).not.toHaveBeenCalled();
    });

    it('releases subscriptions and timers when removed', async () => {
      const clearIntervalSpy = jest.spyOn(window, 'clearInterval');
      const element = await renderWorklist();
      document.body.removeChild(element);
      await flushPromises();
      expect(unsubscribe).toHaveBeenCalledTimes(2);
      expect(clearIntervalSpy).toHaveBeenCalled();
      expect(FakeResizeObserver.instances[0]?.targets).toEqual([]);
      clearIntervalSpy.mockRestore();
    });
  });

  describe('announcements, new arrivals and focus', () => {
    it('speaks a masked number as its last digits', async () => {
      const element = await renderWorklist();
      holdRefresh();
      await deliver(newDrop('500Hs00001AbCdEB01', null, '+*******0186', 'p:aa'));
      expect(cellText(root(element), 'announcer')).toBe(
        'New dropped call from number ending 0186: Abandoned after 3 min in queue BasicQueue.'
      );
    });

    it('throttles a burst into one summary instead of one announcement per drop', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      holdRefresh();
      const spoken: string[] = [];
      const announcer = root(element).querySelector('[data-id="announcer"]') as HTMLElement;
      const record = (): void => {
        const text = announcer.textContent ?? '';
        if (text && spoken[spoken.length - 1] !== text) spoken.push(text);
      };
      await deliver(newDrop('500Hs00001AbCdEB01', null, '+*******0186', 'p:aa'));
      record();
      for (let i = 2; i <= 15; i++) {
        // One after another, as the stream delivers them.
        // eslint-disable-next-line no-await-in-loop
        await deliver(
          newDrop(`500Hs00001AbCdEB${String(i).padStart(2, '0')}`, `Caller ${i}`, '+*******0100', `k${i}`)
        );
        // eslint-disable-next-line no-await-in-loop
        await advance(400);
        record();
      }
      await advance(ANNOUNCE_THROTTLE_MS);
      record();
      expect(spoken.length).toBeLessThanOrEqual(3);
      expect(spoken[0]).toBe(
        'New dropped call from number ending 0186: Abandoned after 3 min in queue BasicQueue.'
      );
      expect(spoken.slice(1).join(' ')).toMatch(
        /\d+ new callers: Caller 2, Caller 3, Caller 4 and \d+ more\./
      );
    });

    it('shows "N new" where agents look and takes focus to the first one', async () => {
      const element = await renderWorklist();
      holdRefresh();
      await deliver(newDrop('500Hs00001AbCdEB01', 'Ann New', '+*******0186', 'k1'));
      await deliver(newDrop('500Hs00001AbCdEB02', 'Bob New', '+*******0187', 'k2'));
      const show = button(root(element), 'show-new');
      expect(show?.querySelector('[aria-hidden="true"]')?.textContent).toBe('2 new');
      const target = button(rowByKey(element, 'k1'), 'log') as HTMLElement;
      const focus = jest.spyOn(target, 'focus');
      await click(show);
      expect(focus).toHaveBeenCalled();
      expect(button(root(element), 'show-new')).toBeNull();
    });

    it('moves focus to the caller now in its place when the focused caller leaves the list', async () => {
      const element = await renderWorklist();
      const janeCall = button(rowByKey(element, JANE), 'call') as HTMLElement;
      janeCall.focus();
      janeCall.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
      const next = button(rowByKey(element, UNKNOWN_0142), 'call') as HTMLElement;
      const focus = jest.spyOn(next, 'focus');
      janeCall.blur();
      await deliver(mockAutoClosed);
      expect(names(element)[0]).toBe('+*******0142');
      expect(focus).toHaveBeenCalled();
      expect(cellText(root(element), 'announcer')).toBe(
        'Jane Doe got through on their own and left the list.'
      );
    });
  });
});
