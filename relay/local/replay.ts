/**
 * `ctr-relay replay`: re-runs the relay over the records of batches the consumer (or Lambda) discarded after a
 * long outage. Input: the on-failure records (Lambda's on-failure destination format, JSON lines; a line may also
 * be an SQS message wrapping one as {"Body": "..."} or {"body": "..."}). For each, the shard's records from
 * startSequenceNumber to endSequenceNumber are read back from the stream and processed like a Lambda invocation,
 * retrying failures until they succeed or --timeout-s passes. Delivery is idempotent, so replaying a range twice
 * changes nothing.
 */
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { readFile } from 'node:fs/promises';
import type { Relay } from '../src/relay';
import { toKinesisEvent, type Pending } from './kinesis-event';
import type { OnFailureRecord } from './on-failure';

export interface ReplayRange {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  streamArn: string;
}

/** Reads on-failure records (or SQS messages carrying them) from JSON lines; throws on a line that is neither. */
export async function readOnFailureFile(file: string): Promise<ReplayRange[]> {
  const ranges: ReplayRange[] = [];
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value = JSON.parse(line) as Record<string, unknown>;
    const body = value.Body ?? value.body;
    if (typeof body === 'string') value = JSON.parse(body) as Record<string, unknown>;
    const info = (value as Partial<OnFailureRecord>).KinesisBatchInfo;
    if (!info?.shardId || !info.startSequenceNumber || !info.endSequenceNumber) {
      throw new Error(`${file}:${i + 1} is not a Kinesis on-failure record (no KinesisBatchInfo)`);
    }
    ranges.push({
      shardId: info.shardId,
      startSequenceNumber: info.startSequenceNumber,
      endSequenceNumber: info.endSequenceNumber,
      streamArn: info.streamArn
    });
  });
  return ranges;
}

/** The records of one range, read back from the stream (in order, end inclusive). */
export async function readRange(
  client: KinesisClient,
  streamName: string,
  range: ReplayRange,
  signal?: AbortSignal
): Promise<Pending[]> {
  const end = BigInt(range.endSequenceNumber);
  let { ShardIterator: iterator } = await client.send(
    new GetShardIteratorCommand({
      StreamName: streamName,
      ShardId: range.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: range.startSequenceNumber
    }),
    { abortSignal: signal }
  );
  const out: Pending[] = [];
  let emptyReads = 0;
  while (iterator && emptyReads < 5) {
    const r = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }), {
      abortSignal: signal
    });
    const records = r.Records ?? [];
    emptyReads = records.length === 0 ? emptyReads + 1 : 0;
    for (const record of records) {
      if (BigInt(record.SequenceNumber as string) > end) return out;
      out.push({ record, shardId: range.shardId });
    }
    if (out.length > 0 && out[out.length - 1]?.record.SequenceNumber === range.endSequenceNumber) return out;
    iterator = r.NextShardIterator;
  }
  return out;
}

export interface ReplaySummary {
  ranges: number;
  records: number;
  invocations: number;
  /** Records still failing when the time ran out. */
  failed: number;
  counts: Record<string, number>;
}

/**
 * Processes every range through the relay, in batches of `batchSize`; a batch's failures are retried from the
 * lowest failed record (as Lambda would) until none is left or `deadlineMs` passes.
 */
export async function replayRanges(opts: {
  client: KinesisClient;
  relay: Relay;
  streamName: string;
  ranges: ReplayRange[];
  batchSize: number;
  deadlineMs: number;
  batchTimeoutMs: number;
  retryDelayMs: number;
  signal?: AbortSignal;
}): Promise<ReplaySummary> {
  const summary: ReplaySummary = {
    ranges: opts.ranges.length,
    records: 0,
    invocations: 0,
    failed: 0,
    counts: {}
  };
  for (const range of opts.ranges) {
    const items = await readRange(opts.client, opts.streamName, range, opts.signal);
    summary.records += items.length;
    for (let i = 0; i < items.length;) {
      let batch = items.slice(i, i + opts.batchSize);
      i += batch.length;
      while (batch.length > 0) {
        summary.invocations += 1;
        const event = toKinesisEvent(
          batch,
          range.streamArn,
          range.streamArn.split(':')[3] ?? 'us-east-1',
          ''
        );
        const report = await opts.relay.processEvent(
          event,
          Math.min(opts.deadlineMs, Date.now() + opts.batchTimeoutMs)
        );
        for (const [k, v] of Object.entries(report.counts)) summary.counts[k] = (summary.counts[k] ?? 0) + v;
        const failed = new Set(report.batchItemFailures.map((f) => f.itemIdentifier));
        const from = batch.findIndex((p) => failed.has(p.record.SequenceNumber as string));
        if (from < 0) break;
        if (Date.now() + opts.retryDelayMs >= opts.deadlineMs || opts.signal?.aborted) {
          summary.failed += batch.length - from + (items.length - i);
          return summary;
        }
        await new Promise((r) => setTimeout(r, opts.retryDelayMs));
        batch = batch.slice(from);
      }
    }
  }
  return summary;
}
