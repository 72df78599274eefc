// What an agent sees while Call, Next caller, Release or Save is in flight, and after each fails: the button waits
// (and a second press sends nothing), what went wrong is said in the notice area and to screen readers, and the
// button works again afterwards.
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import claimCaller from '@salesforce/apex/CallbackLifecycleController.claimCaller';
import claimNext from '@salesforce/apex/CallbackLifecycleController.claimNext';
import releaseCaller from '@salesforce/apex/CallbackLifecycleController.releaseCaller';
import logCallerOutcome from '@salesforce/apex/CallbackLifecycleController.logCallerOutcome';
import getDispositions from '@salesforce/apex/CallbackLifecycleController.getDispositions';
import {
  OUTAGE,
  chooseAndSave,
  click,
  openDialogFor,
  renderWorklist,
  useWorklistSetUp
} from './worklistHarness';
import {
  JANE,
  UNKNOWN_0142,
  button,
  cellText,
  createWorklist,
  dialogRoot,
  flushPromises,
  deferred,
  root,
  rowByKey
} from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockClaim = require('./data/claimCaller.json');
const mockNoAnswer = require('./data/logCallerOutcomeNoAnswer.json');

const ROW_LOCKED = { status: 500, body: { message: 'Row locked by another request.' } };
/** The server's copy after a release: ready to call again. */
const RELEASED = { callerKey: UNKNOWN_0142, claimedById: null, caller: { ...mockPage.callers[1] } };

