/**
 * Operational metrics of the Lambda handler as CloudWatch Embedded Metric Format (EMF) log lines: CloudWatch
 * Logs turns the `_aws` directive into metrics, no API call needed. Same namespace and dimension as the batch
 * metrics (namespace DroppedCallCallbacks/Relay, dimension Relay = the Lambda function name), so the stack's
 * alarms (relay/infra/lib/alarms.ts) find them by these names.
 */

import { METRIC_DIMENSION, METRIC_NAMESPACE, relayNameFrom } from './metrics';

export { METRIC_DIMENSION, METRIC_NAMESPACE } from './metrics';
/** Count of invocations in which Salesforce refused the relay's credentials. */
export const AUTH_FAILURES_METRIC = 'authFailures';
/** Whole days until the JWT certificate in the secret expires (negative once expired). */
export const CERTIFICATE_DAYS_LEFT_METRIC = 'certificateDaysLeft';

type Unit = 'Count' | 'None';

/** The fields of one EMF line publishing `values` (metric name → value) for relay `relayName`. */
export function emfLine(
  relayName: string,
  values: Record<string, number>,
  timestampMs: number,
  unit: Unit = 'Count'
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: Math.round(timestampMs),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [[METRIC_DIMENSION]],
          Metrics: Object.keys(values).map((Name) => ({ Name, Unit: unit }))
        }
      ]
    },
    [METRIC_DIMENSION]: relayName,
    ...values
  };
}

/** The relay's name for the dimension: the Lambda function name, else "ctr-relay" (local runs). */
export function relayName(env: NodeJS.ProcessEnv): string {
  return relayNameFrom(env);
}
