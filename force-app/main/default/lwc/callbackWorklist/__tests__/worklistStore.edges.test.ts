// The worklist's list of callers at the edges: what an event's fields become, callers the server sent without drops,
// claims, releases and outcomes by type, and the moment a retry delay ends.
import {
  EMPTY_TOTALS,
  addNewDrop,
  adjustTotals,
  afterClaim,
  afterOutcome,
  applyChange,
  mergeRefresh,
  replaceCaller
} from '../worklistStore';

const NOW = Date.parse('2026-11-25T14:00:00.000Z');
const LATER = '2026-11-25T14:30:00.000Z';
const EARLIER = '2026-11-25T13:30:00.000Z';

const PAYLOAD: DisconnectedCallPayload = {
  Case_Id__c: '500C1',
  Connect_Contact_Id__c: 'contact-1',
  Customer_Contact_Id__c: '003C1',
  Customer_Account_Id__c: '001A1',
  Customer_Name__c: 'Ann Example',
  Masked_Phone__c: '+*******0123',
  Caller_Key__c: 'k1',
  Category__c: 'DROPPED_IN_IVR',
  Disconnect_Reason__c: 'TELECOM_PROBLEM',
  Channel__c: 'VOICE',
  Queue_Name__c: 'BasicQueue',
  Queue_Wait_Seconds__c: 30,
  Dropped_At__c: EARLIER,
  Summary__c: 'Dropped call'
};

const ANN_DROP = {
  caseId: '500C1',
  connectContactId: 'contact-1',
  category: 'DROPPED_IN_IVR',
  disconnectReason: 'TELECOM_PROBLEM',
  channel: 'VOICE',
  queueName: 'BasicQueue',
  queueWaitSeconds: 30,
  droppedAt: EARLIER,
  summary: 'Dropped call',
  status: 'New',
  attempts: 0
};

function caller(overrides: Partial<LifecycleCaller> = {}): LifecycleCaller {
  return {
    callerKey: 'k1',
    state: 'CLAIMED',
    callable: true,
    claimedById: '005X',
    claimedByMe: false,
    ...overrides
  };
}

