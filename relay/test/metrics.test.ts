/**
 * CloudWatch metrics in Embedded Metric Format: the structure of the `_aws` directive (checked against the EMF
 * specification's rules by `emfProblems` below), and the relay's real batch line carrying it.
 */
import { Agent } from 'undici';
import { createLogger } from '../src/logger';
import {
  COUNT_METRICS,
  deliveryLatencies,
  emfFields,
  LATENCY_METRIC,
  MAX_VALUES,
  METRIC_DIMENSION,
  METRIC_NAMESPACE,
  relayNameFrom,
  sampleValues
} from '../src/metrics';
import { createRelay } from '../src/relay';
import type { FakeSalesforce } from './support/fakeSalesforce';
import {
  abandonedCtr,
  captureLogger,
  fakeSleep,
  kinesisRecord,
  referenceBatch,
  relayConfig,
  startFakeOrgSession,
  stopFakeOrgSession
} from './support/kit';

interface Directive {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit?: string }[];
}

/**
 * What the EMF specification requires of a log line, as a list of problems (empty = valid): `_aws` with an integer
 * Timestamp and a non-empty CloudWatchMetrics array; each directive a Namespace, Dimensions (arrays of ≤ 30 root
 * keys holding strings) and ≤ 100 Metrics whose names are root keys holding a number or an array of ≤ 100 numbers.
 */
function emfProblems(line: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const aws = line._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (!aws) return ['no _aws'];
  if (!Number.isInteger(aws.Timestamp)) problems.push('Timestamp is not an integer');
  if (!Array.isArray(aws.CloudWatchMetrics) || aws.CloudWatchMetrics.length === 0)
    return [...problems, 'no CloudWatchMetrics'];
  for (const d of aws.CloudWatchMetrics as Directive[]) {
    if (typeof d.Namespace !== 'string' || d.Namespace === '') problems.push('no Namespace');
    for (const set of d.Dimensions) {
      if (set.length > 30) problems.push('more than 30 dimensions');
      for (const key of set)
        if (typeof line[key] !== 'string') problems.push(`dimension ${key} not a string`);
    }
    if (d.Metrics.length > 100) problems.push('more than 100 metrics');
    for (const m of d.Metrics) {
      const value = line[m.Name];
      const ok =
        (typeof value === 'number' && Number.isFinite(value)) ||
        (Array.isArray(value) &&
          value.length > 0 &&
          value.length <= 100 &&
          value.every((v) => typeof v === 'number' && Number.isFinite(v)));
      if (!ok) problems.push(`metric ${m.Name} has no numeric value`);
    }
  }
  return problems;
}

const directiveOf = (line: Record<string, unknown>): Directive =>
  (line._aws as { CloudWatchMetrics: Directive[] }).CloudWatchMetrics[0] as Directive;
const namesOf = (line: Record<string, unknown>): string[] => directiveOf(line).Metrics.map((m) => m.Name);

