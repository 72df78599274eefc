/**
 * CloudWatch metrics without an API call: the batch summary log line carries an Embedded Metric Format (EMF)
 * directive (`_aws`), so CloudWatch Logs turns the counts already on that line into metrics in METRIC_NAMESPACE.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 *
 * Metric names are the line's own keys (forwarded, resolved, skipped, skipped.<CATEGORY>, parked, failed,
 * requests, deliveryLatencyMs), with one dimension, METRIC_DIMENSION = the relay's name (the Lambda function
 * name), so two deployments never mix. Iterator age is not here: AWS/Lambda publishes it.
 */

export const METRIC_NAMESPACE = 'DroppedCallCallbacks/Relay';
export const METRIC_DIMENSION = 'Relay';

type Unit = 'Count' | 'Milliseconds';

/** Counts published on every batch line (0 when the batch had none), with what each means. */
export const COUNT_METRICS = {
  forwarded: 'drops sent on to Salesforce as callbacks',
  resolved: 'contacts sent to close a caller’s open callbacks (customer got through)',
  skipped: 'contacts that were not drops (all categories; skipped.<CATEGORY> per category)',
  parked: 'records Salesforce refused for good, parked in the dead-letter queue',
  failed: 'records left on the stream for Lambda to retry',
  requests: 'HTTP requests to Salesforce (attempts, retries included)'
} as const;

export type CountMetric = keyof typeof COUNT_METRICS;

/** Per delivered record: Connect's last update of the contact → Salesforce confirming the Case, in ms. */
export const LATENCY_METRIC = 'deliveryLatencyMs';

export const SKIPPED_PREFIX = 'skipped.';

/** EMF allows at most 100 values per metric and 100 metrics per directive. */
export const MAX_VALUES = 100;
const MAX_METRICS = 100;

export interface EmfInput {
  counts: Readonly<Record<string, number>>;
  /** Delivery latencies of this batch, ms (any order). */
  latenciesMs?: readonly number[];
  /** The line's time (ms since epoch). */
  timestampMs: number;
  /** Value of the METRIC_DIMENSION dimension. */
  relayName: string;
}

interface MetricDefinition {
  Name: string;
  Unit: Unit;
}

/**
 * At most MAX_VALUES values that keep the distribution: all of them when they fit, otherwise evenly spaced
 * order statistics (min and max included), so percentiles stay right; SampleCount is then at most 100.
 */
export function sampleValues(values: readonly number[], max: number = MAX_VALUES): number[] {
  const finite = values.filter((v) => Number.isFinite(v)).map((v) => Math.max(0, Math.round(v)));
  if (finite.length <= max) return finite;
  const sorted = [...finite].sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 0; i < max; i += 1)
    out.push(sorted[Math.round((i * (sorted.length - 1)) / (max - 1))] as number);
  return out;
}

/**
 * The fields to merge into the batch summary line: the `_aws` directive, the dimension, every count metric
 * (0 when absent), the per-category skip counts present in `counts`, and the latency values when there are any.
 */
export function emfFields(input: EmfInput): Record<string, unknown> {
  const values: Record<string, number | number[]> = {};
  const metrics: MetricDefinition[] = [];
  for (const name of Object.keys(COUNT_METRICS)) {
    values[name] = input.counts[name] ?? 0;
    metrics.push({ Name: name, Unit: 'Count' });
  }
  const categories = Object.keys(input.counts)
    .filter((key) => key.startsWith(SKIPPED_PREFIX) && key.length > SKIPPED_PREFIX.length)
    .sort();
  for (const name of categories) {
    if (metrics.length >= MAX_METRICS - 1) break;
    values[name] = input.counts[name] ?? 0;
    metrics.push({ Name: name, Unit: 'Count' });
  }
  const latencies = sampleValues(input.latenciesMs ?? []);
  if (latencies.length > 0) {
    values[LATENCY_METRIC] = latencies.length === 1 ? (latencies[0] as number) : latencies;
    metrics.push({ Name: LATENCY_METRIC, Unit: 'Milliseconds' });
  }
  return {
    _aws: {
      Timestamp: Math.round(input.timestampMs),
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [[METRIC_DIMENSION]], Metrics: metrics }]
    },
    [METRIC_DIMENSION]: input.relayName,
    ...values
  };
}

/** The relay's name for the dimension: the Lambda function name, else "ctr-relay" (local runs). */
export function relayNameFrom(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.AWS_LAMBDA_FUNCTION_NAME?.trim();
  return name ? name : 'ctr-relay';
}

/** Latency of each record Salesforce took in (ms from its lastUpdated to `confirmedAtMs`); unparsable skipped. */
export function deliveryLatencies(lastUpdated: readonly string[], confirmedAtMs: number): number[] {
  return lastUpdated.map((t) => confirmedAtMs - Date.parse(t)).filter((ms) => Number.isFinite(ms) && ms >= 0);
}
