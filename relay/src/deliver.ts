/**
 * Deliver step: sends unique records to Salesforce in chunks of at most 200 records and MAX_REQUEST_BYTES of
 * body, and turns every answer into a per-record verdict (delivered / retry later / park). Chunks go one after
 * another: that bounds the load on the org (fewer row-lock collisions) and lets a failing org stop the batch early.
 */
import { chunk, MAX_REQUEST_BYTES } from './batch';
import type { ChunkResult } from './salesforce/client';
import { MAX_RECORDS_PER_REQUEST } from './salesforce/client';
import type { DisconnectOutcome, DisconnectRecord } from './types';

export type Verdict =
  | { status: 'delivered'; outcome: Exclude<DisconnectOutcome, 'rejected'>; caseId?: string }
  /** Lambda should retry the record (network/429/5xx exhausted, auth failure, retryable rejection…). */
  | { status: 'retry'; code: string; reason: string; rejected: boolean }
  /** Retrying cannot help: park the record (dead-letter queue / logs). */
  | { status: 'park'; code: string; reason: string; rejected: boolean };

export interface DisconnectSender {
  postDisconnects(records: DisconnectRecord[], deadlineMs: number): Promise<ChunkResult>;
}

export interface DeliveryReport {
  /** One verdict per input record, same order. */
  verdicts: Verdict[];
  requests: number;
  /** HTTP attempts beyond the first, summed over chunks. */
  retries: number;
}

/** Failures after which later chunks would fail the same way: do not send them, let Lambda retry. */
const STOP_CODES = new Set(['AUTH_FAILED', 'DEADLINE']);

export async function deliverRecords(
  records: readonly DisconnectRecord[],
  sender: DisconnectSender,
  deadlineMs: number,
  chunkSize: number = MAX_RECORDS_PER_REQUEST
): Promise<DeliveryReport> {
  const verdicts: Verdict[] = [];
  let requests = 0;
  let retries = 0;
  let stop: Verdict | undefined;
  for (const part of chunk([...records], chunkSize, MAX_REQUEST_BYTES)) {
    if (stop) {
      for (let i = 0; i < part.length; i += 1) verdicts.push(stop);
      continue;
    }
    const result = await sender.postDisconnects(part, deadlineMs);
    requests += result.attempts;
    retries += Math.max(0, result.attempts - 1);
    if (result.kind === 'delivered') {
      for (const r of result.results) {
        if (r.outcome === 'rejected') {
          const error = r.error ?? { code: 'REJECTED', message: 'rejected', retryable: false };
          verdicts.push(
            error.retryable
              ? { status: 'retry', code: error.code, reason: error.message, rejected: true }
              : { status: 'park', code: error.code, reason: error.message, rejected: true }
          );
        } else {
          verdicts.push({
            status: 'delivered',
            outcome: r.outcome,
            ...(r.caseId ? { caseId: r.caseId } : {})
          });
        }
      }
    } else if (result.kind === 'rejected') {
      const verdict: Verdict = {
        status: 'park',
        code: result.code,
        reason: `request rejected (${result.status}): ${result.message}`,
        rejected: true
      };
      for (let i = 0; i < part.length; i += 1) verdicts.push(verdict);
    } else {
      const verdict: Verdict = {
        status: 'retry',
        code: result.code,
        reason: result.message,
        rejected: false
      };
      for (let i = 0; i < part.length; i += 1) verdicts.push(verdict);
      if (STOP_CODES.has(result.code)) stop = verdict;
    }
  }
  return { verdicts, requests, retries };
}
