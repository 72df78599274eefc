/**
 * What one batch reports beyond record fates: which failures count as systemic (back off) and which as rejected,
 * the order of batchItemFailures, records left to the retry of the batch (deferred), the parking deadline, the
 * batch summary line (duration, delivery latencies, skip counts) and where a parked record's shard comes from.
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { Agent } from 'undici';
import type { RelayConfig } from '../src/config';
import type { ParkedRecord, ParkSink } from '../src/park';
import { createRelay, isSystemicFailure, PARK_GRACE_MS, type RelayDeps } from '../src/relay';
import type { FakeSalesforce } from './support/fakeSalesforce';
import {
  abandonedCtr,
  type CapturedLogger,
  captureLogger,
  fakeSleep,
  kinesisEvent,
  kinesisRecord,
  relayConfig,
  startFakeOrgSession,
  stopFakeOrgSession
} from './support/kit';

jest.setTimeout(30_000);

interface Sink extends ParkSink {
  stored: ParkedRecord[];
  deadlines: (number | undefined)[];
}

/** A park sink that keeps what it is given, refuses what `refuse` says, and records the deadline it was given. */
function sink(refuse: (r: ParkedRecord) => boolean = () => false): Sink {
  const stored: ParkedRecord[] = [];
  const deadlines: (number | undefined)[] = [];
  return {
    name: 'report',
    stored,
    deadlines,
    park(records, deadlineMs) {
      deadlines.push(deadlineMs);
      stored.push(...records.filter((r) => !refuse(r)));
      return Promise.resolve(records.filter(refuse));
    }
  };
}

const drop = (contactId: string, lastUpdated = '2024-05-14T09:17:30Z', extra: Record<string, unknown> = {}) =>
  kinesisRecord(abandonedCtr({ ContactId: contactId, LastUpdateTimestamp: lastUpdated, ...extra }));

