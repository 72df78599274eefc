import {
  EMPTY_TOTALS,
  addNewDrop,
  adjustTotals,
  afterClaim,
  afterOutcome,
  appendPage,
  applyChange,
  mergeRefresh
} from '../worklistStore';
import { Announcer, spokenNumber, summarise } from '../announcer';
import { classifyError } from '../worklistErrors';
import { dueText, loadMoreText, normaliseWindow, statusText } from '../worklistView';

const page = require('./data/getWorklist.json');
const page2 = require('./data/getWorklistPage2.json');
const event = require('./data/disconnectedCallEvent.json');
const repeatEvent = require('./data/disconnectedCallEventRepeat.json');
const claimedByOther = require('./data/callbackChangeClaimedByOther.json');
const autoClosed = require('./data/callbackChangeAutoClosed.json');

const NOW = Date.parse('2026-11-25T14:00:00.000Z');
const callers: LifecycleCaller[] = page.callers;
const keys = (list: LifecycleCaller[]): string[] => list.map((caller) => caller.callerKey);

describe('worklistStore', () => {
  it('appends a next page without duplicates', () => {
    const merged = appendPage(callers, [...page2.callers, callers[0]]);
    expect(keys(merged)).toEqual([...keys(callers), page2.callers[0].callerKey]);
  });

  it('refreshes from the server but keeps provisional callers it does not know yet', () => {
    const { callers: withNew } = addNewDrop(callers, event.data.payload);
    const refreshed = mergeRefresh(withNew, callers.slice(0, 2), () => true);
    expect(keys(refreshed)).toEqual([...keys(callers.slice(0, 2)), '003Hs00000MaRiAAAA']);
    expect(mergeRefresh(withNew, callers.slice(0, 2), () => false)).toHaveLength(2);
  });

  it('folds a new drop into its caller or adds a provisional caller without a dialable number', () => {
    const repeat = addNewDrop(callers, repeatEvent.data.payload);
    expect(repeat.isNewCaller).toBe(false);
    expect(repeat.caller?.dropCount).toBe(3);
    const again = addNewDrop(repeat.callers, repeatEvent.data.payload);
    expect(again).toEqual({ callers: repeat.callers, caller: null, isNewCaller: false });
    expect(again.callers).toBe(repeat.callers);

    const fresh = addNewDrop(callers, event.data.payload);
    expect(fresh.isNewCaller).toBe(true);
    expect(fresh.caller).toMatchObject({ provisional: true, phone: null, maskedPhone: '+*******0177' });
    expect(addNewDrop(callers, { Customer_Name__c: 'no case' }).caller).toBeNull();
  });

  it('applies claims by others, and removes closed callers', () => {
    const claimed = applyChange(callers, claimedByOther.data.payload, '005000000000000000', NOW);
    expect(claimed.after).toMatchObject({ state: 'CLAIMED', claimedByName: 'Ben Agent', claimedByMe: false });
    const closed = applyChange(callers, autoClosed.data.payload, 'me', NOW);
    expect(closed.after).toBeNull();
    expect(keys(closed.callers)).not.toContain('003Hs00000JaNeDAAA');
    expect(
      applyChange(callers, { Caller_Key__c: 'unknown', Change_Type__c: 'CLAIMED' }, 'me', NOW).before
    ).toBeNull();
  });

  it('turns an outcome that keeps the caller open into a wait, and claims and releases into states', () => {
    const open = afterOutcome(
      callers[1] as LifecycleCaller,
      {
        callerKey: 'x',
        disposition: 'NO_ANSWER',
        closed: false,
        attempts: 1,
        nextAttemptAt: '2026-11-25T14:30:00.000Z'
      },
      NOW
    );
    expect(open).toMatchObject({ state: 'WAITING', attempts: 1, claimedByMe: false });
    expect(
      afterOutcome(
        callers[1] as LifecycleCaller,
        { callerKey: 'x', disposition: 'REACHED', closed: true },
        NOW
      )
    ).toBeNull();
    const mine = afterClaim(
      callers[1] as LifecycleCaller,
      { callerKey: 'x', claimedById: '005', claimedUntil: '2026-11-25T14:10:00.000Z' },
      NOW
    );
    expect(mine).toMatchObject({ state: 'CLAIMED', claimedByMe: true });
    expect(afterClaim(mine, { callerKey: 'x', claimedById: null }, NOW)).toMatchObject({
      state: 'ELIGIBLE',
      claimedByMe: false
    });
  });

  it('keeps the totals honest when callers come, go and change state', () => {
    const totals = {
      ...EMPTY_TOTALS,
      callers: 10,
      drops: 12,
      eligible: 5,
      claimed: 1,
      waiting: 2,
      overdue: 1
    };
    const jane = callers[0] as LifecycleCaller;
    expect(adjustTotals(totals, jane, null)).toMatchObject({
      callers: 9,
      drops: 10,
      eligible: 4,
      overdue: 0
    });
    expect(adjustTotals(totals, null, { callerKey: 'n', state: 'ELIGIBLE', dropCount: 1 })).toMatchObject({
      callers: 11,
      drops: 13,
      eligible: 6
    });
    expect(
      adjustTotals(totals, { ...jane, overdue: false }, { ...jane, overdue: false, state: 'CLAIMED' })
    ).toMatchObject({ callers: 10, eligible: 4, claimed: 2 });
  });
});

