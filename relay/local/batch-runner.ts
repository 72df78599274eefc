/**
 * Runs one fetched batch to completion the way Lambda's event source mapping does: invoke the function; on
 * batchItemFailures checkpoint what came before the lowest failed sequence number and retry the rest; on a thrown
 * error bisect (if enabled) or retry; discard to the on-failure destination after maximumRetryAttempts or
 * maximumRecordAgeMs.
 */
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { Pending } from './kinesis-event';
import type { DiscardCondition } from './on-failure';

export interface RetryRules {
  bisectBatchOnFunctionError: boolean;
  /** -1 = retry until the records expire. */
  maximumRetryAttempts: number;
  /** -1 = no limit. */
  maximumRecordAgeMs: number;
  reportBatchItemFailures: boolean;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
}

export interface BatchRunnerContext {
  rules: RetryRules;
  handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void | undefined>;
  toEvent: (items: Pending[]) => KinesisStreamEvent;
  /** Records before a failure (or a whole batch) are done: checkpoint them. */
  checkpoint: (shardId: string, items: Pending[]) => void;
  discard: (
    shardId: string,
    items: Pending[],
    condition: DiscardCondition,
    invokeCount: number,
    functionError: string | undefined
  ) => Promise<void>;
  sleep: (ms: number) => Promise<void>;
  aborted: () => boolean;
  on: {
    invoke(shardId: string, size: number): void;
    partialFailure(): void;
    functionError(shardId: string, message: string): void;
    bisect(shardId: string, size: number): void;
    retry(shardId: string, size: number, attempt: number, reason: string): void;
  };
}

interface Batch {
  items: Pending[];
  attempts: number; // failed invocations counted against maximumRetryAttempts
}

/** Index of the first record to retry (-1: none), and whether an identifier was unknown. */
function firstFailure(items: Pending[], response: KinesisStreamBatchResponse | void | undefined) {
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return { from: -1, invalidId: false };
  const indexes = failures.map((f) => items.findIndex((i) => i.record.SequenceNumber === f.itemIdentifier));
  // Lambda treats an unknown or empty identifier as a failure of the whole batch.
  const invalidId = indexes.some((i) => i < 0);
  return { from: invalidId ? 0 : Math.min(...indexes), invalidId };
}

export function createBatchRunner(
  ctx: BatchRunnerContext
): (shardId: string, items: Pending[]) => Promise<void> {
  const { rules } = ctx;
  const backoff = (attempt: number): number =>
    Math.min(rules.retryBackoffMaxMs, rules.retryBackoffMs * 2 ** Math.max(0, attempt - 1));

  const tooOld = (batch: Batch): boolean => {
    if (rules.maximumRecordAgeMs < 0) return false;
    const oldest = batch.items[0]?.record.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
    return Date.now() - oldest > rules.maximumRecordAgeMs;
  };

  /** Invokes the function once: the index to retry from (-1 = done), or 'bisected'. */
  const invoke = async (
    shardId: string,
    batch: Batch,
    queue: Batch[]
  ): Promise<{ from: number; functionError?: string } | 'bisected'> => {
    ctx.on.invoke(shardId, batch.items.length);
    try {
      const response = await ctx.handler(ctx.toEvent(batch.items));
      if (!rules.reportBatchItemFailures) return { from: -1 };
      const { from, invalidId } = firstFailure(batch.items, response);
      if (from >= 0) ctx.on.partialFailure();
      return invalidId ? { from, functionError: 'InvalidItemIdentifier' } : { from };
    } catch (e) {
      ctx.on.functionError(shardId, (e as Error).message);
      if (rules.bisectBatchOnFunctionError && batch.items.length > 1) {
        // Splitting does not count against the retry quota (as in Lambda).
        const half = Math.ceil(batch.items.length / 2);
        ctx.on.bisect(shardId, batch.items.length);
        queue.unshift(
          { items: batch.items.slice(0, half), attempts: batch.attempts },
          { items: batch.items.slice(half), attempts: batch.attempts }
        );
        return 'bisected';
      }
      return { from: 0, functionError: 'Unhandled' };
    }
  };

  return async (shardId, items) => {
    const queue: Batch[] = [{ items, attempts: 0 }];
    while (queue.length > 0 && !ctx.aborted()) {
      const batch = queue.shift() as Batch;
      if (tooOld(batch)) {
        await ctx.discard(shardId, batch.items, 'RecordAgeExceeded', batch.attempts, undefined);
        ctx.checkpoint(shardId, batch.items);
        continue;
      }
      const result = await invoke(shardId, batch, queue);
      if (result === 'bisected') continue;
      if (result.from < 0) {
        ctx.checkpoint(shardId, batch.items);
        continue;
      }
      ctx.checkpoint(shardId, batch.items.slice(0, result.from));
      const rest: Batch = { items: batch.items.slice(result.from), attempts: batch.attempts + 1 };
      if (rules.maximumRetryAttempts >= 0 && rest.attempts > rules.maximumRetryAttempts) {
        await ctx.discard(shardId, rest.items, 'RetryAttemptsExhausted', rest.attempts, result.functionError);
        ctx.checkpoint(shardId, rest.items);
        continue;
      }
      ctx.on.retry(shardId, rest.items.length, rest.attempts, result.functionError ?? 'batchItemFailures');
      await ctx.sleep(backoff(rest.attempts));
      queue.unshift(rest);
    }
  };
}
