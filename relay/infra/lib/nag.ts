// cdk-nag AwsSolutions findings this stack keeps on purpose, each with the reason. test/nag.test.ts runs the
// checks on several configurations and also proves each acknowledgement is still needed.
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface NagAcknowledgement {
  /** Path below the stack, e.g. "ParkedRecordsQueue"; the acknowledgement covers that construct's subtree. */
  readonly path: string;
  /** The id cdk-nag reports ("Acknowledge with '…'"). */
  readonly id: string;
  readonly reason: string;
}

export const NAG_ACKNOWLEDGEMENTS: readonly NagAcknowledgement[] = [
  {
    path: 'ParkedRecordsQueue',
    id: 'AwsSolutions::AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead-letter store of the relay (parked records); a DLQ behind it would only move the same messages, and a person works it by hand (README, Operating).'
  },
  {
    path: 'FailedBatchesQueue',
    id: 'AwsSolutions::AwsSolutions-SQS3',
    reason:
      'Work list of failed batches, read only by `ctr-relay replay`, which deletes a message only after the batch is re-driven; redriving it to another queue would hide it from the replay-window alarm.'
  },
  {
    path: 'FailedBatchesBucket',
    id: 'AwsSolutions::AwsSolutions-S1',
    reason:
      'Objects are written only by the relay mapping and read only by data readers through the KMS data key; CloudTrail records those KMS and S3 data calls. A log bucket would be a second copy of access metadata to retain and protect.'
  },
  {
    path: 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834',
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "CDK's own custom resource that configures the bucket notification at deploy time; it runs only during deploys and its role is managed by CDK."
  },
  {
    path: 'SalesforceSecret',
    id: 'AwsSolutions::AwsSolutions-SMG4',
    reason:
      'The secret holds a JWT private key whose certificate must be uploaded to the Salesforce app first: rotation is the documented two-certificate procedure (README, Operating → Key rotation), watched by CertificateExpiryAlarm. A Lambda rotator cannot upload the certificate.'
  },
  {
    path: 'RelayRole',
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::<FailedBatchesBucketE069F873.Arn>/*]',
    reason:
      'Lambda names each failed-batch object itself (aws/lambda/<mapping>/<shard>/<date>/...): s3:PutObject on the objects of this one bucket, nothing else.'
  },
  {
    path: 'RelayFunction',
    id: 'AwsSolutions::AwsSolutions-L1',
    reason:
      'nodejs22.x is the runtime the relay is bundled (esbuild target node22) and tested for; a runtime upgrade is a deliberate change, not a side effect of a new CDK release.'
  }
];

/** Records every acknowledgement whose construct exists in this configuration. */
export function acknowledgeNagFindings(stack: Stack): void {
  for (const ack of NAG_ACKNOWLEDGEMENTS) {
    const target: IConstruct | undefined = stack.node.tryFindChild(ack.path);
    if (target) Validations.of(target).acknowledge({ id: ack.id, reason: ack.reason });
  }
}
