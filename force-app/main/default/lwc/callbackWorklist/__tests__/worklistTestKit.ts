// Helpers shared by the worklist's behaviour and accessibility tests (not a test file itself).
import { createElement } from 'lwc';
import CallbackWorklist from 'c/callbackWorklist';

export const NOW = Date.parse('2026-11-25T14:00:00.000Z');
export const JANE = '003Hs00000JaNeDAAA';
export const UNKNOWN_0142 = 'p:9b2d6c1f0e7a4b3c8d5e6f708192a3b4';
export const OMAR = '003Hs00000BeNcAAAA';
export const PRIYA = '003Hs00000PrIyAAAA';
export const SAM = '003Hs00000SaMlEAAA';
/** The callers of data/getWorklist.json as the list shows them, in the server's order. */
export const FIRST_PAGE_NAMES = ['Jane Doe', '+*******0142', 'Omar Haddad', 'Priya Shah', 'Sam Lee'];
/** What sfdx-lwc-jest gives @salesforce/user/Id. */
export const MY_USER_ID = '005000000000000000';
export const SUBSCRIPTION = { id: 'sub-1', channel: '/event/Disconnected_Call__e', replayId: -1 };

export function flushPromises(): Promise<void> {
  // Several chained promises (isEmpEnabled → subscribe → render) need more than one microtask turn;
  // no setTimeout here so the helper also works under fake timers.
  return Array.from({ length: 12 }).reduce<Promise<void>>(
    (chain) => chain.then(() => undefined),
    Promise.resolve()
  );
}

/** A public property of a base-component stub (the tests are not type-checked against the stubs). */
export function prop(element: Element | null | undefined, name: string): unknown {
  return element ? Reflect.get(element, name) : undefined;
}

export function createWorklist(props: Record<string, unknown> = {}): HTMLElement {
  const element = createElement('c-callback-worklist', { is: CallbackWorklist });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

export function root(element: HTMLElement): ShadowRoot {
  return element.shadowRoot as ShadowRoot;
}

export function bodyRows(element: HTMLElement): HTMLElement[] {
  return Array.from(root(element).querySelectorAll<HTMLElement>('tbody tr, li[data-key]'));
}

export function cellText(row: Element | ShadowRoot, id: string): string {
  return (row.querySelector(`[data-id="${id}"]`)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function names(element: HTMLElement): string[] {
  return bodyRows(element).map((row) => cellText(row, 'customer').replace(/\s?\d+ drops$/, ''));
}

export function rowByKey(element: HTMLElement, key: string): HTMLElement {
  const row = root(element).querySelector<HTMLElement>(`tr[data-key="${key}"], li[data-key="${key}"]`);
  if (!row) {
    throw new Error(`No row for ${key}`);
  }
  return row;
}

export function button(scope: Element | ShadowRoot, id: string, key?: string): HTMLButtonElement | null {
  return scope.querySelector<HTMLButtonElement>(`button[data-id="${id}"]${key ? `[data-key="${key}"]` : ''}`);
}

export function rowFor(element: HTMLElement, name: string): HTMLElement {
  const row = bodyRows(element).find((candidate) => cellText(candidate, 'customer').startsWith(name));
  if (!row) {
    throw new Error(`No row for ${name}`);
  }
  return row;
}

export function dialogRoot(element: HTMLElement): ShadowRoot | null {
  const dialog = root(element).querySelector('c-callback-outcome-dialog');
  return dialog ? (dialog.shadowRoot as ShadowRoot) : null;
}

/** jsdom has no ResizeObserver: this one lets a test set the component's width. */
export class FakeResizeObserver {
  static instances: FakeResizeObserver[] = [];
  targets: Element[] = [];

  constructor(private readonly callback: (entries: Array<{ contentRect: { width: number } }>) => void) {
    FakeResizeObserver.instances.push(this);
  }

  observe(target: Element): void {
    this.targets.push(target);
  }

  unobserve(): void {}

  disconnect(): void {
    this.targets = [];
  }

  resize(width: number): void {
    this.callback([{ contentRect: { width } }]);
  }
}

/** Gives every worklist on the page this width, as the browser would after layout. */
export async function setWidth(width: number): Promise<void> {
  for (const observer of FakeResizeObserver.instances) {
    if (observer.targets.length) {
      observer.resize(width);
    }
  }
  await flushPromises();
}

/** A promise the test settles when it wants to. */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}
