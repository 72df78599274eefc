// The supervisor figures `npm start` shows (status line and the preview's supervisor panel).
import {
  breachedDueBy,
  caseView,
  type CallbackCaseView,
  supervisorLine,
  supervisorSummary,
  waitingText
} from '../../local/org/supervisor';

const NOW = new Date('2026-03-02T10:00:00Z');

function callback(overrides: Partial<CallbackCaseView>): CallbackCaseView {
  return {
    category: 'ABANDONED_IN_QUEUE',
    callerKey: 'p:one',
    droppedAt: '2026-03-02T09:50:00Z',
    open: true,
    outcome: null,
    dueBy: '2026-03-02T10:20:00Z',
    firstAttemptAt: null,
    closedAt: null,
    ...overrides
  };
}

describe('supervisorSummary', () => {
  const cases: CallbackCaseView[] = [
    // Open, waiting 45 min, overdue since 09:45 with no attempt.
    callback({ callerKey: 'p:a', droppedAt: '2026-03-02T09:15:00Z', dueBy: '2026-03-02T09:45:00Z' }),
    // Open, attempted in time.
    callback({ callerKey: 'p:a', firstAttemptAt: '2026-03-02T09:55:00Z' }),
    // Reached, first attempt after the due-by time.
    callback({
      callerKey: 'p:b',
      category: 'DROPPED_IN_IVR',
      open: false,
      outcome: 'REACHED',
      dueBy: '2026-03-02T09:00:00Z',
      firstAttemptAt: '2026-03-02T09:10:00Z',
      closedAt: '2026-03-02T09:10:00Z'
    }),
    callback({
      callerKey: 'p:c',
      open: false,
      outcome: 'UNREACHABLE',
      firstAttemptAt: '2026-03-02T09:51:00Z'
    }),
    callback({ callerKey: 'p:d', open: false, outcome: 'REACHED', firstAttemptAt: '2026-03-02T09:52:00Z' }),
    // The customer got through before anyone called: not an attempt, not a breach (closed before due).
    callback({
      callerKey: 'p:e',
      open: false,
      outcome: 'CUSTOMER_GOT_THROUGH',
      closedAt: '2026-03-02T09:58:00Z'
    })
  ];

  it('counts drops and open callbacks by category, reach rate, the oldest waiting and breaches', () => {
    expect(supervisorSummary(cases, NOW)).toEqual({
      asOf: '2026-03-02T10:00:00.000Z',
      drops: 6,
      open: 2,
      byCategory: { ABANDONED_IN_QUEUE: { drops: 5, open: 2 }, DROPPED_IN_IVR: { drops: 1, open: 0 } },
      reached: 2,
      notReached: 1,
      reachRate: 2 / 3,
      autoClosed: 1,
      oldestWaiting: {
        droppedAt: '2026-03-02T09:15:00Z',
        waitingSeconds: 45 * 60,
        category: 'ABANDONED_IN_QUEUE'
      },
      overdueNow: 1,
      dueByBreaches: 2,
      repeatCallers: 1
    });
  });

  it('has no reach rate and no oldest caller when nothing is there', () => {
    const empty = supervisorSummary([], NOW);
    expect(empty).toMatchObject({ drops: 0, open: 0, reachRate: null, oldestWaiting: null, byCategory: {} });
    expect(supervisorLine(empty)).toBe('open callbacks 0 · reach – · oldest waiting – · overdue 0');
  });

  it('words the status line', () => {
    expect(supervisorLine(supervisorSummary(cases, NOW))).toBe(
      'open callbacks 2 · reach 67% · oldest waiting 45 min · overdue 1'
    );
  });
});

describe('breachedDueBy', () => {
  const due = '2026-03-02T09:30:00Z';
  it.each([
    ['no due-by time', { dueBy: null }, false],
    ['first attempt before due', { dueBy: due, firstAttemptAt: '2026-03-02T09:29:00Z' }, false],
    ['first attempt after due', { dueBy: due, firstAttemptAt: '2026-03-02T09:31:00Z' }, true],
    ['open, past due, never called', { dueBy: due }, true],
    ['open, not yet due', { dueBy: '2026-03-02T11:00:00Z' }, false],
    ['closed unattempted after due', { dueBy: due, open: false, closedAt: '2026-03-02T09:40:00Z' }, true],
    ['closed unattempted before due', { dueBy: due, open: false, closedAt: '2026-03-02T09:20:00Z' }, false]
  ])('%s', (_name, overrides, expected) => {
    expect(breachedDueBy(callback(overrides as Partial<CallbackCaseView>), NOW.getTime())).toBe(expected);
  });
});

describe('waitingText', () => {
  it.each([
    [35, '35 s'],
    [240, '4 min'],
    [3900, '1 h 05 min']
  ])('%i s → %s', (seconds, text) => {
    expect(waitingText(seconds)).toBe(text);
  });
});

describe('caseView', () => {
  const record = { category: 'DROPPED_IN_IVR', disconnectedAt: null, initiatedAt: '2026-03-02T09:00:00Z' };
  it('reads the lifecycle fields of an emulated Case, and falls back when they are absent', () => {
    expect(
      caseView({
        isClosed: true,
        callerKey: 'p:x',
        createdAt: '2026-03-02T09:01:00Z',
        dueBy: '2026-03-02T09:30:00Z',
        firstAttemptAt: '2026-03-02T09:10:00Z',
        closedAt: '2026-03-02T09:12:00Z',
        callbackOutcome: 'REACHED',
        record
      })
    ).toEqual({
      category: 'DROPPED_IN_IVR',
      callerKey: 'p:x',
      droppedAt: '2026-03-02T09:00:00Z',
      open: false,
      outcome: 'REACHED',
      dueBy: '2026-03-02T09:30:00Z',
      firstAttemptAt: '2026-03-02T09:10:00Z',
      closedAt: '2026-03-02T09:12:00Z'
    });
    expect(
      caseView({
        isClosed: false,
        callerKey: 'c:y',
        createdAt: '2026-03-02T09:01:00Z',
        record: { category: null, disconnectedAt: null, initiatedAt: null }
      })
    ).toMatchObject({
      category: 'UNKNOWN',
      droppedAt: '2026-03-02T09:01:00Z',
      open: true,
      dueBy: null,
      outcome: null
    });
  });
});
