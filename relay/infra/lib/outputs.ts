// Stack outputs: what an operator needs after `cdk deploy`.
import { CfnOutput } from 'aws-cdk-lib';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
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
  new CfnOutput(scope, 'FailedBatchesQueueUrl', { value: p.failedBatchQueue.queueUrl });
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
