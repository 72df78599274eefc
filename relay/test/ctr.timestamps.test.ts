/**
 * Timestamps as the relay reads them from a CTR: Connect's own form ("…SSZ", with up to 9 fraction digits) is kept
 * byte for byte when it is a real date and time; other ISO-8601 forms are converted to UTC; anything else is null.
 * The Connect form has a fast path of its own, so these tests hold it to an independent reference.
 */
import fc from 'fast-check';
import { isoTimestamp, timestampMs } from '../src/ctr';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Reference: a real date-time in 1700-4000 (what Apex accepts), by round-tripping through Date.UTC. */
function isRealUtc(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (y < 1700 || y > 4000 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

describe('isoTimestamp: Connect form', () => {
  test('property: kept as sent when real, null when not (dates, times, fraction digits)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1600, max: 4100 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        fc.option(fc.stringMatching(/^\d{0,10}$/)),
        (y, mo, d, h, mi, s, fraction) => {
          const value = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${
            fraction === null ? '' : `.${fraction}`
          }Z`;
          const fractionOk = fraction === null || (fraction.length >= 1 && fraction.length <= 9);
          const expected = isRealUtc(y, mo, d, h, mi, s) && fractionOk ? value : null;
          expect(isoTimestamp(value)).toBe(expected);
        }
      ),
      { numRuns: 3000 }
    );
  });

  test.each<[string, string | null]>([
    ['2024-02-29T10:00:00Z', '2024-02-29T10:00:00Z'],
    ['2023-02-29T10:00:00Z', null],
    ['2100-02-29T10:00:00Z', null],
    ['2000-02-29T10:00:00Z', '2000-02-29T10:00:00Z'],
    ['2025-04-31T10:00:00Z', null],
    ['2025-04-30T23:59:59.123456789Z', '2025-04-30T23:59:59.123456789Z'],
    ['2025-04-30T24:00:00Z', null],
    ['2025-04-30T10:60:00Z', null],
    ['2025-04-30T10:00:60Z', null],
    ['1699-12-31T23:59:59Z', null],
    ['1700-01-01T00:00:00Z', '1700-01-01T00:00:00Z'],
    ['4000-12-31T23:59:59Z', '4000-12-31T23:59:59Z'],
    ['4001-01-01T00:00:00Z', null],
    ['2025-04-30T10:00:00.Z', null],
    ['2025-04-30T10:00:00.1234567890Z', null],
    ['2025-04-30t10:00:00Z', null],
    ['2025-04-30T10:00:00z', null],
    ['2025/04/30T10:00:00Z', null],
    ['2025-04-30T10-00:00Z', null],
    ['2025-04-30T10:00-00Z', null],
    ['2025-04-30T10:00:00,5Z', null],
    ['2025-04-3aT10:00:00Z', null],
    ['２０２５-04-30T10:00:00Z', null],
    ['  2025-04-30T10:00:00Z ', '2025-04-30T10:00:00Z'],
    // Other ISO-8601 forms take the general rules: converted to UTC.
    ['2025-04-30T12:00:00+02:00', '2025-04-30T10:00:00Z'],
    ['2025-04-30T10:00Z', '2025-04-30T10:00:00Z'],
    ['2025-04-30T10:00:00.5+0000', '2025-04-30T10:00:00.500Z'],
    ['', null]
  ])('%p → %p', (value, expected) => {
    expect(isoTimestamp(value)).toBe(expected);
  });

  test('non-strings are null; timestampMs reads the same instant', () => {
    expect(isoTimestamp(1714000000000)).toBeNull();
    expect(isoTimestamp(null)).toBeNull();
    expect(timestampMs('2025-04-30T10:00:00.250Z')).toBe(Date.UTC(2025, 3, 30, 10, 0, 0, 250));
    expect(timestampMs('2025-04-31T10:00:00Z')).toBeNull();
  });
});