describe('worklistStore at the edges', () => {
  it('turns every field of a new drop event into the provisional caller and its drop', () => {
    expect(addNewDrop([], PAYLOAD)).toEqual({
      callers: [expect.anything()],
      isNewCaller: true,
      caller: {
        callerKey: 'k1',
        state: 'ELIGIBLE',
        customerName: 'Ann Example',
        customerContactId: '003C1',
        customerAccountId: '001A1',
        phone: null,
        maskedPhone: '+*******0123',
        callable: true,
        drops: [ANN_DROP],
        dropCount: 1,
        oldestDropAt: EARLIER,
        attempts: 0,
        claimedByMe: false,
        provisional: true
      }
    });
  });

  it('fills what an event leaves out with null, and keys a caller without a caller key by its Case', () => {
    const { caller: added } = addNewDrop([], { Case_Id__c: '500C2' });
    expect(added).toMatchObject({
      callerKey: 'case:500C2',
      customerName: null,
      customerContactId: null,
      customerAccountId: null,
      maskedPhone: null,
      oldestDropAt: null
    });
    expect(added?.drops?.[0]).toEqual({
      caseId: '500C2',
      connectContactId: null,
      category: null,
      disconnectReason: null,
      channel: null,
      queueName: null,
      queueWaitSeconds: null,
      droppedAt: null,
      summary: null,
      status: 'New',
      attempts: 0
    });
    expect(addNewDrop([], {})).toEqual({ callers: [], caller: null, isNewCaller: false });
  });

  it('adds a drop to a listed caller the server sent without its drops, counting from one', () => {
    const listed = { callerKey: 'k1', state: 'ELIGIBLE' as CallerState };
    const { caller: merged, isNewCaller } = addNewDrop([listed], PAYLOAD);
    expect(isNewCaller).toBe(false);
    expect(merged).toMatchObject({ drops: [ANN_DROP], dropCount: 2 });
    expect(adjustTotals({ ...EMPTY_TOTALS, callers: 1, drops: 1 }, listed, null)).toMatchObject({ drops: 0 });
  });

  it('puts a caller it did not list first, and replaces a listed one in place', () => {
    const a = { callerKey: 'a' };
    const b = { callerKey: 'b' };
    expect(replaceCaller([a, b], { callerKey: 'c' }).map((c) => c.callerKey)).toEqual(['c', 'a', 'b']);
    expect(replaceCaller([a, b], { callerKey: 'b', state: 'CLAIMED' })).toEqual([
      a,
      { callerKey: 'b', state: 'CLAIMED' }
    ]);
    expect(mergeRefresh([{ callerKey: 'b', provisional: true }], [a, b], () => true)).toEqual([a, b]);
  });

  it("applies a release with the caller's own next try, and an outcome with the one it brings", () => {
    const waiting = caller({ nextAttemptAt: LATER });
    const released = applyChange([waiting], { Caller_Key__c: 'k1', Change_Type__c: 'RELEASED' }, 'me', NOW);
    expect(released.after).toMatchObject({ state: 'WAITING', nextAttemptAt: LATER, claimedById: null });
    const outcome = applyChange(
      [waiting],
      { Caller_Key__c: 'k1', Change_Type__c: 'OUTCOME', Closed__c: false },
      'me',
      NOW
    );
    expect(outcome.after).toMatchObject({ state: 'ELIGIBLE', nextAttemptAt: null, claimedByMe: false });
    expect(
      applyChange([caller()], { Caller_Key__c: 'k1', Change_Type__c: 'OUTCOME', Closed__c: true }, 'me', NOW)
    ).toEqual({ callers: [], before: caller(), after: null });
  });

  it('leaves the list alone for a change type it does not know, or a change without a caller key', () => {
    const list = [caller()];
    expect(applyChange(list, { Caller_Key__c: 'k1', Change_Type__c: 'MERGED' }, 'me', NOW)).toEqual({
      callers: list,
      before: list[0],
      after: list[0]
    });
    expect(
      applyChange([caller({ callerKey: '' })], { Change_Type__c: 'RELEASED' }, 'me', NOW).after
    ).toMatchObject({
      state: 'ELIGIBLE'
    });
  });

  it('waits out a retry delay only while it lasts, and never makes an uncallable caller callable', () => {
    const at = (nextAttemptAt: string | null) =>
      afterOutcome(caller(), { callerKey: 'k1', disposition: 'NO_ANSWER', closed: false, nextAttemptAt }, NOW)
        ?.state;
    expect(at(LATER)).toBe('WAITING');
    expect(at(new Date(NOW).toISOString())).toBe('ELIGIBLE');
    expect(at(EARLIER)).toBe('ELIGIBLE');
    expect(at(null)).toBe('ELIGIBLE');
    expect(
      afterOutcome(caller({ callable: false }), { callerKey: 'k1', disposition: 'BUSY', closed: false }, NOW)
        ?.state
    ).toBe('NOT_CALLABLE');
  });

  it('counts an attempt itself when the server does not say how many there were', () => {
    const result = { callerKey: 'k1', disposition: 'NO_ANSWER', closed: false };
    expect(afterOutcome(caller({ attempts: 2 }), result, NOW)?.attempts).toBe(3);
    expect(afterOutcome(caller(), result, NOW)).toMatchObject({
      attempts: 1,
      lastAttemptAt: new Date(NOW).toISOString()
    });
  });

  it("takes the server's copy of a claimed caller, and builds one for a caller it did not list", () => {
    const copy = caller({ customerName: 'From the server' });
    expect(afterClaim(caller(), { callerKey: 'k1', claimedById: '005', caller: copy }, NOW)).toBe(copy);
    expect(afterClaim(null, { callerKey: 'k9', claimedById: '005', claimedByName: 'Me' }, NOW)).toEqual({
      callerKey: 'k9',
      state: 'CLAIMED',
      claimedById: '005',
      claimedByName: 'Me',
      claimedUntil: null,
      claimedByMe: true
    });
  });

  it('counts a caller in no state bucket only in the callers and drops', () => {
    const totals = { ...EMPTY_TOTALS, callers: 2, drops: 2, eligible: 1 };
    expect(adjustTotals(totals, null, { callerKey: 'x', dropCount: 1 })).toEqual({
      ...totals,
      callers: 3,
      drops: 3
    });
  });
});
