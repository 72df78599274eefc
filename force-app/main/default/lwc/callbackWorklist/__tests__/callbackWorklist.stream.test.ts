// The live stream's health as the agent sees it: the live-status line while it connects, when the page offers no
// streaming, and after interruptions (the growing retry delay, back to the first after a good reconnect); events
// that arrive through a subscription the worklist no longer wants change nothing.
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import { isEmpEnabled, subscribe, unsubscribe } from 'lightning/empApi';
import {
  REFRESH_COALESCE_MS,
  advance,
  interruptedThenTurnedOff,
  newDrop,
  renderWorklist,
  reportStreamingError,
  setLiveToggle,
  useWorklistSetUp
} from './worklistHarness';
import { NOW, SUBSCRIPTION, cellText, createWorklist, flushPromises, names, root } from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockEvent = require('./data/disconnectedCallEvent.json');

function liveStatus(element: HTMLElement): string {
  return cellText(root(element), 'live-status');
}

/** The live status's colour: ok, warn or idle. */
function liveColour(element: HTMLElement): string[] {
  const classes = Array.from(root(element).querySelector('[data-id="live-status"]')?.classList ?? []);
  return classes
    .filter((name) => name.startsWith('live-status_'))
    .map((name) => name.slice('live-status_'.length));
}

/** The message callback the worklist gave empApi in its n-th subscribe call (0-based). */
function subscriber(n: number): (message: unknown) => void {
  return jest.mocked(subscribe).mock.calls[n]?.[2] as (message: unknown) => void;
}

/** subscribe calls made so far (two per attempt: one per channel). */
let retriesSoFar = 0;

/** Lets a retry wait (nothing happens a millisecond early) and fail; returns the next wait the status names. */
async function retryFailsAfter(element: HTMLElement, waitMs: number): Promise<string> {
  await advance(waitMs - 1);
  expect(jest.mocked(subscribe).mock.calls).toHaveLength(retriesSoFar);
  await advance(1);
  retriesSoFar += 2;
  expect(jest.mocked(subscribe).mock.calls).toHaveLength(retriesSoFar);
  expect(liveStatus(element)).toMatch(/^Live updates interrupted: Handshake denied\./);
  return liveStatus(element).replace(/^.*Trying again in (\d+ s).*$/, '$1');
}
describe('c-callback-worklist', () => {
  useWorklistSetUp();

  it('says it is connecting until both subscriptions are made', async () => {
    jest.mocked(subscribe).mockReturnValue(new Promise(() => undefined));
    jest.mocked(getWorklist).mockResolvedValue(mockPage);
    const element = createWorklist();
    await flushPromises();
    expect(liveStatus(element)).toBe('Connecting to live updates…');
    expect(liveColour(element)).toEqual(['idle']);
  });

  it('says so when the page offers no live updates, and subscribes to nothing', async () => {
    jest.mocked(isEmpEnabled).mockResolvedValue(false);
    const element = await renderWorklist();
    expect(liveStatus(element)).toBe(
      'Live updates are not available on this page. Use Reload to see new drops.'
    );
    expect(subscribe).not.toHaveBeenCalled();
  });

  it('waits longer after each interruption, and starts over after a good reconnect', async () => {
    jest.useFakeTimers({ now: NOW });
    const element = await renderWorklist();
    jest.mocked(subscribe).mockRejectedValue(new Error('Handshake denied'));
    retriesSoFar = jest.mocked(subscribe).mock.calls.length;

    reportStreamingError({ message: 'Connection lost' });
    await flushPromises();
    expect(liveStatus(element)).toBe(
      'Live updates interrupted: Connection lost. Trying again in 5 s; new drops may be missing until then.'
    );
    expect(liveColour(element)).toEqual(['warn']);
    // Another error while the retry waits changes nothing: one retry at a time.
    reportStreamingError({ message: 'Still down' });
    await flushPromises();
    expect(liveStatus(element)).toMatch(/^Live updates interrupted: Connection lost\. Trying again in 5 s;/);

    // Each retry fails too: the next wait is longer, up to a minute.
    expect(await retryFailsAfter(element, 5000)).toBe('15 s');
    expect(await retryFailsAfter(element, 15000)).toBe('30 s');
    expect(await retryFailsAfter(element, 30000)).toBe('60 s');
    expect(await retryFailsAfter(element, 60000)).toBe('60 s');

    jest
      .mocked(subscribe)
      .mockImplementation((channel: string) => Promise.resolve({ ...SUBSCRIPTION, channel }));
    jest.mocked(getWorklist).mockClear();
    await advance(60000);
    expect(liveStatus(element)).toBe('Live · no new drops since you opened it');
    expect(liveColour(element)).toEqual(['ok']);
    // What was missed while down is fetched once.
    await advance(REFRESH_COALESCE_MS);
    expect(getWorklist).toHaveBeenCalledTimes(1);

    reportStreamingError({ message: 'Connection lost' });
    await flushPromises();
    expect(liveStatus(element)).toMatch(/Trying again in 5 s;/);
  });

  it('does not reconnect or complain once live updates are turned off', async () => {
    const element = await interruptedThenTurnedOff();
    jest.mocked(subscribe).mockClear();
    await advance(60000);
    expect(subscribe).not.toHaveBeenCalled();
    reportStreamingError({ message: 'Connection lost again' });
    await flushPromises();
    expect(liveStatus(element)).toBe('Live updates are off. Reload to see new drops.');
    expect(liveColour(element)).toEqual(['idle']);
  });

  it('releases subscriptions that complete after live updates were turned off', async () => {
    const pendingSubscribes: Array<() => void> = [];
    jest.mocked(subscribe).mockImplementation(
      (channel: string) =>
        new Promise((resolve) => {
          pendingSubscribes.push(() => resolve({ ...SUBSCRIPTION, channel }));
        })
    );
    jest.mocked(getWorklist).mockResolvedValue(mockPage);
    const element = createWorklist();
    await flushPromises();
    setLiveToggle(element, false);
    await flushPromises();
    expect(unsubscribe).not.toHaveBeenCalled();
    expect(pendingSubscribes).toHaveLength(2);
    pendingSubscribes.forEach((resolve) => resolve());
    await flushPromises();
    expect(unsubscribe).toHaveBeenCalledTimes(2);
    expect(
      jest
        .mocked(unsubscribe)
        .mock.calls.map(([subscription]) => subscription.channel)
        .sort()
    ).toEqual(['/event/Callback_Change__e', '/event/Disconnected_Call__e']);
    expect(liveStatus(element)).toBe('Live updates are off. Reload to see new drops.');
  });

  it('ignores an event that comes through a subscription it no longer wants', async () => {
    const element = await renderWorklist();
    const oldSubscriber = subscriber(0);
    setLiveToggle(element, false);
    await flushPromises();
    setLiveToggle(element, true);
    await flushPromises();
    oldSubscriber(newDrop('500Hs00001AbCdEC03', 'Old Line', '+*******0300', 'p:old'));
    await flushPromises();
    expect(names(element)).not.toContain('Old Line');
    subscriber(2)(mockEvent);
    await flushPromises();
    expect(names(element)).toContain('Maria Garcia');
  });

  it('keeps working when releasing a subscription fails', async () => {
    jest.mocked(unsubscribe).mockRejectedValue(new Error('Session gone'));
    const element = await renderWorklist();
    setLiveToggle(element, false);
    await flushPromises();
    expect(liveStatus(element)).toBe('Live updates are off. Reload to see new drops.');
    setLiveToggle(element, true);
    await flushPromises();
    expect(liveStatus(element)).toBe('Live · no new drops since you opened it');
  });
});
