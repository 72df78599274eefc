// Accessibility (sa11y / axe rules) of the worklist in each of its states and both layouts.
import getOpenCallbacks from '@salesforce/apex/CallbackWorklistController.getOpenCallbacks';
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

const mockOpenCallbacks = require('./data/getOpenCallbacks.json');
const mockNoCallbacks = require('./data/getOpenCallbacksEmpty.json');
const mockEvent = require('./data/disconnectedCallEvent.json');

jest.mock('@salesforce/apex/CallbackWorklistController.getOpenCallbacks', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/CallbackWorklistController.logCallbackOutcome', () => ({ default: jest.fn() }), {
  virtual: true
});

let deliverEvent: (message: unknown) => void = () => undefined;

async function render(rows: unknown, width: number): Promise<HTMLElement> {
  jest.mocked(getOpenCallbacks).mockResolvedValue(rows as CallbackRow[]);
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
    jest.mocked(subscribe).mockImplementation((_channel: string, _replayId: number, onMessage) => {
      deliverEvent = onMessage;
      return Promise.resolve(SUBSCRIPTION);
    });
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.restoreAllMocks();
    jest.mocked(getOpenCallbacks).mockReset();
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
    jest.mocked(getOpenCallbacks).mockReturnValue(new Promise(() => undefined));
    deliverEvent(mockEvent);
    await flushPromises();
    expect(root(element).querySelector('[data-id="show-new"]')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('is accessible when empty', async () => {
    const element = await render(mockNoCallbacks, 1200);
    await expect(element).toBeAccessible();
  });

  it('is accessible when loading failed and when a refresh failed', async () => {
    jest
      .mocked(getOpenCallbacks)
      .mockRejectedValue({ status: 503, body: { message: 'Service Unavailable' } });
    const failed = createWorklist();
    await flushPromises();
    await expect(failed).toBeAccessible();
    document.body.removeChild(failed);

    const stale = await render(mockOpenCallbacks, 600);
    jest
      .mocked(getOpenCallbacks)
      .mockRejectedValue({ status: 503, body: { message: 'Service Unavailable' } });
    root(stale).querySelector<HTMLElement>('lightning-button[data-id="reload"]')?.click();
    await flushPromises();
    expect(root(stale).querySelector('[data-id="stale"]')).not.toBeNull();
    await expect(stale).toBeAccessible();
  });

  it('is accessible with the outcome dialog open', async () => {
    const element = await render(mockOpenCallbacks, 1200);
    root(element).querySelector<HTMLButtonElement>(`button[data-id="log"][data-key="${JANE}"]`)?.click();
    await flushPromises();
    expect(dialogRoot(element)).not.toBeNull();
    await expect(element).toBeAccessible();
  });
});
