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

/**
 * Reference: the rule as a regular expression and Date.parse (how the relay read timestamps before reading them
 * by hand): the form, a real date and time in 1700-4000, "…Z" with seconds kept, others converted to UTC.
 */
function reference(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/.exec(
    s
  );
  if (m === null) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const sec = Number(m[6] ?? '0');
  if (!isRealUtc(y, mo, d, h, mi, sec)) return null;
  if (m[8] !== 'Z' && (Number(m[9]) > 23 || Number(m[10]) > 59)) return null;
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return null;
  if (m[8] === 'Z' && m[6] !== undefined) return s;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

describe('isoTimestamp: every form against the reference rule', () => {
  const two = (max: number): fc.Arbitrary<string> => fc.integer({ min: 0, max }).map((n) => pad(n, 2));
  const zone = fc.oneof(
    fc.constant('Z'),
    fc.tuple(fc.constantFrom('+', '-'), two(25), fc.constantFrom(':', ''), two(61)).map((p) => p.join('')),
    fc.constantFrom('z', '+1', '+01:0', '+01:000', 'Z ', '')
  );
  const seconds = fc.oneof(
    fc.constant(''),
    two(61).map((ss) => `:${ss}`),
    fc.tuple(two(61), fc.stringMatching(/^\d{0,11}$/)).map(([ss, f]) => `:${ss}.${f}`)
  );
  /** Dates, times, seconds, fractions and zones, in range and out of it. */
  const timestampText = fc
    .tuple(fc.integer({ min: 1600, max: 4100 }), two(13), two(32), two(25), two(61), seconds, zone)
    .map(([y, mo, d, h, mi, sec, z]) => `${pad(y, 4)}-${mo}-${d}T${h}:${mi}${sec}${z}`);

  test('property: the same answer as the reference for dates, times, seconds, fractions and zones', () => {
    fc.assert(
      fc.property(timestampText, (value) => {
        expect(isoTimestamp(value)).toBe(reference(value.trim()));
      }),
      { numRuns: 5000 }
    );
  });

  test('property: timestampMs is the instant of the reference text (read without writing it), null when it is', () => {
    fc.assert(
      fc.property(timestampText, (value) => {
        const expected = reference(value.trim());
        expect(timestampMs(value)).toBe(expected === null ? null : Date.parse(expected));
      }),
      { numRuns: 5000 }
    );
  });

  test('property: arbitrary text is null unless the reference accepts it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        expect(isoTimestamp(value)).toBe(reference(value.trim() === '' ? '' : value.trim()));
      }),
      { numRuns: 2000 }
    );
  });
});

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
    ['2025-04-30T10:00:00.9999-01:30', '2025-04-30T11:30:00.999Z'],
    ['2025-04-30T10:00:00.12+00:00', '2025-04-30T10:00:00.120Z'],
    ['2025-04-30T00:30:00+01:00', '2025-04-29T23:30:00Z'],
    ['2025-04-30T10:00+24:00', null],
    ['2025-04-30T10:00+23:60', null],
    ['2025-04-30T10:00+0', null],
    ['2025-04-30T10:00:00Z+01:00', null],
    ['2025-04-30T10', null],
    ['', null]
  ])('%p → %p', (value, expected) => {
    expect(isoTimestamp(value)).toBe(expected);
  });

  test.each([
    ['a letter in the century', 'x025-04-30T10:00:00Z'],
    ['a letter in the year', '20x5-04-30T10:00:00Z'],
    ['a letter in the month', '2025-0x-30T10:00:00Z'],
    ['a letter in the day', '2025-04-3xT10:00:00Z'],
    ['a letter in the hour', '2025-04-30T1x:00:00Z'],
    ['a letter in the minute', '2025-04-30T10:0x:00Z'],
    ['a letter in the second', '2025-04-30T10:00:0xZ'],
    ['a letter in the fraction', '2025-04-30T10:00:00.1x2Z'],
    ['a letter in the zone hours', '2025-04-30T10:00:00+0x:00'],
    ['a letter in the zone minutes', '2025-04-30T10:00:00+01:0x'],
    ['no dash after the year', '2025x04-30T10:00:00Z'],
    ['no dash after the month', '2025-04x30T10:00:00Z'],
    ['no colon after the hour', '2025-04-30T10x00:00Z'],
    ['too short', '2025-04-30T10:0Z'],
    ['a zone sign that is neither + nor -', '2025-04-30T10:00:00*01:00'],
    ['a zone with a wrong separator', '2025-04-30T10:00:00+01x00'],
    ['a zone one digit short', '2025-04-30T10:00:00+01:0'],
    ['a zone one digit long', '2025-04-30T10:00:00+01000'],
    ['a zone without minutes', '2025-04-30T10:00:00+01'],
    ['nothing after the seconds', '2025-04-30T10:00:00'],
    ['a fraction without seconds', '2025-04-30T10:00.5Z']
  ])('%s → null', (_case, value) => {
    expect(isoTimestamp(value)).toBeNull();
  });

  test.each([
    ['a zone without a colon', '2025-04-30T10:00:00+0130', '2025-04-30T08:30:00Z'],
    ['a negative zone', '2025-04-30T22:30:00-01:30', '2025-05-01T00:00:00Z'],
    ['the largest zone', '2025-04-30T23:59:00+23:59', '2025-04-30T00:00:00Z'],
    ['a fraction to the last digit', '2025-04-30T10:00:00.123456789+00:00', '2025-04-30T10:00:00.123Z']
  ])('%s is read', (_case, value, expected) => {
    expect(isoTimestamp(value)).toBe(expected);
  });

  test.each([
    ['a dash for the colon after the hour', '2025-04-30T10-00:00Z'],
    ['a letter in the hour', '2025-04-30T1x:00:00Z'],
    ['a letter in the minutes', '2025-04-30T10:0x:00Z'],
    ['a letter in the year', '20x5-04-30T10:00:00Z'],
    ['a letter in the seconds', '2025-04-30T10:00:x0Z'],
    ['a fraction without digits', '2025-04-30T10:00:00.Z'],
    ['no zone', '2025-04-30T10:00:00']
  ])(
    '%s is refused, also right after a valid timestamp (nothing read before carries over)',
    (_case, value) => {
      expect(isoTimestamp('2025-04-30T10:00:00Z')).toBe('2025-04-30T10:00:00Z');
      expect(isoTimestamp(value)).toBeNull();
      expect(timestampMs('2025-04-30T10:00:00+01:00')).toBe(Date.UTC(2025, 3, 30, 9));
      expect(timestampMs(value)).toBeNull();
    }
  );

  test('non-strings are null; timestampMs reads the same instant', () => {
    expect(isoTimestamp(1714000000000)).toBeNull();
    expect(isoTimestamp(null)).toBeNull();
    expect(timestampMs('2025-04-30T10:00:00.250Z')).toBe(Date.UTC(2025, 3, 30, 10, 0, 0, 250));
    expect(timestampMs('2025-04-31T10:00:00Z')).toBeNull();
    expect(timestampMs(' 2025-04-30T12:00:00+02:00 ')).toBe(Date.UTC(2025, 3, 30, 10));
    expect(timestampMs('2025-04-30T10:00:00.123456789Z')).toBe(Date.UTC(2025, 3, 30, 10, 0, 0, 123));
    expect(timestampMs(1714000000000)).toBeNull();
  });
});
