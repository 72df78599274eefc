/**
 * One poller per shard, as Lambda runs them: GetShardIterator (after the checkpoint, else the starting position),
 * GetRecords up to the batch size, batch by size or batching window, hand each batch to the batch runner and wait
 * for it before reading on (per-shard order). Ends when a closed shard (after resharding) is fully processed.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  type ShardIteratorType
} from '@aws-sdk/client-kinesis';
import type { Pending } from './kinesis-event';

export interface ShardPollerContext {
  client: KinesisClient;
  streamName: string;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  batchSize: number;
  maximumBatchingWindowMs: number;
  pollIntervalMs: number;
  signal: AbortSignal;
  checkpointOf: (shardId: string) => string | undefined;
  runBatch: (shardId: string, items: Pending[]) => Promise<void>;
  /** Records fetched (not yet checkpointed) and the shard's MillisBehindLatest. */
  fetched: (shardId: string, items: Pending[], millisBehindLatest: number) => void;
  error: (shardId: string, message: string) => void;
  sleep: (ms: number) => Promise<void>;
}

export async function pollShard(ctx: ShardPollerContext, shardId: string): Promise<void> {
  const { client, streamName, signal } = ctx;
  const iteratorAt = async (after: string | undefined): Promise<string | undefined> => {
    const type: ShardIteratorType = after ? 'AFTER_SEQUENCE_NUMBER' : ctx.startingPosition;
    const r = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(after ? { StartingSequenceNumber: after } : {})
      }),
      { abortSignal: signal }
    );
    return r.ShardIterator;
  };

  let iterator = await iteratorAt(ctx.checkpointOf(shardId));
  const pending: Pending[] = [];
  let windowStart = 0;
  let lastFetchedSeq = ctx.checkpointOf(shardId);
  while (!signal.aborted) {
    if (!iterator && pending.length === 0) return; // closed after resharding and fully processed
    let fetched = 0;
    if (iterator && pending.length < ctx.batchSize) {
      try {
        const r = await client.send(
          new GetRecordsCommand({
            ShardIterator: iterator,
            Limit: Math.max(1, ctx.batchSize - pending.length)
          }),
          { abortSignal: signal }
        );
        const items = (r.Records ?? []).map((record) => ({ record, shardId }));
        pending.push(...items);
        fetched = items.length;
        if (fetched > 0) lastFetchedSeq = items[fetched - 1]?.record.SequenceNumber;
        iterator = r.NextShardIterator;
        ctx.fetched(shardId, items, r.MillisBehindLatest ?? 0);
      } catch (e) {
        if (signal.aborted) return;
        if ((e as Error).name === 'ExpiredIteratorException') {
          iterator = await iteratorAt(lastFetchedSeq);
          continue;
        }
        ctx.error(shardId, `GetRecords: ${(e as Error).message}`);
        await ctx.sleep(ctx.pollIntervalMs);
        continue;
      }
    }
    if (pending.length > 0 && windowStart === 0) windowStart = Date.now();
    const windowOver = Date.now() - windowStart >= ctx.maximumBatchingWindowMs;
    if (pending.length >= ctx.batchSize || (pending.length > 0 && (windowOver || !iterator))) {
      const batch = pending.splice(0, ctx.batchSize);
      windowStart = pending.length > 0 ? Date.now() : 0;
      await ctx.runBatch(shardId, batch);
      continue;
    }
    if (fetched === 0 || pending.length > 0) {
      const waitLeft =
        pending.length > 0
          ? Math.max(1, ctx.maximumBatchingWindowMs - (Date.now() - windowStart))
          : Number.POSITIVE_INFINITY;
      await ctx.sleep(Math.min(ctx.pollIntervalMs, waitLeft));
    }
  }
}