describe('relay batch report', () => {
  let sf: FakeSalesforce;
  let dispatcher: Agent;
  let logger: CapturedLogger;

  beforeEach(async () => {
    ({ sf, dispatcher } = await startFakeOrgSession());
    logger = captureLogger();
  });
  afterEach(() => stopFakeOrgSession({ sf, dispatcher }));

  function relayWith(parkSink: ParkSink, deps: RelayDeps = {}, config: Partial<RelayConfig> = {}) {
    return createRelay(relayConfig(sf, config), {
      logger,
      dispatcher,
      parkSink,
      sleep: fakeSleep().sleep,
      backoff: { baseDelayMs: 10, random: () => 0.5 },
      ...deps
    });
  }

  const summary = (): Record<string, unknown> =>
    logger.lines.find((l) => l.message === 'batch processed') as Record<string, unknown>;

  describe('systemic failures (the handler backs off on these)', () => {
    it.each([
      ['HTTP_503', 503],
      ['HTTP_429', 429],
      ['HTTP_408', 408]
    ])(
      'a %s that outlasts the retries is left to Lambda without being systemic or rejected',
      async (code, status) => {
        sf.script.push({ status }, { status }, { status });
        const record = drop(`transient-${status}`);

        const report = await relayWith(sink()).processEvent(kinesisEvent([record]), Date.now() + 30_000);

        expect(report.batchItemFailures).toEqual([{ itemIdentifier: record.kinesis.sequenceNumber }]);
        expect(report.systemic).toBeUndefined();
        expect(report.counts).toMatchObject({ failed: 1, rejected: 0, requests: 3, retried: 2 });
        expect(logger.lines).toContainEqual(
          expect.objectContaining({
            level: 'warn',
            message: 'delivery failed; records left for Lambda to retry',
            records: 1,
            reason: expect.stringContaining(code)
          })
        );
      }
    );

    it('a 403 is systemic: reported with its code, the records left to Lambda', async () => {
      sf.script.push({ status: 403 });
      const record = drop('forbidden-1');

      const report = await relayWith(sink()).processEvent(kinesisEvent([record]), Date.now() + 30_000);

      expect(report.systemic).toEqual({ code: 'HTTP_403', reason: 'endpoint answered 403' });
      expect(report.batchItemFailures).toEqual([{ itemIdentifier: record.kinesis.sequenceNumber }]);
      expect(report.counts).toMatchObject({ failed: 1, rejected: 0, requests: 1 });
    });

    it('a retryable per-record rejection is counted as rejected and retried, and is not systemic', async () => {
      sf.rejections.set('locked-1', { code: 'UNABLE_TO_LOCK_ROW', message: 'row locked', retryable: true });
      const locked = drop('locked-1');
      const fine = drop('fine-1');

      const report = await relayWith(sink()).processEvent(kinesisEvent([locked, fine]), Date.now() + 30_000);

      expect(report.systemic).toBeUndefined();
      expect(report.batchItemFailures).toEqual([{ itemIdentifier: locked.kinesis.sequenceNumber }]);
      expect(report.counts).toMatchObject({ created: 1, rejected: 1, failed: 1, parked: 0 });
    });

    it('isSystemicFailure: credentials and exactly the HTTP 4xx statuses other than 408 and 429', () => {
      const systemic = ['AUTH_FAILED', 'HTTP_400', 'HTTP_401', 'HTTP_403', 'HTTP_404', 'HTTP_499'];
      const transient = [
        'HTTP_408',
        'HTTP_429',
        'HTTP_500',
        'HTTP_503',
        'TIMEOUT',
        'NETWORK',
        'DEADLINE',
        'AUTH_UNAVAILABLE',
        'BAD_RESPONSE',
        'UNABLE_TO_LOCK_ROW',
        // An endpoint's own error codes that merely contain a status are not one.
        'UPSTREAM_HTTP_404',
        'HTTP_4040',
        'HTTP_40'
      ];
      expect(systemic.filter((c) => !isSystemicFailure(c))).toEqual([]);
      expect(transient.filter((c) => isSystemicFailure(c))).toEqual([]);
    });
  });

  it('reports batchItemFailures in stream order, whatever order the failures arose in', async () => {
    // Records 0 and 1 cannot be decoded and the dead-letter sink refuses them (they become retries while
    // parking, after delivery); record 2 fails delivery first.
    sf.script.push({ status: 503 }, { status: 503 }, { status: 503 });
    const records = [kinesisRecord('not json 0'), kinesisRecord('not json 1'), drop('late-failure')];

    const report = await relayWith(sink(() => true)).processEvent(kinesisEvent(records), Date.now() + 30_000);

    expect(report.batchItemFailures).toEqual(
      records.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber }))
    );
    expect(report.counts).toMatchObject({ invalid: 2, parked: 0, deferred: 0, failed: 3 });
  });

  it('parks what comes before the first retry and leaves what comes after it to the retry of the batch', async () => {
    sf.script.push({ status: 503 }, { status: 503 }, { status: 503 });
    const before = kinesisRecord('not json before');
    const failing = drop('retry-me');
    const after = kinesisRecord('not json after');
    const parkSink = sink();

    const report = await relayWith(parkSink).processEvent(
      kinesisEvent([before, failing, after]),
      Date.now() + 30_000
    );

    expect(parkSink.stored.map((p) => p.sequenceNumber)).toEqual([before.kinesis.sequenceNumber]);
    expect(report.counts).toMatchObject({ invalid: 2, parked: 1, deferred: 1, failed: 1 });
    expect(report.batchItemFailures).toEqual([{ itemIdentifier: failing.kinesis.sequenceNumber }]);
    // Only the record after the retry is named: the one parked now is not.
    expect(
      logger.lines
        .filter((l) => l.message === 'parking left to the retry of this batch')
        .map((l) => [l.level, l.sequenceNumber, l.code])
    ).toEqual([['debug', after.kinesis.sequenceNumber, 'INVALID_INPUT']]);
  });

  it('gives parking until the delivery deadline plus PARK_GRACE_MS, or the deadline the caller sets', async () => {
    const parkSink = sink();
    const relay = relayWith(parkSink);
    const deadline = Date.now() + 30_000;

    await relay.processEvent(kinesisEvent([kinesisRecord('not json')]), deadline);
    await relay.processEvent(kinesisEvent([kinesisRecord('not json')]), deadline, {
      parkDeadlineMs: deadline + 123
    });

    expect(PARK_GRACE_MS).toBe(2_000);
    expect(parkSink.deadlines).toEqual([deadline + 2_000, deadline + 123]);
  });

  it('takes the shard of a parked record from its eventID, and leaves it out when the eventID names none', async () => {
    const parkSink = sink();
    const withShard = kinesisRecord('not json a');
    const noColon = { ...kinesisRecord('not json b'), eventID: 'shardId-000000000007' };
    const { eventID: _dropped, ...noEventId } = kinesisRecord('not json c');

    const report = await relayWith(parkSink).processEvent(
      kinesisEvent([withShard, noColon, noEventId as KinesisStreamRecord]),
      Date.now() + 30_000
    );

    expect(report.counts).toMatchObject({ invalid: 3, parked: 3, failed: 0 });
    expect(parkSink.stored.map((p) => p.shardId)).toEqual(['shardId-000000000000', undefined, undefined]);
    expect(parkSink.stored.map((p) => 'shardId' in p)).toEqual([true, false, false]);
  });

  it('counts and logs each skipped contact with its category', async () => {
    const task = drop('task-1', undefined, { Channel: 'TASK' });
    const task2 = drop('task-2', undefined, { Channel: 'TASK' });

    const report = await relayWith(sink()).processEvent(kinesisEvent([task, task2]), Date.now() + 30_000);

    expect(report.counts).toMatchObject({ received: 2, skipped: 2, 'skipped.CHANNEL_EXCLUDED': 2, sent: 0 });
    expect(logger.lines.filter((l) => l.message === 'record skipped')).toEqual([
      expect.objectContaining({
        level: 'debug',
        sequenceNumber: task.kinesis.sequenceNumber,
        contactId: 'task-1',
        category: 'CHANNEL_EXCLUDED',
        reason: expect.any(String)
      }),
      expect.objectContaining({ sequenceNumber: task2.kinesis.sequenceNumber, contactId: 'task-2' })
    ]);
  });

  it('summary line: duration on the injected clock, and a delivery latency for each created or updated Case only', async () => {
    const clock = Date.now();
    const relay = relayWith(sink(), { now: () => clock });
    const deadline = clock + 30_000;
    await relay.processEvent(
      kinesisEvent([drop('lat-updated', '2024-05-14T09:10:00Z'), drop('lat-same'), drop('lat-stale')]),
      deadline
    );
    logger.lines.length = 0;

    const report = await relay.processEvent(
      kinesisEvent([
        drop('lat-created', '2024-05-14T09:00:00Z'),
        drop('lat-updated', '2024-05-14T09:20:00Z'),
        drop('lat-same'),
        drop('lat-stale', '2024-05-14T09:00:00Z')
      ]),
      deadline
    );

    expect(report.counts).toMatchObject({ created: 1, updated: 1, unchanged: 1, stale: 1 });
    const line = summary();
    expect(line.durationMs).toBe(0);
    expect([line.deliveryLatencyMs].flat()).toEqual([
      clock - Date.parse('2024-05-14T09:00:00Z'),
      clock - Date.parse('2024-05-14T09:20:00Z')
    ]);
  });

  it('a batch with nothing delivered has no latency metric', async () => {
    await relayWith(sink()).processEvent(kinesisEvent([kinesisRecord('not json')]), Date.now() + 30_000);

    expect(summary()).not.toHaveProperty('deliveryLatencyMs');
  });

  it('treats an event without Records as an empty batch', async () => {
    const report = await relayWith(sink()).processEvent({} as KinesisStreamEvent, Date.now() + 30_000);

    expect(report).toEqual({
      batchItemFailures: [],
      counts: expect.objectContaining({ received: 0 }),
      parked: []
    });
    expect(sf.apiCount).toBe(0);
  });

  it('logs JSON lines on stdout at the configured level, tagged ctr-relay, when no logger is given', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const relay = createRelay(relayConfig(sf, { logLevel: 'debug' }), { dispatcher, parkSink: sink() });
      await relay.processEvent(
        kinesisEvent([drop('stdout-task', undefined, { Channel: 'TASK' })]),
        Date.now() + 30_000
      );
    } finally {
      spy.mockRestore();
    }

    const lines = written.map((w) => JSON.parse(w) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'debug', message: 'record skipped', component: 'ctr-relay' })
    );
  });
});
