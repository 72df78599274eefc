// Its own file, so that the first decode of the module grows the shared 16 KB decode buffer (decode.ts).
import type { KinesisStreamRecord } from 'aws-lambda';
import { decodeKinesisRecord } from '../src/decode';

const INITIAL_BUFFER = 16 * 1024;

/** A CTR of exactly `bytes` bytes of JSON. */
function ctrOfSize(bytes: number, contactId: string): string {
  const empty = JSON.stringify({ ContactId: contactId, Attributes: { note: '' } });
  return JSON.stringify({ ContactId: contactId, Attributes: { note: 'x'.repeat(bytes - empty.length) } });
}

const record = (text: string): KinesisStreamRecord =>
  ({ kinesis: { data: Buffer.from(text).toString('base64'), sequenceNumber: '1' } }) as KinesisStreamRecord;

test('CTRs just over the decode buffer, and twice its size, decode whole (the buffer grows, never cuts)', () => {
  for (const bytes of [INITIAL_BUFFER - 4, INITIAL_BUFFER + 1, INITIAL_BUFFER + 2, 2 * INITIAL_BUFFER + 5]) {
    const text = ctrOfSize(bytes, `c-${bytes}`);
    expect(Buffer.byteLength(text)).toBe(bytes);
    const decoded = decodeKinesisRecord(record(text));
    expect(decoded).toMatchObject({ ok: true, ctr: { ContactId: `c-${bytes}` } });
    expect(decoded.ok && (decoded.ctr.Attributes as { note: string }).note.length).toBe(
      bytes - JSON.stringify({ ContactId: `c-${bytes}`, Attributes: { note: '' } }).length
    );
  }
});
