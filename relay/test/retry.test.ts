/** Backoff arithmetic: full jitter, exponential growth with a cap, and Retry-After as a floor. */
import { backoffDelay, nextDelay, parseRetryAfter, realSleep } from '../src/retry';

const opts = (random: number) => ({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => random });

describe('backoffDelay (full jitter)', () => {
  it('draws uniformly below base × 2^(retry-1), capped', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, opts(0.999)))).toEqual([
      99, 199, 399, 799, 999, 999
    ]);
    expect(backoffDelay(3, opts(0))).toBe(0);
    expect(backoffDelay(3, opts(0.5))).toBe(200);
  });

  it('treats a retry number below 1 as the first retry', () => {
    expect(backoffDelay(0, opts(0.999))).toBe(99);
    expect(backoffDelay(-3, opts(0.999))).toBe(99);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-14T10:00:00Z');

  it.each([
    ['120', 120_000],
    ['0', 0],
    ['1.5', 1_500],
    ['1.25', 1_250],
    [' 7 ', 7_000],
    ['Tue, 14 May 2024 10:00:30 GMT', 30_000],
    ['Tue, 14 May 2024 09:00:00 GMT', 0]
  ])('reads %s as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([[undefined], [''], ['  '], ['soon'], ['5 seconds'], ['7a'], ['a7'], [['7', '9']]])(
    'handles %p',
    (value) => {
      const expected = Array.isArray(value) ? 7_000 : undefined;
      expect(parseRetryAfter(value as string | string[] | undefined, now)).toBe(expected);
    }
  );
});

describe('nextDelay', () => {
  it('never retries sooner than Retry-After, but keeps the jitter when it is longer', () => {
    expect(nextDelay(1, 5_000, opts(0.5))).toBe(5_000);
    expect(nextDelay(4, 10, opts(0.5))).toBe(400);
    expect(nextDelay(2, undefined, opts(0.5))).toBe(100);
  });
});

describe('realSleep', () => {
  it('waits', async () => {
    const started = Date.now();
    await realSleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
