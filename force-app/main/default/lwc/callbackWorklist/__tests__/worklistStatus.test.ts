// What the worklist says about its own state apart from the rows: the live-status line and its colour, the one
// notice at a time with Retry or OK, the blocking error, and the "N new" button with what a screen reader hears.
import { classifyError, type WorklistProblem } from '../worklistErrors';
import { statusView, type StatusState } from '../worklistStatus';

const NOW = Date.parse('2026-11-25T14:00:00.000Z');
// Classified inside each test, not when the file loads: a mutation run counts code that runs at load as static
// and leaves it out of the score.
const outage = (): WorklistProblem =>
  classifyError({ status: 503, body: { message: 'Service Unavailable' } });
const noAccess = (): WorklistProblem => classifyError({ status: 403, body: { message: 'Forbidden' } });

function state(overrides: Partial<StatusState> = {}): StatusState {
  return {
    problem: null,
    actionProblem: '',
    loaded: true,
    loadedAtMs: NOW,
    liveState: 'live',
    liveDetail: '',
    lastEventAtMs: null,
    nowMs: NOW,
    unseen: new Set(),
    ...overrides
  };
}

describe('statusView', () => {
  it.each([
    ['live', 'ok'],
    ['interrupted', 'warn'],
    ['connecting', 'idle'],
    ['unavailable', 'idle'],
    ['off', 'idle']
  ] as const)('colours the live status %s as %s', (liveState, colour) => {
    expect(statusView(state({ liveState })).liveClass).toBe(
      `live-status live-status_${colour} slds-text-body_small`
    );
  });

  it('shows nothing but the rows when all is well', () => {
    expect(statusView(state())).toEqual({
      liveText: 'Live · no new drops since you opened it',
      liveClass: 'live-status live-status_ok slds-text-body_small',
      blockingError: '',
      notice: '',
      showRetry: false,
      showDismiss: false,
      newCount: 0,
      newText: '0 new',
      newLabel: '0 new callers: show'
    });
  });

  it('names one new caller in the singular and several in the plural', () => {
    const one = statusView(state({ unseen: new Set(['a']) }));
    expect([one.newCount, one.newText, one.newLabel]).toEqual([1, '1 new', '1 new caller: show']);
    const two = statusView(state({ unseen: new Set(['a', 'b']) }));
    expect([two.newCount, two.newText, two.newLabel]).toEqual([2, '2 new', '2 new callers: show']);
  });

  it('blocks the list with the problem and Retry when the first load failed', () => {
    const status = statusView(state({ problem: outage(), loaded: false, loadedAtMs: null }));
    expect(status.blockingError).toBe(
      "Couldn't load callbacks: Salesforce didn't answer (Service Unavailable). This is usually brief."
    );
    expect(status.notice).toBe('');
    expect(status.showRetry).toBe(true);
    expect(status.showDismiss).toBe(false);
  });

  it('keeps the list and says since when it is shown when a refresh failed', () => {
    const status = statusView(state({ problem: outage() }));
    expect(status.blockingError).toBe('');
    expect(status.notice).toMatch(
      /^Couldn't refresh callbacks: Salesforce didn't answer \(Service Unavailable\)\. This is usually brief\. Showing the list as of \d{1,2}:\d{2}.*\.$/
    );
    expect(status.showRetry).toBe(true);
  });

  it('leaves out the time when it does not know when the list was loaded', () => {
    expect(statusView(state({ problem: outage(), loadedAtMs: null })).notice).toBe(
      "Couldn't refresh callbacks: Salesforce didn't answer (Service Unavailable). This is usually brief."
    );
  });

  it('offers no Retry for a missing permission', () => {
    expect(statusView(state({ problem: noAccess() })).showRetry).toBe(false);
    expect(statusView(state({ problem: noAccess(), loaded: false })).showRetry).toBe(false);
  });

  it("shows an action's problem first, with OK and no Retry", () => {
    const status = statusView(
      state({ problem: outage(), actionProblem: "Couldn't release Jane Doe: Busy." })
    );
    expect(status.notice).toBe("Couldn't release Jane Doe: Busy.");
    expect(status.showRetry).toBe(false);
    expect(status.showDismiss).toBe(true);
  });
});
