// Accessibility (sa11y / axe rules) of the worklist in each of its states and both layouts.
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import { deliver, holdRefresh, renderWorklist, useWorklistSetUp } from './worklistHarness';
import { JANE, createWorklist, dialogRoot, flushPromises, root, setWidth } from './worklistTestKit';

const mockOpenCallbacks = require('./data/getWorklist.json');
const mockNoCallbacks = require('./data/getWorklistEmpty.json');
const mockEvent = require('./data/disconnectedCallEvent.json');

describe('c-callback-worklist accessibility', () => {
  useWorklistSetUp();

  it.each([
    ['table', 1200],
    ['compact list', 600]
  ])('is accessible with callbacks listed as a %s', async (_layout, width) => {
    const element = await renderWorklist(mockOpenCallbacks, width);
    await expect(element).toBeAccessible();
  });

  it('is accessible with new arrivals waiting to be seen', async () => {
    const element = await renderWorklist(mockOpenCallbacks, 600);
    holdRefresh();
    await deliver(mockEvent);
    expect(root(element).querySelector('[data-id="show-new"]')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('is accessible when empty', async () => {
    const element = await renderWorklist(mockNoCallbacks, 1200);
    await expect(element).toBeAccessible();
  });

  it('is accessible when loading failed and when a refresh failed', async () => {
    jest.mocked(getWorklist).mockRejectedValue({ status: 503, body: { message: 'Service Unavailable' } });
    const failed = createWorklist();
    await flushPromises();
    await expect(failed).toBeAccessible();
    document.body.removeChild(failed);

    const stale = await renderWorklist(mockOpenCallbacks, 600);
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
    const element = await renderWorklist(mockOpenCallbacks, 1200);
    root(element).querySelector<HTMLButtonElement>(`button[data-id="log"][data-key="${JANE}"]`)?.click();
    await flushPromises();
    expect(dialogRoot(element)).not.toBeNull();
    await expect(element).toBeAccessible();
  });
});
