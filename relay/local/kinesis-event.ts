/**
 * The event Lambda's Kinesis event source mapping delivers to a function, built from GetRecords records.
 */
import type { _Record as KinesisSdkRecord } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/** A fetched record and the shard it came from. */
export interface Pending {
  record: KinesisSdkRecord;
  shardId: string;
}

/** Builds the event Lambda would deliver for these records. */
export function toKinesisEvent(
  items: readonly Pending[],
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
