// The relay's own CloudWatch metrics (Embedded Metric Format on its batch log line, relay/src/metrics.ts): a
// dashboard a supervisor or operator reads at a glance, and the alarms on those metrics.
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { LATENCY_METRIC, METRIC_DIMENSION, METRIC_NAMESPACE } from '../../src/metrics';
import type { AlarmTarget } from './alarms';

/** Alarm when the slowest tenth of new callbacks reach Salesforce later than this after Connect's last update. */
export const DELIVERY_LATENCY_ALARM_MS = 5 * 60_000;
/** Alarm when records have been left for Lambda to retry in this many consecutive 5-minute periods. */
export const FAILED_PERIODS_ALARM = 3;

export interface RelayDashboardProps {
  readonly fn: lambda.IFunction;
  readonly parkedQueue: sqs.IQueue;
  readonly failedBatchQueue: sqs.IQueue;
  readonly alarmTarget: AlarmTarget;
}

const FIVE_MINUTES = Duration.minutes(5);

/** One of the relay's EMF metrics, for this function (the Relay dimension is the function name). */
export function relayMetric(
  fn: lambda.IFunction,
  metricName: string,
  props: Omit<cloudwatch.MetricProps, 'namespace' | 'metricName' | 'dimensionsMap'> = {}
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { [METRIC_DIMENSION]: fn.functionName },
    statistic: 'Sum',
    period: FIVE_MINUTES,
    ...props
  });
}

/** Every `skipped.<CATEGORY>` metric of this function, whatever categories the policy has (not the total). */
function skippedByCategory(fn: lambda.IFunction): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRIC_NAMESPACE},${METRIC_DIMENSION}} ${METRIC_DIMENSION}="${fn.functionName}" MetricName=skipped NOT MetricName="skipped"', 'Sum', 300)`,
    usingMetrics: {},
    label: '',
    period: FIVE_MINUTES
  });
}

/** The alarms on the relay's own metrics (the queue and iterator-age alarms are in alarms.ts). */
export function relayMetricAlarms(target: AlarmTarget, fn: lambda.IFunction): cloudwatch.Alarm[] {
  return [
    target.add('RelayFailedRecordsAlarm', {
      alarmDescription: `Records have been left on the stream for retry for ${FAILED_PERIODS_ALARM * 5} minutes: Salesforce is unreachable, refusing the relay's credentials or answering 429/5xx. Dropped callers are not reaching the worklist.`,
      metric: relayMetric(fn, 'failed'),
      threshold: 1,
      evaluationPeriods: FAILED_PERIODS_ALARM,
      datapointsToAlarm: FAILED_PERIODS_ALARM,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    }),
    target.add('RelayDeliveryLatencyAlarm', {
      alarmDescription: `One in ten new callbacks reached Salesforce more than ${DELIVERY_LATENCY_ALARM_MS / 60_000} minutes after Connect's last update of the contact (stream lag, Salesforce slow, or retries).`,
      metric: relayMetric(fn, LATENCY_METRIC, { statistic: 'p90' }),
      threshold: DELIVERY_LATENCY_ALARM_MS,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    })
  ];
}

type MetricOf = (name: string, label: string, extra?: Partial<cloudwatch.MetricProps>) => cloudwatch.Metric;

const INTRODUCTION =
  '# Dropped-call relay\nAmazon Connect contacts → callback Cases in Salesforce. **Forwarded**: drops sent as callbacks; **resolved**: contacts that closed a caller’s open callbacks (the customer got through); **skipped**: not drops, by category; **parked**: refused for good (see the parked-records queue); **failed**: left on the stream for Lambda to retry.';

/** What came in and what the relay did with it: totals, then drops forwarded and resolved beside the skipped. */
function trafficRows(m: MetricOf, fn: lambda.IFunction): cloudwatch.IWidget[][] {
  return [
    [new cloudwatch.TextWidget({ markdown: INTRODUCTION, width: 24, height: 2 })],
    [
      new cloudwatch.SingleValueWidget({
        title: 'Totals for the time range',
        metrics: [
          m('forwarded', 'Forwarded'),
          m('resolved', 'Resolved'),
          m('skipped', 'Skipped'),
          m('parked', 'Parked'),
          m('failed', 'Failed (retried)')
        ],
        setPeriodToTimeRange: true,
        width: 24,
        height: 4
      })
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Drops forwarded and resolved',
        left: [m('forwarded', 'Forwarded'), m('resolved', 'Resolved')],
        width: 12
      }),
      new cloudwatch.GraphWidget({
        title: 'Contacts skipped, by category',
        left: [skippedByCategory(fn)],
        stacked: true,
        width: 12
      })
    ]
  ];
}

/** What went wrong (parked, failed, the queues) and how hard and how fast Salesforce is worked. */
function deliveryRows(m: MetricOf, props: RelayDashboardProps): cloudwatch.IWidget[][] {
  return [
    [
      new cloudwatch.GraphWidget({
        title: 'Parked and failed records',
        left: [m('parked', 'Parked'), m('failed', 'Failed (retried)')],
        right: [
          props.parkedQueue.metricApproximateNumberOfMessagesVisible({
            label: 'Parked queue depth',
            statistic: 'Maximum',
            period: FIVE_MINUTES
          }),
          props.failedBatchQueue.metricApproximateNumberOfMessagesVisible({
            label: 'Failed-batch queue depth',
            statistic: 'Maximum',
            period: FIVE_MINUTES
          })
        ],
        width: 12
      }),
      new cloudwatch.GraphWidget({
        title: 'Salesforce requests',
        left: [m('requests', 'Requests (attempts)')],
        width: 12
      })
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Delivery latency: Connect → callback Case (ms)',
        left: [
          m(LATENCY_METRIC, 'p50', { statistic: 'p50' }),
          m(LATENCY_METRIC, 'p90', { statistic: 'p90' }),
          m(LATENCY_METRIC, 'max', { statistic: 'Maximum' })
        ],
        leftAnnotations: [{ value: DELIVERY_LATENCY_ALARM_MS, label: 'alarm (p90)' }],
        width: 12
      }),
      new cloudwatch.GraphWidget({
        title: 'Iterator age (ms behind the stream)',
        left: [
          props.fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1), label: 'max' })
        ],
        width: 12
      })
    ]
  ];
}

/** The "dropped-call relay" dashboard: what came in, what happened to it, how fast, and the alarms. */
export function relayDashboard(scope: Construct, props: RelayDashboardProps): cloudwatch.Dashboard {
  const { fn } = props;
  const m: MetricOf = (name, label, extra = {}) => relayMetric(fn, name, { label, ...extra });
  const dashboard = new cloudwatch.Dashboard(scope, 'RelayDashboard', {
    defaultInterval: Duration.hours(24)
  });
  for (const row of [...trafficRows(m, fn), ...deliveryRows(m, props)]) dashboard.addWidgets(...row);
  dashboard.addWidgets(
    new cloudwatch.AlarmStatusWidget({
      title: 'Alarms',
      alarms: props.alarmTarget.alarms,
      width: 24
    })
  );
  const region = Stack.of(scope).region;
  new CfnOutput(scope, 'DashboardUrl', {
    value: `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${dashboard.dashboardName}`,
    description:
      'CloudWatch dashboard of the relay: forwarded, resolved, skipped by category, parked, failed, latency'
  });
  return dashboard;
}
