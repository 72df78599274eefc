import getOpenCallbacks from '@salesforce/apex/CallbackWorklistController.getOpenCallbacks';
import logCallbackOutcome from '@salesforce/apex/CallbackWorklistController.logCallbackOutcome';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import { IsConsoleNavigation, openTab } from 'lightning/platformWorkspaceApi';
import { EnclosingUtilityId, updateUtility } from 'lightning/platformUtilityBarApi';
import { getNavigateCalledWith, resetNavigate } from 'lightning/navigation';
import {
  FakeResizeObserver,
  JANE,
  NOW,
  SUBSCRIPTION,
  bodyRows,
  cellText,
  createWorklist,
  dialogRoot,
  flushPromises,
  names,
  prop,
  root,
  rowFor,
  setWidth
} from './worklistTestKit';

const mockOpenCallbacks = require('./data/getOpenCallbacks.json');
const mockNoCallbacks = require('./data/getOpenCallbacksEmpty.json');
const mockEvent = require('./data/disconnectedCallEvent.json');
const mockRepeatEvent = require('./data/disconnectedCallEventRepeat.json');
const mockEventRow = require('./data/disconnectedCallEventRow.json');
const mockReached = require('./data/logCallbackOutcomeReached.json');

jest.mock('@salesforce/apex/CallbackWorklistController.getOpenCallbacks', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/CallbackWorklistController.logCallbackOutcome', () => ({ default: jest.fn() }), {
  virtual: true
});

const HIGHLIGHT_MS = 8000;
const REFRESH_COALESCE_MS = 1500;
const ANNOUNCE_THROTTLE_MS = 4000;
// The row disconnectedCallEvent.json stands for; the server's copy adds the case number and the dialable number.
const MARIA_SERVER_ROW = { ...mockEventRow, caseNumber: '00001006', phone: '+15555550177' };
const consoleWire = IsConsoleNavigation as unknown as { emit(value: unknown): void };
const utilityWire = EnclosingUtilityId as unknown as { emit(value: unknown): void };

let deliverEvent: (message: unknown) => void = () => undefined;
let reportStreamingError: (error: unknown) => void = () => undefined;
let nowSpy: jest.SpyInstance;

function serverReturns(rows: unknown): void {
  jest.mocked(getOpenCallbacks).mockResolvedValue(rows as CallbackRow[]);
}

function serverFails(error: unknown): void {
  jest.mocked(getOpenCallbacks).mockRejectedValue(error);
}

/** Later refreshes never complete, so event rows stay as the events made them. */
function holdRefresh(): void {
  jest.mocked(getOpenCallbacks).mockReturnValue(new Promise(() => undefined));
}

async function renderWorklist(rows: unknown = mockOpenCallbacks, width = 1200): Promise<HTMLElement> {
  serverReturns(rows);
  const element = createWorklist();
  await flushPromises();
  await setWidth(width);
  return element;
}

async function deliver(message: unknown): Promise<void> {
  deliverEvent(message);
  await flushPromises();
}

async function advance(ms: number): Promise<void> {
  jest.advanceTimersByTime(ms);
  await flushPromises();
}

async function openDialogFor(element: HTMLElement, key: string): Promise<ShadowRoot> {
  root(element).querySelector<HTMLButtonElement>(`button[data-id="log"][data-key="${key}"]`)?.click();
  await flushPromises();
  const dialog = dialogRoot(element);
  if (!dialog) {
    throw new Error('dialog did not open');
  }
  return dialog;
}

async function saveOutcome(dialog: ShadowRoot, outcome: string, note?: string): Promise<void> {
  dialog
    .querySelector('lightning-radio-group')
    ?.dispatchEvent(new CustomEvent('change', { detail: { value: outcome } }));
  if (note !== undefined) {
    dialog
      .querySelector('lightning-textarea')
      ?.dispatchEvent(new CustomEvent('change', { detail: { value: note } }));
    await flushPromises();
  }
  dialog.querySelector<HTMLButtonElement>('[data-id="save"]')?.click();
  await flushPromises();
}

async function selectAction(element: HTMLElement, key: string, value: string): Promise<void> {
  const menu = root(element).querySelector(`lightning-button-menu[data-key="${key}"]`);
  if (!menu) {
    throw new Error(`No actions menu for ${key}`);
  }
  menu.dispatchEvent(new CustomEvent('select', { detail: { value } }));
  await flushPromises();
}

