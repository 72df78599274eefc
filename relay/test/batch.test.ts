/**
 * Batch shaping: one record per contact (the newest copy), then requests of at most 200 records.
 */
import fc from 'fast-check';
import { chunk, dedupeNewest, MAX_BATCH_SIZE, MAX_REQUEST_BYTES } from '../src/batch';
import { lastUpdatedOf } from '../src/record';
import { loadReference } from './support/ctr-fixtures';

interface Item {
  id: string;
  at: string | null;
  n: number;
}

const item = (n: number, id: string, at: string | null): Item => ({ id, at, n });
const dedupe = (items: Item[]) =>
  dedupeNewest(
    items,
    (i) => i.id,
    (i) => i.at
  );

describe('dedupeNewest', () => {
  test('keeps the newest copy of each contact and says which copies it replaced', () => {
    const a1 = item(1, 'A', '2024-05-14T09:17:30Z');
    const b1 = item(2, 'B', '2024-05-14T10:00:00Z');
    const a2 = item(3, 'A', '2024-05-14T09:25:02Z');
    const a0 = item(4, 'A', '2024-05-14T09:10:00Z');
    expect(dedupe([a1, b1, a2, a0])).toEqual({
      kept: [a2, b1],
      superseded: [
        { item: a1, winner: a2 },
        { item: a0, winner: a2 }
      ]
    });
  });

  test('equal timestamps: the first copy in stream order wins, as the endpoint keeps the first one it stored', () => {
    const first = item(1, 'A', '2024-05-14T09:17:30Z');
    const second = item(2, 'A', '2024-05-14T09:17:30Z');
    expect(dedupe([first, second])).toEqual({
      kept: [first],
      superseded: [{ item: second, winner: first }]
    });
  });

  test('a tie resolves the same way in one batch as across two batches (first arrival, then "unchanged")', () => {
    // Across batches the endpoint answers "unchanged" to an equal timestamp: the stored (first) copy stays.
    const copies = [item(1, 'A', '2024-05-14T09:17:30Z'), item(2, 'A', '2024-05-14T09:17:30Z')];
    const stored = dedupe([copies[0] as Item]).kept[0];
    expect(dedupe(copies).kept).toEqual([stored]);
  });

  test('ContactIds are compared case-insensitively, as the upsert key is', () => {
    const lower = item(1, 'abc-def', '2024-05-14T09:17:30Z');
    const upper = item(2, 'ABC-DEF', '2024-05-14T09:20:00Z');
    expect(dedupe([lower, upper])).toEqual({
      kept: [upper],
      superseded: [{ item: lower, winner: upper }]
    });
  });

  test('contacts Apex keeps apart stay apart: its key is the lower-cased id, so "STRASSE" is not "straße"', () => {
    const at = '2024-05-14T09:17:30Z';
    const later = '2024-05-14T09:20:00Z';
    const { kept } = dedupe([item(1, 'STRASSE', at), item(2, 'straße', later), item(3, 'Strasse', later)]);
    expect(kept.map((i) => i.n)).toEqual([3, 2]);
  });

  test('an impossible date counts as no timestamp: the valid older copy wins', () => {
    const valid = item(1, 'A', '2025-04-30T10:00:00Z');
    const impossible = item(2, 'A', '2025-04-31T10:00:00Z');
    expect(dedupe([valid, impossible]).kept).toEqual([valid]);
  });

  test('timestamps are compared as instants, not as text', () => {
    const utc = item(1, 'A', '2024-05-14T09:17:30Z');
    const offset = item(2, 'A', '2024-05-14T10:17:29+01:00');
    expect(dedupe([utc, offset]).kept).toEqual([utc]);
  });

  test('a copy without a usable timestamp loses to any copy with one', () => {
    const dated = item(1, 'A', '2024-05-14T09:17:30Z');
    const undated = item(2, 'A', null);
    const garbage = item(3, 'A', 'soon');
    expect(dedupe([dated, undated, garbage]).kept).toEqual([dated]);
    expect(dedupe([undated, garbage]).kept).toEqual([undated]);
  });

  test('order: contacts appear in the order they were first seen', () => {
    const items = [item(1, 'C', null), item(2, 'A', null), item(3, 'C', null), item(4, 'B', null)];
    expect(dedupe(items).kept.map((i) => i.n)).toEqual([1, 2, 4]);
  });

  test('the reference re-emission: ctr-02b replaces ctr-02', () => {
    const first = loadReference('ctr-02-abandoned-in-queue');
    const again = loadReference('ctr-02b-abandoned-in-queue-reemitted');
    const result = dedupeNewest([first, again], (c) => c.ContactId, lastUpdatedOf);
    expect(result.kept).toEqual([again]);
    expect(result.superseded).toEqual([{ item: first, winner: again }]);
  });

  test('empty in, empty out', () => {
    expect(dedupe([])).toEqual({ kept: [], superseded: [] });
  });

  test('property: every item is either kept or superseded by a kept item of the same contact that is not older', () => {
    const arbItem = fc.record({
      id: fc.constantFrom('A', 'B', 'C', 'D'),
      at: fc.option(
        fc.integer({ min: 0, max: 20 }).map((s) => `2024-05-14T09:00:${String(s).padStart(2, '0')}Z`)
      ),
      n: fc.nat()
    });
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 40 }), (items) => {
        const { kept, superseded } = dedupe(items);
        expect(kept.length + superseded.length).toBe(items.length);
        expect(new Set(kept.map((i) => i.id)).size).toBe(kept.length);
        for (const { item: lost, winner } of superseded) {
          expect(kept).toContain(winner);
          expect(winner.id).toBe(lost.id);
          expect(Date.parse(winner.at ?? '') || -1).toBeGreaterThanOrEqual(Date.parse(lost.at ?? '') || -1);
        }
      })
    );
  });
});

