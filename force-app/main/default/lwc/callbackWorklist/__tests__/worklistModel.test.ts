import {
  channelLabel,
  describeDrop,
  displayName,
  errorClause,
  errorMessage,
  formatWait,
  parseTime,
  reasonWords,
  relativeTime
} from '../worklistModel';

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
    expect(formatWait(0)).toBe('0 s');
    expect(formatWait(59)).toBe('59 s');
    expect(formatWait(60)).toBe('1 min');
    expect(formatWait(90)).toBe('2 min');
    expect(reasonWords(undefined)).toBeNull();
    expect(channelLabel('VOICE')).toBe('Voice');
    expect(channelLabel('chat')).toBe('Chat');
    expect(channelLabel('TASK')).toBe('TASK');
    expect(channelLabel(null)).toBe('Unknown');
    expect(displayName({ customerName: null, maskedPhone: null })).toBe('Unknown caller');
    expect(parseTime('')).toBeNull();
    expect(parseTime(null)).toBeNull();
    expect(parseTime('not a time')).toBeNull();
  });

  it('describes how long ago something happened', () => {
    expect(relativeTime(null, NOW)).toBe('unknown time');
    expect(relativeTime(NOW + 5000, NOW)).toBe('just now');
    expect(relativeTime(NOW - 59000, NOW)).toBe('just now');
    expect(relativeTime(NOW - 60000, NOW)).toBe('1 min ago');
    expect(relativeTime(NOW - 12 * 60000, NOW)).toBe('12 min ago');
    expect(relativeTime(NOW - 60 * 60000, NOW)).toBe('1 h ago');
    expect(relativeTime(NOW - 3 * 3600000, NOW)).toBe('3 h ago');
    expect(relativeTime(NOW - 185 * 60000, NOW)).toBe('3 h 5 min ago');
    expect(relativeTime(NOW - 24 * 3600000, NOW)).toBe('1 day ago');
    expect(relativeTime(NOW - 25 * 3600000, NOW)).toBe('1 day ago');
    expect(relativeTime(NOW - 72 * 3600000, NOW)).toBe('3 days ago');
  });

  it('reads messages out of Apex and JavaScript errors', () => {
    expect(errorMessage({ body: { message: 'Insufficient access.' } })).toBe('Insufficient access.');
    expect(errorMessage({ body: [{ message: 'One' }, { message: 'Two' }] })).toBe('One, Two');
    expect(errorMessage(new Error('Boom'))).toBe('Boom');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage([new Error('a'), 'b'])).toBe('a, b');
    expect(errorMessage(undefined)).toBe('Unknown error');
    expect(errorMessage({ status: 500 })).toBe('Unknown error');
    expect(errorMessage(null)).toBe('Unknown error');
    expect(errorMessage(503)).toBe('Unknown error');
    // A body that is no object, or messages that are empty or no text, fall through to the next place to look.
    expect(errorMessage({ body: 'Bad Gateway', message: 'Request failed' })).toBe('Request failed');
    expect(errorMessage({ body: { message: '' }, message: 'Request failed' })).toBe('Request failed');
    expect(errorMessage({ body: { message: 42 }, message: 'Request failed' })).toBe('Request failed');
    expect(errorMessage({ message: '' })).toBe('Unknown error');
    expect(errorMessage({ message: 42 })).toBe('Unknown error');
    expect(errorClause({ body: { message: 'Row locked. ' } })).toBe('Row locked');
  });
});
