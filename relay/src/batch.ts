/**
 * Batch shaping before delivery: keep only the newest copy of each contact (Connect delivers CTRs at least once
 * and re-sends them when data changes), then cut into requests the contract accepts (1-200 records) and Apex
 * can parse within its heap (at most MAX_REQUEST_BYTES of body).
 */
import { timestampMs } from './ctr';

/** The contract's maximum records per request. */
export const MAX_BATCH_SIZE = 200;

export interface Superseded<T> {
  /** The older (or equal, later-in-batch) copy that is not sent. */
  item: T;
  /** The copy that is sent instead; the superseded item's fate is the winner's. */
  winner: T;
}

export interface DedupeResult<T> {
  /** One item per ContactId, in the order each ContactId first appeared. */
  kept: T[];
  /** Every dropped copy with the copy that replaced it. */
  superseded: Superseded<T>[];
}

/**
 * Keeps, per ContactId (compared case-insensitively, as the contract's upsert key is), the item with the newest
 * LastUpdateTimestamp. On a tie the FIRST copy in stream order is kept: the endpoint treats an equal timestamp as
 * "unchanged" and keeps what it stored first, so a tie resolves the same way within one batch and across
 * batches. A missing or unparseable timestamp counts as older than any valid one.
 */
export function dedupeNewest<T>(
  items: readonly T[],
  getContactId: (item: T) => string,
  getLastUpdated: (item: T) => string | null | undefined
): DedupeResult<T> {
  const winners = new Map<string, { item: T; ms: number; losers: T[] }>();
  const order: string[] = [];
  for (const item of items) {
    const id = getContactId(item).toLowerCase();
    const ms = timestampMs(getLastUpdated(item)) ?? Number.NEGATIVE_INFINITY;
    const current = winners.get(id);
    if (current === undefined) {
      winners.set(id, { item, ms, losers: [] });
      order.push(id);
    } else if (ms > current.ms) {
      current.losers.push(current.item);
      current.item = item;
      current.ms = ms;
    } else {
      current.losers.push(item);
    }
  }
  const kept: T[] = [];
  const superseded: Superseded<T>[] = [];
  for (const id of order) {
    const entry = winners.get(id) as { item: T; losers: T[] };
    kept.push(entry.item);
    for (const loser of entry.losers) superseded.push({ item: loser, winner: entry.item });
  }
  return { kept, superseded };
}

/**
 * Largest request body the relay sends, in UTF-8 bytes. Apex parses a body in a 6 MB heap that also holds the
 * body itself, its string and the parsed maps; 200 records with 50 allow-listed attributes of 1,024 characters
 * would make about 10 MB. 1 MB keeps several copies well inside the heap; ordinary records (about 1 KB) still
 * travel 200 to a request.
 */
export const MAX_REQUEST_BYTES = 1_000_000;

/** Bytes `{"records":[…]}` adds around the records and between them. */
const ENVELOPE_BYTES = '{"records":[]}'.length;

/** UTF-8 size of one record as it appears in the request body. */
export function jsonBytes(item: unknown): number {
  return Buffer.byteLength(JSON.stringify(item), 'utf8');
}

/**
 * Splits items into consecutive chunks of at most `size` (1..200) items whose request body stays within
 * `maxBytes`; [] for no items. A single item larger than `maxBytes` travels alone (it cannot be split).
 */
export function chunk<T>(
  items: readonly T[],
  size: number = MAX_BATCH_SIZE,
  maxBytes: number = Number.POSITIVE_INFINITY,
  sizeOf: (item: T) => number = jsonBytes
): T[][] {
  if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH_SIZE) {
    throw new RangeError(`chunk size must be an integer from 1 to ${MAX_BATCH_SIZE} (got ${size})`);
  }
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const item of items) {
    const itemBytes = sizeOf(item);
    // + 1: the comma before every record but the first.
    if (current.length > 0 && (current.length >= size || bytes + 1 + itemBytes > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = ENVELOPE_BYTES;
    }
    bytes += itemBytes + (current.length > 0 ? 1 : 0);
    current.push(item);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
