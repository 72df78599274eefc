/**
 * A Kinesis consumer that behaves like Lambda's Kinesis event source mapping, so the relay runs the same way on a
 * laptop (against the embedded stream) or on a server (against a real stream) as it does in Lambda: one poller per
 * shard, batch size + batching window, the exact KinesisStreamEvent shape, checkpoints only after success,
 * ReportBatchItemFailures (resume from the lowest failed sequence number), bisect-on-error, bounded retries,
 * maximum record age and an on-failure destination (a JSON-lines file with Lambda's on-failure record).
 *
 * The parts: shard-poller.ts (reading), batch-runner.ts (Lambda's retry rules), checkpoints.ts (durable
 * checkpoints), on-failure.ts (discarded batches), kinesis-event.ts (the event). This file wires them together and
 * discovers shards.
 */
import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListShardsCommand,
  type Shard
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { createBatchRunner, type BatchRunnerContext } from './batch-runner';
import { openCheckpoints, type CheckpointStore } from './checkpoints';
import { toKinesisEvent, type Pending } from './kinesis-event';
import { appendOnFailure, onFailureRecord, type OnFailureRecord } from './on-failure';
import { pollShard, type ShardPollerContext } from './shard-poller';

export { toKinesisEvent } from './kinesis-event';
export type { OnFailureRecord } from './on-failure';
export { CheckpointMismatchError, defaultCheckpointFile } from './checkpoints';

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';

export interface EventSourceMappingOptions {
  client: KinesisClient;
  streamName: string;
  /** The function: receives a Kinesis event, may return batchItemFailures (ReportBatchItemFailures on). */
  handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void | undefined>;
  batchSize?: number; // Lambda: 1-10000, default 100
  maximumBatchingWindowMs?: number; // Lambda: 0-300 s, default 0
  startingPosition?: StartingPosition;
  bisectBatchOnFunctionError?: boolean;
  /** -1 = retry until the records expire (Lambda's default). */
  maximumRetryAttempts?: number;
  /** -1 = no limit (Lambda's default); otherwise records older than this are sent to the on-failure destination. */
  maximumRecordAgeMs?: number;
  reportBatchItemFailures?: boolean;
  /** JSON-lines file receiving Lambda-style on-failure records for discarded batches. */
  onFailureFile?: string;
  /** JSON file keeping per-shard checkpoints across restarts (memory only when unset). */
  checkpointFile?: string;
  /** Delay between polls of an idle shard (Lambda polls each shard about once a second). */
  pollIntervalMs?: number;
  /** First retry delay; doubles per attempt up to retryBackoffMaxMs. */
  retryBackoffMs?: number;
  retryBackoffMaxMs?: number;
  /** How often to look for new shards (resharding). */
  shardDiscoveryMs?: number;
  functionArn?: string;
  awsRegion?: string;
  onEvent?: (e: ConsumerEvent) => void;
  /** Aborts start-up (the stream description, the first shard listing) and, later, stops like stop(). */
  signal?: AbortSignal;
}

export type ConsumerEvent =
  | { type: 'batch'; shardId: string; size: number }
  | { type: 'checkpoint'; shardId: string; sequenceNumber: string; records: number }
  | { type: 'retry'; shardId: string; size: number; attempt: number; reason: string }
  | { type: 'bisect'; shardId: string; size: number }
  | { type: 'discarded'; shardId: string; size: number; condition: string }
  | { type: 'error'; shardId: string; message: string };

export interface ConsumerStats {
  /** Records checkpointed (processed, or discarded to the on-failure destination). */
  consumed: number;
  invocations: number;
  functionErrors: number;
  partialFailures: number;
  retries: number;
  bisections: number;
  discarded: number;
  /** Sum over shards of the records fetched but not yet checkpointed. */
  inFlight: number;
  /** Largest MillisBehindLatest reported by the shards' last GetRecords. */
  millisBehindLatest: number;
}

