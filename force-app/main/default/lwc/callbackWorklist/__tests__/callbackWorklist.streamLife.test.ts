// The live stream across its life: empApi's one error callback heard by every open worklist, and turning live
// updates off (or on again) at awkward moments — while it checks for streaming, while it subscribes, while a retry
// waits — leaves no subscription, retry or stale "interrupted" behind.
import { isEmpEnabled, onError, subscribe, unsubscribe } from 'lightning/empApi';
import {
  advance,
  interruptedThenTurnedOff,
  renderWorklist,
  reportStreamingError,
  setLiveToggle,
  useWorklistSetUp
} from './worklistHarness';
import {
  NOW,
  SUBSCRIPTION,
  cellText,
  createWorklist,
  deferred,
  flushPromises,
  root
} from './worklistTestKit';

const OFF = 'Live updates are off. Reload to see new drops.';
const LIVE = 'Live · no new drops since you opened it';

function liveStatus(element: HTMLElement): string {
  return cellText(root(element), 'live-status');
}

describe('c-callback-worklist live stream', () => {
  useWorklistSetUp();

  // First in this file on purpose: the error callback is registered with empApi once per page (module).
  it('tells every open worklist of a streaming error, through one empApi error callback', async () => {
    const first = await renderWorklist();
    const second = createWorklist();
    await flushPromises();
    setLiveToggle(first, false);
    await flushPromises();
    setLiveToggle(first, true);
    await flushPromises();
    expect(liveStatus(first)).toBe(LIVE);
    expect(liveStatus(second)).toBe(LIVE);

    reportStreamingError({ message: 'Connection lost' });
    await flushPromises();
    for (const element of [first, second]) {
      expect(liveStatus(element)).toBe(
        'Live updates interrupted: Connection lost. Trying again in 5 s; new drops may be missing until then.'
      );
    }
    expect(jest.mocked(onError).mock.calls.length).toBeLessThanOrEqual(1);
  });

  it.each([
    [true, 'streaming turns out available'],
    [false, 'streaming turns out unavailable']
  ])('subscribes to nothing when turned off before it knew (%p: %s)', async (enabled) => {
    const available = deferred<boolean>();
    jest.mocked(isEmpEnabled).mockReturnValue(available.promise);
    const element = await renderWorklist();
    setLiveToggle(element, false);
    await flushPromises();
    available.resolve(enabled);
    await flushPromises();
    expect(subscribe).not.toHaveBeenCalled();
    expect(liveStatus(element)).toBe(OFF);
  });

  it('neither complains nor retries when a subscribe it no longer wants fails', async () => {
    jest.useFakeTimers({ now: NOW });
    const subscribing = deferred<EmpSubscription>();
    jest.mocked(subscribe).mockReturnValue(subscribing.promise);
    const element = await renderWorklist();
    setLiveToggle(element, false);
    await flushPromises();
    subscribing.reject(new Error('Handshake denied'));
    await flushPromises();
    expect(liveStatus(element)).toBe(OFF);
    jest.mocked(subscribe).mockClear();
    await advance(60000);
    expect(subscribe).not.toHaveBeenCalled();
  });

  it('turned off and on while a retry waits: live at once, the old retry never fires, and it hears the next error', async () => {
    jest.useFakeTimers({ now: NOW });
    const element = await renderWorklist();
    reportStreamingError({ message: 'Connection lost' });
    await flushPromises();
    expect(liveStatus(element)).toMatch(/Trying again in 5 s;/);
    setLiveToggle(element, false);
    await flushPromises();
    setLiveToggle(element, true);
    await flushPromises();
    expect(liveStatus(element)).toBe(LIVE);
    jest.mocked(subscribe).mockClear();
    await advance(5000);
    expect(subscribe).not.toHaveBeenCalled();

    reportStreamingError({ message: 'Connection lost again' });
    await flushPromises();
    expect(liveStatus(element)).toBe(
      'Live updates interrupted: Connection lost again. Trying again in 5 s; new drops may be missing until then.'
    );
  });

  it('releases each subscription once, however it ends', async () => {
    await interruptedThenTurnedOff();
    expect(jest.mocked(unsubscribe).mock.calls.map(([subscription]) => subscription)).toEqual([
      { ...SUBSCRIPTION, channel: '/event/Disconnected_Call__e' },
      { ...SUBSCRIPTION, channel: '/event/Callback_Change__e' }
    ]);
  });
});
