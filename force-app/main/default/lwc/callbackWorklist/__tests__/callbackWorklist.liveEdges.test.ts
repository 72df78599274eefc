// Live events at the edges: a caller closed elsewhere while the agent has its outcome dialog open, why a caller left
// the list in words, filters by category, changes for callers the list does not show, and which changes refresh.
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import logCallerOutcome from '@salesforce/apex/CallbackLifecycleController.logCallerOutcome';
import {
  REFRESH_COALESCE_MS,
  advance,
  changeCombobox,
  chooseAndSave,
  deliver,
  holdRefresh,
  lastRequest,
  newDrop,
  openDialogFor,
  renderWorklist,
  serverReturns,
  useWorklistSetUp
} from './worklistHarness';
import { FIRST_PAGE_NAMES, JANE, NOW, PRIYA, cellText, flushPromises, names, root } from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockEvent = require('./data/disconnectedCallEvent.json');
const mockClaimedByOther = require('./data/callbackChangeClaimedByOther.json');
const mockReachedByOther = require('./data/callbackChangeReachedByOther.json');

function drop(payload: Record<string, unknown>): { channel: string } {
  return { ...mockEvent, data: { ...mockEvent.data, payload: { ...mockEvent.data.payload, ...payload } } };
}

/** Chooses a filter and lets the list load for it, so an event after it meets a settled list. */
async function filterBy(element: HTMLElement, id: 'channel' | 'category', value: string): Promise<void> {
  serverReturns(mockPage);
  changeCombobox(element, id, value);
  await flushPromises();
  expect(lastRequest()[id]).toBe(value);
  expect(names(element)).toHaveLength(5);
  holdRefresh();
}

function change(payload: Record<string, unknown>): { channel: string } {
  return {
    ...mockReachedByOther,
    data: { ...mockReachedByOther.data, payload: { ...mockReachedByOther.data.payload, ...payload } }
  };
}

describe('c-callback-worklist', () => {
  useWorklistSetUp();

  it('tells the agent in the dialog when the caller was closed elsewhere', async () => {
    const element = await renderWorklist();
    const dialog = await openDialogFor(element, PRIYA);
    await deliver(change({ Caller_Key__c: PRIYA }));
    expect(dialog.querySelector('[role="alert"]')?.textContent).toBe(
      'This callback was just closed elsewhere; there is nothing left to log.'
    );
    expect(cellText(root(element), 'announcer')).toBe('Priya Shah was called back and left the list.');
  });

  it('keeps the dialog quiet about a close elsewhere once the save is on its way', async () => {
    jest.mocked(logCallerOutcome).mockReturnValue(new Promise(() => undefined));
    const element = await renderWorklist();
    const janeDialog = await openDialogFor(element, JANE);
    await chooseAndSave(janeDialog, 'NO_ANSWER');
    await deliver(change({ Caller_Key__c: JANE, Change_Type__c: 'AUTO_CLOSED' }));
    expect(janeDialog.querySelector('[role="alert"]')).toBeNull();
    expect(cellText(root(element), 'announcer')).toBe('Jane Doe got through on their own and left the list.');
  });

  it('ignores changes for callers it does not list', async () => {
    const element = await renderWorklist();
    await deliver(change({ Caller_Key__c: 'not-listed' }));
    expect(names(element)).toHaveLength(5);
    expect(cellText(root(element), 'announcer')).toBe('');
    expect(cellText(root(element), 'count')).toMatch(/^927 callers waiting, 1,204 drops/);
  });

  it('ignores drops of another category than the one chosen, and counts a new drop of a listed caller once', async () => {
    const element = await renderWorklist();
    holdRefresh();
    await deliver(newDrop('500Hs00001AbCdEC01', 'Jane Doe', '+*******0100', JANE));
    expect(cellText(root(element), 'count')).toMatch(/^927 callers waiting, 1,204 drops/);
    expect(cellText(root(element), 'announcer')).toMatch(/^New dropped call from Jane Doe/);

    serverReturns(mockPage);
    changeCombobox(element, 'category', 'DROPPED_IN_IVR');
    await flushPromises();
    holdRefresh();
    await deliver(mockEvent);
    expect(names(element)).not.toContain('Maria Garcia');
  });

  it('shows a drop of the channel chosen, whatever case the event spells it in', async () => {
    const element = await renderWorklist();
    await filterBy(element, 'channel', 'VOICE');
    await deliver(drop({ Channel__c: 'voice' }));
    expect(names(element)).toEqual([...FIRST_PAGE_NAMES, 'Maria Garcia']);
    expect(cellText(root(element), 'announcer')).toMatch(/^New dropped call from Maria Garcia/);
  });

  it('leaves out a drop of another channel, or of none, from a list filtered by channel', async () => {
    const element = await renderWorklist();
    await filterBy(element, 'channel', 'VOICE');
    await deliver(drop({ Channel__c: 'CHAT' }));
    await deliver(drop({ Case_Id__c: '500Hs00001AbCdEC02', Channel__c: null }));
    expect(names(element)).toHaveLength(5);
    expect(cellText(root(element), 'announcer')).toBe('');
  });

  it('shows a drop of the category chosen', async () => {
    const element = await renderWorklist();
    await filterBy(element, 'category', 'ABANDONED_IN_QUEUE');
    await deliver(mockEvent);
    expect(names(element)).toContain('Maria Garcia');
    expect(cellText(root(element), 'announcer')).toMatch(/^New dropped call from Maria Garcia/);
  });

  it('refreshes after an outcome that keeps the caller, not after a claim', async () => {
    jest.useFakeTimers({ now: NOW });
    const element = await renderWorklist();
    jest.mocked(getWorklist).mockClear();
    await deliver(mockClaimedByOther);
    await advance(REFRESH_COALESCE_MS);
    expect(getWorklist).not.toHaveBeenCalled();
    await deliver(
      change({ Caller_Key__c: JANE, Closed__c: false, Next_Attempt_At__c: '2026-11-25T15:00:00.000Z' })
    );
    await advance(REFRESH_COALESCE_MS);
    expect(getWorklist).toHaveBeenCalledTimes(1);
    expect(names(element)).toContain('Jane Doe');
  });
});
