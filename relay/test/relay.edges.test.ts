/**
 * Edges of one batch the main end-to-end suite does not reach: Kinesis records without their `kinesis` part or
 * without a sequence number, and shutting a relay down.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import { Agent } from 'undici';
import type { ParkedRecord, ParkSink } from '../src/park';
import { createRelay } from '../src/relay';
import type { FakeSalesforce } from './support/fakeSalesforce';
import {
  abandonedCtr,
  captureLogger,
  fakeSleep,
  kinesisEvent,
  kinesisRecord,
  relayConfig,
  startFakeOrgSession,
  stopFakeOrgSession
} from './support/kit';

function sink(refuse: (r: ParkedRecord) => boolean = () => false) {
  const stored: ParkedRecord[] = [];
  let closed = 0;
  const parkSink: ParkSink = {
    name: 'edges',
    park(records) {
      stored.push(...records.filter((r) => !refuse(r)));
      return Promise.resolve(records.filter(refuse));
    },
    close() {
      closed += 1;
      return Promise.resolve();
    }
  };
  return { parkSink, stored, closedCount: () => closed };
}

describe('relay batch edges', () => {
  let sf: FakeSalesforce;
  let dispatcher: Agent;

  beforeEach(async () => {
    ({ sf, dispatcher } = await startFakeOrgSession());
  });
  afterEach(() => stopFakeOrgSession({ sf, dispatcher }));

  function relayWith(parkSink: ParkSink, ownConnections = false) {
    return createRelay(relayConfig(sf), {
      logger: captureLogger(),
      ...(ownConnections ? {} : { dispatcher }),
      parkSink,
      sleep: fakeSleep().sleep
    });
  }

  it('parks a record that has no kinesis part and still delivers the rest of the batch', async () => {
    const { parkSink, stored } = sink();
    const good = kinesisRecord(abandonedCtr({ ContactId: 'edges-good-1' }));
    const hollow = {
      eventSource: 'aws:kinesis',
      eventID: 'shardId-000000000000:hollow'
    } as unknown as KinesisStreamRecord;

    const report = await relayWith(parkSink).processEvent(kinesisEvent([hollow, good]), Date.now() + 30_000);

    expect(report.counts).toMatchObject({ received: 2, invalid: 1, created: 1, parked: 1, failed: 0 });
    expect(stored).toEqual([
      {
        sequenceNumber: '',
        contactId: null,
        code: 'INVALID_INPUT',
        reason: 'not base64: the Kinesis record has no data',
        payload: '',
        // The shard still comes from the event's eventID.
        shardId: 'shardId-000000000000'
      }
    ]);
    expect(report.batchItemFailures).toEqual([]);
  });

  it('never reports an empty sequence number to Lambda, even when parking such a record fails', async () => {
    const { parkSink } = sink(() => true);
    const nameless = kinesisRecord('not json at all', '');
    const named = kinesisRecord('also not json', '49590000000000000000000000000000000000000000000000000042');

    const report = await relayWith(parkSink).processEvent(
      kinesisEvent([nameless, named]),
      Date.now() + 30_000
    );

    expect(report.batchItemFailures).toEqual([
      { itemIdentifier: '49590000000000000000000000000000000000000000000000000042' }
    ]);
    expect(report.counts).toMatchObject({ invalid: 2, parked: 0, failed: 1 });
  });

  it('close() releases the park sink and its own Salesforce connections; a closed relay cannot deliver', async () => {
    const { parkSink, closedCount } = sink();
    const relay = relayWith(parkSink, true);
    await relay.processEvent(
      kinesisEvent([kinesisRecord(abandonedCtr({ ContactId: 'edges-close-1' }))]),
      Date.now() + 30_000
    );

    await relay.close();

    expect(closedCount()).toBe(1);
    const after = await relay.processEvent(
      kinesisEvent([kinesisRecord(abandonedCtr({ ContactId: 'edges-close-2' }))]),
      Date.now() + 30_000
    );
    expect(after.counts).toMatchObject({ created: 0, failed: 1 });
    await expect(relay.close()).resolves.toBeUndefined();
  });
});
