/**
 * Privacy helpers shared by the relay and (by specification, identically) the Apex CallerIdentity class:
 * phone masking, the caller key, and recursive redaction for logs.
 */
import { createHash } from 'node:crypto';

/**
 * E.164 as the contract (and the Apex parser) accepts it: '+', a non-zero first digit, 8 to 15 digits. A shorter
 * "number" (a short code, a truncated caller ID) is sent as null, so the drop still becomes a Case.
 */
export const E164 = /^\+[1-9]\d{7,14}$/;

/** ASCII digits in the text. */
function digitCount(value: string): number {
  let count = 0;
  // Stryker disable next-line EqualityOperator: one more step reads charCodeAt(length), NaN, never counted as a digit
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) count++;
  }
  return count;
}

export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164.test(value);
}

/**
 * Masks a phone number for display and logs: keeps a leading '+', replaces every digit except the last 4 with '*',
 * leaves other characters alone. "+15555550142" → "+*******0142"; null → null.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined) return null;
  let digitsLeft = digitCount(phone);
  let out = '';
  for (const ch of phone) {
    if (ch >= '0' && ch <= '9') {
      out += digitsLeft > 4 ? '*' : ch;
      digitsLeft--;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * Spans of free text that hold long digit runs but are not phone numbers, matched (and kept) before the phone
 * pattern sees them: UUIDs (Connect ContactIds), ARNs (account ids), ISO dates, IPv4 addresses and runs of 21+
 * digits (Kinesis sequence numbers are 56 digits; no phone number has more than 15, or 18 with a dialling prefix).
 */
const NOT_A_PHONE = [
  /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![\w-])/,
  /\barn:[\w-]+:[^\s"',;]*/,
  /(?<![\w+-])\d{4}-\d{2}-\d{2}(?![\d-]|\s?\d)/,
  /\b\d{1,3}(?:\.\d{1,3}){3}\b(?![.-]?\d)/,
  /(?<![\w+-])\d{21,}/
].map((r) => r.source);
/**
 * Phone-like: an optional "tel:"/"+", then digits with at most 3 separators (space, dash, dot, parentheses, slash)
 * between them, not followed by a word character nor glued to a
 * preceding digit, dash or dot (so "shardId-000000000000" and hex ids stay); masked when it holds 8+ digits, or 7+
 * after a "+" (E.164).
 */
const PHONE_LIKE = /(?<![\d_+\-/.])(?:tel:)?\+?\(?\d(?:[ ().\-/]{0,3}\d)*(?![\w])/.source;
const TEXT_SCAN = new RegExp(`(${NOT_A_PHONE.join('|')})|(${PHONE_LIKE})`, 'g');

function isPhoneLike(match: string): boolean {
  const digits = digitCount(match);
  // Stryker disable next-line Regex: PHONE_LIKE allows a "+" only at the start of a match, so the anchor changes nothing
  return digits >= 8 || (digits >= 7 && /^(?:tel:)?\+/.test(match));
}

/**
 * Masks every phone-like run in free text (error messages, reasons, CLI output): "+15555550142",
 * "tel:15555550142", "+1 555 555 0101", "(555) 555-0101" and "555.555.0101" all keep only their last 4 digits.
 * ContactIds, ARNs, dates, IP addresses and sequence numbers are left alone.
 */
export function maskPhonesInText(value: string): string {
  // Nothing is masked with fewer than 7 digits in all (the shortest masked run): most reasons have none or few.
  // Stryker disable next-line ConditionalExpression: a shortcut only; the scan below leaves such text unchanged too
  if (digitCount(value) < 7) return value;
  return value.replace(TEXT_SCAN, (match: string, keep: string | undefined) =>
    keep === undefined && isPhoneLike(match) ? (maskPhone(match) as string) : match
  );
}

/**
 * The caller key groups repeat callers (identical in Apex): the matched customer Contact Id if any; else
 * "p:" + the first 32 lowercase hex chars of SHA-256 of the UTF-8 E.164 phone; else "c:" + the Connect contactId.
 * Empty strings count as absent.
 */
export function callerKey(
  customerContactId: string | null,
  phone: string | null,
  connectContactId: string
): string {
  if (customerContactId) return customerContactId;
  if (phone) return 'p:' + createHash('sha256').update(phone).digest('hex').slice(0, 32);
  return 'c:' + connectContactId;
}

/** Keys whose values are secrets. Matches e.g. accessToken, client_secret, SF_PRIVATE_KEY, Authorization, apiKey. */
const SECRET_KEY =
  /token|secret|passw|authori[sz]ation|credential|cookie|private.?key|api.?key|access.?key|^key$/i;
// Up to a delimiter, not a token alphabet: Salesforce access tokens contain "!".
const BEARER = /\b(Bearer|Basic)\s+[^\s"',;]+/g;
/** A JSON Web Token (three base64url segments, the first starting with '{"' encoded). */
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

export const REDACTED = '[REDACTED]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Masks phone numbers and bearer tokens/JWTs inside a string. */
export function redactText(value: string): string {
  return maskPhonesInText(value.replace(BEARER, `$1 ${REDACTED}`).replace(JWT, REDACTED));
}

/**
 * A log-safe deep copy: values under secret-like keys become "[REDACTED]", strings have phone numbers masked,
 * Errors become {name, message, code?, stack?}, cycles become "[Circular]", bigints become strings. Never throws.
 */
export function redact(value: unknown): unknown {
  return redactValue(value, new WeakSet<object>(), 0);
}

const MAX_DEPTH = 20;

function redactValue(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (value instanceof Error) {
      const out: Record<string, unknown> = { name: value.name, message: redactText(value.message) };
      const code = (value as { code?: unknown }).code;
      if (code !== undefined) out.code = redactValue(code, seen, depth + 1);
      if (value.stack) out.stack = redactText(value.stack);
      return out;
    }
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (Array.isArray(value)) return value.map((item) => redactValue(item, seen, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSecretKey(key) ? REDACTED : redactValue(item, seen, depth + 1);
    }
    return out;
  } catch {
    // A hostile getter or proxy: say so instead of failing the log call.
    return '[Unserializable]';
  } finally {
    seen.delete(value);
  }
}