describe('worklist texts', () => {
  it('reads due-by, waiting and claims in words', () => {
    expect(dueText('2026-11-25T14:25:00.000Z', NOW)).toEqual({ text: 'Due in 25 min', overdue: false });
    expect(dueText('2026-11-25T11:50:00.000Z', NOW)).toEqual({
      text: 'Overdue by 2 h 10 min',
      overdue: true
    });
    expect(dueText(null, NOW).text).toBe('');
    expect(statusText({ callerKey: 'a', callable: false, notCallableReason: 'DO_NOT_CALL' }, NOW)).toBe(
      'Do not call'
    );
    expect(statusText({ callerKey: 'a', claimedById: 'x' }, NOW)).toBe('Another agent is calling');
    expect(loadMoreText(927, 900, 50)).toBe('Show 27 more (900 of 927)');
    expect(normaliseWindow('')).toBeNull();
    expect(normaliseWindow('5')).toBe(24);
    expect(normaliseWindow('9999')).toBe(168);
    expect(normaliseWindow('-1')).toBeNull();
  });
});

describe('announcer', () => {
  it('speaks numbers by their last digits and summarises', () => {
    expect(spokenNumber('+*******0186')).toBe('number ending 0186');
    expect(spokenNumber(null)).toBeNull();
    expect(
      summarise([
        { kind: 'new', text: 'a', who: 'Ann' },
        { kind: 'new', text: 'b', who: 'Bob' },
        { kind: 'left', text: 'Cy left the list.', who: 'Cy' }
      ])
    ).toBe('2 new callers: Ann and Bob. Cy left the list.');
  });

  it('says the first at once and the rest of a burst once the quiet period ends', () => {
    jest.useFakeTimers({ now: NOW });
    const said: string[] = [];
    const announcer = new Announcer((text) => said.push(text), 1000);
    announcer.say({ kind: 'new', text: 'First.', who: 'A' });
    announcer.say({ kind: 'new', text: 'Second.', who: 'B' });
    announcer.say({ kind: 'new', text: 'Third.', who: 'C' });
    expect(said).toEqual(['First.']);
    jest.advanceTimersByTime(1000);
    expect(said).toEqual(['First.', '2 new callers: B and C.']);
    announcer.dispose();
    jest.useRealTimers();
  });
});

describe('worklistErrors', () => {
  it('tells permissions, outages and refusals apart', () => {
    expect(classifyError({ status: 503, body: { message: 'Service Unavailable' } }).kind).toBe('outage');
    expect(classifyError(new TypeError('Failed to fetch')).kind).toBe('outage');
    expect(
      classifyError({ body: { message: 'You do not have access to the Apex class named X' } }).kind
    ).toBe('permission');
    const refused = classifyError({
      body: { message: '{"code":"CLAIMED_BY_OTHER","message":"Ben is calling."}' }
    });
    expect(refused).toEqual({ kind: 'refused', code: 'CLAIMED_BY_OTHER', message: 'Ben is calling.' });
  });
});
