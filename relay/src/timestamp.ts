/**
 * ISO-8601 date-times as CTRs carry them, read by hand: YYYY-MM-DDTHH:MM[:SS[.f{1,9}]] then Z or ±HH[:]MM. Every
 * CTR holds several, and a regular expression plus Date.parse per timestamp was a tenth of a CTR's decode time.
 */

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const PLUS = 0x2b;
const T = 0x54;
const Z = 0x5a;

/** The digit at `at` (0-9), or -1 when it is not one (also past the end: charCodeAt is NaN there). */
function digit(s: string, at: number): number {
  const d = s.charCodeAt(at) - 0x30;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The two digits at `at` as a number, or -1 when either is not a digit. */
function twoDigits(s: string, at: number): number {
  const a = digit(s, at);
  const b = digit(s, at + 1);
  // Stryker disable next-line ConditionalExpression: a is -1 or 0-9, so with a = -1 the sum is -10..-1, rejected alike
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

interface DateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Milliseconds of the fraction (its first 3 digits, as Date.parse reads it). */
  millis: number;
  /** Seconds are written ("…:SS" or "…:SS.fff"). */
  hasSeconds: boolean;
  /** Minutes east of UTC; null for "Z". */
  offsetMinutes: number | null;
}

/**
 * The fields of the date-time parsed last (see parseFields): one object filled again for every timestamp, since a
 * CTR holds several and a new object for each was a measurable share of reading one.
 */
const parsed: DateTime = {
  year: 0,
  month: 0,
  day: 0,
  hour: 0,
  minute: 0,
  second: 0,
  millis: 0,
  hasSeconds: false,
  offsetMinutes: null
};

/**
 * Reads an ISO-8601 date-time in the form above into `parsed` (every field set), or false when the text is not in
 * that form.
 */
function parseFields(s: string): boolean {
  // Text too short for the shortest form (…THH:MMZ) fails one of the checks below: past the end is not a digit.
  if (s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH || s.charCodeAt(10) !== T) return false;
  if (s.charCodeAt(13) !== COLON) return false;
  const century = twoDigits(s, 0);
  const years = twoDigits(s, 2);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  // A century, month or day that is not two digits is negative, which isReal rejects as out of range.
  if (years < 0 || hour < 0 || minute < 0) return false;
  let at = 16;
  let second = 0;
  let millis = 0;
  const hasSeconds = s.charCodeAt(at) === COLON;
  if (hasSeconds) {
    second = twoDigits(s, at + 1);
    if (second < 0) return false;
    at += 3;
    if (s.charCodeAt(at) === DOT) {
      const first = at + 1;
      let end = first;
      while (digit(s, end) >= 0) end++;
      if (end === first || end - first > 9) return false;
      millis = Number((s.slice(first, Math.min(end, first + 3)) + '00').slice(0, 3));
      at = end;
    }
  }
  const offsetMinutes = parseZone(s, at);
  if (offsetMinutes === undefined) return false;
  parsed.year = century * 100 + years;
  parsed.month = twoDigits(s, 5);
  parsed.day = twoDigits(s, 8);
  parsed.hour = hour;
  parsed.minute = minute;
  parsed.second = second;
  parsed.millis = millis;
  parsed.hasSeconds = hasSeconds;
  parsed.offsetMinutes = offsetMinutes;
  return true;
}

/** The zone from `at` to the end: null for "Z", minutes for ±HH:MM or ±HHMM, undefined when it is neither. */
function parseZone(s: string, at: number): number | null | undefined {
  const rest = s.length - at;
  const sign = s.charCodeAt(at);
  if (sign === Z) return rest === 1 ? null : undefined;
  if (sign !== PLUS && sign !== DASH) return undefined;
  const colon = rest === 6 && s.charCodeAt(at + 3) === COLON;
  if (!colon && rest !== 5) return undefined;
  const hours = twoDigits(s, at + 1);
  const minutes = twoDigits(s, at + (colon ? 4 : 3));
  if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return undefined;
  return (sign === PLUS ? 1 : -1) * (hours * 60 + minutes);
}

/** A real calendar date and clock time in the range Apex accepts (1700-4000): "2025-04-31" or "T24:00" are not. */
function isReal(t: DateTime): boolean {
  if (t.year < 1700 || t.year > 4000 || t.month < 1 || t.month > 12) return false;
  if (t.day < 1 || t.day > daysInMonth(t.year, t.month)) return false;
  return t.hour <= 23 && t.minute <= 59 && t.second <= 59;
}

/**
 * A valid ISO-8601 date-time, normalised to UTC. "…Z" strings with seconds are returned unchanged (Connect's own
 * format, so the value sent to Salesforce matches the CTR byte for byte); others are converted to "…Z" (to the
 * millisecond). Impossible dates and times (April 31st, 25:00) are null, as the contract's parser would reject
 * them. `s` is already trimmed.
 */
export function isoDateTime(s: string): string | null {
  if (!parseFields(s) || !isReal(parsed)) return null;
  if (parsed.offsetMinutes === null && parsed.hasSeconds) return s;
  return new Date(parsedMillis()).toISOString().replace('.000Z', 'Z');
}

/** Milliseconds since the epoch of the date-time parsed last. */
function parsedMillis(): number {
  const t = parsed;
  return (
    Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millis) -
    (t.offsetMinutes ?? 0) * 60_000
  );
}

/**
 * Milliseconds since the epoch of a valid ISO-8601 date-time (as isoDateTime accepts), else null: the same as
 * Date.parse of isoDateTime's result, without writing that text and reading it again.
 */
export function isoDateTimeMs(s: string): number | null {
  return parseFields(s) && isReal(parsed) ? parsedMillis() : null;
}
