// The worklist's streaming subscriptions (lightning/empApi), with an honest status: connecting, live,
// interrupted (and when it retries), unavailable, off. After an interruption it re-subscribes on its own with
// a growing delay, and tells the component so it can catch up on what it missed.
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import { errorClause } from './worklistModel';

export type LiveState = 'off' | 'connecting' | 'live' | 'interrupted' | 'unavailable';

/** Delays before re-subscribing after an interruption; after these, every retry waits a minute. */
export const RECONNECT_DELAYS_MS = [5000, 15000, 30000];
const LAST_RECONNECT_DELAY_MS = 60000;

export interface LiveStreamHooks {
  onMessage(channel: string, message: EmpMessage<Record<string, unknown>>): void;
  onState(state: LiveState, detail: string): void;
  /** Subscribed again after an interruption: events may have been missed. */
  onResumed(): void;
}

let errorHandlerRegistered = false;
const errorListeners: Set<(error: unknown) => void> = new Set();

function registerErrorHandler(listener: (error: unknown) => void): void {
  errorListeners.add(listener);
  if (!errorHandlerRegistered) {
    errorHandlerRegistered = true;
    // empApi has one global error callback; every open worklist hears it.
    onError((error: unknown) => {
      for (const each of errorListeners) {
        each(error);
      }
    });
  }
}

export class LiveStream {
  private subscriptions: EmpSubscription[] = [];
  /** Bumped on every start/stop so a subscribe that resolves late can tell it is no longer wanted. */
  private generation = 0;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly errorListener = (error: unknown): void => this.interrupted(error);

  constructor(
    private readonly channels: string[],
    private readonly hooks: LiveStreamHooks
  ) {}

  start(): void {
    registerErrorHandler(this.errorListener);
    this.connect(false);
  }

  /** Stopped, it hears no errors, retries nothing, and ignores whatever its subscribes still answer. */
  stop(): void {
    errorListeners.delete(this.errorListener);
    this.clearRetry();
    this.release();
    // Stryker disable next-line StringLiteral: 'off' is liveText's default, and its detail is not shown.
    this.hooks.onState('off', '');
  }

  private connect(resumed: boolean): void {
    const generation = ++this.generation;
    // Stryker disable next-line StringLiteral: the connecting text has no detail.
    this.hooks.onState('connecting', '');
    isEmpEnabled()
      .then((enabled) => {
        if (generation !== this.generation) {
          return undefined;
        }
        if (enabled === false) {
          this.hooks.onState('unavailable', 'Live updates are not available on this page.');
          return undefined;
        }
        return Promise.all(
          this.channels.map((channel) =>
            subscribe(channel, -1, (message: EmpMessage<Record<string, unknown>>) => {
              if (generation === this.generation) {
                this.hooks.onMessage(channel, message);
              }
            })
          )
        ).then((subscriptions) => {
          if (generation !== this.generation) {
            // Turned off or removed while subscribing: release straight away.
            subscriptions.forEach((subscription) => unsubscribe(subscription).catch(() => undefined));
            return;
          }
          this.subscriptions = subscriptions;
          this.retries = 0;
          // Stryker disable next-line StringLiteral: the live text has no detail.
          this.hooks.onState('live', '');
          if (resumed) {
            this.hooks.onResumed();
          }
        });
      })
      .catch((error: unknown) => {
        if (generation === this.generation) {
          this.interrupted(error);
        }
      });
  }

  private interrupted(error: unknown): void {
    if (this.retryTimer !== undefined) {
      return;
    }
    // release() also tells a subscribe still on its way that it is no longer wanted.
    this.release();
    const delay = RECONNECT_DELAYS_MS[this.retries] ?? LAST_RECONNECT_DELAY_MS;
    this.retries++;
    this.hooks.onState(
      'interrupted',
      `${errorClause(error)}. Trying again in ${Math.round(delay / 1000)} s; new drops may be missing until then.`
    );
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect(true);
    }, delay);
  }

  private clearRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private release(): void {
    this.generation++;
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    for (const subscription of subscriptions) {
      unsubscribe(subscription).catch(() => {
        // Nothing useful to do: the session is going away or the server already dropped it.
      });
    }
  }
}
