/**
 * Kinesis record → CTR: base64 → UTF-8 (strict) → JSON object with a string ContactId. Never throws: anything else
 * is reported as {ok:false, reason} so the relay can count and park it instead of blocking the shard.
 */
import { isUtf8 } from 'node:buffer';
import type { KinesisStreamRecord } from 'aws-lambda';
import { text, type ContactTraceRecord } from './ctr';
import { keySet, pickWrittenText, textArea, writtenTextIsAscii, type KeySet } from './ctr-parse';
import { maskPhonesInText } from './mask';
import { policyAttributeNames, type RelayPolicy } from './policy';

export type ParseResult = { ok: true; ctr: ContactTraceRecord } | { ok: false; reason: string };

/**
 * A decoded record. A CTR is read without the fields the relay never reads (see pickCtrFields in ctr-parse.ts): its
 * `ctr` holds only the fields in CTR_FIELDS (ctr.ts), each as JSON.parse makes it but for the Queue, Agent and
 * endpoint objects, which hold only their CTR_MEMBER_FIELDS, and when decoded for a policy, an Attributes object
 * holds only the attributes that policy reads (policyAttributeNames).
 */
export type DecodeResult =
  | { ok: true; ctr: ContactTraceRecord; sequenceNumber: string }
  | { ok: false; sequenceNumber: string; reason: string };

/** Longest excerpt of a parser error we keep (Node quotes the input in JSON.parse errors). */
const MAX_REASON_DETAIL = 200;

/** Bytes a base64 text decodes to under the strict rule below, or -1 when it is not strict base64 (before decoding). */
function strictBase64Length(data: string): number {
  const length = data.length;
  if (length % 4 !== 0) return -1;
  let padding = 0;
  // An empty text has no last character: charCodeAt(-1) is NaN, so no padding.
  if (data.charCodeAt(length - 1) === 0x3d /* = */) {
    padding = data.charCodeAt(length - 2) === 0x3d ? 2 : 1;
  }
  if (data.indexOf('-') !== -1 || data.indexOf('_') !== -1) return -1;
  if (Buffer.byteLength(data) !== length) return -1;
  return ((length - padding) * 3) >> 2;
}

/**
 * Strict base64 decoding: the standard alphabet only, length a multiple of 4, at most two "=" and only at the end;
 * null when not base64. Buffer.from alone is lenient: it skips characters outside the alphabet, stops at the first
 * "=" and also accepts the base64url characters "-" and "_".
 *
 * Same rule as the regular expression /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, checked
 * without one: that regular expression took most of the CPU time of a large record. Here Buffer decodes, and the
 * decoded length proves that every character before the padding was decoded: a skipped character, or an "=" in
 * the middle (which stops decoding), always leaves fewer bytes than (length - padding) * 3 / 4. Characters above
 * U+007F are ruled out first (Buffer would read only their low byte).
 */
export function decodeBase64Strict(data: string): Uint8Array | null {
  const expected = strictBase64Length(data);
  // Stryker disable next-line ConditionalExpression: -1 never equals the bytes written, so the write below refuses it too
  if (expected < 0) return null;
  const bytes = Buffer.alloc(expected + 3);
  const written = writeBase64Strict(data, expected, bytes);
  return written < 0 ? null : bytes.subarray(0, written);
}

/**
 * Writes base64 `data` of `expected` bytes (strictBase64Length) at the start of `target`, up to 3 bytes more: room
 * for more bytes than expected, so a miscount shows as a length mismatch instead of a silent cut. The bytes
 * written, or -1 when they are not the expected number (not strict base64).
 */
function writeBase64Strict(data: string, expected: number, target: Buffer): number {
  const written = target.write(data, 0, expected + 3, 'base64');
  return written === expected ? written : -1;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** Where a UTF-8 text starts after a leading byte-order mark (dropped, as a TextDecoder does): 3 or 0. */
function textStart(bytes: Uint8Array): number {
  return bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2] ? 3 : 0;
}

/** The UTF-8 text's bytes without a leading byte-order mark; null when not UTF-8. */
function utf8TextBytes(bytes: Uint8Array): Buffer | null {
  if (!isUtf8(bytes)) return null;
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.subarray(textStart(buffer));
}

/**
 * Strict UTF-8 decoding (invalid byte sequences are an error, not U+FFFD); null when not UTF-8. A leading byte-order
 * mark is dropped, as a TextDecoder does.
 */
export function decodeUtf8Strict(bytes: Uint8Array): string | null {
  const text = utf8TextBytes(bytes);
  return text === null ? null : text.toString();
}