describe('emfFields', () => {
  const counts = {
    received: 9,
    forwarded: 3,
    skipped: 4,
    'skipped.HANDLED_BY_AGENT': 3,
    'skipped.TRANSFERRED': 1,
    parked: 1,
    failed: 1,
    requests: 2
  };

  it('declares every count metric in one namespace with the Relay dimension, values on the root', () => {
    const line = emfFields({
      counts,
      latenciesMs: [1200, 800],
      timestampMs: 1_700_000_000_123,
      relayName: 'fn'
    });

    expect(emfProblems(line)).toEqual([]);
    expect(line._aws).toEqual({
      Timestamp: 1_700_000_000_123,
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [[METRIC_DIMENSION]],
          Metrics: [
            { Name: 'forwarded', Unit: 'Count' },
            { Name: 'resolved', Unit: 'Count' },
            { Name: 'skipped', Unit: 'Count' },
            { Name: 'parked', Unit: 'Count' },
            { Name: 'failed', Unit: 'Count' },
            { Name: 'requests', Unit: 'Count' },
            { Name: 'skipped.HANDLED_BY_AGENT', Unit: 'Count' },
            { Name: 'skipped.TRANSFERRED', Unit: 'Count' },
            { Name: 'deliveryLatencyMs', Unit: 'Milliseconds' }
          ]
        }
      ]
    });
    expect(line).toMatchObject({
      Relay: 'fn',
      forwarded: 3,
      resolved: 0,
      skipped: 4,
      'skipped.HANDLED_BY_AGENT': 3,
      'skipped.TRANSFERRED': 1,
      parked: 1,
      failed: 1,
      requests: 2,
      deliveryLatencyMs: [1200, 800]
    });
    // Counts that are not metrics stay off the directive.
    expect(namesOf(line)).not.toContain('received');
  });

  it('publishes zeros on a quiet batch, and no latency metric when nothing was delivered', () => {
    const line = emfFields({ counts: {}, timestampMs: 5, relayName: 'r' });

    expect(emfProblems(line)).toEqual([]);
    expect(namesOf(line)).toEqual(Object.keys(COUNT_METRICS));
    for (const name of Object.keys(COUNT_METRICS)) expect(line[name]).toBe(0);
    expect(line).not.toHaveProperty(LATENCY_METRIC);
  });

  it('writes one latency as a number and keeps at most 100 values', () => {
    expect(emfFields({ counts: {}, latenciesMs: [42], timestampMs: 1, relayName: 'r' })[LATENCY_METRIC]).toBe(
      42
    );

    const many = Array.from({ length: 1000 }, (_, i) => i);
    const line = emfFields({ counts: {}, latenciesMs: many, timestampMs: 1, relayName: 'r' });
    expect(emfProblems(line)).toEqual([]);
    expect((line[LATENCY_METRIC] as number[]).length).toBe(MAX_VALUES);
  });

  it('is caught by the specification check when a declared metric has no value (the check works)', () => {
    const line = emfFields({ counts, timestampMs: 1, relayName: 'r' });
    delete line.parked;
    line[METRIC_DIMENSION] = 7;
    expect(emfProblems(line)).toEqual(['dimension Relay not a string', 'metric parked has no numeric value']);
  });
});

describe('emfFields at the EMF limits', () => {
  it('declares at most 100 metrics: the skip categories beyond that are left out, in name order', () => {
    const categories = Array.from({ length: 120 }, (_, i) => `skipped.C${String(i).padStart(3, '0')}`);
    const counts = Object.fromEntries([...categories].reverse().map((name) => [name, 1]));
    const line = emfFields({ counts, latenciesMs: [5], timestampMs: 1, relayName: 'r' });

    const names = namesOf(line);
    expect(emfProblems(line)).toEqual([]);
    expect(names).toHaveLength(100);
    // The six counts, the first 93 categories by name, the latency.
    expect(names.slice(6, 99)).toEqual(categories.slice(0, 93));
    expect(names[99]).toBe(LATENCY_METRIC);
    expect(line).not.toHaveProperty(categories[93] as string);
  });

  it('"skipped." without a category is no metric; the timestamp is whole milliseconds', () => {
    const line = emfFields({
      counts: { 'skipped.': 4, other: 1 },
      timestampMs: 1_700_000_000_123.6,
      relayName: 'r'
    });
    expect(namesOf(line)).toEqual(Object.keys(COUNT_METRICS));
    expect(line).not.toHaveProperty(['skipped.']);
    expect((line._aws as { Timestamp: number }).Timestamp).toBe(1_700_000_000_124);
  });
});

describe('sampleValues', () => {
  it('keeps min, max and the spread of a large set', () => {
    const values = Array.from({ length: 10_001 }, (_, i) => 10_000 - i);
    const sample = sampleValues(values, 11);
    expect(sample).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
  });

  it('drops values that are not finite and rounds the rest', () => {
    expect(sampleValues([1.4, Number.NaN, Infinity, 2.6, -3])).toEqual([1, 3, 0]);
  });

  it('keeps every value, in order, when exactly as many as allowed', () => {
    expect(sampleValues([3, 1, 2], 3)).toEqual([3, 1, 2]);
    expect(sampleValues([3, 1, 2, 0], 3)).toEqual([0, 2, 3]);
  });
});

