/**
 * A Kinesis consumer that behaves like Lambda's Kinesis event source mapping, so the relay runs the same way on a
 * laptop (against the embedded stream) or on a server (against a real stream) as it does in Lambda: one poller per
 * shard, batch size + batching window, the exact KinesisStreamEvent shape, checkpoints only after success,
 * ReportBatchItemFailures (resume from the lowest failed sequence number), bisect-on-error, bounded retries,
 * maximum record age and an on-failure destination (a JSON-lines file with Lambda's on-failure record).
 */
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  type _Record as KinesisSdkRecord,
  type Shard,
  type ShardIteratorType
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

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
}

export type ConsumerEvent =
  | { type: 'batch'; shardId: string; size: number }
  | { type: 'checkpoint'; shardId: string; sequenceNumber: string; records: number }
  | { type: 'retry'; shardId: string; size: number; attempt: number; reason: string }
  | { type: 'bisect'; shardId: string; size: number }
  | { type: 'discarded'; shardId: string; size: number; condition: string }
  | { type: 'error'; shardId: string; message: string };

/** Lambda's on-failure destination record for a Kinesis event source (one per discarded batch). */
export interface OnFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

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

interface Pending {
  record: KinesisSdkRecord;
  shardId: string;
}

interface Batch {
  items: Pending[];
  attempts: number; // failed invocations counted against maximumRetryAttempts
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

/** Builds the event Lambda would deliver for these records. */
export function toKinesisEvent(
  items: { record: KinesisSdkRecord; shardId: string }[],
  streamArn: string,
  awsRegion: string,
  invokeIdentityArn: string
): KinesisStreamEvent {
  return {
    Records: items.map(({ record, shardId }): KinesisStreamRecord => {
      const seq = record.SequenceNumber as string;
      return {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: record.PartitionKey as string,
          sequenceNumber: seq,
          data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
          approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${shardId}:${seq}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn,
        awsRegion,
        eventSourceARN: streamArn
      };
    })
  };
}

async function loadCheckpoints(file: string | undefined, streamName: string): Promise<Map<string, string>> {
  if (!file) return new Map();
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as {
      streamName?: string;
      shards?: Record<string, string>;
    };
    if (data.streamName !== streamName) return new Map();
    return new Map(Object.entries(data.shards ?? {}));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw e;
  }
}

