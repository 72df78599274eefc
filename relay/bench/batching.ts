/**
 * Requests per 1,000 records sent and PutRecords→Case latency against the arrival rate and the batching
 * window, so an admin can choose. A model of Lambda's Kinesis event source mapping in virtual time drives the
 * real relay: per shard and parallel slot (partition-key hash), a batch gathers until it is full (batch size, or
 * 6 MB), or the window has passed since gathering began; the next batch of that slot starts gathering when the
 * previous invocation returned. Each batch really goes through createRelay().processEvent against the org
 * emulator (no added latency), and its measured duration moves the virtual clock, so a record's latency is
 * (wait for its batch to close) + (real processing time). Arrivals are Poisson at the given rate, one shard.
 * Not modelled: Lambda's own polling delay (about a second when a shard is idle) and invocation overhead.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import { seededRandom } from '../local/simulator';
import type { Relay } from '../src/relay';
import { benchRelay, startEmulator } from './org';
import { percentile, spread, type Spread } from './stats';
import { parallelSlot, simulatedTraffic, toKinesisRecords } from './traffic';

/** Lambda's invocation payload limit (the event is JSON: base64 data plus about 400 bytes of envelope each). */
const MAX_EVENT_BYTES = 6 * 1024 * 1024;
const ENVELOPE_BYTES = 400;

export interface MappingSettings {
  batchSize: number;
  windowSeconds: number;
  parallelizationFactor: number;
}

export interface PointResult {
  rate: number;
  windowSeconds: number;
  batchSize: number;
  parallelizationFactor: number;
  records: number;
  /** Records sent to Salesforce: drops (callbacks) and contacts that got through (resolves), copies merged. */
  sent: number;
  /**
   * Salesforce API requests per 1,000 records sent (the token request, once per token lifetime, apart). Every
   * record sent is work forwarded to Salesforce: a drop becomes a callback, a resolve closes one.
   */
  requestsPer1000: Spread;
  /** The same requests per 1,000 drops alone (about half of what is sent on the simulator's mix). */
  requestsPer1000Drops: Spread;
  /** PutRecords→Case latency percentile 99, seconds (virtual clock, real processing). */
  p99Seconds: Spread;
  /** Most requests (all slots) in any span of one batching window. */
  maxRequestsPerWindow: Spread;
  meanRecordsPerBatch: number;
}

interface Arrival {
  at: number;
  record: KinesisStreamRecord;
  bytes: number;
}

interface PointRun {
  requestsPer1000: number;
  requestsPer1000Drops: number;
  p99: number;
  maxPerWindow: number;
  sent: number;
  batches: number;
}

/** What the batches of one point add up to. */
interface Tally {
  latencies: number[];
  closes: { at: number; requests: number }[];
  drops: number;
  sent: number;
  requests: number;
}

/** Poisson arrivals at `rate` per second, each in its parallel slot (by partition-key hash). */
function arrivalsBySlot(settings: MappingSettings, rate: number, count: number, seed: number): Arrival[][] {
  const random = seededRandom(seed);
  const records = toKinesisRecords(simulatedTraffic(count, { seed }));
  let t = 0;
  const slots: Arrival[][] = Array.from({ length: settings.parallelizationFactor }, () => []);
  for (const record of records) {
    t += -Math.log(1 - random()) / rate;
    const arrival = { at: t, record, bytes: record.kinesis.data.length + ENVELOPE_BYTES };
    slots[parallelSlot(record.kinesis.partitionKey, settings.parallelizationFactor)]?.push(arrival);
  }
  return slots;
}

/**
 * The batch that starts at `next`: it gathers from when the slot is free (or its first record arrives) until it is
 * full or the window has passed. Returns its end (exclusive) and when it is invoked.
 */
function gatherBatch(
  slot: Arrival[],
  next: number,
  freeAt: number,
  settings: MappingSettings
): { end: number; closeAt: number } {
  const first = slot[next] as Arrival;
  const gatherFrom = Math.max(freeAt, first.at);
  const windowEnd = gatherFrom + settings.windowSeconds;
  let end = next;
  let bytes = 0;
  let closeAt = windowEnd;
  while (end < slot.length && end - next < settings.batchSize) {
    const a = slot[end] as Arrival;
    if (a.at > windowEnd || bytes + a.bytes > MAX_EVENT_BYTES) break;
    bytes += a.bytes;
    end++;
  }
  if (end - next >= settings.batchSize || bytes + (slot[end]?.bytes ?? 0) > MAX_EVENT_BYTES) {
    // Full before the window ended: invoked when the last record of the batch arrived (or at once).
    closeAt = Math.max(gatherFrom, (slot[end - 1] as Arrival).at);
  }
  return { end, closeAt };
}

