// CloudWatch alarms and where they go. `AlarmTarget.add` is the one way to create an alarm in this stack, so
// every alarm (including ones other files add, e.g. on the relay's own metrics) notifies the same topic.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  AUTH_FAILURES_METRIC,
  CERTIFICATE_DAYS_LEFT_METRIC,
  METRIC_DIMENSION,
  METRIC_NAMESPACE
} from '../../src/ops-metrics';
import type { RelaySettings } from './settings';

export class AlarmTarget {
  /** The SNS topic alarms notify, when the settings name one (existing topic or e-mail). */
  readonly topic: sns.ITopic | undefined;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(
    private readonly scope: Construct,
    s: RelaySettings
  ) {
    if (s.alarmTopicArn) this.topic = sns.Topic.fromTopicArn(scope, 'AlarmTopic', s.alarmTopicArn);
    if (s.alarmEmail) {
      const created = new sns.Topic(scope, 'AlarmTopic', {
        displayName: 'Connect CTR relay alarms',
        enforceSSL: true
      });
      created.addSubscription(new subscriptions.EmailSubscription(s.alarmEmail));
      this.topic = created;
    }
  }

  /** Creates an alarm that notifies the topic on ALARM and on OK. */
  add(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this.scope, id, props);
    if (this.topic) {
      alarm.addAlarmAction(new cwActions.SnsAction(this.topic));
      alarm.addOkAction(new cwActions.SnsAction(this.topic));
    }
    this.alarms.push(alarm);
    return alarm;
  }
}

export interface RelayAlarmsProps {
  readonly settings: RelaySettings;
  readonly fn: lambda.IFunction;
  readonly stream: kinesis.IStream;
  readonly parkedQueue: sqs.IQueue;
  readonly failedBatchQueue: sqs.IQueue;
}

const DAY_SECONDS = 86_400;

/**
 * When to warn that messages are about to expire from a queue kept `retentionDays`: two days before, or
 * half-way for a retention of up to four days.
 */
export function expiryWarningSeconds(retentionDays: number): number {
  return retentionDays > 4 ? (retentionDays - 2) * DAY_SECONDS : (retentionDays * DAY_SECONDS) / 2;
}

/** A metric of the relay's own (Embedded Metric Format, relay/src/ops-metrics.ts). */
function relayMetric(
  fn: lambda.IFunction,
  name: string,
  statistic: string,
  period: Duration
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName: name,
    dimensionsMap: { [METRIC_DIMENSION]: fn.functionName },
    statistic,
    period
  });
}

const fiveMinutes = Duration.minutes(5);

/** Alarm on any occurrence in a five-minute period (a metric that is 0 or absent when all is well). */
const atLeastOnce = {
  threshold: 1,
  evaluationPeriods: 1,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
};

/** The operational alarms on the stream, the function and the two queues. README "Operating" says what to do. */
export function relayAlarms(target: AlarmTarget, props: RelayAlarmsProps): void {
  lagAlarms(target, props);
  functionAlarms(target, props);
  queueAlarms(target, props);
}

/** The relay falls behind the stream, or nothing reads it. */
function lagAlarms(target: AlarmTarget, props: RelayAlarmsProps): void {
  const s = props.settings;
  // Lambda publishes IteratorAge only when it invokes the function, so no data is normal on a quiet stream;
  // a mapping that stopped invoking is caught by RelayNotInvokedAlarm and StreamIteratorAgeAlarm.
  target.add('RelayIteratorAgeAlarm', {
    alarmDescription: `The relay is more than ${s.iteratorAgeAlarmSeconds} s behind the CTR stream (Salesforce slow/down, or errors).`,
    metric: props.fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
    threshold: s.iteratorAgeAlarmSeconds * 1000,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
  });
  // An enabled mapping polls every shard about once a second, even an idle one, so Kinesis always has this
  // metric: no data means nothing reads the stream (mapping disabled, KMS or IAM denied).
  target.add('StreamIteratorAgeAlarm', {
    alarmDescription: s.relayEnabled
      ? 'Records wait in the CTR stream longer than expected, or nothing reads the stream at all (no data).'
      : 'Records wait in the CTR stream longer than expected (the relay mapping is disabled).',
    metric: props.stream.metricGetRecordsIteratorAgeMilliseconds({
      statistic: 'Maximum',
      period: Duration.minutes(1)
    }),
    threshold: s.iteratorAgeAlarmSeconds * 1000,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: s.relayEnabled
      ? cloudwatch.TreatMissingData.BREACHING
      : cloudwatch.TreatMissingData.NOT_BREACHING
  });
  // Works on a shared stream too (other consumers keep the Kinesis read metrics alive).
  notInvokedAlarm(target, props);
}

