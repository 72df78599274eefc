// Accessibility (sa11y / axe rules) of the worklist in each of its states and both layouts.
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import getDispositions from '@salesforce/apex/CallbackLifecycleController.getDispositions';
import { isEmpEnabled, subscribe } from 'lightning/empApi';
import {
  FakeResizeObserver,
  JANE,
  NOW,
  SUBSCRIPTION,
  createWorklist,
  dialogRoot,
  flushPromises,
  root,
  setWidth
} from './worklistTestKit';

const mockOpenCallbacks = require('./data/getWorklist.json');
const mockNoCallbacks = require('./data/getWorklistEmpty.json');
const mockDispositions = require('./data/getDispositions.json');
const mockEvent = require('./data/disconnectedCallEvent.json');

jest.mock('@salesforce/apex/CallbackLifecycleController.getWorklist', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/CallbackLifecycleController.getDispositions', () => ({ default: jest.fn() }), {
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

let deliverEvent: Record<string, (message: unknown) => void> = {};

async function render(rows: unknown, width: number): Promise<HTMLElement> {
  jest.mocked(getWorklist).mockResolvedValue(rows as WorklistPage);
  const element = createWorklist();
  await flushPromises();
  await setWidth(width);
  return element;
}

describe('c-callback-worklist accessibility', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    Reflect.set(window, 'ResizeObserver', FakeResizeObserver);
    FakeResizeObserver.instances = [];
    jest.mocked(isEmpEnabled).mockResolvedValue(true);
    jest.mocked(getDispositions).mockResolvedValue(mockDispositions);
    jest.mocked(subscribe).mockImplementation((channel: string, _replayId: number, onMessage) => {
      deliverEvent[channel] = onMessage as (message: unknown) => void;
      return Promise.resolve(SUBSCRIPTION);
    });
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.restoreAllMocks();
    jest.mocked(getWorklist).mockReset();
  });

  it.each([
    ['table', 1200],
    ['compact list', 600]
  ])('is accessible with callbacks listed as a %s', async (_layout, width) => {
    const element = await render(mockOpenCallbacks, width);
    await expect(element).toBeAccessible();
  });

  it('is accessible with new arrivals waiting to be seen', async () => {
    const element = await render(mockOpenCallbacks, 600);
    jest.mocked(getWorklist).mockReturnValue(new Promise(() => undefined));
    deliverEvent['/event/Disconnected_Call__e']?.(mockEvent);
    await flushPromises();
    expect(root(element).querySelector('[data-id="show-new"]')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('is accessible when empty', async () => {
    const element = await render(mockNoCallbacks, 1200);
    await expect(element).toBeAccessible();
  });

  it('is accessible when loading failed and when a refresh failed', async () => {
    jest.mocked(getWorklist).mockRejectedValue({ status: 503, body: { message: 'Service Unavailable' } });
    const failed = createWorklist();
    await flushPromises();
    await expect(failed).toBeAccessible();
    document.body.removeChild(failed);

    const stale = await render(mockOpenCallbacks, 600);
    jest.mocked(getWorklist).mockRejectedValue({ status: 503, body: { message: 'Service Unavailable' } });
    root(stale).querySelector<HTMLElement>('lightning-button[data-id="reload"]')?.click();
    await flushPromises();
    expect(root(stale).querySelector('[data-id="notice"]')).not.toBeNull();
    await expect(stale).toBeAccessible();
  });

  it('is accessible as the supervisor view', async () => {
    jest.mocked(getWorklist).mockResolvedValue(mockOpenCallbacks);
    const element = createWorklist({ view: 'supervisor' });
    await flushPromises();
    await setWidth(1200);
    await expect(element).toBeAccessible();
  });

  it('is accessible with the outcome dialog open', async () => {
    const element = await render(mockOpenCallbacks, 1200);
    root(element).querySelector<HTMLButtonElement>(`button[data-id="log"][data-key="${JANE}"]`)?.click();
    await flushPromises();
    expect(dialogRoot(element)).not.toBeNull();
    await expect(element).toBeAccessible();
  });
});