describe('deliveryLatencies and relayNameFrom', () => {
  it('measures from each lastUpdated to the confirmation, ignoring unparsable or future times', () => {
    const at = Date.parse('2024-05-14T09:20:00Z');
    expect(deliveryLatencies(['2024-05-14T09:19:58.500Z', 'not a time', '2024-05-14T09:30:00Z'], at)).toEqual(
      [1500]
    );
    expect(deliveryLatencies(['2024-05-14T09:20:00Z'], at)).toEqual([0]);
  });

  it('names the relay after the Lambda function, else ctr-relay', () => {
    expect(relayNameFrom({ AWS_LAMBDA_FUNCTION_NAME: 'TestRelay-RelayFunction-abc' })).toBe(
      'TestRelay-RelayFunction-abc'
    );
    expect(relayNameFrom({})).toBe('ctr-relay');
    expect(relayNameFrom({ AWS_LAMBDA_FUNCTION_NAME: '  ' })).toBe('ctr-relay');
    expect(relayNameFrom({ AWS_LAMBDA_FUNCTION_NAME: ' fn ' })).toBe('fn');
  });
});

describe('logger.metrics', () => {
  it('writes metric lines at LOG_LEVEL=error too, but not when silent', () => {
    const lines: string[] = [];
    const sink = (line: string): void => {
      lines.push(line);
    };
    const quiet = createLogger({ level: 'error', sink });
    quiet.info('not written');
    quiet.metrics('batch processed', { forwarded: 1 });
    createLogger({ level: 'silent', sink }).metrics('batch processed', { forwarded: 2 });

    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'info', message: 'batch processed', forwarded: 1 })
    ]);
  });
});

describe('the relay batch line', () => {
  let sf: FakeSalesforce;
  let dispatcher: Agent;

  beforeEach(async () => {
    ({ sf, dispatcher } = await startFakeOrgSession());
  });
  afterEach(() => stopFakeOrgSession({ sf, dispatcher }));

  it('is a valid EMF document with the batch counts and the delivery latency of each new Case', async () => {
    const logger = captureLogger();
    const relay = createRelay(relayConfig(sf, { logLevel: 'error' }), {
      logger,
      dispatcher,
      metricsName: 'TestRelay-fn',
      sleep: fakeSleep().sleep
    });
    sf.rejections.set('bad', { code: 'INVALID_FIELD', message: 'no', retryable: false });
    // Taken before the fresh contacts' timestamps, so the latency bounds below hold however slow the machine is.
    const before = Date.now();
    const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
    const event = referenceBatch();
    event.Records.push(
      kinesisRecord(abandonedCtr({ ContactId: 'bad' })),
      kinesisRecord(abandonedCtr({ ContactId: 'fresh-1', LastUpdateTimestamp: ago(60_000) })),
      kinesisRecord(abandonedCtr({ ContactId: 'fresh-2', LastUpdateTimestamp: ago(5_000) }))
    );

    await relay.processEvent(event, Date.now() + 30_000);
    await relay.close();

    const line = logger.lines.find((l) => l.message === 'batch processed') as Record<string, unknown>;
    expect(emfProblems(line)).toEqual([]);
    expect(line).toMatchObject({
      Relay: 'TestRelay-fn',
      forwarded: 6,
      // The reference batch's agent-handled and self-service contacts have numbers: sent to close callbacks.
      resolved: 2,
      skipped: 0,
      parked: 1,
      failed: 0,
      requests: 1
    });
    expect(directiveOf(line).Namespace).toBe(METRIC_NAMESPACE);
    expect(namesOf(line)).toEqual(expect.arrayContaining(['resolved', LATENCY_METRIC]));
    // One value per new Case (the reference batch's two from 2024, and the two fresh ones), none for the parked.
    const latencies = line[LATENCY_METRIC] as number[];
    expect(latencies).toHaveLength(4);
    const elapsed = Date.now() - before;
    expect(latencies[2]).toBeGreaterThanOrEqual(60_000);
    expect(latencies[2]).toBeLessThanOrEqual(60_000 + elapsed);
    expect(latencies[3]).toBeGreaterThanOrEqual(5_000);
    expect(latencies[3]).toBeLessThanOrEqual(5_000 + elapsed);
    expect((line._aws as { Timestamp: number }).Timestamp).toBeGreaterThanOrEqual(before);
  });
});