/**
 * V8 quotes up to ~10 characters of the input in JSON.parse errors (`Unexpected token 'e', "tel:1555…" is not valid
 * JSON`); an excerpt may cut a phone number to fewer digits than masking recognises, so the reason keeps only the
 * position information.
 */
function withoutExcerpt(message: string): string {
  return message.replace(/(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON/, 'the input is not valid JSON');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** JSON text → CTR: must be a JSON object whose ContactId is a non-empty string. */
export function parseCtrText(text: string): ParseResult {
  let value: unknown;
  // Only the message of JSON.parse's error is kept: no stack trace is captured for it (half the cost of a refusal).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // Stryker disable next-line MethodExpression: V8's messages without the excerpt are far below the cap, kept for a longer one
    const detail = maskPhonesInText(withoutExcerpt(String((err as Error).message))).slice(
      0,
      MAX_REASON_DETAIL
    );
    return { ok: false, reason: `not JSON: ${detail}` };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return checkCtr(value);
}

/** A parsed JSON value → CTR: must be an object whose ContactId is a non-empty string. */
function checkCtr(value: unknown): ParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `not a JSON object (got ${kindOf(value)})` };
  }
  const contactId = (value as Record<string, unknown>).ContactId;
  if (typeof contactId !== 'string' || !Object.prototype.hasOwnProperty.call(value, 'ContactId')) {
    return { ok: false, reason: 'ContactId missing or not a string' };
  }
  if (text(contactId) === null) return { ok: false, reason: 'ContactId is empty' };
  return { ok: true, ctr: value as ContactTraceRecord };
}

/** The attribute names of the policy decoded for last, ready for the scanner (a relay keeps one policy). */
let attributeKeys: { policy: RelayPolicy; keys: KeySet } | null = null;

function attributeKeysOf(policy: RelayPolicy): KeySet {
  // Stryker disable next-line ConditionalExpression: making the key set again for every record gives the same set
  if (attributeKeys === null || attributeKeys.policy !== policy) {
    attributeKeys = { policy, keys: keySet(policyAttributeNames(policy)) };
  }
  return attributeKeys.keys;
}

/**
 * Decodes one Kinesis record of the Connect CTR stream. With the policy it will be classified under, a CTR's
 * attributes are read only by the names the policy reads (a CTR's attribute map is most of what the relay would
 * otherwise build); without one, all of them.
 */
export function decodeKinesisRecord(r: KinesisStreamRecord, policy?: RelayPolicy): DecodeResult {
  const payload: unknown =
    typeof r === 'object' && r !== null ? (r as { kinesis?: unknown }).kinesis : undefined;
  const fields = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const sequenceNumber = typeof fields.sequenceNumber === 'string' ? fields.sequenceNumber : '';
  const data = fields.data;
  if (typeof data !== 'string') {
    return { ok: false, sequenceNumber, reason: 'not base64: the Kinesis record has no data' };
  }
  const expected = strictBase64Length(data);
  // Stryker disable next-line ConditionalExpression: -1 never equals the bytes written, so the write below refuses it too
  if (expected < 0) return { ok: false, sequenceNumber, reason: 'not base64' };
  // Decoded straight into the scanner's memory (see writeBase64Strict for the 3 bytes more).
  // Stryker disable next-line ArithmeticOperator: the area reserved for a text reaches far past it (stack, records)
  const area = textArea(expected + 3);
  const end = writeBase64Strict(data, expected, area);
  if (end < 0) return { ok: false, sequenceNumber, reason: 'not base64' };
  // ASCII (as a CTR nearly always is) is UTF-8: the scanner checks that without a view of the text being made.
  const ascii = writtenTextIsAscii(end);
  if (!ascii && !isUtf8(area.subarray(0, end))) return { ok: false, sequenceNumber, reason: 'not UTF-8' };
  // (Past `end`, area holds an older text; a text shorter than a byte-order mark cannot match it there: the mark's
  // first byte opens a 3-byte sequence, which a valid UTF-8 text of 1 or 2 bytes cannot hold.)
  const start = textStart(area);
  // The CTR is read without building the fields the relay never reads; a text that is not a JSON object (or that
  // the scanner leaves undecided) is parsed whole below, which names the error.
  const picked = pickWrittenText(
    start,
    end,
    ascii,
    policy === undefined ? undefined : attributeKeysOf(policy)
  );
  const parsed = picked === null ? parseCtrText(area.toString('utf8', start, end)) : checkCtr(picked);
  return parsed.ok
    ? { ok: true, ctr: parsed.ctr, sequenceNumber }
    : { ok: false, sequenceNumber, reason: parsed.reason };
}