describe('c-callback-worklist', () => {
  useWorklistSetUp();

  describe('Call', () => {
    it('waits while claiming: a second press sends nothing, and the agent hears who they are calling', async () => {
      const claim = deferred<unknown>();
      jest.mocked(claimCaller).mockReturnValue(claim.promise as ReturnType<typeof claimCaller>);
      const element = await renderWorklist();
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));

      expect(button(rowByKey(element, UNKNOWN_0142), 'call')?.disabled).toBe(true);
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));
      // The worklist does not rely on its row actions disabling the button: a second call event sends nothing.
      rowByKey(element, UNKNOWN_0142)
        .querySelector('c-callback-row-actions')
        ?.dispatchEvent(new CustomEvent('call'));
      expect(claimCaller).toHaveBeenCalledTimes(1);

      claim.resolve(mockClaim);
      await flushPromises();
      expect(cellText(root(element), 'announcer')).toMatch(
        /^You're calling number ending 0142 until \d{1,2}:\d{2}.*\. Dial when ready\.$/
      );
      expect(cellText(root(element), 'notice')).toBe('');
    });

    it('says why a claim failed without reloading the list when the list is not out of date', async () => {
      jest.mocked(claimCaller).mockRejectedValueOnce(ROW_LOCKED).mockResolvedValueOnce(mockClaim);
      const element = await renderWorklist();
      jest.mocked(getWorklist).mockClear();
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));

      const problem = "Couldn't start the call to +*******0142: Row locked by another request.";
      expect(cellText(root(element), 'notice')).toBe(`${problem}OK`);
      expect(cellText(root(element), 'announcer')).toBe(problem);
      expect(getWorklist).not.toHaveBeenCalled();

      // The button works again, and a successful try clears the old problem.
      expect(button(rowByKey(element, UNKNOWN_0142), 'call')?.disabled).toBe(false);
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));
      expect(claimCaller).toHaveBeenCalledTimes(2);
      expect(cellText(root(element), 'notice')).toBe('');
    });

    it('does not reload the list for a refusal with a code that does not mean the list is out of date', async () => {
      jest.mocked(claimCaller).mockRejectedValue({
        status: 500,
        body: { message: '{"code":"RETRYABLE","message":"The server is busy. Try again."}' }
      });
      const element = await renderWorklist();
      jest.mocked(getWorklist).mockClear();
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));

      expect(cellText(root(element), 'notice')).toBe(
        "Couldn't start the call to +*******0142: The server is busy. Try again.OK"
      );
      expect(getWorklist).not.toHaveBeenCalled();
      expect(button(rowByKey(element, UNKNOWN_0142), 'call')?.disabled).toBe(false);
    });
  });

  describe('Next caller', () => {
    it('waits while the server picks: a second press sends nothing; the button works again after', async () => {
      const picked = deferred<unknown>();
      jest.mocked(claimNext).mockReturnValue(picked.promise as ReturnType<typeof claimNext>);
      const element = await renderWorklist();
      await click(button(root(element), 'next'));
      expect(button(root(element), 'next')?.disabled).toBe(true);
      await click(button(root(element), 'next'));
      button(root(element), 'next')?.dispatchEvent(new MouseEvent('click'));
      expect(claimNext).toHaveBeenCalledTimes(1);

      picked.resolve(null);
      await flushPromises();
      expect(button(root(element), 'next')?.disabled).toBe(false);
      const nobody = 'Nobody is ready to be called right now (250 waiting out a retry delay).';
      expect(cellText(root(element), 'announcer')).toBe(nobody);
    });

    it('says when the next caller could not be fetched, and works again after', async () => {
      jest.mocked(claimNext).mockRejectedValueOnce(OUTAGE).mockResolvedValueOnce(mockClaim);
      const element = await renderWorklist();
      await click(button(root(element), 'next'));
      expect(cellText(root(element), 'notice')).toBe("Couldn't get the next caller: Service Unavailable.OK");
      expect(button(root(element), 'next')?.disabled).toBe(false);
      await click(button(root(element), 'next'));
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'status')).toMatch(/^You're calling/);
      expect(cellText(root(element), 'notice')).toBe('');
    });

    it('says nobody is ready without a waiting count when nobody waits out a retry delay', async () => {
      jest.mocked(claimNext).mockResolvedValue(null);
      const element = await renderWorklist({ ...mockPage, totals: { ...mockPage.totals, waiting: 0 } });
      await click(button(root(element), 'next'));
      expect(cellText(root(element), 'notice')).toBe('Nobody is ready to be called right now.OK');
    });
  });

  it('keeps the totals to what the server says of a caller it claims or releases', async () => {
    // The server's copy knows of a drop and a breach the list had not seen yet.
    const serverCopy = { ...mockClaim.caller, dropCount: 2, overdue: true };
    jest.mocked(claimCaller).mockResolvedValue({ ...mockClaim, caller: serverCopy });
    jest.mocked(releaseCaller).mockResolvedValue({
      ...RELEASED,
      caller: { ...mockPage.callers[1], dropCount: 3, overdue: true }
    });
    const element = await renderWorklist();
    await click(button(rowByKey(element, UNKNOWN_0142), 'call'));
    expect(cellText(root(element), 'count')).toMatch(/^927 callers waiting, 1,205 drops · 13 overdue/);
    await click(button(rowByKey(element, UNKNOWN_0142), 'release'));
    expect(cellText(root(element), 'count')).toMatch(/^927 callers waiting, 1,206 drops · 13 overdue/);
  });

  it('says nobody is ready when Next caller is pressed while the list could not load', async () => {
    jest.mocked(claimNext).mockResolvedValue(null);
    jest.mocked(getWorklist).mockRejectedValue(OUTAGE);
    const element = createWorklist();
    await flushPromises();
    await click(button(root(element), 'next'));
    expect(cellText(root(element), 'announcer')).toBe('Nobody is ready to be called right now.');
  });

  describe('Release', () => {
    async function claimed(): Promise<HTMLElement> {
      jest.mocked(claimCaller).mockResolvedValue(mockClaim);
      const element = await renderWorklist();
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));
      return element;
    }

    it('says why a release failed, keeps the claim, and Release works again', async () => {
      const element = await claimed();
      jest.mocked(releaseCaller).mockRejectedValueOnce(ROW_LOCKED).mockResolvedValueOnce(RELEASED);
      await click(button(rowByKey(element, UNKNOWN_0142), 'release'));

      expect(cellText(root(element), 'notice')).toBe(
        "Couldn't release +*******0142: Row locked by another request.OK"
      );
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'status')).toMatch(/^You're calling/);
      expect(button(rowByKey(element, UNKNOWN_0142), 'release')?.disabled).toBe(false);
      await click(button(rowByKey(element, UNKNOWN_0142), 'release'));
      expect(releaseCaller).toHaveBeenCalledTimes(2);
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'status')).toBe('Ready to call');
    });

    it('sends one release however often it is pressed, then puts focus back on the row', async () => {
      const element = await claimed();
      const released = deferred<unknown>();
      jest.mocked(releaseCaller).mockReturnValue(released.promise as ReturnType<typeof releaseCaller>);
      await click(button(rowByKey(element, UNKNOWN_0142), 'release'));
      expect(button(rowByKey(element, UNKNOWN_0142), 'release')?.disabled).toBe(true);
      await click(button(rowByKey(element, UNKNOWN_0142), 'release'));
      expect(releaseCaller).toHaveBeenCalledTimes(1);

      const focus = jest.spyOn(HTMLElement.prototype, 'focus');
      released.resolve(RELEASED);
      await flushPromises();
      const focused = focus.mock.contexts as HTMLElement[];
      expect(focused[focused.length - 1]?.dataset.focus).toBe(UNKNOWN_0142);
      focus.mockRestore();
      const call = button(rowByKey(element, UNKNOWN_0142), 'call') as HTMLElement;
      expect(call).not.toBeNull();
      expect(cellText(root(element), 'count')).toMatch(/^927 callers waiting, 1,204 drops/);
    });
  });

  describe('the outcome dialog', () => {
    it('says so when the outcomes could not be loaded, in the list and in the dialog', async () => {
      jest.mocked(getDispositions).mockRejectedValue(OUTAGE);
      const element = await renderWorklist();
      expect(cellText(root(element), 'notice')).toBe(
        "Couldn't load the outcomes agents can log: Service Unavailable.OK"
      );
      const dialog = await openDialogFor(element, UNKNOWN_0142);
      expect(dialog.querySelector('[role="alert"]')?.textContent).toBe(
        "Couldn't load the outcomes. Close this and reload the list."
      );
    });

    it('says on how many drops the outcome is logged', async () => {
      const element = await renderWorklist();
      const jane = await openDialogFor(element, JANE);
      expect(jane.querySelector('#outcome-dialog-scope, p')?.textContent).toBe(
        'The outcome is logged on all 2 open drops of this caller.'
      );
      expect(jane.querySelector('[role="alert"]')).toBeNull();
      await click(jane.querySelector<HTMLButtonElement>('[data-id="cancel"]'));
      const single = await openDialogFor(element, UNKNOWN_0142);
      expect(single.querySelector('#outcome-dialog-scope, p')?.textContent).toBe(
        'The outcome is logged on the callback case.'
      );
    });

    it('tells the agent when the caller is tried next, and clears the last error while retrying', async () => {
      const toast = jest.fn();
      const retry = deferred<unknown>();
      jest
        .mocked(logCallerOutcome)
        .mockRejectedValueOnce(ROW_LOCKED)
        .mockReturnValueOnce(retry.promise as ReturnType<typeof logCallerOutcome>);
      const element = await renderWorklist();
      element.addEventListener('lightning__showtoast', toast);
      const dialog = await openDialogFor(element, UNKNOWN_0142);
      await chooseAndSave(dialog, 'NO_ANSWER');
      expect(dialog.querySelector('[role="alert"]')?.textContent).toBe(
        "Couldn't save the outcome: Row locked by another request. Try again."
      );

      await click(dialog.querySelector<HTMLButtonElement>('[data-id="save"]'));
      expect(dialog.querySelector('[role="alert"]')).toBeNull();
      retry.resolve(mockNoAnswer);
      await flushPromises();
      expect(dialogRoot(element)).toBeNull();
      expect(toast.mock.calls[0][0].detail).toEqual({
        title: 'Outcome logged',
        message: expect.stringMatching(/^No answer: \+\*{7}0142\. Next try after \d{1,2}:\d{2}.*\.$/),
        variant: 'success'
      });
    });

    it('names an outcome the list does not know by its code', async () => {
      const toast = jest.fn();
      jest
        .mocked(logCallerOutcome)
        .mockResolvedValue({ ...mockNoAnswer, disposition: 'RETIRED_CODE', nextAttemptAt: null });
      const element = await renderWorklist();
      element.addEventListener('lightning__showtoast', toast);
      await chooseAndSave(await openDialogFor(element, UNKNOWN_0142), 'NO_ANSWER');
      expect(toast.mock.calls[0][0].detail.message).toBe('RETIRED_CODE: +*******0142');
    });
  });
});
