import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import claimCaller from '@salesforce/apex/CallbackLifecycleController.claimCaller';
import claimNext from '@salesforce/apex/CallbackLifecycleController.claimNext';
import releaseCaller from '@salesforce/apex/CallbackLifecycleController.releaseCaller';
import logCallerOutcome from '@salesforce/apex/CallbackLifecycleController.logCallerOutcome';
import getDispositions from '@salesforce/apex/CallbackLifecycleController.getDispositions';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import { IsConsoleNavigation, openTab } from 'lightning/platformWorkspaceApi';
import { EnclosingUtilityId, updateUtility } from 'lightning/platformUtilityBarApi';
import { getNavigateCalledWith, resetNavigate } from 'lightning/navigation';
import {
  FakeResizeObserver,
  JANE,
  MY_USER_ID,
  NOW,
  OMAR,
  PRIYA,
  SAM,
  SUBSCRIPTION,
  UNKNOWN_0142,
  bodyRows,
  button,
  cellText,
  createWorklist,
  dialogRoot,
  flushPromises,
  names,
  prop,
  root,
  rowByKey,
  setWidth
} from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockPage2 = require('./data/getWorklistPage2.json');
const mockEmpty = require('./data/getWorklistEmpty.json');
const mockDispositions = require('./data/getDispositions.json');
const mockClaim = require('./data/claimCaller.json');
const mockNoAnswer = require('./data/logCallerOutcomeNoAnswer.json');
const mockReached = require('./data/logCallerOutcomeReached.json');
const mockEvent = require('./data/disconnectedCallEvent.json');
const mockRepeatEvent = require('./data/disconnectedCallEventRepeat.json');
const mockClaimedByOther = require('./data/callbackChangeClaimedByOther.json');
const mockReachedByOther = require('./data/callbackChangeReachedByOther.json');
const mockNoAnswerByOther = require('./data/callbackChangeNoAnswerByOther.json');
const mockAutoClosed = require('./data/callbackChangeAutoClosed.json');

jest.mock('@salesforce/apex/CallbackLifecycleController.getWorklist', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/CallbackLifecycleController.claimCaller', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/CallbackLifecycleController.claimNext', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/CallbackLifecycleController.releaseCaller', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/CallbackLifecycleController.logCallerOutcome', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/CallbackLifecycleController.getDispositions', () => ({ default: jest.fn() }), {
  virtual: true
});

const HIGHLIGHT_MS = 8000;
const REFRESH_COALESCE_MS = 1500;
const ANNOUNCE_THROTTLE_MS = 4000;
const OUTAGE = { status: 503, body: { message: 'Service Unavailable' } };
const consoleWire = IsConsoleNavigation as unknown as { emit(value: unknown): void };
const utilityWire = EnclosingUtilityId as unknown as { emit(value: unknown): void };

let deliverEvent: Record<string, (message: unknown) => void> = {};
let reportStreamingError: (error: unknown) => void = () => undefined;
let nowSpy: jest.SpyInstance;

function serverReturns(page: unknown): void {
  jest.mocked(getWorklist).mockResolvedValue(page as WorklistPage);
}

function serverFails(error: unknown): void {
  jest.mocked(getWorklist).mockRejectedValue(error);
}

/** Later refreshes never complete, so rows stay as events made them. */
function holdRefresh(): void {
  jest.mocked(getWorklist).mockReturnValue(new Promise(() => undefined));
}

function lastRequest(): Record<string, unknown> {
  const calls = jest.mocked(getWorklist).mock.calls;
  return JSON.parse(calls[calls.length - 1]?.[0].requestJson ?? '{}');
}

async function renderWorklist(page: unknown = mockPage, width = 1200, props = {}): Promise<HTMLElement> {
  serverReturns(page);
  const element = createWorklist(props);
  await flushPromises();
  await setWidth(width);
  return element;
}

async function deliver(message: { channel: string }): Promise<void> {
  deliverEvent[message.channel]?.(message);
  await flushPromises();
}

async function advance(ms: number): Promise<void> {
  jest.advanceTimersByTime(ms);
  await flushPromises();
}

async function click(target: HTMLElement | null): Promise<void> {
  if (!target) {
    throw new Error('nothing to click');
  }
  target.click();
  await flushPromises();
}

