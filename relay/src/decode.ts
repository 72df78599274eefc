/**
 * Kinesis record → CTR: base64 → UTF-8 (strict) → JSON object with a string ContactId. Never throws: anything else
 * is reported as {ok:false, reason} so the relay can count and park it instead of blocking the shard.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import type { ContactTraceRecord } from './ctr';
import { maskPhonesInText } from './mask';

export type ParseResult = { ok: true; ctr: ContactTraceRecord } | { ok: false; reason: string };

export type DecodeResult =
  | { ok: true; ctr: ContactTraceRecord; sequenceNumber: string }
  | { ok: false; sequenceNumber: string; reason: string };

/** Longest excerpt of a parser error we keep (Node quotes the input in JSON.parse errors). */
const MAX_REASON_DETAIL = 200;

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
  const length = data.length;
  if (length % 4 !== 0) return null;
  let padding = 0;
  if (length > 0 && data.charCodeAt(length - 1) === 0x3d /* = */) {
    padding = data.charCodeAt(length - 2) === 0x3d ? 2 : 1;
  }
  if (data.indexOf('-') !== -1 || data.indexOf('_') !== -1) return null;
  if (Buffer.byteLength(data, 'utf8') !== length) return null;
  const bytes = Buffer.from(data, 'base64');
  return bytes.length === ((length - padding) * 3) >> 2 ? bytes : null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 decoding (invalid byte sequences are an error, not U+FFFD); null when not UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
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
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = maskPhonesInText(withoutExcerpt(String((err as Error).message))).slice(
      0,
      MAX_REASON_DETAIL
    );
    return { ok: false, reason: `not JSON: ${detail}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `not a JSON object (got ${kindOf(value)})` };
  }
  const contactId = (value as Record<string, unknown>).ContactId;
  if (typeof contactId !== 'string' || !Object.prototype.hasOwnProperty.call(value, 'ContactId')) {
    return { ok: false, reason: 'ContactId missing or not a string' };
  }
  if (contactId.trim() === '') return { ok: false, reason: 'ContactId is empty' };
  return { ok: true, ctr: value as ContactTraceRecord };
}

/** Decodes one Kinesis record of the Connect CTR stream. */
export function decodeKinesisRecord(r: KinesisStreamRecord): DecodeResult {
  const payload: unknown =
    typeof r === 'object' && r !== null ? (r as { kinesis?: unknown }).kinesis : undefined;
  const fields = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const sequenceNumber = typeof fields.sequenceNumber === 'string' ? fields.sequenceNumber : '';
  const data = fields.data;
  if (typeof data !== 'string') {
    return { ok: false, sequenceNumber, reason: 'not base64: the Kinesis record has no data' };
  }
  const bytes = decodeBase64Strict(data);
  if (bytes === null) return { ok: false, sequenceNumber, reason: 'not base64' };
  const text = decodeUtf8Strict(bytes);
  if (text === null) return { ok: false, sequenceNumber, reason: 'not UTF-8' };
  const parsed = parseCtrText(text);
  return parsed.ok
    ? { ok: true, ctr: parsed.ctr, sequenceNumber }
    : { ok: false, sequenceNumber, reason: parsed.reason };
}