export interface EventSourceMapping {
  readonly stats: ConsumerStats;
  readonly streamArn: string;
  /** Current checkpoints (last processed sequence number per shard). */
  checkpoints(): Record<string, string>;
  /** How far behind the consumer is: age of the oldest record not yet checkpointed, or Kinesis' own figure. */
  lagMs(): number;
  stop(): Promise<void>;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

const DEFAULTS = {
  batchSize: 100,
  maximumBatchingWindowMs: 0,
  startingPosition: 'TRIM_HORIZON' as StartingPosition,
  bisectBatchOnFunctionError: false,
  maximumRetryAttempts: -1,
  maximumRecordAgeMs: -1,
  reportBatchItemFailures: true,
  pollIntervalMs: 1000,
  retryBackoffMs: 500,
  retryBackoffMaxMs: 30_000,
  shardDiscoveryMs: 30_000
};

function newStats(): ConsumerStats {
  return {
    consumed: 0,
    invocations: 0,
    functionErrors: 0,
    partialFailures: 0,
    retries: 0,
    bisections: 0,
    discarded: 0,
    inFlight: 0,
    millisBehindLatest: 0
  };
}

async function describeStream(o: EventSourceMappingOptions & typeof DEFAULTS) {
  const summary = await o.client.send(new DescribeStreamSummaryCommand({ StreamName: o.streamName }), {
    abortSignal: o.signal
  });
  const streamArn =
    summary.StreamDescriptionSummary?.StreamARN ??
    `arn:aws:kinesis:local:000000000000:stream/${o.streamName}`;
  const awsRegion = o.awsRegion ?? streamArn.split(':')[3] ?? 'us-east-1';
  const account = streamArn.split(':')[4] ?? '000000000000';
  return {
    streamArn,
    awsRegion,
    functionArn: o.functionArn ?? `arn:aws:lambda:${awsRegion}:${account}:function:ctr-relay-local`,
    identityArn: `arn:aws:iam::${account}:role/ctr-relay-local`
  };
}

/**
 * Records fetched but not yet checkpointed, per shard and oldest first, and each shard's MillisBehindLatest; keeps
 * the stats' gauges (inFlight, millisBehindLatest) up to date.
 */
class InFlight {
  private readonly unacked = new Map<string, Pending[]>();
  private readonly behindMs = new Map<string, number>();

  constructor(private readonly stats: ConsumerStats) {}

  fetched(shardId: string, items: Pending[], behindMs: number): void {
    const pending = this.unacked.get(shardId) ?? [];
    pending.push(...items);
    this.unacked.set(shardId, pending);
    this.behindMs.set(shardId, behindMs);
    this.refresh();
  }

  acked(shardId: string, count: number): void {
    this.unacked.get(shardId)?.splice(0, count);
    this.refresh();
  }

  /** Age of the oldest record not yet checkpointed, or Kinesis' own figure if larger. */
  lagMs(now: number): number {
    const ages = [...this.unacked.values()].map((items) => {
      const arrival = items[0]?.record.ApproximateArrivalTimestamp?.getTime();
      return arrival === undefined ? 0 : Math.max(0, now - arrival);
    });
    return Math.max(this.stats.millisBehindLatest, 0, ...ages);
  }

