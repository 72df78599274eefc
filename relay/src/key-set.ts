/**
 * Names ctr-parse.ts picks from a scanned JSON object, prepared once per set (a relay reads with the same few sets
 * all the time).
 */

/**
 * Names to pick from a scanned object, ready to be compared with the scanned bytes: a key is compared only with the
 * names of its length in UTF-8 bytes, by the scanner's match (its table) or, when that cannot (an escaped key, a
 * table too large for the key area), by ctr-parse.ts byte by byte (no string made, no native call).
 */
export interface KeySet {
  readonly names: readonly string[];
  readonly bytes: readonly Buffer[];
  readonly byLength: readonly (readonly number[] | undefined)[];
  readonly index: ReadonlyMap<string, number>;
  /** The names as a table for the scanner's match (see keyTable). */
  readonly table: Buffer;
  /** Where the table is in the scanner's memory, valid while `round` is the current placement round. */
  readonly placed: { at: number; round: number };
  /** Where each name's value is in the scanned text (last of duplicates), -1 when absent; reused per read. */
  readonly valueStart: Int32Array;
  readonly valueEnd: Int32Array;
  readonly valueEscaped: Uint8Array;
}

/** The key set of `names` (a name given twice counts once). */
export function keySet(names: readonly string[]): KeySet {
  const unique = [...new Set(names)];
  const bytes = unique.map((name) => Buffer.from(name, 'utf8'));
  const byLength: number[][] = [];
  bytes.forEach((b, index) => {
    (byLength[b.length] ??= []).push(index);
  });
  return {
    names: unique,
    bytes,
    byLength,
    index: new Map(unique.map((name, index) => [name, index])),
    table: keyTable(bytes),
    placed: { at: -1, round: -1 },
    valueStart: new Int32Array(unique.length),
    valueEnd: new Int32Array(unique.length),
    valueEscaped: new Uint8Array(unique.length)
  };
}

/**
 * A key table, as the scanner's match reads it (see ctr-scan.wat): the longest name's length L; for each length from
 * 0 to L, the first entry and the number of entries of names that long; the entries (where the name's bytes are,
 * from the table's start, and the name's index), by length; then the names' bytes.
 */
function keyTable(bytes: readonly Buffer[]): Buffer {
  const longest = bytes.reduce((max, name) => Math.max(max, name.length), 0);
  const order = bytes
    .map((_, index) => index)
    .sort((a, b) => (bytes[a] as Buffer).length - (bytes[b] as Buffer).length);
  const entriesAt = 4 + (longest + 1) * 8;
  const bytesAt = entriesAt + order.length * 8;
  const table = Buffer.alloc(bytesAt + bytes.reduce((sum, name) => sum + name.length, 0));
  table.writeInt32LE(longest, 0);
  let at = bytesAt;
  order.forEach((index, entry) => {
    const name = bytes[index] as Buffer;
    const bucket = 4 + name.length * 8;
    if (table.readInt32LE(bucket + 4) === 0) table.writeInt32LE(entry, bucket);
    table.writeInt32LE(table.readInt32LE(bucket + 4) + 1, bucket + 4);
    table.writeInt32LE(at, entriesAt + entry * 8);
    table.writeInt32LE(index, entriesAt + entry * 8 + 4);
    name.copy(table, at);
    at += name.length;
  });
  return table;
}
