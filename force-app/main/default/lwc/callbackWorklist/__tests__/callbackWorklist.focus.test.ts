// Where keyboard focus is after rows come and go: a keyboard user stays in place when the caller they were on leaves
// the list, focus is never pulled back from wherever the agent moved it, and the outcome dialog keeps it while open.
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import {
  click,
  deliver,
  holdRefresh,
  newDrop,
  renderWorklist,
  serverReturns,
  useWorklistSetUp,
  withPayload
} from './worklistHarness';
import {
  JANE,
  OMAR,
  PRIYA,
  SAM,
  UNKNOWN_0142,
  button,
  deferred,
  dialogRoot,
  flushPromises,
  root,
  rowByKey
} from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockPage2 = require('./data/getWorklistPage2.json');
const mockAutoClosed = require('./data/callbackChangeAutoClosed.json');

/** Another agent's outcome closed this caller's cases: their row leaves the list. */
function leaves(callerKey: string): { channel: string } {
  const caller = mockPage.callers.find((each: LifecycleCaller) => each.callerKey === callerKey);
  return withPayload(mockAutoClosed, {
    Caller_Key__c: callerKey,
    Case_Ids__c: caller.drops.map((drop: LifecycleDrop) => drop.caseId).join(',')
  });
}

/** What has keyboard focus: the element inside the worklist, or the page's own element when it is outside. */
function focused(element: HTMLElement): Element | null {
  return document.activeElement === element ? root(element).activeElement : document.activeElement;
}

function focusOn(target: Element | null): HTMLElement {
  if (!target) {
    throw new Error('nothing to focus');
  }
  (target as HTMLElement).focus();
  return target as HTMLElement;
}

describe('c-callback-worklist keyboard focus', () => {
  useWorklistSetUp();

  it('gives focus to the caller now in the same place when the focused caller leaves', async () => {
    const element = await renderWorklist();
    holdRefresh();
    focusOn(button(rowByKey(element, PRIYA), 'log'));
    await deliver(leaves(PRIYA));
    // Priya was fourth; Sam is fourth now (not the first row, not the heading).
    expect(focused(element)).toBe(button(rowByKey(element, SAM), 'log'));
  });

  it('gives focus to the new last caller when the last one leaves', async () => {
    const element = await renderWorklist();
    holdRefresh();
    focusOn(button(rowByKey(element, SAM), 'log'));
    await deliver(leaves(SAM));
    expect(focused(element)).toBe(button(rowByKey(element, PRIYA), 'log'));
  });

  it('gives focus to the heading when nobody is left, or the caller in the place has nothing to focus', async () => {
    const element = await renderWorklist({ ...mockPage, callers: [mockPage.callers[0]] });
    holdRefresh();
    focusOn(button(rowByKey(element, JANE), 'call'));
    await deliver(leaves(JANE));
    expect(focused(element)).toBe(root(element).querySelector('[data-id="heading"]'));

    document.body.removeChild(element);
    const again = await renderWorklist();
    holdRefresh();
    focusOn(button(rowByKey(again, UNKNOWN_0142), 'call'));
    await deliver(leaves(UNKNOWN_0142));
    // Omar (claimed by another agent) has no Call or Log for this agent.
    expect(rowByKey(again, OMAR).querySelector('button[data-focus]')).toBeNull();
    expect(focused(again)).toBe(root(again).querySelector('[data-id="heading"]'));
  });

  it('leaves focus where the agent moved it inside the worklist', async () => {
    const element = await renderWorklist();
    holdRefresh();
    focusOn(button(rowByKey(element, JANE), 'call'));
    // On to "Show more" (not a caller's row).
    const showMore = focusOn(button(root(element), 'load-more'));
    await deliver(leaves(JANE));
    expect(focused(element)).toBe(showMore);
  });

  it('never pulls focus back from elsewhere on the page when the focused caller leaves', async () => {
    const element = await renderWorklist();
    holdRefresh();
    focusOn(button(rowByKey(element, JANE), 'call'));
    const notes = document.createElement('textarea');
    document.body.appendChild(notes);
    focusOn(notes);
    await deliver(leaves(JANE));
    expect(document.activeElement).toBe(notes);
  });

  it('does not take focus when the page has it and the rows change', async () => {
    const element = await renderWorklist();
    holdRefresh();
    // A row, then blank page: the caller is still listed, so nothing is to be restored.
    focusOn(button(rowByKey(element, UNKNOWN_0142), 'call')).blur();
    await deliver(newDrop('500Hs00001AbCdEB01', 'Ann New', '+*******0186', 'k1'));
    expect(document.activeElement).toBe(document.body);
    // The heading (no caller), then blank page: no caller's row was left.
    focusOn(root(element).querySelector('[data-id="heading"]')).blur();
    await deliver(newDrop('500Hs00001AbCdEB02', 'Bob New', '+*******0187', 'k2'));
    expect(document.activeElement).toBe(document.body);
  });

  it('keeps focus in the outcome dialog while it is open, and gives it back to the row when it closes', async () => {
    const element = await renderWorklist();
    const page2 = deferred<WorklistPage>();
    jest.mocked(getWorklist).mockReturnValueOnce(page2.promise);
    // Show more, then Log on Jane before the next page is there.
    await click(button(root(element), 'load-more'));
    await click(button(rowByKey(element, JANE), 'log'));
    const dialog = dialogRoot(element) as ShadowRoot;
    const cancel = focusOn(dialog.querySelector('[data-id="cancel"]'));
    page2.resolve(mockPage2);
    await flushPromises();
    const firstNew = mockPage2.callers[0].callerKey;
    expect(rowByKey(element, firstNew)).toBeTruthy();
    expect(dialog.activeElement).toBe(cancel);

    await click(cancel);
    expect(dialogRoot(element)).toBeNull();
    expect(focused(element)).toBe(button(rowByKey(element, JANE), 'call'));
  });

  it('scrolls the caller it focuses into view, no further than needed', async () => {
    const scrollIntoView = jest.fn();
    Reflect.set(HTMLElement.prototype, 'scrollIntoView', scrollIntoView);
    try {
      const element = await renderWorklist();
      serverReturns(mockPage2);
      await click(button(root(element), 'load-more'));
      const firstNew = button(rowByKey(element, mockPage2.callers[0].callerKey), 'call');
      expect(focused(element)).toBe(firstNew);
      expect(scrollIntoView.mock.contexts).toEqual([firstNew]);
      expect(scrollIntoView).toHaveBeenCalledWith({ block: 'nearest' });
    } finally {
      Reflect.deleteProperty(HTMLElement.prototype, 'scrollIntoView');
    }
  });
});
