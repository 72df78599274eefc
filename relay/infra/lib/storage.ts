// Where undeliverable records go (two SQS queues) and the Salesforce credentials secret.
import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { RelaySettings } from './settings';

/** Shape of the Salesforce secret the relay reads at cold start (SF_SECRET_ARN); see relay/src/secrets.ts. */
export const SECRET_PLACEHOLDER = {
  clientId: '',
  username: '',
  privateKey: '',
  clientSecret: '',
  loginUrl: ''
};

export interface RelayQueues {
  /** Records the relay parks (Salesforce rejected them as not retryable); the relay's DLQ_URL. */
  readonly parkedQueue: sqs.Queue;
  /** Batches the event source mapping gave up on (retries/age exhausted): Kinesis pointers, not data. */
  readonly failedBatchQueue: sqs.Queue;
}

export function relayQueues(scope: Construct): RelayQueues {
  // Two queues because they hold different things and are worked differently: parked messages carry the
  // full record and a rejection reason (fix the data, re-send); failed-batch messages only point at shard
  // sequence numbers (Salesforce was down: re-read those records from the stream while it retains them).
  const queueDefaults: sqs.QueueProps = {
    retentionPeriod: Duration.days(14),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true
  };
  return {
    parkedQueue: new sqs.Queue(scope, 'ParkedRecordsQueue', queueDefaults),
    failedBatchQueue: new sqs.Queue(scope, 'FailedBatchesQueue', queueDefaults)
  };
}

/** The existing secret named in settings, or an empty placeholder an operator fills after deploy. */
export function salesforceSecret(scope: Construct, s: RelaySettings): secretsmanager.ISecret {
  if (s.existingSecretArn) {
    // A full ARN ends in "-" plus 6 random characters; a partial one (name only) gets a wildcard suffix.
    return /-[A-Za-z0-9]{6}$/.test(s.existingSecretArn)
      ? secretsmanager.Secret.fromSecretAttributes(scope, 'SalesforceSecret', {
          secretCompleteArn: s.existingSecretArn
        })
      : secretsmanager.Secret.fromSecretAttributes(scope, 'SalesforceSecret', {
          secretPartialArn: s.existingSecretArn
        });
  }
  // Placeholder only: every field empty, filled in after deploy with `aws secretsmanager put-secret-value`.
  // The template never holds a credential, and the placeholder is constant so a later stack update never
  // touches the value an operator put in (the relay ignores empty fields and names what is missing).
  return new secretsmanager.Secret(scope, 'SalesforceSecret', {
    description:
      'Salesforce credentials for the Connect CTR relay: {clientId, username, privateKey, clientSecret, loginUrl}',
    secretStringValue: SecretValue.unsafePlainText(JSON.stringify(SECRET_PLACEHOLDER)),
    removalPolicy: RemovalPolicy.RETAIN
  });
}
