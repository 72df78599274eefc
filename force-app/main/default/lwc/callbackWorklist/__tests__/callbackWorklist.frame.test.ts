// The worklist's frame as the console shows it: the utility bar's label and icon (and that it is told only of
// changes), and a browser without ResizeObserver still getting the worklist.
import { updateUtility } from 'lightning/platformUtilityBarApi';
import {
  advance,
  deliver,
  holdRefresh,
  newDrop,
  reportStreamingError,
  serverReturns,
  useWorklistSetUp,
  utilityWire
} from './worklistHarness';
import {
  FakeResizeObserver,
  NOW,
  bodyRows,
  createWorklist,
  flushPromises,
  root,
  setWidth
} from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockEmpty = require('./data/getWorklistEmpty.json');

/** A worklist in a utility panel; resolves once its first page is shown. */
async function inUtilityBar(page: unknown): Promise<HTMLElement> {
  serverReturns(page);
  const element = createWorklist();
  utilityWire.emit('utility-7');
  await flushPromises();
  return element;
}

function lastUtility(): unknown {
  const calls = jest.mocked(updateUtility).mock.calls;
  return calls[calls.length - 1]?.[1];
}

describe('c-callback-worklist frame', () => {
  useWorklistSetUp();

  it('labels the utility without a count when nobody is waiting, or before the count is known', async () => {
    holdRefresh();
    createWorklist();
    utilityWire.emit('utility-7');
    await flushPromises();
    expect(lastUtility()).toEqual({ label: 'Callbacks', highlighted: false, iconVariant: '' });

    document.body.removeChild(document.body.firstChild as Node);
    await inUtilityBar(mockEmpty);
    expect(lastUtility()).toEqual({ label: 'Callbacks', highlighted: false, iconVariant: '' });
  });

  it('shows the warning icon while live updates are interrupted, and clears it once they are back', async () => {
    jest.useFakeTimers({ now: NOW });
    await inUtilityBar(mockPage);
    expect(lastUtility()).toEqual({ label: 'Callbacks (927)', highlighted: false, iconVariant: '' });
    reportStreamingError({ message: 'Connection lost' });
    await flushPromises();
    expect(lastUtility()).toEqual({ label: 'Callbacks (927)', highlighted: false, iconVariant: 'warning' });
    await advance(5000);
    expect(lastUtility()).toEqual({ label: 'Callbacks (927)', highlighted: false, iconVariant: '' });
  });

  it('tells the utility bar only what changed', async () => {
    const element = await inUtilityBar(mockPage);
    const sent = jest.mocked(updateUtility).mock.calls.length;
    // Re-rendered for other reasons: a narrower panel, the clock.
    await setWidth(600);
    await setWidth(1200);
    expect(bodyRows(element)).toHaveLength(5);
    expect(jest.mocked(updateUtility).mock.calls.length).toBe(sent);
    holdRefresh();
    await deliver(newDrop('500Hs00001AbCdEB01', 'Ann New', '+*******0186', 'k1'));
    expect(jest.mocked(updateUtility).mock.calls.length).toBe(sent + 1);
  });

  it('shows the worklist, as the table, in a browser without ResizeObserver', async () => {
    Reflect.deleteProperty(window, 'ResizeObserver');
    serverReturns(mockPage);
    const element = createWorklist();
    await flushPromises();
    expect(FakeResizeObserver.instances).toHaveLength(0);
    expect(root(element).querySelector('table')).not.toBeNull();
    expect(bodyRows(element)).toHaveLength(5);
  });
});
