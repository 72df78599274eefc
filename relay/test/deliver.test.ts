/**
 * The deliver step on its own: every input record gets exactly one verdict, in input order, whatever mix of
 * answers the chunks get. The sender is the step's own seam (the HTTP client is tested against a real local
 * server in client.test.ts); here each chunk's answer is scripted so the record-to-verdict mapping is exact.
 */
import { deliverRecords, type DisconnectSender } from '../src/deliver';
import type { ChunkResult } from '../src/salesforce/client';
import type { DisconnectRecord } from '../src/types';
import { disconnectRecord } from './support/kit';

/** A sender that answers chunk N with answers[N] (built from the chunk it was given) and records the chunks. */
function scriptedSender(answers: Array<(chunk: DisconnectRecord[]) => ChunkResult>): DisconnectSender & {
  chunks: string[][];
} {
  const chunks: string[][] = [];
  return {
    chunks,
    postDisconnects(records) {
      chunks.push(records.map((r) => r.contactId));
      const answer = answers[chunks.length - 1];
      if (!answer) throw new Error(`unexpected chunk ${chunks.length}`);
      return Promise.resolve(answer(records));
    }
  };
}

const created = (chunk: DisconnectRecord[]): ChunkResult => ({
  kind: 'delivered',
  attempts: 1,
  results: chunk.map((r, i) => ({
    contactId: r.contactId,
    outcome: 'created',
    caseId: `500CASE${r.contactId}${i}`
  }))
});
const badRequest = (): ChunkResult => ({
  kind: 'rejected',
  status: 400,
  code: 'INVALID_REQUEST',
  message: 'records[1].lastUpdated is not a date',
  attempts: 1
});
const unavailable =
  (code = 'HTTP_503') =>
  (): ChunkResult => ({
    kind: 'failed',
    code,
    message: 'Service Unavailable',
    attempts: 3
  });

function records(prefix: string, count: number): DisconnectRecord[] {
  return Array.from({ length: count }, (_, i) => disconnectRecord(`${prefix}-${i}`));
}

/** "status[:code]" per record, e.g. "delivered", "park:INVALID_REQUEST", "retry:HTTP_503". */
function fates(verdicts: Awaited<ReturnType<typeof deliverRecords>>['verdicts']): string[] {
  return verdicts.map((v) => (v.status === 'delivered' ? `delivered:${v.outcome}` : `${v.status}:${v.code}`));
}

describe('deliverRecords', () => {
  it('maps a 400-rejected chunk between a delivered and a failed one to exactly its own records', async () => {
    const sender = scriptedSender([created, badRequest, unavailable()]);

    const report = await deliverRecords(records('mix', 5), sender, Date.now() + 60_000, 2);

    expect(sender.chunks).toEqual([['mix-0', 'mix-1'], ['mix-2', 'mix-3'], ['mix-4']]);
    expect(fates(report.verdicts)).toEqual([
      'delivered:created',
      'delivered:created',
      'park:INVALID_REQUEST',
      'park:INVALID_REQUEST',
      'retry:HTTP_503'
    ]);
    expect(report.verdicts[2]).toMatchObject({ rejected: true, reason: expect.stringContaining('(400)') });
    expect(report.verdicts[4]).toMatchObject({ rejected: false, reason: 'Service Unavailable' });
    expect(report.requests).toBe(5);
    expect(report.retries).toBe(2);
  });

  it('keeps the case id of each delivered record and omits it when Salesforce sent none', async () => {
    const sender = scriptedSender([
      (chunk) => ({
        kind: 'delivered',
        attempts: 1,
        results: [
          { contactId: chunk[0]!.contactId, outcome: 'updated', caseId: '500A' },
          { contactId: chunk[1]!.contactId, outcome: 'unchanged' }
        ]
      })
    ]);

    const report = await deliverRecords(records('ids', 2), sender, Date.now() + 60_000);

    expect(report.verdicts).toEqual([
      { status: 'delivered', outcome: 'updated', caseId: '500A' },
      { status: 'delivered', outcome: 'unchanged' }
    ]);
  });

  it('retries retryable per-record rejections, parks the others, and parks a rejection without an error', async () => {
    const sender = scriptedSender([
      (chunk) => ({
        kind: 'delivered',
        attempts: 1,
        results: [
          {
            contactId: chunk[0]!.contactId,
            outcome: 'rejected',
            error: { code: 'DML_FAILED', message: 'UNABLE_TO_LOCK_ROW', retryable: true }
          },
          {
            contactId: chunk[1]!.contactId,
            outcome: 'rejected',
            error: { code: 'INVALID_FIELD', message: 'customerPhone', retryable: false }
          },
          { contactId: chunk[2]!.contactId, outcome: 'rejected' }
        ]
      })
    ]);

    const report = await deliverRecords(records('rej', 3), sender, Date.now() + 60_000);

    expect(report.verdicts).toEqual([
      { status: 'retry', code: 'DML_FAILED', reason: 'UNABLE_TO_LOCK_ROW', rejected: true },
      { status: 'park', code: 'INVALID_FIELD', reason: 'customerPhone', rejected: true },
      { status: 'park', code: 'REJECTED', reason: 'rejected', rejected: true }
    ]);
  });

  it.each(['AUTH_FAILED', 'DEADLINE'])(
    'stops sending after a %s failure and gives every later record the same retry verdict',
    async (code) => {
      const sender = scriptedSender([created, unavailable(code)]);

      const report = await deliverRecords(records(`stop-${code}`, 5), sender, Date.now() + 60_000, 2);

      expect(sender.chunks).toHaveLength(2);
      expect(fates(report.verdicts)).toEqual([
        'delivered:created',
        'delivered:created',
        `retry:${code}`,
        `retry:${code}`,
        `retry:${code}`
      ]);
      expect(report.requests).toBe(4);
    }
  );

  it('goes on with later chunks after a failure that is not systemic', async () => {
    const sender = scriptedSender([unavailable(), created]);

    const report = await deliverRecords(records('goon', 3), sender, Date.now() + 60_000, 2);

    expect(sender.chunks).toHaveLength(2);
    expect(fates(report.verdicts)).toEqual(['retry:HTTP_503', 'retry:HTTP_503', 'delivered:created']);
  });

  it('sends nothing for no records', async () => {
    const sender = scriptedSender([]);

    const report = await deliverRecords([], sender, Date.now() + 60_000);

    expect(report).toEqual({ verdicts: [], requests: 0, retries: 0 });
  });
});
