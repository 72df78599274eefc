import { createElement } from 'lwc';
import CallbackWorklist from 'c/callbackWorklist';
import getOpenCallbacks from '@salesforce/apex/CallbackWorklistController.getOpenCallbacks';
import logCallbackOutcome from '@salesforce/apex/CallbackWorklistController.logCallbackOutcome';
import { refreshApex } from '@salesforce/apex';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import { IsConsoleNavigation, openTab } from 'lightning/platformWorkspaceApi';

const mockOpenCallbacks = require('./data/getOpenCallbacks.json');
const mockNoCallbacks = require('./data/getOpenCallbacksEmpty.json');
const mockEvent = require('./data/disconnectedCallEvent.json');
const mockRepeatEvent = require('./data/disconnectedCallEventRepeat.json');
const mockEventRow = require('./data/disconnectedCallEventRow.json');
const mockReached = require('./data/logCallbackOutcomeReached.json');

// Apex wire adapter whose emissions the tests control.
jest.mock(
  '@salesforce/apex/CallbackWorklistController.getOpenCallbacks',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/apex/CallbackWorklistController.logCallbackOutcome', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn() }), { virtual: true });

// The stock navigation stub swallows Navigate calls; this one records them.
const mockNavigate = jest.fn();
jest.mock('lightning/navigation', () => {
  const Navigate = Symbol('Navigate');
  const GenerateUrl = Symbol('GenerateUrl');
  const NavigationMixin = (Base: new () => object) =>
    class extends Base {
      [Navigate](pageReference: unknown): void {
        mockNavigate(pageReference);
      }

      [GenerateUrl](): Promise<string> {
        return Promise.resolve('/lightning/r/Case/500/view');
      }
    };
  NavigationMixin.Navigate = Navigate;
  NavigationMixin.GenerateUrl = GenerateUrl;
  return { NavigationMixin };
});

const NOW = Date.parse('2026-11-25T14:00:00.000Z');
const HIGHLIGHT_MS = 8000;
const JANE = '003Hs00000JaNeDAAA';
const SUBSCRIPTION = { id: 'sub-1', channel: '/event/Disconnected_Call__e', replayId: -1 };

// The row disconnectedCallEvent.json stands for; the server's copy adds the case number and the dialable number.
const MARIA_SERVER_ROW = { ...mockEventRow, caseNumber: '00001006', phone: '+15555550177' };

// In tests these imports are the test wire adapters set up above (emit / error / getLastConfig).
const wire = getOpenCallbacks;
const consoleWire = IsConsoleNavigation;

let deliverEvent: (message: unknown) => void = () => undefined;
let reportStreamingError: (error: unknown) => void = () => undefined;
let nowSpy: jest.SpyInstance;

function flushPromises(): Promise<void> {
  // Several chained promises (isEmpEnabled → subscribe → render) need more than one microtask turn;
  // no setTimeout here so the helper also works under fake timers.
  return Array.from({ length: 10 }).reduce<Promise<void>>(
    (chain) => chain.then(() => undefined),
    Promise.resolve()
  );
}

/** A public property of a base-component stub (the tests are not type-checked against the stubs). */
function prop(element: Element | null | undefined, name: string): unknown {
  return element ? Reflect.get(element, name) : undefined;
}

function createWorklist(props: Record<string, unknown> = {}): HTMLElement {
  const element = createElement('c-callback-worklist', { is: CallbackWorklist });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

function root(element: HTMLElement): ShadowRoot {
  return element.shadowRoot as ShadowRoot;
}

function bodyRows(element: HTMLElement): HTMLTableRowElement[] {
  return Array.from(root(element).querySelectorAll<HTMLTableRowElement>('tbody tr'));
}

function cellText(row: Element, id: string): string {
  return (row.querySelector(`[data-id="${id}"]`)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function rowFor(element: HTMLElement, name: string): HTMLTableRowElement {
  const row = bodyRows(element).find((candidate) => cellText(candidate, 'customer') === name);
  if (!row) {
    throw new Error(`No row for ${name}`);
  }
  return row;
}

/** Creates the worklist and lets the Apex wire deliver `rows` (after the console wire, when `inConsole` is given). */
async function renderWorklist(rows: unknown = mockOpenCallbacks, inConsole?: boolean): Promise<HTMLElement> {
  const element = createWorklist();
  if (inConsole !== undefined) {
    consoleWire.emit(inConsole);
  }
  wire.emit(rows);
  await flushPromises();
  return element;
}

/** A Platform Event arrives on the subscription. */
async function deliver(message: unknown): Promise<void> {
  deliverEvent(message);
  await flushPromises();
}

/** The server refresh after an event never completes, so the event row stays as the event made it. */
function holdRefresh(): void {
  jest.mocked(refreshApex).mockReturnValue(new Promise(() => undefined));
}

/** Picks an outcome in the open dialog, optionally types a note, and saves. */
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

function dialogRoot(element: HTMLElement): ShadowRoot | null {
  const dialog = root(element).querySelector('c-callback-outcome-dialog');
  return dialog ? (dialog.shadowRoot as ShadowRoot) : null;
}

describe('c-callback-worklist', () => {
  beforeEach(() => {
    nowSpy = jest.spyOn(Date, 'now').mockReturnValue(NOW);
    jest.mocked(isEmpEnabled).mockResolvedValue(true);
    jest.mocked(subscribe).mockImplementation((_channel: string, _replayId: number, onMessage) => {
      deliverEvent = onMessage;
      return Promise.resolve(SUBSCRIPTION);
    });
    jest.mocked(unsubscribe).mockResolvedValue(true);
    jest.mocked(onError).mockImplementation((callback) => {
      reportStreamingError = callback;
    });
    jest.mocked(refreshApex).mockResolvedValue(undefined);
    jest.mocked(openTab).mockResolvedValue('tab-1');
  });

  afterEach(() => {
    // The DOM is shared by every test in the file; removing the element also disconnects it.
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.useRealTimers();
    nowSpy.mockRestore();
    jest.clearAllMocks();
  });

  describe('loading, data, empty and error states', () => {
    it('shows a spinner until the wire delivers', async () => {
      const element = createWorklist();
      await flushPromises();
      expect(root(element).querySelector('lightning-spinner')).not.toBeNull();
      expect(cellText(root(element), 'count')).toBe('');

      wire.emit(mockOpenCallbacks);
      await flushPromises();
      expect(root(element).querySelector('lightning-spinner')).toBeNull();
    });

    it('renders one row per caller, oldest drop first, in plain words', async () => {
      const element = await renderWorklist();

      const rows = bodyRows(element);
      expect(rows.map((row) => cellText(row, 'customer'))).toEqual([
        'Jane Doe',
        '+*******0142',
        'Sam Lee',
        '+********0958'
      ]);
      expect(cellText(root(element), 'count')).toBe('4 callers, 5 drops');

      const [jane, unknownCaller, sam, mystery] = rows;
      if (!jane || !unknownCaller || !sam || !mystery) {
        throw new Error('expected four rows');
      }
      expect(jane.querySelector('a')?.getAttribute('href')).toBe(`/lightning/r/Contact/${JANE}/view`);
      expect(cellText(jane, 'when')).toBe('first drop 55 min ago');
      expect(jane.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-25T13:05:00.000Z');
      expect(cellText(jane, 'reason')).toBe('Dropped in the IVR: the contact flow ended the call');
      expect(cellText(jane, 'attempts')).toBe('1');
      expect(cellText(jane, 'channel')).toBe('Voice');

      expect(unknownCaller.querySelector('a')).toBeNull();
      expect(cellText(unknownCaller, 'when')).toBe('40 min ago');
      expect(cellText(unknownCaller, 'reason')).toBe('Dropped in the IVR: network problem');
      const dial = unknownCaller.querySelector('lightning-click-to-dial');
      expect(prop(dial, 'value')).toBe('+15555550142');
      expect(prop(dial, 'recordId')).toBe('500Hs00001AbCdEAA2');
      expect(dial?.closest('[role="group"]')?.getAttribute('aria-label')).toBe('Call back +*******0142');

      expect(cellText(sam, 'reason')).toBe('Abandoned after 45 s in queue ChatQueue');
      expect(cellText(sam, 'channel')).toBe('Chat');
      expect(cellText(sam, 'phone')).toBe('No number');
      expect(sam.querySelector('lightning-click-to-dial')).toBeNull();

      // Unknown disconnect reasons are shown as they are rather than guessed at.
      expect(cellText(mystery, 'reason')).toBe('Dropped in the IVR: SIGNAL_LOST_ON_TRUNK');
      expect(cellText(mystery, 'when')).toBe('just now');
    });

    it('never shows a full phone number as text', async () => {
      const element = await renderWorklist();

      const text = root(element).textContent ?? '';
      expect(text).toContain('+*******0142');
      expect(text).not.toContain('+15555550142');
      expect(text).not.toContain('+442079460958');
    });

    it('folds a repeat caller into one row that carries all of their cases', async () => {
      const element = await renderWorklist();

      const jane = rowFor(element, 'Jane Doe');
      expect(cellText(jane, 'drops')).toBe('2 drops');
      const labels = Array.from(jane.querySelectorAll('lightning-menu-item')).map((item) =>
        prop(item, 'label')
      );
      expect(labels).toEqual(['Log outcome', 'Open case 00001003', 'Open case 00001001']);
      const menu = jane.querySelector('lightning-button-menu');
      expect(prop(menu, 'alternativeText')).toBe('Actions for Jane Doe');
    });

    it('says what to do when there is nothing to call back', async () => {
      const element = await renderWorklist(mockNoCallbacks);

      expect(bodyRows(element)).toHaveLength(0);
      expect(cellText(root(element), 'empty')).toBe(
        'No open callbacks in the last 24 hours. New drops appear here on their own while live updates are on.'
      );
    });

    it('suggests widening the filters when filters hide everything', async () => {
      const element = createWorklist();
      changeCombobox(element, 'channel', 'CHAT');
      wire.emit(mockNoCallbacks);
      await flushPromises();

      expect(cellText(root(element), 'empty')).toContain('Try "All channels" and "All drops"');
    });

    it('explains a load error and how to fix it', async () => {
      const element = createWorklist();
      wire.error({ message: 'You do not have access to the Apex class named CallbackWorklistController.' });
      await flushPromises();

      const alert = root(element).querySelector('[data-id="error"]');
      expect(alert?.getAttribute('role')).toBe('alert');
      expect(alert?.textContent?.trim()).toBe(
        "Couldn't load callbacks: You do not have access to the Apex class named CallbackWorklistController. " +
          'Check your permission set Callback_Agent or reload.'
      );
      expect(root(element).querySelector('table')).toBeNull();
      expect(root(element).querySelector('lightning-spinner')).toBeNull();
    });

    it('reloads through refreshApex', async () => {
      const element = await renderWorklist();

      root(element).querySelector<HTMLElement>('lightning-button[data-id="reload"]')?.click();
      await flushPromises();
      expect(refreshApex).toHaveBeenCalledWith({ data: mockOpenCallbacks, error: undefined });
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
      expect(header('droppedAt').closest('th')?.getAttribute('aria-sort')).toBe('none');
      expect(bodyRows(element).map((row) => cellText(row, 'customer'))[0]).toBe('Jane Doe');

      header('drops').click();
      await flushPromises();
      expect(header('drops').closest('th')?.getAttribute('aria-sort')).toBe('ascending');
      // Ties keep the oldest drop first.
      expect(bodyRows(element).map((row) => cellText(row, 'customer'))).toEqual([
        '+*******0142',
        'Sam Lee',
        '+********0958',
        'Jane Doe'
      ]);
    });

    it('sorts newest first when the drop time column is reversed', async () => {
      const element = await renderWorklist();

      (root(element).querySelector('button[data-field="droppedAt"]') as HTMLElement).click();
      await flushPromises();
      expect(bodyRows(element).map((row) => cellText(row, 'customer'))[0]).toBe('+********0958');
    });
  });

  describe('filters', () => {
    it('asks the wire for the design-time window with no channel or category filter', async () => {
      createWorklist();
      await flushPromises();
      expect(wire.getLastConfig()).toEqual({ windowHours: 24, channel: '', category: '' });
    });

    it('honours the defaultWindowHours design property', async () => {
      createWorklist({ defaultWindowHours: '4' });
      await flushPromises();
      expect(wire.getLastConfig()).toEqual({ windowHours: 4, channel: '', category: '' });
    });

    it('re-wires with new parameters when a filter changes', async () => {
      const element = createWorklist();
      await flushPromises();

      changeCombobox(element, 'window', '168');
      await flushPromises();
      expect(wire.getLastConfig()).toEqual({ windowHours: 168, channel: '', category: '' });

      changeCombobox(element, 'channel', 'VOICE');
      await flushPromises();
      expect(wire.getLastConfig()).toEqual({ windowHours: 168, channel: 'VOICE', category: '' });

      changeCombobox(element, 'category', 'DROPPED_IN_IVR');
      await flushPromises();
      expect(wire.getLastConfig()).toEqual({
        windowHours: 168,
        channel: 'VOICE',
        category: 'DROPPED_IN_IVR'
      });

      changeCombobox(element, 'channel', '');
      await flushPromises();
      expect(wire.getLastConfig()).toEqual({ windowHours: 168, channel: '', category: 'DROPPED_IN_IVR' });
    });
  });

  describe('live updates', () => {
    it('subscribes to the Disconnected_Call__e channel for new events only', async () => {
      const element = createWorklist();
      await flushPromises();

      expect(isEmpEnabled).toHaveBeenCalled();
      expect(onError).toHaveBeenCalledTimes(1);
      expect(subscribe).toHaveBeenCalledWith('/event/Disconnected_Call__e', -1, expect.any(Function));
      expect(cellText(root(element), 'live-status')).toBe('Live: new drops appear automatically.');
      const toggle = root(element).querySelector('lightning-input[data-id="live"]');
      expect(prop(toggle, 'checked')).toBe(true);
      expect(prop(toggle, 'fieldLevelHelp')).toContain("org's daily event delivery allowance");
    });

    it('adds and highlights a row from a Platform Event at once, announces it, then reconciles', async () => {
      jest.mocked(refreshApex).mockImplementation(() => {
        // What the platform does: re-provision the wire with fresh server data.
        wire.emit([...mockOpenCallbacks, MARIA_SERVER_ROW]);
        return Promise.resolve();
      });
      const element = await renderWorklist();
      jest.mocked(refreshApex).mockClear();

      await deliver(mockEvent);

      const maria = rowFor(element, 'Maria Garcia');
      expect(bodyRows(element)).toHaveLength(5);
      expect(maria.classList.contains('row_new')).toBe(true);
      expect(cellText(maria, 'reason')).toBe('Abandoned after 3 min in queue BasicQueue');
      expect(cellText(maria, 'when')).toBe('just now');
      expect(cellText(root(element), 'announcer')).toBe(
        'New dropped call from Maria Garcia: Abandoned after 3 min in queue BasicQueue.'
      );
      expect(refreshApex).toHaveBeenCalledWith({ data: mockOpenCallbacks, error: undefined });
      // After the refresh the server row, with its dialable number, has replaced the preview.
      expect(prop(maria.querySelector('lightning-click-to-dial'), 'value')).toBe('+15555550177');
      expect(rowFor(element, 'Jane Doe').classList.contains('row_new')).toBe(false);
    });

    it('drops the event row when the refreshed server list no longer has it', async () => {
      // E.g. another agent already called the customer back between the event and the refresh.
      jest.mocked(refreshApex).mockImplementation(() => {
        wire.emit(mockOpenCallbacks);
        return Promise.resolve();
      });
      const element = await renderWorklist();

      await deliver(mockEvent);

      expect(bodyRows(element).map((row) => cellText(row, 'customer'))).not.toContain('Maria Garcia');
      expect(bodyRows(element)).toHaveLength(4);
    });

    it('ignores events without a case id', async () => {
      const element = await renderWorklist();

      await deliver({
        channel: '/event/Disconnected_Call__e',
        data: { payload: { Customer_Name__c: 'No case id' } }
      });

      expect(bodyRows(element)).toHaveLength(4);
      expect(refreshApex).not.toHaveBeenCalled();
    });

    it('shows the event row without a dial control until the server copy arrives', async () => {
      const element = await renderWorklist();
      holdRefresh();

      await deliver(mockEvent);

      const maria = rowFor(element, 'Maria Garcia');
      expect(cellText(maria, 'phone')).toBe('+*******0177');
      expect(maria.querySelector('lightning-click-to-dial')).toBeNull();
    });

    it('removes the highlight after a few seconds', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      holdRefresh();

      await deliver(mockEvent);
      expect(rowFor(element, 'Maria Garcia').classList.contains('row_new')).toBe(true);

      jest.advanceTimersByTime(HIGHLIGHT_MS);
      await flushPromises();
      expect(rowFor(element, 'Maria Garcia').classList.contains('row_new')).toBe(false);
    });

    it('merges an event from a repeat caller into their existing row', async () => {
      const element = await renderWorklist();
      holdRefresh();

      await deliver(mockRepeatEvent);

      expect(bodyRows(element)).toHaveLength(4);
      const jane = rowFor(element, 'Jane Doe');
      expect(cellText(jane, 'drops')).toBe('3 drops');
      expect(cellText(jane, 'reason')).toBe('Dropped in the IVR: network problem');
      expect(cellText(jane, 'when')).toBe('first drop 55 min ago');
      expect(jane.classList.contains('row_new')).toBe(true);
      const values = Array.from(jane.querySelectorAll('lightning-menu-item')).map((item) =>
        prop(item, 'value')
      );
      expect(values).toContain('open:500Hs00001AbCdEAA7');
    });

    it('does not add event rows that the current filters exclude', async () => {
      const element = createWorklist();
      changeCombobox(element, 'channel', 'CHAT');
      wire.emit(mockOpenCallbacks.filter((row: { channel: string }) => row.channel === 'CHAT'));
      await flushPromises();
      holdRefresh();

      await deliver(mockEvent);

      expect(bodyRows(element).map((row) => cellText(row, 'customer'))).toEqual(['Sam Lee']);
      expect(cellText(root(element), 'announcer')).toBe('');
      expect(refreshApex).toHaveBeenCalled();
    });

    it('releases the subscription and the clock when removed from the page', async () => {
      const clearIntervalSpy = jest.spyOn(window, 'clearInterval');
      const element = createWorklist();
      await flushPromises();

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
      const element = createWorklist();
      await flushPromises();
      document.body.removeChild(element);
      expect(unsubscribe).not.toHaveBeenCalled();

      finishSubscribe(SUBSCRIPTION);
      await flushPromises();
      expect(unsubscribe).toHaveBeenCalledWith(SUBSCRIPTION);
    });

    it('unsubscribes when the agent turns live updates off and resubscribes when turned on', async () => {
      const element = await renderWorklist();
      expect(subscribe).toHaveBeenCalledTimes(1);

      setLiveToggle(element, false);
      await flushPromises();
      expect(unsubscribe).toHaveBeenCalledWith(SUBSCRIPTION);
      expect(cellText(root(element), 'live-status')).toBe('Live updates are off. Reload to see new drops.');

      setLiveToggle(element, true);
      await flushPromises();
      expect(subscribe).toHaveBeenCalledTimes(2);
      // Catches up on drops missed while live updates were off.
      expect(refreshApex).toHaveBeenCalled();

      document.body.removeChild(element);
      expect(unsubscribe).toHaveBeenCalledTimes(2);
    });

    it('starts without a subscription when the startPaused design property is set', async () => {
      const element = createWorklist({ startPaused: true });
      await flushPromises();

      expect(subscribe).not.toHaveBeenCalled();
      expect(prop(root(element).querySelector('lightning-input[data-id="live"]'), 'checked')).toBe(false);
    });

    it('says so when streaming is not available in this context', async () => {
      jest.mocked(isEmpEnabled).mockResolvedValue(false);
      const element = createWorklist();
      await flushPromises();

      expect(subscribe).not.toHaveBeenCalled();
      expect(cellText(root(element), 'live-status')).toBe(
        'Live updates are not available here. Use Reload to see new drops.'
      );
    });

    it('reports a failed subscription and a streaming error', async () => {
      jest.mocked(subscribe).mockRejectedValueOnce(new Error('Handshake denied'));
      const element = createWorklist();
      await flushPromises();
      expect(cellText(root(element), 'live-status')).toBe(
        'Live updates unavailable: Handshake denied. Use Reload to see new drops.'
      );

      reportStreamingError({ error: '403::Unknown client', message: 'Connection lost' });
      await flushPromises();
      expect(cellText(root(element), 'live-status')).toBe(
        'Live updates interrupted: Connection lost. Turn live updates off and on to retry.'
      );
    });

    it('keeps relative times current every 30 seconds', async () => {
      jest.useFakeTimers({ now: NOW });
      const element = await renderWorklist();
      expect(cellText(rowFor(element, '+********0958'), 'when')).toBe('just now');

      jest.advanceTimersByTime(30000);
      await flushPromises();
      expect(cellText(rowFor(element, '+********0958'), 'when')).toBe('1 min ago');

      jest.advanceTimersByTime(5 * 60000);
      await flushPromises();
      expect(cellText(rowFor(element, '+********0958'), 'when')).toBe('6 min ago');
    });
  });

  describe('row actions', () => {
    async function openDialogFor(element: HTMLElement, key: string): Promise<ShadowRoot> {
      await selectAction(element, key, 'log');
      const dialog = dialogRoot(element);
      if (!dialog) {
        throw new Error('dialog did not open');
      }
      return dialog;
    }

    it('logs an outcome on every case of the caller, then toasts and refreshes', async () => {
      jest.mocked(logCallbackOutcome).mockResolvedValue(mockReached);
      const toastHandler = jest.fn();
      const element = await renderWorklist();
      element.addEventListener('lightning__showtoast', toastHandler);

      const dialog = await openDialogFor(element, JANE);
      expect(dialog.querySelector('h2')?.textContent).toBe('Log callback outcome: Jane Doe');
      expect(dialog.querySelector('#outcome-dialog-scope, p')?.textContent).toBe(
        'The outcome is logged on all 2 open drops of this caller.'
      );
      await saveOutcome(dialog, 'REACHED', '  Spoke to Jane, issue solved  ');

      expect(logCallbackOutcome).toHaveBeenCalledTimes(2);
      expect(logCallbackOutcome).toHaveBeenCalledWith({
        caseId: '500Hs00001AbCdEAA3',
        outcome: 'REACHED',
        note: 'Spoke to Jane, issue solved'
      });
      expect(logCallbackOutcome).toHaveBeenCalledWith({
        caseId: '500Hs00001AbCdEAA1',
        outcome: 'REACHED',
        note: 'Spoke to Jane, issue solved'
      });
      expect(toastHandler).toHaveBeenCalledTimes(1);
      expect(toastHandler.mock.calls[0][0].detail).toEqual({
        title: 'Outcome logged',
        message: 'Reached: Jane Doe',
        variant: 'success'
      });
      expect(refreshApex).toHaveBeenCalledWith({ data: mockOpenCallbacks, error: undefined });
      expect(dialogRoot(element)).toBeNull();
    });

    it('sends no note when the note is left empty', async () => {
      jest.mocked(logCallbackOutcome).mockResolvedValue(mockReached);
      const element = await renderWorklist();

      const dialog = await openDialogFor(element, 'p:9b2d6c1f0e7a4b3c8d5e6f708192a3b4');
      expect(dialog.querySelector('p')?.textContent).toBe('The outcome is logged on the callback case.');
      await saveOutcome(dialog, 'NO_ANSWER');

      expect(logCallbackOutcome).toHaveBeenCalledWith({
        caseId: '500Hs00001AbCdEAA2',
        outcome: 'NO_ANSWER',
        note: null
      });
    });

    it('keeps the dialog open and explains why when logging fails', async () => {
      jest.mocked(logCallbackOutcome).mockRejectedValue({
        body: { message: 'Case 00001002 is already closed.' },
        status: 400
      });
      const toastHandler = jest.fn();
      const element = await renderWorklist();
      element.addEventListener('lightning__showtoast', toastHandler);

      const dialog = await openDialogFor(element, 'p:9b2d6c1f0e7a4b3c8d5e6f708192a3b4');
      await saveOutcome(dialog, 'WRONG_NUMBER');

      expect(toastHandler.mock.calls[0][0].detail).toEqual({
        title: "Couldn't log the outcome",
        message: 'Case 00001002 is already closed.',
        variant: 'error'
      });
      const stillOpen = dialogRoot(element);
      expect(stillOpen).not.toBeNull();
      expect(stillOpen?.querySelector('[role="alert"]')?.textContent).toBe(
        "Couldn't save the outcome: Case 00001002 is already closed. Try again or reload the list."
      );
      expect(refreshApex).not.toHaveBeenCalled();
    });

    it('closes the dialog on cancel without calling Apex and returns focus to the row menu', async () => {
      const element = await renderWorklist();
      const menu = root(element).querySelector(`lightning-button-menu[data-key="${JANE}"]`) as HTMLElement;
      const focusSpy = jest.spyOn(menu, 'focus');

      const dialog = await openDialogFor(element, JANE);
      dialog.querySelector<HTMLButtonElement>('[data-id="cancel"]')?.click();
      await flushPromises();

      expect(dialogRoot(element)).toBeNull();
      expect(logCallbackOutcome).not.toHaveBeenCalled();
      expect(focusSpy).toHaveBeenCalled();
    });

    it('opens the case in a console tab inside the console', async () => {
      const element = await renderWorklist(mockOpenCallbacks, true);

      await selectAction(element, JANE, 'open:500Hs00001AbCdEAA1');

      expect(openTab).toHaveBeenCalledWith({ recordId: '500Hs00001AbCdEAA1', focus: true });
      expect(mockNavigate).not.toHaveBeenCalled();
    });

    it('navigates to the case record page outside the console', async () => {
      const element = await renderWorklist(mockOpenCallbacks, false);

      await selectAction(element, JANE, 'open:500Hs00001AbCdEAA3');

      expect(openTab).not.toHaveBeenCalled();
      expect(mockNavigate).toHaveBeenCalledWith({
        type: 'standard__recordPage',
        attributes: { recordId: '500Hs00001AbCdEAA3', objectApiName: 'Case', actionName: 'view' }
      });
    });

    it('falls back to record navigation when the console cannot open a tab', async () => {
      jest.mocked(openTab).mockRejectedValue(new Error('Workspace API unavailable'));
      const element = await renderWorklist(mockOpenCallbacks, true);

      await selectAction(element, JANE, 'open:500Hs00001AbCdEAA1');

      expect(mockNavigate).toHaveBeenCalledWith(
        expect.objectContaining({ attributes: expect.objectContaining({ recordId: '500Hs00001AbCdEAA1' }) })
      );
    });

    it('opens the matched contact from the customer link', async () => {
      const element = await renderWorklist(mockOpenCallbacks, true);

      const link = rowFor(element, 'Jane Doe').querySelector('a') as HTMLAnchorElement;
      const click = new MouseEvent('click', { bubbles: true, cancelable: true });
      link.dispatchEvent(click);
      await flushPromises();

      expect(click.defaultPrevented).toBe(true);
      expect(openTab).toHaveBeenCalledWith({ recordId: JANE, focus: true });
    });
  });

  describe('accessibility', () => {
    it('is accessible with callbacks listed', async () => {
      const element = await renderWorklist();
      await expect(element).toBeAccessible();
    });

    it('is accessible when empty', async () => {
      const element = await renderWorklist(mockNoCallbacks);
      await expect(element).toBeAccessible();
    });

    it('is accessible when loading failed', async () => {
      const element = createWorklist();
      wire.error({ message: 'Insufficient privileges' });
      await flushPromises();
      await expect(element).toBeAccessible();
    });

    it('is accessible with the outcome dialog open', async () => {
      const element = await renderWorklist();
      await selectAction(element, JANE, 'log');
      expect(dialogRoot(element)).not.toBeNull();
      await expect(element).toBeAccessible();
    });
  });
});
