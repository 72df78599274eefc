// What each row, count line, empty text, supervisor tile and dialog detail says, for the states the component
// tests reach only in part: the agent's own claim (and the same row seen by a supervisor), a caller known only
// from an event, a caller without drops or number, and the boundaries of the due-by and window texts.
import {
  claimsText,
  countText,
  dueText,
  emptyText,
  normaliseWindow,
  outcomeDetails,
  statusText,
  supervisorTiles,
  toCallerRow,
  type RowContext
} from '../worklistView';

const page = require('./data/getWorklist.json');

const NOW = Date.parse('2026-11-25T14:00:00.000Z');
const MINUTE = 60000;
const [jane, unknown0142, omar] = page.callers as LifecycleCaller[];
const TOTALS: WorklistTotals = page.totals;

function context(overrides: Partial<RowContext> = {}): RowContext {
  return {
    nowMs: NOW,
    highlighted: new Set(),
    busy: new Set(),
    onCall: new Set(),
    supervisor: false,
    ...overrides
  };
}

const mine: LifecycleCaller = {
  ...(unknown0142 as LifecycleCaller),
  state: 'CLAIMED',
  claimedByMe: true,
  claimedById: '005000000000000000',
  claimedUntil: new Date(NOW + 10 * MINUTE).toISOString()
};

