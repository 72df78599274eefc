// Loading, what the agent sees at its edges: a first load that fails (the error, no spinner left spinning), a page
// that leaves its empty list out, a new caller who dropped twice around a refresh, and "N new" pressed while the list
// starts over for new filters.
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import {
  OUTAGE,
  REFRESH_COALESCE_MS,
  advance,
  changeCombobox,
  click,
  deliver,
  holdRefresh,
  newDrop,
  renderWorklist,
  serverFails,
  serverReturns,
  useWorklistSetUp
} from './worklistHarness';
import {
  NOW,
  bodyRows,
  button,
  cellText,
  createWorklist,
  deferred,
  flushPromises,
  names,
  root
} from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockEmpty = require('./data/getWorklistEmpty.json');

function withoutCallers(page: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...page };
  Reflect.deleteProperty(rest, 'callers');
  return rest;
}

describe('c-callback-worklist loading edges', () => {
  useWorklistSetUp();

  it('shows why the first load failed, and no spinner still turning', async () => {
    serverFails(OUTAGE);
    const element = createWorklist();
    await flushPromises();
    expect(cellText(root(element), 'error')).toContain("Salesforce didn't answer (Service Unavailable)");
    expect(root(element).querySelector('[data-id="loading"]')).toBeNull();
  });

  it('shows an empty list for a page that leaves its callers out, and adds nobody for such a next page', async () => {
    const element = await renderWorklist(withoutCallers(mockEmpty));
    expect(bodyRows(element)).toHaveLength(0);
    expect(root(element).querySelector('[data-id="empty"]')).not.toBeNull();

    document.body.removeChild(element);
    const paged = await renderWorklist(mockPage);
    serverReturns({ ...withoutCallers(mockPage), nextCursor: null });
    await click(button(root(paged), 'load-more'));
    expect(bodyRows(paged)).toHaveLength(5);
    expect(root(paged).querySelector('[data-id="notice"]')).toBeNull();
  });

  it('keeps a new caller who dropped again while a refresh was on its way, though their first drop came before it', async () => {
    jest.useFakeTimers({ now: NOW });
    const element = await renderWorklist();
    holdRefresh();
    await deliver(newDrop('500Hs00001AbCdEB01', 'Ann New', '+*******0186', 'k1'));
    const slow = deferred<WorklistPage>();
    jest.mocked(getWorklist).mockReturnValueOnce(slow.promise);
    // The refresh her first drop asked for starts; she drops again before it answers, without her.
    await advance(REFRESH_COALESCE_MS);
    await advance(10);
    await deliver(newDrop('500Hs00001AbCdEB02', 'Ann New', '+*******0186', 'k1'));
    slow.resolve(mockPage);
    await flushPromises();
    expect(names(element)).toContain('Ann New');
  });

  it('clears "N new" without moving focus when pressed while the list starts over for new filters', async () => {
    const element = await renderWorklist();
    holdRefresh();
    await deliver(newDrop('500Hs00001AbCdEB01', 'Ann New', '+*******0186', 'k1'));
    changeCombobox(element, 'channel', 'CHAT');
    await flushPromises();
    expect(bodyRows(element)).toHaveLength(0);
    const focus = jest.spyOn(HTMLElement.prototype, 'focus');
    await click(button(root(element), 'show-new'));
    const focused = focus.mock.calls.length;
    focus.mockRestore();
    expect(focused).toBe(0);
    expect(button(root(element), 'show-new')).toBeNull();
  });
});
