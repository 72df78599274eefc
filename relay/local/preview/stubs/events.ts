/**
 * Minimal event types for the preview stand-ins. They run in the browser, but the relay's TypeScript config has
 * no DOM library, so the few DOM shapes they touch are declared here.
 */
export interface ControlEvent {
  target: { value: string; checked: boolean };
  stopPropagation(): void;
  preventDefault(): void;
}

export interface DetailEvent<T> {
  detail: T;
  stopPropagation(): void;
}

type CustomEventCtor = new <T>(
  type: string,
  init?: { detail?: T; bubbles?: boolean; composed?: boolean }
) => Event;

/** The browser's CustomEvent (also a global in Node ≥ 19), typed without the DOM library. */
export const makeEvent = <T>(type: string, detail: T, bubbles = false): Event => {
  const Ctor = (globalThis as unknown as { CustomEvent: CustomEventCtor }).CustomEvent;
  return new Ctor(type, { detail, bubbles });
};
