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
      const created = new sns.Topic(scope, 'AlarmTopic', { displayName: 'Connect CTR relay alarms' });
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

/** The operational alarms on the stream, the function and the two queues. */
export function relayAlarms(target: AlarmTarget, props: RelayAlarmsProps): void {
  const s = props.settings;
  const fiveMinutes = Duration.minutes(5);
  target.add('RelayIteratorAgeAlarm', {
    alarmDescription: `The relay is more than ${s.iteratorAgeAlarmSeconds} s behind the CTR stream (Salesforce slow/down, or errors).`,
    metric: props.fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
    threshold: s.iteratorAgeAlarmSeconds * 1000,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
  });
  target.add('StreamIteratorAgeAlarm', {
    alarmDescription: 'Records are waiting in the CTR stream longer than expected (all consumers).',
    metric: props.stream.metricGetRecordsIteratorAgeMilliseconds({
      statistic: 'Maximum',
      period: Duration.minutes(1)
    }),
    threshold: s.iteratorAgeAlarmSeconds * 1000,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
  });
  target.add('RelayErrorsAlarm', {
    alarmDescription: 'The relay Lambda failed invocations (bad configuration, crash, or timeout).',
    metric: props.fn.metricErrors({ statistic: 'Sum', period: fiveMinutes }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
  });
  // A message waiting in either queue means records that need a person.
  const addQueueNotEmptyAlarm = (id: string, queue: sqs.IQueue, alarmDescription: string): void => {
    target.add(id, {
      alarmDescription,
      metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: fiveMinutes }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    });
  };
  addQueueNotEmptyAlarm(
    'ParkedRecordsAlarm',
    props.parkedQueue,
    'Salesforce rejected records as not retryable; they are parked in the queue for review.'
  );
  addQueueNotEmptyAlarm(
    'FailedBatchesAlarm',
    props.failedBatchQueue,
    'The Kinesis mapping gave up on records (retries or age exhausted): replay them from the stream.'
  );
}