  private refresh(): void {
    this.stats.inFlight = [...this.unacked.values()].reduce((a, b) => a + b.length, 0);
    this.stats.millisBehindLatest = Math.max(0, ...this.behindMs.values());
  }
}

type Emit = (e: ConsumerEvent) => void;
type StreamIds = Awaited<ReturnType<typeof describeStream>>;

/** What the batch runner reports, counted in the stats and passed on as events. */
function countingHooks(stats: ConsumerStats, emit: Emit): BatchRunnerContext['on'] {
  return {
    invoke: (shardId, size) => {
      stats.invocations++;
      emit({ type: 'batch', shardId, size });
    },
    partialFailure: () => void stats.partialFailures++,
    functionError: (shardId, message) => {
      stats.functionErrors++;
      emit({ type: 'error', shardId, message });
    },
    bisect: (shardId, size) => {
      stats.bisections++;
      emit({ type: 'bisect', shardId, size });
    },
    retry: (shardId, size, attempt, reason) => {
      stats.retries++;
      emit({ type: 'retry', shardId, size, attempt, reason });
    }
  };
}

/** Records given up on go to the on-failure destination (a JSON-lines file), as Lambda's would. */
function discarder(
  onFailureFile: string | undefined,
  stream: StreamIds,
  stats: ConsumerStats,
  emit: Emit
): BatchRunnerContext['discard'] {
  return async (shardId, items, condition, invokeCount, functionError) => {
    stats.discarded += items.length;
    emit({ type: 'discarded', shardId, size: items.length, condition });
    const record: OnFailureRecord = onFailureRecord(
      items,
      { shardId, streamArn: stream.streamArn, functionArn: stream.functionArn },
      condition,
      invokeCount,
      functionError
    );
    if (onFailureFile) await appendOnFailure(onFailureFile, record);
  };
}

/** Lists the shards and starts a poller for each new one whose parents are drained (`start`). */
async function discoverShards(
  client: KinesisClient,
  streamName: string,
  signal: AbortSignal,
  shardsSeen: { running: Map<string, Promise<void>>; finished: Set<string> },
  start: (shardId: string) => Promise<void>
): Promise<void> {
  const shards: Shard[] = [];
  let token: string | undefined;
  do {
    const r = await client.send(
      new ListShardsCommand(token ? { NextToken: token } : { StreamName: streamName }),
      { abortSignal: signal }
    );
    shards.push(...(r.Shards ?? []));
    token = r.NextToken;
  } while (token);
  for (const s of shards) {
    const id = s.ShardId as string;
    if (shardsSeen.running.has(id) || shardsSeen.finished.has(id)) continue;
    // A child shard starts only after its parents are drained, to keep per-contact order (as Lambda does).
    const parents = [s.ParentShardId, s.AdjacentParentShardId].filter((p): p is string => !!p);
    if (parents.some((p) => shards.some((x) => x.ShardId === p) && !shardsSeen.finished.has(p))) continue;
    shardsSeen.running.set(id, start(id));
  }
}

/** Marks a batch's records done: the shard's checkpoint moves to its last record, and they leave the in-flight count. */
function checkpointer(
  checkpoints: CheckpointStore,
  stats: ConsumerStats,
  inFlight: InFlight,
  emit: Emit
): BatchRunnerContext['checkpoint'] {
  return (shardId, items) => {
    const last = items[items.length - 1];
    if (!last) return;
    const sequenceNumber = last.record.SequenceNumber as string;
    checkpoints.set(shardId, sequenceNumber);
    stats.consumed += items.length;
    inFlight.acked(shardId, items.length);
    emit({ type: 'checkpoint', shardId, sequenceNumber, records: items.length });
  };
}

/** Polls one shard to its end; a shard read to its end (not stopped) counts as finished, for its children. */
function shardRunner(ctx: ShardPollerContext, finished: Set<string>): (shardId: string) => Promise<void> {
  return (shardId) =>
    pollShard(ctx, shardId).then(() => {
      if (!ctx.signal.aborted) finished.add(shardId);
    });
}

/** Looks for new shards (resharding) every `everyMs`; a failed listing is reported and tried again next time. */
function rediscoverEvery(
  everyMs: number,
  discover: () => Promise<void>,
  signal: AbortSignal,
  emit: Emit
): NodeJS.Timeout {
  const discovery = setInterval(() => {
    discover().catch((e: Error) => {
      if (!signal.aborted) emit({ type: 'error', shardId: '-', message: `ListShards: ${e.message}` });
    });
  }, everyMs);
  discovery.unref();
  return discovery;
}

export async function startEventSourceMapping(
  options: EventSourceMappingOptions
): Promise<EventSourceMapping> {
  const o = { ...DEFAULTS, ...options };
  if (o.batchSize < 1 || o.batchSize > 10_000) throw new Error('batchSize must be 1-10000');
  const { client, streamName } = o;
  const stream = await describeStream(o);
  const checkpoints = await openCheckpoints(o.checkpointFile, streamName, stream.streamArn);
  const finishedShards = new Set<string>();
  const runningShards = new Map<string, Promise<void>>();
  const controller = new AbortController();
  const signal = controller.signal;
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const emit = (e: ConsumerEvent): void => o.onEvent?.(e);
  const stats = newStats();
  const inFlight = new InFlight(stats);

  const runBatch = createBatchRunner({
    rules: o,
    handler: o.handler,
    toEvent: (items) => toKinesisEvent(items, stream.streamArn, stream.awsRegion, stream.identityArn),
    checkpoint: checkpointer(checkpoints, stats, inFlight, emit),
    discard: discarder(o.onFailureFile, stream, stats, emit),
    sleep: (ms) => sleep(ms, signal),
    aborted: () => signal.aborted,
    on: countingHooks(stats, emit)
  });

  const poll = shardRunner(
    {
      client,
      streamName,
      startingPosition: o.startingPosition,
      batchSize: o.batchSize,
      maximumBatchingWindowMs: o.maximumBatchingWindowMs,
      pollIntervalMs: o.pollIntervalMs,
      signal,
      checkpointOf: (id) => checkpoints.get(id),
      runBatch,
      fetched: (id, items, behind) => inFlight.fetched(id, items, behind),
      error: (id, message) => emit({ type: 'error', shardId: id, message }),
      sleep: (ms) => sleep(ms, signal)
    },
    finishedShards
  );

  const discover = (): Promise<void> =>
    discoverShards(client, streamName, signal, { running: runningShards, finished: finishedShards }, (id) =>
      poll(id).catch((e: Error) => {
        if (!signal.aborted) emit({ type: 'error', shardId: id, message: e.message });
      })
    );

  await discover();
  const discovery = rediscoverEvery(o.shardDiscoveryMs, discover, signal, emit);

  return {
    stats,
    streamArn: stream.streamArn,
    checkpoints: () => checkpoints.all(),
    lagMs: () => inFlight.lagMs(Date.now()),
    stop: async () => {
      clearInterval(discovery);
      controller.abort();
      await Promise.all(runningShards.values());
      await checkpoints.flush();
    }
  };
}