async function openDialogFor(element: HTMLElement, key: string): Promise<ShadowRoot> {
  await click(button(root(element), 'log', key));
  const dialog = dialogRoot(element);
  if (!dialog) {
    throw new Error('dialog did not open');
  }
  return dialog;
}

async function chooseAndSave(dialog: ShadowRoot, disposition: string, note?: string): Promise<void> {
  dialog
    .querySelector('lightning-radio-group')
    ?.dispatchEvent(new CustomEvent('change', { detail: { value: disposition } }));
  if (note !== undefined) {
    dialog
      .querySelector('lightning-textarea')
      ?.dispatchEvent(new CustomEvent('change', { detail: { value: note } }));
  }
  await flushPromises();
  await click(dialog.querySelector<HTMLButtonElement>('[data-id="save"]'));
}

function changeCombobox(element: HTMLElement, id: string, value: string): void {
  const combobox = root(element).querySelector(`lightning-combobox[data-id="${id}"]`);
  Reflect.set(combobox as Element, 'value', value);
  combobox?.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

function setLiveToggle(element: HTMLElement, checked: boolean): void {
  const toggle = root(element).querySelector('lightning-input[data-id="live"]') as Element;
  Reflect.set(toggle, 'checked', checked);
  toggle.dispatchEvent(new CustomEvent('change'));
}

function newDrop(
  caseId: string,
  name: string | null,
  maskedPhone: string,
  callerKey: string
): { channel: string } {
  return {
    ...mockEvent,
    data: {
      ...mockEvent.data,
      payload: {
        ...mockEvent.data.payload,
        Case_Id__c: caseId,
        Customer_Name__c: name,
        Customer_Contact_Id__c: null,
        Masked_Phone__c: maskedPhone,
        Caller_Key__c: callerKey
      }
    }
  };
}

describe('c-callback-worklist', () => {
  beforeEach(() => {
    nowSpy = jest.spyOn(Date, 'now').mockReturnValue(NOW);
    Reflect.set(window, 'ResizeObserver', FakeResizeObserver);
    FakeResizeObserver.instances = [];
    deliverEvent = {};
    jest.mocked(isEmpEnabled).mockResolvedValue(true);
    jest.mocked(subscribe).mockImplementation((channel: string, _replayId: number, onMessage) => {
      deliverEvent[channel] = onMessage as (message: unknown) => void;
      return Promise.resolve({ ...SUBSCRIPTION, channel });
    });
    jest.mocked(unsubscribe).mockResolvedValue(true);
    jest.mocked(onError).mockImplementation((callback) => {
      reportStreamingError = callback;
    });
    jest.mocked(openTab).mockResolvedValue('tab-1');
    jest.mocked(updateUtility).mockResolvedValue(true);
    jest.mocked(getDispositions).mockResolvedValue(mockDispositions);
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.useRealTimers();
    nowSpy.mockRestore();
    jest.clearAllMocks();
    for (const method of [getWorklist, claimCaller, claimNext, releaseCaller, logCallerOutcome]) {
      jest.mocked(method).mockReset();
    }
    resetNavigate();
  });

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
      expect(names(element)).toEqual(['Jane Doe', '+*******0142', 'Omar Haddad', 'Priya Shah', 'Sam Lee']);

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
      expect(names(element)).toEqual([
        'Jane Doe',
        '+*******0142',
        'Omar Haddad',
        'Priya Shah',
        'Sam Lee',
        '+********0958'
      ]);
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

  describe('component width and the utility bar', () => {
    it('is a table where there is room and a compact list with Call and Log in a utility panel', async () => {
      const element = await renderWorklist(mockPage, 1200);
      expect(root(element).querySelector('table')).not.toBeNull();

      await setWidth(620);
      expect(root(element).querySelector('table')).toBeNull();
      expect(root(element).querySelectorAll('[data-id="list"] > li')).toHaveLength(5);
      const jane = rowByKey(element, JANE);
      expect(button(jane, 'call')?.textContent?.trim()).toBe('Call');
      expect(button(jane, 'log')?.textContent?.trim()).toBe('Log');
      expect(cellText(jane, 'meta')).toBe(
        '+*******0100 · first drop 55 min ago · attempts 1 (last 30 min ago)'
      );
      expect(button(root(element), 'next')).not.toBeNull();
    });

    it('follows the component, not the window, and folds the filters away when narrow', async () => {
      Reflect.set(window, 'innerWidth', 1920);
      const element = await renderWorklist(mockPage, 400);
      expect(root(element).querySelector('[data-id="list"]')).not.toBeNull();
      expect(FakeResizeObserver.instances[0]?.targets[0]).toBe(
        root(element).querySelector('[data-id="frame"]')
      );
      expect(root(element).querySelector('lightning-combobox')).toBeNull();
      await click(button(root(element), 'filters-toggle'));
      expect(root(element).querySelectorAll('lightning-combobox')).toHaveLength(3);
    });

    it('puts the true number waiting in the utility label, highlighted for new arrivals', async () => {
      serverReturns(mockPage);
      createWorklist();
      utilityWire.emit('utility-7');
      await flushPromises();
      expect(updateUtility).toHaveBeenLastCalledWith('utility-7', {
        label: 'Callbacks (927)',
        highlighted: false,
        iconVariant: ''
      });
      holdRefresh();
      await deliver(mockEvent);
      expect(updateUtility).toHaveBeenLastCalledWith('utility-7', {
        label: 'Callbacks (928)',
        highlighted: true,
        iconVariant: ''
      });
    });

    it('turns the utility icon to warning while the list cannot be refreshed, and leaves pages alone', async () => {
      serverFails(OUTAGE);
      createWorklist();
      utilityWire.emit('utility-7');
      await flushPromises();
      expect(updateUtility).toHaveBeenLastCalledWith(
        'utility-7',
        expect.objectContaining({ iconVariant: 'warning' })
      );
      while (document.body.firstChild) {
        document.body.removeChild(document.body.firstChild);
      }
      jest.mocked(updateUtility).mockClear();
      await renderWorklist();
      expect(updateUtility).not.toHaveBeenCalled();
    });
  });

  describe('calling', () => {
    it('Call claims the caller, then offers the dial control and focuses it', async () => {
      jest.mocked(claimCaller).mockResolvedValue(mockClaim);
      const element = await renderWorklist();
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));

      expect(claimCaller).toHaveBeenCalledWith({ callerKey: UNKNOWN_0142 });
      const row = rowByKey(element, UNKNOWN_0142);
      expect(cellText(row, 'status')).toMatch(/^You're calling until /);
      const dial = row.querySelector('lightning-click-to-dial');
      expect(prop(dial, 'value')).toBe('+15555550142');
      expect(prop(dial, 'recordId')).toBe('500Hs00001AbCdEAA2');
      expect(button(row, 'call')).toBeNull();
      expect(button(row, 'release')).not.toBeNull();
    });

    it('prompts for the outcome once the agent dialled', async () => {
      jest.mocked(claimCaller).mockResolvedValue(mockClaim);
      const element = await renderWorklist();
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));
      await click(rowByKey(element, UNKNOWN_0142).querySelector<HTMLElement>('.dial'));
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'on-call')).toBe(
        'When you hang up, log how the call went.'
      );
    });

    it('says who got there first when the claim is refused, and refreshes', async () => {
      jest.mocked(claimCaller).mockRejectedValue({
        status: 500,
        body: { message: '{"code":"CLAIMED_BY_OTHER","message":"Ben Agent is calling this customer."}' }
      });
      const element = await renderWorklist();
      jest.mocked(getWorklist).mockClear();
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));

      expect(cellText(root(element), 'notice')).toBe(
        "Couldn't start the call to +*******0142: Ben Agent is calling this customer.OK"
      );
      expect(getWorklist).toHaveBeenCalledTimes(1);
    });

    it('Next caller claims the most urgent one the server picks', async () => {
      jest.mocked(claimNext).mockResolvedValue(mockClaim);
      const element = await renderWorklist();
      await click(button(root(element), 'next'));
      expect(claimNext).toHaveBeenCalledWith({
        requestJson: JSON.stringify({ channel: null, category: null })
      });
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'status')).toMatch(/^You're calling/);
    });

    it('says so when nobody is ready to be called', async () => {
      jest.mocked(claimNext).mockResolvedValue(null);
      const element = await renderWorklist();
      await click(button(root(element), 'next'));
      expect(cellText(root(element), 'notice')).toBe(
        'Nobody is ready to be called right now (250 waiting out a retry delay).OK'
      );
    });

    it('Release gives the caller back to everyone', async () => {
      jest.mocked(claimCaller).mockResolvedValue(mockClaim);
      jest.mocked(releaseCaller).mockResolvedValue({
        callerKey: UNKNOWN_0142,
        claimedById: null,
        caller: { ...mockPage.callers[1] }
      });
      const element = await renderWorklist();
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));
      await click(button(rowByKey(element, UNKNOWN_0142), 'release'));
      expect(releaseCaller).toHaveBeenCalledWith({ callerKey: UNKNOWN_0142 });
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'status')).toBe('Ready to call');
    });
  });

  describe('logging an outcome', () => {
    it('offers the org dispositions and the drop details, and logs once for the whole caller', async () => {
      jest.mocked(logCallerOutcome).mockResolvedValue(mockReached);
      const toast = jest.fn();
      const element = await renderWorklist();
      element.addEventListener('lightning__showtoast', toast);

      const dialog = await openDialogFor(element, JANE);
      expect(dialog.querySelector('h2')?.textContent).toBe('Log callback outcome: Jane Doe');
      const options = prop(dialog.querySelector('lightning-radio-group'), 'options') as Array<{
        label: string;
      }>;
      expect(options.map((option) => option.label)).toEqual([
        'Reached',
        'No answer',
        'Left voicemail',
        'Busy',
        'Call back later',
        'Wrong number',
        'Not needed'
      ]);
      const details = (dialog.querySelector('[data-id="details"]')?.textContent ?? '').replace(/\s+/g, ' ');
      expect(details).toContain('What happened');
      expect(details).toContain('Attempts1, last 30 min ago');
      expect(details).toMatch(/Due by.*overdue by 10 min/);

      await chooseAndSave(dialog, 'REACHED', '  Spoke to Jane  ');
      expect(logCallerOutcome).toHaveBeenCalledTimes(1);
      const request = JSON.parse(jest.mocked(logCallerOutcome).mock.calls[0]?.[0].requestJson ?? '{}');
      expect(request).toEqual({
        callerKey: JANE,
        disposition: 'REACHED',
        note: 'Spoke to Jane',
        callbackAt: null,
        clientRequestId: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
        )
      });
      expect(names(element)).not.toContain('Jane Doe');
      expect(toast.mock.calls[0][0].detail).toEqual({
        title: 'Outcome logged',
        message: 'Reached: Jane Doe',
        variant: 'success'
      });
      expect(cellText(root(element), 'count')).toMatch(/^926 callers waiting, 1,202 drops · 11 overdue/);
    });

    it('keeps a caller that is not done waiting until the next try', async () => {
      jest.mocked(logCallerOutcome).mockResolvedValue(mockNoAnswer);
      const element = await renderWorklist();
      await chooseAndSave(await openDialogFor(element, UNKNOWN_0142), 'NO_ANSWER');
      const row = rowByKey(element, UNKNOWN_0142);
      expect(cellText(row, 'status')).toMatch(/^Next try after /);
      expect(cellText(row, 'attempts')).toBe('1 (last just now)');
      expect(button(row, 'call')).toBeNull();
    });

    it('re-enables the dialog after a failed save and retries with the same request id', async () => {
      jest.mocked(logCallerOutcome).mockRejectedValueOnce(OUTAGE).mockResolvedValueOnce(mockNoAnswer);
      const element = await renderWorklist();
      const dialog = await openDialogFor(element, UNKNOWN_0142);
      await chooseAndSave(dialog, 'NO_ANSWER');

      expect(dialogRoot(element)?.querySelector('[role="alert"]')?.textContent).toBe(
        "Couldn't save the outcome: Service Unavailable. Try again."
      );
      expect(dialog.querySelector<HTMLButtonElement>('[data-id="save"]')?.disabled).toBe(false);
      await click(dialog.querySelector<HTMLButtonElement>('[data-id="save"]'));
      const ids = jest
        .mocked(logCallerOutcome)
        .mock.calls.map((c) => JSON.parse(c[0].requestJson).clientRequestId);
      expect(ids).toHaveLength(2);
      expect(ids[1]).toBe(ids[0]);
      expect(dialogRoot(element)).toBeNull();
    });

    it('sends one request however often Save is pressed while saving', async () => {
      jest.mocked(logCallerOutcome).mockReturnValue(new Promise(() => undefined));
      const element = await renderWorklist();
      await chooseAndSave(await openDialogFor(element, UNKNOWN_0142), 'NO_ANSWER');
      root(element)
        .querySelector('c-callback-outcome-dialog')
        ?.dispatchEvent(
          new CustomEvent('save', { detail: { disposition: 'NO_ANSWER', note: null, callbackAt: null } })
        );
      await flushPromises();
      expect(logCallerOutcome).toHaveBeenCalledTimes(1);
    });

    it('asks for the time when the customer wants a call later', async () => {
      jest.mocked(logCallerOutcome).mockResolvedValue({ ...mockNoAnswer, disposition: 'CALL_BACK_LATER' });
      const element = await renderWorklist();
      const dialog = await openDialogFor(element, UNKNOWN_0142);
      await chooseAndSave(dialog, 'CALL_BACK_LATER');
      expect(logCallerOutcome).not.toHaveBeenCalled();
      expect(dialog.textContent).toContain('Enter when to call back.');

      const time = dialog.querySelector('lightning-input[data-id="callback-at"]');
      time?.dispatchEvent(new CustomEvent('change', { detail: { value: '2026-11-25T16:30:00.000Z' } }));
      await flushPromises();
      await click(dialog.querySelector<HTMLButtonElement>('[data-id="save"]'));
      expect(JSON.parse(jest.mocked(logCallerOutcome).mock.calls[0]?.[0].requestJson ?? '{}')).toMatchObject({
        disposition: 'CALL_BACK_LATER',
        callbackAt: '2026-11-25T16:30:00.000Z'
      });
    });

    it('returns focus to the row on cancel', async () => {
      const element = await renderWorklist();
      const call = button(rowByKey(element, JANE), 'call') as HTMLElement;
      const focus = jest.spyOn(call, 'focus');
      const dialog = await openDialogFor(element, JANE);
      await click(dialog.querySelector<HTMLButtonElement>('[data-id="cancel"]'));
      expect(dialogRoot(element)).toBeNull();
      expect(focus).toHaveBeenCalled();
    });
  });

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

  describe('supervisor view', () => {
    it('shows everyone waiting, who is calling whom, retry delays, due-by breaches and the oldest wait', async () => {
      const element = await renderWorklist(mockPage, 1200, { view: 'supervisor' });
      const tiles = Array.from(root(element).querySelectorAll('[data-id="tiles"] li')).map((li) =>
        (li.textContent ?? '').replace(/\s+/g, ' ').trim()
      );
      expect(tiles).toEqual([
        '927 Waiting',
        '600 Ready to call',
        '20 Being called',
        '250 Retry later',
        '12 Past due-by',
        '22 h Oldest wait'
      ]);
      expect(root(element).querySelector('[data-id="overdue"]')?.className).toContain('tile_warn');
      expect(cellText(root(element), 'claims')).toMatch(
        /^Who is calling whom\s?Ben Agent → Omar Haddad \(until .+\)$/
      );
      expect(root(element).querySelectorAll('button[data-id="call"], button[data-id="log"]')).toHaveLength(0);
      expect(button(root(element), 'next')).toBeNull();
      expect(getDispositions).not.toHaveBeenCalled();
    });
  });

  describe('records', () => {
    it('opens a case in a console tab, else on its record page', async () => {
      const element = await renderWorklist();
      consoleWire.emit(true);
      const menu = rowByKey(element, JANE).querySelector('lightning-button-menu') as Element;
      menu.dispatchEvent(new CustomEvent('select', { detail: { value: 'open:500Hs00001AbCdEAA1' } }));
      await flushPromises();
      expect(openTab).toHaveBeenCalledWith({ recordId: '500Hs00001AbCdEAA1', focus: true });

      consoleWire.emit(false);
      menu.dispatchEvent(new CustomEvent('select', { detail: { value: 'open:500Hs00001AbCdEAA3' } }));
      await flushPromises();
      expect(getNavigateCalledWith().pageReference).toEqual({
        type: 'standard__recordPage',
        attributes: { recordId: '500Hs00001AbCdEAA3', objectApiName: 'Case', actionName: 'view' }
      });
    });

    it('opens the matched contact from the customer link', async () => {
      const element = await renderWorklist();
      consoleWire.emit(true);
      const link = rowByKey(element, JANE).querySelector('a') as HTMLAnchorElement;
      const clickEvent = new MouseEvent('click', { bubbles: true, cancelable: true });
      link.dispatchEvent(clickEvent);
      await flushPromises();
      expect(clickEvent.defaultPrevented).toBe(true);
      expect(openTab).toHaveBeenCalledWith({ recordId: JANE, focus: true });
    });
  });
});
