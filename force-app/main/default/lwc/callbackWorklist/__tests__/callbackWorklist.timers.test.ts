// The worklist's clocks as the agent sees them: relative times move on by themselves, each burst of live events
// gets its own refresh, and nothing runs on for a worklist that was removed (until it is added again).
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import {
  HIGHLIGHT_MS,
  REFRESH_COALESCE_MS,
  advance,
  deliver,
  newDrop,
  renderWorklist,
  useWorklistSetUp
} from './worklistHarness';
import { JANE, NOW, cellText, flushPromises, rowByKey } from './worklistTestKit';

const mockEvent = require('./data/disconnectedCallEvent.json');
const mockReachedByOther = require('./data/callbackChangeReachedByOther.json');
const TICK_MS = 30000;
const MARIA = '003Hs00000MaRiAAAA';

/** The worklist with Maria's new drop delivered and highlighted, its refresh held so the list stays as it is. */
async function withNewDropHighlighted(): Promise<HTMLElement> {
  const element = await renderWorklist();
  jest.mocked(getWorklist).mockReturnValue(new Promise(() => undefined));
  await deliver(mockEvent);
  expect(rowByKey(element, MARIA).className).toContain('row_new');
  return element;
}

describe('c-callback-worklist', () => {
  useWorklistSetUp();
  beforeEach(() => jest.useFakeTimers({ now: NOW }));

  it('moves "how long ago" on every 30 seconds without a reload', async () => {
    const element = await renderWorklist();
    expect(cellText(rowByKey(element, JANE), 'when')).toBe('first drop 55 min ago');
    jest.mocked(getWorklist).mockClear();
    await advance(2 * TICK_MS - 1);
    expect(cellText(rowByKey(element, JANE), 'when')).toBe('first drop 55 min ago');
    await advance(1);
    expect(cellText(rowByKey(element, JANE), 'when')).toBe('first drop 56 min ago');
    expect(getWorklist).not.toHaveBeenCalled();
  });

  it('refreshes once for each burst of live events, not only for the first', async () => {
    await renderWorklist();
    jest.mocked(getWorklist).mockClear();
    await deliver(newDrop('500Hs00001AbCdEB01', 'Ann New', '+*******0186', 'k1'));
    await advance(REFRESH_COALESCE_MS);
    expect(getWorklist).toHaveBeenCalledTimes(1);
    await deliver(newDrop('500Hs00001AbCdEB02', 'Bob New', '+*******0187', 'k2'));
    await advance(REFRESH_COALESCE_MS - 1);
    expect(getWorklist).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(getWorklist).toHaveBeenCalledTimes(2);
  });

  it('runs no refresh or clock for a removed worklist, and both again once it is added back', async () => {
    const element = await renderWorklist();
    await deliver(newDrop('500Hs00001AbCdEB01', 'Ann New', '+*******0186', 'k1'));
    document.body.removeChild(element);
    await flushPromises();
    jest.mocked(getWorklist).mockClear();
    await advance(2 * TICK_MS);
    expect(getWorklist).not.toHaveBeenCalled();

    document.body.appendChild(element);
    await flushPromises();
    expect(getWorklist).toHaveBeenCalledTimes(1);
    await deliver(newDrop('500Hs00001AbCdEB02', 'Bob New', '+*******0187', 'k2'));
    await advance(REFRESH_COALESCE_MS);
    expect(getWorklist).toHaveBeenCalledTimes(2);
    expect(cellText(rowByKey(element, JANE), 'when')).toBe('first drop 56 min ago');
    await advance(2 * TICK_MS);
    expect(cellText(rowByKey(element, JANE), 'when')).toBe('first drop 57 min ago');
  });

  it('highlights a caller for 8 s from their latest arrival, even when they came back in between', async () => {
    const element = await withNewDropHighlighted();
    await advance(3000);
    // Closed elsewhere, then the same drop delivered again (a replay): listed and highlighted anew.
    await deliver({
      ...mockReachedByOther,
      data: {
        ...mockReachedByOther.data,
        payload: { ...mockReachedByOther.data.payload, Caller_Key__c: MARIA }
      }
    });
    expect(() => rowByKey(element, MARIA)).toThrow();
    await advance(2000);
    await deliver(mockEvent);
    await advance(3000);
    expect(rowByKey(element, MARIA).className).toContain('row_new');
    await advance(4999);
    expect(rowByKey(element, MARIA).className).toContain('row_new');
    await advance(1);
    expect(rowByKey(element, MARIA).className).not.toContain('row_new');
  });

  it('stops highlighting a new caller once the worklist was removed and added back (the highlight timer stopped with it)', async () => {
    const element = await withNewDropHighlighted();
    document.body.removeChild(element);
    await flushPromises();
    document.body.appendChild(element);
    await flushPromises();
    await advance(HIGHLIGHT_MS);
    expect(rowByKey(element, MARIA).className).not.toContain('row_new');
  });
});