function notInvokedAlarm(target: AlarmTarget, props: RelayAlarmsProps): void {
  const fifteenMinutes = Duration.minutes(15);
  target.add('RelayNotInvokedAlarm', {
    alarmDescription:
      'Records arrive on the CTR stream but the relay is not invoked (mapping disabled or failing to read).',
    metric: new cloudwatch.MathExpression({
      label: 'stream receives, relay not invoked',
      expression: 'IF(FILL(incoming, 0) > 0 AND FILL(invocations, 0) == 0, 1, 0)',
      usingMetrics: {
        incoming: props.stream.metricIncomingRecords({ statistic: 'Sum', period: fifteenMinutes }),
        invocations: props.fn.metricInvocations({ statistic: 'Sum', period: fifteenMinutes })
      },
      period: fifteenMinutes
    }),
    threshold: 1,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
  });
}

/** The function fails, is throttled, cannot save a failed batch, is refused by Salesforce or its certificate ages. */
function functionAlarms(target: AlarmTarget, props: RelayAlarmsProps): void {
  const s = props.settings;
  target.add('RelayErrorsAlarm', {
    alarmDescription: 'The relay Lambda failed invocations (bad configuration, crash, or timeout).',
    metric: props.fn.metricErrors({ statistic: 'Sum', period: fiveMinutes }),
    ...atLeastOnce
  });
  target.add('RelayThrottlesAlarm', {
    alarmDescription:
      'The relay was throttled for 15 minutes: reserved concurrency is below shards × parallelizationFactor, or the account limit is reached.',
    metric: props.fn.metricThrottles({ statistic: 'Sum', period: fiveMinutes }),
    ...atLeastOnce,
    evaluationPeriods: 3,
    datapointsToAlarm: 3
  });
  target.add('DestinationDeliveryFailuresAlarm', {
    alarmDescription:
      'Lambda could not write a failed batch to the failed-batch bucket: those records are lost unless still on the stream.',
    metric: props.fn.metric('DestinationDeliveryFailures', { statistic: 'Sum', period: fiveMinutes }),
    ...atLeastOnce
  });
  target.add('AuthFailuresAlarm', {
    alarmDescription:
      "Salesforce refused the relay's credentials (invalid_grant, revoked app, wrong key): records wait on the stream.",
    metric: relayMetric(props.fn, AUTH_FAILURES_METRIC, 'Sum', fiveMinutes),
    ...atLeastOnce
  });
  target.add('CertificateExpiryAlarm', {
    alarmDescription: `The JWT certificate in the secret expires within ${s.certificateExpiryAlarmDays} days: rotate it (README, Operating).`,
    metric: relayMetric(props.fn, CERTIFICATE_DAYS_LEFT_METRIC, 'Minimum', Duration.hours(6)),
    threshold: s.certificateExpiryAlarmDays,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
  });
}

/** A message waiting in either queue means records that need a person; an old one, that time is running out. */
function queueAlarms(target: AlarmTarget, props: RelayAlarmsProps): void {
  const s = props.settings;
  const alarmsOn = (
    prefix: string,
    queue: sqs.IQueue,
    retentionDays: number,
    waiting: string,
    expiring: string
  ): void => {
    target.add(`${prefix}Alarm`, {
      alarmDescription: waiting,
      metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: fiveMinutes }),
      ...atLeastOnce
    });
    target.add(`${prefix}ExpiringAlarm`, {
      alarmDescription: expiring,
      metric: queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: fiveMinutes }),
      threshold: expiryWarningSeconds(retentionDays),
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    });
  };
  alarmsOn(
    'ParkedRecords',
    props.parkedQueue,
    s.parkedRetentionDays,
    'Salesforce rejected records as not retryable; they are parked in the queue for review.',
    `A parked record is close to its ${s.parkedRetentionDays}-day retention: fix and re-send it before it expires.`
  );
  alarmsOn(
    'FailedBatches',
    props.failedBatchQueue,
    s.failedBatchRetentionDays,
    'The Kinesis mapping gave up on records (record age exhausted); they are kept in S3: run ctr-relay replay.',
    `Replay window closing: a failed batch is close to its ${s.failedBatchRetentionDays}-day retention: run ctr-relay replay now.`
  );
}