describe('toCallerRow', () => {
  it("gives the agent's own claim the number to dial, Release and Log, and no Call", () => {
    const row = toCallerRow(
      mine,
      context({ onCall: new Set([mine.callerKey]), busy: new Set([mine.callerKey]) })
    );
    expect(row).toMatchObject({
      phone: '+15555550142',
      dialLabel: 'Dial +*******0142',
      dialRecordId: '500Hs00001AbCdEAA2',
      isMine: true,
      canCall: false,
      canRelease: true,
      canLog: true,
      logFocus: mine.callerKey,
      onCall: true,
      busy: true,
      statusClass: 'status status_mine',
      releaseLabel: 'Release +*******0142 for others'
    });
    expect(row.statusText).toMatch(/^You're calling until \d{1,2}:\d{2}/);
  });

  it('shows a supervisor the same claim without the number or any agent action', () => {
    const row = toCallerRow(mine, context({ supervisor: true }));
    expect(row).toMatchObject({
      phone: null,
      isMine: false,
      canCall: false,
      canRelease: false,
      canLog: false,
      logFocus: mine.callerKey
    });
  });

  it('offers a supervisor no Call on a caller anyone could call, and an agent no number before the claim', () => {
    expect(toCallerRow(jane as LifecycleCaller, context({ supervisor: true }))).toMatchObject({
      canCall: false,
      canLog: false,
      logFocus: jane?.callerKey
    });
    expect(toCallerRow(jane as LifecycleCaller, context())).toMatchObject({
      canCall: true,
      canLog: true,
      logFocus: null,
      phone: null,
      callLabel: 'Call Jane Doe',
      logLabel: 'Log outcome for Jane Doe',
      actionsLabel: 'More actions for Jane Doe',
      contactUrl: '/lightning/r/Contact/003Hs00000JaNeDAAA/view'
    });
  });

  it('shows a claim by another agent as theirs: no Call, no Log', () => {
    expect(toCallerRow(omar as LifecycleCaller, context())).toMatchObject({
      canCall: false,
      canLog: false,
      statusClass: 'status status_other'
    });
  });

  it('lets the agent log a caller known only from an event by its caller key, not by a made-up one', () => {
    const fromEvent: LifecycleCaller = {
      callerKey: 'p:abc',
      provisional: true,
      callable: true,
      customerName: null,
      maskedPhone: null,
      drops: [{ caseId: '500Hs00001AbCdEC09', droppedAt: new Date(NOW - MINUTE).toISOString() }]
    } as LifecycleCaller;
    expect(toCallerRow(fromEvent, context())).toMatchObject({
      name: 'Unknown caller',
      maskedPhone: 'No number',
      statusText: 'Just dropped',
      canCall: false,
      canLog: true,
      contactId: null,
      contactUrl: null,
      whenLabel: '1 min ago'
    });
    expect(toCallerRow({ ...fromEvent, callerKey: 'case:500Hs00001AbCdEC09' }, context()).canLog).toBe(false);
  });

  it('reads a caller without drops as one drop of unknown time', () => {
    const row = toCallerRow({ callerKey: 'x', customerName: 'Zed' } as LifecycleCaller, context());
    expect(row).toMatchObject({
      dropCount: 1,
      isRepeat: false,
      dialRecordId: '',
      droppedIso: '',
      whenLabel: 'unknown time',
      attempts: 0,
      attemptsText: '0',
      actions: []
    });
  });

  it('marks new arrivals and overdue callers in both layouts', () => {
    const highlighted = new Set(['500Hs00001AbCdEAA1']);
    const row = toCallerRow(jane as LifecycleCaller, context({ highlighted }));
    expect(row.rowClass).toBe('row row_new row_overdue');
    expect(row.itemClass).toBe('slds-item caller caller_new caller_overdue');
    expect(row.dueClass).toBe('due due_overdue');
    const plain = toCallerRow(unknown0142 as LifecycleCaller, context({ highlighted }));
    expect(plain.rowClass).toBe('row');
    expect(plain.itemClass).toBe('slds-item caller');
  });

  it('describes a repeat caller: first drop, drop count, attempts with the last one, and not overdue yet', () => {
    const row = toCallerRow(
      jane as LifecycleCaller,
      context({ nowMs: Date.parse('2026-11-25T13:45:00.000Z') })
    );
    expect(row).toMatchObject({
      droppedIso: '2026-11-25T13:05:00.000Z',
      whenLabel: 'first drop 40 min ago',
      attemptsText: '1 (last 15 min ago)',
      isRepeat: true,
      dropCount: 2,
      dropCountLabel: '2 drops',
      dueText: 'Due in 5 min',
      dueClass: 'due',
      statusClass: 'status',
      canCall: true
    });
  });

  it('holds back Call while a caller waits for the next try, and offers it from that very moment', () => {
    const next = Date.parse(jane?.nextAttemptAt as string);
    expect(toCallerRow(jane as LifecycleCaller, context({ nowMs: next - 1000 }))).toMatchObject({
      statusClass: 'status status_waiting',
      canCall: false,
      logFocus: jane?.callerKey
    });
    expect(toCallerRow(jane as LifecycleCaller, context({ nowMs: next }))).toMatchObject({
      statusClass: 'status',
      canCall: true,
      logFocus: null
    });
  });

  it('offers no Call and no number for a caller who cannot be called, even one the agent holds', () => {
    const row = toCallerRow({ ...mine, callable: false, notCallableReason: 'DO_NOT_CALL' }, context());
    expect(row).toMatchObject({ canCall: false, phone: null, isMine: true });
    expect(toCallerRow({ ...(jane as LifecycleCaller), callable: false }, context())).toMatchObject({
      canCall: false,
      logFocus: jane?.callerKey,
      statusText: 'Cannot be called'
    });
  });

  it('names each case in the menu, and a case without a number plainly', () => {
    const row = toCallerRow(
      { ...(jane as LifecycleCaller), drops: [{ caseId: 'c1', caseNumber: '00001003' }, { caseId: 'c2' }] },
      context()
    );
    expect(row.actions).toEqual([
      { value: 'open:c1', label: 'Open case 00001003' },
      { value: 'open:c2', label: 'Open case' }
    ]);
  });
});

describe('statusText', () => {
  it('says who is calling, else why nobody can, else when the next try is', () => {
    expect(statusText({ callerKey: 'a', claimedById: 'x', claimedByName: '' }, NOW)).toBe(
      'Another agent is calling'
    );
    expect(statusText({ callerKey: 'a', claimedById: 'x', claimedByName: 'Ben' }, NOW)).toBe(
      'Ben is calling'
    );
    expect(statusText({ callerKey: 'a', callable: false, notCallableReason: 'NO_NUMBER' }, NOW)).toBe(
      'No number to call'
    );
    expect(statusText({ callerKey: 'a', callable: false }, NOW)).toBe('Cannot be called');
    expect(statusText({ callerKey: 'a', callable: false, notCallableReason: 'ODD' }, NOW)).toBe(
      'Cannot be called'
    );
    expect(statusText({ callerKey: 'a', nextAttemptAt: new Date(NOW).toISOString() }, NOW)).toBe(
      'Ready to call'
    );
    expect(statusText({ callerKey: 'a', nextAttemptAt: new Date(NOW + 1000).toISOString() }, NOW)).toMatch(
      /^Next try after \d{1,2}:\d{2}/
    );
  });
});

describe('dueText', () => {
  it('says nothing without a due-by', () => {
    expect(dueText(null, NOW)).toEqual({ text: '', overdue: false });
    expect(dueText(undefined, NOW)).toEqual({ text: '', overdue: false });
  });

  it.each([
    [0, 'Due in 0 min', false],
    [25 * MINUTE, 'Due in 25 min', false],
    [60 * MINUTE, 'Due in 1 h', false],
    [125 * MINUTE, 'Due in 2 h 5 min', false],
    [-1000, 'Overdue by 1 min', true],
    [-10 * MINUTE, 'Overdue by 10 min', true]
  ])('%p ms from now: %p', (offset, text, overdue) => {
    expect(dueText(new Date(NOW + offset).toISOString(), NOW)).toEqual({ text, overdue });
  });
});

describe('countText', () => {
  it('counts callers and drops, overdue ones and how many are shown', () => {
    expect(countText(TOTALS, 5)).toBe('927 callers waiting, 1,204 drops · 12 overdue · showing 5');
    expect(countText({ ...TOTALS, callers: 1, drops: 1, overdue: 0 }, 1)).toBe('1 caller waiting');
    expect(countText({ ...TOTALS, callers: 3, drops: 3, overdue: 0 }, 3)).toBe('3 callers waiting');
    expect(countText({ ...TOTALS, callers: 3, drops: 3, overdue: 0 }, 4)).toBe('3 callers waiting');
    expect(countText(null, 0)).toBe('');
  });
});

describe('emptyText', () => {
  it('names the window and what to try', () => {
    expect(emptyText(4, false)).toBe(
      'No open callbacks in last 4 hours. New drops appear here on their own while live updates are on.'
    );
    expect(emptyText(null, true)).toBe(
      'No open callbacks match these filters in the time window. Try "All channels" and "All drops" or a longer time window.'
    );
    expect(emptyText(5, false)).toMatch(/^No open callbacks in the time window\./);
  });
});

describe('normaliseWindow', () => {
  it.each([
    [null, null],
    [undefined, null],
    ['', null],
    [' ', null],
    [-4, null],
    ['abc', null],
    [0, null],
    [1, 1],
    ['1.5', 4],
    [24, 24],
    [168, 168],
    [200, 168]
  ])('%p → %p', (value, hours) => {
    expect(normaliseWindow(value)).toBe(hours);
  });
});

describe('supervisorTiles', () => {
  it('shows every figure, warns only about breaches, and the oldest wait without "ago"', () => {
    const tiles = supervisorTiles(TOTALS, '2026-11-25T12:55:00.000Z', NOW);
    expect(tiles.map((tile) => [tile.key, tile.label, tile.value, tile.tileClass])).toEqual([
      ['callers', 'Waiting', '927', 'tile'],
      ['eligible', 'Ready to call', '600', 'tile'],
      ['claimed', 'Being called', '20', 'tile'],
      ['waiting', 'Retry later', '250', 'tile'],
      ['overdue', 'Past due-by', '12', 'tile tile_warn'],
      ['oldest', 'Oldest wait', '1 h 5 min', 'tile']
    ]);
    expect(supervisorTiles({ ...TOTALS, overdue: 0, callers: 1204 }, null, NOW).map((t) => t.value)).toEqual([
      '1,204',
      '600',
      '20',
      '250',
      '0',
      '–'
    ]);
    expect(supervisorTiles({ ...TOTALS, overdue: 0 }, null, NOW)[4]?.tileClass).toBe('tile');
    expect(supervisorTiles(null, null, NOW)).toEqual([]);
  });
});

describe('claimsText', () => {
  it('says who calls whom, and until when when known', () => {
    const claims = claimsText([
      mine,
      omar as LifecycleCaller,
      { callerKey: 'z', claimedById: 'y', customerName: 'Zed' } as LifecycleCaller,
      jane as LifecycleCaller
    ]);
    expect(claims.map((claim) => claim.key)).toEqual([mine.callerKey, omar?.callerKey, 'z']);
    expect(claims[0]?.text).toMatch(/^You → \+\*{7}0142 \(until \d{1,2}:\d{2}.*\)$/);
    expect(claims[1]?.text).toMatch(/^Ben Agent → Omar Haddad \(until \d{1,2}:\d{2}.*\)$/);
    expect(claims[2]?.text).toBe('An agent → Zed');
  });
});

describe('outcomeDetails', () => {
  it('shows only the attempts for a caller without drops or due-by', () => {
    expect(outcomeDetails({ callerKey: 'x', attempts: 2 } as LifecycleCaller, NOW)).toEqual([
      { label: 'Attempts', value: '2' }
    ]);
    expect(outcomeDetails({ callerKey: 'x' } as LifecycleCaller, NOW)).toEqual([
      { label: 'Attempts', value: '0' }
    ]);
  });

  it('shows the drop, how many there were, the last attempt and the due-by in words', () => {
    const details = outcomeDetails(jane as LifecycleCaller, NOW);
    expect(details[0]?.value).toMatch(/^\d{2}:\d{2}(\s[AP]M)? \(40 min ago\)$/);
    expect(details.map((detail) => detail.label)).toEqual([
      'Dropped',
      'What happened',
      'Channel',
      'Drops',
      'Attempts',
      'Due by'
    ]);
    expect(details[3]?.value).toBe('2, first 55 min ago');
    expect(details[4]?.value).toBe('1, last 30 min ago');
    expect(details[5]?.value).toMatch(/^\d{1,2}:\d{2}.* \(overdue by 10 min\)$/);
    expect(outcomeDetails(omar as LifecycleCaller, NOW).map((detail) => detail.label)).not.toContain('Drops');
  });
});
