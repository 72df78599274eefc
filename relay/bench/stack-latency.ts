/**
 * PutRecords → Case on the local stack (`npm start`'s pipeline: kinesalite, the Lambda-like consumer, the relay,
 * the org emulator), with the shipped batch size and batching window, one shard, traffic at a fixed rate. For each
 * new drop: from just before the PutRecords call that carried it to the emulator publishing its
 * Disconnected_Call__e (the Case was saved). The local consumer polls every 100 ms (Lambda: about once a second
 * when a shard is idle) and runs one batch per shard at a time.
 */
import { startLocalStack } from '../local/stack';
import { percentile, spread, type Spread } from './stats';
import { simulatedTraffic } from './traffic';

export interface StackLatencyResult {
  rate: number;
  seconds: number;
  batchSize: number;
  windowMs: number;
  casesTimed: number;
  p50Seconds: Spread;
  p99Seconds: Spread;
  maxSeconds: Spread;
  /** API requests (token excluded) per 1,000 records sent (drops and resolves), as the stack counted them. */
  requestsPer1000: Spread;
}

async function runOnce(
  rate: number,
  seconds: number,
  batchSize: number,
  windowMs: number,
  seed: number
): Promise<{ p50: number; p99: number; max: number; cases: number; requestsPer1000: number }> {
  const stack = await startLocalStack({ shards: 1, batchSize, windowMs, preview: false, logLevel: 'error' });
  const putAt = new Map<string, number>();
  const latencies: number[] = [];
  const unsubscribe = stack.emulator.subscribe((event) => {
    const at = putAt.get(event.Connect_Contact_Id__c.toLowerCase());
    if (at !== undefined) latencies.push((performance.now() - at) / 1000);
  });
  try {
    const traffic = simulatedTraffic(Math.round(rate * seconds), { seed });
    const started = performance.now();
    let sent = 0;
    const tickMs = 50;
    while (sent < traffic.length) {
      const due = Math.min(traffic.length, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      if (due > sent) {
        const chunk = traffic.slice(sent, due);
        const now = performance.now();
        for (const r of chunk) {
          const id = /"ContactId":"([^"]+)"/.exec(r.data)?.[1];
          if (id && !putAt.has(id.toLowerCase())) putAt.set(id.toLowerCase(), now);
        }
        await stack.put(chunk);
        sent = due;
      }
      await new Promise((resolve) => setTimeout(resolve, tickMs));
    }
    if (!(await stack.waitUntilConsumed(60_000))) throw new Error('bench: the local stack did not catch up');
    const s = stack.summary();
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
      cases: latencies.length,
      requestsPer1000: s.sent > 0 ? ((s.apiCalls - s.tokenRequests) / s.sent) * 1000 : NaN
    };
  } finally {
    unsubscribe();
    await stack.stop();
  }
}

export async function stackLatency(options: {
  rate: number;
  seconds: number;
  runs: number;
  batchSize: number;
  windowMs: number;
}): Promise<StackLatencyResult> {
  const runs = [];
  for (let i = 0; i < options.runs; i++) {
    runs.push(await runOnce(options.rate, options.seconds, options.batchSize, options.windowMs, 300 + i));
  }
  return {
    rate: options.rate,
    seconds: options.seconds,
    batchSize: options.batchSize,
    windowMs: options.windowMs,
    casesTimed: runs.reduce((a, r) => a + r.cases, 0),
    p50Seconds: spread(runs.map((r) => r.p50)),
    p99Seconds: spread(runs.map((r) => r.p99)),
    maxSeconds: spread(runs.map((r) => r.max)),
    requestsPer1000: spread(runs.map((r) => r.requestsPer1000))
  };
}
