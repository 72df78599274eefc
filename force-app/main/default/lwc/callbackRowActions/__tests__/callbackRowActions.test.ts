// The row actions on their own: which controls a caller's row gets in each worklist layout, in which order (the
// Tab order), and the events the worklist hears. The worklist tests cover them in place (callbackWorklist.*.test.ts).
import { createElement } from 'lwc';
import CallbackRowActions from 'c/callbackRowActions';

const KEY = '003Hs00000JaNeDAAA';

function row(overrides: Partial<CallerViewRow> = {}): Partial<CallerViewRow> {
  return {
    key: KEY,
    phone: '+15555550142',
    dialLabel: 'Dial Jane Doe',
    dialRecordId: '500Hs00001JaNe1AAA',
    canCall: true,
    callLabel: 'Call Jane Doe',
    busy: false,
    canLog: true,
    logFocus: null,
    logLabel: 'Log outcome for Jane Doe',
    canRelease: true,
    releaseLabel: 'Release Jane Doe',
    actionsLabel: 'More actions for Jane Doe',
    actions: [{ value: 'open:500Hs00001JaNe1AAA', label: 'Open case 00001042' }],
    ...overrides
  };
}

function mount(layout: string, overrides: Partial<CallerViewRow> = {}): HTMLElement {
  const element = createElement('c-callback-row-actions', { is: CallbackRowActions });
  Object.assign(element, { layout, row: row(overrides) });
  document.body.appendChild(element);
  return element;
}

/** The controls in document order: a button's data-id, else the tag name. */
function controls(element: HTMLElement): string[] {
  return Array.from(element.querySelectorAll('button, .dial, lightning-button-menu')).map(
    (node) => (node as HTMLElement).dataset.id ?? (node.classList.contains('dial') ? 'dial' : node.localName)
  );
}

function buttonText(element: HTMLElement, id: string): string {
  return element.querySelector(`button[data-id="${id}"]`)?.textContent?.trim() ?? '';
}

describe('c-callback-row-actions', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('renders into the worklist tree (light DOM), so the worklist can focus its buttons', () => {
    const element = mount('list');
    expect(element.shadowRoot).toBeNull();
    expect(element.querySelector(`button[data-focus="${KEY}"]`)).not.toBeNull();
  });

  it('has Call, the dial control, Log and the menu in the compact list, in that order', () => {
    const element = mount('list');
    expect(controls(element)).toEqual(['call', 'dial', 'log', 'release', 'lightning-button-menu']);
    expect(buttonText(element, 'log')).toBe('Log');
    expect(element.querySelector('lightning-click-to-dial')?.getAttribute('data-dial')).toBe(KEY);
  });

  it('leaves the dial control to the Number column in the table, where Log says "Log outcome"', () => {
    const element = mount('table');
    expect(controls(element)).toEqual(['call', 'log', 'release', 'lightning-button-menu']);
    expect(buttonText(element, 'log')).toBe('Log outcome');
  });

  it('is the table layout unless told otherwise', () => {
    const element = createElement('c-callback-row-actions', { is: CallbackRowActions });
    Object.assign(element, { row: row() });
    document.body.appendChild(element);
    expect(controls(element)).toEqual(['call', 'log', 'release', 'lightning-button-menu']);
    expect(buttonText(element, 'log')).toBe('Log outcome');
  });

  it('offers only what the row allows, names each control for screen readers, and disables Call and Release in flight', () => {
    const element = mount('list', { canCall: false, canRelease: false, phone: null, logFocus: KEY });
    expect(controls(element)).toEqual(['log', 'lightning-button-menu']);
    const log = element.querySelector<HTMLButtonElement>('button[data-id="log"]');
    expect(log?.getAttribute('aria-label')).toBe('Log outcome for Jane Doe');
    expect(log?.dataset.focus).toBe(KEY);

    const idle = mount('table', { canRelease: true });
    expect(idle.querySelector<HTMLButtonElement>('button[data-id="call"]')?.disabled).toBe(false);
    expect(idle.querySelector<HTMLButtonElement>('button[data-id="release"]')?.disabled).toBe(false);
    const busy = mount('table', { busy: true, canRelease: true });
    expect(busy.querySelector<HTMLButtonElement>('button[data-id="call"]')?.disabled).toBe(true);
    expect(busy.querySelector<HTMLButtonElement>('button[data-id="release"]')?.disabled).toBe(true);
    const menu = busy.querySelector('lightning-button-menu');
    expect(menu ? Reflect.get(menu, 'alternativeText') : undefined).toBe('More actions for Jane Doe');
  });

  it('tells the worklist what was chosen: call, dial, log, release, and the menu item', () => {
    const element = mount('list');
    const heard: string[] = [];
    for (const name of ['call', 'dial', 'log', 'release']) {
      element.addEventListener(name, () => heard.push(name));
    }
    let chosen: unknown;
    element.addEventListener('rowaction', (event) => {
      chosen = (event as CustomEvent).detail;
    });
    for (const id of ['call', 'log', 'release']) {
      element.querySelector<HTMLButtonElement>(`button[data-id="${id}"]`)?.click();
    }
    element.querySelector<HTMLElement>('.dial')?.click();
    element
      .querySelector('lightning-button-menu')
      ?.dispatchEvent(new CustomEvent('select', { detail: { value: 'open:500Hs00001JaNe1AAA' } }));
    expect(heard).toEqual(['call', 'log', 'release', 'dial']);
    expect(chosen).toEqual({ value: 'open:500Hs00001JaNe1AAA' });
  });
});
