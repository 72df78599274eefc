// The worklist component tests' shared set-up (not a test file itself): the platform mocks every test starts from
// (empApi, console and utility bar wires, the Apex methods — shared jest mocks in force-app/test/jest-mocks), how a
// test mounts the worklist, feeds it pages and live events, and drives the outcome dialog. Call
// useWorklistSetUp() inside a test file's top-level describe.
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import claimCaller from '@salesforce/apex/CallbackLifecycleController.claimCaller';
import claimNext from '@salesforce/apex/CallbackLifecycleController.claimNext';
import releaseCaller from '@salesforce/apex/CallbackLifecycleController.releaseCaller';
import logCallerOutcome from '@salesforce/apex/CallbackLifecycleController.logCallerOutcome';
import getDispositions from '@salesforce/apex/CallbackLifecycleController.getDispositions';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import { IsConsoleNavigation, openTab } from 'lightning/platformWorkspaceApi';
import { EnclosingUtilityId, updateUtility } from 'lightning/platformUtilityBarApi';
import { resetNavigate } from 'lightning/navigation';
import {
  FakeResizeObserver,
  NOW,
  SUBSCRIPTION,
  button,
  createWorklist,
  dialogRoot,
  flushPromises,
  root,
  setWidth
} from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockDispositions = require('./data/getDispositions.json');
const mockEvent = require('./data/disconnectedCallEvent.json');

export const HIGHLIGHT_MS = 8000;
export const REFRESH_COALESCE_MS = 1500;
export const ANNOUNCE_THROTTLE_MS = 4000;
export const OUTAGE = { status: 503, body: { message: 'Service Unavailable' } };
export const consoleWire = IsConsoleNavigation as unknown as { emit(value: unknown): void };
export const utilityWire = EnclosingUtilityId as unknown as { emit(value: unknown): void };

let deliverEvent: Record<string, (message: unknown) => void> = {};
let streamingErrorHandler: (error: unknown) => void = () => undefined;
let nowSpy: jest.SpyInstance;

/** The clock stands at NOW, the component has a (fake) ResizeObserver, empApi subscribes, Apex answers. */
export function useWorklistSetUp(): void {
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
      streamingErrorHandler = callback;
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
}

/** What empApi's global error callback would report. */
export function reportStreamingError(error: unknown): void {
  streamingErrorHandler(error);
}

export function serverReturns(page: unknown): void {
  jest.mocked(getWorklist).mockResolvedValue(page as WorklistPage);
}

export function serverFails(error: unknown): void {
  jest.mocked(getWorklist).mockRejectedValue(error);
}

/** Later refreshes never complete, so rows stay as events made them. */
export function holdRefresh(): void {
  jest.mocked(getWorklist).mockReturnValue(new Promise(() => undefined));
}

export function lastRequest(): Record<string, unknown> {
  const calls = jest.mocked(getWorklist).mock.calls;
  return JSON.parse(calls[calls.length - 1]?.[0].requestJson ?? '{}');
}

export async function renderWorklist(
  page: unknown = mockPage,
  width = 1200,
  props = {}
): Promise<HTMLElement> {
  serverReturns(page);
  const element = createWorklist(props);
  await flushPromises();
  await setWidth(width);
  return element;
}

export async function deliver(message: { channel: string }): Promise<void> {
  deliverEvent[message.channel]?.(message);
  await flushPromises();
}

export async function advance(ms: number): Promise<void> {
  jest.advanceTimersByTime(ms);
  await flushPromises();
}

export async function click(target: HTMLElement | null): Promise<void> {
  if (!target) {
    throw new Error('nothing to click');
  }
  target.click();
  await flushPromises();
}

export async function openDialogFor(element: HTMLElement, key: string): Promise<ShadowRoot> {
  await click(button(root(element), 'log', key));
  const dialog = dialogRoot(element);
  if (!dialog) {
    throw new Error('dialog did not open');
  }
  return dialog;
}

export async function chooseAndSave(dialog: ShadowRoot, disposition: string, note?: string): Promise<void> {
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

export function changeCombobox(element: HTMLElement, id: string, value: string): void {
  const combobox = root(element).querySelector(`lightning-combobox[data-id="${id}"]`);
  Reflect.set(combobox as Element, 'value', value);
  combobox?.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

export function setLiveToggle(element: HTMLElement, checked: boolean): void {
  const toggle = root(element).querySelector('lightning-input[data-id="live"]') as Element;
  Reflect.set(toggle, 'checked', checked);
  toggle.dispatchEvent(new CustomEvent('change'));
}

/** A platform event message like `message` (a JSON mock under data/) with some payload fields replaced. */
export function withPayload(
  message: { channel: string; data: { payload: Record<string, unknown> } },
  fields: Record<string, unknown>
): { channel: string } {
  return { ...message, data: { ...message.data, payload: { ...message.data.payload, ...fields } } };
}

/** A Disconnected_Call__e for another caller than the fixture's. */
export function newDrop(
  caseId: string,
  name: string | null,
  maskedPhone: string,
  callerKey: string
): { channel: string } {
  return withPayload(mockEvent, {
    Case_Id__c: caseId,
    Customer_Name__c: name,
    Customer_Contact_Id__c: null,
    Masked_Phone__c: maskedPhone,
    Caller_Key__c: callerKey
  });
}

/** The worklist (fake timers at NOW) after its stream failed and the agent then turned live updates off. */
export async function interruptedThenTurnedOff(): Promise<HTMLElement> {
  jest.useFakeTimers({ now: NOW });
  const element = await renderWorklist();
  reportStreamingError({ message: 'Connection lost' });
  await flushPromises();
  setLiveToggle(element, false);
  await flushPromises();
  return element;
}