/** Runs one slot's batches through the relay in order, on the slot's own virtual clock. */
async function runSlot(
  slot: Arrival[],
  settings: MappingSettings,
  relay: Relay,
  tally: Tally
): Promise<void> {
  let freeAt = 0;
  let next = 0;
  while (next < slot.length) {
    const { end, closeAt } = gatherBatch(slot, next, freeAt, settings);
    const batch = slot.slice(next, end);
    const started = process.hrtime.bigint();
    const report = await relay.processEvent({ Records: batch.map((a) => a.record) }, Date.now() + 60_000);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (report.batchItemFailures.length > 0) throw new Error('bench: the relay reported failures');
    tally.drops += report.counts.forwarded ?? 0;
    tally.sent += report.counts.sent ?? 0;
    tally.requests += report.counts.requests ?? 0;
    tally.closes.push({ at: closeAt, requests: report.counts.requests ?? 0 });
    freeAt = closeAt + seconds;
    for (const a of batch) tally.latencies.push(freeAt - a.at);
    next = end;
  }
}

/** Most requests whose batches closed within any span of one window (a sliding sum over the sorted closes). */
function maxRequestsInAWindow(closes: { at: number; requests: number }[], windowSeconds: number): number {
  closes.sort((a, b) => a.at - b.at);
  let maxPerWindow = 0;
  const span = Math.max(windowSeconds, 1e-9);
  for (let i = 0, j = 0, sum = 0; i < closes.length; i++) {
    sum += (closes[i] as { requests: number }).requests;
    while ((closes[j] as { at: number }).at <= (closes[i] as { at: number }).at - span) {
      sum -= (closes[j] as { requests: number }).requests;
      j++;
    }
    maxPerWindow = Math.max(maxPerWindow, sum);
  }
  return maxPerWindow;
}

async function runPoint(
  settings: MappingSettings,
  rate: number,
  count: number,
  seed: number
): Promise<PointRun> {
  const slots = arrivalsBySlot(settings, rate, count, seed);
  const emulator = await startEmulator(0);
  const relay = benchRelay(emulator);
  const tally: Tally = { latencies: [], closes: [], drops: 0, sent: 0, requests: 0 };
  try {
    // Slots run one after the other in real time; each keeps its own virtual clock (they are independent).
    for (const slot of slots) await runSlot(slot, settings, relay, tally);
  } finally {
    await relay.close();
    await emulator.stop();
  }
  const { sent, drops, requests } = tally;
  return {
    requestsPer1000: sent > 0 ? (requests / sent) * 1000 : NaN,
    requestsPer1000Drops: drops > 0 ? (requests / drops) * 1000 : NaN,
    p99: percentile(tally.latencies, 99),
    maxPerWindow: maxRequestsInAWindow(tally.closes, settings.windowSeconds),
    sent,
    batches: tally.closes.length
  };
}

/** Records per point: about `seconds` of traffic at the rate, within [min, max]. */
export function recordsFor(rate: number, seconds: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(rate * seconds)));
}

export async function measurePoint(
  settings: MappingSettings,
  rate: number,
  options: { seconds: number; minRecords: number; maxRecords: number; runs: number }
): Promise<PointResult> {
  const count = recordsFor(rate, options.seconds, options.minRecords, options.maxRecords);
  const runs = [];
  for (let run = 0; run < options.runs; run++) runs.push(await runPoint(settings, rate, count, 1000 + run));
  const batches = runs.reduce((a, r) => a + r.batches, 0);
  return {
    rate,
    windowSeconds: settings.windowSeconds,
    batchSize: settings.batchSize,
    parallelizationFactor: settings.parallelizationFactor,
    records: count,
    sent: Math.round(runs.reduce((a, r) => a + r.sent, 0) / runs.length),
    requestsPer1000: spread(runs.map((r) => r.requestsPer1000)),
    requestsPer1000Drops: spread(runs.map((r) => r.requestsPer1000Drops)),
    p99Seconds: spread(runs.map((r) => r.p99)),
    maxRequestsPerWindow: spread(runs.map((r) => r.maxPerWindow)),
    meanRecordsPerBatch: Math.round((count * runs.length) / Math.max(1, batches))
  };
}
