/** Putting records on a Kinesis stream the way a producer should: in chunks, retrying what Kinesis refused. */
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

/** A record to put on the stream: its data (the CTR text) and partition key. */
export interface StreamRecord {
  data: string;
  partitionKey: string;
}

/**
 * PutRecords in chunks of ≤ 500 (the API limit), retrying the entries Kinesis reports as failed (throttling).
 * Resolves to the number of records stored.
 */
export async function putRecords(
  client: KinesisClient,
  streamName: string,
  records: readonly StreamRecord[]
): Promise<number> {
  let stored = 0;
  for (let i = 0; i < records.length; i += 500) {
    let pending = records.slice(i, i + 500);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      if (attempt > 8) throw new Error(`PutRecords: ${pending.length} records still failing after retries`);
      const res = await client.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: pending.map((p) => ({ Data: Buffer.from(p.data, 'utf8'), PartitionKey: p.partitionKey }))
        })
      );
      const failed = pending.filter((_, j) => res.Records?.[j]?.ErrorCode);
      stored += pending.length - failed.length;
      pending = failed;
    }
  }
  return stored;
}
