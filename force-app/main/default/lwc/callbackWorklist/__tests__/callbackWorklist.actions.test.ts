// What agents do to a caller: Call, Next caller, Release, and logging the outcome in the dialog.
import getWorklist from '@salesforce/apex/CallbackLifecycleController.getWorklist';
import claimCaller from '@salesforce/apex/CallbackLifecycleController.claimCaller';
import claimNext from '@salesforce/apex/CallbackLifecycleController.claimNext';
import releaseCaller from '@salesforce/apex/CallbackLifecycleController.releaseCaller';
import logCallerOutcome from '@salesforce/apex/CallbackLifecycleController.logCallerOutcome';
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
  dialogRoot,
  flushPromises,
  names,
  prop,
  root,
  rowByKey
} from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockClaim = require('./data/claimCaller.json');
const mockNoAnswer = require('./data/logCallerOutcomeNoAnswer.json');
const mockReached = require('./data/logCallerOutcomeReached.json');

describe('c-callback-worklist', () => {
  useWorklistSetUp();

  describe('calling', () => {
    it('Call claims the caller, then offers the dial control and focuses it', async () => {
      jest.mocked(claimCaller).mockResolvedValue(mockClaim);
      const element = await renderWorklist();
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));

      expect(claimCaller).toHaveBeenCalledWith({ callerKey: UNKNOWN_0142 });
      const row = rowByKey(element, UNKNOWN_0142);
      expect(cellText(row, 'status')).toMatch(/^You're calling until /);
      const dial = row.querySelector('lightning-click-to-dial');
      expect(prop(dial, 'value')).toBe('+15555550142');
      expect(prop(dial, 'recordId')).toBe('500Hs00001AbCdEAA2');
      expect(button(row, 'call')).toBeNull();
      expect(button(row, 'release')).not.toBeNull();
    });

    it.each([
      ['table', 1200],
      ['compact list', 400]
    ])('puts focus on the dial control after Call (%s)', async (_layout, width) => {
      jest.mocked(claimCaller).mockResolvedValue(mockClaim);
      const element = await renderWorklist(mockPage, width);
      const focus = jest.spyOn(HTMLElement.prototype, 'focus');
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));
      const focused = focus.mock.contexts as HTMLElement[];
      focus.mockRestore();
      expect(focused).toHaveLength(1);
      expect(focused[0]?.tagName).toBe('LIGHTNING-CLICK-TO-DIAL');
      expect(focused[0]?.dataset.dial).toBe(UNKNOWN_0142);
      expect(rowByKey(element, UNKNOWN_0142).contains(focused[0] ?? null)).toBe(true);
    });

    it('prompts for the outcome once the agent dialled', async () => {
      jest.mocked(claimCaller).mockResolvedValue(mockClaim);
      const element = await renderWorklist();
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));
      await click(rowByKey(element, UNKNOWN_0142).querySelector<HTMLElement>('.dial'));
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'on-call')).toBe(
        'When you hang up, log how the call went.'
      );
    });

    it('says who got there first when the claim is refused, and refreshes', async () => {
      jest.mocked(claimCaller).mockRejectedValue({
        status: 500,
        body: { message: '{"code":"CLAIMED_BY_OTHER","message":"Ben Agent is calling this customer."}' }
      });
      const element = await renderWorklist();
      jest.mocked(getWorklist).mockClear();
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));

      expect(cellText(root(element), 'notice')).toBe(
        "Couldn't start the call to +*******0142: Ben Agent is calling this customer.OK"
      );
      expect(getWorklist).toHaveBeenCalledTimes(1);
    });

    it('Next caller claims the most urgent one the server picks', async () => {
      jest.mocked(claimNext).mockResolvedValue(mockClaim);
      const element = await renderWorklist();
      await click(button(root(element), 'next'));
      expect(claimNext).toHaveBeenCalledWith({
        requestJson: JSON.stringify({ channel: null, category: null })
      });
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'status')).toMatch(/^You're calling/);
    });

    it('says so when nobody is ready to be called', async () => {
      jest.mocked(claimNext).mockResolvedValue(null);
      const element = await renderWorklist();
      await click(button(root(element), 'next'));
      expect(cellText(root(element), 'notice')).toBe(
        'Nobody is ready to be called right now (250 waiting out a retry delay).OK'
      );
    });

    it('Release gives the caller back to everyone', async () => {
      jest.mocked(claimCaller).mockResolvedValue(mockClaim);
      jest.mocked(releaseCaller).mockResolvedValue({
        callerKey: UNKNOWN_0142,
        claimedById: null,
        caller: { ...mockPage.callers[1] }
      });
      const element = await renderWorklist();
      await click(button(rowByKey(element, UNKNOWN_0142), 'call'));
      await click(button(rowByKey(element, UNKNOWN_0142), 'release'));
      expect(releaseCaller).toHaveBeenCalledWith({ callerKey: UNKNOWN_0142 });
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'status')).toBe('Ready to call');
    });
  });

  describe('logging an outcome', () => {
    it('offers the org dispositions and the drop details, and logs once for the whole caller', async () => {
      jest.mocked(logCallerOutcome).mockResolvedValue(mockReached);
      const toast = jest.fn();
      const element = await renderWorklist();
      element.addEventListener('lightning__showtoast', toast);

      const dialog = await openDialogFor(element, JANE);
      expect(dialog.querySelector('h2')?.textContent).toBe('Log callback outcome: Jane Doe');
      const options = prop(dialog.querySelector('lightning-radio-group'), 'options') as Array<{
        label: string;
      }>;
      expect(options.map((option) => option.label)).toEqual([
        'Reached',
        'No answer',
        'Left voicemail',
        'Busy',
        'Call back later',
        'Wrong number',
        'Not needed'
      ]);
      const details = (dialog.querySelector('[data-id="details"]')?.textContent ?? '').replace(/\s+/g, ' ');
      expect(details).toContain('What happened');
      expect(details).toContain('Attempts1, last 30 min ago');
      expect(details).toMatch(/Due by.*overdue by 10 min/);

      await chooseAndSave(dialog, 'REACHED', '  Spoke to Jane  ');
      expect(logCallerOutcome).toHaveBeenCalledTimes(1);
      const request = JSON.parse(jest.mocked(logCallerOutcome).mock.calls[0]?.[0].requestJson ?? '{}');
      expect(request).toEqual({
        callerKey: JANE,
        disposition: 'REACHED',
        note: 'Spoke to Jane',
        callbackAt: null,
        clientRequestId: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
        )
      });
      expect(names(element)).not.toContain('Jane Doe');
      expect(toast.mock.calls[0][0].detail).toEqual({
        title: 'Outcome logged',
        message: 'Reached: Jane Doe',
        variant: 'success'
      });
      expect(cellText(root(element), 'count')).toMatch(/^926 callers waiting, 1,202 drops · 11 overdue/);
    });

    it('keeps a caller that is not done waiting until the next try', async () => {
      jest.mocked(logCallerOutcome).mockResolvedValue(mockNoAnswer);
      const element = await renderWorklist();
      await chooseAndSave(await openDialogFor(element, UNKNOWN_0142), 'NO_ANSWER');
      const row = rowByKey(element, UNKNOWN_0142);
      expect(cellText(row, 'status')).toMatch(/^Next try after /);
      expect(cellText(row, 'attempts')).toBe('1 (last just now)');
      expect(button(row, 'call')).toBeNull();
    });

    it('re-enables the dialog after a failed save and retries with the same request id', async () => {
      jest.mocked(logCallerOutcome).mockRejectedValueOnce(OUTAGE).mockResolvedValueOnce(mockNoAnswer);
      const element = await renderWorklist();
      const dialog = await openDialogFor(element, UNKNOWN_0142);
      await chooseAndSave(dialog, 'NO_ANSWER');

      expect(dialogRoot(element)?.querySelector('[role="alert"]')?.textContent).toBe(
        "Couldn't save the outcome: Service Unavailable. Try again."
      );
      expect(dialog.querySelector<HTMLButtonElement>('[data-id="save"]')?.disabled).toBe(false);
      await click(dialog.querySelector<HTMLButtonElement>('[data-id="save"]'));
      const ids = jest
        .mocked(logCallerOutcome)
        .mock.calls.map((c) => JSON.parse(c[0].requestJson).clientRequestId);
      expect(ids).toHaveLength(2);
      expect(ids[1]).toBe(ids[0]);
      expect(dialogRoot(element)).toBeNull();
    });

    const escape = (dialog: ShadowRoot): void => {
      dialog
        .querySelector('section')
        ?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    };
    const press = (id: string) => (dialog: ShadowRoot) =>
      dialog.querySelector<HTMLButtonElement>(`[data-id="${id}"]`)?.click();

    it.each([
      ['Cancel', press('cancel')],
      ['the close button', press('close')],
      ['Escape', escape]
    ])('after a failed save shows no success, and %s closes the dialog again', async (_way, leave) => {
      jest.mocked(logCallerOutcome).mockRejectedValue(OUTAGE);
      const toast = jest.fn();
      const element = await renderWorklist();
      element.addEventListener('lightning__showtoast', toast);
      const dialog = await openDialogFor(element, UNKNOWN_0142);
      await chooseAndSave(dialog, 'NO_ANSWER');

      expect(dialog.querySelector('[role="alert"]')?.textContent).toBe(
        "Couldn't save the outcome: Service Unavailable. Try again."
      );
      expect(toast).not.toHaveBeenCalled();
      expect(cellText(rowByKey(element, UNKNOWN_0142), 'status')).toBe('Ready to call');
      expect(cellText(root(element), 'count')).toMatch(/^927 callers waiting, 1,204 drops/);
      for (const id of ['save', 'cancel', 'close']) {
        expect(dialog.querySelector<HTMLButtonElement>(`[data-id="${id}"]`)?.disabled).toBe(false);
      }
      leave(dialog);
      await flushPromises();
      expect(dialogRoot(element)).toBeNull();
    });

    it('while saving, Save, Cancel and Escape do nothing until the answer comes', async () => {
      let answer: (result: unknown) => void = () => undefined;
      jest.mocked(logCallerOutcome).mockReturnValue(new Promise((resolve) => (answer = resolve)));
      const toast = jest.fn();
      const element = await renderWorklist();
      element.addEventListener('lightning__showtoast', toast);
      const dialog = await openDialogFor(element, UNKNOWN_0142);
      await chooseAndSave(dialog, 'NO_ANSWER');

      for (const id of ['save', 'cancel', 'close']) {
        expect(dialog.querySelector<HTMLButtonElement>(`[data-id="${id}"]`)?.disabled).toBe(true);
      }
      escape(dialog);
      await flushPromises();
      expect(dialogRoot(element)).not.toBeNull();
      expect(toast).not.toHaveBeenCalled();

      answer(mockNoAnswer);
      await flushPromises();
      expect(dialogRoot(element)).toBeNull();
      expect(toast).toHaveBeenCalledTimes(1);
      expect(logCallerOutcome).toHaveBeenCalledTimes(1);
    });

    it('sends one request however often Save is pressed while saving', async () => {
      jest.mocked(logCallerOutcome).mockReturnValue(new Promise(() => undefined));
      const element = await renderWorklist();
      await chooseAndSave(await openDialogFor(element, UNKNOWN_0142), 'NO_ANSWER');
      root(element)
        .querySelector('c-callback-outcome-dialog')
        ?.dispatchEvent(
          new CustomEvent('save', { detail: { disposition: 'NO_ANSWER', note: null, callbackAt: null } })
        );
      await flushPromises();
      expect(logCallerOutcome).toHaveBeenCalledTimes(1);
    });

    it('asks for the time when the customer wants a call later', async () => {
      jest.mocked(logCallerOutcome).mockResolvedValue({ ...mockNoAnswer, disposition: 'CALL_BACK_LATER' });
      const element = await renderWorklist();
      const dialog = await openDialogFor(element, UNKNOWN_0142);
      await chooseAndSave(dialog, 'CALL_BACK_LATER');
      expect(logCallerOutcome).not.toHaveBeenCalled();
      expect(dialog.textContent).toContain('Enter when to call back.');

      const time = dialog.querySelector('lightning-input[data-id="callback-at"]');
      time?.dispatchEvent(new CustomEvent('change', { detail: { value: '2026-11-25T16:30:00.000Z' } }));
      await flushPromises();
      await click(dialog.querySelector<HTMLButtonElement>('[data-id="save"]'));
      expect(JSON.parse(jest.mocked(logCallerOutcome).mock.calls[0]?.[0].requestJson ?? '{}')).toMatchObject({
        disposition: 'CALL_BACK_LATER',
        callbackAt: '2026-11-25T16:30:00.000Z'
      });
    });

    it('returns focus to the row on cancel', async () => {
      const element = await renderWorklist();
      const call = button(rowByKey(element, JANE), 'call') as HTMLElement;
      const focus = jest.spyOn(call, 'focus');
      const dialog = await openDialogFor(element, JANE);
      await click(dialog.querySelector<HTMLButtonElement>('[data-id="cancel"]'));
      expect(dialogRoot(element)).toBeNull();
      expect(focus).toHaveBeenCalled();
    });
  });
});