export async function startEventSourceMapping(
  options: EventSourceMappingOptions
): Promise<EventSourceMapping> {
  const o = {
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
    shardDiscoveryMs: 30_000,
    ...options
  };
  if (o.batchSize < 1 || o.batchSize > 10_000) throw new Error('batchSize must be 1-10000');
  const { client, streamName } = o;
  const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  const streamArn =
    summary.StreamDescriptionSummary?.StreamARN ?? `arn:aws:kinesis:local:000000000000:stream/${streamName}`;
  const awsRegion = o.awsRegion ?? streamArn.split(':')[3] ?? 'us-east-1';
  const account = streamArn.split(':')[4] ?? '000000000000';
  const functionArn = o.functionArn ?? `arn:aws:lambda:${awsRegion}:${account}:function:ctr-relay-local`;
  const identityArn = `arn:aws:iam::${account}:role/ctr-relay-local`;
  const checkpoints = await loadCheckpoints(o.checkpointFile, streamName);
  const finishedShards = new Set<string>();
  const runningShards = new Map<string, Promise<void>>();
  /** Per shard: records fetched but not yet checkpointed, oldest first. */
  const unacked = new Map<string, Pending[]>();
  const lagByShard = new Map<string, number>();
  const controller = new AbortController();
  const signal = controller.signal;
  const emit = (e: ConsumerEvent): void => o.onEvent?.(e);
  const stats: ConsumerStats = {
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
  const refreshGauges = (): void => {
    stats.inFlight = [...unacked.values()].reduce((a, b) => a + b.length, 0);
    stats.millisBehindLatest = Math.max(0, ...lagByShard.values());
  };

  let checkpointWrite: Promise<void> = Promise.resolve();
  const checkpoint = (shardId: string, items: Pending[]): void => {
    const last = items[items.length - 1];
    if (!last) return;
    checkpoints.set(shardId, last.record.SequenceNumber as string);
    stats.consumed += items.length;
    unacked.get(shardId)?.splice(0, items.length);
    refreshGauges();
    emit({
      type: 'checkpoint',
      shardId,
      sequenceNumber: last.record.SequenceNumber as string,
      records: items.length
    });
    const file = o.checkpointFile;
    if (file) {
      const snapshot = JSON.stringify({ streamName, shards: Object.fromEntries(checkpoints) }, null, 2);
      // Serialised, write-then-rename so a crash never leaves a torn checkpoint file.
      checkpointWrite = checkpointWrite.then(async () => {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(`${file}.tmp`, snapshot);
        await rename(`${file}.tmp`, file);
      });
    }
  };

  const sendToOnFailure = async (
    shardId: string,
    items: Pending[],
    condition: OnFailureRecord['requestContext']['condition'],
    invokeCount: number,
    functionError: string | undefined
  ): Promise<void> => {
    stats.discarded += items.length;
    emit({ type: 'discarded', shardId, size: items.length, condition });
    const first = items[0]?.record;
    const last = items[items.length - 1]?.record;
    const rec: OnFailureRecord = {
      requestContext: {
        requestId: randomUUID(),
        functionArn,
        condition,
        approximateInvokeCount: invokeCount
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(functionError ? { functionError } : {})
      },
      version: '1.0',
      timestamp: new Date().toISOString(),
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: first?.SequenceNumber ?? '',
        endSequenceNumber: last?.SequenceNumber ?? '',
        approximateArrivalOfFirstRecord: first?.ApproximateArrivalTimestamp?.toISOString() ?? '',
        approximateArrivalOfLastRecord: last?.ApproximateArrivalTimestamp?.toISOString() ?? '',
        batchSize: items.length,
        streamArn
      }
    };
    if (o.onFailureFile) {
      await mkdir(dirname(o.onFailureFile), { recursive: true });
      await appendFile(o.onFailureFile, JSON.stringify(rec) + '\n');
    }
  };

  const backoff = (attempt: number): number =>
    Math.min(o.retryBackoffMaxMs, o.retryBackoffMs * 2 ** Math.max(0, attempt - 1));

  /** Runs one fetched batch to completion (success, or discarded), following Lambda's retry rules. */
  const deliver = async (shardId: string, items: Pending[]): Promise<void> => {
    const queue: Batch[] = [{ items, attempts: 0 }];
    while (queue.length > 0 && !signal.aborted) {
      const batch = queue.shift() as Batch;
      if (o.maximumRecordAgeMs >= 0) {
        const oldest = batch.items[0]?.record.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
        if (Date.now() - oldest > o.maximumRecordAgeMs) {
          await sendToOnFailure(shardId, batch.items, 'RecordAgeExceeded', batch.attempts, undefined);
          checkpoint(shardId, batch.items);
          continue;
        }
      }
      stats.invocations++;
      emit({ type: 'batch', shardId, size: batch.items.length });
      let failedFrom = -1; // index of the first record to retry, -1 = success
      let functionError: string | undefined;
      try {
        const response = await o.handler(toKinesisEvent(batch.items, streamArn, awsRegion, identityArn));
        const failures = o.reportBatchItemFailures ? (response?.batchItemFailures ?? []) : [];
        if (failures.length > 0) {
          stats.partialFailures++;
          const indexes = failures.map((f) =>
            batch.items.findIndex((i) => i.record.SequenceNumber === f.itemIdentifier)
          );
          // Lambda treats an unknown or empty identifier as a failure of the whole batch.
          failedFrom = indexes.some((i) => i < 0) ? 0 : Math.min(...indexes);
          functionError =
            failedFrom === 0 && indexes.some((i) => i < 0) ? 'InvalidItemIdentifier' : undefined;
        }
      } catch (e) {
        stats.functionErrors++;
        functionError = 'Unhandled';
        emit({ type: 'error', shardId, message: (e as Error).message });
        if (o.bisectBatchOnFunctionError && batch.items.length > 1) {
          // Splitting does not count against the retry quota (as in Lambda).
          const half = Math.ceil(batch.items.length / 2);
          stats.bisections++;
          emit({ type: 'bisect', shardId, size: batch.items.length });
          queue.unshift(
            { items: batch.items.slice(0, half), attempts: batch.attempts },
            { items: batch.items.slice(half), attempts: batch.attempts }
          );
          continue;
        }
        failedFrom = 0;
      }
      if (failedFrom < 0) {
        checkpoint(shardId, batch.items);
        continue;
      }
      checkpoint(shardId, batch.items.slice(0, failedFrom));
      const rest: Batch = { items: batch.items.slice(failedFrom), attempts: batch.attempts + 1 };
      if (o.maximumRetryAttempts >= 0 && rest.attempts > o.maximumRetryAttempts) {
        await sendToOnFailure(shardId, rest.items, 'RetryAttemptsExhausted', rest.attempts, functionError);
        checkpoint(shardId, rest.items);
        continue;
      }
      stats.retries++;
      emit({
        type: 'retry',
        shardId,
        size: rest.items.length,
        attempt: rest.attempts,
        reason: functionError ?? 'batchItemFailures'
      });
      await sleep(backoff(rest.attempts), signal);
      queue.unshift(rest);
    }
  };

  const iteratorFor = async (shardId: string): Promise<string | undefined> => {
    const seq = checkpoints.get(shardId);
    const type: ShardIteratorType = seq ? 'AFTER_SEQUENCE_NUMBER' : o.startingPosition;
    const r = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(seq ? { StartingSequenceNumber: seq } : {})
      })
    );
    return r.ShardIterator;
  };

  const pollShard = async (shardId: string): Promise<void> => {
    let iterator = await iteratorFor(shardId);
    const pending: Pending[] = [];
    let windowStart = 0;
    let lastFetchedSeq: string | undefined;
    while (!signal.aborted) {
      if (!iterator && pending.length === 0) {
        finishedShards.add(shardId); // closed after resharding and fully processed
        return;
      }
      let fetched = 0;
      if (iterator && pending.length < o.batchSize) {
        try {
          const r = await client.send(
            new GetRecordsCommand({
              ShardIterator: iterator,
              Limit: Math.max(1, o.batchSize - pending.length)
            })
          );
          for (const record of r.Records ?? []) pending.push({ record, shardId });
          if (!unacked.has(shardId)) unacked.set(shardId, []);
          unacked.get(shardId)?.push(...pending.slice(pending.length - (r.Records?.length ?? 0)));
          fetched = r.Records?.length ?? 0;
          if (fetched > 0) lastFetchedSeq = r.Records?.[fetched - 1]?.SequenceNumber;
          iterator = r.NextShardIterator;
          lagByShard.set(shardId, r.MillisBehindLatest ?? 0);
          refreshGauges();
        } catch (e) {
          const name = (e as Error).name;
          if (signal.aborted) return;
          if (name === 'ExpiredIteratorException') {
            const r = await client.send(
              new GetShardIteratorCommand({
                StreamName: streamName,
                ShardId: shardId,
                ...(lastFetchedSeq
                  ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: lastFetchedSeq }
                  : { ShardIteratorType: o.startingPosition })
              })
            );
            iterator = r.ShardIterator;
            continue;
          }
          emit({ type: 'error', shardId, message: `GetRecords: ${(e as Error).message}` });
          await sleep(o.pollIntervalMs, signal);
          continue;
        }
      }
      if (pending.length > 0 && windowStart === 0) windowStart = Date.now();
      const windowOver = Date.now() - windowStart >= o.maximumBatchingWindowMs;
      if (pending.length >= o.batchSize || (pending.length > 0 && (windowOver || !iterator))) {
        const batch = pending.splice(0, o.batchSize);
        windowStart = pending.length > 0 ? Date.now() : 0;
        await deliver(shardId, batch);
        continue;
      }
      if (fetched === 0 || pending.length > 0) {
        const waitLeft =
          pending.length > 0 ? Math.max(1, o.maximumBatchingWindowMs - (Date.now() - windowStart)) : Infinity;
        await sleep(Math.min(o.pollIntervalMs, waitLeft), signal);
      }
    }
  };

  const discover = async (): Promise<void> => {
    const shards: Shard[] = [];
    let token: string | undefined;
    do {
      const r = await client.send(
        new ListShardsCommand(token ? { NextToken: token } : { StreamName: streamName })
      );
      shards.push(...(r.Shards ?? []));
      token = r.NextToken;
    } while (token);
    for (const s of shards) {
      const id = s.ShardId as string;
      if (runningShards.has(id) || finishedShards.has(id)) continue;
      // A child shard starts only after its parents are drained, to keep per-contact order (as Lambda does).
      const parents = [s.ParentShardId, s.AdjacentParentShardId].filter((p): p is string => !!p);
      if (parents.some((p) => shards.some((x) => x.ShardId === p) && !finishedShards.has(p))) continue;
      runningShards.set(
        id,
        pollShard(id).catch((e: Error) => {
          emit({ type: 'error', shardId: id, message: e.message });
        })
      );
    }
  };

  await discover();
  const discovery = setInterval(() => {
    discover().catch((e: Error) =>
      emit({ type: 'error', shardId: '-', message: `ListShards: ${e.message}` })
    );
  }, o.shardDiscoveryMs);
  discovery.unref();

  return {
    stats,
    streamArn,
    checkpoints: () => Object.fromEntries(checkpoints),
    lagMs: () => {
      const now = Date.now();
      const ages = [...unacked.values()].map((items) => {
        const arrival = items[0]?.record.ApproximateArrivalTimestamp?.getTime();
        return arrival === undefined ? 0 : Math.max(0, now - arrival);
      });
      return Math.max(stats.millisBehindLatest, 0, ...ages);
    },
    stop: async () => {
      clearInterval(discovery);
      controller.abort();
      await Promise.all(runningShards.values());
      await checkpointWrite;
    }
  };
}
