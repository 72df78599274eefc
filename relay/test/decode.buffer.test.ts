// Its own file, so that the first decode of the module starts from the scanner's first memory (one 64 KB page), where
// every text is decoded (ctr-parse.ts), and each larger CTR makes it grow.
import type { KinesisStreamRecord } from 'aws-lambda';
import { decodeKinesisRecord } from '../src/decode';

const PAGE = 64 * 1024;

/** A CTR of exactly `bytes` bytes of JSON. */
function ctrOfSize(bytes: number, contactId: string): string {
  const empty = JSON.stringify({ ContactId: contactId, Attributes: { note: '' } });
  return JSON.stringify({ ContactId: contactId, Attributes: { note: 'x'.repeat(bytes - empty.length) } });
}

const record = (text: string): KinesisStreamRecord =>
  ({ kinesis: { data: Buffer.from(text).toString('base64'), sequenceNumber: '1' } }) as KinesisStreamRecord;

test('CTRs of growing size, each needing more memory than the last, then a small one, decode whole (never cut)', () => {
  for (const bytes of [PAGE - 4, PAGE + 1, 3 * PAGE + 2, 16 * PAGE + 5, 200]) {
    const text = ctrOfSize(bytes, `c-${bytes}`);
    expect(Buffer.byteLength(text)).toBe(bytes);
    const decoded = decodeKinesisRecord(record(text));
    expect(decoded).toMatchObject({ ok: true, ctr: { ContactId: `c-${bytes}` } });
    expect(decoded.ok && (decoded.ctr.Attributes as { note: string }).note.length).toBe(
      bytes - JSON.stringify({ ContactId: `c-${bytes}`, Attributes: { note: '' } }).length
    );
  }
});
