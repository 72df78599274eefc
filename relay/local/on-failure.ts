/**
 * Lambda's on-failure destination for a Kinesis event source: one record per discarded batch, naming the shard
 * and the sequence-number range (not the data), written here as JSON lines. `ctr-relay replay` reads them back.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Pending } from './kinesis-event';

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** Lambda's on-failure destination record for a Kinesis event source (one per discarded batch). */
export interface OnFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: DiscardCondition;
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

export function onFailureRecord(
  items: readonly Pending[],
  ctx: { shardId: string; streamArn: string; functionArn: string },
  condition: DiscardCondition,
  invokeCount: number,
  functionError: string | undefined
): OnFailureRecord {
  const first = items[0]?.record;
  const last = items[items.length - 1]?.record;
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: ctx.functionArn,
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
      shardId: ctx.shardId,
      startSequenceNumber: first?.SequenceNumber ?? '',
      endSequenceNumber: last?.SequenceNumber ?? '',
      approximateArrivalOfFirstRecord: first?.ApproximateArrivalTimestamp?.toISOString() ?? '',
      approximateArrivalOfLastRecord: last?.ApproximateArrivalTimestamp?.toISOString() ?? '',
      batchSize: items.length,
      streamArn: ctx.streamArn
    }
  };
}

export async function appendOnFailure(file: string, record: OnFailureRecord): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, JSON.stringify(record) + '\n');
}
