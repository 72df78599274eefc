// Stack outputs: what an operator needs after `cdk deploy`.
import { CfnOutput } from 'aws-cdk-lib';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AlarmTarget } from './alarms';
import type { RelaySettings } from './settings';

export interface RelayOutputsProps {
  readonly settings: RelaySettings;
  readonly stream: kinesis.IStream;
  readonly fn: lambda.IFunction;
  readonly logGroup: logs.ILogGroup;
  readonly secret: secretsmanager.ISecret;
  readonly parkedQueue: sqs.IQueue;
  readonly failedBatchQueue: sqs.IQueue;
  readonly failedBatchBucket: s3.IBucket;
  readonly dataKey: kms.IKey;
  readonly alarmTarget: AlarmTarget;
  /** Whether this stack created the Connect CTR streaming. */
  readonly streamingManaged: boolean;
}

export function relayOutputs(scope: Construct, p: RelayOutputsProps): void {
  new CfnOutput(scope, 'StreamName', {
    value: p.stream.streamName,
    description: 'Kinesis stream receiving CTRs'
  });
  new CfnOutput(scope, 'StreamArn', { value: p.stream.streamArn });
  new CfnOutput(scope, 'FunctionName', { value: p.fn.functionName });
  new CfnOutput(scope, 'LogGroupName', { value: p.logGroup.logGroupName });
  new CfnOutput(scope, 'SecretArn', {
    value: p.secret.secretArn,
    description: 'Put the Salesforce credentials JSON here (aws secretsmanager put-secret-value)'
  });
  new CfnOutput(scope, 'ParkedRecordsQueueUrl', { value: p.parkedQueue.queueUrl });
  new CfnOutput(scope, 'FailedBatchesQueueUrl', {
    value: p.failedBatchQueue.queueUrl,
    description: 'Work list of failed batches: ctr-relay replay --queue-url <this> --stream <StreamName>'
  });
  new CfnOutput(scope, 'FailedBatchesBucketName', { value: p.failedBatchBucket.bucketName });
  new CfnOutput(scope, 'DataKeyArn', {
    value: p.dataKey.keyArn,
    description: 'KMS key of parked records and failed batches: whoever may decrypt with it may read them'
  });
  new CfnOutput(scope, 'MappingStart', { value: mappingStart(p.settings) });
  if (p.alarmTarget.topic) new CfnOutput(scope, 'AlarmTopicArn', { value: p.alarmTarget.topic.topicArn });
  new CfnOutput(scope, 'RelayState', {
    value: p.settings.relayEnabled
      ? 'enabled'
      : 'disabled: put the Salesforce credentials into SecretArn, then cdk deploy -c relayEnabled=true'
  });
  new CfnOutput(scope, 'CtrStreamingSetup', {
    value: p.streamingManaged ? 'managed by this stack' : 'configure by hand (see README)'
  });
}

/** What the mapping reads first when it is created (first deploy, or replaced by a changed start/stream). */
export function mappingStart(s: RelaySettings): string {
  const age = `${s.maxRecordAgeSeconds} s`;
  switch (s.startingPosition) {
    case 'LATEST':
      return 'LATEST: only records that arrive after the mapping is created; anything already on the stream is never read';
    case 'AT_TIMESTAMP':
      return `AT_TIMESTAMP ${new Date((s.startingPositionTimestamp ?? 0) * 1000).toISOString()}: records from that time on; those older than ${age} when read go to the failed-batch bucket`;
    default:
      return `TRIM_HORIZON: every record the stream still holds; those older than ${age} when read go to the failed-batch bucket`;
  }
}
