/**
 * The fate of each forwarded record from the delivery's verdicts, pure: delivered (counted by outcome), retry
 * (Lambda retries it: batchItemFailures) or park. A copy superseded by a newer one in the batch shares the fate of
 * the copy that was sent.
 */
import type { DedupeResult } from './batch';
import type { Verdict } from './deliver';
import type { Forwarded, ParkCause } from './triage';

export interface Fates {
  /** Batch index → sequence number of every record Lambda must retry. */
  toRetry: Map<number, string>;
  toPark: ParkCause[];
  /** LastUpdated of the records that created or changed a Case (the delivery latency metric). */
  newlyDelivered: string[];
  /** created, updated, unchanged, stale, autoClosed, nothingToResolve, rejected. */
  counts: { rejected: number } & Record<string, number>;
  /** "CODE: reason" → its code and how many records failed so (one log line each). */
  retryReasons: Map<string, { code: string; count: number }>;
  /** The first failure that needs a person or a changed configuration rather than another attempt. */
  systemic?: { code: string; reason: string };
}

/** Count names of the resolve outcomes (the others count under their own name). */
const OUTCOME_COUNT: Partial<Record<string, string>> = {
  resolved: 'autoClosed',
  'nothing-to-resolve': 'nothingToResolve'
};

/** Failure codes that need a person or a changed configuration rather than another attempt right away. */
export function isSystemicFailure(code: string): boolean {
  return code === 'AUTH_FAILED' || (/^HTTP_4\d\d$/.test(code) && code !== 'HTTP_408' && code !== 'HTTP_429');
}

/** `verdicts` are the delivery's, one per kept record, in order. */
export function fatesOf(
  forwarded: readonly Forwarded[],
  { kept, superseded }: DedupeResult<Forwarded>,
  verdicts: readonly Verdict[]
): Fates {
  const counts: Fates['counts'] = { rejected: 0 };
  const verdictOf = new Map<Forwarded, Verdict>();
  // Stryker disable next-line ArrayDeclaration: a non-date entry is dropped by deliveryLatencies (not a number)
  const newlyDelivered: string[] = [];
  kept.forEach((f, i) => {
    const verdict = verdicts[i] as Verdict;
    verdictOf.set(f, verdict);
    if (verdict.status === 'delivered') {
      if (verdict.outcome === 'created' || verdict.outcome === 'updated')
        newlyDelivered.push(f.record.lastUpdated);
      const key = OUTCOME_COUNT[verdict.outcome] ?? verdict.outcome;
      counts[key] = (counts[key] ?? 0) + 1;
    } else if (verdict.rejected) counts.rejected += 1;
  });
  for (const { item, winner } of superseded) verdictOf.set(item, verdictOf.get(winner) as Verdict);

  const fates: Fates = { toRetry: new Map(), toPark: [], newlyDelivered, counts, retryReasons: new Map() };
  for (const f of forwarded) {
    const verdict = verdictOf.get(f) as Verdict;
    if (verdict.status === 'retry') {
      fates.toRetry.set(f.index, f.sequenceNumber);
      if (isSystemicFailure(verdict.code)) fates.systemic ??= { code: verdict.code, reason: verdict.reason };
      const key = `${verdict.code}: ${verdict.reason}`;
      const seen = fates.retryReasons.get(key) ?? { code: verdict.code, count: 0 };
      seen.count += 1;
      fates.retryReasons.set(key, seen);
    } else if (verdict.status === 'park') {
      const { index, sequenceNumber } = f;
      fates.toPark.push({
        index,
        sequenceNumber,
        contactId: f.record.contactId,
        code: verdict.code,
        reason: verdict.reason
      });
    }
  }
  return fates;
}
