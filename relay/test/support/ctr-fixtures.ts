/**
 * CTR fixtures for tests: realistic records (relay/test/fixtures/ctr, written from the AWS data model) and the
 * reference samples (relay/test/fixtures/reference), plus `ctrWith` to derive a scenario from a base by overrides.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { ContactTraceRecord } from '../../src/ctr';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

export type CtrFixture =
  | 'voice-inbound-abandoned-in-queue'
  | 'voice-inbound-ivr-drop'
  | 'voice-agent-rang-no-answer'
  | 'voice-agent-handled'
  | 'voice-transferred-first-leg'
  | 'voice-queue-transfer-second-leg-abandoned'
  | 'voice-external-transfer'
  | 'voice-outbound'
  | 'chat-api-abandoned-in-queue'
  | 'task-flow-created';

export type ReferenceSample =
  | 'ctr-01-agent-handled'
  | 'ctr-02-abandoned-in-queue'
  | 'ctr-02b-abandoned-in-queue-reemitted'
  | 'ctr-03-ivr-telecom-drop'
  | 'ctr-04-virtual-agent-handled';

export function loadCtr(name: CtrFixture): ContactTraceRecord {
  return JSON.parse(readFileSync(path.join(FIXTURES, 'ctr', `${name}.json`), 'utf8')) as ContactTraceRecord;
}

export function loadReference(name: ReferenceSample): ContactTraceRecord {
  return JSON.parse(
    readFileSync(path.join(FIXTURES, 'reference', `${name}.json`), 'utf8')
  ) as ContactTraceRecord;
}

export function loadReferenceKinesisRecords(): KinesisStreamRecord[] {
  const event = JSON.parse(
    readFileSync(path.join(FIXTURES, 'reference', 'kinesis-event-batch.json'), 'utf8')
  ) as {
    Records: KinesisStreamRecord[];
  };
  return event.Records;
}

/** Marks a key for removal in `ctrWith` overrides. */
export const REMOVE = Symbol('remove');

export type Overrides = { [key: string]: unknown };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: Record<string, unknown>, overrides: Overrides): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === REMOVE) delete out[key];
    else if (isObject(value) && isObject(out[key]))
      out[key] = merge(out[key] as Record<string, unknown>, value);
    else out[key] = value;
  }
  return out;
}

/** A copy of a fixture with nested overrides applied (objects merge, REMOVE deletes, anything else replaces). */
export function ctrWith(
  base: CtrFixture | ContactTraceRecord,
  overrides: Overrides = {}
): ContactTraceRecord {
  const start = typeof base === 'string' ? loadCtr(base) : base;
  return merge(structuredClone(start) as Record<string, unknown>, overrides) as ContactTraceRecord;
}

/** The Kinesis record Connect would deliver for a CTR (or for raw data). */
export function kinesisRecord(
  data: ContactTraceRecord | string,
  sequenceNumber = '4959033827149025660855969253'
): KinesisStreamRecord {
  return {
    awsRegion: 'eu-west-2',
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    eventSource: 'aws:kinesis',
    eventSourceARN: 'arn:aws:kinesis:eu-west-2:444455556666:stream/connect-ctr',
    eventVersion: '1.0',
    invokeIdentityArn: 'arn:aws:iam::444455556666:role/ctr-relay',
    kinesis: {
      approximateArrivalTimestamp: 1740990000.123,
      data: typeof data === 'string' ? data : Buffer.from(JSON.stringify(data), 'utf8').toString('base64'),
      kinesisSchemaVersion: '1.0',
      partitionKey: typeof data === 'string' ? 'raw' : data.ContactId,
      sequenceNumber
    }
  };
}