describe('chunk', () => {
  test('splits into requests of at most 200 records, in order', () => {
    const items = Array.from({ length: 401 }, (_, i) => i);
    const chunks = chunk(items, 200);
    expect(chunks.map((c) => c.length)).toEqual([200, 200, 1]);
    expect(chunks.flat()).toEqual(items);
  });

  test('the default size is the contract maximum, 200', () => {
    expect(MAX_BATCH_SIZE).toBe(200);
    expect(chunk(Array.from({ length: 201 }, (_, i) => i)).map((c) => c.length)).toEqual([200, 1]);
  });

  test('no items → no requests (the contract rejects an empty batch)', () => {
    expect(chunk([], 10)).toEqual([]);
  });

  test.each([0, 201, 1.5, -1, Number.NaN])('size %p is refused', (size) => {
    expect(() => chunk([1], size)).toThrow(RangeError);
    expect(() => chunk([1], size)).toThrow(`chunk size must be an integer from 1 to 200 (got ${size})`);
  });

  test('property: concatenating the chunks gives the input back', () => {
    fc.assert(
      fc.property(fc.array(fc.nat()), fc.integer({ min: 1, max: 200 }), (items, size) => {
        const chunks = chunk(items, size);
        expect(chunks.flat()).toEqual(items);
        expect(chunks.every((c) => c.length >= 1 && c.length <= size)).toBe(true);
      })
    );
  });
});

describe('chunk by request size (Apex parses a body within a 6 MB heap)', () => {
  const body = (records: unknown[]): number => Buffer.byteLength(JSON.stringify({ records }), 'utf8');

  test('200 records with 50 allow-listed attributes of 1,024 characters go in bodies of at most 1 MB', () => {
    const attributes = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`attr${i}`, 'é'.repeat(1024)])
    );
    const records = Array.from({ length: 200 }, (_, i) => ({ contactId: `c-${i}`, attributes }));
    expect(body(records)).toBeGreaterThan(10_000_000);
    const chunks = chunk(records, MAX_BATCH_SIZE, MAX_REQUEST_BYTES);
    expect(chunks.flat()).toEqual(records);
    for (const part of chunks) expect(body(part)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    // As full as the limit allows: adding the next record to any chunk would cross it.
    chunks.slice(0, -1).forEach((part, i) => {
      const next = chunks[i + 1]?.[0];
      expect(body([...part, next])).toBeGreaterThan(MAX_REQUEST_BYTES);
    });
  });

  test('ordinary records still travel 200 to a request', () => {
    const records = Array.from({ length: 401 }, (_, i) => ({ contactId: `c-${i}`, queueName: 'BasicQueue' }));
    expect(chunk(records, MAX_BATCH_SIZE, MAX_REQUEST_BYTES).map((c) => c.length)).toEqual([200, 200, 1]);
  });

  test('the byte limit counts the envelope and the commas exactly', () => {
    const records = ['a', 'b', 'c'].map((contactId) => ({ contactId }));
    const limit = body(records.slice(0, 2));
    expect(chunk(records, MAX_BATCH_SIZE, limit).map((c) => c.length)).toEqual([2, 1]);
    expect(chunk(records, MAX_BATCH_SIZE, limit - 1).map((c) => c.length)).toEqual([1, 1, 1]);
  });

  test('every comma counts, also past the second record: a body one byte over the limit is split', () => {
    const records = ['a', 'b', 'c', 'd'].map((contactId) => ({ contactId }));
    const limit = body(records.slice(0, 3));
    expect(chunk(records, MAX_BATCH_SIZE, limit).map((c) => c.length)).toEqual([3, 1]);
    expect(chunk(records, MAX_BATCH_SIZE, limit - 1).map((c) => c.length)).toEqual([2, 2]);
  });

  test('a record larger than the limit travels alone rather than being dropped', () => {
    const big = { contactId: 'big', note: 'x'.repeat(100) };
    const chunks = chunk([{ contactId: 'a' }, big, { contactId: 'b' }], MAX_BATCH_SIZE, 50);
    expect(chunks).toEqual([[{ contactId: 'a' }], [big], [{ contactId: 'b' }]]);
  });

  test('property: chunks keep order, respect both limits and lose nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ contactId: fc.string(), note: fc.string({ maxLength: 300 }) }), {
          maxLength: 60
        }),
        fc.integer({ min: 1, max: MAX_BATCH_SIZE }),
        fc.integer({ min: 50, max: 5000 }),
        (records, size, maxBytes) => {
          const chunks = chunk(records, size, maxBytes);
          expect(chunks.flat()).toEqual(records);
          for (const part of chunks) {
            expect(part.length).toBeGreaterThan(0);
            expect(part.length).toBeLessThanOrEqual(size);
            if (part.length > 1) expect(body(part)).toBeLessThanOrEqual(maxBytes);
          }
        }
      )
    );
  });
});
