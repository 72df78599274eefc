import {
  channelLabel,
  describeDrop,
  errorClause,
  errorMessage,
  formatWait,
  groupByCaller,
  matchesFilters,
  reasonWords,
  relativeTime,
  rowFromEvent,
  sortGroups
} from '../worklistModel';

const rows = require('./data/getOpenCallbacks.json');
const event = require('./data/disconnectedCallEvent.json');
// What rowFromEvent must make of it, field by field.
const eventRow = require('./data/disconnectedCallEventRow.json');

const NOW = Date.parse('2026-11-25T14:00:00.000Z');

describe('worklistModel', () => {
  describe('describeDrop', () => {
    it('says how long an abandoned caller waited and where', () => {
      expect(
        describeDrop({
          caseId: 'a',
          category: 'ABANDONED_IN_QUEUE',
          queueName: 'BasicQueue',
          queueWaitSeconds: 240
        })
      ).toBe('Abandoned after 4 min in queue BasicQueue');
      expect(describeDrop({ caseId: 'a', category: 'ABANDONED_IN_QUEUE', queueWaitSeconds: 20 })).toBe(
        'Abandoned after 20 s in the queue'
      );
      expect(describeDrop({ caseId: 'a', category: 'ABANDONED_IN_QUEUE', queueName: 'Billing' })).toBe(
        'Abandoned in queue Billing'
      );
    });

    it('names the IVR problem in plain words and keeps unknown codes as they are', () => {
      expect(
        describeDrop({ caseId: 'a', category: 'DROPPED_IN_IVR', disconnectReason: 'TELECOM_PROBLEM' })
      ).toBe('Dropped in the IVR: network problem');
      expect(
        describeDrop({ caseId: 'a', category: 'DROPPED_IN_IVR', disconnectReason: 'customer_disconnect' })
      ).toBe('Dropped in the IVR: the caller hung up');
      expect(
        describeDrop({ caseId: 'a', category: 'DROPPED_IN_IVR', disconnectReason: 'NEW_REASON_2027' })
      ).toBe('Dropped in the IVR: NEW_REASON_2027');
      expect(describeDrop({ caseId: 'a', category: 'DROPPED_IN_IVR' })).toBe('Dropped in the IVR');
    });

    it('falls back to the summary, then to the raw category', () => {
      expect(describeDrop({ caseId: 'a', category: 'SOMETHING_ELSE', summary: 'Dropped call: odd' })).toBe(
        'Dropped call: odd'
      );
      expect(describeDrop({ caseId: 'a', category: 'SOMETHING_ELSE', disconnectReason: 'OTHER' })).toBe(
        'SOMETHING_ELSE: an unspecified problem'
      );
      expect(describeDrop({ caseId: 'a' })).toBe('Dropped');
    });
  });

  it('formats small building blocks', () => {
    expect(formatWait(null)).toBeNull();
    expect(formatWait(-1)).toBeNull();
    expect(formatWait(59)).toBe('59 s');
    expect(formatWait(90)).toBe('2 min');
    expect(reasonWords(undefined)).toBeNull();
    expect(channelLabel('VOICE')).toBe('Voice');
    expect(channelLabel('chat')).toBe('Chat');
    expect(channelLabel('TASK')).toBe('TASK');
    expect(channelLabel(null)).toBe('Unknown');
  });

  it('describes how long ago something happened', () => {
    expect(relativeTime(null, NOW)).toBe('unknown time');
    expect(relativeTime(NOW + 5000, NOW)).toBe('just now');
    expect(relativeTime(NOW - 59000, NOW)).toBe('just now');
    expect(relativeTime(NOW - 12 * 60000, NOW)).toBe('12 min ago');
    expect(relativeTime(NOW - 3 * 3600000, NOW)).toBe('3 h ago');
    expect(relativeTime(NOW - 185 * 60000, NOW)).toBe('3 h 5 min ago');
    expect(relativeTime(NOW - 25 * 3600000, NOW)).toBe('1 day ago');
    expect(relativeTime(NOW - 72 * 3600000, NOW)).toBe('3 days ago');
  });

  describe('groupByCaller', () => {
    it('folds drops by caller key, oldest first for waiting time and newest for the reason', () => {
      const groups = groupByCaller(rows);
      expect(groups).toHaveLength(4);
      const jane = groups.find((group) => group.key === '003Hs00000JaNeDAAA');
      expect(jane).toMatchObject({
        customerName: 'Jane Doe',
        dropCount: 2,
        attempts: 1,
        firstDroppedAtIso: '2026-11-25T13:05:00.000Z',
        cases: [
          { caseId: '500Hs00001AbCdEAA3', caseNumber: '00001003' },
          { caseId: '500Hs00001AbCdEAA1', caseNumber: '00001001' }
        ]
      });
      expect(jane?.latest.caseId).toBe('500Hs00001AbCdEAA3');
    });

    it('keeps rows without a caller key apart and ignores a case listed twice', () => {
      const groups = groupByCaller([
        { caseId: 'x1', droppedAt: '2026-11-25T13:00:00.000Z' },
        { caseId: 'x2', droppedAt: '2026-11-25T13:01:00.000Z' },
        { caseId: 'x2', droppedAt: '2026-11-25T13:01:00.000Z', callerKey: null }
      ]);
      expect(groups.map((group) => [group.key, group.dropCount])).toEqual([
        ['case:x1', 1],
        ['case:x2', 1]
      ]);
    });

    it('takes the name and number from whichever drop has them', () => {
      const [group] = groupByCaller([
        {
          caseId: 'a',
          callerKey: 'k',
          customerName: 'Ana',
          phone: '+15555550101',
          droppedAt: '2026-11-25T13:00:00Z'
        },
        { caseId: 'b', callerKey: 'k', maskedPhone: '+*******0101', droppedAt: '2026-11-25T13:10:00Z' }
      ]);
      expect(group).toMatchObject({
        customerName: 'Ana',
        phone: '+15555550101',
        maskedPhone: '+*******0101'
      });
    });
  });

  it('sorts groups with stable tie-breaks', () => {
    const groups = groupByCaller(rows);
    expect(sortGroups(groups, 'attempts', 'desc')[0]?.key).toBe('003Hs00000JaNeDAAA');
    expect(sortGroups(groups, 'channel', 'desc')[0]?.channel).toBe('VOICE');
    expect(sortGroups(groups, 'channel', 'asc')[0]?.channel).toBe('CHAT');
    expect(sortGroups(groups, 'customer', 'asc').map((group) => group.customerName)).toContain('Sam Lee');
    expect(sortGroups(groups, 'droppedAt', 'desc')[0]?.key).toBe('p:0c4e1a9d7b2f4e6a8c0d1e2f3a4b5c6d');
  });

  it('maps a Platform Event to a row without a dialable number', () => {
    expect(rowFromEvent(event.data.payload)).toEqual(eventRow);
    expect(rowFromEvent({ Customer_Name__c: 'No case id' })).toBeNull();
  });

  it('applies the filters to rows that did not come from the server', () => {
    const row = {
      caseId: 'a',
      channel: 'VOICE',
      category: 'DROPPED_IN_IVR',
      droppedAt: '2026-11-25T12:30:00Z'
    };
    expect(matchesFilters(row, { windowHours: 24, channel: '', category: '' }, NOW)).toBe(true);
    expect(matchesFilters(row, { windowHours: 1, channel: '', category: '' }, NOW)).toBe(false);
    expect(matchesFilters(row, { windowHours: null, channel: 'CHAT', category: '' }, NOW)).toBe(false);
    expect(
      matchesFilters(row, { windowHours: null, channel: 'VOICE', category: 'ABANDONED_IN_QUEUE' }, NOW)
    ).toBe(false);
  });

  it('reads messages out of Apex and JavaScript errors', () => {
    expect(errorMessage({ body: { message: 'Insufficient access.' } })).toBe('Insufficient access.');
    expect(errorMessage({ body: [{ message: 'One' }, { message: 'Two' }] })).toBe('One, Two');
    expect(errorMessage(new Error('Boom'))).toBe('Boom');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage([new Error('a'), 'b'])).toBe('a, b');
    expect(errorMessage(undefined)).toBe('Unknown error');
    expect(errorMessage({ status: 500 })).toBe('Unknown error');
    expect(errorClause({ body: { message: 'Row locked. ' } })).toBe('Row locked');
  });
});