function changeCombobox(element: HTMLElement, id: string, value: string): void {
  const combobox = root(element).querySelector(`lightning-combobox[data-id="${id}"]`);
  if (!combobox) {
    throw new Error(`No combobox ${id}`);
  }
  Reflect.set(combobox, 'value', value);
  combobox.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

function setLiveToggle(element: HTMLElement, checked: boolean): void {
  const toggle = root(element).querySelector('lightning-input[data-id="live"]');
  if (!toggle) {
    throw new Error('No live toggle');
  }
  Reflect.set(toggle, 'checked', checked);
  toggle.dispatchEvent(new CustomEvent('change'));
}

function eventFor(caseId: string, name: string | null, maskedPhone: string, callerKey: string): unknown {
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
    jest.mocked(isEmpEnabled).mockResolvedValue(true);
    jest.mocked(subscribe).mockImplementation((_channel: string, _replayId: number, onMessage) => {
      deliverEvent = onMessage;
      return Promise.resolve(SUBSCRIPTION);
    });
    jest.mocked(unsubscribe).mockResolvedValue(true);
    jest.mocked(onError).mockImplementation((callback) => {
      reportStreamingError = callback;
    });
    jest.mocked(openTab).mockResolvedValue('tab-1');
    jest.mocked(updateUtility).mockResolvedValue(true);
  });

  afterEach(() => {
    // The DOM is shared by every test in the file; removing the element also disconnects it.
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.useRealTimers();
    nowSpy.mockRestore();
    jest.clearAllMocks();
    jest.mocked(getOpenCallbacks).mockReset();
    resetNavigate();
  });

  describe('loading, data, empty and error states', () => {
    it('shows a spinner until the first answer', async () => {
      holdRefresh();
      const element = createWorklist();
      await flushPromises();
      expect(root(element).querySelector('lightning-spinner')).not.toBeNull();
      expect(cellText(root(element), 'count')).toBe('');
    });

    it('renders one row per caller, oldest drop first, in plain words', async () => {
      const element = await renderWorklist();

      expect(names(element)).toEqual(['Jane Doe', '+*******0142', 'Sam Lee', '+********0958']);
      expect(cellText(root(element), 'count')).toMatch(/^4 callers waiting, 5 drops · Updated /);
      const jane = rowFor(element, 'Jane Doe');
      expect(jane.querySelector('a')?.getAttribute('href')).toBe(`/lightning/r/Contact/${JANE}/view`);
      expect(cellText(jane, 'when')).toBe('first drop 55 min ago');
      expect(jane.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-25T13:05:00.000Z');
      expect(cellText(jane, 'reason')).toBe('Dropped in the IVR: the contact flow ended the call');
      expect(cellText(jane, 'attempts')).toBe('1');
      expect(cellText(jane, 'channel')).toBe('Voice');

      const unknownCaller = rowFor(element, '+*******0142');
      const dial = unknownCaller.querySelector('lightning-click-to-dial');
      expect(prop(dial, 'value')).toBe('+15555550142');
      expect(prop(dial, 'recordId')).toBe('500Hs00001AbCdEAA2');
      expect(dial?.closest('[role="group"]')?.getAttribute('aria-label')).toBe('Call back +*******0142');

      const sam = rowFor(element, 'Sam Lee');
      expect(cellText(sam, 'reason')).toBe('Abandoned after 45 s in queue ChatQueue');
      expect(cellText(sam, 'phone')).toBe('No number');
      expect(sam.querySelector('lightning-click-to-dial')).toBeNull();
      // Unknown disconnect reasons are shown as they are rather than guessed at.
      expect(cellText(rowFor(element, '+********0958'), 'reason')).toBe(
        'Dropped in the IVR: SIGNAL_LOST_ON_TRUNK'
      );
    });

    it('never shows a full phone number as text', async () => {
      const element = await renderWorklist();
      const text = root(element).textContent ?? '';
      expect(text).toContain('+*******0142');
      expect(text).not.toContain('+15555550142');
      expect(text).not.toContain('+442079460958');
    });

    it('folds a repeat caller into one row with Log outcome at hand and every case in the menu', async () => {
      const element = await renderWorklist();

      const jane = rowFor(element, 'Jane Doe');
      expect(cellText(jane, 'drops')).toBe('2 drops');
      const log = jane.querySelector('button[data-id="log"]');
      expect(log?.textContent?.trim()).toBe('Log outcome');
      expect(log?.getAttribute('aria-label')).toBe('Log outcome for Jane Doe');
      const labels = Array.from(jane.querySelectorAll('lightning-menu-item')).map((item) =>
        prop(item, 'label')
      );
      expect(labels).toEqual(['Open case 00001003', 'Open case 00001001']);
      expect(prop(jane.querySelector('lightning-button-menu'), 'alternativeText')).toBe(
        'More actions for Jane Doe'
      );
    });

    it('says what to do when there is nothing to call back', async () => {
      const element = await renderWorklist(mockNoCallbacks);
      expect(bodyRows(element)).toHaveLength(0);
      expect(cellText(root(element), 'empty')).toBe(
        'No open callbacks in the time window. New drops appear here on their own while live updates are on.'
      );
    });

    it('suggests widening the filters when filters hide everything', async () => {
      const element = await renderWorklist();
      serverReturns(mockNoCallbacks);
      changeCombobox(element, 'channel', 'CHAT');
      await flushPromises();
      expect(cellText(root(element), 'empty')).toContain('Try "All channels" and "All drops"');
    });

    it('blames permissions only for a permission problem, with no Retry', async () => {
      serverFails({
        status: 500,
        body: { message: 'You do not have access to the Apex class named: CallbackWorklistController' }
      });
      const element = createWorklist();
      await flushPromises();

      const alert = root(element).querySelector('[data-id="error"]');
      expect(alert?.getAttribute('role')).toBe('alert');
      expect(cellText(root(element), 'error')).toBe(
        "Couldn't load callbacks: you don't have access (You do not have access to the Apex class named: " +
          'CallbackWorklistController). Ask your Salesforce admin for the Callback_Agent permission set.'
      );
      expect(root(element).querySelector('[data-id="retry"]')).toBeNull();
      expect(root(element).querySelector('lightning-spinner')).toBeNull();
    });

    it('calls a 503 an outage, not a permission problem, and retries on request', async () => {
      serverFails({ status: 503, body: { message: 'Service Unavailable' } });
      const element = createWorklist();
      await flushPromises();

      expect(cellText(root(element), 'error')).toContain("Salesforce didn't answer (Service Unavailable)");
      expect(cellText(root(element), 'error')).not.toContain('permission');

      serverReturns(mockOpenCallbacks);
      root(element).querySelector<HTMLButtonElement>('[data-id="retry"]')?.click();
      await flushPromises();
      expect(root(element).querySelector('[data-id="error"]')).toBeNull();
      expect(bodyRows(element)).toHaveLength(4);
    });

    it('keeps the last good rows when a refresh fails, says so once, and recovers on Retry', async () => {
      const element = await renderWorklist();
      serverFails({ status: 503, body: { message: 'Service Unavailable' } });

      root(element).querySelector<HTMLElement>('lightning-button[data-id="reload"]')?.click();
      await flushPromises();

      expect(bodyRows(element)).toHaveLength(4);
      expect(cellText(root(element), 'stale')).toMatch(
        /^Couldn't refresh callbacks: Salesforce didn't answer \(Service Unavailable\)\. This is usually brief\. Showing the list as of .+\.\s?Retry$/
      );
      // One error surface: no blocking alert next to the notice.
      expect(root(element).querySelector('[data-id="error"]')).toBeNull();

      serverReturns(mockOpenCallbacks);
      root(element).querySelector<HTMLButtonElement>('[data-id="retry"]')?.click();
      await flushPromises();
      expect(root(element).querySelector('[data-id="stale"]')).toBeNull();
    });

    it('reads lifecycle API error codes: NO_ACCESS is a permission problem, RETRYABLE an outage', async () => {
      serverFails({ status: 500, body: { message: '{"code":"RETRYABLE","message":"Row lock, try again"}' } });
      const element = createWorklist();
      await flushPromises();
      expect(cellText(root(element), 'error')).toContain("Salesforce didn't answer (Row lock, try again)");

      serverFails({ status: 500, body: { message: '{"code":"NO_ACCESS","message":"No access to Case"}' } });
      root(element).querySelector<HTMLButtonElement>('[data-id="retry"]')?.click();
      await flushPromises();
      expect(cellText(root(element), 'error')).toContain("you don't have access (No access to Case)");
    });
  });

  describe('component width', () => {
    it('is a table where there is room and a compact list in a utility panel', async () => {
      const element = await renderWorklist(mockOpenCallbacks, 1200);
      expect(root(element).querySelector('table')).not.toBeNull();
      expect(root(element).querySelector('[data-id="list"]')).toBeNull();

      await setWidth(620);
      expect(root(element).querySelector('table')).toBeNull();
      const items = root(element).querySelectorAll('[data-id="list"] > li');
      expect(items).toHaveLength(4);
      // Call and Log stay visible on every caller; nothing hides behind a menu.
      const unknownCaller = rowFor(element, '+*******0142');
      expect(unknownCaller.querySelector('lightning-click-to-dial')).not.toBeNull();
      expect(unknownCaller.querySelector('button[data-id="log"]')?.textContent?.trim()).toBe('Log');
      expect(cellText(rowFor(element, 'Jane Doe'), 'meta')).toBe(
        '+*******0100 · first drop 55 min ago · Voice · attempts 1'
      );
    });

    it('follows the component, not the window: a wide window with a narrow panel is compact', async () => {
      Reflect.set(window, 'innerWidth', 1920);
      const element = await renderWorklist(mockOpenCallbacks, 400);
      expect(root(element).querySelector('[data-id="list"]')).not.toBeNull();
      expect(FakeResizeObserver.instances[0]?.targets[0]).toBe(
        root(element).querySelector('[data-id="frame"]')
      );
    });

    it('folds the filters behind a button in the compact layout', async () => {
      const element = await renderWorklist(mockOpenCallbacks, 600);
      const toggle = root(element).querySelector<HTMLButtonElement>('[data-id="filters-toggle"]');
      expect(toggle?.getAttribute('aria-expanded')).toBe('false');
      expect(root(element).querySelector('lightning-combobox')).toBeNull();

      toggle?.click();
      await flushPromises();
      expect(toggle?.getAttribute('aria-expanded')).toBe('true');
      expect(root(element).querySelectorAll('lightning-combobox')).toHaveLength(3);
    });

    it('stops observing its size when removed', async () => {
      const element = await renderWorklist();
      const observer = FakeResizeObserver.instances[0];
      document.body.removeChild(element);
      expect(observer?.targets).toEqual([]);
    });
  });

  describe('utility bar', () => {
    it('puts the number waiting in the utility label and highlights new arrivals', async () => {
      serverReturns(mockOpenCallbacks);
      const element = createWorklist();
      utilityWire.emit('utility-7');
      await flushPromises();
      expect(updateUtility).toHaveBeenLastCalledWith('utility-7', {
        label: 'Callbacks (4)',
        highlighted: false,
        iconVariant: ''
      });

      holdRefresh();
      await deliver(mockEvent);
      expect(updateUtility).toHaveBeenLastCalledWith('utility-7', {
        label: 'Callbacks (5)',
        highlighted: true,
        iconVariant: ''
      });
      expect(element).toBeTruthy();
    });

    it('turns the utility icon to warning while the list cannot be refreshed', async () => {
      serverFails({ status: 503, body: { message: 'Service Unavailable' } });
      createWorklist({ utilityLabel: 'Call backs' });
      utilityWire.emit('utility-7');
      await flushPromises();
      expect(updateUtility).toHaveBeenLastCalledWith('utility-7', {
        label: 'Call backs',
        highlighted: false,
        iconVariant: 'warning'
      });
    });

    it('does not touch the utility bar on a page', async () => {
      await renderWorklist();
      expect(updateUtility).not.toHaveBeenCalled();
    });
  });

  describe('filters and settings', () => {
    it('leaves the window to the org setting (Worklist Window) unless the page sets one', async () => {
      await renderWorklist();
      expect(getOpenCallbacks).toHaveBeenCalledWith({ windowHours: null, channel: null, category: null });
    });

    it('honours the defaultWindowHours design property', async () => {
      serverReturns(mockOpenCallbacks);
      const element = createWorklist({ defaultWindowHours: '4' });
      await flushPromises();
      expect(getOpenCallbacks).toHaveBeenCalledWith({ windowHours: 4, channel: null, category: null });
      expect(prop(root(element).querySelector('lightning-combobox[data-id="window"]'), 'value')).toBe('4');
    });

    it('asks the server again when a filter changes', async () => {
      const element = await renderWorklist();

      changeCombobox(element, 'window', '168');
      await flushPromises();
      expect(getOpenCallbacks).toHaveBeenLastCalledWith({ windowHours: 168, channel: null, category: null });

      changeCombobox(element, 'channel', 'VOICE');
      changeCombobox(element, 'category', 'DROPPED_IN_IVR');
      await flushPromises();
      expect(getOpenCallbacks).toHaveBeenLastCalledWith({
        windowHours: 168,
        channel: 'VOICE',
        category: 'DROPPED_IN_IVR'
      });
    });
  });

  describe('sorting', () => {
    it('sorts by the activated column and reverses on the second activation', async () => {
      const element = await renderWorklist();
      const header = (field: string) =>
        root(element).querySelector(`button[data-field="${field}"]`) as HTMLElement;
      expect(header('droppedAt').closest('th')?.getAttribute('aria-sort')).toBe('ascending');

      header('drops').click();
      await flushPromises();
      expect(header('drops').closest('th')?.getAttribute('aria-sort')).toBe('descending');
      expect(names(element)[0]).toBe('Jane Doe');

      header('drops').click();
      await flushPromises();
      expect(names(element)).toEqual(['+*******0142', 'Sam Lee', '+********0958', 'Jane Doe']);
    });
  });

  describe('live updates', () => {
    it('subscribes to the Disconnected_Call__e channel for new events only and says it is live', async () => {
      const element = await renderWorklist();
      expect(subscribe).toHaveBeenCalledWith('/event/Disconnected_Call__e', -1, expect.any(Function));
      expect(cellText(root(element), 'live-status')).toBe('Live · no new drops since you opened it');
      expect(
        prop(root(element).querySelector('lightning-input[data-id="live"]'), 'fieldLevelHelp')
      ).toContain("org's daily event delivery allowance");
    });

    it('shows a row from a Platform Event at once, then one coalesced refresh reconciles it', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      serverReturns([...mockOpenCallbacks, MARIA_SERVER_ROW]);
      jest.mocked(getOpenCallbacks).mockClear();

      await deliver(mockEvent);
      const maria = rowFor(element, 'Maria Garcia');
      expect(maria.classList.contains('row_new')).toBe(true);
      expect(cellText(maria, 'reason')).toBe('Abandoned after 3 min in queue BasicQueue');
      expect(maria.querySelector('lightning-click-to-dial')).toBeNull();
      expect(getOpenCallbacks).not.toHaveBeenCalled();

      await deliver(mockRepeatEvent);
      await advance(REFRESH_COALESCE_MS);
      expect(getOpenCallbacks).toHaveBeenCalledTimes(1);
      expect(prop(rowFor(element, 'Maria Garcia').querySelector('lightning-click-to-dial'), 'value')).toBe(
        '+15555550177'
      );
      expect(cellText(root(element), 'live-status')).toBe('Live · last new drop just now');
    });

    it('keeps the rows and the event row when the refresh after an event fails', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      serverFails({ status: 503, body: { message: 'Service Unavailable' } });

      await deliver(mockEvent);
      await advance(REFRESH_COALESCE_MS);

      expect(bodyRows(element)).toHaveLength(5);
      expect(cellText(root(element), 'stale')).toContain("Couldn't refresh callbacks");
    });

    it('drops the event row when a later server list no longer has it', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      await deliver(mockEvent);
      // E.g. another agent already called the customer back between the event and the refresh.
      nowSpy.mockReturnValue(NOW + 1000);
      await advance(REFRESH_COALESCE_MS);
      expect(names(element)).not.toContain('Maria Garcia');
    });

    it('merges an event from a repeat caller into their existing row', async () => {
      const element = await renderWorklist();
      holdRefresh();
      await deliver(mockRepeatEvent);

      expect(bodyRows(element)).toHaveLength(4);
      const jane = rowFor(element, 'Jane Doe');
      expect(cellText(jane, 'drops')).toBe('3 drops');
      expect(jane.classList.contains('row_new')).toBe(true);
    });

    it('removes the highlight after a few seconds', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      holdRefresh();
      await deliver(mockEvent);
      await advance(HIGHLIGHT_MS);
      expect(rowFor(element, 'Maria Garcia').classList.contains('row_new')).toBe(false);
    });

    it('does not add or announce event rows that the current filters exclude', async () => {
      const element = await renderWorklist();
      serverReturns(mockOpenCallbacks.filter((row: { channel: string }) => row.channel === 'CHAT'));
      changeCombobox(element, 'channel', 'CHAT');
      await flushPromises();
      holdRefresh();

      await deliver(mockEvent);
      expect(names(element)).toEqual(['Sam Lee']);
      expect(cellText(root(element), 'announcer')).toBe('');
    });

    it('ignores events without a case id', async () => {
      const element = await renderWorklist();
      await deliver({
        channel: '/event/Disconnected_Call__e',
        data: { payload: { Customer_Name__c: 'No id' } }
      });
      expect(bodyRows(element)).toHaveLength(4);
    });

    it('releases the subscription and the clock when removed from the page', async () => {
      const clearIntervalSpy = jest.spyOn(window, 'clearInterval');
      const element = await renderWorklist();
      document.body.removeChild(element);
      await flushPromises();
      expect(unsubscribe).toHaveBeenCalledWith(SUBSCRIPTION);
      expect(clearIntervalSpy).toHaveBeenCalled();
      clearIntervalSpy.mockRestore();
    });

    it('releases a subscription that completes after the component was removed', async () => {
      let finishSubscribe: (value: unknown) => void = () => undefined;
      jest.mocked(subscribe).mockImplementation(
        () =>
          new Promise((resolve) => {
            finishSubscribe = resolve;
          })
      );
      const element = await renderWorklist();
      document.body.removeChild(element);
      expect(unsubscribe).not.toHaveBeenCalled();
      finishSubscribe(SUBSCRIPTION);
      await flushPromises();
      expect(unsubscribe).toHaveBeenCalledWith(SUBSCRIPTION);
    });

    it('unsubscribes when turned off, and resubscribes and catches up when turned on', async () => {
      const element = await renderWorklist();
      setLiveToggle(element, false);
      await flushPromises();
      expect(unsubscribe).toHaveBeenCalledWith(SUBSCRIPTION);
      expect(cellText(root(element), 'live-status')).toBe('Live updates are off. Reload to see new drops.');

      jest.mocked(getOpenCallbacks).mockClear();
      setLiveToggle(element, true);
      await flushPromises();
      expect(subscribe).toHaveBeenCalledTimes(2);
      expect(getOpenCallbacks).toHaveBeenCalledTimes(1);
    });

    it('starts without a subscription when the startPaused design property is set', async () => {
      serverReturns(mockOpenCallbacks);
      const element = createWorklist({ startPaused: true });
      await flushPromises();
      expect(subscribe).not.toHaveBeenCalled();
      expect(prop(root(element).querySelector('lightning-input[data-id="live"]'), 'checked')).toBe(false);
    });

    it('says so when streaming is not available in this context', async () => {
      jest.mocked(isEmpEnabled).mockResolvedValue(false);
      const element = await renderWorklist();
      expect(subscribe).not.toHaveBeenCalled();
      expect(cellText(root(element), 'live-status')).toBe(
        'Live updates are not available on this page. Use Reload to see new drops.'
      );
    });

    it('is honest when the stream fails: says when it retries, then catches up once back', async () => {
      jest.useFakeTimers({ now: NOW });
      jest.mocked(subscribe).mockRejectedValueOnce(new Error('Handshake denied'));
      const element = await renderWorklist();
      expect(cellText(root(element), 'live-status')).toBe(
        'Live updates interrupted: Handshake denied. Trying again in 5 s; new drops may be missing until then.'
      );
      jest.mocked(getOpenCallbacks).mockClear();

      await advance(5000);
      expect(cellText(root(element), 'live-status')).toBe('Live · no new drops since you opened it');
      await advance(REFRESH_COALESCE_MS);
      expect(getOpenCallbacks).toHaveBeenCalledTimes(1);

      reportStreamingError({ message: 'Connection lost' });
      await flushPromises();
      expect(cellText(root(element), 'live-status')).toBe(
        'Live updates interrupted: Connection lost. Trying again in 5 s; new drops may be missing until then.'
      );
    });

    it('keeps relative times current every 30 seconds', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      expect(cellText(rowFor(element, '+********0958'), 'when')).toBe('just now');
      await advance(6 * 60000);
      expect(cellText(rowFor(element, '+********0958'), 'when')).toBe('6 min ago');
    });
  });

  describe('announcements and new arrivals', () => {
    it('speaks a masked number as its last digits', async () => {
      const element = await renderWorklist();
      holdRefresh();
      await deliver(eventFor('500Hs00001AbCdEB01', null, '+*******0186', 'p:aa'));
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
      const record = () => {
        const text = announcer.textContent ?? '';
        if (text && spoken[spoken.length - 1] !== text) spoken.push(text);
      };

      await deliver(eventFor('500Hs00001AbCdEB01', null, '+*******0186', 'p:aa'));
      record();
      for (let i = 2; i <= 15; i++) {
        // One after another, as the stream delivers them.
        // eslint-disable-next-line no-await-in-loop
        await deliver(
          eventFor(`500Hs00001AbCdEB${String(i).padStart(2, '0')}`, `Caller ${i}`, '+*******0100', `k${i}`)
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

    it('shows "N new" where agents look and takes them to the first one', async () => {
      const element = await renderWorklist();
      holdRefresh();
      await deliver(eventFor('500Hs00001AbCdEB01', 'Ann New', '+*******0186', 'k1'));
      await deliver(eventFor('500Hs00001AbCdEB02', 'Bob New', '+*******0187', 'k2'));

      const button = root(element).querySelector<HTMLButtonElement>('[data-id="show-new"]');
      expect(button?.querySelector('[aria-hidden="true"]')?.textContent).toBe('2 new');
      expect(button?.querySelector('.slds-assistive-text')?.textContent).toBe('2 new callers: show');
      const target = rowFor(element, 'Ann New').querySelector<HTMLElement>('[data-id="log"]') as HTMLElement;
      const focus = jest.spyOn(target, 'focus');
      button?.click();
      await flushPromises();
      expect(focus).toHaveBeenCalled();
      expect(root(element).querySelector('[data-id="show-new"]')).toBeNull();
    });
  });

  describe('row actions', () => {
    it('logs an outcome on every case of the caller, then toasts and refreshes', async () => {
      jest.mocked(logCallbackOutcome).mockResolvedValue(mockReached);
      const toastHandler = jest.fn();
      const element = await renderWorklist();
      element.addEventListener('lightning__showtoast', toastHandler);
      jest.mocked(getOpenCallbacks).mockClear();

      const dialog = await openDialogFor(element, JANE);
      expect(dialog.querySelector('h2')?.textContent).toBe('Log callback outcome: Jane Doe');
      await saveOutcome(dialog, 'REACHED', '  Spoke to Jane, issue solved  ');

      expect(logCallbackOutcome).toHaveBeenCalledTimes(2);
      expect(logCallbackOutcome).toHaveBeenCalledWith({
        caseId: '500Hs00001AbCdEAA3',
        outcome: 'REACHED',
        note: 'Spoke to Jane, issue solved'
      });
      expect(toastHandler.mock.calls[0][0].detail).toEqual({
        title: 'Outcome logged',
        message: 'Reached: Jane Doe',
        variant: 'success'
      });
      expect(getOpenCallbacks).toHaveBeenCalledTimes(1);
      expect(dialogRoot(element)).toBeNull();
    });

    it('keeps the dialog open and explains why when logging fails', async () => {
      jest
        .mocked(logCallbackOutcome)
        .mockRejectedValue({ body: { message: 'Case 00001002 is already closed.' } });
      const element = await renderWorklist();
      const dialog = await openDialogFor(element, 'p:9b2d6c1f0e7a4b3c8d5e6f708192a3b4');
      await saveOutcome(dialog, 'WRONG_NUMBER');

      expect(dialogRoot(element)?.querySelector('[role="alert"]')?.textContent).toBe(
        "Couldn't save the outcome: Case 00001002 is already closed. Try again or reload the list."
      );
    });

    it('saves once however often Save is pressed while saving', async () => {
      jest.mocked(logCallbackOutcome).mockReturnValue(new Promise(() => undefined));
      const element = await renderWorklist();
      const dialog = await openDialogFor(element, 'p:9b2d6c1f0e7a4b3c8d5e6f708192a3b4');
      await saveOutcome(dialog, 'NO_ANSWER');
      dialog.querySelector('c-callback-outcome-dialog');
      dialogRoot(element)
        ?.querySelector('lightning-radio-group')
        ?.dispatchEvent(new CustomEvent('change', { detail: { value: 'NO_ANSWER' } }));
      root(element)
        .querySelector('c-callback-outcome-dialog')
        ?.dispatchEvent(new CustomEvent('save', { detail: { outcome: 'NO_ANSWER', note: null } }));
      await flushPromises();
      expect(logCallbackOutcome).toHaveBeenCalledTimes(1);
    });

    it('returns focus to the Log button on cancel', async () => {
      const element = await renderWorklist();
      const log = root(element).querySelector(`button[data-id="log"][data-key="${JANE}"]`) as HTMLElement;
      const focusSpy = jest.spyOn(log, 'focus');
      const dialog = await openDialogFor(element, JANE);
      dialog.querySelector<HTMLButtonElement>('[data-id="cancel"]')?.click();
      await flushPromises();
      expect(dialogRoot(element)).toBeNull();
      expect(logCallbackOutcome).not.toHaveBeenCalled();
      expect(focusSpy).toHaveBeenCalled();
    });

    it('moves focus to the caller now in its place when the focused caller leaves the list', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      const jane = rowFor(element, 'Jane Doe').querySelector('[data-id="log"]') as HTMLElement;
      jane.focus();
      jane.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
      serverReturns(mockOpenCallbacks.filter((row: { callerKey: string }) => row.callerKey !== JANE));
      const next = rowFor(element, '+*******0142').querySelector('[data-id="log"]') as HTMLElement;
      const focusSpy = jest.spyOn(next, 'focus');

      jane.blur();
      root(element).querySelector<HTMLElement>('lightning-button[data-id="reload"]')?.click();
      await flushPromises();

      expect(names(element)[0]).toBe('+*******0142');
      expect(focusSpy).toHaveBeenCalled();
    });

    it('opens the case in a console tab inside the console', async () => {
      const element = await renderWorklist();
      consoleWire.emit(true);
      await selectAction(element, JANE, 'open:500Hs00001AbCdEAA1');
      expect(openTab).toHaveBeenCalledWith({ recordId: '500Hs00001AbCdEAA1', focus: true });
      expect(getNavigateCalledWith().pageReference).toBeUndefined();
    });

    it('navigates to the case record page outside the console, and when the console refuses', async () => {
      const element = await renderWorklist();
      consoleWire.emit(false);
      await selectAction(element, JANE, 'open:500Hs00001AbCdEAA3');
      expect(openTab).not.toHaveBeenCalled();
      expect(getNavigateCalledWith().pageReference).toEqual({
        type: 'standard__recordPage',
        attributes: { recordId: '500Hs00001AbCdEAA3', objectApiName: 'Case', actionName: 'view' }
      });

      jest.mocked(openTab).mockRejectedValue(new Error('Workspace API unavailable'));
      consoleWire.emit(true);
      await selectAction(element, JANE, 'open:500Hs00001AbCdEAA1');
      expect(getNavigateCalledWith().pageReference).toEqual(
        expect.objectContaining({ attributes: expect.objectContaining({ recordId: '500Hs00001AbCdEAA1' }) })
      );
    });

    it('opens the matched contact from the customer link', async () => {
      const element = await renderWorklist();
      consoleWire.emit(true);
      const link = rowFor(element, 'Jane Doe').querySelector('a') as HTMLAnchorElement;
      const click = new MouseEvent('click', { bubbles: true, cancelable: true });
      link.dispatchEvent(click);
      await flushPromises();
      expect(click.defaultPrevented).toBe(true);
      expect(openTab).toHaveBeenCalledWith({ recordId: JANE, focus: true });
    });
  });
});
