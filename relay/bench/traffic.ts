/**
 * Bench traffic: the local simulator's realistic mix (agent-handled, self-service, transfers, abandons, IVR drops,
 * duplicates, re-emitted updates, malformed records), optionally grown to a target size per CTR the way real CTRs
 * grow (contact attributes set by flows, recordings, references, tags), and shaped into Kinesis records. Everything
 * here runs before any timer starts.
 */
import { createHash } from 'node:crypto';
import type { KinesisStreamRecord } from 'aws-lambda';
import { CtrSimulator, seededRandom, type SimExpectation } from '../local/simulator';

export interface TrafficRecord {
  /** The CTR as put on the stream (JSON text, or garbage for the malformed share). */
  data: string;
  partitionKey: string;
  expect: SimExpectation;
}

const INSTANCE = 'arn:aws:connect:us-east-1:111122223333:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

/**
 * Grows a CTR to about `targetBytes` of JSON with the fields that make real CTRs large. Classification-relevant
 * fields are left alone, so the verdict of every record is the same at every size.
 */
export function growCtr(
  ctr: Record<string, unknown>,
  targetBytes: number,
  seed: number
): Record<string, unknown> {
  const r = seededRandom(seed);
  const attributes: Record<string, unknown> = { ...(ctr.Attributes as Record<string, unknown> | null) };
  const recordings: unknown[] = [];
  const references: Record<string, unknown> = {};
  const out: Record<string, unknown> = {
    ...ctr,
    Attributes: attributes,
    Recordings: recordings,
    References: references,
    Tags: { 'aws:connect:instanceId': 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', costCentre: 'care-emea' },
    MediaStreams: [{ Type: ctr.Channel === 'CHAT' ? 'CHAT' : 'AUDIO' }]
  };
  let size = JSON.stringify(out).length;
  for (let i = 0; size < targetBytes; i++) {
    let added: string;
    switch (i % 4) {
      case 0:
        added = `flowStep${i}`;
        attributes[added] = `menu ${1 + Math.floor(r() * 9)} > option ${1 + Math.floor(r() * 5)}`;
        break;
      case 1:
        added = `lexSlot${i}`;
        attributes[added] = ['billing', 'outage', 'moving house', 'cancel contract', 'upgrade'][
          i % 5
        ] as string;
        break;
      case 2: {
        const entry = {
          Location: `connect-recordings/2024/05/14/${Math.floor(r() * 1e9)}_20240514T10:0${i % 10}_UTC.wav`,
          MediaStreamType: 'AUDIO',
          ParticipantType: 'IVR',
          StartTimestamp: '2024-05-14T10:00:00Z',
          StopTimestamp: '2024-05-14T10:01:30Z',
          Status: 'AVAILABLE',
          StorageType: 'S3'
        };
        recordings.push(entry);
        added = JSON.stringify(entry);
        break;
      }
      default:
        added = `ref${i}`;
        references[added] = { Type: 'URL', Value: `${INSTANCE}/case/${Math.floor(r() * 1e12)}` };
    }
    size += added.length + 40;
    if (i % 8 === 7) size = JSON.stringify(out).length;
  }
  return out;
}

/** `count` records of the simulator's mix; with `ctrBytes`, every decodable CTR is grown to about that size. */
export function simulatedTraffic(
  count: number,
  options: { seed: number; ctrBytes?: number }
): TrafficRecord[] {
  const simulator = new CtrSimulator({ seed: options.seed });
  return simulator.take(count).map((rec, i) => {
    let data = rec.data;
    if (options.ctrBytes !== undefined && rec.expect !== 'park') {
      const ctr = JSON.parse(rec.data) as Record<string, unknown>;
      data = JSON.stringify(growCtr(ctr, options.ctrBytes, options.seed * 1_000_003 + i));
    }
    return { data, partitionKey: rec.partitionKey, expect: rec.expect };
  });
}

/** Average size in bytes (UTF-8) of the records' data. */
export function averageBytes(records: readonly TrafficRecord[]): number {
  return records.reduce((a, r) => a + Buffer.byteLength(r.data), 0) / Math.max(1, records.length);
}

/** Kinesis records of a Lambda event for these records (sequence numbers from `firstSequence`). */
export function toKinesisRecords(
  records: readonly TrafficRecord[],
  firstSequence = 0,
  shardId = 'shardId-000000000000'
): KinesisStreamRecord[] {
  return records.map((rec, i) => {
    const sequenceNumber = String(49_000_000_000_000 + firstSequence + i);
    return {
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::111122223333:role/bench',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:111122223333:stream/bench',
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: rec.partitionKey,
        sequenceNumber,
        data: Buffer.from(rec.data).toString('base64'),
        approximateArrivalTimestamp: 1_715_680_000
      }
    };
  });
}

/** Which of `factor` concurrent batches of a shard a partition key goes to (same key, same batch, as in Lambda). */
export function parallelSlot(partitionKey: string, factor: number): number {
  if (factor <= 1) return 0;
  return createHash('md5').update(partitionKey).digest().readUInt32BE(0) % factor;
}
