import { createElement } from 'lwc';
import CallbackOutcomeDialog from 'c/callbackOutcomeDialog';

function flushPromises(): Promise<void> {
  // Several chained promises (isEmpEnabled → subscribe → render) need more than one microtask turn;
  // no setTimeout here so the helper also works under fake timers.
  return Array.from({ length: 5 }).reduce<Promise<void>>(
    (chain) => chain.then(() => undefined),
    Promise.resolve()
  );
}

// The org's agent-selectable dispositions, as getDispositions returns them.
const DISPOSITIONS = require('../../callbackWorklist/__tests__/data/getDispositions.json');

function createDialog(props: Record<string, unknown> = {}): HTMLElement {
  const element = createElement('c-callback-outcome-dialog', { is: CallbackOutcomeDialog });
  Object.assign(element, { callerLabel: 'Jane Doe', dispositions: DISPOSITIONS, ...props });
  document.body.appendChild(element);
  return element;
}

function root(element: HTMLElement): ShadowRoot {
  return element.shadowRoot as ShadowRoot;
}

function chooseOutcome(element: HTMLElement, value: string): void {
  root(element)
    .querySelector('lightning-radio-group')
    ?.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

function typeNote(element: HTMLElement, value: string): void {
  root(element)
    .querySelector('lightning-textarea')
    ?.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

function button(element: HTMLElement, id: string): HTMLButtonElement {
  return root(element).querySelector(`[data-id="${id}"]`) as HTMLButtonElement;
}

describe('c-callback-outcome-dialog', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('is a labelled modal dialog that takes focus when it opens', async () => {
    const element = createDialog();
    await flushPromises();

    const dialog = root(element).querySelector('section') as HTMLElement;
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const heading = root(element).querySelector('h2') as HTMLElement;
    expect(heading.textContent).toBe('Log callback outcome: Jane Doe');
    expect(root(element).activeElement).toBe(heading);
    const options = Reflect.get(root(element).querySelector('lightning-radio-group') ?? {}, 'options');
    expect(options.map((option: { label: string }) => option.label)).toEqual([
      'Reached',
      'No answer',
      'Left voicemail',
      'Busy',
      'Call back later',
      'Wrong number',
      'Not needed'
    ]);
  });

  it("reminds the agent of the drop's details", async () => {
    const element = createDialog({
      details: [
        { label: 'Dropped', value: '13:05 (55 min ago)' },
        { label: 'Due by', value: '13:50 (overdue by 10 min)' }
      ]
    });
    await flushPromises();
    const terms = Array.from(root(element).querySelectorAll('dt')).map((dt) => dt.textContent);
    const values = Array.from(root(element).querySelectorAll('dd')).map((dd) => dd.textContent);
    expect(terms).toEqual(['Dropped', 'Due by']);
    expect(values).toEqual(['13:05 (55 min ago)', '13:50 (overdue by 10 min)']);
  });

  it('asks for the time when the outcome needs one, and sends it as ISO', async () => {
    const saveHandler = jest.fn();
    const element = createDialog();
    element.addEventListener('save', saveHandler);
    await flushPromises();
    expect(root(element).querySelector('[data-id="callback-at"]')).toBeNull();

    chooseOutcome(element, 'CALL_BACK_LATER');
    await flushPromises();
    button(element, 'save').click();
    await flushPromises();
    expect(saveHandler).not.toHaveBeenCalled();
    expect(root(element).querySelector('[role="alert"]')?.textContent).toBe('Enter when to call back.');

    root(element)
      .querySelector('[data-id="callback-at"]')
      ?.dispatchEvent(new CustomEvent('change', { detail: { value: '2026-11-25T16:30:00Z' } }));
    button(element, 'save').click();
    expect(saveHandler.mock.calls[0][0].detail).toEqual({
      disposition: 'CALL_BACK_LATER',
      note: null,
      callbackAt: '2026-11-25T16:30:00.000Z'
    });
  });

  it('asks for an outcome instead of saving without one', async () => {
    const saveHandler = jest.fn();
    const element = createDialog();
    element.addEventListener('save', saveHandler);
    await flushPromises();

    button(element, 'save').click();
    await flushPromises();

    expect(saveHandler).not.toHaveBeenCalled();
    expect(root(element).querySelector('[role="alert"]')?.textContent).toBe('Choose an outcome.');
  });

  it('reports the outcome and the trimmed note on save', async () => {
    const saveHandler = jest.fn();
    const element = createDialog();
    element.addEventListener('save', saveHandler);
    await flushPromises();

    chooseOutcome(element, 'NOT_NEEDED');
    typeNote(element, '  Customer wrote in by email instead.  ');
    await flushPromises();
    button(element, 'save').click();

    expect(saveHandler).toHaveBeenCalledTimes(1);
    expect(saveHandler.mock.calls[0][0].detail).toEqual({
      disposition: 'NOT_NEEDED',
      note: 'Customer wrote in by email instead.',
      callbackAt: null
    });
  });

  it('ignores outcome values it does not know', async () => {
    const saveHandler = jest.fn();
    const element = createDialog();
    element.addEventListener('save', saveHandler);
    await flushPromises();

    chooseOutcome(element, 'CLOSED_WON');
    button(element, 'save').click();
    expect(saveHandler).not.toHaveBeenCalled();
  });

  it('cancels on Escape, the close button and the cancel button', async () => {
    const cancelHandler = jest.fn();
    const element = createDialog();
    element.addEventListener('cancel', cancelHandler);
    await flushPromises();

    root(element)
      .querySelector('section')
      ?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    button(element, 'close').click();
    button(element, 'cancel').click();
    expect(cancelHandler).toHaveBeenCalledTimes(3);
  });

  it('cannot be cancelled or saved twice while the parent is saving', async () => {
    const cancelHandler = jest.fn();
    const element = createDialog({ busy: true });
    element.addEventListener('cancel', cancelHandler);
    await flushPromises();

    expect(button(element, 'save').disabled).toBe(true);
    expect(button(element, 'cancel').disabled).toBe(true);
    root(element)
      .querySelector('section')
      ?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(cancelHandler).not.toHaveBeenCalled();
  });

  it('keeps Tab focus inside the dialog', async () => {
    const element = createDialog();
    await flushPromises();

    (root(element).querySelector('[data-id="sentinel-end"]') as HTMLElement).focus();
    expect(root(element).activeElement).toBe(button(element, 'close'));

    (root(element).querySelector('[data-id="sentinel-start"]') as HTMLElement).focus();
    expect(root(element).activeElement).toBe(button(element, 'save'));
  });

  it('rests focus on the heading while buttons are disabled', async () => {
    const element = createDialog({ busy: true });
    await flushPromises();
    button(element, 'cancel').blur();

    (root(element).querySelector('[data-id="sentinel-start"]') as HTMLElement).focus();
    expect(root(element).activeElement).toBe(root(element).querySelector('h2'));
  });

  it('shows why the last save failed and how many drops it covers', async () => {
    const element = createDialog({ errorText: "Couldn't save the outcome: locked.", caseCount: 3 });
    await flushPromises();

    expect(root(element).querySelector('[role="alert"]')?.textContent).toBe(
      "Couldn't save the outcome: locked."
    );
    expect(root(element).querySelector('#outcome-dialog-scope, p')?.textContent).toBe(
      'The outcome is logged on all 3 open drops of this caller.'
    );
  });

  it('shows no error, details, options or validation it was not given', async () => {
    const element = createElement('c-callback-outcome-dialog', { is: CallbackOutcomeDialog });
    document.body.appendChild(element);
    await flushPromises();
    expect(root(element).querySelector('h2')?.textContent).toBe('Log callback outcome: ');
    expect(root(element).querySelector('[role="alert"]')).toBeNull();
    expect(root(element).querySelector('[data-id="details"]')).toBeNull();
    expect(Reflect.get(root(element).querySelector('lightning-radio-group') ?? {}, 'options')).toEqual([]);
    expect(root(element).querySelector('#outcome-dialog-scope, p')?.textContent).toBe(
      'The outcome is logged on the callback case.'
    );
  });

  it('copes with a parent passing no dispositions or details at all', async () => {
    const element = createDialog({ dispositions: null, details: null });
    await flushPromises();
    expect(Reflect.get(root(element).querySelector('lightning-radio-group') ?? {}, 'options')).toEqual([]);
    expect(root(element).querySelector('[data-id="details"]')).toBeNull();
    chooseOutcome(element, 'REACHED');
    button(element, 'save').click();
    await flushPromises();
    expect(root(element).querySelector('[role="alert"]')?.textContent).toBe('Choose an outcome.');
  });

  it('asks for the time only once Save is pressed without one, and again when it is cleared', async () => {
    const saveHandler = jest.fn();
    const element = createDialog();
    element.addEventListener('save', saveHandler);
    await flushPromises();
    chooseOutcome(element, 'CALL_BACK_LATER');
    await flushPromises();
    expect(root(element).querySelector('[role="alert"]')).toBeNull();

    const time = (value: string | undefined): void => {
      root(element)
        .querySelector('[data-id="callback-at"]')
        ?.dispatchEvent(new CustomEvent('change', { detail: { value } }));
    };
    time('2026-11-25T16:30:00Z');
    button(element, 'save').click();
    await flushPromises();
    expect(root(element).querySelector('[role="alert"]')).toBeNull();
    expect(saveHandler).toHaveBeenCalledTimes(1);

    time(undefined);
    button(element, 'save').click();
    await flushPromises();
    expect(saveHandler).toHaveBeenCalledTimes(1);
    expect(root(element).querySelector('[role="alert"]')?.textContent).toBe('Enter when to call back.');
  });

  it('sends no note once the note is cleared', async () => {
    const saveHandler = jest.fn();
    const element = createDialog();
    element.addEventListener('save', saveHandler);
    await flushPromises();
    chooseOutcome(element, 'REACHED');
    typeNote(element, 'first thought');
    root(element)
      .querySelector('lightning-textarea')
      ?.dispatchEvent(new CustomEvent('change', { detail: { value: undefined } }));
    button(element, 'save').click();
    expect(saveHandler.mock.calls[0][0].detail).toEqual({
      disposition: 'REACHED',
      note: null,
      callbackAt: null
    });
  });

  it('takes focus once, on open, and leaves it where the agent puts it afterwards', async () => {
    const element = createDialog();
    await flushPromises();
    button(element, 'save').focus();
    chooseOutcome(element, 'REACHED');
    typeNote(element, 'a note');
    await flushPromises();
    expect(root(element).activeElement).toBe(button(element, 'save'));
  });

  it('cancels on Escape only, not on other keys', async () => {
    const cancelHandler = jest.fn();
    const element = createDialog();
    element.addEventListener('cancel', cancelHandler);
    await flushPromises();
    for (const key of ['Enter', 'Tab', ' ']) {
      root(element)
        .querySelector('section')
        ?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    }
    expect(cancelHandler).not.toHaveBeenCalled();
  });

  it('rests focus on the heading at either end while buttons are disabled', async () => {
    const element = createDialog({ busy: true });
    await flushPromises();
    button(element, 'cancel').blur();
    (root(element).querySelector('[data-id="sentinel-end"]') as HTMLElement).focus();
    expect(root(element).activeElement).toBe(root(element).querySelector('h2'));
  });

  it('is accessible', async () => {
    const element = createDialog();
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});
