// What the worklist says when loading fails, for each kind of error the platform or the lifecycle API can send:
// the sentence the agent reads, and whether Retry is offered (a missing permission needs an admin, not a retry).
import { classifyError, structuredError } from '../worklistErrors';
import { statusView, type StatusState } from '../worklistStatus';

const NOW = Date.parse('2026-11-25T14:00:00.000Z');

function shown(error: unknown, loaded = false): { text: string; retry: boolean } {
  const state: StatusState = {
    problem: classifyError(error),
    actionProblem: '',
    loaded,
    loadedAtMs: loaded ? NOW : null,
    liveState: 'live',
    liveDetail: '',
    lastEventAtMs: null,
    nowMs: NOW,
    unseen: new Set()
  };
  const status = statusView(state);
  return { text: loaded ? status.notice : status.blockingError, retry: status.showRetry };
}

const apexError = (status: number, message: string): unknown => ({ status, body: { message } });
const PERMISSION = (clause: string): string =>
  `Couldn't load callbacks: you don't have access (${clause}). Ask your Salesforce admin for the Callback_Agent permission set.`;
const OUTAGE = (clause: string): string =>
  `Couldn't load callbacks: Salesforce didn't answer (${clause}). This is usually brief.`;

describe('what the worklist says when it cannot load', () => {
  it.each([
    ['401', apexError(401, 'Session expired'), PERMISSION('Session expired')],
    ['403', apexError(403, 'Forbidden'), PERMISSION('Forbidden')],
    [
      'NO_ACCESS',
      apexError(400, '{"code":"NO_ACCESS","message":"Ask for access."}'),
      PERMISSION('Ask for access')
    ],
    ['permission words', apexError(400, 'Insufficient privileges'), PERMISSION('Insufficient privileges')]
  ])('a missing permission (%s): who to ask, and no Retry', (_what, error, text) => {
    expect(shown(error)).toEqual({ text, retry: false });
  });

  it.each([
    ['status 0', apexError(0, 'Request failed'), OUTAGE('Request failed')],
    ['429', apexError(429, 'Too many requests'), OUTAGE('Too many requests')],
    ['500', apexError(500, 'Internal error'), OUTAGE('Internal error')],
    [
      'RETRYABLE',
      apexError(400, '{"code":"RETRYABLE","message":"Busy, come back."}'),
      OUTAGE('Busy, come back')
    ],
    ['outage words', apexError(400, 'Unable to lock row'), OUTAGE('Unable to lock row')],
    ['a TypeError without a status', new TypeError('Load failed'), OUTAGE('Load failed')]
  ])('an outage (%s): brief, with Retry', (_what, error, text) => {
    expect(shown(error)).toEqual({ text, retry: true });
  });

  it.each([
    ['499', apexError(499, 'Client closed'), "Couldn't load callbacks: Client closed."],
    ['400', apexError(400, 'Bad request..  '), "Couldn't load callbacks: Bad request."],
    ['a plain Error', new Error('Something odd'), "Couldn't load callbacks: Something odd."],
    ['no error at all', null, "Couldn't load callbacks: Unknown error."],
    ['a bare string', 'Something odd', "Couldn't load callbacks: Something odd."],
    [
      'a status given as text',
      { status: '503', body: { message: 'Gateway said no' } },
      "Couldn't load callbacks: Gateway said no."
    ],
    [
      'a TypeError with a status',
      Object.assign(new TypeError('Cannot read x'), { status: 400 }),
      "Couldn't load callbacks: Cannot read x."
    ],
    [
      'a coded refusal that mentions permission',
      apexError(400, '{"code":"NOT_CLAIMED","message":"You have no permission to log for Ben."}'),
      "Couldn't load callbacks: You have no permission to log for Ben."
    ],
    [
      'a coded refusal that mentions a time-out',
      apexError(400, '{"code":"NOTHING_OPEN","message":"The claim timed out."}'),
      "Couldn't load callbacks: The claim timed out."
    ],
    [
      'a coded TypeError',
      new TypeError('{"code":"NOT_ELIGIBLE","message":"Not eligible v1.2."}'),
      "Couldn't load callbacks: Not eligible v1.2."
    ]
  ])('a refusal (%s): the reason, with Retry', (_what, error, text) => {
    expect(shown(error)).toEqual({ text, retry: true });
  });

  it('says so once the list is loaded, with the time of the list it keeps', () => {
    const { text, retry } = shown(apexError(503, 'Service Unavailable'), true);
    expect(text).toMatch(
      /^Couldn't refresh callbacks: Salesforce didn't answer \(Service Unavailable\)\. This is usually brief\. Showing the list as of \d{1,2}:\d{2}.*\.$/
    );
    expect(retry).toBe(true);
  });
});

describe('structuredError', () => {
  it('reads the code and message of a lifecycle API error', () => {
    expect(structuredError('{"code":"CLAIMED_BY_OTHER","message":"Ben is calling."}')).toEqual({
      code: 'CLAIMED_BY_OTHER',
      message: 'Ben is calling.'
    });
  });

  it('uses the code as the message when there is none', () => {
    expect(structuredError('{"code":"NOT_CLAIMED"}')).toEqual({
      code: 'NOT_CLAIMED',
      message: 'NOT_CLAIMED'
    });
    expect(structuredError('{"code":"NOT_CLAIMED","message":7}')).toEqual({
      code: 'NOT_CLAIMED',
      message: 'NOT_CLAIMED'
    });
  });

  it.each(['Plain text', ' {"code":"X"}', '{not json', '{"message":"no code"}', '{"code":42}'])(
    'treats %p as plain text',
    (message) => {
      expect(structuredError(message)).toBeNull();
    }
  );

  it('shows a message that only looks like JSON as it is', () => {
    expect(shown(apexError(400, '{not json'))).toEqual({
      text: "Couldn't load callbacks: {not json.",
      retry: true
    });
  });
});
